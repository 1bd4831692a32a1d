//! Liveness and readiness probes (no authentication).

use std::time::Duration;

use actix_web::{HttpResponse, web};
use diesel::RunQueryDsl;
use serde_json::json;

use crate::AppState;

pub async fn healthz_get() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// Ready when a connection can be had within two seconds, answers a query, and every
/// migration of this binary has been applied. The answer names the reason in general terms;
/// the database's own error text goes to the log only.
pub async fn readyz_get(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let result = web::block(move || -> Result<(), (&'static str, String)> {
        let unreachable = "database unreachable";
        let mut conn = pool.get_timeout(Duration::from_secs(2)).map_err(|e| (unreachable, e.to_string()))?;
        diesel::sql_query("SELECT 1").execute(&mut **conn).map_err(|e| (unreachable, e.to_string()))?;
        match crate::db::migrations_current(&mut conn) {
            Ok(true) => Ok(()),
            Ok(false) => Err(("database migrations are not current", String::new())),
            Err(e) => Err(("database migrations cannot be read", e.to_string())),
        }
    })
    .await;
    let reason = match result {
        Ok(Ok(())) => return HttpResponse::Ok().json(json!({ "status": "ready" })),
        Ok(Err((reason, detail))) => {
            tracing::warn!(%reason, %detail, "not ready");
            reason
        }
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            "readiness check failed"
        }
    };
    HttpResponse::ServiceUnavailable()
        .insert_header((actix_web::http::header::RETRY_AFTER, "2"))
        .json(json!({ "status": "unavailable", "reason": reason }))
}
