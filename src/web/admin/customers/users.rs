//! The portal users section of the customer page: invite or create a user, disable, enable,
//! reset a password, change a role. The commands are `crate::users::commands`.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Path};
use askama::Template;

use crate::customers::model::CustomerRow;
use crate::error::{AppError, AppResult};
use crate::http::invitation_url;
use crate::users::UserKind;
use crate::users::commands::{self as users, NewUserInput};
use crate::users::model::Role;
use crate::web::admin::Staff;
use crate::web::admin::customers::page::{page, section_answer, section_error};
use crate::web::forms::{Errors, Pairs};
use crate::web::html;
use crate::web::layout::Flash;

/// The customer page with an invitation link to hand over, or else the success `message`.
async fn with_invitation(staff: &Staff, id: i64, token: Option<String>, message: &str) -> AppResult<HttpResponse> {
    let mut pg = page(staff, Some(id), None, Errors::default()).await?;
    match token {
        Some(t) => pg.invitation = Some(invitation_url(&staff.req, &t)),
        None => pg.l.flashes.push(Flash { kind: "success".into(), message: pg.l.t(message) }),
    }
    Ok(html(StatusCode::OK, pg.render()))
}

pub async fn user_create_post(staff: Staff, path: Path<i64>, body: Bytes) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let p = Pairs::parse(&body)?;
    let password = p.get("password").filter(|v| !v.is_empty()).map(str::to_string);
    let (email, role) = (p.text("email"), p.text("role"));
    let new = NewUserInput { email, first_name: p.text("first_name"), last_name: p.text("last_name"), role, password };
    let actor = staff.ctx.actor();
    let pool = &staff.state.pool;
    let r = async {
        crate::db::run(pool, move |c| CustomerRow::get(c, id).map(|_| ())).await?;
        let ready = new.check(UserKind::Customer)?.hashed().await?;
        crate::db::run(pool, move |c| users::create(c, &actor, Some(id), ready)).await
    }
    .await;
    match r {
        Ok(created) => with_invitation(&staff, id, created.invitation, "customer-user-created").await,
        Err(e) => section_error(&staff, id, e).await,
    }
}

async fn set_disabled(staff: Staff, (id, uid): (i64, i64), disabled: bool) -> AppResult<HttpResponse> {
    let actor = staff.ctx.actor();
    let r = crate::db::run(&staff.state.pool, move |c| users::set_disabled(c, &actor, Some(id), uid, disabled)).await;
    let message = if disabled { "customer-user-disabled" } else { "customer-user-enabled" };
    section_answer(&staff, id, r, (message, "users")).await
}

pub async fn user_disable_post(staff: Staff, path: Path<(i64, i64)>) -> AppResult<HttpResponse> {
    set_disabled(staff, path.into_inner(), true).await
}

pub async fn user_enable_post(staff: Staff, path: Path<(i64, i64)>) -> AppResult<HttpResponse> {
    set_disabled(staff, path.into_inner(), false).await
}

/// Resets a user's password: the old one stops working, sessions end, a new invitation link
/// lets the person choose a new one.
pub async fn user_reset_post(staff: Staff, path: Path<(i64, i64)>) -> AppResult<HttpResponse> {
    let ((id, uid), actor) = (path.into_inner(), staff.ctx.actor());
    let token = crate::db::run(&staff.state.pool, move |c| users::reset_password(c, &actor, Some(id), uid)).await?;
    with_invitation(&staff, id, Some(token), "").await
}

pub async fn user_role_post(staff: Staff, path: Path<(i64, i64)>, body: Bytes) -> AppResult<HttpResponse> {
    let ((id, uid), chosen, actor) = (path.into_inner(), Pairs::parse(&body)?.text("role"), staff.ctx.actor());
    let r = crate::db::run(&staff.state.pool, move |c| {
        // An unknown user of this customer is 404 before the role is looked at.
        users::get_of(c, Some(id), uid)?;
        let role = Role::parse(UserKind::Customer, &chosen)
            .ok_or_else(|| AppError::field("role", "Choose administrator, developer or user."))?;
        users::set_role(c, &actor, Some(id), uid, role)
    })
    .await;
    section_answer(&staff, id, r, ("customer-role-changed", "users")).await
}
