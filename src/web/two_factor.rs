//! The second factor's pages (SPEC §14): enrolment and removal at `/account/2fa` for every
//! signed-in person, and the second step of signing in at `/login/2fa`. The commands are in
//! `crate::auth::totp` and `crate::auth::login`.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::AppState;
use crate::audit::Actor;
use crate::auth::login::{self, SignIn};
use crate::auth::sessions::keys;
use crate::auth::totp;
use crate::error::{AppError, AppResult};
use crate::http::Identity;
use crate::web::layout::{Area, Layout, push_flash, request_lang};
use crate::web::login::{home_of, start_session};
use crate::web::page::{Page, Public};
use crate::web::{client_ip, see_other};

/// How long the code may follow the password.
const PENDING_SECONDS: i64 = 300;

#[derive(Template)]
#[template(path = "two_factor.html")]
pub struct TwoFactorPage {
    pub l: Layout,
    /// The second factor is on.
    pub enabled: bool,
    /// Enrolment: the new secret and its QR code (`data:` URI).
    pub secret: String,
    pub qr: String,
    /// Just confirmed: the recovery codes, shown this once.
    pub recovery_codes: Vec<String>,
    pub error: String,
    /// Staff must set one up before anything else (`PORTICO_REQUIRE_STAFF_2FA`).
    pub required: bool,
    /// Where "back" goes: the own account page.
    pub account: &'static str,
}

fn frame(req: &HttpRequest, id: &Identity, title: &str) -> Layout {
    let lang = request_lang(req);
    let area = if id.is_staff() { Area::Admin } else { Area::Portal };
    Layout::signed_in(lang, &lang.t(title), req, &id.user, area, Vec::new())
}

fn account_of(id: &Identity) -> &'static str {
    if id.is_staff() { "/admin/me" } else { "/portal/profile" }
}

async fn signed_in(req: &HttpRequest) -> AppResult<Identity> {
    let id = Identity::load(req).await?;
    if id.via_token {
        return Err(AppError::Forbidden("The second factor is set up in the browser.".into()));
    }
    Ok(id)
}

fn required(state: &AppState, id: &Identity) -> bool {
    state.config.require_staff_2fa && id.is_staff()
}

/// `GET /account/2fa`: the status, or a fresh secret with its QR code to set one up.
pub async fn account_2fa_get(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let id = signed_in(&req).await?;
    let uid = id.user.id;
    let enabled = crate::db::run(&state.pool, move |c| totp::is_enabled(c, uid)).await?;
    if enabled {
        // A session from before the person set it up (elsewhere) learns it here.
        let _ = session.insert(keys::SECOND_FACTOR, true);
    }
    let page = enrol_page(&req, &session, &state, &id, enabled, String::new())?;
    Ok(crate::web::html(StatusCode::OK, page.render()))
}

fn enrol_page(
    req: &HttpRequest,
    session: &Session,
    state: &AppState,
    id: &Identity,
    enabled: bool,
    error: String,
) -> AppResult<TwoFactorPage> {
    let (secret, qr) = if enabled {
        (String::new(), String::new())
    } else {
        let secret = totp::new_secret();
        let _ = session.insert(keys::TOTP_ENROL, &secret);
        let qr = totp::qr_data_uri(&secret, &id.user.email)?;
        (secret, qr)
    };
    Ok(TwoFactorPage {
        l: frame(req, id, "twofa-title"),
        enabled,
        secret,
        qr,
        recovery_codes: Vec::new(),
        error,
        required: required(state, id) && !enabled,
        account: account_of(id),
    })
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub password: String,
}

/// `POST /account/2fa`: confirms the shown secret with a current code; answers the recovery
/// codes.
pub async fn account_2fa_post(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<CodeForm>,
) -> AppResult<HttpResponse> {
    let id = signed_in(&req).await?;
    let Some(secret) = session.get::<String>(keys::TOTP_ENROL).ok().flatten() else {
        return Ok(see_other("/account/2fa"));
    };
    let (actor, uid, code) = (Actor::user(&id.user, client_ip(&req)), id.user.id, form.code.clone());
    let s = secret.clone();
    match crate::db::run(&state.pool, move |c| totp::enable(c, &actor, uid, &s, &code)).await {
        Ok(codes) => {
            session.remove(keys::TOTP_ENROL);
            let _ = session.insert(keys::SECOND_FACTOR, true);
            let mut page = enrol_page(&req, &session, &state, &id, true, String::new())?;
            page.recovery_codes = codes;
            Ok(crate::web::html(StatusCode::OK, page.render()))
        }
        Err(AppError::Unprocessable(..)) => {
            let lang = request_lang(&req);
            let mut page = enrol_page(&req, &session, &state, &id, false, lang.t("twofa-wrong-code"))?;
            // The same secret stays on the page: the app already has it.
            let _ = session.insert(keys::TOTP_ENROL, &secret);
            page.qr = totp::qr_data_uri(&secret, &id.user.email)?;
            page.secret = secret;
            Ok(crate::web::html(StatusCode::UNPROCESSABLE_ENTITY, page.render()))
        }
        Err(e) => Err(e),
    }
}

/// `POST /account/2fa/disable`: removes the second factor, with the current password or a code.
pub async fn account_2fa_disable_post(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<CodeForm>,
) -> AppResult<HttpResponse> {
    let id = signed_in(&req).await?;
    let form = form.into_inner();
    let (user, ip) = ((*id.user).clone(), client_ip(&req));
    let confirmed =
        login::confirm_person(&state.pool, &user, form.password, form.code, ip.clone(), state.config.login_ip_limit)
            .await?;
    let lang = request_lang(&req);
    if !confirmed {
        let page = enrol_page(&req, &session, &state, &id, true, lang.t("twofa-not-confirmed"))?;
        return Ok(crate::web::html(StatusCode::UNPROCESSABLE_ENTITY, page.render()));
    }
    let actor = Actor::user(&user, ip);
    crate::db::run(&state.pool, move |c| totp::disable(c, &actor, user.id)).await?;
    let _ = session.insert(keys::SECOND_FACTOR, false);
    push_flash(&session, "success", lang.t("twofa-disabled"));
    Ok(see_other(account_of(&id)))
}

#[derive(Template)]
#[template(path = "login_2fa.html")]
pub struct SecondStepPage {
    pub l: Layout,
    pub error: String,
}

/// The person of a half-done sign-in that is still fresh.
fn pending(session: &Session) -> Option<i64> {
    let uid = session.get::<i64>(keys::PENDING_USER).ok().flatten()?;
    let since = session.get::<i64>(keys::PENDING_SINCE).ok().flatten()?;
    (crate::now().and_utc().timestamp() - since <= PENDING_SECONDS).then_some(uid)
}

fn second_step(req: &HttpRequest, status: StatusCode, error: String) -> HttpResponse {
    let lang = request_lang(req);
    let l = Layout::public(lang, &lang.t("login-2fa-title"), req);
    crate::web::html(status, SecondStepPage { l, error }.render())
}

/// `GET /login/2fa`: the code form of a half-done sign-in.
pub async fn login_2fa_get(pg: Page<Public>) -> AppResult<HttpResponse> {
    if pending(&pg.session()).is_none() {
        return Ok(see_other("/login"));
    }
    Ok(second_step(&pg.req, StatusCode::OK, String::new()))
}

/// `POST /login/2fa` (field `code`): completes the sign-in.
pub async fn login_2fa_post(pg: Page<Public>, form: web::Form<CodeForm>) -> AppResult<HttpResponse> {
    let session = pg.session();
    let Some(uid) = pending(&session) else {
        return Ok(see_other("/login"));
    };
    let ip = client_ip(&pg.req);
    let limit = pg.state.config.login_ip_limit;
    let lang = request_lang(&pg.req);
    match login::second_factor(&pg.state.pool, uid, form.into_inner().code, ip.clone(), limit).await? {
        SignIn::Ok(user) => {
            let next: Option<String> = session.get(keys::PENDING_NEXT).ok().flatten();
            start_session(&session, &pg.req, &user, true, ip);
            Ok(see_other(&next.unwrap_or_else(|| home_of(&user).to_string())))
        }
        SignIn::Locked => {
            session.purge();
            Ok(second_step(&pg.req, StatusCode::TOO_MANY_REQUESTS, lang.t("login-failed")))
        }
        _ => Ok(second_step(&pg.req, StatusCode::UNAUTHORIZED, lang.t("login-2fa-wrong"))),
    }
}
