//! The list conventions of SPEC §8, shared by every API list: `page` (1-based), `countPerPage`
//! (default 50, 1–1000), `all` (every row), `specificIds`, `sortField` + `sortOrder`
//! (`Ascend`|`Descend`), `simplifiedPaging` (no count query: only `items` and `hasMorePages`),
//! `format` — each also accepted in PascalCase — plus the list's own filters. Unknown or
//! malformed parameters answer 400 naming them.
//!
//! Answers are streamed in chunks, as JSON (`{"items":[…],"totalCount":N,"totalPages":N,
//! "hasMorePages":bool}`) or, for `Accept: text/csv`, a `.csv` path suffix or `format=csv`, as
//! CSV of the same rows.

use std::cmp::Ordering;
use std::sync::Arc;

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use chrono::{NaiveDateTime, TimeZone};
use serde_json::Value;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn, ParameterStyle};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{KnownFormat, RefOr, Required, Schema};

use crate::AppState;
use crate::db::paging::{Page, Window};
use crate::db::{DbConnection, Pool};
use crate::error::{AppError, AppResult, FieldError};
use crate::http::Ctx;

pub const DEFAULT_COUNT_PER_PAGE: i64 = 50;
pub const MAX_COUNT_PER_PAGE: i64 = 1000;
/// Pages beyond this are refused (the offset stays far from overflowing).
pub const MAX_PAGE: i64 = 1_000_000_000;
/// Rows read from the database per streamed chunk.
const CHUNK: i64 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

/// The type of a list filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKind {
    /// A whole number.
    Int,
    /// A comma-separated list of ids (the parameter may also be repeated).
    Ids,
    Bool,
    /// An RFC 3339 time, or a plain date (midnight in the caller's time zone).
    Time,
    Text,
}

#[derive(Debug, Clone, Copy)]
pub struct FilterSpec {
    /// camelCase name; the PascalCase spelling is accepted too.
    pub name: &'static str,
    pub kind: FilterKind,
    pub description: &'static str,
}

/// What one list accepts.
#[derive(Debug, Clone, Copy)]
pub struct ListSpec {
    /// Base name of the CSV file.
    pub name: &'static str,
    /// Sort fields (camelCase; PascalCase accepted); the first is the default.
    pub sort_fields: &'static [&'static str],
    pub filters: &'static [FilterSpec],
    /// `specificIds` are text keys (the permission catalog) rather than numbers: the keys that
    /// exist.
    pub text_ids: Option<fn() -> Vec<&'static str>>,
}

#[derive(Debug, Clone)]
enum FilterValue {
    Int(i64),
    Ids(Vec<i64>),
    Bool(bool),
    Time(NaiveDateTime),
    Text(String),
}

/// A parsed list request.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub page: i64,
    pub count_per_page: i64,
    pub all: bool,
    pub specific_ids: Vec<String>,
    /// Canonical (camelCase) sort field.
    pub sort_field: &'static str,
    pub ascending: bool,
    pub simplified: bool,
    pub format: Format,
    values: Vec<(&'static str, FilterValue)>,
}

/// The standard parameters: camelCase name, description.
const STANDARD: [(&str, &str); 8] = [
    ("page", "Page to return, 1-based (default 1). A page past the end is empty."),
    ("countPerPage", "Rows per page, 1 to 1000 (default 50)."),
    ("all", "true: every row, streamed (page and countPerPage are ignored)."),
    ("specificIds", "Only these ids (comma-separated; the parameter may be repeated)."),
    ("sortField", "Field to sort by."),
    ("sortOrder", "Ascend (default) or Descend."),
    ("simplifiedPaging", "true: no count query; the answer has only items and hasMorePages."),
    ("format", "json (default) or csv; CSV is also chosen by Accept: text/csv or a .csv path suffix."),
];

/// `countPerPage` → `CountPerPage`.
pub fn pascal(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

fn bad(field: &str, message: String) -> AppError {
    AppError::BadRequest(message.clone(), vec![FieldError::new(field, message)])
}

fn parse_bool(field: &str, v: &str) -> AppResult<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(bad(field, format!("`{field}` must be true or false, not `{v}`."))),
    }
}

fn parse_int(field: &str, v: &str) -> AppResult<i64> {
    v.trim().parse::<i64>().map_err(|_| bad(field, format!("`{field}` must be a whole number, not `{v}`.")))
}

/// A list parameter that was given must name at least one id (`tagIds=` alone is a mistake).
fn need_items(field: &str, values: &[String]) -> AppResult<()> {
    if !values.is_empty() && values.iter().all(|v| v.split(',').all(|p| p.trim().is_empty())) {
        return Err(bad(field, format!("`{field}` is empty; give at least one id, or leave it out.")));
    }
    Ok(())
}

fn parse_ids(field: &str, values: &[String]) -> AppResult<Vec<i64>> {
    need_items(field, values)?;
    let mut out = Vec::new();
    for v in values {
        for part in v.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            out.push(part.parse::<i64>().map_err(|_| bad(field, format!("`{field}` holds `{part}`, not an id.")))?);
        }
    }
    Ok(out)
}

/// An RFC 3339 time, or a plain date meaning midnight in the time zone `tz`; in UTC.
pub fn parse_time(field: &str, v: &str, tz: &str) -> AppResult<NaiveDateTime> {
    let v = v.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(v) {
        return Ok(t.naive_utc());
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        let zone: chrono_tz::Tz = tz.parse().unwrap_or(chrono_tz::UTC);
        let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        if let Some(t) = zone.from_local_datetime(&midnight).earliest() {
            return Ok(t.naive_utc());
        }
    }
    Err(bad(
        field,
        format!("`{field}` must be an RFC 3339 time (2026-01-31T12:00:00Z) or a date (2026-01-31), not `{v}`."),
    ))
}

impl ListQuery {
    /// Parses and checks the query string of a list request.
    pub fn parse(req: &HttpRequest, ctx: &Ctx, spec: &ListSpec) -> AppResult<ListQuery> {
        ListQuery::from_query(req.query_string(), spec, ctx.tz(), ctx.csv)
    }

    /// Parses a query string; `csv` is the guard's decision (`Ctx::csv`) of the answer format.
    pub fn from_query(query: &str, spec: &ListSpec, tz: &str, csv: bool) -> AppResult<ListQuery> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
            .map_err(|e| AppError::bad_request(format!("The query string could not be read: {e}")))?;
        // Group values by canonical name, refusing names this list does not know. When both
        // spellings are given, the camelCase one is used (OpenAPI has no notion of aliases, so
        // clients may well send both).
        let mut seen: Vec<(&'static str, Vec<String>)> = Vec::new();
        let mut pascal_only: Vec<(&'static str, Vec<String>)> = Vec::new();
        let known = || {
            STANDARD.iter().map(|(n, _)| *n).chain(spec.filters.iter().map(|f| f.name)).collect::<Vec<&'static str>>()
        };
        for (k, v) in pairs {
            let Some(canon) = known().into_iter().find(|n| *n == k || pascal(n) == k) else {
                let names = known().join(", ");
                return Err(bad(&k, format!("Unknown query parameter `{k}`; this list takes {names}.")));
            };
            let bucket = if canon == k { &mut seen } else { &mut pascal_only };
            match bucket.iter_mut().find(|(n, _)| *n == canon) {
                Some((_, vals)) => vals.push(v),
                None => bucket.push((canon, vec![v])),
            }
        }
        // Every value is checked, even a PascalCase one that the camelCase spelling overrides.
        if !pascal_only.is_empty() {
            ListQuery::build(csv, spec, tz, &pascal_only).map_err(|e| match e {
                AppError::BadRequest(m, d) => AppError::BadRequest(
                    m,
                    d.into_iter().map(|f| FieldError::new(pascal(&f.field), f.message)).collect(),
                ),
                other => other,
            })?;
        }
        for (n, vals) in pascal_only {
            if !seen.iter().any(|(k, _)| *k == n) {
                seen.push((n, vals));
            }
        }
        ListQuery::build(csv, spec, tz, &seen)
    }

    fn build(csv: bool, spec: &ListSpec, tz: &str, seen: &[(&'static str, Vec<String>)]) -> AppResult<ListQuery> {
        let repeatable =
            |n: &str| n == "specificIds" || spec.filters.iter().any(|f| f.name == n && f.kind == FilterKind::Ids);
        for (n, vals) in seen {
            if vals.len() > 1 && !repeatable(n) && vals.iter().any(|v| v != &vals[0]) {
                return Err(bad(n, format!("`{n}` is given more than once, with different values.")));
            }
        }
        let one = |n: &str| seen.iter().find(|(k, _)| *k == n).map(|(_, v)| v[0].clone());
        let many = |n: &str| seen.iter().find(|(k, _)| *k == n).map(|(_, v)| v.clone()).unwrap_or_default();

        let page = match one("page") {
            Some(v) => parse_int("page", &v)?,
            None => 1,
        };
        if !(1..=MAX_PAGE).contains(&page) {
            return Err(bad("page", format!("`page` is between 1 and {MAX_PAGE}, not {page}.")));
        }
        let count_per_page = match one("countPerPage") {
            Some(v) => parse_int("countPerPage", &v)?,
            None => DEFAULT_COUNT_PER_PAGE,
        };
        if !(1..=MAX_COUNT_PER_PAGE).contains(&count_per_page) {
            return Err(bad(
                "countPerPage",
                format!("`countPerPage` must be between 1 and {MAX_COUNT_PER_PAGE}, not {count_per_page}."),
            ));
        }
        let all = match one("all") {
            Some(v) => parse_bool("all", &v)?,
            None => false,
        };
        let simplified = match one("simplifiedPaging") {
            Some(v) => parse_bool("simplifiedPaging", &v)?,
            None => false,
        };
        if one("specificIds").is_some() {
            need_items("specificIds", &many("specificIds"))?;
        }
        let specific_ids: Vec<String> = many("specificIds")
            .iter()
            .flat_map(|v| v.split(',').map(|p| p.trim().to_string()).collect::<Vec<_>>())
            .filter(|p| !p.is_empty())
            .collect();
        match spec.text_ids {
            None => {
                parse_ids("specificIds", &specific_ids)?;
            }
            Some(keys) => {
                let keys = keys();
                if let Some(unknown) = specific_ids.iter().find(|k| !keys.contains(&k.as_str())) {
                    return Err(bad("specificIds", format!("`specificIds` holds `{unknown}`, which does not exist.")));
                }
            }
        }
        let sort_field = match one("sortField") {
            None => spec.sort_fields[0],
            Some(v) => spec.sort_fields.iter().copied().find(|f| *f == v || pascal(f) == v).ok_or_else(|| {
                bad("sortField", format!("Unknown sortField `{v}`; sort by one of: {}.", spec.sort_fields.join(", ")))
            })?,
        };
        let ascending = match one("sortOrder").as_deref() {
            None | Some("Ascend") => true,
            Some("Descend") => false,
            Some(other) => {
                return Err(bad("sortOrder", format!("`sortOrder` is Ascend or Descend, not `{other}`.")));
            }
        };
        let format = match one("format").as_deref() {
            Some("csv" | "json") | None if csv => Format::Csv,
            Some("csv" | "json") | None => Format::Json,
            Some(other) => return Err(bad("format", format!("`format` is json or csv, not `{other}`."))),
        };
        let mut values = Vec::new();
        for f in spec.filters {
            let vals = many(f.name);
            if vals.is_empty() {
                continue;
            }
            let v = match f.kind {
                FilterKind::Ids => FilterValue::Ids(parse_ids(f.name, &vals)?),
                FilterKind::Int => FilterValue::Int(parse_int(f.name, &vals[0])?),
                FilterKind::Bool => FilterValue::Bool(parse_bool(f.name, &vals[0])?),
                FilterKind::Time => FilterValue::Time(parse_time(f.name, &vals[0], tz)?),
                FilterKind::Text => {
                    if vals[0].chars().count() > 200 {
                        return Err(bad(f.name, format!("`{}` can have at most 200 characters.", f.name)));
                    }
                    FilterValue::Text(vals[0].clone())
                }
            };
            values.push((f.name, v));
        }
        Ok(ListQuery { page, count_per_page, all, specific_ids, sort_field, ascending, simplified, format, values })
    }

    fn value(&self, name: &str) -> Option<&FilterValue> {
        self.values.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
    pub fn int(&self, name: &str) -> Option<i64> {
        match self.value(name) {
            Some(FilterValue::Int(v)) => Some(*v),
            _ => None,
        }
    }
    pub fn ids(&self, name: &str) -> Vec<i64> {
        match self.value(name) {
            Some(FilterValue::Ids(v)) => v.clone(),
            _ => Vec::new(),
        }
    }
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.value(name), Some(FilterValue::Bool(true)))
    }
    pub fn time(&self, name: &str) -> Option<NaiveDateTime> {
        match self.value(name) {
            Some(FilterValue::Time(v)) => Some(*v),
            _ => None,
        }
    }
    pub fn text(&self, name: &str) -> Option<String> {
        match self.value(name) {
            Some(FilterValue::Text(v)) if !v.trim().is_empty() => Some(v.clone()),
            _ => None,
        }
    }
    /// `specificIds` as numbers (checked when parsed).
    pub fn specific_int_ids(&self) -> Vec<i64> {
        self.specific_ids.iter().filter_map(|s| s.parse().ok()).collect()
    }
    /// True when `specificIds` was given; with ids that all fail to parse nothing may match.
    pub fn has_specific_ids(&self) -> bool {
        !self.specific_ids.is_empty()
    }
}

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
    Ok(resp.streaming(stream))
}

// ---------------------------------------------------------------------------------------------
// OpenAPI parameters, generated from the same spec the parser reads.

fn schema_of(kind: FilterKind) -> RefOr<Schema> {
    match kind {
        FilterKind::Int => ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .into(),
        FilterKind::Ids => ArrayBuilder::new()
            .items(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))),
            )
            .min_items(Some(1))
            .into(),
        FilterKind::Bool => ObjectBuilder::new().schema_type(Type::Boolean).into(),
        FilterKind::Time => ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .into(),
        FilterKind::Text => ObjectBuilder::new().schema_type(Type::String).max_length(Some(200)).into(),
    }
}

fn param(name: String, description: String, schema: RefOr<Schema>, array: bool) -> Parameter {
    let mut b = ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(schema));
    if array {
        b = b.style(Some(ParameterStyle::Form)).explode(Some(false));
    }
    b.build()
}

/// The query parameters of a list, in both spellings.
pub fn openapi_params(spec: &ListSpec) -> Vec<Parameter> {
    let int = |min: i64, max: Option<i64>| -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(min as f64))
            .maximum(max.map(|m| m as f64))
            .into()
    };
    let boolean = || -> RefOr<Schema> { ObjectBuilder::new().schema_type(Type::Boolean).into() };
    let ids: RefOr<Schema> = if let Some(keys) = spec.text_ids {
        ArrayBuilder::new()
            .items(ObjectBuilder::new().schema_type(Type::String).enum_values(Some(keys())))
            .min_items(Some(1))
            .into()
    } else {
        schema_of(FilterKind::Ids)
    };
    let sort_values: Vec<String> =
        spec.sort_fields.iter().map(|f| f.to_string()).chain(spec.sort_fields.iter().map(|f| pascal(f))).collect();
    let enum_of = |values: Vec<String>| -> RefOr<Schema> {
        ObjectBuilder::new().schema_type(Type::String).enum_values(Some(values)).into()
    };
    let mut base: Vec<(String, String, RefOr<Schema>, bool)> = Vec::new();
    for (name, desc) in STANDARD {
        let (schema, array) = match name {
            "page" => (int(1, Some(MAX_PAGE)), false),
            "countPerPage" => (int(1, Some(MAX_COUNT_PER_PAGE)), false),
            "all" | "simplifiedPaging" => (boolean(), false),
            "specificIds" => (ids.clone(), true),
            "sortField" => (enum_of(sort_values.clone()), false),
            "sortOrder" => (enum_of(vec!["Ascend".into(), "Descend".into()]), false),
            _ => (enum_of(vec!["json".into(), "csv".into()]), false),
        };
        let desc = if name == "sortField" {
            format!("{desc} One of {} (default {}).", spec.sort_fields.join(", "), spec.sort_fields[0])
        } else {
            desc.to_string()
        };
        base.push((name.to_string(), desc, schema, array));
    }
    for f in spec.filters {
        base.push((f.name.to_string(), f.description.to_string(), schema_of(f.kind), f.kind == FilterKind::Ids));
    }
    let mut out = Vec::new();
    for (name, desc, schema, array) in &base {
        out.push(param(name.clone(), desc.clone(), schema.clone(), *array));
    }
    for (name, _, schema, array) in &base {
        out.push(param(
            pascal(name),
            format!("The same as `{name}` (which wins when both are given)."),
            schema.clone(),
            *array,
        ));
    }
    out
}

/// Declares a marker type whose OpenAPI parameters are those of a [`ListSpec`].
macro_rules! list_params {
    ($name:ident, $spec:expr) => {
        pub struct $name;
        impl utoipa::IntoParams for $name {
            fn into_params(
                _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
            ) -> Vec<utoipa::openapi::path::Parameter> {
                $crate::api::list::openapi_params(&$spec)
            }
        }
    };
}
pub(crate) use list_params;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_dates() {
        let t = parse_time("x", "2026-03-01T10:00:00+02:00", "UTC").unwrap();
        assert_eq!(t.to_string(), "2026-03-01 08:00:00");
        let d = parse_time("x", "2026-03-01", "Europe/Berlin").unwrap();
        assert_eq!(d.to_string(), "2026-02-28 23:00:00");
        assert!(parse_time("x", "yesterday", "UTC").is_err());
    }

    /// `simplifiedPaging` and `all` never ask the source for a total; a plain page asks once.
    #[actix_web::test]
    async fn simplified_paging_runs_no_count_query() {
        use std::sync::atomic::{AtomicUsize, Ordering};

        const SPEC: ListSpec = ListSpec { name: "probe", sort_fields: &["id"], filters: &[], text_ids: None };
        let dir = tempfile::tempdir().unwrap();
        let config = crate::Config::for_database(&format!("sqlite://{}", dir.path().join("t.db").display())).unwrap();
        let pool = crate::db::build_pool(&config.database, 2, std::time::Duration::from_secs(1)).unwrap();
        let state = AppState { pool, config };
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
