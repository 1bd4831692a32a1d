//! The signed-in customer user's own routes (SPEC §8 "Customer"): profile, company profile,
//! settings, balance, access codes and personal API tokens. The guard has already applied the
//! same key and role rules as the portal.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::access_codes::{PortalCodeOut, code_columns, code_source};
use crate::api::accounts::{ACCOUNT_COLUMNS, AccountOut, account_source};
use crate::api::body::ApiJson;
use crate::api::created;
use crate::api::customers::CustomerOut;
use crate::api::list::{ListQuery, ListSpec, Source, list_params};
use crate::api::schema::{Language, Page, TimeZoneName, invalid, max_chars, time};
use crate::api::users::{CustomerRole, check_settings};
use crate::audit::{self, Actor};
use crate::auth::tokens::ApiToken;
use crate::customers::Customer;
use crate::customers::commands::CompanyChange;
use crate::error::{AppError, AppResult, FieldError};
use crate::http::Ctx;
use crate::http::Portal;
use crate::users::User;
use crate::users::model::Role;
use crate::web::client_ip;

/// What a role may do beyond what the access profile allows (SPEC §1).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoleOut {
    pub name: CustomerRole,
    pub label: String,
    /// Change the company profile (PUT /profile).
    pub edit_company: bool,
    /// See balances (also needs the `account` permission).
    pub see_balance: bool,
    pub see_private_access_codes: bool,
    pub manage_users: bool,
    pub manage_api_tokens: bool,
}

impl RoleOut {
    fn of(role: Role) -> RoleOut {
        let admin = role == Role::Administrator;
        let dev = role == Role::Developer;
        RoleOut {
            name: CustomerRole::of(role),
            label: role.label().to_string(),
            edit_company: admin,
            see_balance: admin,
            see_private_access_codes: admin || dev,
            manage_users: admin,
            manage_api_tokens: admin || dev,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ProfileUser)]
pub struct MeUser {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub lang: String,
    pub time_zone: String,
    pub role: RoleOut,
}

/// The signed-in user, their customer and the effective permission keys.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Profile)]
pub struct ProfileOut {
    pub user: MeUser,
    pub customer: CustomerOut,
    /// Effective keys: in the customer's effective profile, with their parents granted.
    #[schema(value_type = Vec<crate::api::schema::PermissionKey>)]
    pub permissions: Vec<&'static str>,
}

async fn profile_of(state: &AppState, p: &Portal) -> AppResult<ProfileOut> {
    let (uid, cid) = (p.user.id, p.customer_id());
    let (user, customer) = crate::db::run(&state.pool, move |c| {
        Ok((User::find(c, uid)?.ok_or(AppError::NotFound)?, Customer::get(c, cid)?))
    })
    .await?;
    Ok(ProfileOut {
        user: MeUser {
            id: user.id,
            email: user.email.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            lang: user.lang.clone(),
            time_zone: user.time_zone.clone(),
            role: RoleOut::of(p.role),
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

/// Changes to the profile; an absent field stays as it is.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = ProfileUpdate)]
pub struct ProfileUpdate {
    #[schema(max_length = 200)]
    pub company_name: Option<String>,
    /// ISO 3166 two-letter code, e.g. DE (or empty).
    #[schema(pattern = r"^\s*([A-Za-z]{2})?\s*$")]
    pub country_code: Option<String>,
    /// Digits, spaces, `+`, `-` and brackets, at most 32.
    #[schema(pattern = r"^\s*[0-9+() -]{0,32}\s*$")]
    pub phone: Option<String>,
    #[schema(max_length = 100, pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$")]
    pub first_name: Option<String>,
    #[schema(max_length = 100, pattern = r"^[^\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]*$")]
    pub last_name: Option<String>,
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
    req: HttpRequest,
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
    let (uid, cid) = (p.user.id, p.customer_id());
    let actor = p.actor();
    let ip = client_ip(&req);
    crate::db::run_tx(&state.pool, move |c| {
        let ip = ip.as_deref();
        let company = CompanyChange {
            company_name: b.company_name.clone(),
            country_code: b.country_code.clone(),
            phone: b.phone.clone(),
        };
        crate::customers::commands::update_company(c, &actor, cid, company)?;
        if b.first_name.is_some() || b.last_name.is_some() {
            let u = User::find(c, uid)?.ok_or(AppError::NotFound)?;
            let form = crate::web::account::PersonalForm {
                first_name: b.first_name.clone().unwrap_or_else(|| u.first_name.clone()),
                last_name: b.last_name.clone().unwrap_or_else(|| u.last_name.clone()),
            };
            // The same check as the profile page's form.
            let (first, last) = crate::web::account::validate_personal(&form).map_err(|errors| {
                invalid(
                    errors
                        .0
                        .into_iter()
                        .map(|(f, m)| FieldError::new(if f == "first_name" { "firstName" } else { "lastName" }, m))
                        .collect(),
                )
            })?;
            User::set_names(c, uid, &first, &last)?;
            audit::record(
                c,
                &actor,
                "user.update",
                "user",
                Some(uid.to_string()),
                audit::diff(
                    Some(&json!({"firstName": u.first_name, "lastName": u.last_name})),
                    Some(&json!({"firstName": first, "lastName": last})),
                ),
            )?;
        }
        Ok(())
    })
    .await?;
    Ok(HttpResponse::Ok().json(profile_of(&state, &p).await?))
}

/// Language and time zone; an absent field stays as it is.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Settings {
    #[schema(value_type = Option<Language>)]
    pub lang: Option<String>,
    /// An IANA time zone, e.g. Europe/Berlin.
    #[schema(value_type = Option<TimeZoneName>)]
    pub time_zone: Option<String>,
}

/// Change the user's language and time zone.
#[utoipa::path(
    put,
    path = "/api/v1/profile/settings",
    tag = "Profile (customer users)",
    request_body = Settings,
    responses((status = 200, description = "The stored settings.", body = Settings))
)]
pub async fn settings_put(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    body: ApiJson<Settings>,
) -> AppResult<HttpResponse> {
    let b = body.0;
    let uid = p.user.id;
    let actor = p.actor();
    let ip = client_ip(&req);
    let (lang, tz) = crate::db::run_tx(&state.pool, move |c| {
        let u = User::find(c, uid)?.ok_or(AppError::NotFound)?;
        let lang = b.lang.unwrap_or_else(|| u.lang.clone());
        let tz = b.time_zone.unwrap_or_else(|| u.time_zone.clone());
        let e = check_settings(&lang, &tz);
        if !e.is_empty() {
            return Err(invalid(e));
        }
        User::set_settings(c, uid, &lang, &tz)?;
        audit::record(
            c,
            &actor,
            "user.settings",
            "user",
            Some(uid.to_string()),
            audit::diff(
                Some(&json!({"lang": u.lang, "timeZone": u.time_zone})),
                Some(&json!({"lang": lang, "timeZone": tz})),
            ),
        )?;
        Ok((lang, tz))
    })
    .await?;
    Ok(HttpResponse::Ok().json(Settings { lang: Some(lang), time_zone: Some(tz) }))
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
pub async fn balance_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Ctx,
    p: Portal,
) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &caller, &BALANCE_LIST)?;
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
pub async fn codes_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Ctx,
    p: Portal,
) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &caller, &MY_CODE_LIST)?;
    let private = p.can(crate::access::caps::Cap::SeePrivateCodes);
    crate::api::list::respond(
        &state,
        &q,
        &MY_CODE_LIST,
        code_columns(private),
        code_source(p.customer_id(), &q, private),
    )
    .await
}

/// A personal API token (the secret is shown only once, when it is created).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ApiToken)]
pub struct TokenOut {
    pub id: i64,
    pub name: String,
    /// The first and last characters, to recognise it.
    pub hint: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub last_used_at: Option<String>,
}

fn token_out(t: &ApiToken) -> TokenOut {
    TokenOut {
        id: t.id,
        name: t.name.clone(),
        hint: t.hint.clone(),
        created_at: time(t.created_at),
        last_used_at: t.last_used_at.map(time),
    }
}

/// A new token with its secret: `Authorization: Bearer <token>`.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ApiTokenCreated)]
pub struct TokenCreated {
    #[serde(flatten)]
    pub info: TokenOut,
    /// The secret; it is not stored and cannot be shown again.
    pub token: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = ApiTokenCreate)]
pub struct TokenCreate {
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
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
pub async fn tokens_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Ctx,
    p: Portal,
) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &caller, &TOKEN_LIST)?;
    let uid = p.user.id;
    let tokens = crate::db::run(&state.pool, move |c| ApiToken::list_for_user(c, uid)).await?;
    let items: Vec<Value> = tokens.iter().map(|t| serde_json::to_value(token_out(t)).unwrap_or_default()).collect();
    let columns = ["id", "name", "hint", "createdAt", "lastUsedAt"].iter().map(|c| c.to_string()).collect();
    crate::api::list::respond(&state, &q, &TOKEN_LIST, columns, Source::memory(items, &q, "id")).await
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
pub async fn token_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    body: ApiJson<TokenCreate>,
) -> AppResult<HttpResponse> {
    let name = body.0.name;
    max_chars(&[("name", Some(&name), 100)])?;
    let uid = p.user.id;
    let actor = p.actor();
    let ip = client_ip(&req);
    let (token, secret) = crate::db::run_tx(&state.pool, move |c| {
        let (id, secret) = ApiToken::create(c, uid, &name)?;
        audit::record(
            c,
            &actor,
            "token.create",
            "api_token",
            Some(id.to_string()),
            Some(json!({"name": {"after": name}})),
        )?;
        let t = ApiToken::list_for_user(c, uid)?.into_iter().find(|t| t.id == id).ok_or(AppError::NotFound)?;
        Ok((t, secret))
    })
    .await?;
    let body = TokenCreated { info: token_out(&token), token: secret };
    Ok(created(format!("/api/v1/profile/tokens/{}", token.id), &body))
}

/// Revoke one of the user's tokens; it stops working at once.
#[utoipa::path(
    delete,
    path = "/api/v1/profile/tokens/{id}",
    tag = "Profile (customer users)",
    params(("id" = i64, Path, description = "Token id")),
    responses((status = 204, description = "Revoked."))
)]
pub async fn token_delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let uid = p.user.id;
    let actor = p.actor();
    let ip = client_ip(&req);
    crate::db::run_tx(&state.pool, move |c| {
        if !ApiToken::revoke(c, uid, id)? {
            return Err(AppError::NotFound);
        }
        audit::record(c, &actor, "token.revoke", "api_token", Some(id.to_string()), None)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
