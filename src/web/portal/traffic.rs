//! Portal traffic pages: CDR lists (keyset pages, filters, htmx "load more", CSV when asked
//! for), the streamed export, recordings, statistics with SVG charts, and active calls. What
//! they show comes from `crate::traffic`; these handlers parse, call it, and render.

mod active_calls;
mod cdrs;
mod statistics;

pub use active_calls::{active_calls_get, active_calls_partial};
pub use cdrs::{cdrs_get, cdrs_outgoing_export, cdrs_partial, recording_get};
pub use statistics::statistics_get;

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use futures_util::StreamExt;

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::http::Portal;
use crate::traffic::Direction;
use crate::traffic::cdrs::CdrFilter;
use crate::traffic::export::{self, Download};

/// The direction a page of a direction is about, from its path (`/portal/cdrs/incoming/rows`):
/// one handler serves both directions' lines of the route table.
pub struct PathDirection(pub Direction);

impl FromRequest for PathDirection {
    type Error = AppError;
    type Future = Ready<Result<PathDirection, AppError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(req.path().split('/').find_map(Direction::parse).map(PathDirection).ok_or(AppError::NotFound))
    }
}

/// A CSV download of the customer's CDRs: audited first, then streamed a page at a time.
pub async fn download(
    state: &AppState,
    p: &Portal,
    what: Download,
    filters: Vec<CdrFilter>,
    file_name: String,
) -> AppResult<HttpResponse> {
    let (actor, customer) = (p.actor(), p.customer_id());
    crate::db::run(&state.pool, move |c| export::record(c, &actor, customer, &what)).await?;
    let body = export::stream(state.pool.clone(), state.replica.clone(), filters, p.tz().to_string())
        .map(|r| r.map(web::Bytes::from));
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")))
        .streaming(body))
}
