//! Statistics pages of both directions: a block per granted metric with its figure (value key
//! granted) or only its shape (SPEC §2), an SVG chart and, with the values, a table.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use super::PathDirection;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::http::Portal;
use crate::i18n::{Lang, format as lf};
use crate::traffic::query::StatsQuery;
use crate::traffic::stats::{self, Metric, Sampling, StatsView};
use crate::traffic::{Direction, time};
use crate::web::charts::{self, Chart};
use crate::web::html;
use crate::web::layout::Layout;

pub struct MetricBlock {
    pub slug: &'static str,
    pub label: String,
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

/// A point of a metric's table, as people read it.
fn cell(lang: Lang, m: Metric, p: Option<f64>) -> String {
    match (m, p) {
        (_, None) => "–".to_string(),
        (Metric::TotalPrice, Some(x)) => lang.dec(&format!("{x:.2}")),
        (Metric::Acd | Metric::Asr, Some(x)) => lang.dec(&format!("{x:.1}")),
        (_, Some(x)) => lang.dec(&format!("{x:.0}")),
    }
}

fn blocks(v: &StatsView, zone: &str, lang: Lang) -> Vec<MetricBlock> {
    let hourly = v.sampling == Sampling::Hour;
    let labels: Vec<String> = v.buckets.iter().map(|b| lf::bucket(lang, *b, zone, hourly)).collect();
    v.metrics
        .iter()
        .map(|m| {
            let metric = m.metric;
            let counts = matches!(metric, Metric::TotalCalls | Metric::SuccessfulCalls | Metric::FailedCalls);
            let unit_caption = match metric.unit() {
                "" => lang.t("stats-in-period-plain"),
                "s" => lang.t1("stats-in-period", "unit", lang.t("stats-unit-seconds")),
                u => lang.t1("stats-in-period", "unit", u),
            };
            let series = m.current.is_none();
            MetricBlock {
                slug: metric.slug(),
                label: lang.t(&format!("metric-{}", metric.slug().replace('_', "-"))),
                figure: m.total.as_deref().map(|t| lang.dec(t)),
                unit_caption,
                current: m.current,
                chart: series.then(|| charts::draw(&m.points, &labels, m.absolute, metric.unit(), counts, lang)),
                table: if m.absolute && series {
                    labels.iter().zip(&m.points).map(|(l, p)| (l.clone(), cell(lang, metric, *p))).collect()
                } else {
                    vec![]
                },
            }
        })
        .collect()
}

/// `GET /portal/statistics/{outgoing,incoming}`.
pub async fn statistics_get(
    req: HttpRequest,
    state: Data<AppState>,
    p: Portal,
    PathDirection(dir): PathDirection,
    q: Query<StatsQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let (key, title) = match dir {
        Direction::Outgoing => ("nav.outgoing_statistics", "nav-outgoing-statistics"),
        Direction::Incoming => ("nav.incoming_statistics", "nav-incoming-statistics"),
    };
    let (cid, zone, grants, query) = (p.customer_id(), p.tz().to_string(), p.grants().clone(), q.clone());
    let computed = state.read(move |c| stats::statistics(c, cid, dir, &query, &zone, &grants)).await;
    let (view, error, status) = match computed {
        Ok(v) => (Some(v), None, StatusCode::OK),
        Err(AppError::BadRequest(m, _)) => (None, Some(m), StatusCode::BAD_REQUEST),
        Err(AppError::Unprocessable(m, _)) => (None, Some(m), StatusCode::UNPROCESSABLE_ENTITY),
        Err(e) => return Err(e),
    };
    let zone = p.tz();
    let page = StatsPage {
        l: crate::web::portal::layout(&p, &req, key, title),
        dir: dir.as_str(),
        from: match &view {
            Some(v) => time::local_date(v.from, zone).to_string(),
            None => q.from.clone().unwrap_or_default(),
        },
        to: match &view {
            Some(v) => time::local_date(v.to - 1, zone).succ_opt().map(|d| d.to_string()).unwrap_or_default(),
            None => q.to.clone().unwrap_or_default(),
        },
        sampling: view.as_ref().map(|v| v.sampling.as_str()).unwrap_or("day"),
        blocks: view.as_ref().map(|v| blocks(v, zone, p.lang)).unwrap_or_default(),
        error,
    };
    Ok(html(status, page.render()))
}
