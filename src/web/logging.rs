//! One structured log line per request: request id, method, path, status, latency.

use std::time::Instant;

use actix_web::HttpMessage;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;

#[derive(Debug, Clone)]
pub struct RequestId(pub String);

const HEADER: &str = "x-request-id";

pub async fn log_requests(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let start = Instant::now();
    let id = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty() && v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .map(str::to_string)
        .unwrap_or_else(|| crate::auth::sessions::random_token(9));
    req.extensions_mut().insert(RequestId(id.clone()));
    let method = req.method().to_string();
    let path = req.path().to_string();
    let res = next.call(req).await;
    let elapsed = start.elapsed();
    let latency_ms = elapsed.as_secs_f64() * 1000.0;
    match res {
        Ok(mut res) => {
            let status = res.status().as_u16();
            let pattern = res.request().match_pattern().unwrap_or_else(|| "unmatched".into());
            crate::telemetry::record_request(&method, &pattern, status, elapsed);
            if status >= 500 {
                tracing::error!(request_id = %id, %method, %path, status, latency_ms, "request");
            } else {
                tracing::info!(request_id = %id, %method, %path, status, latency_ms, "request");
            }
            if let Ok(v) = HeaderValue::from_str(&id) {
                res.headers_mut().insert(HeaderName::from_static(HEADER), v);
            }
            Ok(res)
        }
        Err(e) => {
            tracing::error!(request_id = %id, %method, %path, error = %e, latency_ms, "request failed");
            Err(e)
        }
    }
}
