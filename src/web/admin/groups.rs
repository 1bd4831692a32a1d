//! Customer groups and tags.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::AppState;
use crate::customers::groups::{self, CustomerGroup, TAG_COLORS, Tag};
use crate::error::{AppError, AppResult};
use crate::http::Ctx;
use crate::web::forms::{Errors, Pairs};
use crate::web::layout::{Layout, push_flash};
use crate::web::{html, see_other};

#[derive(Template)]
#[template(path = "admin/groups.html")]
pub struct GroupsPage {
    pub l: Layout,
    pub groups: Vec<(CustomerGroup, i64)>,
    pub errors: Errors,
}

async fn groups_page(req: &HttpRequest, state: &AppState, s: &Ctx, errors: Errors) -> AppResult<GroupsPage> {
    let groups = crate::db::run(&state.pool, CustomerGroup::list).await?;
    Ok(GroupsPage { l: super::layout(req, s, "groups-title"), groups, errors })
}

pub async fn groups_get(req: HttpRequest, state: web::Data<AppState>, s: Ctx) -> AppResult<HttpResponse> {
    Ok(html(StatusCode::OK, groups_page(&req, &state, &s, Errors::default()).await?.render()))
}

async fn group_result(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
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
    s: Ctx,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let name = Pairs::parse(&body)?.text("name");
    let (actor, lang) = (s.actor(), s.lang);
    let r = crate::db::run(&state.pool, move |c| groups::create_group(c, &actor, &name)).await;
    group_result(req, state, session, s, r.map(|g| lang.t1("groups-created", "name", &g.name))).await
}

pub async fn group_rename_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let name = Pairs::parse(&body)?.text("name");
    let (actor, lang) = (s.actor(), s.lang);
    let r = crate::db::run(&state.pool, move |c| groups::rename_group(c, &actor, id, &name)).await;
    group_result(req, state, session, s, r.map(|_| lang.t("groups-renamed"))).await
}

pub async fn group_delete_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (actor, lang) = (s.actor(), s.lang);
    let r = crate::db::run(&state.pool, move |c| groups::delete_group(c, &actor, id)).await;
    group_result(req, state, session, s, r.map(|g| lang.t1("groups-deleted", "name", &g.name))).await
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

async fn tags_page(req: &HttpRequest, state: &AppState, s: &Ctx, errors: Errors) -> AppResult<TagsPage> {
    let tags = crate::db::run(&state.pool, Tag::list).await?;
    Ok(TagsPage { l: super::layout(req, s, "tags-title"), tags, errors })
}

pub async fn tags_get(req: HttpRequest, state: web::Data<AppState>, s: Ctx) -> AppResult<HttpResponse> {
    Ok(html(StatusCode::OK, tags_page(&req, &state, &s, Errors::default()).await?.render()))
}

async fn tag_result(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
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
    s: Ctx,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let p = Pairs::parse(&body)?;
    let (name, color) = (p.text("name"), p.text("color"));
    let (actor, lang) = (s.actor(), s.lang);
    let r = crate::db::run(&state.pool, move |c| groups::create_tag(c, &actor, &name, &color)).await;
    tag_result(req, state, session, s, r.map(|t| lang.t1("tags-created", "name", &t.name))).await
}

pub async fn tag_update_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let p = Pairs::parse(&body)?;
    let (name, color) = (p.text("name"), p.text("color"));
    let (actor, lang) = (s.actor(), s.lang);
    let r = crate::db::run(&state.pool, move |c| groups::update_tag(c, &actor, id, &name, &color)).await;
    tag_result(req, state, session, s, r.map(|_| lang.t("tags-saved"))).await
}

pub async fn tag_delete_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (actor, lang) = (s.actor(), s.lang);
    let r = crate::db::run(&state.pool, move |c| groups::delete_tag(c, &actor, id)).await;
    tag_result(req, state, session, s, r.map(|t| lang.t1("tags-deleted", "name", &t.name))).await
}
