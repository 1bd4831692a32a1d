//! The customer's calls in progress, refreshed in place by htmx.

use actix_web::http::StatusCode;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use crate::AppState;
use crate::error::AppResult;
use crate::http::Portal;
use crate::i18n::{Lang, format as lf};
use crate::traffic::time::{self, duration};
use crate::traffic::{Direction, active};
use crate::web::html;
use crate::web::layout::Layout;

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

pub async fn active_calls_get(req: HttpRequest, state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let rows = active_rows(&state, &p).await?;
    let page = ActivePage { l: crate::web::portal::layout(&p, &req, "nav.active_calls", "nav-active-calls"), a: rows };
    Ok(html(StatusCode::OK, page.render()))
}

pub async fn active_calls_partial(state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    Ok(html(StatusCode::OK, ActivePartial { a: active_rows(&state, &p).await?, tr: p.lang }.render()))
}
