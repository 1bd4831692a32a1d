//! The HTTP edge that the HTML pages (`crate::web`) and the JSON API (`crate::api`) share: who
//! is calling ([`Identity`]), the request context with effective grants and role capabilities
//! ([`Ctx`], [`Portal`]), the route-table type and its one guard ([`routes`]), the session store
//! and CSRF. `web` and `api` both import this module and never each other; `crate::routes`
//! mounts them.

pub mod context;
pub mod csrf;
pub mod export;
pub mod files;
pub mod identity;
pub mod routes;
pub mod session_store;

pub use context::{Ctx, Portal};
pub use identity::Identity;

use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};

use crate::i18n::{self, Lang};

/// The client's address. Without `PORTICO_TRUSTED_PROXIES` it is the socket peer and no header
/// is believed. When the peer is a trusted proxy, `X-Forwarded-For` is read from the right: the
/// first address that is not itself a trusted proxy is the client (what a client writes into
/// the header itself sits further left and is never reached).
pub fn client_ip(req: &HttpRequest) -> Option<String> {
    let peer = req.peer_addr()?.ip();
    let trusted = req.app_data::<web::Data<crate::AppState>>().map(|s| s.config.trusted_proxies.as_slice());
    Some(client_ip_behind(peer, trusted.unwrap_or(&[]), req.headers()).to_string())
}

fn client_ip_behind(
    peer: std::net::IpAddr,
    trusted: &[ipnet::IpNet],
    headers: &actix_web::http::header::HeaderMap,
) -> std::net::IpAddr {
    let is_trusted = |ip: &std::net::IpAddr| trusted.iter().any(|n| n.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|h| h.trim().parse().ok())
        .collect();
    hops.iter().rev().find(|ip| !is_trusted(ip)).or(hops.first()).copied().unwrap_or(peer)
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

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};

    use super::*;

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let mut h = HeaderMap::new();
        h.insert(
            HeaderName::from_static("x-forwarded-for"),
            HeaderValue::from_static("6.6.6.6, 203.0.113.7, 10.0.0.2"),
        );
        let lb: std::net::IpAddr = "10.0.0.1".parse().unwrap();
        let nets: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        // Untrusted peer: the header is ignored.
        assert_eq!(client_ip_behind(lb, &[], &h), lb);
        // Trusted chain: the right-most address that is not a proxy, not the forged left one.
        assert_eq!(client_ip_behind(lb, &nets, &h).to_string(), "203.0.113.7");
        // A trusted peer without the header is the client.
        assert_eq!(client_ip_behind(lb, &nets, &HeaderMap::new()), lb);
    }
}
