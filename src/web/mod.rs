//! The HTML side: admin and portal pages, htmx fragments, sign-in, error pages, assets and the
//! middleware around them. Handlers parse forms, call the domain, and render templates; the
//! route table that reaches them is `crate::routes`.

pub mod account;
pub mod admin;
pub mod assets;
pub mod charts;
pub mod errors;
pub mod forms;
pub mod headers;
pub mod health;
pub mod layout;
pub mod logging;
pub mod login;
pub mod page;
pub mod password_reset;
pub mod portal;
pub mod two_factor;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;

pub use crate::http::{client_ip, see_other};

/// An HTML response from a rendered template.
pub fn html(status: StatusCode, rendered: Result<String, askama::Error>) -> HttpResponse {
    match rendered {
        Ok(body) => HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            errors::html_error(StatusCode::INTERNAL_SERVER_ERROR, "The page could not be drawn.".into(), vec![])
        }
    }
}
