//! The own-account page, one for everybody: `/portal/profile` for customer users (with the
//! company profile and access codes) and `/admin/me` for staff. The same handlers serve both
//! route lines; each write is a command of `crate::users::account`, `crate::auth::sessions` or
//! `crate::auth::tokens`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::access::caps::Cap;
use crate::auth::sessions::{self, SessionInfo, keys};
use crate::auth::tokens::{self, ApiToken};
use crate::error::{AppError, AppResult};
use crate::http::{Ctx, Portal};
use crate::i18n::Lang;
use crate::users::User;
pub use crate::users::account::LANGUAGES;
use crate::users::account::{self as own, check_password_change};
use crate::web::forms::Errors;
use crate::web::html;
use crate::web::layout::{Layout, push_flash};
use crate::web::page::Page;
use crate::web::portal::profile::CompanyView;
use crate::web::see_other;

/// Formats a stored UTC time in the given IANA time zone, the language's way.
pub fn fmt_time(lang: Lang, t: chrono::NaiveDateTime, tz: &str) -> String {
    crate::i18n::format::timestamp(lang, t, tz)
}

pub fn time_zones() -> impl Iterator<Item = &'static str> {
    chrono_tz::TZ_VARIANTS.iter().map(|z| z.name())
}

/// The field errors of a refused command under the form's field names: the domain names
/// fields as the API does (`firstName`), forms as `first_name`.
pub fn field_errors(e: &AppError) -> Errors {
    let mut out = Errors::default();
    for (field, message) in Errors::from_error(e).0 {
        let mut name = String::with_capacity(field.len() + 2);
        for ch in field.chars() {
            if ch.is_ascii_uppercase() {
                name.push('_');
            }
            name.push(ch.to_ascii_lowercase());
        }
        out.add(&name, message);
    }
    out
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
    pub prefix: &'static str,
    /// The signed-in person.
    pub user: User,
    pub errors: Errors,
    pub sessions: Vec<SessionView>,
    pub tokens: Vec<TokenView>,
    pub new_token: Option<String>,
    pub can_tokens: bool,
    /// Portal only: the customer's company profile and access codes.
    pub company: Option<CompanyView>,
    pub preview: bool,
    /// Whether the person has a second factor.
    pub second_factor: bool,
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

/// Where the page's forms post: the portal's profile for customer routes (and previews), the
/// staff member's own page otherwise.
fn prefix(ctx: &Ctx) -> &'static str {
    if ctx.customer.is_some() { "/portal/profile" } else { "/admin/me" }
}

/// The page as the signed-in person sees it; `errors` and `new_token` come from a refused or
/// a successful form post.
pub async fn page(pg: &Page, errors: Errors, new_token: Option<String>) -> AppResult<AccountPage> {
    let (req, ctx) = (&pg.req, &pg.ctx);
    let (company, preview, l) = match Portal::try_from(ctx.clone()) {
        Ok(p) => {
            let company = crate::web::portal::profile::company_view(&pg.state, &p).await?;
            (Some(company), p.preview(), crate::web::portal::layout(&p, req, "title.profile", "nav-profile"))
        }
        Err(_) => (None, false, crate::web::admin::layout(req, ctx, "admin-nav-me")),
    };
    let (uid, max) = (ctx.user.id, pg.state.config.session_max);
    let (list, tokens, second_factor) = if preview {
        (Vec::new(), Vec::new(), false)
    } else {
        crate::db::run(&pg.state.pool, move |conn| {
            Ok((
                sessions::list_user_sessions(conn, uid, max)?,
                ApiToken::list_for_user(conn, uid)?,
                crate::auth::totp::is_enabled(conn, uid)?,
            ))
        })
        .await?
    };
    let current: Option<String> = pg.session().get(keys::HANDLE).ok().flatten();
    let (lang, tz) = (l.lang, ctx.user.time_zone.as_str());
    Ok(AccountPage {
        prefix: prefix(ctx),
        user: (*ctx.user).clone(),
        errors,
        sessions: list
            .into_iter()
            .map(|s: SessionInfo| SessionView {
                current: current.as_deref() == Some(s.handle.as_str()),
                device: s.user_agent.filter(|u| !u.is_empty()).unwrap_or_else(|| lang.t("account-unknown-device")),
                ip: s.ip.unwrap_or_default(),
                started: fmt_time(lang, s.created_at, tz),
                last_seen: fmt_time(lang, s.last_seen_at, tz),
                handle: s.handle,
            })
            .collect(),
        tokens: tokens
            .into_iter()
            .map(|t| TokenView {
                id: t.id,
                name: t.name,
                hint: t.hint,
                created: fmt_time(lang, t.created_at, tz),
                last_used: t.last_used_at.map(|x| fmt_time(lang, x, tz)).unwrap_or_else(|| lang.t("account-never")),
            })
            .collect(),
        new_token,
        can_tokens: ctx.can(Cap::ManageTokens) && !preview,
        company,
        preview,
        second_factor,
        l,
    })
}

pub async fn account_get(pg: Page) -> AppResult<HttpResponse> {
    Ok(html(StatusCode::OK, page(&pg, Errors::default(), None).await?.render()))
}

/// Answers a form post of the page: back to its section with a flash when the command
/// succeeded, the page with the field errors (422) when it refused.
pub async fn respond(pg: &Page, result: AppResult<()>, (ok_message, anchor): (&str, &str)) -> AppResult<HttpResponse> {
    match result {
        Ok(()) => {
            push_flash(&pg.session(), "success", ok_message);
            Ok(see_other(&format!("{}#{anchor}", prefix(&pg.ctx))))
        }
        Err(e @ (AppError::Unprocessable(..) | AppError::Conflict(..))) => {
            let p = page(pg, field_errors(&e), None).await?;
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, p.render()))
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct PersonalForm {
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
}

pub async fn personal_post(pg: Page, f: web::Form<PersonalForm>) -> AppResult<HttpResponse> {
    let (f, uid, actor) = (f.into_inner(), pg.ctx.user.id, pg.ctx.actor());
    let r = crate::db::run(&pg.state.pool, move |c| {
        own::set_names(c, &actor, uid, (Some(&f.first_name), Some(&f.last_name))).map(|_| ())
    })
    .await;
    respond(&pg, r, (&pg.ctx.lang.t("flash-personal-saved"), "personal")).await
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    pub lang: String,
    #[serde(default)]
    pub time_zone: String,
}

pub async fn settings_post(pg: Page, f: web::Form<SettingsForm>) -> AppResult<HttpResponse> {
    let f = f.into_inner();
    // The confirmation is in the newly chosen language.
    let accept = pg.req.headers().get(actix_web::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let ok = crate::i18n::resolve(&f.lang, accept).t("flash-settings-saved");
    let (uid, actor) = (pg.ctx.user.id, pg.ctx.actor());
    let r = crate::db::run(&pg.state.pool, move |c| {
        own::set_settings(c, &actor, uid, (Some(&f.lang), Some(&f.time_zone))).map(|_| ())
    })
    .await;
    respond(&pg, r, (&ok, "settings")).await
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

/// Changes the password: this session continues under a new id, every other one ends.
pub async fn password_post(pg: Page, f: web::Form<PasswordForm>) -> AppResult<HttpResponse> {
    let (f, user) = (f.into_inner(), &pg.ctx.user);
    let r = async {
        let hash = check_password_change(user, f.current_password, &f.new_password, &f.confirm_password).await?;
        let (uid, actor) = (user.id, pg.ctx.actor());
        crate::db::run(&pg.state.pool, move |c| own::change_password(c, &actor, uid, &hash)).await?;
        // Our own row went with the others: renew writes this session back under a new id.
        pg.session().renew();
        Ok(())
    }
    .await;
    respond(&pg, r, (&pg.ctx.lang.t("flash-password-changed"), "password")).await
}

/// Ends one of the person's sessions; ending the current one signs out.
pub async fn session_end_post(pg: Page, path: web::Path<String>) -> AppResult<HttpResponse> {
    let handle = path.into_inner();
    let (uid, actor, h) = (pg.ctx.user.id, pg.ctx.actor(), handle.clone());
    crate::db::run(&pg.state.pool, move |c| sessions::end_own(c, &actor, uid, &h)).await?;
    let session = pg.session();
    if session.get::<String>(keys::HANDLE).ok().flatten().as_deref() == Some(handle.as_str()) {
        session.purge();
        return Ok(see_other("/login"));
    }
    push_flash(&session, "success", pg.ctx.lang.t("flash-session-ended"));
    Ok(see_other(&format!("{}#sessions", prefix(&pg.ctx))))
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    pub name: String,
}

/// Makes a personal API token and shows its secret, this once.
pub async fn token_create_post(pg: Page, f: web::Form<TokenForm>) -> AppResult<HttpResponse> {
    let (name, owner, actor) = (f.into_inner().name, (*pg.ctx.user).clone(), pg.ctx.actor());
    let r = crate::db::run(&pg.state.pool, move |c| tokens::issue(c, &actor, &owner, &name)).await;
    let (status, errors, secret) = match r {
        Ok(issued) => (StatusCode::OK, Errors::default(), Some(issued.secret)),
        Err(e @ AppError::Unprocessable(..)) => (StatusCode::UNPROCESSABLE_ENTITY, field_errors(&e), None),
        Err(e) => return Err(e),
    };
    Ok(html(status, page(&pg, errors, secret).await?.render()))
}

pub async fn token_revoke_post(pg: Page, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let (id, uid, actor) = (path.into_inner(), pg.ctx.user.id, pg.ctx.actor());
    crate::db::run(&pg.state.pool, move |c| tokens::revoke(c, &actor, uid, id)).await?;
    push_flash(&pg.session(), "success", pg.ctx.lang.t("flash-token-revoked"));
    Ok(see_other(&format!("{}#tokens", prefix(&pg.ctx))))
}
