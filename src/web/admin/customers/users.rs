//! The portal users section of the customer page: invite or create a user, disable, enable,
//! reset a password, change a role. The commands are `crate::users::commands`.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::AppState;
use crate::customers::model::CustomerRow;
use crate::error::{AppError, AppResult};
use crate::http::{Ctx, invitation_url};
use crate::users::UserKind;
use crate::users::commands::{self as users, NewUserInput};
use crate::users::model::Role;
use crate::web::admin::customers::page::{page, section_answer, section_error};
use crate::web::forms::{Errors, Pairs};
use crate::web::html;
use crate::web::layout::Flash;

/// The customer page with an invitation link to hand over, or a success message.
async fn with_invitation(
    req: &HttpRequest,
    state: &AppState,
    s: &Ctx,
    id: i64,
    token: Option<String>,
    message: &str,
) -> AppResult<HttpResponse> {
    let mut pg = page(req, state, s, Some(id), None, Errors::default()).await?;
    match token {
        Some(t) => pg.invitation = Some(invitation_url(req, &t)),
        None => pg.l.flashes.push(Flash { kind: "success".into(), message: pg.l.t(message) }),
    }
    Ok(html(StatusCode::OK, pg.render()))
}

pub async fn user_create_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
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
        crate::db::run(&state.pool, move |c| CustomerRow::get(c, id).map(|_| ())).await?;
        let ready = new.check(UserKind::Customer)?.hashed().await?;
        crate::db::run(&state.pool, move |c| users::create(c, &actor, Some(id), ready)).await
    }
    .await;
    match r {
        Ok(created) => with_invitation(&req, &state, &s, id, created.invitation, "customer-user-created").await,
        Err(e) => section_error(&req, &state, &s, id, e).await,
    }
}

async fn set_disabled(
    (req, state, session, s): (HttpRequest, web::Data<AppState>, Session, Ctx),
    (id, uid): (i64, i64),
    disabled: bool,
) -> AppResult<HttpResponse> {
    let actor = s.actor();
    let r = crate::db::run(&state.pool, move |c| users::set_disabled(c, &actor, Some(id), uid, disabled)).await;
    let message = if disabled { "customer-user-disabled" } else { "customer-user-enabled" };
    section_answer((&req, &state, &s, &session), id, r, (message, "users")).await
}

pub async fn user_disable_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    set_disabled((req, state, session, s), path.into_inner(), true).await
}

pub async fn user_enable_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    set_disabled((req, state, session, s), path.into_inner(), false).await
}

/// Resets a user's password: the old one stops working, sessions end, a new invitation link
/// lets the person choose a new one.
pub async fn user_reset_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let ((id, uid), actor) = (path.into_inner(), s.actor());
    let token = crate::db::run(&state.pool, move |c| users::reset_password(c, &actor, Some(id), uid)).await?;
    with_invitation(&req, &state, &s, id, Some(token), "").await
}

pub async fn user_role_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let (id, uid) = path.into_inner();
    let p = Pairs::parse(&body)?;
    let actor = s.actor();
    let r = crate::db::run(&state.pool, move |c| {
        // An unknown user of this customer is 404 before the role is looked at.
        users::get_of(c, Some(id), uid)?;
        let role = Role::parse(UserKind::Customer, p.get("role").unwrap_or(""))
            .ok_or_else(|| AppError::field("role", "Choose administrator, developer or user."))?;
        users::set_role(c, &actor, Some(id), uid, role)
    })
    .await;
    section_answer((&req, &state, &s, &session), id, r, ("customer-role-changed", "users")).await
}
