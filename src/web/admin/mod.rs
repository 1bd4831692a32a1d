//! The operator's admin area (SPEC §6): pages for staff. Who may reach which page is the
//! admin table of `crate::routes`.

pub mod audit;
pub mod customers;
pub mod groups;
pub mod home;
pub mod profiles;
pub mod second_factor;
pub mod staff;

use actix_session::SessionExt;
use actix_web::HttpRequest;

use crate::access::caps::Cap;
use crate::http::Ctx;
use crate::i18n::Lang;
use crate::web::layout::{Area, Layout, NavItem, nav};

/// What most admin handlers take from their request, as one extractor: the request (the page
/// frame), the state (the pool), the session (flash messages) and the staff context.
pub struct Staff {
    pub req: HttpRequest,
    pub state: actix_web::web::Data<crate::AppState>,
    pub session: actix_session::Session,
    pub ctx: Ctx,
}

impl actix_web::FromRequest for Staff {
    type Error = crate::error::AppError;
    type Future = std::future::Ready<Result<Staff, Self::Error>>;
    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        use actix_web::HttpMessage;
        let state = req.app_data::<actix_web::web::Data<crate::AppState>>().cloned();
        let ctx = req.extensions().get::<Ctx>().cloned();
        std::future::ready(match (state, ctx) {
            (Some(state), Some(ctx)) => Ok(Staff { req: req.clone(), state, session: req.get_session(), ctx }),
            _ => Err(crate::error::AppError::internal(anyhow::anyhow!(
                "admin handler without its guard: {}",
                req.path()
            ))),
        })
    }
}

pub fn admin_nav(lang: Lang, current: &str, staff: &Ctx) -> Vec<NavItem> {
    let mut v = vec![
        nav("/admin", &lang.t("admin-nav-dashboard"), "", current),
        nav("/admin/customers", &lang.t("admin-nav-customers"), "", current),
        nav("/admin/profiles", &lang.t("admin-nav-profiles"), "", current),
        nav("/admin/groups", &lang.t("admin-nav-groups"), "", current),
        nav("/admin/tags", &lang.t("admin-nav-tags"), "", current),
    ];
    if staff.can(Cap::Administer) {
        v.push(nav("/admin/staff", &lang.t("admin-nav-staff"), "", current));
    }
    v.push(nav("/admin/audit", &lang.t("admin-nav-audit"), "", current));
    v.push(nav("/admin/me", &lang.t("admin-nav-me"), "", current));
    v
}

/// The frame of an admin page titled with the message `title_id`.
pub fn layout(req: &HttpRequest, staff: &Ctx, title_id: &str) -> Layout {
    layout_titled(req, staff, &staff.lang.t(title_id))
}

/// The frame of an admin page with a title made by the handler.
pub fn layout_titled(req: &HttpRequest, staff: &Ctx, title: &str) -> Layout {
    let nav = admin_nav(staff.lang, req.path(), staff);
    Layout::signed_in(staff.lang, title, req, &staff.user, Area::Admin, nav)
}
