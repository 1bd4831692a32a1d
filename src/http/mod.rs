//! The HTTP edge that the HTML pages (`crate::web`) and the JSON API (`crate::api`) share: who
//! is calling ([`Identity`]), the request context with effective grants and role capabilities
//! ([`Ctx`], [`Portal`]), the route-table type and its one guard ([`routes`]), the session store
//! and CSRF. `web` and `api` both import this module and never each other; `crate::routes`
//! mounts them.

pub mod context;
pub mod csrf;
pub mod identity;
pub mod routes;
pub mod session_store;

pub use context::{Ctx, Portal};
pub use identity::Identity;

use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};

use crate::i18n::{self, Lang};

/// The client's address as seen by this server (no proxy headers are trusted).
pub fn client_ip(req: &HttpRequest) -> Option<String> {
    req.peer_addr().map(|a| a.ip().to_string())
}

/// A 303 See Other to `to`.
pub fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((actix_web::http::header::LOCATION, to.to_string())).finish()
}

/// The URL the portal is reached at, for links sent to people (invitations): the configured
/// public URL, else the scheme and host of this request.
pub fn base_url(req: &HttpRequest) -> String {
    let configured = req.app_data::<web::Data<crate::AppState>>().and_then(|s| s.config.public_url.clone());
    match configured {
        Some(u) => u,
        None => {
            let ci = req.connection_info();
            format!("{}://{}", ci.scheme(), ci.host())
        }
    }
}

/// The link a person follows to accept an invitation.
pub fn invitation_url(req: &HttpRequest, token: &str) -> String {
    format!("{}/invitation/{token}", base_url(req))
}

/// The language of a request: the signed-in person's setting when the request has been
/// authenticated, else (and for the browser-default setting) `Accept-Language`, else English.
pub fn request_lang(req: &HttpRequest) -> Lang {
    let accept = req.headers().get(actix_web::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    let setting = req.extensions().get::<Identity>().map(|i| i.user.lang.clone()).unwrap_or_default();
    i18n::resolve(&setting, accept)
}
