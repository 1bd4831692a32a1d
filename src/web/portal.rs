//! The customer portal (SPEC §5).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::AppState;
use crate::auth::Identity;
use crate::error::{AppError, AppResult};
use crate::web::account::{self, PasswordForm, PersonalForm, SettingsForm, TokenForm};
use crate::web::layout::{Area, Layout, NavItem, nav};
use crate::web::routes::html;

/// A signed-in customer user. Staff get 403 here (they use the preview).
pub struct PortalUser(pub Identity);

impl actix_web::FromRequest for PortalUser {
    type Error = AppError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, Self::Error>>>>;
    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let id = Identity::load(&req).await?;
            if id.is_staff() {
                return Err(AppError::Forbidden(
                    "The portal is for customers' users. Staff use the admin area.".into(),
                ));
            }
            Ok(PortalUser(id))
        })
    }
}

pub fn portal_nav(current: &str) -> Vec<NavItem> {
    vec![nav("/portal", "Dashboard", "", current), nav("/portal/profile", "Profile", "", current)]
}

#[derive(Template)]
#[template(path = "portal/dashboard.html")]
pub struct DashboardPage {
    pub l: Layout,
}

pub async fn dashboard_get(session: Session, u: PortalUser) -> AppResult<HttpResponse> {
    let page = DashboardPage { l: Layout::signed_in("Dashboard", &session, &u.0, Area::Portal, portal_nav("/portal")) };
    Ok(html(StatusCode::OK, page.render()))
}

pub async fn profile_get(state: web::Data<AppState>, session: Session, u: PortalUser) -> AppResult<HttpResponse> {
    let p =
        account::page(&state, &session, &u.0, Area::Portal, portal_nav("/portal/profile"), Default::default(), None)
            .await?;
    Ok(html(StatusCode::OK, p.render()))
}

pub async fn personal_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    u: PortalUser,
    f: web::Form<PersonalForm>,
) -> AppResult<HttpResponse> {
    let r = account::save_personal(&state, &req, &u.0, &f).await;
    account::respond(
        &state,
        &session,
        &u.0,
        Area::Portal,
        portal_nav("/portal/profile"),
        r,
        ("Your details have been saved.", "personal"),
    )
    .await
}

pub async fn settings_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    u: PortalUser,
    f: web::Form<SettingsForm>,
) -> AppResult<HttpResponse> {
    let f = f.into_inner();
    let r = account::save_settings(&state, &req, &u.0, f.lang, f.time_zone).await;
    account::respond(
        &state,
        &session,
        &u.0,
        Area::Portal,
        portal_nav("/portal/profile"),
        r,
        ("Your settings have been saved.", "settings"),
    )
    .await
}

pub async fn password_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    u: PortalUser,
    f: web::Form<PasswordForm>,
) -> AppResult<HttpResponse> {
    let r = account::change_password(&state, &req, &session, &u.0, f.into_inner()).await;
    account::respond(
        &state,
        &session,
        &u.0,
        Area::Portal,
        portal_nav("/portal/profile"),
        r,
        ("Your password has been changed. Other sessions were signed out.", "password"),
    )
    .await
}

pub async fn session_end_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    u: PortalUser,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    account::end_session(&state, &req, &session, &u.0, path.into_inner()).await
}

pub async fn token_create_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    u: PortalUser,
    f: web::Form<TokenForm>,
) -> AppResult<HttpResponse> {
    use crate::users::model::Role;
    if !matches!(u.0.role(), Role::Administrator | Role::Developer) {
        return Err(AppError::Forbidden("Only administrators and developers may create API tokens.".into()));
    }
    match account::create_token(&state, &req, &u.0, f.into_inner().name).await {
        Ok(secret) => {
            let p = account::page(
                &state,
                &session,
                &u.0,
                Area::Portal,
                portal_nav("/portal/profile"),
                Default::default(),
                Some(secret),
            )
            .await?;
            Ok(html(StatusCode::OK, p.render()))
        }
        Err(errors) => {
            let p = account::page(&state, &session, &u.0, Area::Portal, portal_nav("/portal/profile"), errors, None)
                .await?;
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, p.render()))
        }
    }
}

pub async fn token_revoke_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    u: PortalUser,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    account::revoke_token(&state, &req, &u.0, path.into_inner()).await?;
    crate::web::layout::push_flash(&session, "success", "The token has been revoked.");
    Ok(crate::web::see_other("/portal/profile#tokens"))
}
