//! Portal traffic: CDR lists (keyset pages, filters, htmx "load more"), streamed CSV export,
//! recordings with Range support, statistics with SVG charts, active calls.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::AppState;
use crate::access::Perm;
use crate::audit::{self, Actor};
use crate::error::{AppError, AppResult, FieldError};
use crate::http::Portal;
use crate::i18n::{Lang, format as lf};
use crate::traffic::cdrs::{self, Cdr, CdrFilter, Cursor};
use crate::traffic::stats::{self, Sampling, StatsView};
use crate::traffic::time::{self, duration};
use crate::traffic::{Direction, active};
use crate::web::charts::{self, Chart};
use crate::web::html;
use crate::web::layout::Layout;

pub const PAGE: i64 = 50;

/// The CDR filters of the page, the fragment, the export and the API.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CdrQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub number: Option<String>,
    pub success: Option<String>,
    pub min_duration: Option<String>,
    pub max_duration: Option<String>,
    pub cursor: Option<String>,
}

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl CdrQuery {
    pub fn filter(&self, customer: i64, direction: Direction, zone: &str) -> AppResult<CdrFilter> {
        let mut e = Vec::new();
        let bound = |field: &str, v: &Option<String>, e: &mut Vec<FieldError>| {
            blank(v).and_then(|s| time::parse_bound(s, zone).map_err(|m| e.push(FieldError::new(field, m))).ok())
        };
        let from = bound("from", &self.from, &mut e);
        let to = bound("to", &self.to, &mut e);
        let secs = |field: &str, v: &Option<String>, e: &mut Vec<FieldError>| {
            blank(v).and_then(|s| match s.parse::<i32>() {
                Ok(n) if n >= 0 => Some(n),
                _ => {
                    e.push(FieldError::new(field, "whole seconds ≥ 0"));
                    None
                }
            })
        };
        let min_duration = secs("min_duration", &self.min_duration, &mut e);
        let max_duration = secs("max_duration", &self.max_duration, &mut e);
        let success = match blank(&self.success) {
            None | Some("any") => None,
            Some("yes" | "true" | "1") => Some(true),
            Some("no" | "false" | "0") => Some(false),
            Some(_) => {
                e.push(FieldError::new("success", "yes, no or any"));
                None
            }
        };
        let number_prefix = blank(&self.number).map(|n| n.trim_start_matches('+').to_string());
        if number_prefix.as_ref().is_some_and(|n| n.len() > 32 || !n.chars().all(|c| c.is_ascii_digit())) {
            e.push(FieldError::new("number", "digits only (a number or its beginning)"));
        }
        if !e.is_empty() {
            return Err(AppError::BadRequest(format!("{}: {}", e[0].field, e[0].message), e));
        }
        Ok(CdrFilter { customer_id: customer, direction, from, to, number_prefix, success, min_duration, max_duration })
    }

    pub fn cursor(&self) -> AppResult<Option<Cursor>> {
        blank(&self.cursor).map(Cursor::decode).transpose()
    }

    /// The filter as a query string (without the cursor).
    pub fn query_string(&self) -> String {
        let mut pairs = Vec::new();
        for (k, v) in [
            ("from", &self.from),
            ("to", &self.to),
            ("number", &self.number),
            ("success", &self.success),
            ("min_duration", &self.min_duration),
            ("max_duration", &self.max_duration),
        ] {
            if let Some(v) = blank(v) {
                pairs.push((k, v.to_string()));
            }
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    fn v(v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }
}

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
        recording: (recordings && c.recording.is_some())
            .then(|| format!("/portal/cdrs/{}/{}/recording", c.direction().as_str(), c.id)),
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
        CdrQuery::v(f)
    }
    pub fn sel(&self, v: &str) -> bool {
        self.q.success.as_deref().unwrap_or("any") == v
    }
}

async fn load_rows(state: &AppState, p: &Portal, dir: Direction, q: &CdrQuery) -> AppResult<Rows> {
    let filter = q.filter(p.customer_id(), dir, p.tz())?;
    let cursor = q.cursor()?;
    let rows = crate::db::run(&state.pool, move |c| cdrs::list(c, &filter, cursor, PAGE + 1)).await?;
    let has_more = rows.len() as i64 > PAGE;
    let recordings = p.has(Perm::ListenRecording) && p.has(dir.cdrs_key());
    let shown: Vec<CdrRow> = rows.iter().take(PAGE as usize).map(|c| row_view(c, p.tz(), recordings, p.lang)).collect();
    let qs = q.query_string();
    let (more, more_page) = match (has_more, rows.get(PAGE as usize - 1)) {
        (true, Some(last)) => {
            let cur = Cursor { time_start: last.time_start, id: last.id }.encode();
            let sep = if qs.is_empty() { "" } else { "&" };
            (
                Some(format!("/portal/cdrs/{}/rows?{qs}{sep}cursor={cur}", dir.as_str())),
                Some(format!("/portal/cdrs/{}?{qs}{sep}cursor={cur}", dir.as_str())),
            )
        }
        _ => (None, None),
    };
    Ok(Rows { empty: shown.is_empty() && cursor.is_none(), rows: shown, more, more_page })
}

async fn cdrs_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    dir: Direction,
    q: CdrQuery,
) -> AppResult<HttpResponse> {
    let (rows, error, status) = match load_rows(&state, &p, dir, &q).await {
        Ok(r) => (r, None, StatusCode::OK),
        Err(AppError::BadRequest(m, details)) => (
            Rows { rows: vec![], more: None, more_page: None, empty: true },
            Some(filter_problem(p.lang, &m, &details)),
            StatusCode::BAD_REQUEST,
        ),
        Err(e) => return Err(e),
    };
    let export = (dir == Direction::Outgoing && p.has(Perm::OutgoingCdrExports)).then(|| {
        let qs = q.query_string();
        format!("/portal/cdrs/outgoing/export{}{qs}", if qs.is_empty() { "" } else { "?" })
    });
    let export_rows = match (&export, q.filter(p.customer_id(), dir, p.tz())) {
        (Some(_), Ok(f))
            if f.number_prefix.is_none()
                && f.success.is_none()
                && f.min_duration.is_none()
                && f.max_duration.is_none() =>
        {
            let exact_hours = |t: Option<i64>| t.is_none_or(|t| t % 3_600_000 == 0);
            if exact_hours(f.from) && exact_hours(f.to) {
                Some(
                    crate::db::run(&state.pool, move |c| {
                        stats::count_calls(c, f.customer_id, f.direction, f.from, f.to)
                    })
                    .await?,
                )
            } else {
                None
            }
        }
        _ => None,
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

pub async fn cdrs_outgoing_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    q: web::Query<CdrQuery>,
) -> AppResult<HttpResponse> {
    cdrs_page(req, state, p, Direction::Outgoing, q.into_inner()).await
}

pub async fn cdrs_incoming_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    q: web::Query<CdrQuery>,
) -> AppResult<HttpResponse> {
    cdrs_page(req, state, p, Direction::Incoming, q.into_inner()).await
}

async fn rows_partial(state: web::Data<AppState>, p: Portal, dir: Direction, q: CdrQuery) -> AppResult<HttpResponse> {
    let rows = load_rows(&state, &p, dir, &q).await?;
    Ok(html(StatusCode::OK, RowsPartial { p: rows, tr: p.lang }.render()))
}

pub async fn cdrs_outgoing_partial(
    state: web::Data<AppState>,
    p: Portal,
    q: web::Query<CdrQuery>,
) -> AppResult<HttpResponse> {
    rows_partial(state, p, Direction::Outgoing, q.into_inner()).await
}

pub async fn cdrs_incoming_partial(
    state: web::Data<AppState>,
    p: Portal,
    q: web::Query<CdrQuery>,
) -> AppResult<HttpResponse> {
    rows_partial(state, p, Direction::Incoming, q.into_inner()).await
}

/// Streams a CSV of the filter, row by row, from a blocking thread through a small channel:
/// memory stays flat however many rows there are.
pub fn stream_csv(state: &AppState, filters: Vec<CdrFilter>, zone: String, file_name: String) -> HttpResponse {
    let (tx, rx) = tokio::sync::mpsc::channel::<Vec<u8>>(4);
    let pool = state.pool.clone();
    actix_web::rt::task::spawn_blocking(move || {
        let mut conn = match pool.get() {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "export: no database connection");
                return;
            }
        };
        for (i, filter) in filters.iter().enumerate() {
            if let Err(e) = cdrs::export(&mut conn, filter, &zone, i == 0, |chunk| tx.blocking_send(chunk).is_ok()) {
                tracing::error!(error = %e, "export failed midway");
                return;
            }
        }
    });
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (Ok::<_, actix_web::Error>(web::Bytes::from(chunk)), rx))
    });
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")))
        .streaming(body)
}

pub async fn cdrs_outgoing_export(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    q: web::Query<CdrQuery>,
) -> AppResult<HttpResponse> {
    let filter = q.filter(p.customer_id(), Direction::Outgoing, p.tz())?;
    let actor = p.actor();
    let (cid, ip, summary) = (p.customer_id(), crate::web::client_ip(&req), q.query_string());
    crate::db::run(&state.pool, move |c| {
        audit::record(
            c,
            &actor,
            "export.cdrs",
            "customer",
            Some(cid.to_string()),
            Some(serde_json::json!({"filter": summary})),
        )
    })
    .await?;
    let name = format!("outgoing-cdrs-{}.csv", time::local_date(time::now_ms(), p.tz()));
    Ok(stream_csv(&state, vec![filter], p.tz().to_string(), name))
}

/// Streams a recording with HTTP Range support (the audio element can seek).
pub async fn recording_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    path: web::Path<(String, i64)>,
) -> AppResult<HttpResponse> {
    let (dir, id) = path.into_inner();
    let dir = Direction::parse(&dir).ok_or(AppError::NotFound)?;
    let cid = p.customer_id();
    let cdr = crate::db::run(&state.pool, move |c| cdrs::get_of(c, cid, dir, id)).await?;
    let name = cdr.recording.ok_or(AppError::NotFound)?;
    let path = state.config.recordings_dir.join(&name);
    let file = actix_files::NamedFile::open_async(&path).await.map_err(|_| AppError::NotFound)?;
    let mut head = [0u8; 12];
    let ct = match std::fs::File::open(&path).and_then(|mut f| std::io::Read::read(&mut f, &mut head)) {
        Ok(_) => cdrs::sniff_audio(&head),
        Err(_) => "application/octet-stream",
    };
    let file = file
        .set_content_type(ct.parse().unwrap_or(mime::APPLICATION_OCTET_STREAM))
        .set_content_disposition(header::ContentDisposition {
            disposition: header::DispositionType::Inline,
            parameters: vec![header::DispositionParam::Filename(format!("call-{id}.{}", ext(ct)))],
        })
        .use_etag(true)
        .use_last_modified(true);
    Ok(file.into_response(&req))
}

fn ext(ct: &str) -> &'static str {
    match ct {
        "audio/wav" => "wav",
        "audio/ogg" => "ogg",
        "audio/mpeg" => "mp3",
        _ => "bin",
    }
}

// ---------------------------------------------------------------------------------------------
// Statistics

#[derive(Debug, Clone, Default, Deserialize)]
pub struct StatsQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub sampling: Option<String>,
}

impl StatsQuery {
    /// The period and sampling; a month of days up to today by default.
    pub fn resolve(&self, zone: &str) -> AppResult<(i64, i64, Sampling)> {
        let sampling = match blank(&self.sampling) {
            None => Sampling::Day,
            Some(s) => Sampling::parse(s).ok_or_else(|| {
                AppError::BadRequest(
                    "sampling must be hour or day".into(),
                    vec![FieldError::new("sampling", "hour or day")],
                )
            })?,
        };
        let today = time::local_date(time::now_ms(), zone);
        let to = match blank(&self.to) {
            Some(s) => time::parse_bound(s, zone)
                .map_err(|m| AppError::BadRequest(m.clone(), vec![FieldError::new("to", m)]))?,
            None => time::local_midnight(today.succ_opt().unwrap_or(today), zone),
        };
        let from = match blank(&self.from) {
            Some(s) => time::parse_bound(s, zone)
                .map_err(|m| AppError::BadRequest(m.clone(), vec![FieldError::new("from", m)]))?,
            None => match sampling {
                Sampling::Day => time::local_midnight(today - chrono::Duration::days(29), zone),
                Sampling::Hour => to - 48 * 3_600_000,
            },
        };
        if to <= from {
            return Err(AppError::BadRequest(
                "to must be after from".into(),
                vec![FieldError::new("to", "after from")],
            ));
        }
        Ok((from, to, sampling))
    }
}

/// Computes the statistics the viewer may see (shared with the JSON API).
pub async fn statistics(state: &AppState, p: &Portal, dir: Direction, q: &StatsQuery) -> AppResult<StatsView> {
    let (from, to, sampling) = q.resolve(p.tz())?;
    let (cid, zone, grants) = (p.customer_id(), p.tz().to_string(), p.grants().clone());
    crate::db::run(&state.pool, move |c| {
        let buckets = stats::series(c, cid, dir, from, to, sampling, &zone).map_err(|e| match e {
            AppError::Unprocessable(m, d) => AppError::BadRequest(m, d),
            other => other,
        })?;
        let now = stats::active_now(c, cid, dir)?;
        Ok(stats::view(&buckets, dir, sampling, from, to, &grants, now))
    })
    .await
}

pub struct MetricBlock {
    pub slug: &'static str,
    pub label: String,
    pub absolute: bool,
    pub figure: Option<String>,
    /// "… in the period", with the unit.
    pub unit_caption: String,
    pub current: Option<i64>,
    pub chart: Option<Chart>,
    pub table: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "portal/statistics.html")]
pub struct StatsPage {
    pub l: Layout,
    pub dir: &'static str,
    pub from: String,
    pub to: String,
    pub sampling: &'static str,
    pub blocks: Vec<MetricBlock>,
    pub error: Option<String>,
}

fn blocks(v: &StatsView, zone: &str, lang: Lang) -> Vec<MetricBlock> {
    let hourly = v.sampling == Sampling::Hour;
    let labels: Vec<String> = v.buckets.iter().map(|b| lf::bucket(lang, *b, zone, hourly)).collect();
    v.metrics
        .iter()
        .map(|m| {
            let m2 = m.metric;
            let counts =
                matches!(m2, stats::Metric::TotalCalls | stats::Metric::SuccessfulCalls | stats::Metric::FailedCalls);
            let unit_caption = match m2.unit() {
                "" => lang.t("stats-in-period-plain"),
                "s" => lang.t1("stats-in-period", "unit", lang.t("stats-unit-seconds")),
                u => lang.t1("stats-in-period", "unit", u),
            };
            MetricBlock {
                slug: m2.slug(),
                label: lang.t(&format!("metric-{}", m2.slug().replace('_', "-"))),
                absolute: m.absolute,
                figure: m.total.as_deref().map(|t| lang.dec(t)),
                unit_caption,
                current: m.current,
                chart: m
                    .current
                    .is_none()
                    .then(|| charts::draw(&m.points, &labels, m.absolute, m2.unit(), counts, lang)),
                table: if m.absolute && m.current.is_none() {
                    labels
                        .iter()
                        .zip(&m.points)
                        .map(|(l, p)| {
                            let text = match (m2, p) {
                                (_, None) => "–".to_string(),
                                (stats::Metric::TotalPrice, Some(x)) => lang.dec(&format!("{x:.2}")),
                                (stats::Metric::Acd | stats::Metric::Asr, Some(x)) => lang.dec(&format!("{x:.1}")),
                                (_, Some(x)) => lang.dec(&format!("{x:.0}")),
                            };
                            (l.clone(), text)
                        })
                        .collect()
                } else {
                    vec![]
                },
            }
        })
        .collect()
}

async fn stats_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    dir: Direction,
    q: StatsQuery,
) -> AppResult<HttpResponse> {
    let (key, title) = match dir {
        Direction::Outgoing => ("nav.outgoing_statistics", "nav-outgoing-statistics"),
        Direction::Incoming => ("nav.incoming_statistics", "nav-incoming-statistics"),
    };
    let (view, error, status) = match statistics(&state, &p, dir, &q).await {
        Ok(v) => (Some(v), None, StatusCode::OK),
        Err(AppError::BadRequest(m, _)) => (None, Some(m), StatusCode::BAD_REQUEST),
        Err(e) => return Err(e),
    };
    let zone = p.tz().to_string();
    let page = StatsPage {
        l: crate::web::portal::layout(&p, &req, key, title),
        dir: dir.as_str(),
        from: view
            .as_ref()
            .map(|v| time::local_date(v.from, &zone).to_string())
            .unwrap_or_else(|| q.from.clone().unwrap_or_default()),
        to: view
            .as_ref()
            .map(|v| time::local_date(v.to - 1, &zone).succ_opt().map(|d| d.to_string()).unwrap_or_default())
            .unwrap_or_else(|| q.to.clone().unwrap_or_default()),
        sampling: view.as_ref().map(|v| v.sampling.as_str()).unwrap_or("day"),
        blocks: view.as_ref().map(|v| blocks(v, &zone, p.lang)).unwrap_or_default(),
        error,
    };
    Ok(html(status, page.render()))
}

pub async fn statistics_outgoing_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    q: web::Query<StatsQuery>,
) -> AppResult<HttpResponse> {
    stats_page(req, state, p, Direction::Outgoing, q.into_inner()).await
}

pub async fn statistics_incoming_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    q: web::Query<StatsQuery>,
) -> AppResult<HttpResponse> {
    stats_page(req, state, p, Direction::Incoming, q.into_inner()).await
}

// ---------------------------------------------------------------------------------------------
// Active calls

pub struct ActiveRow {
    pub id: i64,
    pub start: String,
    pub direction: String,
    pub src: String,
    pub dst: String,
    pub destination: String,
    pub elapsed: String,
}

pub struct Active {
    pub rows: Vec<ActiveRow>,
    pub total: usize,
    pub truncated: bool,
}

#[derive(Template)]
#[template(path = "portal/active_calls_partial.html")]
pub struct ActivePartial {
    pub a: Active,
    pub tr: Lang,
}

#[derive(Template)]
#[template(path = "portal/active_calls.html")]
pub struct ActivePage {
    pub l: Layout,
    pub a: Active,
}

const ACTIVE_LIMIT: i64 = 500;

async fn active_rows(state: &AppState, p: &Portal) -> AppResult<Active> {
    let cid = p.customer_id();
    let list = crate::db::run(&state.pool, move |c| active::list(c, cid, None, ACTIVE_LIMIT + 1)).await?;
    let now = time::now_ms();
    let truncated = list.len() as i64 > ACTIVE_LIMIT;
    let rows: Vec<ActiveRow> = list
        .iter()
        .take(ACTIVE_LIMIT as usize)
        .map(|a| ActiveRow {
            id: a.id,
            start: lf::datetime_secs(p.lang, a.time_start, p.tz()),
            direction: p.lang.t(match Direction::from_code(a.direction) {
                Direction::Outgoing => "direction-outgoing",
                Direction::Incoming => "direction-incoming",
            }),
            src: a.src_number.clone(),
            dst: a.dst_number.clone(),
            destination: a.destination_name.clone(),
            elapsed: duration(((now - a.time_connect.unwrap_or(a.time_start)) / 1000).max(0)),
        })
        .collect();
    Ok(Active { total: rows.len(), rows, truncated })
}

pub async fn active_calls_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let rows = active_rows(&state, &p).await?;
    let page = ActivePage { l: crate::web::portal::layout(&p, &req, "nav.active_calls", "nav-active-calls"), a: rows };
    Ok(html(StatusCode::OK, page.render()))
}

pub async fn active_calls_partial(state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    Ok(html(StatusCode::OK, ActivePartial { a: active_rows(&state, &p).await?, tr: p.lang }.render()))
}
