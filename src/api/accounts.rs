//! Billing accounts and access codes of a customer (SPEC §4) in the API, for staff. Money is
//! exact: decimal strings with up to six places (`"12.345600"`); the balance is read-only (it
//! changes only through the ledger).

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::AppState;
use crate::api::body::ApiJson;
use crate::api::created;
use crate::api::list::{ListQuery, ListSpec, Source, list_params};
use crate::api::schema::{Page, ReadOnly, invalid, max_chars, nullable};
use crate::audit::{self, Actor};
use crate::customers::Customer;
use crate::customers::accounts::{
    AccessCode, AccessCodeInput, Account, AccountInput, ChildSort, RawAccount, validate_account,
};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, FieldError};
use crate::http::Ctx;
use crate::web::client_ip;

/// A billing account as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Account)]
pub struct AccountOut {
    pub id: i64,
    pub customer_id: i64,
    pub name: String,
    /// ISO 4217.
    pub currency: String,
    /// Decimal string; read-only.
    #[schema(example = "12.345600")]
    pub balance: String,
    #[schema(example = "-50.000000")]
    pub min_balance: String,
    pub max_balance: Option<String>,
    pub is_postpaid: bool,
    /// Concurrent calls allowed.
    pub capacity: i32,
}

pub fn account_out(a: &Account) -> AccountOut {
    AccountOut {
        id: a.id,
        customer_id: a.customer_id,
        name: a.name.clone(),
        currency: a.currency.clone(),
        balance: crate::money::format(a.balance),
        min_balance: crate::money::format(a.min_balance),
        max_balance: a.max_balance.map(crate::money::format),
        is_postpaid: a.is_postpaid,
        capacity: a.capacity,
    }
}

pub fn account_json(a: &Account) -> Value {
    serde_json::to_value(account_out(a)).unwrap_or_default()
}

fn zero() -> String {
    "0".into()
}

/// A new billing account. Money fields are decimal strings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = AccountCreate)]
#[allow(dead_code)] // read-only fields are accepted and ignored
pub struct AccountCreate {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[schema(pattern = "^[A-Z]{3}$", example = "EUR")]
    pub currency: String,
    #[serde(default = "zero")]
    #[schema(pattern = r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$")]
    pub min_balance: String,
    #[serde(default)]
    #[schema(pattern = r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$")]
    pub max_balance: Option<String>,
    #[serde(default)]
    pub is_postpaid: bool,
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1000000)]
    pub capacity: i64,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub id: ReadOnly,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub customer_id: ReadOnly,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub balance: ReadOnly,
}

/// The whole account as GET returned it; `id`, `customerId` and `balance` are ignored.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = AccountReplace)]
#[allow(dead_code)] // read-only fields are accepted and ignored
pub struct AccountReplace {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[schema(pattern = "^[A-Z]{3}$", example = "EUR")]
    pub currency: String,
    #[schema(pattern = r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$")]
    pub min_balance: String,
    #[serde(deserialize_with = "nullable")]
    #[schema(required = true, pattern = r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$")]
    pub max_balance: Option<String>,
    pub is_postpaid: bool,
    #[schema(minimum = 0, maximum = 1000000)]
    pub capacity: i64,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub id: ReadOnly,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub customer_id: ReadOnly,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub balance: ReadOnly,
}

fn money_text(field: &str, s: &str, e: &mut Vec<FieldError>) {
    if !crate::api::schema::decimal_ok(s, true) {
        e.push(FieldError::new(field, format!("`{s}` is not a decimal string such as \"12.500000\".")));
    }
}

fn account_input(
    name: &str,
    currency: &str,
    min: &str,
    max: Option<&str>,
    postpaid: bool,
    capacity: i64,
) -> AppResult<AccountInput> {
    let mut e = Vec::new();
    money_text("minBalance", min, &mut e);
    if let Some(m) = max {
        money_text("maxBalance", m, &mut e);
    }
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
        e.push(FieldError::new("currency", "Use a three-letter ISO 4217 code in capitals, such as EUR."));
    }
    if !e.is_empty() {
        return Err(invalid(e));
    }
    let cap = capacity.to_string();
    validate_account(&RawAccount {
        name,
        currency,
        min_balance: min,
        max_balance: max.unwrap_or(""),
        is_postpaid: postpaid,
        capacity: &cap,
    })
    .map_err(invalid)
}

pub const CHILD_LIST_ACCOUNTS: ListSpec =
    ListSpec { name: "accounts", sort_fields: &["id", "name"], filters: &[], text_ids: None };
list_params!(AccountListParams, CHILD_LIST_ACCOUNTS);

pub const ACCOUNT_COLUMNS: [&str; 9] =
    ["id", "customerId", "name", "currency", "balance", "minBalance", "maxBalance", "isPostpaid", "capacity"];

fn child_sort(q: &ListQuery) -> (ChildSort, bool) {
    (if q.sort_field == "id" { ChildSort::Id } else { ChildSort::Name }, q.ascending)
}

/// A source of a customer's accounts (also used by the portal's balance route).
pub fn account_source(customer: i64, q: &ListQuery) -> Source {
    let (ids, sort) = (q.specific_int_ids(), child_sort(q));
    Source::db(move |c, w, total| Ok(Account::page_of(c, customer, &ids, sort, w, total)?.map(|a| account_json(&a))))
}

async fn customer_exists(state: &AppState, id: i64) -> AppResult<()> {
    crate::db::run(&state.pool, move |c| Customer::get(c, id).map(|_| ())).await
}

/// List a customer's billing accounts.
#[utoipa::path(
    get,
    path = "/api/v1/customers/{id}/accounts",
    tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Customer id"), AccountListParams),
    responses(
        (status = 200, description = "One page of accounts, or the same rows as CSV.",
            content((Page<AccountOut> = "application/json"), (String = "text/csv")))
    )
)]
pub async fn accounts_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let customer = path.into_inner();
    let q = ListQuery::parse(&req, &caller, &CHILD_LIST_ACCOUNTS)?;
    customer_exists(&state, customer).await?;
    let columns = ACCOUNT_COLUMNS.iter().map(|c| c.to_string()).collect();
    crate::api::list::respond(&state, &q, &CHILD_LIST_ACCOUNTS, columns, account_source(customer, &q)).await
}

fn find_account(c: &mut DbConnection, id: i64) -> AppResult<Account> {
    Account::find(c, id)?.ok_or(AppError::NotFound)
}

/// One billing account.
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{id}",
    tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 200, description = "The account.", body = AccountOut))
)]
pub async fn account_get(state: web::Data<AppState>, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let a = crate::db::run(&state.pool, move |c| find_account(c, id)).await?;
    Ok(HttpResponse::Ok().json(account_out(&a)))
}

/// Open a billing account for a customer (balance 0).
#[utoipa::path(
    post,
    path = "/api/v1/customers/{id}/accounts",
    tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Customer id")),
    request_body = AccountCreate,
    responses(
        (status = 201, description = "Created.", body = AccountOut,
            headers(("Location" = String, description = "URL of the new account")))
    )
)]
pub async fn account_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Ctx,
    path: web::Path<i64>,
    body: ApiJson<AccountCreate>,
) -> AppResult<HttpResponse> {
    let customer = path.into_inner();
    let b = body.0;
    max_chars(&[("name", Some(&b.name), 200)])?;
    let (actor, ip) = (caller.actor(), client_ip(&req));
    let a = crate::db::run_tx(&state.pool, move |c| {
        Customer::get(c, customer)?;
        let input =
            account_input(&b.name, &b.currency, &b.min_balance, b.max_balance.as_deref(), b.is_postpaid, b.capacity)?;
        let a = Account::create(c, customer, &input)?;
        audit::record(
            c,
            &actor,
            "account.create",
            "account",
            Some(a.id.to_string()),
            audit::diff(None, Some(&a.to_json())),
        )?;
        Ok(a)
    })
    .await?;
    Ok(created(format!("/api/v1/accounts/{}", a.id), &account_out(&a)))
}

/// Replace a billing account (the balance is not changed).
#[utoipa::path(
    put,
    path = "/api/v1/accounts/{id}",
    tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Account id")),
    request_body = AccountReplace,
    responses((status = 200, description = "The stored account.", body = AccountOut))
)]
pub async fn account_put(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Ctx,
    path: web::Path<i64>,
    body: ApiJson<AccountReplace>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let b = body.0;
    max_chars(&[("name", Some(&b.name), 200)])?;
    let (actor, ip) = (caller.actor(), client_ip(&req));
    let a = crate::db::run_tx(&state.pool, move |c| {
        let before = find_account(c, id)?;
        let input =
            account_input(&b.name, &b.currency, &b.min_balance, b.max_balance.as_deref(), b.is_postpaid, b.capacity)?;
        let after = Account::update(c, before.customer_id, id, &input)?;
        audit::record(
            c,
            &actor,
            "account.update",
            "account",
            Some(id.to_string()),
            audit::diff(Some(&before.to_json()), Some(&after.to_json())),
        )?;
        Ok(after)
    })
    .await?;
    Ok(HttpResponse::Ok().json(account_out(&a)))
}

/// Close (delete) a billing account.
#[utoipa::path(
    delete,
    path = "/api/v1/accounts/{id}",
    tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Account id")),
    responses((status = 204, description = "Deleted."))
)]
pub async fn account_delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (actor, ip) = (caller.actor(), client_ip(&req));
    crate::db::run_tx(&state.pool, move |c| {
        let a = find_account(c, id)?;
        let gone = Account::delete(c, a.customer_id, id)?;
        audit::record(
            c,
            &actor,
            "account.delete",
            "account",
            Some(id.to_string()),
            audit::diff(Some(&gone.to_json()), None),
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

// ---------------------------------------------------------------------------------------------
// Access codes

/// The public part of an access code.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodePublic {
    #[schema(max_length = 500)]
    pub text: String,
    #[schema(max_length = 500)]
    pub value: String,
}

/// The private part of an access code: shown only to staff and to customer administrators and
/// developers.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodePrivate {
    #[schema(max_length = 500)]
    pub master: String,
    #[schema(max_length = 500)]
    pub read: String,
    #[schema(max_length = 500)]
    pub write: String,
}

/// An access code as staff see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = AccessCode)]
pub struct CodeOut {
    pub id: i64,
    pub customer_id: i64,
    pub label: String,
    pub public: CodePublic,
    pub private: CodePrivate,
}

/// An access code as a customer user sees it: `private` only for the roles administrator and
/// developer, absent for `user`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PortalAccessCode)]
pub struct PortalCodeOut {
    pub id: i64,
    pub customer_id: i64,
    pub label: String,
    pub public: CodePublic,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private: Option<CodePrivate>,
}

fn private_of(a: &AccessCode) -> CodePrivate {
    CodePrivate { master: a.private_master.clone(), read: a.private_read.clone(), write: a.private_write.clone() }
}

pub fn code_out(a: &AccessCode) -> CodeOut {
    CodeOut {
        id: a.id,
        customer_id: a.customer_id,
        label: a.label.clone(),
        public: CodePublic { text: a.public_text.clone(), value: a.public_value.clone() },
        private: private_of(a),
    }
}

pub fn portal_code_out(a: &AccessCode, with_private: bool) -> PortalCodeOut {
    PortalCodeOut {
        id: a.id,
        customer_id: a.customer_id,
        label: a.label.clone(),
        public: CodePublic { text: a.public_text.clone(), value: a.public_value.clone() },
        private: with_private.then(|| private_of(a)),
    }
}

/// The JSON of a list row (with `private`, it is the same as [`CodeOut`]).
pub fn code_json(a: &AccessCode, with_private: bool) -> Value {
    serde_json::to_value(portal_code_out(a, with_private)).unwrap_or_default()
}

/// A new access code; `public` and `private` default to empty strings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = AccessCodeCreate)]
#[allow(dead_code)] // read-only fields are accepted and ignored
pub struct CodeCreate {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub label: String,
    #[serde(default)]
    pub public: Option<CodePublic>,
    #[serde(default)]
    pub private: Option<CodePrivate>,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub id: ReadOnly,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub customer_id: ReadOnly,
}

/// The whole access code as GET returned it (`id`, `customerId` ignored).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = AccessCodeReplace)]
#[allow(dead_code)] // read-only fields are accepted and ignored
pub struct CodeReplace {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub label: String,
    pub public: CodePublic,
    pub private: CodePrivate,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub id: ReadOnly,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub customer_id: ReadOnly,
}

fn code_input(label: String, public: Option<CodePublic>, private: Option<CodePrivate>) -> AppResult<AccessCodeInput> {
    let (pt, pv) = public.map(|p| (p.text, p.value)).unwrap_or_default();
    let (m, r, w) = private.map(|p| (p.master, p.read, p.write)).unwrap_or_default();
    AccessCodeInput { label, public_text: pt, public_value: pv, private_master: m, private_read: r, private_write: w }
        .validate()
        .map_err(invalid)
}

pub const CODE_LIST: ListSpec =
    ListSpec { name: "access-codes", sort_fields: &["id", "label"], filters: &[], text_ids: None };
list_params!(CodeListParams, CODE_LIST);

/// CSV columns of access codes; the private ones only for those who may see them.
pub fn code_columns(with_private: bool) -> Vec<String> {
    let mut c = vec!["id", "customerId", "label", "public.text", "public.value"];
    if with_private {
        c.extend(["private.master", "private.read", "private.write"]);
    }
    c.into_iter().map(str::to_string).collect()
}

/// A source of a customer's access codes (also used by the portal's route).
pub fn code_source(customer: i64, q: &ListQuery, with_private: bool) -> Source {
    let (ids, sort) = (q.specific_int_ids(), child_sort(q));
    Source::db(move |c, w, total| {
        Ok(AccessCode::page_of(c, customer, &ids, sort, w, total)?.map(|a| code_json(&a, with_private)))
    })
}

/// List a customer's access codes (with their private parts).
#[utoipa::path(
    get,
    path = "/api/v1/customers/{id}/access-codes",
    tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Customer id"), CodeListParams),
    responses(
        (status = 200, description = "One page of access codes, or the same rows as CSV.",
            content((Page<CodeOut> = "application/json"), (String = "text/csv")))
    )
)]
pub async fn codes_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let customer = path.into_inner();
    let q = ListQuery::parse(&req, &caller, &CODE_LIST)?;
    customer_exists(&state, customer).await?;
    crate::api::list::respond(&state, &q, &CODE_LIST, code_columns(true), code_source(customer, &q, true)).await
}

fn find_code(c: &mut DbConnection, id: i64) -> AppResult<AccessCode> {
    AccessCode::find(c, id)?.ok_or(AppError::NotFound)
}

/// One access code.
#[utoipa::path(
    get,
    path = "/api/v1/access-codes/{id}",
    tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Access code id")),
    responses((status = 200, description = "The access code.", body = CodeOut))
)]
pub async fn code_get(state: web::Data<AppState>, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let a = crate::db::run(&state.pool, move |c| find_code(c, id)).await?;
    Ok(HttpResponse::Ok().json(code_out(&a)))
}

/// Add an access code to a customer.
#[utoipa::path(
    post,
    path = "/api/v1/customers/{id}/access-codes",
    tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Customer id")),
    request_body = CodeCreate,
    responses(
        (status = 201, description = "Created.", body = CodeOut,
            headers(("Location" = String, description = "URL of the new access code")))
    )
)]
pub async fn code_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Ctx,
    path: web::Path<i64>,
    body: ApiJson<CodeCreate>,
) -> AppResult<HttpResponse> {
    let customer = path.into_inner();
    let b = body.0;
    max_chars(&[("label", Some(&b.label), 200)])?;
    let (actor, ip) = (caller.actor(), client_ip(&req));
    let code = crate::db::run_tx(&state.pool, move |c| {
        Customer::get(c, customer)?;
        let input = code_input(b.label, b.public, b.private)?;
        let code = AccessCode::create(c, customer, &input)?;
        audit::record(
            c,
            &actor,
            "access_code.create",
            "access_code",
            Some(code.id.to_string()),
            audit::diff(None, Some(&serde_json::json!({"label": code.label, "customerId": customer}))),
        )?;
        Ok(code)
    })
    .await?;
    Ok(created(format!("/api/v1/access-codes/{}", code.id), &code_out(&code)))
}

/// Replace an access code.
#[utoipa::path(
    put,
    path = "/api/v1/access-codes/{id}",
    tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Access code id")),
    request_body = CodeReplace,
    responses((status = 200, description = "The stored access code.", body = CodeOut))
)]
pub async fn code_put(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Ctx,
    path: web::Path<i64>,
    body: ApiJson<CodeReplace>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let b = body.0;
    max_chars(&[("label", Some(&b.label), 200)])?;
    let (actor, ip) = (caller.actor(), client_ip(&req));
    let code = crate::db::run_tx(&state.pool, move |c| {
        let before = find_code(c, id)?;
        let input = code_input(b.label, Some(b.public), Some(b.private))?;
        let after = AccessCode::update(c, before.customer_id, id, &input)?;
        // Secrets stay out of the audit log: only whether they changed.
        let changed = |a: &AccessCode| {
            serde_json::json!({
                "label": a.label, "publicText": a.public_text, "publicValue": a.public_value,
                "privateChanged": (a.private_master.clone(), a.private_read.clone(), a.private_write.clone())
                    != (before.private_master.clone(), before.private_read.clone(), before.private_write.clone()),
            })
        };
        audit::record(
            c,
            &actor,
            "access_code.update",
            "access_code",
            Some(id.to_string()),
            audit::diff(Some(&changed(&before)), Some(&changed(&after))),
        )?;
        Ok(after)
    })
    .await?;
    Ok(HttpResponse::Ok().json(code_out(&code)))
}

/// Delete an access code.
#[utoipa::path(
    delete,
    path = "/api/v1/access-codes/{id}",
    tag = "Accounts and access codes",
    params(("id" = i64, Path, description = "Access code id")),
    responses((status = 204, description = "Deleted."))
)]
pub async fn code_delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (actor, ip) = (caller.actor(), client_ip(&req));
    crate::db::run_tx(&state.pool, move |c| {
        let a = find_code(c, id)?;
        let gone = AccessCode::delete(c, a.customer_id, id)?;
        audit::record(
            c,
            &actor,
            "access_code.delete",
            "access_code",
            Some(id.to_string()),
            audit::diff(Some(&serde_json::json!({"label": gone.label, "customerId": gone.customer_id})), None),
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_strings_are_strict() {
        let check = |s: &str| {
            let mut e = Vec::new();
            money_text("m", s, &mut e);
            e.is_empty()
        };
        assert!(check("12.345600"));
        assert!(check("-5"));
        assert!(check("0.1"));
        assert!(!check("+5"));
        assert!(!check(".5"));
        assert!(!check("5."));
        assert!(!check(" 5"));
        assert!(!check("1.0000001"));
        assert!(!check("1e5"));
        assert!(!check(""));
    }

    #[test]
    fn api_shapes_are_the_model_json() {
        let now = crate::now();
        let a = Account {
            id: 1,
            customer_id: 2,
            name: "Main".into(),
            currency: "EUR".into(),
            balance: 12_345_600,
            min_balance: -1,
            max_balance: None,
            is_postpaid: true,
            capacity: 3,
            created_at: now,
            updated_at: now,
        };
        assert_eq!(account_json(&a), a.to_json());
        let code = AccessCode {
            id: 1,
            customer_id: 2,
            label: "L".into(),
            public_text: "t".into(),
            public_value: "v".into(),
            private_master: "m".into(),
            private_read: "r".into(),
            private_write: "w".into(),
            created_at: now,
            updated_at: now,
        };
        for private in [true, false] {
            if private {
                assert_eq!(serde_json::to_value(code_out(&code)).unwrap(), code_json(&code, true));
            }
            let mut ours = code_json(&code, private);
            ours.as_object_mut().unwrap().remove("customerId");
            assert_eq!(ours, code.to_json(private));
        }
    }
}
