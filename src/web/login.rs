//! Sign in and sign out (SPEC §7), and accepting an invitation: the pages around the commands
//! of `crate::auth::login` and `crate::users::invitations`.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::AppState;
use crate::audit::Actor;
use crate::auth::login::{self, SignIn};
use crate::auth::password::NewPassword;
use crate::auth::sessions::{keys, random_token};
use crate::error::{AppError, AppResult};
use crate::http::Identity;
use crate::users::{User, invitations};
use crate::web::account::field_errors;
use crate::web::forms::Errors;
use crate::web::layout::{Layout, push_flash, request_lang};
use crate::web::page::{Page, Public};
use crate::web::{client_ip, see_other};

/// The one message for every failed sign-in (English; pages show `login-failed` translated).
pub const FAILED: &str = "Sign-in failed. Check your e-mail address and password, or try again later.";

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub l: Layout,
    pub email: String,
    pub next: String,
    pub error: String,
    /// The forgot-password link is offered only when e-mail can be sent.
    pub can_reset: bool,
}

#[derive(Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
}

/// Only same-site absolute paths are followed after login.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let n = next?.trim();
    let ok = n.starts_with('/')
        && !n.starts_with("//")
        && !n.contains('\\')
        && !n.chars().any(|c| c.is_control() || c.is_whitespace())
        && n.len() <= 2000
        && n != "/login";
    ok.then(|| n.to_string())
}

pub fn encode_component(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)]).map(|v| v[2..].to_string()).unwrap_or_default()
}

pub fn home_of(user: &User) -> &'static str {
    if user.is_staff() { "/admin" } else { "/portal" }
}

pub async fn root_get(req: HttpRequest) -> HttpResponse {
    match Identity::load(&req).await {
        Ok(id) => see_other(home_of(&id.user)),
        Err(_) => see_other("/login"),
    }
}

pub async fn login_get(req: HttpRequest, q: web::Query<NextQuery>) -> AppResult<HttpResponse> {
    if let Ok(id) = Identity::load(&req).await {
        let to = safe_next(q.next.as_deref()).unwrap_or_else(|| home_of(&id.user).to_string());
        return Ok(see_other(&to));
    }
    Ok(login_page(&req, StatusCode::OK, String::new(), q.next.as_deref()))
}

/// The sign-in form; after a failed attempt with the address given and the one message.
fn login_page(req: &HttpRequest, status: StatusCode, email: String, next: Option<&str>) -> HttpResponse {
    let lang = request_lang(req);
    let error = if status.is_success() { String::new() } else { lang.t("login-failed") };
    let l = Layout::public(lang, &lang.t("login-title"), req);
    let can_reset = req.app_data::<web::Data<AppState>>().is_some_and(|s| s.config.mail.is_some());
    let page = LoginPage { l, email, next: safe_next(next).unwrap_or_default(), error, can_reset };
    crate::web::html(status, page.render())
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    pub next: Option<String>,
}

pub async fn login_post(pg: Page<Public>, form: web::Form<LoginForm>) -> AppResult<HttpResponse> {
    let (form, req, session) = (form.into_inner(), &pg.req, pg.session());
    let ip = client_ip(req);
    let limit = pg.state.config.login_ip_limit;
    let status = match login::sign_in(&pg.state.pool, &form.email, form.password, ip.clone(), limit).await? {
        SignIn::Ok(user) => {
            let to = safe_next(form.next.as_deref()).unwrap_or_else(|| home_of(&user).to_string());
            start_session(&session, req, &user, false, ip);
            return Ok(see_other(&to));
        }
        SignIn::SecondFactor(user) => {
            // Half-done: the session knows who is in the middle of signing in, but carries no
            // signed-in person, so it reaches no page until the code is given.
            session.renew();
            session.clear();
            let _ = session.insert(keys::PENDING_USER, user.id);
            let _ = session.insert(keys::PENDING_SINCE, crate::now().and_utc().timestamp());
            if let Some(next) = safe_next(form.next.as_deref()) {
                let _ = session.insert(keys::PENDING_NEXT, next);
            }
            return Ok(see_other("/login/2fa"));
        }
        SignIn::Failed => StatusCode::UNAUTHORIZED,
        SignIn::Locked => StatusCode::TOO_MANY_REQUESTS,
    };
    Ok(login_page(req, status, form.email.chars().take(254).collect(), form.next.as_deref()))
}

/// Starts the session of a person who just signed in: a fresh id and state.
pub fn start_session(session: &Session, req: &HttpRequest, user: &User, second_factor: bool, ip: Option<String>) {
    session.renew();
    session.clear();
    let _ = session.insert(keys::USER_ID, user.id);
    let _ = session.insert(keys::HANDLE, random_token(12));
    let _ = session.insert(keys::CSRF, random_token(32));
    let _ = session.insert(keys::SECOND_FACTOR, second_factor);
    let ua = req.headers().get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let _ = session.insert(keys::USER_AGENT, ua);
    if let Some(ip) = &ip {
        let _ = session.insert(keys::IP, ip);
    }
}

pub async fn logout_post(req: HttpRequest, session: Session, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let mut to = "/login".to_string();
    if let Ok(id) = Identity::load(&req).await {
        let (actor, user) = (Actor::user(&id.user, client_ip(&req)), (*id.user).clone());
        // A customer's app settings may send people to their own site after signing out.
        if let Some(u) = crate::db::run(&state.pool, move |c| login::sign_out(c, &actor, &user)).await? {
            to = u;
        }
    }
    session.purge();
    Ok(see_other(&to))
}

#[derive(Template)]
#[template(path = "invitation.html")]
pub struct InvitationPage {
    pub l: Layout,
    pub email: String,
    pub token: String,
    pub errors: Errors,
}

/// The person an invitation link is for, while it is open.
async fn invited(state: &AppState, token: &str) -> AppResult<User> {
    let valid = !token.is_empty()
        && token.len() <= 100
        && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(AppError::NotFound);
    }
    let t = token.to_string();
    crate::db::run(&state.pool, move |c| invitations::find_open(c, &t)).await?.ok_or_else(|| {
        AppError::Unprocessable(
            "This invitation link has expired or was already used. Ask for a new one.".into(),
            vec![],
        )
    })
}

fn invitation_page(pg: &Page<Public>, email: String, token: String, errors: Errors) -> HttpResponse {
    let lang = request_lang(&pg.req);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let l = Layout::public(lang, &lang.t("invitation-title"), &pg.req);
    crate::web::html(status, InvitationPage { l, email, token, errors }.render())
}

pub async fn invitation_get(pg: Page<Public>, path: web::Path<String>) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let user = invited(&pg.state, &token).await?;
    Ok(invitation_page(&pg, user.email, token, Errors::default()))
}

#[derive(Deserialize)]
pub struct InvitationForm {
    #[serde(default)]
    pub new_password: String,
    #[serde(default)]
    pub confirm_password: String,
}

/// The invited person chooses their password; then they sign in.
pub async fn invitation_post(
    pg: Page<Public>,
    path: web::Path<String>,
    form: web::Form<InvitationForm>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let user = invited(&pg.state, &token).await?;
    let new = match NewPassword::check(&form.new_password, &form.confirm_password, "The two passwords differ.") {
        Ok(new) => new,
        Err(f) => {
            let errors = field_errors(&AppError::Unprocessable(f.message.clone(), vec![f]));
            return Ok(invitation_page(&pg, user.email, token, errors));
        }
    };
    let (hash, ip) = (new.hashed().await?, client_ip(&pg.req));
    crate::db::run(&pg.state.pool, move |c| invitations::accept(c, &token, &hash, ip)).await?;
    push_flash(&pg.session(), "success", request_lang(&pg.req).t("invitation-done"));
    Ok(see_other("/login"))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_only_same_site_paths() {
        assert_eq!(safe_next(Some("/portal/cdrs?x=1")), Some("/portal/cdrs?x=1".into()));
        for bad in ["//evil.example", "https://evil.example", "/\\evil.example", "evil", "/a b", "/login"] {
            assert_eq!(safe_next(Some(bad)), None, "{bad}");
        }
    }
}
