//! The JSON API under `/api/v1` (SPEC §8): handlers that parse JSON or query strings, call the
//! domain, and answer JSON or CSV. Its lines live in the one route table (`crate::routes`),
//! guarded like every other route; the OpenAPI document (`crate::openapi`) is generated from
//! the same handlers and the same table.

pub mod access_codes;
pub mod accounts;
pub mod body;
pub mod csv;
pub mod customers;
pub mod groups;
pub mod ingest;
pub mod list;
pub mod me;
pub mod portal_data;
pub mod profiles;
pub mod schema;
pub mod strict;
pub mod users;

use actix_web::HttpResponse;
use actix_web::http::header;

/// Where the API lives.
pub const PREFIX: &str = "/api/v1";
/// Largest accepted request body (SPEC §8); ingest routes take
/// [`crate::http::routes::INGEST_BODY_LIMIT`].
pub const BODY_LIMIT: usize = 1024 * 1024;

/// `201 Created` with a `Location` header and the created object.
pub fn created(location: String, body: &impl serde::Serialize) -> HttpResponse {
    HttpResponse::Created().insert_header((header::LOCATION, location)).json(body)
}
