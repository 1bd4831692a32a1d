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
/// migration of this binary has been applied.
pub async fn readyz_get(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.pool.clone();
    let result = web::block(move || -> Result<(), String> {
        let mut conn = pool.get_timeout(Duration::from_secs(2)).map_err(|e| format!("database unreachable: {e}"))?;
        diesel::sql_query("SELECT 1").execute(&mut *conn).map_err(|e| format!("database query failed: {e}"))?;
        match crate::db::migrations_current(&mut conn) {
            Ok(true) => Ok(()),
            Ok(false) => Err("database migrations are not current".into()),
            Err(e) => Err(e.to_string()),
        }
    })
    .await;
    match result {
        Ok(Ok(())) => HttpResponse::Ok().json(json!({ "status": "ready" })),
        Ok(Err(reason)) => {
            tracing::warn!(%reason, "not ready");
            HttpResponse::ServiceUnavailable().json(json!({ "status": "unavailable", "reason": reason }))
        }
        Err(e) => HttpResponse::ServiceUnavailable().json(json!({ "status": "unavailable", "reason": e.to_string() })),
    }
}
