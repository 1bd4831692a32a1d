//! Customer groups and tags.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::AppState;
use crate::audit::{self, Actor};
use crate::auth::Staff;
use crate::customers::groups::{CustomerGroup, TAG_COLORS, Tag};
use crate::error::{AppError, AppResult};
use crate::web::forms::{Errors, Pairs};
use crate::web::layout::{Layout, push_flash};
use crate::web::routes::html;
use crate::web::{client_ip, see_other};

#[derive(Template)]
#[template(path = "admin/groups.html")]
pub struct GroupsPage {
    pub l: Layout,
    pub groups: Vec<(CustomerGroup, i64)>,
    pub errors: Errors,
}

async fn groups_page(req: &HttpRequest, state: &AppState, s: &Staff, errors: Errors) -> AppResult<GroupsPage> {
    let groups = crate::db::run(&state.pool, CustomerGroup::list).await?;
    Ok(GroupsPage { l: super::layout(req, s, "groups-title"), groups, errors })
}

pub async fn groups_get(req: HttpRequest, state: web::Data<AppState>, s: Staff) -> AppResult<HttpResponse> {
    Ok(html(StatusCode::OK, groups_page(&req, &state, &s, Errors::default()).await?.render()))
}

async fn group_result(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Staff,
    r: AppResult<String>,
) -> AppResult<HttpResponse> {
    match r {
        Ok(msg) => {
            push_flash(&session, "success", msg);
            Ok(see_other("/admin/groups"))
        }
        Err(e @ (AppError::Unprocessable(..) | AppError::Conflict(..))) => {
            let status = if matches!(e, AppError::Conflict(..)) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            Ok(html(status, groups_page(&req, &state, &s, Errors::from_error(&e)).await?.render()))
        }
        Err(e) => Err(e),
    }
}

pub async fn group_create_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Staff,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let name = Pairs::parse(&body)?.text("name");
    let (actor, ip, lang) = (Actor::user(&s.0.user), client_ip(&req), crate::web::layout::request_lang(&req));
    let r = crate::db::run_tx(&state.pool, move |c| {
        let g = CustomerGroup::create(c, &name)?;
        audit::record(
            c,
            &actor,
            "group.create",
            "customer_group",
            Some(g.id.to_string()),
            Some(serde_json::json!({"name": {"after": g.name}})),
            ip.as_deref(),
        )?;
        Ok(lang.t1("groups-created", "name", &g.name))
    })
    .await;
    group_result(req, state, session, s, r).await
}

pub async fn group_rename_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Staff,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let name = Pairs::parse(&body)?.text("name");
    let (actor, ip, lang) = (Actor::user(&s.0.user), client_ip(&req), crate::web::layout::request_lang(&req));
    let r = crate::db::run_tx(&state.pool, move |c| {
        let before = CustomerGroup::get(c, id)?;
        let g = CustomerGroup::rename(c, id, &name)?;
        audit::record(
            c,
            &actor,
            "group.update",
            "customer_group",
            Some(id.to_string()),
            Some(serde_json::json!({"name": {"before": before.name, "after": g.name}})),
            ip.as_deref(),
        )?;
        Ok(lang.t("groups-renamed"))
    })
    .await;
    group_result(req, state, session, s, r).await
}

pub async fn group_delete_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Staff,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (actor, ip, lang) = (Actor::user(&s.0.user), client_ip(&req), crate::web::layout::request_lang(&req));
    let r = crate::db::run_tx(&state.pool, move |c| {
        let g = CustomerGroup::delete(c, id)?;
        audit::record(
            c,
            &actor,
            "group.delete",
            "customer_group",
            Some(id.to_string()),
            Some(serde_json::json!({"name": {"before": g.name}})),
            ip.as_deref(),
        )?;
        Ok(lang.t1("groups-deleted", "name", &g.name))
    })
    .await;
    group_result(req, state, session, s, r).await
}

#[derive(Template)]
#[template(path = "admin/tags.html")]
pub struct TagsPage {
    pub l: Layout,
    pub tags: Vec<(Tag, i64)>,
    pub errors: Errors,
}

impl TagsPage {
    pub fn colors(&self) -> [&'static str; 11] {
        TAG_COLORS
    }
    /// A colour's name in the page's language (the value stays the English key).
    pub fn color_name(&self, c: &str) -> String {
        self.l.t(&format!("color-{c}"))
    }
}

async fn tags_page(req: &HttpRequest, state: &AppState, s: &Staff, errors: Errors) -> AppResult<TagsPage> {
    let tags = crate::db::run(&state.pool, Tag::list).await?;
    Ok(TagsPage { l: super::layout(req, s, "tags-title"), tags, errors })
}

pub async fn tags_get(req: HttpRequest, state: web::Data<AppState>, s: Staff) -> AppResult<HttpResponse> {
    Ok(html(StatusCode::OK, tags_page(&req, &state, &s, Errors::default()).await?.render()))
}

async fn tag_result(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Staff,
    r: AppResult<String>,
) -> AppResult<HttpResponse> {
    match r {
        Ok(msg) => {
            push_flash(&session, "success", msg);
            Ok(see_other("/admin/tags"))
        }
        Err(e @ AppError::Unprocessable(..)) => Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            tags_page(&req, &state, &s, Errors::from_error(&e)).await?.render(),
        )),
        Err(e) => Err(e),
    }
}

pub async fn tag_create_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Staff,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let p = Pairs::parse(&body)?;
    let (name, color) = (p.text("name"), p.text("color"));
    let (actor, ip, lang) = (Actor::user(&s.0.user), client_ip(&req), crate::web::layout::request_lang(&req));
    let r = crate::db::run_tx(&state.pool, move |c| {
        let t = Tag::create(c, &name, &color)?;
        audit::record(
            c,
            &actor,
            "tag.create",
            "tag",
            Some(t.id.to_string()),
            audit::diff(None, Some(&serde_json::to_value(&t).unwrap_or_default())),
            ip.as_deref(),
        )?;
        Ok(lang.t1("tags-created", "name", &t.name))
    })
    .await;
    tag_result(req, state, session, s, r).await
}

pub async fn tag_update_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Staff,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let p = Pairs::parse(&body)?;
    let (name, color) = (p.text("name"), p.text("color"));
    let (actor, ip, lang) = (Actor::user(&s.0.user), client_ip(&req), crate::web::layout::request_lang(&req));
    let r = crate::db::run_tx(&state.pool, move |c| {
        let before = Tag::get(c, id)?;
        let t = Tag::update(c, id, &name, &color)?;
        audit::record(
            c,
            &actor,
            "tag.update",
            "tag",
            Some(id.to_string()),
            audit::diff(
                Some(&serde_json::to_value(&before).unwrap_or_default()),
                Some(&serde_json::to_value(&t).unwrap_or_default()),
            ),
            ip.as_deref(),
        )?;
        Ok(lang.t("tags-saved"))
    })
    .await;
    tag_result(req, state, session, s, r).await
}

pub async fn tag_delete_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Staff,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (actor, ip, lang) = (Actor::user(&s.0.user), client_ip(&req), crate::web::layout::request_lang(&req));
    let r = crate::db::run_tx(&state.pool, move |c| {
        let t = Tag::delete(c, id)?;
        audit::record(
            c,
            &actor,
            "tag.delete",
            "tag",
            Some(id.to_string()),
            audit::diff(Some(&serde_json::to_value(&t).unwrap_or_default()), None),
            ip.as_deref(),
        )?;
        Ok(lang.t1("tags-deleted", "name", &t.name))
    })
    .await;
    tag_result(req, state, session, s, r).await
}
