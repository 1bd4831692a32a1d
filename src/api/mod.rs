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
pub mod read_only;
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

/// What most API handlers take from their request, as one extractor: the state (the pool)
/// and the caller's context.
pub struct Call {
    pub state: actix_web::web::Data<crate::AppState>,
    pub caller: crate::http::Ctx,
}

impl actix_web::FromRequest for Call {
    type Error = crate::error::AppError;
    type Future = std::future::Ready<Result<Call, Self::Error>>;
    fn from_request(req: &actix_web::HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        use actix_web::HttpMessage;
        let state = req.app_data::<actix_web::web::Data<crate::AppState>>().cloned();
        let caller = req.extensions().get::<crate::http::Ctx>().cloned();
        std::future::ready(match (state, caller) {
            (Some(state), Some(caller)) => Ok(Call { state, caller }),
            _ => {
                Err(crate::error::AppError::internal(anyhow::anyhow!("API handler without its guard: {}", req.path())))
            }
        })
    }
}

/// `201 Created` with a `Location` header and the created object.
pub fn created(location: String, body: &impl serde::Serialize) -> HttpResponse {
    HttpResponse::Created().insert_header((header::LOCATION, location)).json(body)
}
