//! Staff management (admins only, SPEC §1): the commands of `crate::users::commands`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::error::{AppError, AppResult};
use crate::http::invitation_url;
use crate::users::commands::{self as users, NewUserInput};
use crate::users::model::Role;
use crate::users::{User, UserKind, invitations};
use crate::web::account::field_errors;
use crate::web::forms::Errors;
use crate::web::html;
use crate::web::layout::{Layout, push_flash, role_label};
use crate::web::page::Page;
use crate::web::see_other;

#[derive(Template)]
#[template(path = "admin/staff.html")]
pub struct StaffPage {
    pub l: Layout,
    pub staff: Vec<(User, bool)>,
    pub me: i64,
    pub errors: Errors,
    pub invitation: Option<String>,
}

impl StaffPage {
    pub fn roles(&self) -> [Role; 2] {
        Role::STAFF_ROLES
    }
    pub fn role_label(&self, r: &Role) -> String {
        role_label(self.l.lang, *r)
    }
}

/// The page; 422 when it shows the errors of a refused form.
async fn page(pg: &Page, errors: Errors, invitation: Option<String>) -> AppResult<HttpResponse> {
    let staff = crate::db::run(&pg.state.pool, |c| {
        let list = User::list_staff(c)?;
        invitations::with_state(c, list)
    })
    .await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let l = super::layout(&pg.req, &pg.ctx, "staff-title");
    Ok(html(status, StaffPage { l, staff, me: pg.ctx.user.id, errors, invitation }.render()))
}

pub async fn list_get(pg: Page) -> AppResult<HttpResponse> {
    page(&pg, Errors::default(), None).await
}

/// Adds a staff member, with an initial password or an invitation link shown on the page.
pub async fn create_post(pg: Page, f: web::Form<NewUserInput>) -> AppResult<HttpResponse> {
    let (new, actor) = (f.into_inner(), pg.ctx.actor());
    let r = async {
        let ready = new.check(UserKind::Staff)?.hashed().await?;
        crate::db::run(&pg.state.pool, move |c| users::create(c, &actor, None, ready)).await
    }
    .await;
    match r {
        Ok(created) => page(&pg, Errors::default(), created.invitation.map(|t| invitation_url(&pg.req, &t))).await,
        Err(e @ AppError::Unprocessable(..)) => page(&pg, field_errors(&e), None).await,
        Err(e) => Err(e),
    }
}

/// Disables (`DISABLED`) or enables a staff member.
pub async fn disabled_post<const DISABLED: bool>(pg: Page, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let (id, actor) = (path.into_inner(), pg.ctx.actor());
    crate::db::run(&pg.state.pool, move |c| users::set_disabled(c, &actor, None, id, DISABLED)).await?;
    push_flash(&pg.session(), "success", pg.ctx.lang.t(if DISABLED { "staff-disabled" } else { "staff-enabled" }));
    Ok(see_other("/admin/staff"))
}
