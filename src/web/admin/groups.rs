//! Customer groups and tags: one page each, whose forms call the commands of
//! `crate::customers::groups`.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Path};
use askama::Template;

use crate::customers::groups::{self, CustomerGroup, TAG_COLORS, Tag};
use crate::error::{AppError, AppResult};
use crate::web::admin::Staff;
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

/// Which of the two pages.
#[derive(Clone, Copy)]
enum Which {
    Groups,
    Tags,
}

impl Which {
    fn path(self) -> &'static str {
        match self {
            Which::Groups => "/admin/groups",
            Which::Tags => "/admin/tags",
        }
    }
}

/// The page, with the errors of a form that was refused.
async fn render(staff: &Staff, which: Which, status: StatusCode, errors: Errors) -> AppResult<HttpResponse> {
    let (req, ctx) = (&staff.req, &staff.ctx);
    let body = match which {
        Which::Groups => {
            let groups = crate::db::run(&staff.state.pool, CustomerGroup::list).await?;
            GroupsPage { l: super::layout(req, ctx, "groups-title"), groups, errors }.render()
        }
        Which::Tags => {
            let tags = crate::db::run(&staff.state.pool, Tag::list).await?;
            TagsPage { l: super::layout(req, ctx, "tags-title"), tags, errors }.render()
        }
    };
    Ok(html(status, body))
}

/// Back to the page with a flash message, or the page again with the refusal (422, 409).
async fn answer(staff: Staff, which: Which, r: AppResult<String>) -> AppResult<HttpResponse> {
    let e = match r {
        Ok(msg) => {
            push_flash(&staff.session, "success", msg);
            return Ok(see_other(which.path()));
        }
        Err(e) => e,
    };
    let status = match e {
        AppError::Unprocessable(..) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Conflict(..) => StatusCode::CONFLICT,
        other => return Err(other),
    };
    render(&staff, which, status, Errors::from_error(&e)).await
}

pub async fn groups_get(staff: Staff) -> AppResult<HttpResponse> {
    render(&staff, Which::Groups, StatusCode::OK, Errors::default()).await
}

pub async fn group_create_post(staff: Staff, body: Bytes) -> AppResult<HttpResponse> {
    let (name, actor, lang) = (Pairs::parse(&body)?.text("name"), staff.ctx.actor(), staff.ctx.lang);
    let r = crate::db::run(&staff.state.pool, move |c| groups::create_group(c, &actor, &name)).await;
    answer(staff, Which::Groups, r.map(|g| lang.t1("groups-created", "name", &g.name))).await
}

pub async fn group_rename_post(staff: Staff, path: Path<i64>, body: Bytes) -> AppResult<HttpResponse> {
    let (id, name, actor) = (path.into_inner(), Pairs::parse(&body)?.text("name"), staff.ctx.actor());
    let r = crate::db::run(&staff.state.pool, move |c| groups::rename_group(c, &actor, id, &name)).await;
    let msg = staff.ctx.lang.t("groups-renamed");
    answer(staff, Which::Groups, r.map(|_| msg)).await
}

pub async fn group_delete_post(staff: Staff, path: Path<i64>) -> AppResult<HttpResponse> {
    let (id, actor, lang) = (path.into_inner(), staff.ctx.actor(), staff.ctx.lang);
    let r = crate::db::run(&staff.state.pool, move |c| groups::delete_group(c, &actor, id)).await;
    answer(staff, Which::Groups, r.map(|g| lang.t1("groups-deleted", "name", &g.name))).await
}

pub async fn tags_get(staff: Staff) -> AppResult<HttpResponse> {
    render(&staff, Which::Tags, StatusCode::OK, Errors::default()).await
}

/// The name and colour of the tag form.
fn tag_form(body: &[u8]) -> AppResult<(String, String)> {
    let p = Pairs::parse(body)?;
    Ok((p.text("name"), p.text("color")))
}

pub async fn tag_create_post(staff: Staff, body: Bytes) -> AppResult<HttpResponse> {
    let ((name, color), actor, lang) = (tag_form(&body)?, staff.ctx.actor(), staff.ctx.lang);
    let r = crate::db::run(&staff.state.pool, move |c| groups::create_tag(c, &actor, &name, &color)).await;
    answer(staff, Which::Tags, r.map(|t| lang.t1("tags-created", "name", &t.name))).await
}

pub async fn tag_update_post(staff: Staff, path: Path<i64>, body: Bytes) -> AppResult<HttpResponse> {
    let (id, (name, color), actor) = (path.into_inner(), tag_form(&body)?, staff.ctx.actor());
    let r = crate::db::run(&staff.state.pool, move |c| groups::update_tag(c, &actor, id, &name, &color)).await;
    let msg = staff.ctx.lang.t("tags-saved");
    answer(staff, Which::Tags, r.map(|_| msg)).await
}

pub async fn tag_delete_post(staff: Staff, path: Path<i64>) -> AppResult<HttpResponse> {
    let (id, actor, lang) = (path.into_inner(), staff.ctx.actor(), staff.ctx.lang);
    let r = crate::db::run(&staff.state.pool, move |c| groups::delete_tag(c, &actor, id)).await;
    answer(staff, Which::Tags, r.map(|t| lang.t1("tags-deleted", "name", &t.name))).await
}
