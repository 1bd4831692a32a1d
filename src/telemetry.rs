//! `GET /metrics` in the Prometheus text format (SPEC §10), with the `metrics` facade and its
//! Prometheus exporter. Off unless `PORTICO_METRICS_TOKEN` is set, and then only for
//! `Authorization: Bearer <that token>`.
//!
//! Recorded: requests by method, route pattern and status with a latency histogram
//! (`portico_http_requests_total`, `portico_http_request_duration_seconds`); database pool
//! connections in use, idle and waiting; password hashes running and refused; exports running;
//! ingested rows; sign-in failures and lockouts; outbox and webhook counts as they happen.

use std::sync::OnceLock;
use std::time::Duration;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::AppState;

const LATENCY_BUCKETS: [f64; 14] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process-wide recorder (once; later calls are no-ops).
pub fn install() {
    HANDLE.get_or_init(|| {
        let built = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full("portico_http_request_duration_seconds".into()), &LATENCY_BUCKETS)
            .and_then(|b| b.install_recorder());
        match built {
            Ok(h) => Some(h),
            Err(e) => {
                tracing::warn!(error = %e, "metrics recorder not installed");
                None
            }
        }
    });
}

/// One answered request: `pattern` is the route pattern (never the raw path, whose ids would
/// make every URL a series of its own).
pub fn record_request(method: &str, pattern: &str, status: u16, elapsed: Duration) {
    let labels = [("method", method.to_string()), ("route", pattern.to_string()), ("status", status.to_string())];
    metrics::counter!("portico_http_requests_total", &labels).increment(1);
    metrics::histogram!("portico_http_request_duration_seconds", &labels[..2]).record(elapsed.as_secs_f64());
}

fn authorized(req: &HttpRequest, expected: &str) -> bool {
    let presented = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or("");
    presented.len() == expected.len()
        && presented.bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// The scrape. 404 while metrics are off; 401 without the right token.
pub async fn metrics_get(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let Some(token) = state.config.metrics_token.as_deref() else {
        return HttpResponse::NotFound().finish();
    };
    if !authorized(&req, token) {
        return HttpResponse::Unauthorized()
            .insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\""))
            .finish();
    }
    let pool = state.pool.state();
    metrics::gauge!("portico_db_pool_connections").set(f64::from(pool.connections));
    metrics::gauge!("portico_db_pool_idle").set(f64::from(pool.idle_connections));
    metrics::gauge!("portico_db_pool_in_use").set(f64::from(pool.connections - pool.idle_connections));
    metrics::gauge!("portico_db_pool_max").set(f64::from(state.pool.max_size()));
    let body = HANDLE.get().and_then(|h| h.as_ref()).map(|h| h.render()).unwrap_or_default();
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(body)
}
