//! Admin dashboard and the staff member's own account page.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use diesel::prelude::*;

use crate::AppState;
use crate::db::schema::{access_profiles, audit_log, customers, users};
use crate::error::AppResult;
use crate::http::Ctx;
use crate::web::account::{self, Frame, PasswordForm, PersonalForm, SettingsForm, TokenForm};
use crate::web::forms::Errors;
use crate::web::html;
use crate::web::layout::{Area, Layout, push_flash, request_lang};
use crate::web::see_other;

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
pub struct DashboardPage {
    pub l: Layout,
    pub customers: i64,
    pub profiles: i64,
    pub users: i64,
    pub unassigned: i64,
    pub recent: Vec<(String, String, String, String)>,
    pub cryptomus: bool,
}

pub async fn dashboard_get(req: HttpRequest, state: web::Data<AppState>, s: Ctx) -> AppResult<HttpResponse> {
    let tz = s.user.time_zone.clone();
    let lang = request_lang(&req);
    let (c, p, u, un, recent) = crate::db::run(&state.pool, move |conn| {
        let c: i64 = customers::table.count().get_result(conn)?;
        let p: i64 = access_profiles::table.count().get_result(conn)?;
        let u: i64 = users::table.filter(users::kind.eq("customer")).count().get_result(conn)?;
        let un: i64 = customers::table.filter(customers::access_profile_id.is_null()).count().get_result(conn)?;
        let recent: Vec<(chrono::NaiveDateTime, String, String, String)> = audit_log::table
            .order(audit_log::id.desc())
            .limit(8)
            .select((audit_log::at, audit_log::actor_label, audit_log::action, audit_log::object_type))
            .load(conn)?;
        Ok((c, p, u, un, recent))
    })
    .await?;
    let page = DashboardPage {
        l: super::layout(&req, &s, "admin-title"),
        customers: c,
        profiles: p,
        users: u,
        unassigned: un,
        recent: recent.into_iter().map(|(at, a, b, c)| (account::fmt_time(lang, at, &tz), a, b, c)).collect(),
        cryptomus: state.config.cryptomus.is_some(),
    };
    Ok(html(StatusCode::OK, page.render()))
}

fn frame(req: &HttpRequest, s: &Ctx) -> Frame {
    let (r, st) = (req.clone(), s.clone());
    Frame {
        area: Area::Admin,
        layout: Box::new(move || super::layout(&r, &st, "admin-nav-me")),
        company: None,
        can_tokens: true,
        preview: false,
    }
}

pub async fn me_get(req: HttpRequest, state: web::Data<AppState>, session: Session, s: Ctx) -> AppResult<HttpResponse> {
    let p = account::page(&state, &session, &s, frame(&req, &s), Errors::default(), None).await?;
    Ok(html(StatusCode::OK, p.render()))
}

pub async fn password_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    f: web::Form<PasswordForm>,
) -> AppResult<HttpResponse> {
    let r = account::change_password(&state, &req, &session, &s, f.into_inner()).await;
    account::respond(
        &state,
        &session,
        &s,
        frame(&req, &s),
        r,
        (&request_lang(&req).t("flash-password-changed"), "password"),
    )
    .await
}

pub async fn personal_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    f: web::Form<PersonalForm>,
) -> AppResult<HttpResponse> {
    let r = account::save_personal(&state, &req, &s, &f).await;
    let ok = request_lang(&req).t("flash-personal-saved");
    account::respond(&state, &session, &s, frame(&req, &s), r, (&ok, "personal")).await
}

pub async fn settings_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    f: web::Form<SettingsForm>,
) -> AppResult<HttpResponse> {
    let f = f.into_inner();
    // The confirmation is in the newly chosen language.
    let accept = req.headers().get(actix_web::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let ok = crate::i18n::resolve(&f.lang, accept).t("flash-settings-saved");
    let r = account::save_settings(&state, &req, &s, f.lang, f.time_zone).await;
    account::respond(&state, &session, &s, frame(&req, &s), r, (&ok, "settings")).await
}

pub async fn session_end_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    account::end_session(&state, &req, &session, &s, path.into_inner()).await
}

pub async fn token_create_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    f: web::Form<TokenForm>,
) -> AppResult<HttpResponse> {
    let result = account::create_token(&state, &req, &s, f.into_inner().name).await;
    let (status, errors, secret) = match result {
        Ok(secret) => (StatusCode::OK, Errors::default(), Some(secret)),
        Err(e) => (StatusCode::UNPROCESSABLE_ENTITY, e, None),
    };
    let page = account::page(&state, &session, &s, frame(&req, &s), errors, secret).await?;
    Ok(html(status, page.render()))
}

pub async fn token_revoke_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    account::revoke_token(&state, &req, &s, path.into_inner()).await?;
    push_flash(&session, "success", request_lang(&req).t("flash-token-revoked"));
    Ok(see_other("/admin/me#tokens"))
}
