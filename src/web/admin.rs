//! The operator's admin area (SPEC §6).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::AppState;
use crate::auth::Staff;
use crate::error::AppResult;
use crate::web::account::{self, PasswordForm};
use crate::web::layout::{Area, Layout, NavItem, nav};
use crate::web::routes::html;

pub fn admin_nav(current: &str, staff: &Staff) -> Vec<NavItem> {
    let mut v = vec![nav("/admin", "Dashboard", "", current)];
    if staff.is_admin() {
        // Staff management arrives with the profiles issue.
    }
    v.push(nav("/admin/me", "My account", "", current));
    v
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
pub struct DashboardPage {
    pub l: Layout,
}

pub async fn dashboard_get(session: Session, s: Staff) -> AppResult<HttpResponse> {
    let page = DashboardPage { l: Layout::signed_in("Admin", &session, &s.0, Area::Admin, admin_nav("/admin", &s)) };
    Ok(html(StatusCode::OK, page.render()))
}

pub async fn me_get(state: web::Data<AppState>, session: Session, s: Staff) -> AppResult<HttpResponse> {
    let p = account::page(&state, &session, &s.0, Area::Admin, admin_nav("/admin/me", &s), Default::default(), None)
        .await?;
    Ok(html(StatusCode::OK, p.render()))
}

pub async fn password_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Staff,
    f: web::Form<PasswordForm>,
) -> AppResult<HttpResponse> {
    let r = account::change_password(&state, &req, &session, &s.0, f.into_inner()).await;
    account::respond(
        &state,
        &session,
        &s.0,
        Area::Admin,
        admin_nav("/admin/me", &s),
        r,
        ("Your password has been changed. Other sessions were signed out.", "password"),
    )
    .await
}

pub async fn session_end_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Staff,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    account::end_session(&state, &req, &session, &s.0, path.into_inner()).await
}
