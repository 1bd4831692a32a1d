//! Access codes of a customer (SPEC §4) in the API, for staff (customer users read theirs under
//! `/profile/access-codes`). Wire types in [`types`]; the writes are the commands of
//! `crate::customers::codes`.

pub mod types;

use actix_web::web::Path;
use actix_web::{HttpRequest, HttpResponse};

use crate::api::accounts::{child_sort, customer_list};
use crate::api::body::ApiJson;
use crate::api::list::{ListQuery, Source};
use crate::api::schema::Page;
use crate::api::{Call, created};
use crate::customers::codes::{self, AccessCode};
use crate::error::AppResult;
use types::{CODE_LIST, CodeCreate, CodeListParams, CodeOut, CodeReplace, code_json, code_out};
pub use types::{PortalCodeOut, code_columns};

/// A source of a customer's access codes (also used by the portal's route).
pub fn code_source(customer: i64, q: &ListQuery, with_private: bool) -> Source {
    let (ids, sort) = (q.specific_int_ids(), child_sort(q));
    Source::db(move |c, w, total| {
        Ok(AccessCode::page_of(c, customer, &ids, sort, w, total)?.map(|a| code_json(&a, with_private)))
    })
}

/// List a customer's access codes (with their private parts).
#[utoipa::path(get, path = "/api/v1/customers/{id}/access-codes", tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Customer id"), CodeListParams),
    responses((status = 200, description = "One page of access codes, or the same rows as CSV.",
        content((Page<CodeOut> = "application/json"), (String = "text/csv")))))]
pub async fn codes_get(req: HttpRequest, call: Call, path: Path<i64>) -> AppResult<HttpResponse> {
    let customer = path.into_inner();
    customer_list(&req, call, customer, &CODE_LIST, code_columns(true), |q| code_source(customer, q, true)).await
}

/// One access code.
#[utoipa::path(get, path = "/api/v1/access-codes/{id}", tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Access code id")),
    responses((status = 200, description = "The access code.", body = CodeOut)))]
pub async fn code_get(call: Call, path: Path<i64>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let code = crate::db::run(&call.state.pool, move |c| AccessCode::get_in(c, None, id)).await?;
    Ok(HttpResponse::Ok().json(code_out(&code)))
}

/// Add an access code to a customer.
#[utoipa::path(post, path = "/api/v1/customers/{id}/access-codes", tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Customer id")), request_body = CodeCreate,
    responses((status = 201, description = "Created.", body = CodeOut,
        headers(("Location" = String, description = "URL of the new access code")))))]
pub async fn code_post(call: Call, path: Path<i64>, body: ApiJson<CodeCreate>) -> AppResult<HttpResponse> {
    let (customer, input, actor) = (path.into_inner(), body.0.input()?, call.caller.actor());
    let code = crate::db::run(&call.state.pool, move |c| codes::create_code(c, &actor, customer, input)).await?;
    Ok(created(format!("/api/v1/access-codes/{}", code.id), &code_out(&code)))
}

/// Replace an access code.
#[utoipa::path(put, path = "/api/v1/access-codes/{id}", tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Access code id")), request_body = CodeReplace,
    responses((status = 200, description = "The stored access code.", body = CodeOut)))]
pub async fn code_put(call: Call, path: Path<i64>, body: ApiJson<CodeReplace>) -> AppResult<HttpResponse> {
    let (id, input, actor) = (path.into_inner(), body.0.input()?, call.caller.actor());
    let code = crate::db::run(&call.state.pool, move |c| codes::update_code(c, &actor, None, id, input)).await?;
    Ok(HttpResponse::Ok().json(code_out(&code)))
}

/// Delete an access code.
#[utoipa::path(delete, path = "/api/v1/access-codes/{id}", tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Access code id")),
    responses((status = 204, description = "Deleted.")))]
pub async fn code_delete(call: Call, path: Path<i64>) -> AppResult<HttpResponse> {
    let (id, actor) = (path.into_inner(), call.caller.actor());
    crate::db::run(&call.state.pool, move |c| codes::delete_code(c, &actor, None, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
