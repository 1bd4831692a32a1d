//! A staff admin removes a person's second factor (a lost phone): customer users from the
//! customer's page, staff from the staff list. The command (`crate::auth::totp::reset`) audits
//! it, ends the person's sessions and mails them.

use actix_web::HttpResponse;
use actix_web::web::Path;

use crate::error::{AppError, AppResult};
use crate::web::admin::Staff;
use crate::web::layout::push_flash;
use crate::web::see_other;

async fn reset(staff: &Staff, customer: Option<i64>, user: i64) -> AppResult<()> {
    let actor = staff.ctx.actor();
    crate::db::run(&staff.state.pool, move |c| {
        let person = crate::users::commands::get_of(c, customer, user)?;
        crate::auth::totp::reset(c, &actor, &person)
    })
    .await
}

fn answer(staff: &Staff, r: AppResult<()>, back: String) -> AppResult<HttpResponse> {
    match r {
        Ok(()) => push_flash(&staff.session, "success", staff.ctx.lang.t("admin-2fa-reset-done")),
        Err(AppError::Conflict(m, _)) => push_flash(&staff.session, "error", staff.ctx.lang.msg(&m)),
        Err(e) => return Err(e),
    }
    Ok(see_other(&back))
}

pub async fn customer_user_reset_post(staff: Staff, path: Path<(i64, i64)>) -> AppResult<HttpResponse> {
    let (customer, user) = path.into_inner();
    let r = reset(&staff, Some(customer), user).await;
    answer(&staff, r, format!("/admin/customers/{customer}#users"))
}

pub async fn staff_reset_post(staff: Staff, path: Path<i64>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let r = reset(&staff, None, id).await;
    answer(&staff, r, "/admin/staff".into())
}
