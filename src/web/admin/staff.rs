//! Staff management (admins only, SPEC §1): the commands of `crate::users::commands`.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::http::{Ctx, invitation_url};
use crate::users::commands::{self as users, NewUserInput};
use crate::users::model::Role;
use crate::users::{User, UserKind, invitations};
use crate::web::account::field_errors;
use crate::web::forms::{Errors, Pairs};
use crate::web::html;
use crate::web::layout::{Layout, push_flash, role_label};
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
async fn page(
    req: &HttpRequest,
    state: &AppState,
    s: &Ctx,
    errors: Errors,
    invitation: Option<String>,
) -> AppResult<HttpResponse> {
    let staff = crate::db::run(&state.pool, |c| {
        let list = User::list_staff(c)?;
        invitations::with_state(c, list)
    })
    .await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = StaffPage { l: super::layout(req, s, "staff-title"), staff, me: s.user.id, errors, invitation };
    Ok(html(status, page.render()))
}

pub async fn list_get(req: HttpRequest, state: web::Data<AppState>, s: Ctx) -> AppResult<HttpResponse> {
    page(&req, &state, &s, Errors::default(), None).await
}

/// Adds a staff member, with an initial password or an invitation link shown on the page.
pub async fn create_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let p = Pairs::parse(&body)?;
    let new = NewUserInput {
        email: p.text("email"),
        first_name: p.text("first_name"),
        last_name: p.text("last_name"),
        role: p.text("role"),
        password: p.get("password").filter(|v| !v.is_empty()).map(str::to_string),
    };
    let actor = s.actor();
    let r = async {
        let ready = new.check(UserKind::Staff)?.hashed().await?;
        crate::db::run(&state.pool, move |c| users::create(c, &actor, None, ready)).await
    }
    .await;
    match r {
        Ok(created) => {
            page(&req, &state, &s, Errors::default(), created.invitation.map(|t| invitation_url(&req, &t))).await
        }
        Err(e @ AppError::Unprocessable(..)) => page(&req, &state, &s, field_errors(&e), None).await,
        Err(e) => Err(e),
    }
}

/// Disables (`DISABLED`) or enables a staff member.
pub async fn disabled_post<const DISABLED: bool>(
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (id, actor) = (path.into_inner(), s.actor());
    crate::db::run(&state.pool, move |c| users::set_disabled(c, &actor, None, id, DISABLED)).await?;
    push_flash(&session, "success", s.lang.t(if DISABLED { "staff-disabled" } else { "staff-enabled" }));
    Ok(see_other("/admin/staff"))
}
