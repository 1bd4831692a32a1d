//! Ingest routes of the operator's systems (SPEC §8): staff credentials (usually an API
//! token), bodies up to 16 MiB, all-or-nothing, audited.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::json;

use crate::AppState;
use crate::audit;
use crate::billing::ingest as bi;
use crate::error::{AppError, AppResult};
use crate::http::Ctx;

const TAG: &str = "Ingest (operator systems)";

fn is_csv(req: &HttpRequest) -> bool {
    req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.starts_with("text/csv"))
}

async fn audited<T: Send + 'static>(
    state: &AppState,
    req: &HttpRequest,
    s: &Ctx,
    action: &'static str,
    object: &'static str,
    f: impl FnOnce(&mut crate::db::DbConnection) -> AppResult<(T, serde_json::Value)> + Send + 'static,
) -> AppResult<T> {
    let actor = s.actor();
    let _ = req;
    crate::db::run_tx(&state.pool, move |c| {
        let (out, summary) = f(c)?;
        audit::record(c, &actor, action, object, None, Some(summary))?;
        Ok(out)
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/cdrs", tag = TAG,
    request_body(content = Object, description = "CDRs: a JSON array of objects, or CSV with the same column names."),
    responses((status = 200, description = "Stored.")))]
pub async fn cdrs_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
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

#[utoipa::path(put, path = "/api/v1/active-calls", tag = TAG,
    request_body(content = Object, description = "The full snapshot of current calls."),
    responses((status = 200, description = "Stored.")))]
pub async fn active_calls_put(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let calls: Vec<crate::traffic::active::ActiveIn> = bi::one_or_many(&body)?;
    let n = crate::db::run_tx(&state.pool, move |c| crate::traffic::active::replace_snapshot(c, calls)).await?;
    let _ = (&req, &s);
    Ok(HttpResponse::Ok().json(json!({ "activeCalls": n })))
}

#[utoipa::path(post, path = "/api/v1/invoices", tag = TAG,
    request_body(content = Object, description = "One invoice or an array."),
    responses((status = 200, description = "Stored.")))]
pub async fn invoices_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
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

#[utoipa::path(put, path = "/api/v1/invoices/{id}/pdf", tag = TAG, params(("id" = i64, Path, description = "Invoice id")),
    request_body(content = Vec<u8>, content_type = "application/pdf", description = "The PDF."),
    responses((status = 204, description = "Stored.")))]
pub async fn invoice_pdf_put(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
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
    ($name:ident, $ty:ty, $func:path, $action:literal, $object:literal, $path:literal) => {
        #[utoipa::path(post, path = $path, tag = TAG,
            request_body(content = Object, description = "One record or an array."),
            responses((status = 200, description = "Stored.")))]
        pub async fn $name(req: HttpRequest, state: web::Data<AppState>, s: Ctx, body: web::Bytes) -> AppResult<HttpResponse> {
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

simple_ingest!(payments_post, bi::PaymentIn, bi::payments_in, "ingest.payments", "payment", "/api/v1/payments");
simple_ingest!(
    transactions_post,
    bi::TransactionIn,
    bi::transactions_in,
    "ingest.transactions",
    "transaction",
    "/api/v1/transactions"
);
simple_ingest!(services_post, bi::ServiceIn, bi::services_in, "ingest.services", "service", "/api/v1/services");
simple_ingest!(
    numbers_post,
    crate::numbers::NumberIn,
    crate::numbers::numbers_in,
    "ingest.numbers",
    "number",
    "/api/v1/numbers"
);
simple_ingest!(
    campaigns_post,
    crate::numbers::CampaignIn,
    crate::numbers::campaigns_in,
    "ingest.campaigns",
    "campaign",
    "/api/v1/campaigns"
);

#[utoipa::path(post, path = "/api/v1/rateplans", tag = TAG,
    request_body(content = Object, description = "One rateplan or an array."),
    responses((status = 200, description = "Stored.")))]
pub async fn rateplans_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
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

#[utoipa::path(post, path = "/api/v1/numberlists", tag = TAG,
    request_body(content = Object, description = "One numberlist or an array."),
    responses((status = 200, description = "Stored.")))]
pub async fn numberlists_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
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

#[utoipa::path(put, path = "/api/v1/cdrs/{id}/recording", tag = TAG, params(("id" = i64, Path, description = "CDR id")),
    request_body(content = Vec<u8>, content_type = "audio/mpeg", description = "The recording."),
    responses((status = 204, description = "Stored.")))]
pub async fn recording_put(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
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
