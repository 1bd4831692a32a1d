//! The whole route table in one place.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use crate::error::AppError;
use crate::web::{admin, assets, health, login, portal};

/// Probes and static files: no session is loaded for them, so they answer even while the
/// database is away.
pub fn configure_sessionless(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health::healthz_get))
        .route("/readyz", web::get().to(health::readyz_get))
        .route("/static/{path:.*}", web::get().to(assets::static_get));
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::FormConfig::default().limit(1024 * 1024))
        .app_data(web::JsonConfig::default().limit(1024 * 1024))
        // Public
        .route("/", web::get().to(login::root_get))
        .route("/login", web::get().to(login::login_get))
        .route("/login", web::post().to(login::login_post))
        .route("/logout", web::post().to(login::logout_post))
        // Customer portal
        .service(
            web::scope("/portal")
                .route("", web::get().to(portal::dashboard_get))
                .route("/profile", web::get().to(portal::profile_get))
                .route("/profile/personal", web::post().to(portal::personal_post))
                .route("/profile/settings", web::post().to(portal::settings_post))
                .route("/profile/password", web::post().to(portal::password_post))
                .route("/profile/sessions/{handle}/end", web::post().to(portal::session_end_post))
                .route("/profile/tokens", web::post().to(portal::token_create_post))
                .route("/profile/tokens/{id}/revoke", web::post().to(portal::token_revoke_post)),
        )
        // Operator staff
        .service(
            web::scope("/admin")
                .route("", web::get().to(admin::dashboard_get))
                .route("/me", web::get().to(admin::me_get))
                .route("/me/password", web::post().to(admin::password_post))
                .route("/me/sessions/{handle}/end", web::post().to(admin::session_end_post)),
        )
        .default_service(web::to(not_found));
}

async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

/// An HTML response from a rendered template.
pub fn html(status: StatusCode, rendered: Result<String, askama::Error>) -> HttpResponse {
    match rendered {
        Ok(body) => HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body),
        Err(e) => {
            tracing::error!(error = %e, "template failed to render");
            crate::web::errors::html_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The page could not be drawn.".into(),
                vec![],
            )
        }
    }
}
