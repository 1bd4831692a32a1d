//! Staff management (admins only, SPEC §1).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::AppState;
use crate::audit::{self, Actor};
use crate::error::{AppError, AppResult};
use crate::http::Ctx;
use crate::http::invitation_url;
use crate::users::User;
use crate::users::UserKind;
use crate::users::commands::{self as users, NewUserInput};
use crate::users::model::Role;
use crate::web::forms::{Errors, Pairs};
use crate::web::html;
use crate::web::layout::{Layout, push_flash};
use crate::web::{client_ip, see_other};

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
        crate::web::layout::role_label(self.l.lang, *r)
    }
}

async fn page(
    req: &HttpRequest,
    state: &AppState,
    s: &Ctx,
    errors: Errors,
    invitation: Option<String>,
) -> AppResult<StaffPage> {
    let staff = crate::db::run(&state.pool, |c| {
        let list = User::list_staff(c)?;
        crate::users::invitations::with_state(c, list)
    })
    .await?;
    Ok(StaffPage { l: super::layout(req, s, "staff-title"), staff, me: s.user.id, errors, invitation })
}

pub async fn list_get(req: HttpRequest, state: web::Data<AppState>, s: Ctx) -> AppResult<HttpResponse> {
    Ok(html(StatusCode::OK, page(&req, &state, &s, Errors::default(), None).await?.render()))
}

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
            let link = created.invitation.map(|t| invitation_url(&req, &t));
            Ok(html(StatusCode::OK, page(&req, &state, &s, Errors::default(), link).await?.render()))
        }
        Err(e @ AppError::Unprocessable(..)) => Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&req, &state, &s, Errors::from_error(&e), None).await?.render(),
        )),
        Err(e) => Err(e),
    }
}

async fn set_disabled(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    id: i64,
    disabled: bool,
) -> AppResult<HttpResponse> {
    let actor = s.actor();
    crate::db::run(&state.pool, move |c| users::set_disabled(c, &actor, None, id, disabled)).await?;
    push_flash(&session, "success", s.lang.t(if disabled { "staff-disabled" } else { "staff-enabled" }));
    let _ = req;
    Ok(see_other("/admin/staff"))
}

pub async fn disable_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    set_disabled(req, state, session, s, path.into_inner(), true).await
}

pub async fn enable_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    set_disabled(req, state, session, s, path.into_inner(), false).await
}
