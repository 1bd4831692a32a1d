//! Ingest routes of the operator's systems (SPEC §8): staff credentials (usually an API
//! token), bodies up to 16 MiB, all-or-nothing. Each handler reads the body and calls the
//! domain's command, which validates, stores and audits in one transaction.

pub mod types;

use actix_web::http::header;
use actix_web::web::{Bytes, Data, Path};
use actix_web::{HttpRequest, HttpResponse};

use self::types::{FileBody, OneOrMany, SnapshotStored, StoredCount, StoredIds};
use crate::AppState;
use crate::api::schema::ErrorBody;
use crate::billing::ingest::{self as bi, Batch, InvoiceIn, PaymentIn, ServiceIn, Stored, TransactionIn};
use crate::error::AppResult;
use crate::http::Ctx;
use crate::numberlists::NumberlistIn;
use crate::numbers::{CampaignIn, NumberIn};
use crate::rateplans::RateplanIn;
use crate::traffic::active::{self, ActiveIn};
use crate::traffic::ingest::{self, CdrIn, IngestResult};

const TAG: &str = "Ingest (operator systems)";

/// A push body: one object or an array of them, read strictly (see [`crate::api::body::rows`]).
fn one_or_many<T: serde::de::DeserializeOwned>(body: &[u8]) -> AppResult<Vec<T>> {
    crate::api::body::rows(body, true, ingest::MAX_ROWS, |_| "")
}

/// Money is a decimal string on the wire: say so when a CDR sends a number.
fn money_hint(field: &str) -> &'static str {
    if matches!(field, "rate" | "price") { " (use a decimal string such as \"0.012300\")" } else { "" }
}

fn content_type(req: &HttpRequest) -> Option<&str> {
    req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok())
}

#[utoipa::path(post, path = "/api/v1/cdrs", tag = TAG,
    request_body(description = "CDRs (SPEC §8, at most 100 000): a JSON array of CDR objects, or CSV with a header \
row of the same names. One bad row refuses the whole batch, naming the row; known external ids are skipped.",
        content((Vec<CdrIn> = "application/json"), (String = "text/csv"))),
    responses(
        (status = 200, description = "Stored: how many rows were new.", body = IngestResult),
        (status = 422, description = "A row is refused (`details` names `rows[N].field`); nothing was stored.", body = ErrorBody),
    ))]
pub async fn cdrs_post(req: HttpRequest, state: Data<AppState>, s: Ctx, body: Bytes) -> AppResult<HttpResponse> {
    let csv = content_type(&req).is_some_and(|ct| ct.starts_with("text/csv"));
    let raw = if csv {
        ingest::from_csv(&body)?
    } else {
        crate::api::body::rows(&body, false, ingest::MAX_ROWS, money_hint)?
    };
    let actor = s.actor();
    let result = crate::db::run(&state.pool, move |c| ingest::ingest(c, &actor, &raw)).await?;
    Ok(HttpResponse::Ok().json(result))
}

#[utoipa::path(put, path = "/api/v1/active-calls", tag = TAG,
    request_body(content = OneOrMany<ActiveIn>, description = "The full snapshot of current calls: it replaces the previous one."),
    responses((status = 200, description = "Stored.", body = SnapshotStored)))]
pub async fn active_calls_put(state: Data<AppState>, body: Bytes) -> AppResult<HttpResponse> {
    let calls: Vec<ActiveIn> = one_or_many(&body)?;
    let n = crate::db::run(&state.pool, move |c| active::replace_snapshot(c, calls)).await?;
    Ok(HttpResponse::Ok().json(SnapshotStored { active_calls: n }))
}

/// Stores one push of the operator's billing and answers what it stored.
async fn push(state: &AppState, s: &Ctx, batch: Batch) -> AppResult<HttpResponse> {
    let actor = s.actor();
    Ok(match crate::db::run(&state.pool, move |c| bi::ingest(c, &actor, batch)).await? {
        Stored::Ids(ids) => HttpResponse::Ok().json(StoredIds { ids }),
        Stored::Count(stored) => HttpResponse::Ok().json(StoredCount { stored }),
    })
}

/// A push route: one record or an array of `$row`, stored as `Batch::$kind`, answered by `$out`.
macro_rules! push_route {
    ($handler:ident, $path:literal, $kind:ident, $row:ident, $out:ident, $what:literal) => {
        #[doc = $what]
        #[utoipa::path(post, path = $path, tag = TAG,
            request_body(content = OneOrMany<$row>, description = "One object or an array, stored all-or-nothing."),
            responses(
                (status = 200, description = "Stored.", body = $out),
                (status = 422, description = "A record is refused (`details` names it); nothing was stored.", body = ErrorBody),
            ))]
        pub async fn $handler(state: Data<AppState>, s: Ctx, body: Bytes) -> AppResult<HttpResponse> {
            push(&state, &s, Batch::$kind(one_or_many(&body)?)).await
        }
    };
}

push_route!(invoices_post, "/api/v1/invoices", Invoices, InvoiceIn, StoredIds, "Store invoices.");
push_route!(payments_post, "/api/v1/payments", Payments, PaymentIn, StoredCount, "Store payments.");
push_route!(transactions_post, "/api/v1/transactions", Transactions, TransactionIn, StoredCount, "Book transactions.");
push_route!(services_post, "/api/v1/services", Services, ServiceIn, StoredCount, "Store services.");
push_route!(rateplans_post, "/api/v1/rateplans", Rateplans, RateplanIn, StoredIds, "Store rateplans with their rates.");
push_route!(numbers_post, "/api/v1/numbers", Numbers, NumberIn, StoredCount, "Store customers' numbers.");
push_route!(campaigns_post, "/api/v1/campaigns", Campaigns, CampaignIn, StoredCount, "Store campaigns.");
push_route!(numberlists_post, "/api/v1/numberlists", Numberlists, NumberlistIn, StoredIds, "Store numberlists.");

#[utoipa::path(put, path = "/api/v1/invoices/{id}/pdf", tag = TAG, params(("id" = i64, Path, description = "Invoice id")),
    request_body(content = FileBody, content_type = "application/pdf", description = "The PDF (it starts with `%PDF-`)."),
    responses(
        (status = 204, description = "Stored."),
        (status = 422, description = "The body is not a PDF.", body = ErrorBody),
    ))]
pub async fn invoice_pdf_put(state: Data<AppState>, s: Ctx, path: Path<i64>, body: Bytes) -> AppResult<HttpResponse> {
    let (id, actor) = (path.into_inner(), s.actor());
    crate::billing::attach_pdf(&state.pool, &state.storage, &actor, id, body).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(put, path = "/api/v1/cdrs/{id}/recording", tag = TAG, params(("id" = i64, Path, description = "CDR id")),
    request_body(content = FileBody, content_type = "audio/*",
        description = "The recording: an audio type (`audio/wav`, `audio/mpeg`, `audio/ogg`, `audio/flac` …) and a body \
that starts like one (RIFF/WAVE, ID3 or an MPEG frame, OggS, fLaC, #!AMR, an M4A `ftyp`)."),
    responses(
        (status = 204, description = "Stored (replacing an earlier recording)."),
        (status = 415, description = "The Content-Type is not an audio type.", body = ErrorBody),
        (status = 422, description = "The body does not start like audio.", body = ErrorBody),
    ))]
pub async fn recording_put(
    req: HttpRequest,
    state: Data<AppState>,
    s: Ctx,
    path: Path<i64>,
    body: Bytes,
) -> AppResult<HttpResponse> {
    let (id, actor) = (path.into_inner(), s.actor());
    let declared = content_type(&req);
    crate::traffic::recordings::upload(&state.pool, &state.storage, &actor, id, declared, body).await?;
    Ok(HttpResponse::NoContent().finish())
}
