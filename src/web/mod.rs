//! HTTP: the route table, middleware, the admin and portal pages and the JSON API.

pub mod account;
pub mod admin;
pub mod assets;
pub mod charts;
pub mod errors;
pub mod forms;
pub mod headers;
pub mod health;
pub mod ingest;
pub mod layout;
pub mod logging;
pub mod login;
pub mod portal;
pub mod routes;

use actix_web::HttpRequest;

/// The client's address as seen by this server (no proxy headers are trusted).
pub fn client_ip(req: &HttpRequest) -> Option<String> {
    req.peer_addr().map(|a| a.ip().to_string())
}

/// A 303 See Other to `to`; htmx requests also get `HX-Redirect` so the whole page moves.
pub fn see_other(to: &str) -> actix_web::HttpResponse {
    actix_web::HttpResponse::SeeOther().insert_header((actix_web::http::header::LOCATION, to.to_string())).finish()
}
