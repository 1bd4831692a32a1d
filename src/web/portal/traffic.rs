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
use actix_web::{FromRequest, HttpRequest};

use crate::error::AppError;
use crate::traffic::Direction;

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

/// A CSV download of the customer's CDRs (see [`crate::http::export::cdr_download`]).
pub use crate::http::export::cdr_download as download;
