//! CSRF protection. Every cookie-authenticated POST/PUT/PATCH/DELETE must present a token as
//! the `X-CSRF-Token` header (htmx, API) or as the `csrf_token` form field; requests
//! authenticated by `Authorization: Bearer` need none.
//!
//! Signed-in people carry a synchronizer token in their session. Anonymous forms (sign-in,
//! invitation, password reset) must not create a session row, so theirs is a signed token bound
//! to a cookie: the cookie holds a random nonce, the form holds HMAC-SHA256(server secret,
//! nonce). The secret is generated once and kept in the database, so every node accepts the
//! tokens of every other.

use std::cell::RefCell;
use std::rc::Rc;

use actix_session::{Session, SessionExt};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{HttpMessage, HttpRequest, web};
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::AppState;
use crate::auth::sessions::{keys, random_token};
use crate::error::AppError;

pub const FIELD: &str = "csrf_token";
pub const HEADER: &str = "X-CSRF-Token";
/// Largest form body the guard buffers to look for the token.
const MAX_FORM_BYTES: usize = 1024 * 1024;

/// The cookie that holds the nonce of anonymous forms (`__Host-` prefixed on https).
fn nonce_cookie(https: bool) -> &'static str {
    if https { "__Host-portico-csrf" } else { "portico-csrf" }
}

/// This request's nonce for anonymous forms: the cookie's, or one minted when a page needs it
/// (then set on the response).
#[derive(Clone, Default)]
struct Nonce(Rc<RefCell<NonceState>>);

#[derive(Default)]
struct NonceState {
    value: Option<String>,
    minted: bool,
}

fn sign(secret: &[u8], nonce: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(b"portico-csrf:");
    mac.update(nonce.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

fn signed_in(session: &Session) -> bool {
    matches!(session.get::<i64>(keys::USER_ID), Ok(Some(_)))
}

/// The session's synchronizer token, created on first use (signed-in sessions only).
pub fn token(session: &Session) -> String {
    if let Ok(Some(t)) = session.get::<String>(keys::CSRF) {
        return t;
    }
    let t = random_token(32);
    let _ = session.insert(keys::CSRF, &t);
    t
}

/// The token a page's forms carry: the session's for a signed-in person, else the signed token
/// of this browser's nonce cookie — no session row is created for it.
pub fn form_token(req: &HttpRequest) -> String {
    let session = req.get_session();
    if signed_in(&session) {
        return token(&session);
    }
    let state = req.app_data::<web::Data<AppState>>();
    let nonce = req.extensions().get::<Nonce>().cloned();
    let (Some(state), Some(nonce)) = (state, nonce) else {
        return String::new();
    };
    let mut n = nonce.0.borrow_mut();
    if n.value.is_none() {
        n.value = Some(random_token(16));
        n.minted = true;
    }
    sign(&state.csrf_secret, n.value.as_deref().unwrap_or_default())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn field_of(pairs: Vec<(String, String)>) -> Option<String> {
    pairs.into_iter().find(|(k, _)| k == FIELD).map(|(_, v)| v)
}

pub fn is_bearer(req: &ServiceRequest) -> bool {
    req.headers().contains_key(header::AUTHORIZATION)
}

/// Paths whose writes are authenticated by their own signature, not by a session.
fn exempt(path: &str) -> bool {
    path.starts_with("/webhooks/")
}

/// The token the request presents: header, else form field, else query parameter.
async fn presented(req: &mut ServiceRequest) -> Result<Option<String>, AppError> {
    if let Some(t) = req.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        return Ok(Some(t.to_string()));
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        let body = read_body(req).await?;
        let t = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body).ok().and_then(field_of);
        req.set_payload(Payload::from(body));
        return Ok(t);
    }
    Ok(serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string()).ok().and_then(field_of))
}

pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let session = req.get_session();
    let is_signed_in = signed_in(&session);
    let https = req.app_data::<web::Data<AppState>>().is_some_and(|s| s.config.https);
    let cookie_nonce = req.cookie(nonce_cookie(https)).map(|c| c.value().to_string());
    // An API call without a signed-in session has no ambient authority to protect: it gets
    // its 401 from the guard of its route. Browser forms (sign-in included) always need a token.
    let anonymous_api = req.path().starts_with("/api/") && !is_signed_in;
    if unsafe_method && !is_bearer(&req) && !exempt(req.path()) && !anonymous_api {
        let expected = if is_signed_in {
            session.get::<String>(keys::CSRF).ok().flatten()
        } else {
            let secret = req.app_data::<web::Data<AppState>>().map(|s| s.csrf_secret);
            match (secret, &cookie_nonce) {
                (Some(secret), Some(nonce)) => Some(sign(&secret, nonce)),
                _ => None,
            }
        };
        let presented = match presented(&mut req).await {
            Ok(p) => p,
            Err(e) => return Ok(req.error_response(e).map_into_right_body()),
        };
        let ok = matches!((&expected, &presented), (Some(e), Some(p)) if constant_time_eq(e.as_bytes(), p.as_bytes()));
        if !ok {
            tracing::warn!(path = %req.path(), "request refused: missing or invalid CSRF token");
            let e = AppError::Forbidden(
                "The form has expired or did not come from this site. Reload the page and try again.".into(),
            );
            return Ok(req.error_response(e).map_into_right_body());
        }
    }
    let nonce = Nonce(Rc::new(RefCell::new(NonceState { value: cookie_nonce, minted: false })));
    req.extensions_mut().insert(nonce.clone());
    let mut res = next.call(req).await?;
    let minted = nonce.0.borrow().minted.then(|| nonce.0.borrow().value.clone()).flatten();
    if let Some(value) = minted {
        let cookie = Cookie::build(nonce_cookie(https), value)
            .path("/")
            .http_only(true)
            .secure(https)
            .same_site(SameSite::Lax)
            .finish();
        if let Ok(v) = header::HeaderValue::from_str(&cookie.to_string()) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    Ok(res.map_into_left_body())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_tokens_depend_on_secret_and_nonce() {
        let a = sign(&[1; 32], "nonce-a");
        assert_eq!(a, sign(&[1; 32], "nonce-a"));
        assert_ne!(a, sign(&[2; 32], "nonce-a"));
        assert_ne!(a, sign(&[1; 32], "nonce-b"));
        assert!(constant_time_eq(a.as_bytes(), a.as_bytes()));
        assert!(!constant_time_eq(a.as_bytes(), b"short"));
    }
}
