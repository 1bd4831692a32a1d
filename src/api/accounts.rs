//! Billing accounts of a customer (SPEC §4) in the API, for staff. The balance is read-only (it
//! changes only through the ledger). Wire types in [`types`]; the writes are the commands of
//! `crate::customers::accounts`.

pub mod types;

use actix_web::web::Path;
use actix_web::{HttpRequest, HttpResponse};

use crate::api::body::ApiJson;
use crate::api::list::{ListQuery, ListSpec, Source};
use crate::api::schema::Page;
use crate::api::{Call, created};
use crate::customers::accounts::{self, Account, ChildSort};
use crate::customers::model::CustomerRow;
use crate::error::AppResult;
pub use types::{ACCOUNT_COLUMNS, AccountOut};
use types::{AccountCreate, AccountListParams, AccountReplace, CHILD_LIST_ACCOUNTS, account_json, account_out};

/// The sort of a list of a customer's accounts or access codes.
pub fn child_sort(q: &ListQuery) -> (ChildSort, bool) {
    (if q.sort_field == "id" { ChildSort::Id } else { ChildSort::Name }, q.ascending)
}

/// Answers a list of the rows of one customer (404 for an unknown customer).
pub async fn customer_list(
    req: &HttpRequest,
    call: Call,
    customer: i64,
    spec: &'static ListSpec,
    columns: Vec<String>,
    source: impl FnOnce(&ListQuery) -> Source,
) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(req, &call.caller, spec)?;
    crate::db::run(&call.state.pool, move |c| CustomerRow::get(c, customer).map(|_| ())).await?;
    let source = source(&q);
    crate::api::list::respond(&call.state, &q, spec, columns, source).await
}

/// A source of a customer's accounts (also used by the portal's balance route).
pub fn account_source(customer: i64, q: &ListQuery) -> Source {
    let (ids, sort) = (q.specific_int_ids(), child_sort(q));
    Source::db(move |c, w, total| Ok(Account::page_of(c, customer, &ids, sort, w, total)?.map(|a| account_json(&a))))
}

/// List a customer's billing accounts.
#[utoipa::path(get, path = "/api/v1/customers/{id}/accounts", tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Customer id"), AccountListParams),
    responses((status = 200, description = "One page of accounts, or the same rows as CSV.",
        content((Page<AccountOut> = "application/json"), (String = "text/csv")))))]
pub async fn accounts_get(req: HttpRequest, call: Call, path: Path<i64>) -> AppResult<HttpResponse> {
    let customer = path.into_inner();
    let columns = ACCOUNT_COLUMNS.iter().map(|c| c.to_string()).collect();
    customer_list(&req, call, customer, &CHILD_LIST_ACCOUNTS, columns, |q| account_source(customer, q)).await
}

/// One billing account.
#[utoipa::path(get, path = "/api/v1/accounts/{id}", tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 200, description = "The account.", body = AccountOut)))]
pub async fn account_get(call: Call, path: Path<i64>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let a = crate::db::run(&call.state.pool, move |c| Account::get_in(c, None, id)).await?;
    Ok(HttpResponse::Ok().json(account_out(&a)))
}

/// Open a billing account for a customer (balance 0).
#[utoipa::path(post, path = "/api/v1/customers/{id}/accounts", tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Customer id")), request_body = AccountCreate,
    responses((status = 201, description = "Created.", body = AccountOut,
        headers(("Location" = String, description = "URL of the new account")))))]
pub async fn account_post(call: Call, path: Path<i64>, body: ApiJson<AccountCreate>) -> AppResult<HttpResponse> {
    let (customer, raw, actor) = (path.into_inner(), body.0.raw()?, call.caller.actor());
    let a = crate::db::run(&call.state.pool, move |c| accounts::create_account(c, &actor, customer, &raw)).await?;
    Ok(created(format!("/api/v1/accounts/{}", a.id), &account_out(&a)))
}

/// Replace a billing account (the balance is not changed).
#[utoipa::path(put, path = "/api/v1/accounts/{id}", tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Account id")), request_body = AccountReplace,
    responses((status = 200, description = "The stored account.", body = AccountOut)))]
pub async fn account_put(call: Call, path: Path<i64>, body: ApiJson<AccountReplace>) -> AppResult<HttpResponse> {
    let (id, raw, actor) = (path.into_inner(), body.0.raw()?, call.caller.actor());
    let a = crate::db::run(&call.state.pool, move |c| accounts::update_account(c, &actor, None, id, &raw)).await?;
    Ok(HttpResponse::Ok().json(account_out(&a)))
}

/// Close (delete) a billing account.
#[utoipa::path(delete, path = "/api/v1/accounts/{id}", tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 204, description = "Deleted.")))]
pub async fn account_delete(call: Call, path: Path<i64>) -> AppResult<HttpResponse> {
    let (id, actor) = (path.into_inner(), call.caller.actor());
    crate::db::run(&call.state.pool, move |c| accounts::delete_account(c, &actor, None, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
