//! Answering a list request: rows read window by window (a pooled connection per chunk, never
//! held while the client reads), streamed as JSON or CSV.

use std::cmp::Ordering;
use std::sync::Arc;

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::Bytes;
use serde_json::Value;

use super::{Format, ListQuery, ListSpec};
use crate::AppState;
use crate::db::paging::{Page, Window};
use crate::db::{DbConnection, Pool};
use crate::error::AppResult;

/// Rows read from the database per streamed chunk.
const CHUNK: i64 = 200;

type FetchFn = dyn Fn(&mut DbConnection, Window, bool) -> AppResult<Page<Value>> + Send + Sync;

/// Where a list's rows come from.
pub struct Source {
    fetch: Arc<FetchFn>,
}

impl Source {
    /// Rows read window by window from the database: `fetch(conn, window, with_total)` in the
    /// requested order (a model's `page` function, see [`crate::db::paging`]); the total is
    /// asked for only with the first window of an answer that shows it.
    pub fn db(
        fetch: impl Fn(&mut DbConnection, Window, bool) -> AppResult<Page<Value>> + Send + Sync + 'static,
    ) -> Source {
        Source { fetch: Arc::new(fetch) }
    }

    /// A small list held in memory (a user's tokens, the catalog): `specificIds` and the sort
    /// are applied here, by the items' `id_field` and sort field.
    pub fn memory(mut items: Vec<Value>, q: &ListQuery, id_field: &str) -> Source {
        if q.has_specific_ids() {
            let numbers = q.specific_int_ids();
            items.retain(|i| match i.get(id_field) {
                Some(Value::String(s)) => q.specific_ids.iter().any(|x| x == s),
                Some(Value::Number(n)) => n.as_i64().is_some_and(|n| numbers.contains(&n)),
                _ => false,
            });
        }
        let field = q.sort_field;
        if !items.iter().any(|i| i.get(field).is_some()) {
            // A sort field the items do not carry names their natural order (the catalog's).
            if !q.ascending {
                items.reverse();
            }
        } else {
            items.sort_by(|a, b| {
                let o = compare(a.get(field), b.get(field)).then_with(|| compare(a.get(id_field), b.get(id_field)));
                if q.ascending { o } else { o.reverse() }
            });
        }
        let items = Arc::new(items);
        let n = items.len() as i64;
        Source {
            fetch: Arc::new(move |_, w, with_total| {
                let rows = items.iter().skip(w.offset as usize).take(w.limit as usize).cloned().collect();
                Ok(Page { rows, total: with_total.then_some(n) })
            }),
        }
    }
}

/// Orders JSON values: absent/null first, then booleans, numbers, strings.
fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    fn rank(v: Option<&Value>) -> u8 {
        match v {
            None | Some(Value::Null) => 0,
            Some(Value::Bool(_)) => 1,
            Some(Value::Number(_)) => 2,
            Some(Value::String(_)) => 3,
            Some(_) => 4,
        }
    }
    match (a, b) {
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x.cmp(y),
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            x.as_f64().unwrap_or(0.0).partial_cmp(&y.as_f64().unwrap_or(0.0)).unwrap_or(Ordering::Equal)
        }
        (Some(Value::String(x)), Some(Value::String(y))) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// Reads the rows of one answer chunk by chunk.
struct Pager {
    fetch: Arc<FetchFn>,
    pool: Pool,
    offset: i64,
    /// Rows still wanted (None: all).
    remaining: Option<i64>,
    done: bool,
    /// Whether rows exist past the last one read (known once done).
    more: bool,
    emitted: i64,
}

impl Pager {
    /// The next chunk of rows; `with_total` asks for the list's total with it.
    async fn next_chunk(&mut self, with_total: bool) -> AppResult<Page<Value>> {
        if self.done {
            return Ok(Page { rows: Vec::new(), total: None });
        }
        let want = self.remaining.map_or(CHUNK, |r| r.min(CHUNK));
        let fetch = self.fetch.clone();
        let offset = self.offset;
        // One row more than wanted tells whether anything follows, without a count query.
        let page = crate::db::run(&self.pool, move |c| fetch(c, Window::new(offset, want + 1), with_total)).await?;
        let total = page.total;
        let mut rows = page.rows;
        let extra = rows.len() as i64 > want;
        rows.truncate(want as usize);
        let n = rows.len() as i64;
        self.offset += n;
        self.emitted += n;
        if let Some(r) = self.remaining.as_mut() {
            *r -= n;
        }
        if !extra {
            self.done = true;
            self.more = false;
        } else if self.remaining == Some(0) {
            self.done = true;
            self.more = true;
        }
        Ok(Page { rows, total })
    }
}

/// The streamed answer.
struct Emitter {
    pager: Pager,
    pending: Option<Vec<Value>>,
    started: bool,
    finished: bool,
    first_item: bool,
    format: Format,
    columns: Vec<String>,
    csv: crate::api::csv::Writer,
    /// The total from the count query (normal paging).
    total: Option<i64>,
    all: bool,
    simplified: bool,
    page: i64,
    count_per_page: i64,
}

impl Emitter {
    fn write_rows(&mut self, out: &mut Vec<u8>, rows: &[Value]) -> std::io::Result<()> {
        match self.format {
            Format::Json => {
                for r in rows {
                    if !self.first_item {
                        out.push(b',');
                    }
                    self.first_item = false;
                    serde_json::to_writer(&mut *out, r)?;
                }
            }
            Format::Csv => {
                for r in rows {
                    self.csv.row(r, &self.columns)?;
                }
                out.extend(self.csv.take()?);
            }
        }
        Ok(())
    }

    fn suffix(&self) -> String {
        let more = self.pager.more;
        if self.simplified {
            return format!("],\"hasMorePages\":{more}}}");
        }
        let (total, pages, more) = match self.total {
            Some(t) if !self.all => {
                let pages = (t + self.count_per_page - 1) / self.count_per_page;
                (t, pages, self.page.saturating_mul(self.count_per_page) < t)
            }
            _ => {
                let t = self.pager.emitted;
                (t, i64::from(t > 0), false)
            }
        };
        format!("],\"totalCount\":{total},\"totalPages\":{pages},\"hasMorePages\":{more}}}")
    }

    async fn step(mut self) -> Option<(Result<Bytes, std::io::Error>, Emitter)> {
        if self.finished {
            return None;
        }
        let rows = match self.pending.take() {
            Some(r) => r,
            None => match self.pager.next_chunk(false).await {
                Ok(r) => r.rows,
                Err(e) => {
                    // Headers are gone already: end the stream with an error so the client sees a
                    // broken transfer rather than a silently short list.
                    tracing::error!(error = %e, "list stream failed");
                    self.finished = true;
                    return Some((Err(std::io::Error::other(e.to_string())), self));
                }
            },
        };
        let mut out = Vec::new();
        let r = (|| {
            if !self.started {
                self.started = true;
                match self.format {
                    Format::Json => out.extend_from_slice(b"{\"items\":["),
                    Format::Csv => {
                        self.csv.header(&self.columns)?;
                        out.extend(self.csv.take()?);
                    }
                }
            }
            self.write_rows(&mut out, &rows)?;
            if self.pager.done {
                self.finished = true;
                if self.format == Format::Json {
                    out.extend_from_slice(self.suffix().as_bytes());
                }
            }
            Ok::<(), std::io::Error>(())
        })();
        match r {
            Ok(()) => Some((Ok(Bytes::from(out)), self)),
            Err(e) => {
                self.finished = true;
                Some((Err(e), self))
            }
        }
    }
}

/// Answers a list request: counts when needed, reads the first chunk before committing to a
/// status (so that a database failure still gets its proper error), then streams the rest.
pub async fn respond(
    state: &AppState,
    q: &ListQuery,
    spec: &ListSpec,
    columns: Vec<String>,
    source: Source,
) -> AppResult<HttpResponse> {
    // Every row, or CSV: an export, which takes one of the person's export slots.
    let slot = match q.user {
        Some(user) if q.all || q.format == Format::Csv => Some(state.exports.take(user)?),
        _ => None,
    };
    let mut pager = Pager {
        fetch: source.fetch,
        pool: state.pool.clone(),
        offset: if q.all { 0 } else { (q.page - 1) * q.count_per_page },
        remaining: if q.all { None } else { Some(q.count_per_page) },
        done: false,
        more: false,
        emitted: 0,
    };
    let first = pager.next_chunk(!q.simplified && !q.all).await?;
    let total = first.total;
    let first = first.rows;
    let emitter = Emitter {
        pager,
        pending: Some(first),
        started: false,
        finished: false,
        first_item: true,
        format: q.format,
        columns,
        csv: crate::api::csv::Writer::default(),
        total,
        all: q.all,
        simplified: q.simplified,
        page: q.page,
        count_per_page: q.count_per_page,
    };
    let stream = futures_util::stream::unfold(emitter, Emitter::step);
    let mut resp = HttpResponse::Ok();
    match q.format {
        Format::Json => {
            resp.content_type("application/json");
        }
        Format::Csv => {
            resp.content_type("text/csv; charset=utf-8")
                .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}.csv\"", spec.name)));
        }
    }
    Ok(match slot {
        Some(slot) => resp.streaming(crate::http::export::watched(slot, stream)),
        None => resp.streaming(stream),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `simplifiedPaging` and `all` never ask the source for a total; a plain page asks once.
    #[actix_web::test]
    async fn simplified_paging_runs_no_count_query() {
        use std::sync::atomic::{AtomicUsize, Ordering};

        const SPEC: ListSpec = ListSpec { name: "probe", sort_fields: &["id"], filters: &[], text_ids: None };
        let dir = tempfile::tempdir().unwrap();
        let config = crate::Config::for_database(&format!("sqlite://{}", dir.path().join("t.db").display())).unwrap();
        let pool = crate::db::build_pool(&config.database, 2, std::time::Duration::from_secs(1)).unwrap();
        let storage = crate::storage::Storage::open(&crate::storage::StorageUrl::File(dir.path().into())).unwrap();
        let state = AppState {
            pool,
            config,
            csrf_secret: [0; 32],
            storage,
            replica: None,
            exports: Default::default(),
            contexts: Default::default(),
        };
        let rows: Vec<Value> = (1..=5).map(|i| serde_json::json!({"id": i, "name": format!("row {i}")})).collect();
        for (query, counts, more) in
            [("simplifiedPaging=true&countPerPage=2", 0, true), ("all=true", 0, false), ("countPerPage=2", 1, true)]
        {
            let counted = Arc::new(AtomicUsize::new(0));
            let (c, rows) = (counted.clone(), rows.clone());
            let source = Source::db(move |_, w, with_total| {
                if with_total {
                    c.fetch_add(1, Ordering::SeqCst);
                }
                let page = rows.iter().skip(w.offset as usize).take(w.limit as usize).cloned().collect();
                Ok(Page { rows: page, total: with_total.then_some(5) })
            });
            let q = ListQuery::from_query(query, &SPEC, "UTC", false).unwrap();
            let resp = respond(&state, &q, &SPEC, vec!["id".into()], source).await.unwrap();
            assert!(resp.headers().get("content-length").is_none(), "streamed");
            let body = actix_web::body::to_bytes(resp.into_body()).await.unwrap();
            let v: Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(counted.load(Ordering::SeqCst), counts, "{query}: {v}");
            assert_eq!(v["hasMorePages"], more, "{query}: {v}");
            assert_eq!(v.get("totalCount").is_some(), !query.starts_with("simplified"), "{query}: {v}");
        }
    }
}
