//! The customer portal (SPEC §5). One guard enforces `routes::PORTAL_ROUTES` for every request
//! below `/portal`: it resolves who is asking, their customer's effective grants and app
//! settings, checks the route's key and role, and hands the result to the handler as `Portal`.

pub mod profile;
pub mod sections;
pub mod topups;
pub mod traffic;

use std::future::{Ready, ready};
use std::rc::Rc;

use actix_session::SessionExt;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};

use crate::AppState;
use crate::access::resolve::{self, Effective};
use crate::access::{Grants, Perm};
use crate::auth::Identity;
use crate::customers::model::{CustomerRow, effective_app_settings};
use crate::customers::settings::AppSettings;
use crate::db::schema::customers;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::users::User;
use crate::users::model::Role;
use crate::web::layout::{Area, Layout, NavItem, role_label};
use crate::web::routes::{Need, PORTAL_ROUTES, PortalRoute, RoleNeed, path_matches, path_param};

/// Session key of the customer a staff member is previewing.
pub const PREVIEW_KEY: &str = "preview_customer";

/// Everything a portal handler knows about the request's person and customer.
#[derive(Clone)]
pub struct Portal(pub Rc<PortalInner>);

pub struct PortalInner {
    /// The signed-in person (the staff member during a preview).
    pub user: Rc<User>,
    /// The role the portal is shown for (`user` during a preview).
    pub role: Role,
    pub customer: CustomerRow,
    pub effective: Effective,
    pub settings: AppSettings,
    pub preview: bool,
    pub via_token: bool,
    /// The language of the pages (the person's setting, else the browser's).
    pub lang: Lang,
}

impl std::ops::Deref for Portal {
    type Target = PortalInner;
    fn deref(&self) -> &PortalInner {
        &self.0
    }
}

impl Portal {
    pub fn grants(&self) -> &Grants {
        &self.effective.grants
    }
    pub fn has(&self, p: Perm) -> bool {
        self.effective.grants.has(p)
    }
    pub fn customer_id(&self) -> i64 {
        self.customer.id
    }
    pub fn tz(&self) -> &str {
        if self.preview { "UTC" } else { &self.user.time_zone }
    }
    /// Administrators and developers see private access codes (SPEC §4).
    pub fn sees_private_codes(&self) -> bool {
        matches!(self.role, Role::Administrator | Role::Developer)
    }

    /// A customer's relabelling (`stringMappings`) of a UI string, else its translation.
    pub fn label(&self, string_key: &str, msg_id: &str) -> String {
        match self.settings.string_mappings.get(string_key) {
            Some(v) => v.clone(),
            None => self.lang.t(msg_id),
        }
    }

    /// The page frame: navigation from the catalog and the grants, app settings applied. The
    /// title is the message `title_id`, unless the customer relabelled `title_key`.
    pub fn layout(&self, req: &HttpRequest, title_key: &str, title_id: &str) -> Layout {
        let title = self.label(title_key, title_id);
        self.layout_titled(req, &title)
    }

    /// The page frame with a title made by the handler.
    pub fn layout_titled(&self, req: &HttpRequest, title: &str) -> Layout {
        let session = req.get_session();
        let id = Identity { user: self.user.clone(), via_token: self.via_token };
        let current = req.path();
        let nav = nav(self, current);
        let mut l = Layout::signed_in(self.lang, title, &session, &id, Area::Portal, nav);
        if let Some(t) = self.settings.page_title.as_ref().filter(|t| !t.trim().is_empty()) {
            l.brand = t.clone();
        }
        l.theme = self.settings.theme.as_str().to_string();
        if self.settings.custom_css.as_ref().is_some_and(|c| !c.trim().is_empty()) {
            l.custom_css = Some(format!("/portal/custom.css?v={}", self.customer.updated_at.and_utc().timestamp()));
        }
        if self.preview {
            l.banner = Some(self.lang.t1("app-preview-banner", "customer", &self.customer.name));
            l.user_detail = self.lang.t1("app-previewing", "customer", &self.customer.name);
        } else {
            l.user_detail = format!("{} · {}", role_label(self.lang, self.role), self.customer.name);
        }
        l.preview = self.preview;
        l
    }
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
    if p.role == Role::Administrator && !p.preview {
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

fn find_route(method: &Method, rest: &str) -> Option<&'static PortalRoute> {
    PORTAL_ROUTES.iter().find(|r| r.method == method.as_str() && path_matches(r.path, rest))
}

/// Loads the portal context for a request (no route checks).
pub async fn load(req: &HttpRequest) -> Result<Portal, AppError> {
    let id = Identity::load(req).await?;
    let state = req.app_data::<web::Data<AppState>>().ok_or_else(|| AppError::internal(anyhow::anyhow!("no state")))?;
    let (customer_id, role, preview) = if id.is_staff() {
        match req.get_session().get::<i64>(PREVIEW_KEY).ok().flatten() {
            Some(c) if !id.via_token => (c, Role::User, true),
            _ => {
                return Err(AppError::Forbidden(
                    "The portal is for customers' users. Staff use the admin area (or a customer preview).".into(),
                ));
            }
        }
    } else {
        let c =
            id.user.customer_id.ok_or_else(|| AppError::internal(anyhow::anyhow!("customer user without customer")))?;
        (c, id.user.role, false)
    };
    let lang = crate::web::layout::request_lang(req);
    let (customer, effective, settings) = crate::db::run(&state.pool, move |conn| {
        use diesel::prelude::*;
        let customer: CustomerRow = customers::table.find(customer_id).select(CustomerRow::as_select()).first(conn)?;
        let effective = resolve::effective(conn, customer_id)?;
        let settings = effective_app_settings(conn, customer_id)?;
        Ok((customer, effective, settings))
    })
    .await?;
    Ok(Portal(Rc::new(PortalInner {
        user: id.user.clone(),
        role,
        customer,
        effective,
        settings,
        preview,
        via_token: id.via_token,
        lang,
    })))
}

/// Checks a route's needs against a portal context.
fn query_direction(query: &str) -> Result<crate::traffic::Direction, AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let d = pairs.iter().find(|(k, _)| k == "direction" || k == "Direction").map(|(_, v)| v.as_str());
    match d.and_then(crate::traffic::Direction::parse) {
        Some(d) => Ok(d),
        None => Err(AppError::BadRequest(
            "direction is required: outgoing or incoming".into(),
            vec![crate::error::FieldError::new("direction", "outgoing or incoming")],
        )),
    }
}

fn wants_csv(query: &str, rest: &str) -> bool {
    rest.ends_with(".csv")
        || serde_urlencoded::from_str::<Vec<(String, String)>>(query)
            .unwrap_or_default()
            .iter()
            .any(|(k, v)| (k == "format" || k == "Format") && v.eq_ignore_ascii_case("csv"))
}

/// Checks a route's needs against a portal context. `query` is the request's query string
/// (some API routes take the direction from it).
pub fn check(p: &Portal, route: &PortalRoute, rest: &str, method: &Method, query: &str) -> Result<(), AppError> {
    if p.preview && method != Method::GET {
        return Err(AppError::Forbidden("The preview is read-only.".into()));
    }
    let granted = match route.need {
        Need::Open => true,
        Need::Key(k) => p.has(k),
        Need::Recording => {
            let dir = path_param(route.path, rest, "direction");
            let cdrs = match dir {
                Some("outgoing") => Some(Perm::OutgoingCdrs),
                Some("incoming") => Some(Perm::IncomingCdrs),
                _ => None,
            };
            match cdrs {
                Some(k) => p.has(Perm::ListenRecording) && p.has(k),
                None => return Err(AppError::NotFound),
            }
        }
        Need::CdrsByQuery => {
            let d = query_direction(query)?;
            p.has(d.cdrs_key())
                && (d == crate::traffic::Direction::Incoming
                    || !wants_csv(query, rest)
                    || p.has(Perm::OutgoingCdrExports))
        }
        Need::StatisticsByQuery => match query_direction(query)? {
            crate::traffic::Direction::Outgoing => p.has(Perm::OutgoingStatistics),
            crate::traffic::Direction::Incoming => p.has(Perm::IncomingStatistics),
        },
    };
    if !granted {
        return Err(AppError::Forbidden("This section is not part of your portal.".into()));
    }
    let role_ok = match route.role {
        RoleNeed::Any => true,
        RoleNeed::Administrator => p.role == Role::Administrator,
        RoleNeed::AdministratorOrDeveloper => matches!(p.role, Role::Administrator | Role::Developer),
    };
    if !role_ok {
        return Err(AppError::Forbidden("Your role does not allow this.".into()));
    }
    Ok(())
}

/// The one guard of every `/portal` route.
pub async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let rest = req.path().strip_prefix("/portal").unwrap_or("").to_string();
    let Some(route) = find_route(req.method(), &rest) else {
        // Not in the table: not reachable, whatever is registered.
        return Ok(req.error_response(AppError::NotFound).map_into_right_body());
    };
    let result = match load(req.request()).await {
        Ok(p) => check(&p, route, &rest, req.method(), req.query_string()).map(|()| p),
        Err(e) => Err(e),
    };
    match result {
        Ok(p) => {
            req.extensions_mut().insert(p);
            next.call(req).await.map(ServiceResponse::map_into_left_body)
        }
        Err(e) => Ok(req.error_response(e).map_into_right_body()),
    }
}

impl FromRequest for Portal {
    type Error = AppError;
    type Future = Ready<Result<Portal, AppError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(req.extensions().get::<Portal>().cloned().ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("portal handler reached without the portal guard: {}", req.path()))
        }))
    }
}
