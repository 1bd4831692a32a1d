//! The billing accounts section of the customer page: open an account, change one.

use actix_web::HttpResponse;
use actix_web::web::{Bytes, Path};

use crate::customers::accounts::{self, RawAccount};
use crate::error::AppResult;
use crate::web::admin::Staff;
use crate::web::admin::customers::page::section_answer;
use crate::web::forms::Pairs;

/// The account form's fields.
fn raw_account(body: &[u8]) -> AppResult<RawAccount> {
    let p = Pairs::parse(body)?;
    let (name, currency, capacity) = (p.text("name"), p.text("currency"), p.text("capacity"));
    let (min_balance, max_balance, is_postpaid) = (p.text("min_balance"), p.text("max_balance"), p.flag("is_postpaid"));
    Ok(RawAccount { name, currency, min_balance, max_balance, is_postpaid, capacity })
}

pub async fn account_create_post(staff: Staff, path: Path<i64>, body: Bytes) -> AppResult<HttpResponse> {
    let (id, raw, actor) = (path.into_inner(), raw_account(&body)?, staff.ctx.actor());
    let r = crate::db::run(&staff.state.pool, move |c| accounts::create_account(c, &actor, id, &raw)).await;
    section_answer(&staff, id, r, ("customer-account-opened", "accounts")).await
}

pub async fn account_update_post(staff: Staff, path: Path<(i64, i64)>, body: Bytes) -> AppResult<HttpResponse> {
    let ((id, account), raw, actor) = (path.into_inner(), raw_account(&body)?, staff.ctx.actor());
    let r =
        crate::db::run(&staff.state.pool, move |c| accounts::update_account(c, &actor, Some(id), account, &raw)).await;
    section_answer(&staff, id, r, ("customer-account-saved", "accounts")).await
}
