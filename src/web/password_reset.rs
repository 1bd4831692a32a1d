//! Self-service password reset (SPEC §14): `GET|POST /password/forgot` and
//! `GET|POST /password/reset/{token}`, around the commands of `crate::users::password_reset`.
//! Only offered when e-mail can be sent (`PORTICO_SMTP_URL`); otherwise the pages are not found.
//! The GET pages write nothing to the database.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::auth::password::NewPassword;
use crate::error::{AppError, AppResult};
use crate::users::password_reset::{self as reset, Requested};
use crate::web::account::field_errors;
use crate::web::forms::Errors;
use crate::web::layout::{Layout, push_flash, request_lang};
use crate::web::page::{Page, Public};
use crate::web::{client_ip, see_other};

#[derive(Template)]
#[template(path = "password_forgot.html")]
pub struct ForgotPage {
    pub l: Layout,
    pub email: String,
    /// The request was taken: "if the address is known, a link is on its way".
    pub sent: bool,
}

#[derive(Template)]
#[template(path = "password_reset.html")]
pub struct ResetPage {
    pub l: Layout,
    pub email: String,
    pub token: String,
    pub errors: Errors,
}

fn offered(pg: &Page<Public>) -> AppResult<()> {
    if pg.state.config.mail.is_some() { Ok(()) } else { Err(AppError::NotFound) }
}

fn forgot_page(pg: &Page<Public>, status: StatusCode, email: String, sent: bool) -> HttpResponse {
    let lang = request_lang(&pg.req);
    let l = Layout::public(lang, &lang.t("reset-forgot-title"), &pg.req);
    crate::web::html(status, ForgotPage { l, email, sent }.render())
}

pub async fn forgot_get(pg: Page<Public>) -> AppResult<HttpResponse> {
    offered(&pg)?;
    Ok(forgot_page(&pg, StatusCode::OK, String::new(), false))
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    pub email: String,
}

/// The same page whether or not the address is known (and whether or not a mail was sent).
pub async fn forgot_post(pg: Page<Public>, form: web::Form<ForgotForm>) -> AppResult<HttpResponse> {
    offered(&pg)?;
    let email: String = form.into_inner().email.trim().chars().take(254).collect();
    if email.is_empty() {
        return Ok(forgot_page(&pg, StatusCode::UNPROCESSABLE_ENTITY, email, false));
    }
    let (e, ip) = (email.clone(), client_ip(&pg.req));
    match crate::db::run(&pg.state.pool, move |c| reset::request(c, &e, ip)).await? {
        Requested::Done => Ok(forgot_page(&pg, StatusCode::OK, String::new(), true)),
        Requested::TooMany => {
            Err(AppError::RateLimited("Too many reset requests from your address. Try again in an hour.".into()))
        }
    }
}

async fn open_for(pg: &Page<Public>, token: &str) -> AppResult<crate::users::User> {
    if !reset::well_formed(token) {
        return Err(AppError::NotFound);
    }
    let t = token.to_string();
    crate::db::run(&pg.state.pool, move |c| reset::find_open(c, &t)).await?.ok_or_else(|| {
        AppError::Unprocessable("This link has expired or was already used. Ask for a new one.".into(), vec![])
    })
}

fn reset_page(pg: &Page<Public>, email: String, token: String, errors: Errors) -> HttpResponse {
    let lang = request_lang(&pg.req);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let l = Layout::public(lang, &lang.t("reset-title"), &pg.req);
    crate::web::html(status, ResetPage { l, email, token, errors }.render())
}

pub async fn reset_get(pg: Page<Public>, path: web::Path<String>) -> AppResult<HttpResponse> {
    offered(&pg)?;
    let token = path.into_inner();
    let user = open_for(&pg, &token).await?;
    Ok(reset_page(&pg, user.email, token, Errors::default()))
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    pub new_password: String,
    #[serde(default)]
    pub confirm_password: String,
}

/// The new password: every session of the person ends; then they sign in.
pub async fn reset_post(
    pg: Page<Public>,
    path: web::Path<String>,
    form: web::Form<ResetForm>,
) -> AppResult<HttpResponse> {
    offered(&pg)?;
    let token = path.into_inner();
    let user = open_for(&pg, &token).await?;
    let new = match NewPassword::check(&form.new_password, &form.confirm_password, "The two passwords differ.") {
        Ok(new) => new,
        Err(f) => {
            let errors = field_errors(&AppError::Unprocessable(f.message.clone(), vec![f]));
            return Ok(reset_page(&pg, user.email, token, errors));
        }
    };
    let (hash, ip) = (new.hashed().await?, client_ip(&pg.req));
    crate::db::run(&pg.state.pool, move |c| reset::complete(c, &token, &hash, ip)).await?;
    push_flash(&pg.session(), "success", request_lang(&pg.req).t("reset-done"));
    Ok(see_other("/login"))
}
