//! Access profiles (SPEC §3) and the permission catalog (SPEC §2) in the API. Staff read them;
//! only the `admin` role creates, replaces and deletes them.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::AppState;
use crate::api::body::ApiJson;
use crate::api::created;
use crate::api::list::{FilterKind, FilterSpec, ListQuery, ListSpec, Source, list_params};
use crate::api::schema::{
    ErrorBody, ErrorCode, ErrorDetail, FieldProblem, Page, PermissionKey, ReadOnly, invalid, max_chars, nullable, time,
};
use crate::audit::{self, Actor};
use crate::error::AppResult;
use crate::http::Ctx;
use crate::profiles::model::{ProfileFilter, ProfileSort, RawProfile, validate};
use crate::profiles::{Availability, Profile};
use crate::web::client_ip;

/// An access profile as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = AccessProfile)]
pub struct ProfileOut {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub availability: Availability,
    /// Set iff availability is `customer`: that customer and its descendants may hold it.
    pub customer_id: Option<i64>,
    /// Customer group names; non-empty iff availability is `groups`.
    pub customer_groups: Vec<String>,
    /// At most one profile is the default.
    pub is_default: bool,
    #[schema(value_type = Vec<PermissionKey>)]
    pub permissions: Vec<String>,
    /// Bumps on every change; send it back in PUT.
    pub version: i64,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub updated_at: String,
}

impl From<&Profile> for ProfileOut {
    fn from(p: &Profile) -> Self {
        ProfileOut {
            id: p.id,
            name: p.name.clone(),
            description: p.description.clone(),
            availability: p.availability,
            customer_id: p.customer_id,
            customer_groups: p.customer_groups.clone(),
            is_default: p.is_default,
            permissions: p.permissions.iter().map(|k| k.key().to_string()).collect(),
            version: p.version,
            created_at: time(p.created_at),
            updated_at: time(p.updated_at),
        }
    }
}

fn out(p: &Profile) -> Value {
    serde_json::to_value(ProfileOut::from(p)).unwrap_or_default()
}

fn default_availability() -> Availability {
    Availability::All
}

/// A new access profile. Unknown permission keys are refused (422) with their names.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = AccessProfileCreate)]
#[allow(dead_code)] // read-only fields are accepted and ignored
pub struct ProfileCreate {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub description: String,
    #[serde(default = "default_availability")]
    pub availability: Availability,
    #[serde(default)]
    pub customer_id: Option<i64>,
    #[serde(default)]
    pub customer_groups: Vec<String>,
    #[serde(default)]
    pub is_default: bool,
    #[serde(default)]
    #[schema(value_type = Vec<PermissionKey>)]
    pub permissions: Vec<String>,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub id: ReadOnly,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub version: ReadOnly,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub created_at: ReadOnly,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub updated_at: ReadOnly,
}

/// The whole profile as GET returned it, with the `version` it was read at. `id`, `createdAt`
/// and `updatedAt` are ignored.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = AccessProfileReplace)]
#[allow(dead_code)] // read-only fields are accepted and ignored
pub struct ProfileReplace {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub name: String,
    #[schema(max_length = 2000)]
    pub description: String,
    pub availability: Availability,
    #[serde(deserialize_with = "nullable")]
    #[schema(required = true)]
    pub customer_id: Option<i64>,
    pub customer_groups: Vec<String>,
    pub is_default: bool,
    #[schema(value_type = Vec<PermissionKey>)]
    pub permissions: Vec<String>,
    /// The version the client read; a stale one is refused with 409.
    pub version: i64,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub id: ReadOnly,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub created_at: ReadOnly,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub updated_at: ReadOnly,
}

#[allow(clippy::too_many_arguments)]
fn raw(
    name: String,
    description: String,
    availability: Availability,
    customer_id: Option<i64>,
    customer_groups: Vec<String>,
    is_default: bool,
    permissions: Vec<String>,
) -> RawProfile {
    RawProfile {
        name,
        description,
        availability: availability.as_str().into(),
        customer_id: customer_id.map(|c| c.to_string()),
        customer_groups,
        is_default,
        permissions,
    }
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
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Ctx,
    body: ApiJson<ProfileCreate>,
) -> AppResult<HttpResponse> {
    let b = body.0;
    max_chars(&[("name", Some(&b.name), 200), ("description", Some(&b.description), 2000)])?;
    let input = validate(&raw(
        b.name,
        b.description,
        b.availability,
        b.customer_id,
        b.customer_groups,
        b.is_default,
        b.permissions,
    ))
    .map_err(invalid)?;
    let actor = caller.actor();
    let ip = client_ip(&req);
    let p = crate::db::run_tx(&state.pool, move |c| {
        let p = Profile::create(c, &input)?;
        audit::record(
            c,
            &actor,
            "profile.create",
            "access_profile",
            Some(p.id.to_string()),
            audit::diff(None, Some(&p.to_json())),
        )?;
        Ok(p)
    })
    .await?;
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
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Ctx,
    path: web::Path<i64>,
    body: ApiJson<ProfileReplace>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let b = body.0;
    max_chars(&[("name", Some(&b.name), 200), ("description", Some(&b.description), 2000)])?;
    let version = b.version;
    let raw = raw(b.name, b.description, b.availability, b.customer_id, b.customer_groups, b.is_default, b.permissions);
    let actor = caller.actor();
    let ip = client_ip(&req);
    let result = crate::db::run_tx(&state.pool, move |c| {
        let before = Profile::get(c, id)?;
        if before.version != version {
            return Ok(Err(before));
        }
        let input = validate(&raw).map_err(invalid)?;
        match Profile::update(c, id, version, &input) {
            Ok(after) => {
                let diff = audit::diff(Some(&before.to_json()), Some(&after.to_json()));
                audit::record(c, &actor, "profile.update", "access_profile", Some(id.to_string()), diff)?;
                Ok(Ok(after))
            }
            Err(crate::profiles::model::UpdateError::Stale(now)) => Ok(Err(*now)),
            Err(crate::profiles::model::UpdateError::Other(e)) => Err(e),
        }
    })
    .await?;
    match result {
        Ok(p) => Ok(HttpResponse::Ok().json(ProfileOut::from(&p))),
        Err(current) => Ok(stale(&current, version)),
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
        let p = Profile::delete(c, id)?;
        audit::record(
            c,
            &actor,
            "profile.delete",
            "access_profile",
            Some(id.to_string()),
            audit::diff(Some(&p.to_json()), None),
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// One key of the permission catalog.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Permission)]
pub struct PermissionOut {
    #[schema(value_type = PermissionKey)]
    pub key: &'static str,
    /// Stable group identifier, e.g. `outgoing_traffic`.
    pub group: &'static str,
    pub group_label: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    /// The key this one needs (effective only when the parent is granted too).
    #[schema(value_type = Option<PermissionKey>)]
    pub parent: Option<&'static str>,
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

    #[test]
    fn api_shape_is_the_model_json() {
        let now = crate::now();
        let p = Profile {
            id: 7,
            name: "Gold".into(),
            description: "d".into(),
            availability: Availability::Groups,
            customer_id: None,
            customer_groups: vec!["VIP".into()],
            is_default: true,
            permissions: vec![crate::access::Perm::Account, crate::access::Perm::Invoices],
            version: 3,
            created_at: now,
            updated_at: now,
        };
        assert_eq!(out(&p), p.to_json());
    }
}
