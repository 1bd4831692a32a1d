//! Portal users of a customer (SPEC §8), managed by staff: created with an initial password or
//! with an invitation link valid 7 days; changed and deleted by id. Staff accounts are not
//! reachable here (they are "not found").

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::AppState;
use crate::api::body::ApiJson;
use crate::api::created;
use crate::api::list::{ListQuery, ListSpec, Source, list_params};
use crate::api::schema::{Language, Page, ReadOnly, TimeZoneName, invalid, max_chars, time};
use crate::audit::{self, Actor};
use crate::customers::Customer;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, FieldError};
use crate::http::Ctx;
use crate::users::commands::{self as users, NewUserInput};
use crate::users::invitations;
use crate::users::model::{Role, UserSort, validate_email};
use crate::users::{User, UserKind};
use crate::web::client_ip;

/// The role of a customer's user (SPEC §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CustomerRole {
    Administrator,
    Developer,
    User,
}

impl CustomerRole {
    pub fn role(self) -> Role {
        match self {
            CustomerRole::Administrator => Role::Administrator,
            CustomerRole::Developer => Role::Developer,
            CustomerRole::User => Role::User,
        }
    }
    pub fn of(r: Role) -> CustomerRole {
        match r {
            Role::Administrator => CustomerRole::Administrator,
            Role::Developer => CustomerRole::Developer,
            _ => CustomerRole::User,
        }
    }
}

/// A portal user as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PortalUser)]
pub struct UserOut {
    pub id: i64,
    pub customer_id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: CustomerRole,
    /// A disabled user cannot sign in; their sessions and tokens have ended.
    pub disabled: bool,
    /// Invited and not yet accepted (no password set).
    pub invitation_pending: bool,
    pub lang: String,
    pub time_zone: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

fn user_out(u: &User, pending: bool) -> UserOut {
    UserOut {
        id: u.id,
        customer_id: u.customer_id.unwrap_or_default(),
        email: u.email.clone(),
        first_name: u.first_name.clone(),
        last_name: u.last_name.clone(),
        role: CustomerRole::of(u.role),
        disabled: u.disabled,
        invitation_pending: pending,
        lang: u.lang.clone(),
        time_zone: u.time_zone.clone(),
        created_at: time(u.created_at),
        updated_at: time(u.updated_at),
    }
}

/// A created user; `invitationUrl` (valid 7 days) when no password was given.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PortalUserCreated)]
pub struct UserCreated {
    #[serde(flatten)]
    pub user: UserOut,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invitation_url: Option<String>,
}

fn default_lang() -> String {
    "en".into()
}
fn default_tz() -> String {
    "UTC".into()
}

/// A new portal user. Without `password` the answer carries an `invitationUrl`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = PortalUserCreate)]
#[allow(dead_code)] // read-only fields are accepted and ignored
pub struct UserCreate {
    #[schema(max_length = 254, format = Email)]
    pub email: String,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub first_name: String,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub last_name: String,
    pub role: CustomerRole,
    /// An initial password (12–128 characters); leave it out to get an invitation link.
    #[serde(default)]
    #[schema(min_length = 12, max_length = 128)]
    pub password: Option<String>,
    #[serde(default)]
    pub disabled: bool,
    #[serde(default = "default_lang")]
    #[schema(value_type = Language)]
    pub lang: String,
    #[serde(default = "default_tz")]
    #[schema(value_type = TimeZoneName)]
    pub time_zone: String,
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
    pub invitation_pending: ReadOnly,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub created_at: ReadOnly,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub updated_at: ReadOnly,
}

/// The whole user as GET returned it; read-only fields are ignored.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = PortalUserReplace)]
#[allow(dead_code)] // read-only fields are accepted and ignored
pub struct UserReplace {
    #[schema(max_length = 254, format = Email)]
    pub email: String,
    #[schema(max_length = 100)]
    pub first_name: String,
    #[schema(max_length = 100)]
    pub last_name: String,
    pub role: CustomerRole,
    /// Disabling ends the user's sessions and revokes their API tokens at once.
    pub disabled: bool,
    #[schema(value_type = Language)]
    pub lang: String,
    #[schema(value_type = TimeZoneName)]
    pub time_zone: String,
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
    pub invitation_pending: ReadOnly,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub created_at: ReadOnly,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub updated_at: ReadOnly,
}

/// Checks a language and a time zone as the profile page does.
pub fn check_settings(lang: &str, tz: &str) -> Vec<FieldError> {
    let mut e = Vec::new();
    if !crate::web::account::LANGUAGES.iter().any(|(c, _)| *c == lang) {
        let codes: Vec<&str> = crate::web::account::LANGUAGES.iter().map(|(c, _)| *c).collect();
        e.push(FieldError::new("lang", format!("Choose one of: {}.", codes.join(", "))));
    }
    if tz.parse::<chrono_tz::Tz>().is_err() {
        e.push(FieldError::new("timeZone", "Use an IANA time zone such as Europe/Berlin."));
    }
    e
}

/// A customer's user by id; staff and unknown ids are "not found".
fn customer_user(c: &mut DbConnection, id: i64) -> AppResult<(User, bool)> {
    let u = User::find(c, id)?.filter(|u| !u.is_staff() && u.customer_id.is_some()).ok_or(AppError::NotFound)?;
    let mut with = invitations::with_state(c, vec![u])?;
    with.pop().ok_or(AppError::NotFound)
}

fn snapshot(u: &UserOut) -> Value {
    json!({
        "email": u.email, "firstName": u.first_name, "lastName": u.last_name,
        "role": u.role, "disabled": u.disabled, "lang": u.lang, "timeZone": u.time_zone,
    })
}

pub const USER_LIST: ListSpec =
    ListSpec { name: "users", sort_fields: &["id", "email", "createdAt"], filters: &[], text_ids: None };
list_params!(UserListParams, USER_LIST);

const USER_COLUMNS: [&str; 12] = [
    "id",
    "customerId",
    "email",
    "firstName",
    "lastName",
    "role",
    "disabled",
    "invitationPending",
    "lang",
    "timeZone",
    "createdAt",
    "updatedAt",
];

/// List a customer's portal users.
#[utoipa::path(
    get,
    path = "/api/v1/customers/{id}/users",
    tag = "Portal users",
    params(("id" = i64, Path, description = "Customer id"), UserListParams),
    responses(
        (status = 200, description = "One page of users, or the same rows as CSV.",
            content((Page<UserOut> = "application/json"), (String = "text/csv")))
    )
)]
pub async fn list_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let customer = path.into_inner();
    let q = ListQuery::parse(&req, &caller, &USER_LIST)?;
    crate::db::run(&state.pool, move |c| Customer::get(c, customer).map(|_| ())).await?;
    let ids = q.specific_int_ids();
    let sort = match q.sort_field {
        "email" => UserSort::Email,
        "createdAt" => UserSort::CreatedAt,
        _ => UserSort::Id,
    };
    let sort = (sort, q.ascending);
    let source = Source::db(move |c, w, total| {
        let page = User::page_of_customer(c, customer, &ids, sort, w, total)?;
        let rows = invitations::with_state(c, page.rows)?
            .iter()
            .map(|(u, pending)| serde_json::to_value(user_out(u, *pending)).unwrap_or_default())
            .collect();
        Ok(crate::db::paging::Page { rows, total: page.total })
    });
    let columns = USER_COLUMNS.iter().map(|c| c.to_string()).collect();
    crate::api::list::respond(&state, &q, &USER_LIST, columns, source).await
}

/// One portal user.
#[utoipa::path(
    get,
    path = "/api/v1/users/{id}",
    tag = "Portal users",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, description = "The user.", body = UserOut))
)]
pub async fn one_get(state: web::Data<AppState>, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (u, pending) = crate::db::run(&state.pool, move |c| customer_user(c, id)).await?;
    Ok(HttpResponse::Ok().json(user_out(&u, pending)))
}

/// Create a portal user of a customer.
#[utoipa::path(
    post,
    path = "/api/v1/customers/{id}/users",
    tag = "Portal users",
    params(("id" = i64, Path, description = "Customer id")),
    request_body = UserCreate,
    responses(
        (status = 201, description = "Created; `invitationUrl` when no password was given.", body = UserCreated,
            headers(("Location" = String, description = "URL of the new user")))
    )
)]
pub async fn create_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Ctx,
    path: web::Path<i64>,
    body: ApiJson<UserCreate>,
) -> AppResult<HttpResponse> {
    let customer = path.into_inner();
    let b = body.0;
    max_chars(&[
        ("email", Some(&b.email), 254),
        ("firstName", Some(&b.first_name), 100),
        ("lastName", Some(&b.last_name), 100),
    ])?;
    let actor = caller.actor();
    crate::db::run(&state.pool, move |c| Customer::get(c, customer).map(|_| ())).await?;
    let e = check_settings(&b.lang, &b.time_zone);
    if !e.is_empty() {
        return Err(invalid(e));
    }
    let new = NewUserInput {
        email: b.email,
        first_name: b.first_name,
        last_name: b.last_name,
        role: b.role.role().as_str().to_string(),
        password: b.password,
    };
    let ready = new.check(UserKind::Customer)?.hashed().await?;
    let (lang, zone, disabled) = (b.lang, b.time_zone, b.disabled);
    let (user, pending, invitation) = crate::db::run_tx(&state.pool, move |c| {
        let created = users::create(c, &actor, Some(customer), ready)?;
        let id = created.user.id;
        User::set_settings(c, id, &lang, &zone)?;
        if disabled {
            users::set_disabled(c, &actor, Some(customer), id, true)?;
        }
        let (u, pending) = customer_user(c, id)?;
        Ok((u, pending, created.invitation))
    })
    .await?;
    let invitation_url = invitation.map(|t| crate::http::invitation_url(&req, &t));
    let body = UserCreated { user: user_out(&user, pending), invitation_url };
    Ok(created(format!("/api/v1/users/{}", user.id), &body))
}

/// Replace a portal user.
///
/// Changes are audited as the admin area does: `user.role`, `user.disable`/`user.enable` and
/// `user.update` for the other fields.
#[utoipa::path(
    put,
    path = "/api/v1/users/{id}",
    tag = "Portal users",
    params(("id" = i64, Path, description = "User id")),
    request_body = UserReplace,
    responses((status = 200, description = "The stored user.", body = UserOut))
)]
pub async fn replace_put(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Ctx,
    path: web::Path<i64>,
    body: ApiJson<UserReplace>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let b = body.0;
    max_chars(&[
        ("email", Some(&b.email), 254),
        ("firstName", Some(&b.first_name), 100),
        ("lastName", Some(&b.last_name), 100),
    ])?;
    let actor = caller.actor();
    let ip = client_ip(&req);
    let (u, pending) = crate::db::run_tx(&state.pool, move |c| {
        let (before, pending) = customer_user(c, id)?;
        let before_out = user_out(&before, pending);
        let mut e = check_settings(&b.lang, &b.time_zone);
        let email = validate_email(&b.email).unwrap_or_else(|m| {
            e.push(FieldError::new("email", m));
            String::new()
        });
        let (first, last) = (b.first_name.trim().to_string(), b.last_name.trim().to_string());
        for (f, v) in [("firstName", &first), ("lastName", &last)] {
            if v.chars().count() > 100 {
                e.push(FieldError::new(f, "At most 100 characters."));
            }
        }
        if !e.is_empty() {
            return Err(invalid(e));
        }
        let ip = ip.as_deref();
        if email != before.email {
            User::set_email(c, id, &email)?;
        }
        User::set_names(c, id, &first, &last)?;
        User::set_settings(c, id, &b.lang, &b.time_zone)?;
        let role = b.role.role();
        if role != before.role {
            User::set_role(c, id, role)?;
            audit::record(
                c,
                &actor,
                "user.role",
                "user",
                Some(id.to_string()),
                Some(json!({"role": {"before": before.role.as_str(), "after": role.as_str()}})),
            )?;
        }
        if b.disabled != before.disabled {
            User::set_disabled(c, id, b.disabled)?;
            audit::record(
                c,
                &actor,
                if b.disabled { "user.disable" } else { "user.enable" },
                "user",
                Some(id.to_string()),
                Some(json!({"disabled": {"before": before.disabled, "after": b.disabled}})),
            )?;
        }
        let (after, pending) = customer_user(c, id)?;
        let after_out = user_out(&after, pending);
        let mut b_snap = snapshot(&before_out);
        let mut a_snap = snapshot(&after_out);
        for k in ["role", "disabled"] {
            b_snap.as_object_mut().map(|o| o.remove(k));
            a_snap.as_object_mut().map(|o| o.remove(k));
        }
        audit::record(
            c,
            &actor,
            "user.update",
            "user",
            Some(id.to_string()),
            audit::diff(Some(&b_snap), Some(&a_snap)),
        )?;
        Ok((after, pending))
    })
    .await?;
    Ok(HttpResponse::Ok().json(user_out(&u, pending)))
}

/// Delete a portal user; their sessions, tokens and invitations end with them.
#[utoipa::path(
    delete,
    path = "/api/v1/users/{id}",
    tag = "Portal users",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 204, description = "Deleted."))
)]
pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let actor = caller.actor();
    let ip = client_ip(&req);
    crate::db::run_tx(&state.pool, move |c| {
        let (u, pending) = customer_user(c, id)?;
        let snap = snapshot(&user_out(&u, pending));
        User::delete(c, id)?;
        let mut before = snap;
        before["customerId"] = json!(u.customer_id);
        audit::record(c, &actor, "user.delete", "user", Some(id.to_string()), audit::diff(Some(&before), None))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
