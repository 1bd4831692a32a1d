//! What the profile pages draw: the permission checkboxes (the full form and the htmx
//! partial), the form page, the list rows and the conflict screen.

use askama::Template;

use crate::access::{Group, Perm};
use crate::i18n::{Lang, group_label, perm_help, perm_label};
use crate::profiles::model::RawProfile;
use crate::profiles::{Availability, Profile};
use crate::web::forms::Errors;
use crate::web::layout::Layout;

/// An availability as people read it.
pub fn availability_label(lang: Lang, a: Availability) -> String {
    lang.t(&format!("availability-{}", a.as_str()))
}

pub struct ListRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub availability: String,
    pub is_default: bool,
    pub holders: i64,
    pub permissions: usize,
    pub version: i64,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "admin/profiles.html")]
pub struct ListPage {
    pub l: Layout,
    pub rows: Vec<ListRow>,
    pub can_edit: bool,
    pub total_keys: usize,
    pub page: i64,
    pub pages: i64,
}

pub struct PermView {
    pub key: &'static str,
    pub label: String,
    pub help: String,
    pub parent: &'static str,
    pub checked: bool,
    pub disabled: bool,
    pub depth: usize,
}

pub struct GroupView {
    pub slug: &'static str,
    pub label: String,
    pub perms: Vec<PermView>,
}

/// The permission checkboxes, shared by the full form and the htmx partial.
pub struct PermissionsView {
    pub profile_id: Option<i64>,
    pub version: i64,
    pub groups: Vec<GroupView>,
    pub read_only: bool,
    /// In-place saving with htmx (existing profile, admin).
    pub live: bool,
    pub notice: Option<String>,
    pub csrf: String,
}

impl PermissionsView {
    pub fn build(
        lang: Lang,
        (profile_id, version): (Option<i64>, i64),
        selected: &[Perm],
        read_only: bool,
        csrf: String,
    ) -> PermissionsView {
        let view = |p: Perm| {
            let mut depth = 0;
            let mut cur = p.parent();
            let mut parent_on = true;
            while let Some(x) = cur {
                depth += 1;
                parent_on &= selected.contains(&x);
                cur = x.parent();
            }
            PermView {
                key: p.key(),
                label: perm_label(lang, p),
                help: perm_help(lang, p),
                parent: p.parent().map(Perm::key).unwrap_or(""),
                checked: selected.contains(&p) && parent_on,
                disabled: read_only || !parent_on,
                depth: depth.min(2),
            }
        };
        let groups = Group::ALL
            .iter()
            .map(|g| GroupView { slug: g.slug(), label: group_label(lang, *g), perms: g.perms().map(view).collect() })
            .collect();
        let live = profile_id.is_some() && !read_only;
        PermissionsView { profile_id, version, groups, read_only, live, notice: None, csrf }
    }

    pub fn toggle_url(&self) -> String {
        self.profile_id.map(|id| format!("/admin/profiles/{id}/toggle")).unwrap_or_default()
    }

    pub fn hx_vals(&self, key: &str) -> String {
        serde_json::json!({ "toggle": key }).to_string()
    }
    pub fn hx_group(&self, slug: &str, on: bool) -> String {
        serde_json::json!({ "group": slug, "on": if on { "1" } else { "0" } }).to_string()
    }
}

#[derive(Template)]
#[template(path = "admin/profile_permissions_partial.html")]
pub struct PermissionsPartial {
    pub pp: PermissionsView,
    pub tr: Lang,
}

pub struct ConflictRow {
    pub field: String,
    pub saved: String,
    pub yours: String,
}

#[derive(Template)]
#[template(path = "admin/profile_form.html")]
pub struct FormPage {
    pub l: Layout,
    pub id: Option<i64>,
    pub action: String,
    /// The values the form shows.
    pub f: RawProfile,
    pub errors: Errors,
    pub customers: Vec<(i64, String)>,
    pub groups: Vec<String>,
    pub read_only: bool,
    pub conflict: Vec<ConflictRow>,
    pub saved_version: i64,
    pub holders: i64,
    pub pp: PermissionsView,
}

impl FormPage {
    pub fn availabilities(&self) -> [(&'static str, String); 4] {
        Availability::ALL.map(|a| (a.as_str(), availability_label(self.l.lang, a)))
    }
    pub fn group_checked(&self, g: &str) -> bool {
        self.f.customer_groups.iter().any(|x| x == g)
    }
    pub fn is_customer(&self, id: &i64) -> bool {
        self.f.customer_id.as_deref().and_then(|c| c.trim().parse().ok()) == Some(*id)
    }
}

/// What differs between the saved profile and the values someone sent with a stale version.
pub fn conflict_rows(lang: Lang, saved: &Profile, yours: &RawProfile) -> Vec<ConflictRow> {
    let mut rows = Vec::new();
    let saved_raw = RawProfile::from(&saved.input());
    let mut push = |field: &str, a: String, b: String| {
        if a != b {
            rows.push(ConflictRow { field: lang.t(field), saved: a, yours: b });
        }
    };
    let yes_no = |b: bool| lang.t(if b { "common-yes" } else { "common-no" });
    push("profile-field-name", saved_raw.name.clone(), yours.name.trim().to_string());
    push("profile-field-description", saved_raw.description.clone(), yours.description.trim().to_string());
    push("profile-field-availability", saved_raw.availability.clone(), yours.availability.clone());
    push(
        "profile-field-customer",
        saved_raw.customer_id.clone().unwrap_or_default(),
        yours.customer_id.clone().unwrap_or_default(),
    );
    push("profile-field-groups", saved_raw.customer_groups.join(", "), yours.customer_groups.join(", "));
    push("profile-field-default", yes_no(saved_raw.is_default), yes_no(yours.is_default));
    let theirs: Vec<&str> = saved.permissions.iter().map(|p| p.key()).collect();
    let added: Vec<&str> = yours.permissions.iter().map(String::as_str).filter(|k| !theirs.contains(k)).collect();
    let removed: Vec<&str> = theirs.iter().copied().filter(|k| !yours.permissions.iter().any(|y| y == k)).collect();
    if !added.is_empty() || !removed.is_empty() {
        let keys = |id: &str, k: &[&str]| if k.is_empty() { "—".into() } else { lang.t1(id, "keys", k.join(", ")) };
        rows.push(ConflictRow {
            field: lang.t("profile-field-permissions"),
            saved: keys("profile-conflict-has", &removed),
            yours: keys("profile-conflict-adds", &added),
        });
    }
    rows
}
