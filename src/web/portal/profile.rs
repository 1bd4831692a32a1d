//! The portal profile page: personal data, language and time zone, password, sessions, API
//! tokens; the company profile and access codes; and, for customer administrators, the
//! customer's portal users.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::AppState;
use crate::audit::Actor;
use crate::customers::accounts::AccessCode;
use crate::customers::commands::{self, CompanyChange};
use crate::customers::model::Customer;
use crate::error::{AppError, AppResult};
use crate::http::Portal;
use crate::users::commands::{self as users, NewUserInput};
use crate::users::model::Role;
use crate::users::{User, UserKind};
use crate::web::account::{self, CodeView, CompanyView, Frame, PasswordForm, PersonalForm, SettingsForm, TokenForm};
use crate::web::forms::Errors;
use crate::web::html;
use crate::web::layout::{Area, Layout, push_flash};
use crate::web::see_other;

fn identity(p: &Portal) -> &crate::http::Ctx {
    p.ctx()
}

async fn frame(state: &AppState, req: &HttpRequest, p: &Portal) -> AppResult<Frame> {
    let cid = p.customer_id();
    let (customer, codes) =
        crate::db::run(&state.pool, move |c| Ok((Customer::get(c, cid)?, AccessCode::for_customer(c, cid)?))).await?;
    let private = p.can(crate::access::caps::Cap::SeePrivateCodes);
    let company = CompanyView {
        customer_name: customer.row.name.clone(),
        company_name: customer.row.company_name.clone(),
        country_code: customer.row.country_code.clone(),
        phone: customer.row.phone.clone(),
        editable: p.role == Role::Administrator && !p.preview(),
        codes: codes
            .into_iter()
            .map(|c| CodeView {
                id: c.id,
                private: private.then(|| (c.private_master.clone(), c.private_read.clone(), c.private_write.clone())),
                label: c.label,
                public_text: c.public_text,
                public_value: c.public_value,
            })
            .collect(),
        profile_name: p.effective().profile_name.clone().unwrap_or_else(|| p.lang.t("common-none")),
    };
    let (p2, req2) = (p.clone(), req.clone());
    Ok(Frame {
        area: Area::Portal,
        layout: Box::new(move || crate::web::portal::layout(&p2, &req2, "title.profile", "nav-profile")),
        company: Some(company),
        can_tokens: matches!(p.role, Role::Administrator | Role::Developer),
        preview: p.preview(),
    })
}

pub async fn profile_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    p: Portal,
) -> AppResult<HttpResponse> {
    let f = frame(&state, &req, &p).await?;
    let page = account::page(&state, &session, identity(&p), f, Errors::default(), None).await?;
    Ok(html(StatusCode::OK, page.render()))
}

pub async fn personal_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    p: Portal,
    f: web::Form<PersonalForm>,
) -> AppResult<HttpResponse> {
    let id = identity(&p);
    let r = account::save_personal(&state, &req, &id, &f).await;
    let fr = frame(&state, &req, &p).await?;
    account::respond(&state, &session, &id, fr, r, (&p.lang.t("flash-personal-saved"), "personal")).await
}

pub async fn settings_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    p: Portal,
    f: web::Form<SettingsForm>,
) -> AppResult<HttpResponse> {
    let id = identity(&p);
    let f = f.into_inner();
    // The confirmation is in the newly chosen language.
    let accept = req.headers().get(actix_web::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let new_lang = crate::i18n::resolve(&f.lang, accept);
    let r = account::save_settings(&state, &req, &id, f.lang, f.time_zone).await;
    let fr = frame(&state, &req, &p).await?;
    let ok = new_lang.t("flash-settings-saved");
    account::respond(&state, &session, &id, fr, r, (&ok, "settings")).await
}

pub async fn password_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    p: Portal,
    f: web::Form<PasswordForm>,
) -> AppResult<HttpResponse> {
    let id = identity(&p);
    let r = account::change_password(&state, &req, &session, &id, f.into_inner()).await;
    let fr = frame(&state, &req, &p).await?;
    account::respond(&state, &session, &id, fr, r, (&p.lang.t("flash-password-changed"), "password")).await
}

pub async fn session_end_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    p: Portal,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    account::end_session(&state, &req, &session, identity(&p), path.into_inner()).await
}

pub async fn token_create_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    p: Portal,
    f: web::Form<TokenForm>,
) -> AppResult<HttpResponse> {
    let id = identity(&p);
    let result = account::create_token(&state, &req, &id, f.into_inner().name).await;
    let fr = frame(&state, &req, &p).await?;
    let (status, errors, secret) = match result {
        Ok(secret) => (StatusCode::OK, Errors::default(), Some(secret)),
        Err(e) => (StatusCode::UNPROCESSABLE_ENTITY, e, None),
    };
    let page = account::page(&state, &session, &id, fr, errors, secret).await?;
    Ok(html(status, page.render()))
}

pub async fn token_revoke_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    p: Portal,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    account::revoke_token(&state, &req, identity(&p), path.into_inner()).await?;
    push_flash(&session, "success", p.lang.t("flash-token-revoked"));
    Ok(see_other("/portal/profile#tokens"))
}

#[derive(Deserialize)]
pub struct CompanyForm {
    #[serde(default)]
    pub company_name: String,
    #[serde(default)]
    pub country_code: String,
    #[serde(default)]
    pub phone: String,
}

pub async fn company_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    p: Portal,
    f: web::Form<CompanyForm>,
) -> AppResult<HttpResponse> {
    let f = f.into_inner();
    let cid = p.customer_id();
    let actor = p.actor();
    let change =
        CompanyChange { company_name: Some(f.company_name), country_code: Some(f.country_code), phone: Some(f.phone) };
    let r = crate::db::run(&state.pool, move |c| commands::update_company(c, &actor, cid, change).map(|_| ()))
        .await
        .map_err(|e| Errors::from_error(&e));
    let id = identity(&p);
    let fr = frame(&state, &req, &p).await?;
    account::respond(&state, &session, &id, fr, r, (&p.lang.t("flash-company-saved"), "company")).await
}

// ---------------------------------------------------------------------------------------------
// The customer's portal users (customer administrators)

pub struct UserView {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: String,
    pub disabled: bool,
    pub pending: bool,
    pub me: bool,
}

#[derive(Template)]
#[template(path = "portal/users.html")]
pub struct UsersPage {
    pub l: Layout,
    pub users: Vec<UserView>,
    pub errors: Errors,
    pub invitation: Option<String>,
    pub form_email: String,
}

impl UsersPage {
    pub fn roles(&self) -> [Role; 3] {
        Role::CUSTOMER_ROLES
    }
    pub fn role_label(&self, r: &Role) -> String {
        crate::web::layout::role_label(self.l.lang, *r)
    }
}

async fn users_page(
    req: &HttpRequest,
    state: &AppState,
    p: &Portal,
    errors: Errors,
    invitation: Option<String>,
    form_email: String,
) -> AppResult<UsersPage> {
    let cid = p.customer_id();
    let users = crate::db::run(&state.pool, move |c| crate::users::invitations::list_with_state(c, cid)).await?;
    Ok(UsersPage {
        l: crate::web::portal::layout(&p, req, "title.users", "nav-users"),
        users: users
            .into_iter()
            .map(|(u, pending)| UserView {
                id: u.id,
                name: u.display_name(),
                role: crate::web::layout::role_label(p.lang, u.role),
                disabled: u.disabled,
                pending,
                me: u.id == p.user.id,
                email: u.email,
            })
            .collect(),
        errors,
        invitation,
        form_email,
    })
}

pub async fn users_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let page = users_page(&req, &state, &p, Errors::default(), None, String::new()).await?;
    Ok(html(StatusCode::OK, page.render()))
}

#[derive(Deserialize)]
pub struct NewUserForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    #[serde(default)]
    pub role: String,
}

pub async fn user_create_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    f: web::Form<NewUserForm>,
) -> AppResult<HttpResponse> {
    let f = f.into_inner();
    let new = NewUserInput {
        email: f.email.clone(),
        first_name: f.first_name,
        last_name: f.last_name,
        role: f.role,
        password: None,
    };
    let (cid, actor) = (p.customer_id(), p.actor());
    let r = async {
        let ready = new.check(UserKind::Customer)?.hashed().await?;
        crate::db::run(&state.pool, move |c| users::create(c, &actor, Some(cid), ready)).await
    }
    .await;
    match r {
        Ok(created) => {
            let invitation = created.invitation.map(|t| crate::http::invitation_url(&req, &t));
            let page = users_page(&req, &state, &p, Errors::default(), invitation, String::new()).await?;
            Ok(html(StatusCode::OK, page.render()))
        }
        Err(e @ (AppError::Unprocessable(..) | AppError::Conflict(..))) => {
            let page = users_page(&req, &state, &p, Errors::from_error(&e), None, f.email).await?;
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page.render()))
        }
        Err(e) => Err(e),
    }
}

async fn set_disabled(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    p: Portal,
    uid: i64,
    disabled: bool,
) -> AppResult<HttpResponse> {
    let (cid, actor) = (p.customer_id(), p.actor());
    crate::db::run(&state.pool, move |c| users::set_disabled(c, &actor, Some(cid), uid, disabled)).await?;
    let _ = req;
    push_flash(&session, "success", p.lang.t(if disabled { "users-disabled-flash" } else { "users-enabled-flash" }));
    Ok(see_other("/portal/users"))
}

pub async fn user_disable_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    p: Portal,
    path: web::Path<(i64,)>,
) -> AppResult<HttpResponse> {
    set_disabled(req, state, session, p, path.into_inner().0, true).await
}

pub async fn user_enable_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    p: Portal,
    path: web::Path<(i64,)>,
) -> AppResult<HttpResponse> {
    set_disabled(req, state, session, p, path.into_inner().0, false).await
}
