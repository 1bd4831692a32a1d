//! Turns every error into what the client expects: the JSON error body of SPEC §8 under
//! `/api/`, a friendly HTML page elsewhere, and a redirect to the login page when a browser
//! needs to sign in.

use actix_session::storage::{LoadError, SaveError, UpdateError};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse};
use askama::Template;

use crate::error::{AppError, FieldError, json_error};
use crate::http::Identity;
use crate::i18n::Lang;
use crate::web::layout::Layout;

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub l: Layout,
    pub status: u16,
    pub heading: String,
    pub message: String,
    pub details: Vec<FieldError>,
}

/// Paths whose clients read JSON, never an HTML page.
pub fn is_api(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/webhooks/") || path == "/healthz" || path == "/readyz"
}

struct Described {
    status: StatusCode,
    code: &'static str,
    message: String,
    details: Vec<FieldError>,
}

fn describe(status: StatusCode, err: &actix_web::Error) -> Described {
    if let Some(app) = err.as_error::<AppError>() {
        return Described { status, code: app.code(), message: app.public_message(), details: app.details().to_vec() };
    }
    let session_failure = err.as_error::<InternalError<LoadError>>().is_some()
        || err.as_error::<InternalError<SaveError>>().is_some()
        || err.as_error::<InternalError<UpdateError>>().is_some()
        || err.as_error::<InternalError<anyhow::Error>>().is_some();
    if session_failure {
        let e = AppError::Unavailable("The database is unavailable. Please try again shortly.".into());
        return Described {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: e.code(),
            message: e.public_message(),
            details: vec![],
        };
    }
    let code = match status.as_u16() {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "bad_request",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "bad_request",
        422 => "unprocessable",
        429 => "rate_limited",
        503 => "unavailable",
        s if s < 500 => "bad_request",
        _ => "internal",
    };
    let message =
        if status.is_server_error() { "Something went wrong on our side.".to_string() } else { err.to_string() };
    Described { status, code, message, details: vec![] }
}

fn heading(lang: Lang, status: StatusCode) -> String {
    let id = match status.as_u16() {
        400 | 405 | 415 => "error-400",
        401 => "error-401",
        403 => "error-403",
        404 => "error-404",
        409 => "error-409",
        413 => "error-413",
        422 => "error-422",
        429 => "error-429",
        503 => "error-503",
        _ => "error-500",
    };
    lang.t(id)
}

fn login_redirect(facts: &RequestFacts) -> HttpResponse {
    let target = if facts.get {
        format!("/login?next={}", crate::web::login::encode_component(&facts.path_and_query))
    } else {
        "/login".to_string()
    };
    let mut b = HttpResponse::SeeOther();
    b.insert_header((header::LOCATION, target.clone()));
    if facts.htmx {
        b.insert_header(("HX-Redirect", target));
    }
    b.finish()
}

/// The friendly error page in English (see [`html_error_in`]).
pub fn html_error(status: StatusCode, message: String, details: Vec<FieldError>) -> HttpResponse {
    html_error_in(Lang::En, status, message, details)
}

/// The friendly error page; the message (English, as model code writes it) is shown in the
/// page's language when the message catalog knows it.
pub fn html_error_in(lang: Lang, status: StatusCode, message: String, details: Vec<FieldError>) -> HttpResponse {
    let heading = heading(lang, status);
    let page = ErrorPage {
        l: Layout::bare(lang, &heading),
        status: status.as_u16(),
        heading: heading.clone(),
        message: lang.msg(&message),
        details,
    };
    match page.render() {
        Ok(html) => HttpResponse::build(status).content_type("text/html; charset=utf-8").body(html),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            HttpResponse::build(status).content_type("text/plain; charset=utf-8").body(heading)
        }
    }
}

/// What the error renderer needs to know of a request, taken before the request is routed
/// (an `HttpRequest` must not be cloned while routing runs).
struct RequestFacts {
    api: bool,
    get: bool,
    path_and_query: String,
    htmx: bool,
    https: bool,
    /// `Accept-Language`, for pages of people not signed in.
    accept_language: Option<String>,
}

pub async fn render(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let facts = RequestFacts {
        api: is_api(req.path()),
        get: req.method() == Method::GET,
        path_and_query: req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into()),
        htmx: req.headers().contains_key("hx-request"),
        https: req.app_data::<actix_web::web::Data<crate::AppState>>().is_some_and(|s| s.config.https),
        accept_language: req
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.chars().take(200).collect()),
    };
    let res = match next.call(req).await {
        Ok(res) => res,
        Err(e) => {
            // A middleware failed (e.g. the session store lost its database): answer with the
            // rendered page as the error's own response, security headers included.
            let status = e.as_response_error().status_code();
            let mut resp = respond(&facts, status, &e, "");
            crate::web::headers::apply(resp.headers_mut(), facts.https, false);
            return Err(InternalError::from_response(e.to_string(), resp).into());
        }
    };
    let status = res.status();
    let Some(err) = res.response().error() else {
        return Ok(res.map_into_left_body());
    };
    if status.is_success() || status.is_redirection() {
        return Ok(res.map_into_left_body());
    }
    // The signed-in person's language when the request got as far as knowing them.
    let setting = res.request().extensions().get::<Identity>().map(|i| i.user.lang.clone()).unwrap_or_default();
    let resp = respond(&facts, status, err, &setting);
    let (req, _) = res.into_parts();
    Ok(ServiceResponse::new(req, resp).map_into_right_body())
}

/// Load and limits answer with when to come back (SPEC §12: retryable, never a dropped
/// connection).
fn retry_after(resp: &mut HttpResponse) {
    let secs = match resp.status() {
        StatusCode::SERVICE_UNAVAILABLE => "2",
        StatusCode::TOO_MANY_REQUESTS => "60",
        _ => return,
    };
    resp.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static(secs));
}

fn respond(facts: &RequestFacts, status: StatusCode, err: &actix_web::Error, lang_setting: &str) -> HttpResponse {
    let mut resp = respond_plain(facts, status, err, lang_setting);
    retry_after(&mut resp);
    resp
}

fn respond_plain(facts: &RequestFacts, status: StatusCode, err: &actix_web::Error, lang_setting: &str) -> HttpResponse {
    let d = describe(status, err);
    if facts.api && d.status == StatusCode::UNAUTHORIZED {
        let mut resp = json_error(
            d.status,
            d.code,
            "Send a personal API token as `Authorization: Bearer <token>`, or sign in.".into(),
            &[],
        );
        resp.headers_mut()
            .insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer realm=\"portico\""));
        resp
    } else if facts.api {
        json_error(d.status, d.code, d.message, &d.details)
    } else if d.status == StatusCode::UNAUTHORIZED {
        login_redirect(facts)
    } else {
        let lang = crate::i18n::resolve(lang_setting, facts.accept_language.as_deref());
        html_error_in(lang, d.status, d.message, d.details)
    }
}
