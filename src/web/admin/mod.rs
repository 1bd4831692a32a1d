//! The operator's admin area (SPEC §6). One guard enforces `routes::ADMIN_ROUTES`: staff only,
//! and admin-only lines refused to managers.

pub mod audit;
pub mod customers;
pub mod groups;
pub mod home;
pub mod profiles;
pub mod staff;

use actix_session::SessionExt;
use actix_web::HttpRequest;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::auth::{Identity, Staff};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::web::layout::{Area, Layout, NavItem, nav, request_lang};
use crate::web::routes::{ADMIN_ROUTES, StaffNeed, path_matches};

pub fn admin_nav(lang: Lang, current: &str, staff: &Staff) -> Vec<NavItem> {
    let mut v = vec![
        nav("/admin", &lang.t("admin-nav-dashboard"), "", current),
        nav("/admin/customers", &lang.t("admin-nav-customers"), "", current),
        nav("/admin/profiles", &lang.t("admin-nav-profiles"), "", current),
        nav("/admin/groups", &lang.t("admin-nav-groups"), "", current),
        nav("/admin/tags", &lang.t("admin-nav-tags"), "", current),
    ];
    if staff.is_admin() {
        v.push(nav("/admin/staff", &lang.t("admin-nav-staff"), "", current));
    }
    v.push(nav("/admin/audit", &lang.t("admin-nav-audit"), "", current));
    v.push(nav("/admin/me", &lang.t("admin-nav-me"), "", current));
    v
}

/// The frame of an admin page titled with the message `title_id`.
pub fn layout(req: &HttpRequest, staff: &Staff, title_id: &str) -> Layout {
    let lang = request_lang(req);
    layout_titled(req, staff, &lang.t(title_id))
}

/// The frame of an admin page with a title made by the handler.
pub fn layout_titled(req: &HttpRequest, staff: &Staff, title: &str) -> Layout {
    let lang = request_lang(req);
    Layout::signed_in(lang, title, &req.get_session(), &staff.0, Area::Admin, admin_nav(lang, req.path(), staff))
}

pub async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let rest = req.path().strip_prefix("/admin").unwrap_or("").to_string();
    let Some(route) = ADMIN_ROUTES.iter().find(|r| r.method == req.method().as_str() && path_matches(r.path, &rest))
    else {
        return Ok(req.error_response(AppError::NotFound).map_into_right_body());
    };
    let check = async {
        let id = Identity::load(req.request()).await?;
        if !id.is_staff() {
            return Err(AppError::Forbidden("This area is for the operator's staff.".into()));
        }
        if route.need == StaffNeed::Admin && id.role() != crate::users::model::Role::Admin {
            return Err(AppError::Forbidden("Only administrators may do this.".into()));
        }
        Ok(())
    };
    match check.await {
        Ok(()) => next.call(req).await.map(ServiceResponse::map_into_left_body),
        Err(e) => Ok(req.error_response(e).map_into_right_body()),
    }
}
