//! The customer portal (SPEC §5): pages of a customer's people. Which sections a request may
//! reach is the portal table of `crate::routes`; the guard hands each handler the [`Portal`]
//! context (person, role capabilities, the customer's effective grants and app settings).

pub mod profile;
pub mod sections;
pub mod topups;
pub mod traffic;

use actix_web::HttpRequest;

use crate::access::Perm;
use crate::access::caps::Cap;
pub use crate::http::Portal;
pub use crate::http::routes::PREVIEW_KEY;
use crate::web::layout::{Area, Layout, NavItem, role_label};

/// The page frame: navigation from the catalog and the grants, app settings applied. The title
/// is the message `title_id`, unless the customer relabelled `title_key`.
pub fn layout(p: &Portal, req: &HttpRequest, title_key: &str, title_id: &str) -> Layout {
    let title = p.label(title_key, title_id);
    layout_titled(p, req, &title)
}

/// The page frame with a title made by the handler.
pub fn layout_titled(p: &Portal, req: &HttpRequest, title: &str) -> Layout {
    let nav = nav(p, req.path());
    let mut l = Layout::signed_in(p.lang, title, req, &p.user, Area::Portal, nav);
    let settings = p.settings();
    if let Some(t) = settings.page_title.as_ref().filter(|t| !t.trim().is_empty()) {
        l.brand = t.clone();
    }
    l.theme = settings.theme.as_str().to_string();
    if settings.custom_css.as_ref().is_some_and(|c| !c.trim().is_empty()) {
        l.custom_css = Some(format!("/portal/custom.css?v={}", p.customer().updated_at.and_utc().timestamp()));
    }
    let name = &p.customer().name;
    if p.preview() {
        l.banner = Some(p.lang.t1("app-preview-banner", "customer", name));
        l.user_detail = p.lang.t1("app-previewing", "customer", name);
    } else {
        l.user_detail = format!("{} · {}", role_label(p.lang, p.role), name);
    }
    l.preview = p.preview();
    l
}

/// A portal section in the navigation.
pub struct Section {
    pub key: Option<Perm>,
    pub href: &'static str,
    /// The message id of its label.
    pub label: &'static str,
    /// The `stringMappings` key that relabels it.
    pub string_key: &'static str,
}

/// The navigation, in order. A section appears only when its key is granted.
pub const SECTIONS: &[Section] = &[
    Section { key: None, href: "/portal", label: "nav-dashboard", string_key: "nav.dashboard" },
    Section { key: Some(Perm::Account), href: "/portal/account", label: "nav-account", string_key: "nav.account" },
    Section {
        key: Some(Perm::OutgoingCdrs),
        href: "/portal/cdrs/outgoing",
        label: "nav-outgoing-cdrs",
        string_key: "nav.outgoing_cdrs",
    },
    Section {
        key: Some(Perm::IncomingCdrs),
        href: "/portal/cdrs/incoming",
        label: "nav-incoming-cdrs",
        string_key: "nav.incoming_cdrs",
    },
    Section {
        key: Some(Perm::OutgoingStatistics),
        href: "/portal/statistics/outgoing",
        label: "nav-outgoing-statistics",
        string_key: "nav.outgoing_statistics",
    },
    Section {
        key: Some(Perm::IncomingStatistics),
        href: "/portal/statistics/incoming",
        label: "nav-incoming-statistics",
        string_key: "nav.incoming_statistics",
    },
    Section {
        key: Some(Perm::OutgoingActiveCalls),
        href: "/portal/active-calls",
        label: "nav-active-calls",
        string_key: "nav.active_calls",
    },
    Section {
        key: Some(Perm::OutgoingRateplans),
        href: "/portal/rateplans",
        label: "nav-rateplans",
        string_key: "nav.rateplans",
    },
    Section {
        key: Some(Perm::OutgoingNumberlists),
        href: "/portal/numberlists",
        label: "nav-numberlists",
        string_key: "nav.numberlists",
    },
    Section { key: Some(Perm::Invoices), href: "/portal/invoices", label: "nav-invoices", string_key: "nav.invoices" },
    Section { key: Some(Perm::Payments), href: "/portal/payments", label: "nav-payments", string_key: "nav.payments" },
    Section { key: Some(Perm::Services), href: "/portal/services", label: "nav-services", string_key: "nav.services" },
    Section {
        key: Some(Perm::Transactions),
        href: "/portal/transactions",
        label: "nav-transactions",
        string_key: "nav.transactions",
    },
    Section {
        key: Some(Perm::MyNumbers),
        href: "/portal/numbers",
        label: "nav-my-numbers",
        string_key: "nav.my_numbers",
    },
    Section {
        key: Some(Perm::MyCampaigns),
        href: "/portal/campaigns",
        label: "nav-my-campaigns",
        string_key: "nav.my_campaigns",
    },
    Section {
        key: Some(Perm::DailyCdrReports),
        href: "/portal/reports/daily",
        label: "nav-daily-cdr-reports",
        string_key: "nav.daily_cdr_reports",
    },
];

fn nav(p: &Portal, current: &str) -> Vec<NavItem> {
    let mut items: Vec<NavItem> = SECTIONS
        .iter()
        .filter(|s| s.key.is_none_or(|k| p.has(k)))
        .map(|s| NavItem {
            href: s.href.into(),
            label: p.label(s.string_key, s.label),
            section: s.key.map(Perm::key).unwrap_or(""),
            active: if s.href == "/portal" { current == "/portal" } else { current.starts_with(s.href) },
        })
        .collect();
    if p.can(Cap::ManageUsers) {
        items.push(NavItem {
            href: "/portal/users".into(),
            label: p.label("nav.users", "nav-users"),
            section: "",
            active: current.starts_with("/portal/users"),
        });
    }
    items.push(NavItem {
        href: "/portal/profile".into(),
        label: p.label("nav.profile", "nav-profile"),
        section: "",
        active: current.starts_with("/portal/profile"),
    });
    items
}
