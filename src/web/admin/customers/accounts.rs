//! The billing accounts section of the customer page: open an account, change one.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::AppState;
use crate::customers::accounts::{self, RawAccount};
use crate::error::AppResult;
use crate::http::Ctx;
use crate::web::admin::customers::page::section_answer;
use crate::web::forms::Pairs;

fn raw_account(body: &[u8]) -> AppResult<RawAccount> {
    let p = Pairs::parse(body)?;
    Ok(RawAccount {
        name: p.text("name"),
        currency: p.text("currency"),
        min_balance: p.text("min_balance"),
        max_balance: p.text("max_balance"),
        is_postpaid: p.flag("is_postpaid"),
        capacity: p.text("capacity"),
    })
}

pub async fn account_create_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let (id, raw, actor) = (path.into_inner(), raw_account(&body)?, s.actor());
    let r = crate::db::run(&state.pool, move |c| accounts::create_account(c, &actor, id, &raw)).await;
    section_answer((&req, &state, &s, &session), id, r, ("customer-account-opened", "accounts")).await
}

pub async fn account_update_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let ((id, account), raw, actor) = (path.into_inner(), raw_account(&body)?, s.actor());
    let r = crate::db::run(&state.pool, move |c| accounts::update_account(c, &actor, Some(id), account, &raw)).await;
    section_answer((&req, &state, &s, &session), id, r, ("customer-account-saved", "accounts")).await
}
