//! Portal users of a customer (SPEC §8), managed by staff: created with an initial password or
//! with an invitation link valid 7 days; changed and deleted by id, through the commands of
//! `crate::users::commands`. Staff accounts are not reachable here (they are "not found").
//! The wire types are in [`types`].

mod types;

use actix_web::{HttpRequest, HttpResponse, web};

use crate::AppState;
use crate::api::body::ApiJson;
use crate::api::created;
use crate::api::list::{ListQuery, ListSpec, Source, list_params};
use crate::api::schema::{Page, max_chars};
use crate::customers::Customer;
use crate::error::AppResult;
use crate::http::Ctx;
use crate::users::commands::{self as users, NewUserInput, UserUpdate};
use crate::users::invitations;
use crate::users::model::UserSort;
use crate::users::{User, UserKind};
use types::user_out;
pub use types::{CustomerRole, UserCreate, UserCreated, UserOut, UserReplace};

/// The documented lengths, counted as sent.
fn check_lengths(email: &str, first_name: &str, last_name: &str) -> AppResult<()> {
    max_chars(&[("email", Some(email), 254), ("firstName", Some(first_name), 100), ("lastName", Some(last_name), 100)])
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
    let (u, pending) = crate::db::run(&state.pool, move |c| users::get_customer_user(c, id)).await?;
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
    let (customer, b) = (path.into_inner(), body.0);
    check_lengths(&b.email, &b.first_name, &b.last_name)?;
    crate::db::run(&state.pool, move |c| Customer::get(c, customer).map(|_| ())).await?;
    let new = NewUserInput {
        email: b.email,
        first_name: b.first_name,
        last_name: b.last_name,
        role: b.role.role().as_str().to_string(),
        password: b.password,
    };
    let checked = new.check(UserKind::Customer)?.with_settings(&b.lang, &b.time_zone)?.disabled(b.disabled);
    let (ready, actor) = (checked.hashed().await?, caller.actor());
    let made = crate::db::run(&state.pool, move |c| users::create(c, &actor, Some(customer), ready)).await?;
    let invitation_url = made.invitation.as_ref().map(|t| crate::http::invitation_url(&req, t));
    let body = UserCreated { user: user_out(&made.user, made.invitation.is_some()), invitation_url };
    Ok(created(format!("/api/v1/users/{}", made.user.id), &body))
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
    state: web::Data<AppState>,
    caller: Ctx,
    path: web::Path<i64>,
    body: ApiJson<UserReplace>,
) -> AppResult<HttpResponse> {
    let (id, b) = (path.into_inner(), body.0);
    check_lengths(&b.email, &b.first_name, &b.last_name)?;
    let input = UserUpdate {
        email: b.email,
        first_name: b.first_name,
        last_name: b.last_name,
        role: b.role.role(),
        disabled: b.disabled,
        lang: b.lang,
        time_zone: b.time_zone,
    };
    let actor = caller.actor();
    let (u, pending) = crate::db::run(&state.pool, move |c| users::update(c, &actor, id, &input)).await?;
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
pub async fn delete(state: web::Data<AppState>, caller: Ctx, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let (id, actor) = (path.into_inner(), caller.actor());
    crate::db::run(&state.pool, move |c| users::delete(c, &actor, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
