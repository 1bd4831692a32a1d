//! Ingest routes of the operator's systems (SPEC §8): staff credentials (usually an API
//! token), bodies up to 16 MiB, all-or-nothing, audited.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use crate::AppState;
use crate::audit::{self, Actor};
use crate::auth::Staff;
use crate::billing::ingest as bi;
use crate::error::{AppError, AppResult};
use crate::web::client_ip;

pub const BODY_LIMIT: usize = 16 * 1024 * 1024;

fn is_csv(req: &HttpRequest) -> bool {
    req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.starts_with("text/csv"))
}

async fn audited<T: Send + 'static>(
    state: &AppState,
    req: &HttpRequest,
    s: &Staff,
    action: &'static str,
    object: &'static str,
    f: impl FnOnce(&mut crate::db::DbConnection) -> AppResult<(T, serde_json::Value)> + Send + 'static,
) -> AppResult<T> {
    let actor = Actor::user(&s.0.user);
    let ip = client_ip(req);
    crate::db::run_tx(&state.pool, move |c| {
        let (out, summary) = f(c)?;
        audit::record(c, &actor, action, object, None, Some(summary), ip.as_deref())?;
        Ok(out)
    })
    .await
}

pub async fn cdrs_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Staff,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let raw =
        if is_csv(&req) { crate::traffic::ingest::from_csv(&body)? } else { crate::traffic::ingest::from_json(&body)? };
    let parsed = web::block(move || crate::traffic::ingest::parse_all(&raw)).await.map_err(AppError::internal)??;
    let result = audited(&state, &req, &s, "ingest.cdrs", "cdr", move |c| {
        let r = crate::traffic::ingest::store(c, parsed)?;
        Ok((r, json!({"received": r.received, "inserted": r.inserted, "duplicates": r.duplicates})))
    })
    .await?;
    Ok(HttpResponse::Ok().json(result))
}

pub async fn active_calls_put(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Staff,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let calls: Vec<crate::traffic::active::ActiveIn> = bi::one_or_many(&body)?;
    let n = crate::db::run_tx(&state.pool, move |c| crate::traffic::active::replace_snapshot(c, calls)).await?;
    let _ = (&req, &s);
    Ok(HttpResponse::Ok().json(json!({ "activeCalls": n })))
}

pub async fn invoices_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Staff,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let rows: Vec<bi::InvoiceIn> = bi::one_or_many(&body)?;
    let ids = audited(&state, &req, &s, "ingest.invoices", "invoice", move |c| {
        let ids = bi::invoices_in(c, rows)?;
        let n = ids.len();
        Ok((ids, json!({ "stored": n })))
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "ids": ids })))
}

pub async fn invoice_pdf_put(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Staff,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let size = body.len();
    audited(&state, &req, &s, "ingest.invoice_pdf", "invoice", move |c| {
        crate::billing::Invoice::set_pdf(c, id, &body)?;
        Ok(((), json!({ "invoiceId": id, "bytes": size })))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

macro_rules! simple_ingest {
    ($name:ident, $ty:ty, $func:path, $action:literal, $object:literal) => {
        pub async fn $name(req: HttpRequest, state: web::Data<AppState>, s: Staff, body: web::Bytes) -> AppResult<HttpResponse> {
            let rows: Vec<$ty> = bi::one_or_many(&body)?;
            let n = audited(&state, &req, &s, $action, $object, move |c| {
                let n = $func(c, rows)?;
                Ok((n, json!({ "stored": n })))
            })
            .await?;
            Ok(HttpResponse::Ok().json(json!({ "stored": n })))
        }
    };
}

simple_ingest!(payments_post, bi::PaymentIn, bi::payments_in, "ingest.payments", "payment");
simple_ingest!(transactions_post, bi::TransactionIn, bi::transactions_in, "ingest.transactions", "transaction");
simple_ingest!(services_post, bi::ServiceIn, bi::services_in, "ingest.services", "service");
simple_ingest!(numbers_post, crate::numbers::NumberIn, crate::numbers::numbers_in, "ingest.numbers", "number");
simple_ingest!(
    campaigns_post,
    crate::numbers::CampaignIn,
    crate::numbers::campaigns_in,
    "ingest.campaigns",
    "campaign"
);

pub async fn rateplans_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Staff,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let rows: Vec<crate::rateplans::RateplanIn> = bi::one_or_many(&body)?;
    let ids = audited(&state, &req, &s, "ingest.rateplans", "rateplan", move |c| {
        let ids = rows.into_iter().map(|r| crate::rateplans::rateplan_in(c, r)).collect::<AppResult<Vec<i64>>>()?;
        let n = ids.len();
        Ok((ids, json!({ "stored": n })))
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "ids": ids })))
}

pub async fn numberlists_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Staff,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let rows: Vec<crate::numberlists::NumberlistIn> = bi::one_or_many(&body)?;
    let ids = audited(&state, &req, &s, "ingest.numberlists", "numberlist", move |c| {
        let ids = rows.into_iter().map(|r| crate::numberlists::numberlist_in(c, r)).collect::<AppResult<Vec<i64>>>()?;
        let n = ids.len();
        Ok((ids, json!({ "stored": n })))
    })
    .await?;
    Ok(HttpResponse::Ok().json(json!({ "ids": ids })))
}

pub async fn recording_put(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Staff,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    if body.is_empty() {
        return Err(AppError::field("body", "The recording is empty."));
    }
    let dir = state.config.recordings_dir.clone();
    let size = body.len();
    audited(&state, &req, &s, "ingest.recording", "cdr", move |c| {
        crate::traffic::cdrs::attach_recording(c, &dir, id, &body)?;
        Ok(((), json!({ "cdrId": id, "bytes": size })))
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Mounted before the `/api/v1` scope: the operator's push routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    let big = web::PayloadConfig::new(BODY_LIMIT);
    cfg.service(web::resource("/api/v1/cdrs").app_data(big.clone()).route(web::post().to(cdrs_post)))
        .service(web::resource("/api/v1/active-calls").app_data(big.clone()).route(web::put().to(active_calls_put)))
        .service(web::resource("/api/v1/invoices").app_data(big.clone()).route(web::post().to(invoices_post)))
        .service(web::resource("/api/v1/invoices/{id}/pdf").app_data(big.clone()).route(web::put().to(invoice_pdf_put)))
        .service(web::resource("/api/v1/payments").app_data(big.clone()).route(web::post().to(payments_post)))
        .service(web::resource("/api/v1/transactions").app_data(big.clone()).route(web::post().to(transactions_post)))
        .service(web::resource("/api/v1/services").app_data(big.clone()).route(web::post().to(services_post)))
        .service(web::resource("/api/v1/rateplans").app_data(big.clone()).route(web::post().to(rateplans_post)))
        .service(web::resource("/api/v1/numbers").app_data(big.clone()).route(web::post().to(numbers_post)))
        .service(web::resource("/api/v1/campaigns").app_data(big.clone()).route(web::post().to(campaigns_post)))
        .service(web::resource("/api/v1/numberlists").app_data(big.clone()).route(web::post().to(numberlists_post)))
        .service(web::resource("/api/v1/cdrs/{id}/recording").app_data(big).route(web::put().to(recording_put)));
}
