//! Sign in and sign out (SPEC §7).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::AppState;
use crate::audit::{self, Actor};
use crate::auth::sessions::{keys, random_token};
use crate::auth::{password, throttle};
use crate::error::AppResult;
use crate::http::Identity;
use crate::users::User;
use crate::users::model::normalize_email;
use crate::web::layout::{Layout, request_lang};
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

pub async fn login_get(req: HttpRequest, session: Session, q: web::Query<NextQuery>) -> AppResult<HttpResponse> {
    if let Ok(id) = Identity::load(&req).await {
        let to = safe_next(q.next.as_deref()).unwrap_or_else(|| home_of(&id.user).to_string());
        return Ok(see_other(&to));
    }
    let lang = request_lang(&req);
    let page = LoginPage {
        l: Layout::public(lang, &lang.t("login-title"), &req),
        email: String::new(),
        next: safe_next(q.next.as_deref()).unwrap_or_default(),
        error: String::new(),
    };
    Ok(crate::web::html(StatusCode::OK, page.render()))
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub password: String,
    pub next: Option<String>,
}

enum Outcome {
    Ok(User),
    Failed,
    Locked,
}

pub async fn login_post(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let email = normalize_email(&form.email);
    let ip = client_ip(&req);
    let account: String = email.chars().take(254).collect();

    let pool = state.pool.clone();
    let acc = account.clone();
    let (locked, user) = crate::db::run(&pool, move |conn| {
        let locked = throttle::is_locked(conn, &acc)?;
        let user = if locked { None } else { User::find_by_email(conn, &acc)? };
        Ok((locked, user))
    })
    .await?;

    let outcome = if locked {
        Outcome::Locked
    } else {
        let too_long = form.password.len() > 1024;
        let hash = user.as_ref().and_then(|u| u.password_hash.clone());
        let ok =
            password::verify(if too_long { String::new() } else { form.password.clone() }, hash).await? && !too_long;
        match user {
            Some(u) if ok && !u.disabled => Outcome::Ok(u),
            _ => Outcome::Failed,
        }
    };

    match outcome {
        Outcome::Ok(user) => {
            let (acc, uid_actor, ip2) = (account.clone(), Actor::user(&user, ip.clone()), ip.clone());
            crate::db::run(&pool, move |conn| {
                throttle::reset(conn, &acc)?;
                audit::record(conn, &uid_actor, "login.success", "user", Some(uid_actor_id(&uid_actor)), None)
            })
            .await?;
            // Rotate the session id and start a fresh state for the signed-in person.
            session.renew();
            session.clear();
            let _ = session.insert(keys::USER_ID, user.id);
            let _ = session.insert(keys::HANDLE, random_token(12));
            let _ = session.insert(keys::CSRF, random_token(32));
            let ua = req.headers().get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            let _ = session.insert(keys::USER_AGENT, ua);
            if let Some(ip) = &ip {
                let _ = session.insert(keys::IP, ip);
            }
            let to = safe_next(form.next.as_deref()).unwrap_or_else(|| home_of(&user).to_string());
            Ok(see_other(&to))
        }
        Outcome::Failed | Outcome::Locked => {
            let was_locked = matches!(outcome, Outcome::Locked);
            let (acc, ip2) = (account.clone(), ip.clone());
            crate::db::run(&pool, move |conn| {
                let actor = Actor::anonymous(acc.clone(), ip2.clone());
                if was_locked {
                    audit::record(conn, &actor, "login.refused_locked", "user", None, None)?;
                } else {
                    let started = throttle::record_failure(conn, &acc)?;
                    audit::record(conn, &actor, "login.failure", "user", None, None)?;
                    if started {
                        audit::record(conn, &actor, "login.lockout", "user", None, None)?;
                    }
                }
                Ok(())
            })
            .await?;
            let status = if was_locked { StatusCode::TOO_MANY_REQUESTS } else { StatusCode::UNAUTHORIZED };
            let lang = request_lang(&req);
            let page = LoginPage {
                l: Layout::public(lang, &lang.t("login-title"), &req),
                email: form.email.chars().take(254).collect(),
                next: safe_next(form.next.as_deref()).unwrap_or_default(),
                error: lang.t("login-failed"),
            };
            Ok(crate::web::html(status, page.render()))
        }
    }
}

fn uid_actor_id(a: &Actor) -> String {
    a.user_id().map(|id| id.to_string()).unwrap_or_default()
}

pub async fn logout_post(req: HttpRequest, session: Session, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let mut to = "/login".to_string();
    if let Ok(id) = Identity::load(&req).await {
        let actor = Actor::user(&id.user, client_ip(&req));
        let uid = id.user.id.to_string();
        let customer = id.user.customer_id;
        // A customer's app settings may send people to their own site after signing out.
        let logout_url = crate::db::run(&state.pool, move |conn| {
            audit::record(conn, &actor, "logout", "user", Some(uid), None)?;
            match customer {
                Some(c) => Ok(crate::customers::model::effective_app_settings(conn, c)?.logout_url),
                None => Ok(None),
            }
        })
        .await?;
        if let Some(u) = logout_url {
            to = u;
        }
    }
    session.purge();
    Ok(see_other(&to))
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

#[derive(Template)]
#[template(path = "invitation.html")]
pub struct InvitationPage {
    pub l: Layout,
    pub email: String,
    pub token: String,
    pub errors: crate::web::forms::Errors,
}

fn valid_token(t: &str) -> bool {
    !t.is_empty() && t.len() <= 100 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

pub async fn invitation_get(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    if !valid_token(&token) {
        return Err(crate::error::AppError::NotFound);
    }
    let t = token.clone();
    let user = crate::db::run(&state.pool, move |c| crate::users::invitations::find_open(c, &t)).await?;
    let Some(user) = user else {
        return Err(crate::error::AppError::Unprocessable(
            "This invitation link has expired or was already used. Ask for a new one.".into(),
            vec![],
        ));
    };
    let lang = request_lang(&req);
    let page = InvitationPage {
        l: Layout::public(lang, &lang.t("invitation-title"), &req),
        email: user.email,
        token,
        errors: Default::default(),
    };
    Ok(crate::web::html(StatusCode::OK, page.render()))
}

#[derive(Deserialize)]
pub struct InvitationForm {
    #[serde(default)]
    pub new_password: String,
    #[serde(default)]
    pub confirm_password: String,
}

pub async fn invitation_post(
    req: HttpRequest,
    session: Session,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<InvitationForm>,
) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    if !valid_token(&token) {
        return Err(crate::error::AppError::NotFound);
    }
    let t = token.clone();
    let user =
        crate::db::run(&state.pool, move |c| crate::users::invitations::find_open(c, &t)).await?.ok_or_else(|| {
            crate::error::AppError::Unprocessable(
                "This invitation link has expired or was already used.".into(),
                vec![],
            )
        })?;
    let mut errors = crate::web::forms::Errors::default();
    if let Err(m) = password::check_policy(&form.new_password) {
        errors.add("new_password", m);
    } else if form.new_password != form.confirm_password {
        errors.add("confirm_password", "The two passwords differ.");
    }
    if !errors.is_empty() {
        let lang = request_lang(&req);
        let l = Layout::public(lang, &lang.t("invitation-title"), &req);
        let page = InvitationPage { l, email: user.email, token, errors };
        return Ok(crate::web::html(StatusCode::UNPROCESSABLE_ENTITY, page.render()));
    }
    let hash = password::hash(form.into_inner().new_password).await?;
    crate::db::run_tx(&state.pool, move |c| crate::users::invitations::accept(c, &token, &hash)).await?;
    crate::web::layout::push_flash(&session, "success", request_lang(&req).t("invitation-done"));
    Ok(see_other("/login"))
}
