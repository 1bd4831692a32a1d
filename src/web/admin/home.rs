//! The admin dashboard: counts from the domain modules and the latest audit rows. (The staff
//! member's own page is `web::account`, shared with the portal's profile page.)

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use crate::audit::{AuditEntry, AuditFilter};
use crate::error::AppResult;
use crate::profiles::Profile;
use crate::users::User;
use crate::web::account::fmt_time;
use crate::web::html;
use crate::web::layout::Layout;
use crate::web::page::Page;

/// How many audit rows the dashboard shows.
const RECENT: i64 = 8;

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
pub struct DashboardPage {
    pub l: Layout,
    pub customers: i64,
    pub profiles: i64,
    pub users: i64,
    pub unassigned: i64,
    pub recent: Vec<(String, String, String, String)>,
    pub cryptomus: bool,
}

pub async fn dashboard_get(pg: Page) -> AppResult<HttpResponse> {
    let ((customers, unassigned), profiles, users, recent) = crate::db::run(&pg.state.pool, |c| {
        let counts = crate::customers::model::counts(c)?;
        Ok((
            counts,
            Profile::count(c)?,
            User::count_customer_users(c)?,
            AuditEntry::list(c, &AuditFilter::default(), RECENT)?,
        ))
    })
    .await?;
    let (lang, tz) = (pg.ctx.lang, pg.ctx.user.time_zone.as_str());
    let page = DashboardPage {
        l: super::layout(&pg.req, &pg.ctx, "admin-title"),
        customers,
        profiles,
        users,
        unassigned,
        recent: recent
            .into_iter()
            .map(|e| (fmt_time(lang, e.at, tz), e.actor_label, e.action, e.object_type))
            .collect(),
        cryptomus: pg.state.config.cryptomus.is_some(),
    };
    Ok(html(StatusCode::OK, page.render()))
}
