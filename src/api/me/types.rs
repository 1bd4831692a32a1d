//! The wire types of the signed-in customer user's own routes.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::access::caps::Cap;
use crate::api::customers::CustomerOut;
use crate::api::schema::{Language, TimeZoneName, time};
use crate::api::users::CustomerRole;
use crate::auth::tokens::ApiToken;
use crate::http::Ctx;

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
    /// The caller's role, as its capabilities say.
    pub fn of(ctx: &Ctx) -> RoleOut {
        RoleOut {
            name: CustomerRole::of(ctx.role),
            label: ctx.role.label().to_string(),
            edit_company: ctx.can(Cap::EditCompany),
            see_balance: ctx.can(Cap::SeeBalance),
            see_private_access_codes: ctx.can(Cap::SeePrivateCodes),
            manage_users: ctx.can(Cap::ManageUsers),
            manage_api_tokens: ctx.can(Cap::ManageTokens),
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

pub fn token_out(t: &ApiToken) -> TokenOut {
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
