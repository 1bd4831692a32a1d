//! The customer's traffic through the API: CDRs and active calls keyset-paged (`cursor` in,
//! `nextCursor` out), statistics with the metric/value redaction of SPEC §2.

use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{Value, json};

use super::TAG;
use super::types::{ActiveParams, CdrParams, CursorPage, StatsParams, direction, page_size, read_params};
use crate::AppState;
use crate::access::Perm;
use crate::api::schema::ErrorBody;
use crate::error::{AppError, AppResult, FieldError};
use crate::http::Portal;
use crate::traffic::cdrs::{self, CdrFilter, Cursor};
use crate::traffic::export::{self, Download};
use crate::traffic::{active, stats, time};

/// A page of rows, newest first: `nextCursor` points after the last one when more follow.
fn cursor_page(items: Vec<Value>, next: Option<Cursor>) -> HttpResponse {
    let mut out = json!({ "items": items });
    if let Some(c) = next {
        out["nextCursor"] = json!(c.encode());
    }
    HttpResponse::Ok().json(out)
}

/// The rows to show of `limit + 1` read, and the cursor after them when there are more.
fn split<T>(mut rows: Vec<T>, limit: i64, cursor: impl Fn(&T) -> Cursor) -> (Vec<T>, Option<Cursor>) {
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = if more { rows.last().map(cursor) } else { None };
    (rows, next)
}

/// Every CDR of the filter as CSV, audited as an export.
async fn csv(state: &AppState, p: &Portal, filter: CdrFilter, summary: String) -> AppResult<HttpResponse> {
    let name = export::file_name(filter.direction, time::local_date(time::now_ms(), p.tz()));
    crate::http::export::cdr_download(state, p, Download::Cdrs { filter: summary, api: true }, vec![filter], name).await
}

/// CDRs of one direction, newest first, keyset-paged: `cursor` in, `nextCursor` out (absent on
/// the last page). `from`/`to` take RFC 3339 times or plain dates (midnight in the user's time
/// zone). CSV (`format=csv` or `Accept: text/csv`) streams every matching row, the same rows as
/// the portal's export; for outgoing CDRs it needs `outgoing_cdr_exports`.
#[utoipa::path(get, path = "/api/v1/portal/cdrs", tag = TAG, params(CdrParams),
    responses(
        (status = 200, description = "One page of CDRs, or every matching CDR as CSV.",
            content((CursorPage = "application/json"), (String = "text/csv"))),
        (status = 400, description = "A parameter is missing or malformed; `details` names it.", body = ErrorBody),
    ))]
pub async fn cdrs_get(req: HttpRequest, state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let prm: CdrParams = read_params(&req)?;
    let dir = direction(&prm.direction)?;
    if let Some(f) = prm.format.as_deref().filter(|f| !f.eq_ignore_ascii_case("csv") && !f.eq_ignore_ascii_case("json"))
    {
        let m = format!("format must be json or csv, not {f}");
        return Err(AppError::BadRequest(m, vec![FieldError::new("format", "json or csv")]));
    }
    let q = prm.query();
    let filter = q.filter(p.customer_id(), dir, p.tz())?;
    if p.csv {
        return csv(&state, &p, filter, req.query_string().to_string()).await;
    }
    let limit = page_size(prm.count_per_page)?;
    let cursor = q.cursor()?;
    let rows = state.read(move |c| cdrs::list(c, &filter, cursor, limit + 1)).await?;
    let (rows, next) = split(rows, limit, cdrs::Cdr::cursor);
    let recordings = p.has(Perm::ListenRecording);
    let items = rows
        .iter()
        .map(|c| {
            let mut v = c.to_json();
            match (recordings, c.recording_url(), v.as_object_mut()) {
                (false, _, Some(o)) => {
                    o.shift_remove("hasRecording");
                }
                (true, Some(url), Some(o)) => {
                    o.insert("recordingUrl".into(), json!(url));
                }
                _ => {}
            }
            v
        })
        .collect();
    Ok(cursor_page(items, next))
}

/// Traffic statistics per hour or day from the rollups. A metric appears only with its key;
/// its absolute numbers only with its `_value` key — otherwise `relative` values (0..1 of the
/// period's maximum) and no total.
#[utoipa::path(get, path = "/api/v1/portal/statistics", tag = TAG, params(StatsParams), responses(
    (status = 200, description = "Series and totals the caller may see.", body = Object),
    (status = 400, description = "A parameter is missing or malformed; `details` names it.", body = ErrorBody),
    (status = 422, description = "The parameters are well-formed but do not fit together: `to` not after `from`, or too many hours for hourly sampling.", body = ErrorBody)))]
pub async fn statistics_get(req: HttpRequest, state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let prm: StatsParams = read_params(&req)?;
    let dir = direction(&prm.direction)?;
    let (cid, zone, grants, q) = (p.customer_id(), p.tz().to_string(), p.grants().clone(), prm.query());
    let view = state.read(move |c| stats::statistics(c, cid, dir, &q, &zone, &grants)).await?;
    Ok(HttpResponse::Ok().json(view.to_json()))
}

/// The customer's calls in progress, newest first, keyset-paged like the CDRs.
#[utoipa::path(get, path = "/api/v1/portal/active-calls", tag = TAG, params(ActiveParams), responses(
    (status = 200, description = "One page of calls in progress.", body = CursorPage),
    (status = 400, description = "A parameter is malformed; `details` names it.", body = ErrorBody)))]
pub async fn active_calls_get(req: HttpRequest, state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let prm: ActiveParams = read_params(&req)?;
    let limit = page_size(prm.count_per_page)?;
    let after = prm.cursor.as_deref().filter(|c| !c.is_empty()).map(Cursor::decode).transpose()?;
    let cid = p.customer_id();
    let rows = crate::db::run(&state.pool, move |c| active::list(c, cid, after, limit + 1)).await?;
    let (rows, next) = split(rows, limit, active::ActiveCall::cursor);
    Ok(cursor_page(rows.iter().map(active::ActiveCall::to_json).collect(), next))
}
