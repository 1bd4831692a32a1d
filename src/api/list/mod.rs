//! The list conventions of SPEC §8, shared by every API list: `page` (1-based), `countPerPage`
//! (default 50, 1–1000), `all` (every row), `specificIds`, `sortField` + `sortOrder`
//! (`Ascend`|`Descend`), `simplifiedPaging` (no count query: only `items` and `hasMorePages`),
//! `format` — each also accepted in PascalCase — plus the list's own filters. Unknown or
//! malformed parameters answer 400 naming them.
//!
//! Answers are streamed in chunks, as JSON (`{"items":[…],"totalCount":N,"totalPages":N,
//! "hasMorePages":bool}`) or, for `Accept: text/csv`, a `.csv` path suffix or `format=csv`, as
//! CSV of the same rows.
//!
//! `query` parses a request, `stream` answers it chunk by chunk, `params` describes the same
//! parameters in the OpenAPI document.

mod params;
mod query;
mod stream;

pub(crate) use params::list_params;
pub use params::openapi_params;
pub use query::parse_time;
pub use stream::{Source, respond};

use chrono::NaiveDateTime;

pub const DEFAULT_COUNT_PER_PAGE: i64 = 50;
pub const MAX_COUNT_PER_PAGE: i64 = 1000;
/// Pages beyond this are refused (the offset stays far from overflowing).
pub const MAX_PAGE: i64 = 1_000_000_000;

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
    /// The person asking, whose export slots a streamed answer (`all=true`, CSV) takes.
    pub user: Option<i64>,
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
