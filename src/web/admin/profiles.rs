//! Access profiles in the admin area: list, create, edit (plain form post or in-place htmx
//! toggles), clone, delete, each through a command of `crate::profiles::commands`. Conflicting
//! edits are refused and shown, never overwritten.

mod views;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::access::caps::Cap;
use crate::access::{Grants, Perm};
use crate::customers::groups::CustomerGroup;
use crate::db::paging::Window;
use crate::error::{AppError, AppResult};
use crate::profiles::Profile;
use crate::profiles::commands::{self as profiles, Toggle};
use crate::profiles::model::{RawProfile, UpdateError};
use crate::web::account::{field_errors, fmt_time};
use crate::web::forms::{Errors, Pairs};
use crate::web::html;
use crate::web::layout::push_flash;
use crate::web::page::Page;
use crate::web::see_other;
pub use views::{FormPage, ListPage, PermissionsPartial, PermissionsView, availability_label};
use views::{ListRow, conflict_rows};

/// Profiles per page of the list.
const PER_PAGE: i64 = 100;

#[derive(Deserialize)]
pub struct ListQuery {
    pub page: Option<i64>,
}

pub async fn list_get(pg: Page, q: web::Query<ListQuery>) -> AppResult<HttpResponse> {
    let page = q.page.unwrap_or(1).max(1);
    let w = Window::new((page - 1).saturating_mul(PER_PAGE), PER_PAGE);
    let found = crate::db::run(&pg.state.pool, move |c| Profile::page_with_holders(c, w)).await?;
    let s = &pg.ctx;
    let (lang, tz) = (s.lang, s.user.time_zone.as_str());
    let rows = found
        .rows
        .into_iter()
        .map(|(p, holders)| ListRow {
            id: p.id,
            description: p.description.chars().take(140).collect(),
            availability: availability_label(lang, p.availability),
            is_default: p.is_default,
            holders,
            permissions: Grants::effective(&p.permissions).iter().count(),
            version: p.version,
            updated: fmt_time(lang, p.updated_at, tz),
            name: p.fields.name,
        })
        .collect();
    let pages = (found.total.unwrap_or(0) + PER_PAGE - 1) / PER_PAGE;
    let page = ListPage {
        l: super::layout(&pg.req, s, "profiles-title"),
        rows,
        can_edit: s.can(Cap::Administer),
        total_keys: Perm::ALL.len(),
        page,
        pages,
    };
    Ok(html(StatusCode::OK, page.render()))
}

/// The fields a form shows: the profile's id and the version they were read at (none and 0
/// for a new profile), and the values.
struct Draft<'a> {
    id: Option<i64>,
    version: i64,
    raw: &'a RawProfile,
}

/// The form page with its pickers and, for an existing profile, its holder count.
async fn form_page(pg: &Page, title: &str, d: Draft<'_>, read_only: bool) -> AppResult<FormPage> {
    let id = d.id;
    let (customers, groups, holders) = crate::db::run(&pg.state.pool, move |c| {
        let customers = crate::customers::model::all_names(c)?;
        let groups = CustomerGroup::list(c)?.into_iter().map(|(g, _)| g.name).collect();
        Ok((customers, groups, id.map(|id| Profile::holders(c, id)).transpose()?.unwrap_or(0)))
    })
    .await?;
    let l = super::layout_titled(&pg.req, &pg.ctx, title);
    let selected: Vec<Perm> = d.raw.permissions.iter().filter_map(|k| Perm::from_key(k)).collect();
    let pp = PermissionsView::build(l.lang, (id, d.version), &selected, read_only, l.csrf.clone());
    Ok(FormPage {
        id,
        action: id.map(|i| format!("/admin/profiles/{i}")).unwrap_or_else(|| "/admin/profiles".into()),
        f: d.raw.clone(),
        errors: Errors::default(),
        customers,
        groups,
        read_only,
        conflict: Vec::new(),
        saved_version: d.version,
        holders,
        pp,
        l,
    })
}

pub async fn new_get(pg: Page) -> AppResult<HttpResponse> {
    let raw = RawProfile { availability: "all".into(), ..Default::default() };
    new_form(&pg, "profile-new-title", &raw).await
}

/// The form of a new profile with these values.
async fn new_form(pg: &Page, title_id: &str, raw: &RawProfile) -> AppResult<HttpResponse> {
    let page = form_page(pg, &pg.ctx.lang.t(title_id), Draft { id: None, version: 0, raw }, false).await?;
    Ok(html(StatusCode::OK, page.render()))
}

pub async fn clone_get(pg: Page, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let source = crate::db::run(&pg.state.pool, move |c| Profile::get(c, id)).await?;
    let raw = profiles::copy_draft(&source, &pg.ctx.lang.t1("profile-copy-of", "name", &source.name));
    new_form(&pg, "profile-clone-title", &raw).await
}

pub async fn edit_get(pg: Page, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let p = crate::db::run(&pg.state.pool, move |c| Profile::get(c, id)).await?;
    let title = pg.ctx.lang.t1("profile-edit-title", "name", &p.name);
    let raw = RawProfile::from(&p.input());
    let d = Draft { id: Some(id), version: p.version, raw: &raw };
    let page = form_page(&pg, &title, d, !pg.ctx.can(Cap::Administer)).await?;
    Ok(html(StatusCode::OK, page.render()))
}

/// The form fields of a post, and the version the form was read at.
fn read_form(body: &[u8]) -> AppResult<(RawProfile, i64)> {
    let p = Pairs::parse(body)?;
    let version = p
        .get("version")
        .map(|v| v.trim().parse::<i64>())
        .transpose()
        .map_err(|_| AppError::bad_request("version must be a whole number"))?
        .unwrap_or(0);
    let raw = RawProfile {
        name: p.text("name"),
        description: p.text("description"),
        availability: p.get("availability").unwrap_or("all").to_string(),
        customer_id: p.get("customer_id").map(str::to_string),
        customer_groups: p.all("customer_groups"),
        is_default: p.flag("is_default"),
        permissions: p.all("permissions"),
    };
    Ok((raw, version))
}

/// The form again with the person's values and the reasons it was refused.
async fn refused(pg: &Page, title: &str, d: Draft<'_>, e: &AppError) -> AppResult<HttpResponse> {
    let mut page = form_page(pg, title, d, false).await?;
    page.errors = field_errors(e);
    Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page.render()))
}

pub async fn create_post(pg: Page, body: web::Bytes) -> AppResult<HttpResponse> {
    let (raw, _) = read_form(&body)?;
    let (actor, sent) = (pg.ctx.actor(), raw.clone());
    match crate::db::run(&pg.state.pool, move |c| profiles::create(c, &actor, &sent)).await {
        Ok(p) => {
            push_flash(&pg.session(), "success", pg.ctx.lang.t1("profile-created", "name", &p.name));
            Ok(see_other(&format!("/admin/profiles/{}", p.id)))
        }
        Err(e @ AppError::Unprocessable(..)) => {
            let title = pg.ctx.lang.t("profile-new-title");
            refused(&pg, &title, Draft { id: None, version: 0, raw: &raw }, &e).await
        }
        Err(e) => Err(e),
    }
}

pub async fn update_post(pg: Page, path: web::Path<i64>, body: web::Bytes) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (raw, version) = read_form(&body)?;
    let (actor, sent) = (pg.ctx.actor(), raw.clone());
    let title = pg.ctx.lang.t1("profile-edit-title", "name", &raw.name);
    match crate::db::run(&pg.state.pool, move |c| Ok(profiles::update(c, &actor, id, version, &sent))).await? {
        Ok(p) => {
            push_flash(&pg.session(), "success", pg.ctx.lang.t1("profile-saved", "version", p.version));
            Ok(see_other(&format!("/admin/profiles/{id}")))
        }
        Err(UpdateError::Stale(saved)) => {
            // Someone saved first: show what differs, keep the person's values, offer the
            // current version so that saving again is a deliberate choice.
            let mut page =
                form_page(&pg, &title, Draft { id: Some(id), version: saved.version, raw: &raw }, false).await?;
            page.conflict = conflict_rows(pg.ctx.lang, &saved, &raw);
            page.pp.live = false;
            Ok(html(StatusCode::CONFLICT, page.render()))
        }
        Err(UpdateError::Other(e @ AppError::Unprocessable(..))) => {
            refused(&pg, &title, Draft { id: Some(id), version, raw: &raw }, &e).await
        }
        Err(UpdateError::Other(e)) => Err(e),
    }
}

/// htmx: one checkbox (or one group's all/none) saved in place. Answers the re-drawn
/// checkboxes with the new version; a stale version gets the current state and a notice (409).
pub async fn toggle_post(pg: Page, path: web::Path<i64>, body: web::Bytes) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let p = Pairs::parse(&body)?;
    let version: i64 = p
        .get("version")
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| AppError::bad_request("version is missing"))?;
    let toggle = match (p.get("toggle"), p.get("group")) {
        // The box's new state is whether the form still carries it.
        (Some(key), _) => Toggle::key(key, p.all("permissions").iter().any(|k| k == key))?,
        (None, Some(slug)) => Toggle::group(slug, p.flag("on"))?,
        (None, None) => return Err(AppError::bad_request("nothing to change: send toggle or group")),
    };
    let (actor, lang) = (pg.ctx.actor(), pg.ctx.lang);
    let (status, profile, notice) =
        match crate::db::run(&pg.state.pool, move |c| Ok(profiles::toggle(c, &actor, id, version, toggle))).await? {
            Ok(p) => (StatusCode::OK, p, None),
            Err(UpdateError::Stale(p)) => {
                let notice = lang.t1("profile-toggle-conflict", "version", p.version);
                (StatusCode::CONFLICT, *p, Some(notice))
            }
            Err(UpdateError::Other(e)) => return Err(e),
        };
    let csrf = crate::http::csrf::token(&pg.session());
    let mut pp = PermissionsView::build(lang, (Some(id), profile.version), &profile.permissions, false, csrf);
    pp.notice = notice;
    Ok(html(status, PermissionsPartial { pp, tr: lang }.render()))
}

/// Deletes a profile; one that customers hold is refused (409) with their number.
pub async fn delete_post(pg: Page, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let (id, actor) = (path.into_inner(), pg.ctx.actor());
    let p = crate::db::run(&pg.state.pool, move |c| profiles::delete(c, &actor, id)).await?;
    push_flash(&pg.session(), "success", pg.ctx.lang.t1("profile-deleted", "name", &p.name));
    Ok(see_other("/admin/profiles"))
}
