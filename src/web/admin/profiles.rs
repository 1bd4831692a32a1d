//! Access profiles in the admin area: list, create, edit (plain form post or in-place htmx
//! toggles), clone, delete. Conflicting edits are refused and shown, never overwritten.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::AppState;
use crate::access::{Group, Perm};
use crate::audit::{self, Actor};
use crate::customers::groups::CustomerGroup;
use crate::error::{AppError, AppResult};
use crate::http::Ctx;
use crate::i18n::{Lang, group_label, perm_help, perm_label};
use crate::profiles::model::{RawProfile, UpdateError, validate};
use crate::profiles::{Availability, Profile, ProfileInput};
use crate::web::forms::{Errors, Pairs};
use crate::web::html;
use crate::web::layout::{Layout, push_flash, request_lang};
use crate::web::{client_ip, see_other};

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
}

pub async fn list_get(req: HttpRequest, state: web::Data<AppState>, s: Ctx) -> AppResult<HttpResponse> {
    let tz = s.user.time_zone.clone();
    let lang = request_lang(&req);
    let rows = crate::db::run(&state.pool, |c| {
        let list = Profile::list_with_holders(c)?;
        let mut out = Vec::new();
        for (row, holders) in list {
            let p = Profile::get(c, row.id)?;
            out.push((p, holders));
        }
        Ok(out)
    })
    .await?;
    let page = ListPage {
        l: super::layout(&req, &s, "profiles-title"),
        rows: rows
            .into_iter()
            .map(|(p, holders)| ListRow {
                id: p.id,
                description: p.description.chars().take(140).collect(),
                availability: availability_label(lang, p.availability),
                is_default: p.is_default,
                holders,
                permissions: crate::access::Grants::effective(&p.permissions).iter().count(),
                version: p.version,
                updated: crate::web::account::fmt_time(lang, p.updated_at, &tz),
                name: p.name,
            })
            .collect(),
        can_edit: s.can(crate::access::caps::Cap::Administer),
        total_keys: Perm::ALL.len(),
    };
    Ok(html(StatusCode::OK, page.render()))
}

/// An availability as people read it.
pub fn availability_label(lang: Lang, a: Availability) -> String {
    lang.t(&format!("availability-{}", a.as_str()))
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
        profile_id: Option<i64>,
        version: i64,
        selected: &[Perm],
        read_only: bool,
        csrf: String,
    ) -> PermissionsView {
        let groups = Group::ALL
            .iter()
            .map(|g| GroupView {
                slug: g.slug(),
                label: group_label(lang, *g),
                perms: g
                    .perms()
                    .map(|p| {
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
                    })
                    .collect(),
            })
            .collect();
        PermissionsView {
            profile_id,
            version,
            groups,
            read_only,
            live: profile_id.is_some() && !read_only,
            notice: None,
            csrf,
        }
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
    pub name: String,
    pub description: String,
    pub availability: String,
    pub customer_id: Option<i64>,
    pub customer_groups: Vec<String>,
    pub is_default: bool,
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
        self.customer_groups.iter().any(|x| x == g)
    }
    pub fn is_customer(&self, id: &i64) -> bool {
        self.customer_id == Some(*id)
    }
}

struct FormData {
    raw: RawProfile,
    version: i64,
}

fn read_form(body: &[u8]) -> AppResult<FormData> {
    let p = Pairs::parse(body)?;
    let version = p
        .get("version")
        .map(|v| v.trim().parse::<i64>())
        .transpose()
        .map_err(|_| AppError::bad_request("version must be a whole number"))?
        .unwrap_or(0);
    Ok(FormData {
        raw: RawProfile {
            name: p.text("name"),
            description: p.text("description"),
            availability: p.get("availability").unwrap_or("all").to_string(),
            customer_id: p.get("customer_id").map(str::to_string),
            customer_groups: p.all("customer_groups"),
            is_default: p.flag("is_default"),
            permissions: p.all("permissions"),
        },
        version,
    })
}

async fn pickers(state: &AppState) -> AppResult<(Vec<(i64, String)>, Vec<String>)> {
    crate::db::run(&state.pool, |c| {
        let customers = crate::customers::model::all_names(c)?;
        let groups = CustomerGroup::list(c)?.into_iter().map(|(g, _)| g.name).collect();
        Ok((customers, groups))
    })
    .await
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    l: Layout,
    id: Option<i64>,
    raw: &RawProfile,
    selected: &[Perm],
    version: i64,
    read_only: bool,
    pick: (Vec<(i64, String)>, Vec<String>),
    holders: i64,
) -> FormPage {
    let csrf = l.csrf.clone();
    let lang = l.lang;
    FormPage {
        id,
        action: id.map(|i| format!("/admin/profiles/{i}")).unwrap_or_else(|| "/admin/profiles".into()),
        name: raw.name.clone(),
        description: raw.description.clone(),
        availability: raw.availability.clone(),
        customer_id: raw.customer_id.as_deref().and_then(|c| c.trim().parse().ok()),
        customer_groups: raw.customer_groups.clone(),
        is_default: raw.is_default,
        errors: Errors::default(),
        customers: pick.0,
        groups: pick.1,
        read_only,
        conflict: Vec::new(),
        saved_version: version,
        holders,
        pp: PermissionsView::build(lang, id, version, selected, read_only, csrf),
        l,
    }
}

fn raw_of(p: &ProfileInput) -> RawProfile {
    RawProfile {
        name: p.name.clone(),
        description: p.description.clone(),
        availability: p.availability.as_str().into(),
        customer_id: p.customer_id.map(|c| c.to_string()),
        customer_groups: p.customer_groups.clone(),
        is_default: p.is_default,
        permissions: p.permissions.iter().map(|k| k.key().to_string()).collect(),
    }
}

fn selected_of(raw: &RawProfile) -> Vec<Perm> {
    raw.permissions.iter().filter_map(|k| Perm::from_key(k)).collect()
}

pub async fn new_get(req: HttpRequest, state: web::Data<AppState>, s: Ctx) -> AppResult<HttpResponse> {
    let pick = pickers(&state).await?;
    let raw = RawProfile { availability: "all".into(), ..Default::default() };
    let page = form_page(super::layout(&req, &s, "profile-new-title"), None, &raw, &[], 0, false, pick, 0);
    Ok(html(StatusCode::OK, page.render()))
}

pub async fn clone_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let source = crate::db::run(&state.pool, move |c| Profile::get(c, id)).await?;
    let pick = pickers(&state).await?;
    let mut raw = raw_of(&source.input());
    raw.name = request_lang(&req).t1("profile-copy-of", "name", &source.name).chars().take(200).collect();
    raw.is_default = false;
    let page =
        form_page(super::layout(&req, &s, "profile-clone-title"), None, &raw, &source.permissions, 0, false, pick, 0);
    Ok(html(StatusCode::OK, page.render()))
}

fn errors_of(e: Vec<crate::error::FieldError>) -> Errors {
    let mut out = Errors::default();
    for f in e {
        let field = match f.field.as_str() {
            "customerId" => "customer_id".to_string(),
            "customerGroups" => "customer_groups".to_string(),
            other => other.to_string(),
        };
        out.add(&field, f.message);
    }
    out
}

pub async fn create_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let form = read_form(&body)?;
    let invalid = |errors: Errors| async {
        let pick = pickers(&state).await?;
        let mut page = form_page(
            super::layout(&req, &s, "profile-new-title"),
            None,
            &form.raw,
            &selected_of(&form.raw),
            0,
            false,
            pick,
            0,
        );
        page.errors = errors;
        Ok::<_, AppError>(html(StatusCode::UNPROCESSABLE_ENTITY, page.render()))
    };
    let input = match validate(&form.raw) {
        Ok(i) => i,
        Err(e) => return invalid(errors_of(e)).await,
    };
    let actor = s.actor();
    let ip = client_ip(&req);
    let result = crate::db::run_tx(&state.pool, move |c| {
        let p = Profile::create(c, &input)?;
        audit::record(
            c,
            &actor,
            "profile.create",
            "access_profile",
            Some(p.id.to_string()),
            audit::diff(None, Some(&p.to_json())),
        )?;
        Ok(p)
    })
    .await;
    match result {
        Ok(p) => {
            push_flash(&session, "success", request_lang(&req).t1("profile-created", "name", &p.name));
            Ok(see_other(&format!("/admin/profiles/{}", p.id)))
        }
        Err(e @ AppError::Unprocessable(..)) => invalid(Errors::from_error(&e)).await,
        Err(e) => Err(e),
    }
}

pub async fn edit_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (p, holders) =
        crate::db::run(&state.pool, move |c| Ok((Profile::get(c, id)?, Profile::holders(c, id)?))).await?;
    let pick = pickers(&state).await?;
    let title = request_lang(&req).t1("profile-edit-title", "name", &p.name);
    let page = form_page(
        super::layout_titled(&req, &s, &title),
        Some(id),
        &raw_of(&p.input()),
        &p.permissions,
        p.version,
        !s.can(crate::access::caps::Cap::Administer),
        pick,
        holders,
    );
    Ok(html(StatusCode::OK, page.render()))
}

fn conflict_rows(lang: Lang, saved: &Profile, yours: &RawProfile) -> Vec<ConflictRow> {
    let mut rows = Vec::new();
    let saved_raw = raw_of(&saved.input());
    let mut push = |field: &str, a: String, b: String| {
        if a != b {
            rows.push(ConflictRow { field: field.into(), saved: a, yours: b });
        }
    };
    let yes_no = |b: bool| lang.t(if b { "common-yes" } else { "common-no" });
    push(&lang.t("profile-field-name"), saved_raw.name.clone(), yours.name.trim().to_string());
    push(&lang.t("profile-field-description"), saved_raw.description.clone(), yours.description.trim().to_string());
    push(&lang.t("profile-field-availability"), saved_raw.availability.clone(), yours.availability.clone());
    push(
        &lang.t("profile-field-customer"),
        saved_raw.customer_id.clone().unwrap_or_default(),
        yours.customer_id.clone().unwrap_or_default(),
    );
    push(&lang.t("profile-field-groups"), saved_raw.customer_groups.join(", "), yours.customer_groups.join(", "));
    push(&lang.t("profile-field-default"), yes_no(saved_raw.is_default), yes_no(yours.is_default));
    let theirs: Vec<&str> = saved.permissions.iter().map(|p| p.key()).collect();
    let added: Vec<&str> = yours.permissions.iter().map(String::as_str).filter(|k| !theirs.contains(k)).collect();
    let removed: Vec<&str> = theirs.iter().copied().filter(|k| !yours.permissions.iter().any(|y| y == k)).collect();
    if !added.is_empty() || !removed.is_empty() {
        rows.push(ConflictRow {
            field: lang.t("profile-field-permissions"),
            saved: if removed.is_empty() {
                "—".into()
            } else {
                lang.t1("profile-conflict-has", "keys", removed.join(", "))
            },
            yours: if added.is_empty() {
                "—".into()
            } else {
                lang.t1("profile-conflict-adds", "keys", added.join(", "))
            },
        });
    }
    rows
}

pub async fn update_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = read_form(&body)?;
    let lang = request_lang(&req);
    let title = lang.t1("profile-edit-title", "name", &form.raw.name);
    let input = match validate(&form.raw) {
        Ok(i) => i,
        Err(e) => {
            let pick = pickers(&state).await?;
            let holders = crate::db::run(&state.pool, move |c| Profile::holders(c, id)).await?;
            let mut page = form_page(
                super::layout_titled(&req, &s, &title),
                Some(id),
                &form.raw,
                &selected_of(&form.raw),
                form.version,
                false,
                pick,
                holders,
            );
            page.errors = errors_of(e);
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page.render()));
        }
    };
    let actor = s.actor();
    let ip = client_ip(&req);
    let version = form.version;
    let result = crate::db::run_tx(&state.pool, move |c| {
        let before = Profile::get(c, id)?;
        save_audited(c, &before, version, &input, &actor, ip.as_deref())
    })
    .await;
    match result {
        Ok(Ok(p)) => {
            push_flash(&session, "success", lang.t1("profile-saved", "version", p.version));
            Ok(see_other(&format!("/admin/profiles/{id}")))
        }
        Ok(Err(saved)) => {
            // Someone saved first: show what differs, keep the person's values, offer the
            // current version so that saving again is a deliberate choice.
            let pick = pickers(&state).await?;
            let holders = crate::db::run(&state.pool, move |c| Profile::holders(c, id)).await?;
            let mut page = form_page(
                super::layout_titled(&req, &s, &title),
                Some(id),
                &form.raw,
                &selected_of(&form.raw),
                saved.version,
                false,
                pick,
                holders,
            );
            page.conflict = conflict_rows(lang, &saved, &form.raw);
            page.pp.live = false;
            Ok(html(StatusCode::CONFLICT, page.render()))
        }
        Err(e @ AppError::Unprocessable(..)) => {
            let pick = pickers(&state).await?;
            let holders = crate::db::run(&state.pool, move |c| Profile::holders(c, id)).await?;
            let mut page = form_page(
                super::layout_titled(&req, &s, &title),
                Some(id),
                &form.raw,
                &selected_of(&form.raw),
                form.version,
                false,
                pick,
                holders,
            );
            page.errors = Errors::from_error(&e);
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page.render()))
        }
        Err(e) => Err(e),
    }
}

/// htmx: one checkbox (or one group's all/none) saved in place. Answers the re-drawn
/// checkboxes with the new version; a stale version gets the current state and a notice (409).
pub async fn toggle_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let p = Pairs::parse(&body)?;
    let version: i64 = p
        .get("version")
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| AppError::bad_request("version is missing"))?;
    let submitted: Vec<String> = p.all("permissions");
    let change: Vec<(Perm, bool)> = if let Some(key) = p.get("toggle") {
        let perm = Perm::from_key(key)
            .ok_or_else(|| AppError::field("permissions", format!("Unknown permission key: {key}.")))?;
        vec![(perm, submitted.iter().any(|k| k == key))]
    } else if let Some(slug) = p.get("group") {
        let g =
            Group::ALL.into_iter().find(|g| g.slug() == slug).ok_or_else(|| AppError::bad_request("unknown group"))?;
        let on = p.flag("on");
        g.perms().map(|perm| (perm, on)).collect()
    } else {
        return Err(AppError::bad_request("nothing to change: send toggle or group"));
    };
    let actor = s.actor();
    let ip = client_ip(&req);
    let result = crate::db::run_tx(&state.pool, move |c| {
        let before = Profile::get(c, id)?;
        if before.version != version {
            return Ok(Err(before));
        }
        let mut input = before.input();
        for (perm, on) in &change {
            if *on {
                if !input.permissions.contains(perm) {
                    input.permissions.push(*perm);
                }
            } else {
                // Unticking a parent unticks everything below it.
                input.permissions.retain(|x| x != perm && !descends_from(*x, *perm));
            }
        }
        input.permissions.sort_by_key(|x| Perm::ALL.iter().position(|y| y == x));
        save_audited(c, &before, version, &input, &actor, ip.as_deref())
    })
    .await?;
    let csrf = crate::http::csrf::token(&actix_session::SessionExt::get_session(&req));
    let lang = request_lang(&req);
    let (status, profile, notice) = match result {
        Ok(p) => (StatusCode::OK, p, None),
        Err(p) => {
            let notice = lang.t1("profile-toggle-conflict", "version", p.version);
            (StatusCode::CONFLICT, p, Some(notice))
        }
    };
    let mut pp = PermissionsView::build(lang, Some(id), profile.version, &profile.permissions, false, csrf);
    pp.notice = notice;
    Ok(html(status, PermissionsPartial { pp, tr: lang }.render()))
}

/// Saves a profile and its audit row (call inside a transaction); `Err(saved)` carries the
/// stored profile when `version` was stale.
fn save_audited(
    c: &mut crate::db::DbConnection,
    before: &Profile,
    version: i64,
    input: &ProfileInput,
    actor: &Actor,
    ip: Option<&str>,
) -> AppResult<Result<Profile, Profile>> {
    match Profile::update(c, before.id, version, input) {
        Ok(after) => {
            let diff = audit::diff(Some(&before.to_json()), Some(&after.to_json()));
            audit::record(c, actor, "profile.update", "access_profile", Some(before.id.to_string()), diff)?;
            Ok(Ok(after))
        }
        Err(UpdateError::Stale(now)) => Ok(Err(*now)),
        Err(UpdateError::Other(e)) => Err(e),
    }
}

fn descends_from(p: Perm, ancestor: Perm) -> bool {
    let mut cur = p.parent();
    while let Some(x) = cur {
        if x == ancestor {
            return true;
        }
        cur = x.parent();
    }
    false
}

pub async fn delete_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let actor = s.actor();
    let ip = client_ip(&req);
    let result = crate::db::run_tx(&state.pool, move |c| {
        let p = Profile::delete(c, id)?;
        audit::record(
            c,
            &actor,
            "profile.delete",
            "access_profile",
            Some(id.to_string()),
            audit::diff(Some(&p.to_json()), None),
        )?;
        Ok(p)
    })
    .await;
    match result {
        Ok(p) => {
            push_flash(&session, "success", request_lang(&req).t1("profile-deleted", "name", &p.name));
            Ok(see_other("/admin/profiles"))
        }
        Err(e) => Err(e),
    }
}
