//! The signed-in customer user's own routes (SPEC §8 "Customer"): profile, company profile,
//! settings, balance, access codes and personal API tokens, through the same commands as the
//! portal's profile page. The guard has already applied the same key and role rules as the
//! portal. The wire types are in [`types`].

mod types;

use actix_web::{HttpRequest, HttpResponse, web};

use crate::AppState;
use crate::access::caps::Cap;
use crate::api::access_codes::{PortalCodeOut, code_columns, code_source};
use crate::api::accounts::{ACCOUNT_COLUMNS, AccountOut, account_source};
use crate::api::body::ApiJson;
use crate::api::created;
use crate::api::customers::CustomerOut;
use crate::api::list::{ListQuery, ListSpec, Source, list_params};
use crate::api::schema::{Page, max_chars};
use crate::auth::tokens::{self, ApiToken, TokenSort};
use crate::customers::Customer;
use crate::customers::commands::CompanyChange;
use crate::error::{AppError, AppResult};
use crate::http::Portal;
use crate::users::User;
use crate::users::account as own;
use types::token_out;
pub use types::{MeUser, ProfileOut, ProfileUpdate, RoleOut, Settings, TokenCreate, TokenCreated, TokenOut};

async fn profile_of(state: &AppState, p: &Portal) -> AppResult<ProfileOut> {
    let (uid, cid) = (p.user.id, p.customer_id());
    let (user, customer) = crate::db::run(&state.pool, move |c| {
        Ok((User::find(c, uid)?.ok_or(AppError::NotFound)?, Customer::get(c, cid)?))
    })
    .await?;
    Ok(ProfileOut {
        user: MeUser {
            id: user.id,
            email: user.email,
            first_name: user.first_name,
            last_name: user.last_name,
            lang: user.lang,
            time_zone: user.time_zone,
            role: RoleOut::of(p),
        },
        customer: CustomerOut::of(&customer, p.effective().profile_id),
        permissions: p.grants().keys(),
    })
}

/// The signed-in customer user's profile.
#[utoipa::path(
    get,
    path = "/api/v1/profile",
    tag = "Profile (customer users)",
    responses((status = 200, description = "User, customer and effective permissions.", body = ProfileOut))
)]
pub async fn profile_get(state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(profile_of(&state, &p).await?))
}

/// Change the company profile and the user's names (role administrator only).
#[utoipa::path(
    put,
    path = "/api/v1/profile",
    tag = "Profile (customer users)",
    request_body = ProfileUpdate,
    responses((status = 200, description = "The profile after the change.", body = ProfileOut))
)]
pub async fn profile_put(
    state: web::Data<AppState>,
    p: Portal,
    body: ApiJson<ProfileUpdate>,
) -> AppResult<HttpResponse> {
    let b = body.0;
    max_chars(&[
        ("companyName", b.company_name.as_deref(), 200),
        ("firstName", b.first_name.as_deref(), 100),
        ("lastName", b.last_name.as_deref(), 100),
    ])?;
    let company = CompanyChange { company_name: b.company_name, country_code: b.country_code, phone: b.phone };
    let (who, actor) = ((p.user.id, p.customer_id()), p.actor());
    crate::db::run(&state.pool, move |c| {
        own::update_profile(c, &actor, who, company, (b.first_name.as_deref(), b.last_name.as_deref()))
    })
    .await?;
    Ok(HttpResponse::Ok().json(profile_of(&state, &p).await?))
}

/// Change the user's language and time zone.
#[utoipa::path(
    put,
    path = "/api/v1/profile/settings",
    tag = "Profile (customer users)",
    request_body = Settings,
    responses((status = 200, description = "The stored settings.", body = Settings))
)]
pub async fn settings_put(state: web::Data<AppState>, p: Portal, body: ApiJson<Settings>) -> AppResult<HttpResponse> {
    let (b, uid, actor) = (body.0, p.user.id, p.actor());
    let u = crate::db::run(&state.pool, move |c| {
        own::set_settings(c, &actor, uid, (b.lang.as_deref(), b.time_zone.as_deref()))
    })
    .await?;
    Ok(HttpResponse::Ok().json(Settings { lang: Some(u.lang), time_zone: Some(u.time_zone) }))
}

pub const BALANCE_LIST: ListSpec =
    ListSpec { name: "balance", sort_fields: &["id", "name"], filters: &[], text_ids: None };
list_params!(BalanceListParams, BALANCE_LIST);

/// The balances of the customer's billing accounts (role administrator, permission `account`).
#[utoipa::path(
    get,
    path = "/api/v1/profile/balance",
    tag = "Profile (customer users)",
    params(BalanceListParams),
    responses(
        (status = 200, description = "The customer's accounts with their balances, or the same rows as CSV.",
            content((Page<AccountOut> = "application/json"), (String = "text/csv")))
    )
)]
pub async fn balance_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &p, &BALANCE_LIST)?;
    let columns = ACCOUNT_COLUMNS.iter().map(|c| c.to_string()).collect();
    crate::api::list::respond(&state, &q, &BALANCE_LIST, columns, account_source(p.customer_id(), &q)).await
}

pub const MY_CODE_LIST: ListSpec =
    ListSpec { name: "access-codes", sort_fields: &["id", "label"], filters: &[], text_ids: None };
list_params!(MyCodeListParams, MY_CODE_LIST);

/// The customer's access codes; `private` only for roles administrator and developer.
#[utoipa::path(
    get,
    path = "/api/v1/profile/access-codes",
    tag = "Profile (customer users)",
    params(MyCodeListParams),
    responses(
        (status = 200, description = "The access codes, or the same rows as CSV.",
            content((Page<PortalCodeOut> = "application/json"), (String = "text/csv")))
    )
)]
pub async fn codes_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &p, &MY_CODE_LIST)?;
    let private = p.can(Cap::SeePrivateCodes);
    let source = code_source(p.customer_id(), &q, private);
    crate::api::list::respond(&state, &q, &MY_CODE_LIST, code_columns(private), source).await
}

pub const TOKEN_LIST: ListSpec =
    ListSpec { name: "tokens", sort_fields: &["id", "name", "createdAt", "lastUsedAt"], filters: &[], text_ids: None };
list_params!(TokenListParams, TOKEN_LIST);

/// The user's personal API tokens (roles administrator and developer).
#[utoipa::path(
    get,
    path = "/api/v1/profile/tokens",
    tag = "Profile (customer users)",
    params(TokenListParams),
    responses(
        (status = 200, description = "The tokens (never their secrets), or the same rows as CSV.",
            content((Page<TokenOut> = "application/json"), (String = "text/csv")))
    )
)]
pub async fn tokens_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &p, &TOKEN_LIST)?;
    let (uid, ids) = (p.user.id, q.specific_int_ids());
    let sort = match q.sort_field {
        "name" => TokenSort::Name,
        "createdAt" => TokenSort::CreatedAt,
        "lastUsedAt" => TokenSort::LastUsedAt,
        _ => TokenSort::Id,
    };
    let sort = (sort, q.ascending);
    let source = Source::db(move |c, w, total| {
        let page = ApiToken::page_of_user(c, uid, &ids, sort, w, total)?;
        Ok(page.map(|t| serde_json::to_value(token_out(&t)).unwrap_or_default()))
    });
    let columns = ["id", "name", "hint", "createdAt", "lastUsedAt"].iter().map(|c| c.to_string()).collect();
    crate::api::list::respond(&state, &q, &TOKEN_LIST, columns, source).await
}

/// Create a personal API token; the answer is the only time its secret is shown.
#[utoipa::path(
    post,
    path = "/api/v1/profile/tokens",
    tag = "Profile (customer users)",
    request_body = TokenCreate,
    responses(
        (status = 201, description = "Created; `token` is the secret.", body = TokenCreated,
            headers(("Location" = String, description = "URL to revoke it")))
    )
)]
pub async fn token_post(state: web::Data<AppState>, p: Portal, body: ApiJson<TokenCreate>) -> AppResult<HttpResponse> {
    let name = body.0.name;
    max_chars(&[("name", Some(&name), 100)])?;
    let (owner, actor) = ((*p.user).clone(), p.actor());
    let issued = crate::db::run(&state.pool, move |c| tokens::issue(c, &actor, &owner, &name)).await?;
    let body = TokenCreated { info: token_out(&issued.token), token: issued.secret };
    Ok(created(format!("/api/v1/profile/tokens/{}", issued.token.id), &body))
}

/// Revoke one of the user's tokens; it stops working at once.
#[utoipa::path(
    delete,
    path = "/api/v1/profile/tokens/{id}",
    tag = "Profile (customer users)",
    params(("id" = i64, Path, description = "Token id")),
    responses((status = 204, description = "Revoked."))
)]
pub async fn token_delete(state: web::Data<AppState>, p: Portal, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let (id, uid, actor) = (path.into_inner(), p.user.id, p.actor());
    crate::db::run(&state.pool, move |c| tokens::revoke(c, &actor, uid, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
