//! CDR pages of both directions: the filtered list (CSV of the same filter when the client asks
//! for CSV), its htmx "load more" rows, the outgoing export and recordings (HTTP Range).

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use super::{PathDirection, download};
use crate::AppState;
use crate::access::Perm;
use crate::error::{AppError, AppResult, FieldError};
use crate::http::Portal;
use crate::i18n::{Lang, format as lf};
use crate::traffic::cdrs::{self, Cdr};
use crate::traffic::export::{Download, file_name};
use crate::traffic::query::CdrQuery;
use crate::traffic::recordings;
use crate::traffic::time::{self, duration};
use crate::traffic::{Direction, stats};
use crate::web::html;
use crate::web::layout::Layout;

pub const PAGE: i64 = 50;

pub struct CdrRow {
    pub id: i64,
    pub start: String,
    pub src: String,
    pub dst: String,
    pub destination: String,
    pub duration: String,
    pub success: bool,
    pub reason: String,
    pub rate: String,
    pub price: String,
    pub recording: Option<String>,
}

fn row_view(c: &Cdr, zone: &str, recordings: bool, lang: Lang) -> CdrRow {
    CdrRow {
        id: c.id,
        start: lf::datetime_secs(lang, c.time_start, zone),
        src: c.src_number.clone(),
        dst: c.dst_number.clone(),
        destination: if c.destination_name.is_empty() {
            c.destination_prefix.clone()
        } else {
            format!("{} ({})", c.destination_name, c.destination_prefix)
        },
        duration: duration(i64::from(c.duration)),
        success: c.success,
        reason: c.disconnect_reason.clone(),
        rate: lang.money_exact(c.rate),
        price: lang.money_exact(c.price),
        recording: c.recording_url().filter(|_| recordings),
    }
}

pub struct Rows {
    pub rows: Vec<CdrRow>,
    pub more: Option<String>,
    pub more_page: Option<String>,
    pub empty: bool,
}

#[derive(Template)]
#[template(path = "portal/cdr_rows_partial.html")]
pub struct RowsPartial {
    pub p: Rows,
    pub tr: Lang,
}

#[derive(Template)]
#[template(path = "portal/cdrs.html")]
pub struct CdrsPage {
    pub l: Layout,
    pub dir: &'static str,
    pub q: CdrQuery,
    pub p: Rows,
    pub export: Option<String>,
    /// How many rows the export will hold, from the rollups (only for time-only filters).
    pub export_rows: Option<i64>,
    pub error: Option<String>,
}

impl CdrsPage {
    pub fn v(&self, f: &Option<String>) -> String {
        f.clone().unwrap_or_default()
    }
    pub fn sel(&self, v: &str) -> bool {
        self.q.success.as_deref().unwrap_or("any") == v
    }
}

/// A page of rows; with `export_rows`, also how many rows the export of the filter holds (from
/// the rollups, for time-only filters), read in the same trip to the database.
async fn load_rows(
    state: &AppState,
    p: &Portal,
    dir: Direction,
    q: &CdrQuery,
    export_rows: bool,
) -> AppResult<(Rows, Option<i64>)> {
    let filter = q.filter(p.customer_id(), dir, p.tz())?;
    let cursor = q.cursor()?;
    let (rows, count) = state
        .read(move |c| {
            let rows = cdrs::list(c, &filter, cursor, PAGE + 1)?;
            Ok((rows, if export_rows { stats::rows_of(c, &filter)? } else { None }))
        })
        .await?;
    let has_more = rows.len() as i64 > PAGE;
    let recordings = p.has(Perm::ListenRecording) && p.has(dir.cdrs_key());
    let shown: Vec<CdrRow> = rows.iter().take(PAGE as usize).map(|c| row_view(c, p.tz(), recordings, p.lang)).collect();
    let qs = q.query_string();
    let (more, more_page) = match (has_more, rows.get(PAGE as usize - 1)) {
        (true, Some(last)) => {
            let cur = last.cursor().encode();
            let sep = if qs.is_empty() { "" } else { "&" };
            (
                Some(format!("/portal/cdrs/{}/rows?{qs}{sep}cursor={cur}", dir.as_str())),
                Some(format!("/portal/cdrs/{}?{qs}{sep}cursor={cur}", dir.as_str())),
            )
        }
        _ => (None, None),
    };
    Ok((Rows { empty: shown.is_empty() && cursor.is_none(), rows: shown, more, more_page }, count))
}

/// The CSV of a filter: every row, audited as an export.
async fn csv(state: &AppState, p: &Portal, dir: Direction, q: &CdrQuery) -> AppResult<HttpResponse> {
    let filter = q.filter(p.customer_id(), dir, p.tz())?;
    let what = Download::Cdrs { filter: q.query_string(), api: false };
    let name = file_name(dir, time::local_date(time::now_ms(), p.tz()));
    download(state, p, what, vec![filter], name).await
}

/// `GET /portal/cdrs/{outgoing,incoming}`: the list page, or the export for a client that asks
/// for CSV (the route guard has checked `outgoing_cdr_exports` then).
pub async fn cdrs_get(
    req: HttpRequest,
    state: Data<AppState>,
    p: Portal,
    PathDirection(dir): PathDirection,
    q: Query<CdrQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    if p.csv {
        return csv(&state, &p, dir, &q).await;
    }
    let export = (dir == Direction::Outgoing && p.has(Perm::OutgoingCdrExports)).then(|| {
        let qs = q.query_string();
        format!("/portal/cdrs/outgoing/export{}{qs}", if qs.is_empty() { "" } else { "?" })
    });
    let (rows, export_rows, error, status) = match load_rows(&state, &p, dir, &q, export.is_some()).await {
        Ok((r, n)) => (r, n, None, StatusCode::OK),
        Err(AppError::BadRequest(m, details)) => (
            Rows { rows: vec![], more: None, more_page: None, empty: true },
            None,
            Some(filter_problem(p.lang, &m, &details)),
            StatusCode::BAD_REQUEST,
        ),
        Err(e) => return Err(e),
    };
    let (key, title) = match dir {
        Direction::Outgoing => ("nav.outgoing_cdrs", "nav-outgoing-cdrs"),
        Direction::Incoming => ("nav.incoming_cdrs", "nav-incoming-cdrs"),
    };
    let page = CdrsPage {
        l: crate::web::portal::layout(&p, &req, key, title),
        dir: dir.as_str(),
        q,
        p: rows,
        export,
        export_rows,
        error,
    };
    Ok(html(status, page.render()))
}

/// A refused filter as the page shows it: the field's label and the problem, translated.
fn filter_problem(lang: Lang, message: &str, details: &[FieldError]) -> String {
    let Some(d) = details.first() else { return lang.msg(message) };
    let label = match d.field.as_str() {
        "from" => "common-from",
        "to" => "common-to",
        "number" => "cdrs-number-starts",
        "success" => "cdrs-result",
        "min_duration" => "cdrs-min-seconds",
        "max_duration" => "cdrs-max-seconds",
        _ => return lang.msg(message),
    };
    format!("{}: {}", lang.t(label), lang.msg(&d.message))
}

/// `GET /portal/cdrs/{outgoing,incoming}/rows`: the next rows of the list (htmx).
pub async fn cdrs_partial(
    state: Data<AppState>,
    p: Portal,
    PathDirection(dir): PathDirection,
    q: Query<CdrQuery>,
) -> AppResult<HttpResponse> {
    let (rows, _) = load_rows(&state, &p, dir, &q, false).await?;
    Ok(html(StatusCode::OK, RowsPartial { p: rows, tr: p.lang }.render()))
}

/// `GET /portal/cdrs/outgoing/export`: the CSV of the current filter, streamed.
pub async fn cdrs_outgoing_export(state: Data<AppState>, p: Portal, q: Query<CdrQuery>) -> AppResult<HttpResponse> {
    csv(&state, &p, Direction::Outgoing, &q).await
}

/// Streams a recording with HTTP Range support (the audio element can seek).
pub async fn recording_get(
    req: HttpRequest,
    state: Data<AppState>,
    p: Portal,
    path: Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (dir, id) = path.into_inner();
    let dir = Direction::parse(&dir).ok_or(AppError::NotFound)?;
    let cid = p.customer_id();
    let cdr = crate::db::run(&state.pool, move |c| cdrs::get_of(c, cid, dir, id)).await?;
    let key = cdr.recording.ok_or(AppError::NotFound)?;
    // The type from the first bytes (a ranged read of twelve), then the asked-for range.
    let mut head = Vec::with_capacity(12);
    {
        use futures_util::TryStreamExt;
        let mut first = std::pin::pin!(state.storage.read(&key, Some(0..12)).await?);
        while let Some(chunk) = first.try_next().await.map_err(|e| AppError::internal(anyhow::anyhow!("{e}")))? {
            head.extend_from_slice(&chunk);
        }
    }
    let ct = recordings::served_as(&head);
    let name = format!("call-{id}.{}", recordings::extension(ct));
    crate::http::files::serve(&req, &state.storage, &key, ct, &name).await
}
