//! CSRF protection: a synchronizer token kept in the session. Every cookie-authenticated
//! POST/PUT/PATCH/DELETE must present it as the `X-CSRF-Token` header (htmx, API) or as the
//! `csrf_token` form field; requests authenticated by `Authorization: Bearer` need none.

use actix_session::{Session, SessionExt};
use actix_web::HttpMessage;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::web::Bytes;

use crate::auth::sessions::{keys, random_token};
use crate::error::AppError;

pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "X-CSRF-Token";
/// Largest form body the guard buffers to look for the token.
const MAX_FORM_BYTES: usize = 1024 * 1024;

/// The session's token, created on first use.
pub fn token(session: &Session) -> String {
    if let Ok(Some(t)) = session.get::<String>(keys::CSRF) {
        return t;
    }
    let t = random_token(32);
    let _ = session.insert(keys::CSRF, &t);
    t
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn form_token(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v)
}

fn query_token(req: &ServiceRequest) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .ok()?
        .into_iter()
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v)
}

pub fn is_bearer(req: &ServiceRequest) -> bool {
    req.headers().contains_key(header::AUTHORIZATION)
}

/// Paths whose writes are authenticated by their own signature, not by a session.
fn exempt(path: &str) -> bool {
    path.starts_with("/webhooks/")
}

pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let session = req.get_session();
    // An API call without a signed-in session has no ambient authority to protect: it gets
    // its 401 from the handler. Browser forms (login included) always need the token.
    let anonymous_api = req.path().starts_with("/api/") && !matches!(session.get::<i64>(keys::USER_ID), Ok(Some(_)));
    if unsafe_method && !is_bearer(&req) && !exempt(req.path()) && !anonymous_api {
        let expected = session.get::<String>(keys::CSRF).ok().flatten();
        let mut presented = req.headers().get(HEADER).and_then(|v| v.to_str().ok()).map(str::to_string);
        if presented.is_none() {
            let is_form = req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
            if is_form {
                let body = match read_body(&mut req).await {
                    Ok(b) => b,
                    Err(e) => return Ok(req.error_response(e).map_into_right_body()),
                };
                presented = form_token(&body);
                req.set_payload(Payload::from(body));
            } else {
                presented = query_token(&req);
            }
        }
        let ok = matches!((&expected, &presented), (Some(e), Some(p)) if constant_time_eq(e.as_bytes(), p.as_bytes()));
        if !ok {
            tracing::warn!(path = %req.path(), "request refused: missing or invalid CSRF token");
            let e = AppError::Forbidden(
                "The form has expired or did not come from this site. Reload the page and try again.".into(),
            );
            return Ok(req.error_response(e).map_into_right_body());
        }
    }
    next.call(req).await.map(ServiceResponse::map_into_left_body)
}

async fn read_body(req: &mut ServiceRequest) -> Result<Bytes, AppError> {
    use futures_util::StreamExt;
    let mut payload = req.take_payload();
    let mut buf = actix_web::web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::bad_request(format!("could not read the request body: {e}")))?;
        if buf.len() + chunk.len() > MAX_FORM_BYTES {
            return Err(AppError::PayloadTooLarge);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}
