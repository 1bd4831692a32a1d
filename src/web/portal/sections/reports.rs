//! Daily CDR reports: one CSV per local day, holding (and counting) only the directions whose
//! `*_cdrs` key is granted.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::http::Portal;
use crate::traffic::cdrs::CdrFilter;
use crate::traffic::export::Download;
use crate::traffic::{Direction, stats, time};
use crate::web::html;
use crate::web::layout::Layout;
use crate::web::portal::traffic::download;

#[derive(Template)]
#[template(path = "portal/daily_reports.html")]
pub struct DailyPage {
    pub l: Layout,
    /// (file day `YYYY-MM-DD`, the day as shown, outgoing calls, incoming calls)
    pub days: Vec<(String, String, String, String)>,
    /// Which directions' columns are shown: only those the reports hold.
    pub outgoing: bool,
    pub incoming: bool,
}

const REPORT_DAYS: i64 = 90;

/// The directions whose CDRs the customer may see.
fn granted(p: &Portal) -> Vec<Direction> {
    [Direction::Outgoing, Direction::Incoming].into_iter().filter(|d| p.has(d.cdrs_key())).collect()
}

pub async fn daily_reports_get(req: HttpRequest, state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let (cid, zone, dirs) = (p.customer_id(), p.tz().to_string(), granted(&p));
    let (outgoing, incoming) = (dirs.contains(&Direction::Outgoing), dirs.contains(&Direction::Incoming));
    let since = time::now_ms() - REPORT_DAYS * 86_400_000;
    let days = state.read(move |c| stats::daily_calls(c, cid, since, &zone, &dirs)).await?;
    let lang = p.lang;
    let days = days.into_iter().map(|(d, o, i)| (d.to_string(), lang.date(&d), lang.int(o), lang.int(i))).collect();
    let page = DailyPage {
        l: crate::web::portal::layout(&p, &req, "nav.daily_cdr_reports", "nav-daily-cdr-reports"),
        days,
        outgoing,
        incoming,
    };
    Ok(html(StatusCode::OK, page.render()))
}

/// One local day of CDRs as CSV, streamed.
pub async fn daily_report_csv(state: Data<AppState>, p: Portal, path: Path<String>) -> AppResult<HttpResponse> {
    let day = path.into_inner();
    let day = day.strip_suffix(".csv").unwrap_or(&day);
    let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map_err(|_| AppError::bad_request("The day must be written as YYYY-MM-DD.csv."))?;
    let zone = p.tz();
    let from = time::local_midnight(d, zone);
    let to = time::local_midnight(d.succ_opt().ok_or(AppError::NotFound)?, zone);
    let filters = granted(&p).into_iter().map(|dir| CdrFilter::period(p.customer_id(), dir, from, to)).collect();
    download(&state, &p, Download::DailyReport(d), filters, format!("cdrs-{d}.csv")).await
}
