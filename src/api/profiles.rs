//! Access profiles (SPEC §3) and the permission catalog (SPEC §2) in the API. Staff read them;
//! only the `admin` role creates, replaces and deletes them, through the commands of
//! `crate::profiles::commands`. The wire types are in [`types`].

mod types;

use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::Value;

use crate::AppState;
use crate::api::body::ApiJson;
use crate::api::created;
use crate::api::list::{FilterKind, FilterSpec, ListQuery, ListSpec, Source, list_params};
use crate::api::schema::{ErrorBody, ErrorCode, ErrorDetail, FieldProblem, Page, max_chars};
use crate::error::AppResult;
use crate::http::Ctx;
use crate::profiles::Profile;
use crate::profiles::commands as profiles;
use crate::profiles::model::{ProfileFilter, ProfileSort, UpdateError};
use types::ProfileFields;
pub use types::{PermissionOut, ProfileCreate, ProfileOut, ProfileReplace};

fn out(p: &Profile) -> Value {
    serde_json::to_value(ProfileOut::from(p)).unwrap_or_default()
}

/// The documented lengths, counted as sent.
fn check_lengths(name: &str, description: &str) -> AppResult<()> {
    max_chars(&[("name", Some(name), 200), ("description", Some(description), 2000)])
}

pub const PROFILE_LIST: ListSpec = ListSpec {
    name: "access-profiles",
    sort_fields: &["id", "name", "createdAt", "updatedAt"],
    filters: &[
        FilterSpec { name: "idAfter", kind: FilterKind::Int, description: "Only profiles with a higher id." },
        FilterSpec {
            name: "createdSince",
            kind: FilterKind::Time,
            description: "Only profiles created at or after this time (RFC 3339, or a date: midnight in your time zone).",
        },
        FilterSpec {
            name: "updatedSince",
            kind: FilterKind::Time,
            description: "Only profiles changed at or after this time (RFC 3339, or a date: midnight in your time zone).",
        },
        FilterSpec {
            name: "name",
            kind: FilterKind::Text,
            description: "Only profiles whose name contains this text (case-insensitive).",
        },
    ],
    text_ids: None,
};
list_params!(ProfileListParams, PROFILE_LIST);

const PROFILE_COLUMNS: [&str; 11] = [
    "id",
    "name",
    "description",
    "availability",
    "customerId",
    "customerGroups",
    "isDefault",
    "permissions",
    "version",
    "createdAt",
    "updatedAt",
];

/// List access profiles.
#[utoipa::path(
    get,
    path = "/api/v1/access-profiles",
    tag = "Access profiles",
    params(ProfileListParams),
    responses(
        (status = 200, description = "One page of profiles, or the same rows as CSV.",
            content((Page<ProfileOut> = "application/json"), (String = "text/csv")))
    )
)]
pub async fn list_get(req: HttpRequest, state: web::Data<AppState>, caller: Ctx) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &caller, &PROFILE_LIST)?;
    let f = ProfileFilter {
        id_after: q.int("idAfter"),
        created_since: q.time("createdSince"),
        updated_since: q.time("updatedSince"),
        name: q.text("name"),
        specific_ids: q.specific_int_ids(),
    };
    let sort = match q.sort_field {
        "name" => ProfileSort::Name,
        "createdAt" => ProfileSort::CreatedAt,
        "updatedAt" => ProfileSort::UpdatedAt,
        _ => ProfileSort::Id,
    };
    let ascending = q.ascending;
    let source =
        Source::db(move |c, w, total| Ok(Profile::list_filtered(c, &f, (sort, ascending), w, total)?.map(|p| out(&p))));
    let columns = PROFILE_COLUMNS.iter().map(|c| c.to_string()).collect();
    crate::api::list::respond(&state, &q, &PROFILE_LIST, columns, source).await
}

/// One access profile.
#[utoipa::path(
    get,
    path = "/api/v1/access-profiles/{id}",
    tag = "Access profiles",
    params(("id" = i64, Path, description = "Profile id")),
    responses((status = 200, description = "The profile.", body = ProfileOut))
)]
pub async fn one_get(state: web::Data<AppState>, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let p = crate::db::run(&state.pool, move |c| Profile::get(c, id)).await?;
    Ok(HttpResponse::Ok().json(ProfileOut::from(&p)))
}

/// Create an access profile (admin only).
#[utoipa::path(
    post,
    path = "/api/v1/access-profiles",
    tag = "Access profiles",
    request_body = ProfileCreate,
    responses(
        (status = 201, description = "Created.", body = ProfileOut,
            headers(("Location" = String, description = "URL of the new profile")))
    )
)]
pub async fn create_post(
    state: web::Data<AppState>,
    caller: Ctx,
    body: ApiJson<ProfileCreate>,
) -> AppResult<HttpResponse> {
    let b = body.0;
    check_lengths(&b.name, &b.description)?;
    let (raw, actor) = (b.raw(), caller.actor());
    let p = crate::db::run(&state.pool, move |c| profiles::create(c, &actor, &raw)).await?;
    Ok(created(format!("/api/v1/access-profiles/{}", p.id), &ProfileOut::from(&p)))
}

/// The 409 of a stale version: what is stored now rides along in `error.current`.
fn stale(current: &Profile, sent: i64) -> HttpResponse {
    let message = format!(
        "The profile was changed meanwhile: it is at version {}, you sent version {sent}. Nothing was saved; \
         read it again, apply your change and send version {}.",
        current.version, current.version
    );
    HttpResponse::Conflict().json(ErrorBody {
        error: ErrorDetail {
            code: ErrorCode::Conflict,
            message,
            details: vec![FieldProblem {
                field: "version".into(),
                message: format!("stale: the stored version is {}", current.version),
            }],
            current: Some(out(current)),
        },
    })
}

/// Replace an access profile (admin only).
///
/// Send the whole profile as GET returned it, with its `version`. A stale version is refused
/// with 409 and the stored profile in `error.current`; nothing is changed.
#[utoipa::path(
    put,
    path = "/api/v1/access-profiles/{id}",
    tag = "Access profiles",
    params(("id" = i64, Path, description = "Profile id")),
    request_body = ProfileReplace,
    responses(
        (status = 200, description = "The stored profile.", body = ProfileOut),
        (status = 409, description = "Stale version (the stored profile is in `error.current`), or a conflicting change.", body = ErrorBody)
    )
)]
pub async fn replace_put(
    state: web::Data<AppState>,
    caller: Ctx,
    path: web::Path<i64>,
    body: ApiJson<ProfileReplace>,
) -> AppResult<HttpResponse> {
    let (id, b) = (path.into_inner(), body.0);
    check_lengths(&b.name, &b.description)?;
    let (version, actor) = (b.version, caller.actor());
    let raw = b.raw();
    match crate::db::run(&state.pool, move |c| Ok(profiles::update(c, &actor, id, version, &raw))).await? {
        Ok(p) => Ok(HttpResponse::Ok().json(ProfileOut::from(&p))),
        Err(UpdateError::Stale(current)) => Ok(stale(&current, version)),
        Err(UpdateError::Other(e)) => Err(e),
    }
}

/// Delete an access profile (admin only). A profile that customers hold is refused (409, with
/// the number of holders).
#[utoipa::path(
    delete,
    path = "/api/v1/access-profiles/{id}",
    tag = "Access profiles",
    params(("id" = i64, Path, description = "Profile id")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 409, description = "Customers hold the profile; `details` carries the holder count.", body = ErrorBody)
    )
)]
pub async fn delete(state: web::Data<AppState>, caller: Ctx, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let (id, actor) = (path.into_inner(), caller.actor());
    crate::db::run(&state.pool, move |c| profiles::delete(c, &actor, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

fn permission_keys() -> Vec<&'static str> {
    crate::access::Perm::ALL.iter().map(|p| p.key()).collect()
}

pub const PERMISSION_LIST: ListSpec = ListSpec {
    name: "permissions",
    sort_fields: &["catalog", "key", "group", "label"],
    filters: &[],
    text_ids: Some(permission_keys),
};
list_params!(PermissionListParams, PERMISSION_LIST);

/// The permission catalog.
///
/// In catalog order by default (`sortField=catalog`); `specificIds` takes keys.
#[utoipa::path(
    get,
    path = "/api/v1/permissions",
    tag = "Access profiles",
    params(PermissionListParams),
    responses(
        (status = 200, description = "The catalog, or the same rows as CSV.",
            content((Page<PermissionOut> = "application/json"), (String = "text/csv")))
    )
)]
pub async fn permissions_get(req: HttpRequest, state: web::Data<AppState>, caller: Ctx) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &caller, &PERMISSION_LIST)?;
    let items: Vec<Value> = crate::access::catalog::api_view()
        .into_iter()
        .map(|e| {
            serde_json::to_value(PermissionOut {
                key: e.key,
                group: e.group,
                group_label: e.group_label,
                label: e.label,
                help: e.help,
                parent: e.parent,
            })
            .unwrap_or_default()
        })
        .collect();
    let source = Source::memory(items, &q, "key");
    let columns = ["key", "group", "groupLabel", "label", "help", "parent"].iter().map(|c| c.to_string()).collect();
    crate::api::list::respond(&state, &q, &PERMISSION_LIST, columns, source).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::Availability;

    #[test]
    fn api_shape_is_the_model_json() {
        let now = crate::now();
        let fields = crate::profiles::ProfileInput {
            name: "Gold".into(),
            description: "d".into(),
            availability: Availability::Groups,
            customer_id: None,
            customer_groups: vec!["VIP".into()],
            is_default: true,
            permissions: vec![crate::access::Perm::Account, crate::access::Perm::Invoices],
        };
        let p = Profile { id: 7, fields, version: 3, created_at: now, updated_at: now };
        assert_eq!(out(&p), p.to_json());
    }
}
