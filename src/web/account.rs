//! Personal settings shared by the portal profile page and the staff "my account" page:
//! names, language and time zone, password, own sessions, own API tokens.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::AppState;
use crate::audit::{self, Actor};
use crate::auth::password;
use crate::auth::sessions::{self, SessionInfo, keys};
use crate::auth::tokens::ApiToken;
use crate::error::{AppError, AppResult};
use crate::http::Ctx;
use crate::i18n::Lang;
use crate::users::User;
use crate::web::forms::{self, Errors};
use crate::web::layout::{Area, Layout, push_flash};
use crate::web::{client_ip, see_other};

/// The language settings offered: the browser's choice (stored as the empty string), then
/// each language under its own name.
pub const LANGUAGES: [(&str, &str); 4] = [("", ""), ("en", "English"), ("de", "Deutsch"), ("ru", "Русский")];

/// Formats a stored UTC time in the given IANA time zone, the language's way.
pub fn fmt_time(lang: Lang, t: chrono::NaiveDateTime, tz: &str) -> String {
    crate::i18n::format::timestamp(lang, t, tz)
}

pub fn time_zones() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|z| z.name())
}

pub struct SessionView {
    pub handle: String,
    pub device: String,
    pub ip: String,
    pub started: String,
    pub last_seen: String,
    pub current: bool,
}

pub struct TokenView {
    pub id: i64,
    pub name: String,
    pub hint: String,
    pub created: String,
    pub last_used: String,
}

#[derive(Template)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub l: Layout,
    /// URL prefix of this page's forms: `/portal/profile` or `/admin/me`.
    pub prefix: String,
    pub user_email: String,
    pub first_name: String,
    pub last_name: String,
    pub lang: String,
    pub time_zone: String,
    pub errors: Errors,
    pub sessions: Vec<SessionView>,
    pub tokens: Vec<TokenView>,
    pub new_token: Option<String>,
    pub can_tokens: bool,
    /// Portal only: the customer's company profile and access codes.
    pub company: Option<CompanyView>,
    pub preview: bool,
}

/// The company profile as the portal shows it; `editable` for customer administrators.
pub struct CompanyView {
    pub customer_name: String,
    pub company_name: String,
    pub country_code: String,
    pub phone: String,
    pub editable: bool,
    pub codes: Vec<CodeView>,
    pub profile_name: String,
}

pub struct CodeView {
    pub id: i64,
    pub label: String,
    pub public_text: String,
    pub public_value: String,
    /// Absent unless the role may see private codes.
    pub private: Option<(String, String, String)>,
}

/// What differs between the portal profile page and the staff "my account" page.
pub struct Frame {
    pub area: Area,
    pub layout: Box<dyn FnOnce() -> Layout>,
    pub company: Option<CompanyView>,
    pub can_tokens: bool,
    pub preview: bool,
}

impl Frame {
    pub fn prefix(&self) -> &'static str {
        if self.area == Area::Admin { "/admin/me" } else { "/portal/profile" }
    }
}

impl AccountPage {
    /// (setting value, label) of the language chooser.
    pub fn languages(&self) -> Vec<(&'static str, String)> {
        LANGUAGES
            .iter()
            .map(|(code, name)| {
                (*code, if code.is_empty() { self.l.t("account-language-browser") } else { name.to_string() })
            })
            .collect()
    }
    pub fn zones(&self) -> Vec<&'static str> {
        time_zones().collect()
    }
}

/// Builds the page for the identity; `errors` and `new_token` come from a failed or a
/// successful form post.
pub async fn page(
    state: &AppState,
    session: &Session,
    id: &Ctx,
    frame: Frame,
    errors: Errors,
    new_token: Option<String>,
) -> AppResult<AccountPage> {
    let uid = id.user.id;
    let max = state.config.session_max;
    let (list, tokens) = if frame.preview {
        (Vec::new(), Vec::new())
    } else {
        crate::db::run(&state.pool, move |conn| {
            Ok((sessions::list_user_sessions(conn, uid, max)?, ApiToken::list_for_user(conn, uid)?))
        })
        .await?
    };
    let current: Option<String> = session.get(keys::HANDLE).ok().flatten();
    let tz = id.user.time_zone.clone();
    let prefix = frame.prefix();
    let l = (frame.layout)();
    let lang = l.lang;
    Ok(AccountPage {
        l,
        prefix: prefix.into(),
        user_email: id.user.email.clone(),
        first_name: id.user.first_name.clone(),
        last_name: id.user.last_name.clone(),
        lang: id.user.lang.clone(),
        time_zone: id.user.time_zone.clone(),
        errors,
        sessions: list
            .into_iter()
            .map(|s: SessionInfo| SessionView {
                current: current.as_deref() == Some(s.handle.as_str()),
                device: s
                    .user_agent
                    .clone()
                    .filter(|u| !u.is_empty())
                    .unwrap_or_else(|| lang.t("account-unknown-device")),
                ip: s.ip.clone().unwrap_or_default(),
                started: fmt_time(lang, s.created_at, &tz),
                last_seen: fmt_time(lang, s.last_seen_at, &tz),
                handle: s.handle,
            })
            .collect(),
        tokens: tokens
            .into_iter()
            .map(|t| TokenView {
                id: t.id,
                name: t.name,
                hint: t.hint,
                created: fmt_time(lang, t.created_at, &tz),
                last_used: t.last_used_at.map(|x| fmt_time(lang, x, &tz)).unwrap_or_else(|| lang.t("account-never")),
            })
            .collect(),
        new_token,
        can_tokens: frame.can_tokens && !frame.preview,
        company: frame.company,
        preview: frame.preview,
    })
}

#[derive(Deserialize)]
pub struct PersonalForm {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
}

pub fn validate_personal(f: &PersonalForm) -> Result<(String, String), Errors> {
    let mut e = Errors::default();
    let first = forms::text(&mut e, "first_name", &f.first_name, 0, 100);
    let last = forms::text(&mut e, "last_name", &f.last_name, 0, 100);
    if e.is_empty() { Ok((first, last)) } else { Err(e) }
}

pub async fn save_personal(state: &AppState, req: &HttpRequest, id: &Ctx, f: &PersonalForm) -> Result<(), Errors> {
    let (first, last) = validate_personal(f)?;
    let uid = id.user.id;
    let actor = id.actor();
    let before = serde_json::json!({"firstName": id.user.first_name, "lastName": id.user.last_name});
    let after = serde_json::json!({"firstName": first, "lastName": last});
    let ip = client_ip(req);
    crate::db::run_tx(&state.pool, move |conn| {
        User::set_names(conn, uid, &first, &last)?;
        audit::record(
            conn,
            &actor,
            "user.update",
            "user",
            Some(uid.to_string()),
            audit::diff(Some(&before), Some(&after)),
        )
    })
    .await
    .map_err(|e| Errors::from_error(&e))
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    pub lang: String,
    #[serde(default, rename = "time_zone")]
    pub time_zone: String,
}

/// `lang` is `en`, `de`, `ru` or empty (the browser's language); `tz` an IANA zone.
pub fn validate_settings(lang: &str, tz: &str) -> Result<(), Errors> {
    let mut e = Errors::default();
    if !crate::i18n::is_valid_setting(lang) {
        e.add("lang", "Choose one of the offered languages.");
    }
    if tz.parse::<chrono_tz::Tz>().is_err() {
        e.add("time_zone", "Choose a time zone from the list (for example Europe/Berlin).");
    }
    if e.is_empty() { Ok(()) } else { Err(e) }
}

pub async fn save_settings(
    state: &AppState,
    req: &HttpRequest,
    id: &Ctx,
    lang: String,
    tz: String,
) -> Result<(), Errors> {
    validate_settings(&lang, &tz)?;
    let uid = id.user.id;
    let actor = id.actor();
    let before = serde_json::json!({"lang": id.user.lang, "timeZone": id.user.time_zone});
    let after = serde_json::json!({"lang": lang, "timeZone": tz});
    let ip = client_ip(req);
    crate::db::run_tx(&state.pool, move |conn| {
        User::set_settings(conn, uid, &lang, &tz)?;
        audit::record(
            conn,
            &actor,
            "user.settings",
            "user",
            Some(uid.to_string()),
            audit::diff(Some(&before), Some(&after)),
        )
    })
    .await
    .map_err(|e| Errors::from_error(&e))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    pub current_password: String,
    #[serde(default)]
    pub new_password: String,
    #[serde(default)]
    pub confirm_password: String,
}

/// Changes the password; the current session continues under a new id, every other session
/// of the user ends.
pub async fn change_password(
    state: &AppState,
    req: &HttpRequest,
    session: &Session,
    id: &Ctx,
    f: PasswordForm,
) -> Result<(), Errors> {
    let mut e = Errors::default();
    if let Err(m) = password::check_policy(&f.new_password) {
        e.add("new_password", m);
    } else if f.new_password != f.confirm_password {
        e.add("confirm_password", "The two new passwords differ.");
    }
    if f.current_password.len() > 1024
        || !password::verify(f.current_password, id.user.password_hash.clone()).await.unwrap_or(false)
    {
        e.add("current_password", "The current password is not right.");
    }
    if !e.is_empty() {
        return Err(e);
    }
    let hash = password::hash(f.new_password).await.map_err(|x| Errors::from_error(&x))?;
    let uid = id.user.id;
    let actor = id.actor();
    let ip = client_ip(req);
    crate::db::run_tx(&state.pool, move |conn| {
        User::set_password_hash(conn, uid, &hash)?;
        let ended = sessions::end_user_sessions(conn, uid, None)?;
        audit::record(
            conn,
            &actor,
            "user.password_changed",
            "user",
            Some(uid.to_string()),
            Some(serde_json::json!({"sessionsEnded": ended})),
        )
    })
    .await
    .map_err(|x| Errors::from_error(&x))?;
    // Our own row was deleted with the others: renew writes this session back under a new id.
    session.renew();
    Ok(())
}

pub async fn end_session(
    state: &AppState,
    req: &HttpRequest,
    session: &Session,
    id: &Ctx,
    handle: String,
) -> AppResult<HttpResponse> {
    let uid = id.user.id;
    let current: Option<String> = session.get(keys::HANDLE).ok().flatten();
    let actor = id.actor();
    let ip = client_ip(req);
    let h = handle.clone();
    let ended = crate::db::run(&state.pool, move |conn| {
        let ok = sessions::end_session(conn, uid, &h)?;
        if ok {
            audit::record(conn, &actor, "session.end", "user", Some(uid.to_string()), None)?;
        }
        Ok(ok)
    })
    .await?;
    if !ended {
        return Err(AppError::NotFound);
    }
    if current.as_deref() == Some(handle.as_str()) {
        session.purge();
        return Ok(see_other("/login"));
    }
    push_flash(session, "success", crate::web::layout::request_lang(req).t("flash-session-ended"));
    Ok(see_other(&format!("{}#sessions", if id.is_staff() { "/admin/me" } else { "/portal/profile" })))
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    pub name: String,
}

pub async fn create_token(state: &AppState, req: &HttpRequest, id: &Ctx, name: String) -> Result<String, Errors> {
    let uid = id.user.id;
    let actor = id.actor();
    let ip = client_ip(req);
    crate::db::run_tx(&state.pool, move |conn| {
        let (tid, secret) = ApiToken::create(conn, uid, &name)?;
        audit::record(
            conn,
            &actor,
            "token.create",
            "api_token",
            Some(tid.to_string()),
            Some(serde_json::json!({"name": {"after": name}})),
        )?;
        Ok(secret)
    })
    .await
    .map_err(|e| Errors::from_error(&e))
}

pub async fn revoke_token(state: &AppState, req: &HttpRequest, id: &Ctx, token_id: i64) -> AppResult<()> {
    let uid = id.user.id;
    let actor = id.actor();
    let ip = client_ip(req);
    let ok = crate::db::run_tx(&state.pool, move |conn| {
        let ok = ApiToken::revoke(conn, uid, token_id)?;
        if ok {
            audit::record(conn, &actor, "token.revoke", "api_token", Some(token_id.to_string()), None)?;
        }
        Ok(ok)
    })
    .await?;
    if ok { Ok(()) } else { Err(AppError::NotFound) }
}

/// Answers a personal-settings form post: back to the page with a flash on success, the page
/// with the field errors (422) on failure.
pub async fn respond(
    state: &AppState,
    session: &Session,
    id: &Ctx,
    frame: Frame,
    result: Result<(), Errors>,
    (ok_message, anchor): (&str, &str),
) -> AppResult<HttpResponse> {
    let prefix = frame.prefix();
    match result {
        Ok(()) => {
            push_flash(session, "success", ok_message);
            Ok(see_other(&format!("{prefix}#{anchor}")))
        }
        Err(errors) => {
            let p = page(state, session, id, frame, errors, None).await?;
            Ok(crate::web::html(StatusCode::UNPROCESSABLE_ENTITY, p.render()))
        }
    }
}
