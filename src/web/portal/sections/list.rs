//! The list page several sections share: a table of a customer's records, newest first,
//! [`PAGE`] rows at a time with an "older" link (`?before=ID`).

use actix_web::http::StatusCode;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::PAGE;
use crate::AppState;
use crate::access::Perm;
use crate::billing::Scope;
use crate::db::DbConnection;
use crate::db::paging::{Page, Window};
use crate::error::AppResult;
use crate::http::Portal;
use crate::web::html;
use crate::web::layout::Layout;
use crate::web::portal::SECTIONS;

/// Reads a window of the rows a scope shows.
pub type Fetch<T> = fn(&mut DbConnection, &Scope, Window, bool) -> AppResult<Page<T>>;

/// A section whose page lists the customer's records, newest first: what the section shows
/// of each row. [`list_get`] is its page.
pub trait Listed: Sized + 'static {
    /// The section's catalog key, its table (`data-table`) and the message of an empty list.
    const SECTION: (Perm, &'static str, &'static str);
    /// Reads a window of the rows a scope shows (the model's `page`).
    const PAGE: Fetch<Self>;
    /// The column headers (message ids; `true`: a number column) for this viewer.
    fn headers(p: &Portal) -> Vec<(&'static str, bool)>;
    /// The row's id and its cells.
    fn row(&self, p: &Portal) -> (i64, Vec<Cell>);
    /// Buttons above the list.
    fn actions(_state: &AppState, _p: &Portal) -> Vec<(String, String)> {
        Vec::new()
    }
}

/// `GET /portal/<section>[?before=ID]`: one page of a [`Listed`] section.
pub async fn list_get<T: Listed + Send>(
    req: HttpRequest,
    state: Data<AppState>,
    p: Portal,
    q: Query<Before>,
) -> AppResult<HttpResponse> {
    let (rows, more) = newest(&state, &p, q.before, T::PAGE).await?;
    let rows = rows.iter().map(|r| r.row(&p)).collect();
    let (key, table, empty) = T::SECTION;
    let s = Section { key, table, headers: T::headers(&p), empty };
    let mut page = ListPage::new(&req, &p, s, rows, more);
    page.actions = T::actions(&state, &p);
    Ok(html(StatusCode::OK, page.render()))
}

pub struct Cell {
    pub text: String,
    pub num: bool,
    pub href: Option<String>,
}

pub fn cell(text: impl Into<String>) -> Cell {
    Cell { text: text.into(), num: false, href: None }
}
pub fn num(text: impl Into<String>) -> Cell {
    Cell { text: text.into(), num: true, href: None }
}
pub fn link(text: impl Into<String>, href: String) -> Cell {
    Cell { text: text.into(), num: false, href: Some(href) }
}

#[derive(Template)]
#[template(path = "portal/list.html")]
pub struct ListPage {
    pub l: Layout,
    pub intro: String,
    pub table: &'static str,
    pub headers: Vec<(String, bool)>,
    pub rows: Vec<(i64, Vec<Cell>)>,
    pub empty: String,
    pub older: Option<String>,
    pub actions: Vec<(String, String)>,
}

/// `?before=ID`: the page after the row with that id.
#[derive(Deserialize, Default)]
pub struct Before {
    pub before: Option<i64>,
}

/// What a section's list shows: its key, table name, column headers (message ids; `true`
/// for numbers) and the message of an empty list.
pub struct Section {
    pub key: Perm,
    pub table: &'static str,
    pub headers: Vec<(&'static str, bool)>,
    pub empty: &'static str,
}

/// One page of the customer's records, newest first, before `before`: the rows and whether
/// older ones exist.
pub async fn newest<T: Send + 'static>(
    state: &crate::AppState,
    p: &Portal,
    before: Option<i64>,
    fetch: Fetch<T>,
) -> AppResult<(Vec<T>, bool)> {
    let scope = Scope::newest(p.customer_id(), before);
    let mut rows = crate::db::run(&state.pool, move |c| fetch(c, &scope, Window::new(0, PAGE + 1), false)).await?.rows;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    Ok((rows, more))
}

impl ListPage {
    /// The page of a section with its rows; `more`: older rows exist.
    pub fn new(req: &HttpRequest, p: &Portal, s: Section, rows: Vec<(i64, Vec<Cell>)>, more: bool) -> ListPage {
        let nav = SECTIONS.iter().find(|n| n.key == Some(s.key));
        let l = match nav {
            Some(n) => crate::web::portal::layout(p, req, n.string_key, n.label),
            None => crate::web::portal::layout_titled(p, req, &crate::i18n::perm_label(p.lang, s.key)),
        };
        let older = match (more, nav, rows.last()) {
            (true, Some(n), Some((id, _))) => Some(format!("{}?before={id}", n.href)),
            _ => None,
        };
        ListPage {
            l,
            intro: crate::i18n::perm_help(p.lang, s.key),
            table: s.table,
            headers: s.headers.into_iter().map(|(h, n)| (p.lang.t(h), n)).collect(),
            rows,
            empty: p.lang.t(s.empty),
            older,
            actions: Vec::new(),
        }
    }
}
