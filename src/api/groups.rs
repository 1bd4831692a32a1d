//! Customer groups and tags (SPEC §4) in the API.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::AppState;
use crate::api::body::ApiJson;
use crate::api::created;
use crate::api::customers::{TagColor, TagOut};
use crate::api::list::{ListQuery, ListSpec, Source, list_params};
use crate::api::schema::{ErrorBody, Page, ReadOnly, max_chars};
use crate::customers::groups::{self, CustomerGroup, NameSort, Tag};
use crate::error::AppResult;
use crate::http::Ctx;

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = CustomerGroup)]
pub struct GroupOut {
    pub id: i64,
    pub name: String,
}

impl From<&CustomerGroup> for GroupOut {
    fn from(g: &CustomerGroup) -> Self {
        GroupOut { id: g.id, name: g.name.clone() }
    }
}

/// A customer group to create, or the whole group to store (`id` is ignored).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = CustomerGroupWrite)]
#[allow(dead_code)] // read-only fields are accepted and ignored
pub struct GroupIn {
    /// Unique.
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub id: ReadOnly,
}

/// A tag to create, or the whole tag to store (`id` is ignored).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = TagWrite)]
#[allow(dead_code)] // read-only fields are accepted and ignored
pub struct TagIn {
    /// Unique.
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub name: String,
    pub color: TagColor,
    /// Read-only: accepted and ignored.
    #[serde(default)]
    #[schema(value_type = Option<serde_json::Value>)]
    pub id: ReadOnly,
}

fn sort(q: &ListQuery) -> (NameSort, bool) {
    (if q.sort_field == "name" { NameSort::Name } else { NameSort::Id }, q.ascending)
}

pub const GROUP_LIST: ListSpec =
    ListSpec { name: "customer-groups", sort_fields: &["id", "name"], filters: &[], text_ids: None };
list_params!(GroupListParams, GROUP_LIST);

pub const TAG_LIST: ListSpec = ListSpec { name: "tags", sort_fields: &["id", "name"], filters: &[], text_ids: None };
list_params!(TagListParams, TAG_LIST);

fn group_json(g: &CustomerGroup) -> Value {
    serde_json::to_value(GroupOut::from(g)).unwrap_or_default()
}

fn tag_json(t: &Tag) -> Value {
    serde_json::to_value(TagOut::from(t)).unwrap_or_default()
}

/// List customer groups.
#[utoipa::path(
    get,
    path = "/api/v1/customer-groups",
    tag = "Customer groups and tags",
    params(GroupListParams),
    responses(
        (status = 200, description = "One page of groups, or the same rows as CSV.",
            content((Page<GroupOut> = "application/json"), (String = "text/csv")))
    )
)]
pub async fn groups_get(req: HttpRequest, state: web::Data<AppState>, caller: Ctx) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &caller, &GROUP_LIST)?;
    let (ids, sort) = (q.specific_int_ids(), sort(&q));
    let source =
        Source::db(move |c, w, total| Ok(CustomerGroup::page(c, &ids, sort, w, total)?.map(|g| group_json(&g))));
    let columns = vec!["id".to_string(), "name".to_string()];
    crate::api::list::respond(&state, &q, &GROUP_LIST, columns, source).await
}

/// One customer group.
#[utoipa::path(
    get,
    path = "/api/v1/customer-groups/{id}",
    tag = "Customer groups and tags",
    params(("id" = i64, Path, description = "Group id")),
    responses((status = 200, description = "The group.", body = GroupOut))
)]
pub async fn group_get(state: web::Data<AppState>, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let g = crate::db::run(&state.pool, move |c| CustomerGroup::get(c, id)).await?;
    Ok(HttpResponse::Ok().json(GroupOut::from(&g)))
}

/// Create a customer group.
#[utoipa::path(
    post,
    path = "/api/v1/customer-groups",
    tag = "Customer groups and tags",
    request_body = GroupIn,
    responses(
        (status = 201, description = "Created.", body = GroupOut,
            headers(("Location" = String, description = "URL of the new group")))
    )
)]
pub async fn group_post(state: web::Data<AppState>, caller: Ctx, body: ApiJson<GroupIn>) -> AppResult<HttpResponse> {
    let name = body.0.name;
    max_chars(&[("name", Some(&name), 100)])?;
    let actor = caller.actor();
    let g = crate::db::run(&state.pool, move |c| groups::create_group(c, &actor, &name)).await?;
    Ok(created(format!("/api/v1/customer-groups/{}", g.id), &GroupOut::from(&g)))
}

/// Rename a customer group.
#[utoipa::path(
    put,
    path = "/api/v1/customer-groups/{id}",
    tag = "Customer groups and tags",
    params(("id" = i64, Path, description = "Group id")),
    request_body = GroupIn,
    responses((status = 200, description = "The stored group.", body = GroupOut))
)]
pub async fn group_put(
    state: web::Data<AppState>,
    caller: Ctx,
    path: web::Path<i64>,
    body: ApiJson<GroupIn>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let name = body.0.name;
    max_chars(&[("name", Some(&name), 100)])?;
    let actor = caller.actor();
    let g = crate::db::run(&state.pool, move |c| groups::rename_group(c, &actor, id, &name)).await?;
    Ok(HttpResponse::Ok().json(GroupOut::from(&g)))
}

/// Delete a customer group; refused (409) while an access profile's availability names it.
#[utoipa::path(
    delete,
    path = "/api/v1/customer-groups/{id}",
    tag = "Customer groups and tags",
    params(("id" = i64, Path, description = "Group id")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 409, description = "Access profiles are available to this group.", body = ErrorBody)
    )
)]
pub async fn group_delete(state: web::Data<AppState>, caller: Ctx, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let (id, actor) = (path.into_inner(), caller.actor());
    crate::db::run(&state.pool, move |c| groups::delete_group(c, &actor, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// List tags.
#[utoipa::path(
    get,
    path = "/api/v1/tags",
    tag = "Customer groups and tags",
    params(TagListParams),
    responses(
        (status = 200, description = "One page of tags, or the same rows as CSV.",
            content((Page<TagOut> = "application/json"), (String = "text/csv")))
    )
)]
pub async fn tags_get(req: HttpRequest, state: web::Data<AppState>, caller: Ctx) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &caller, &TAG_LIST)?;
    let (ids, sort) = (q.specific_int_ids(), sort(&q));
    let source = Source::db(move |c, w, total| Ok(Tag::page(c, &ids, sort, w, total)?.map(|t| tag_json(&t))));
    let columns = vec!["id".to_string(), "name".to_string(), "color".to_string()];
    crate::api::list::respond(&state, &q, &TAG_LIST, columns, source).await
}

/// One tag.
#[utoipa::path(
    get,
    path = "/api/v1/tags/{id}",
    tag = "Customer groups and tags",
    params(("id" = i64, Path, description = "Tag id")),
    responses((status = 200, description = "The tag.", body = TagOut))
)]
pub async fn tag_get(state: web::Data<AppState>, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let t = crate::db::run(&state.pool, move |c| Tag::get(c, id)).await?;
    Ok(HttpResponse::Ok().json(TagOut::from(&t)))
}

/// Create a tag.
#[utoipa::path(
    post,
    path = "/api/v1/tags",
    tag = "Customer groups and tags",
    request_body = TagIn,
    responses(
        (status = 201, description = "Created.", body = TagOut,
            headers(("Location" = String, description = "URL of the new tag")))
    )
)]
pub async fn tag_post(state: web::Data<AppState>, caller: Ctx, body: ApiJson<TagIn>) -> AppResult<HttpResponse> {
    let b = body.0;
    max_chars(&[("name", Some(&b.name), 100)])?;
    let actor = caller.actor();
    let t = crate::db::run(&state.pool, move |c| groups::create_tag(c, &actor, &b.name, b.color.as_str())).await?;
    Ok(created(format!("/api/v1/tags/{}", t.id), &TagOut::from(&t)))
}

/// Replace a tag.
#[utoipa::path(
    put,
    path = "/api/v1/tags/{id}",
    tag = "Customer groups and tags",
    params(("id" = i64, Path, description = "Tag id")),
    request_body = TagIn,
    responses((status = 200, description = "The stored tag.", body = TagOut))
)]
pub async fn tag_put(
    state: web::Data<AppState>,
    caller: Ctx,
    path: web::Path<i64>,
    body: ApiJson<TagIn>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let b = body.0;
    max_chars(&[("name", Some(&b.name), 100)])?;
    let actor = caller.actor();
    let t = crate::db::run(&state.pool, move |c| groups::update_tag(c, &actor, id, &b.name, b.color.as_str())).await?;
    Ok(HttpResponse::Ok().json(TagOut::from(&t)))
}

/// Delete a tag (it is removed from every customer).
#[utoipa::path(
    delete,
    path = "/api/v1/tags/{id}",
    tag = "Customer groups and tags",
    params(("id" = i64, Path, description = "Tag id")),
    responses((status = 204, description = "Deleted."))
)]
pub async fn tag_delete(state: web::Data<AppState>, caller: Ctx, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let (id, actor) = (path.into_inner(), caller.actor());
    crate::db::run(&state.pool, move |c| groups::delete_tag(c, &actor, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
