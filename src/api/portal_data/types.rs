//! Query parameters and answers of the portal's traffic data, for serde and for the OpenAPI
//! document alike.

use actix_web::HttpRequest;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::{IntoParams, ToSchema};

use crate::error::{AppError, AppResult, FieldError};
use crate::traffic::Direction;
use crate::traffic::query::{CdrQuery, StatsQuery};
use crate::traffic::stats::Sampling;

/// The answer's format (CSV is also chosen by `Accept: text/csv`).
#[derive(Debug, Clone, Copy, ToSchema)]
#[schema(rename_all = "lowercase")]
pub enum Format {
    Json,
    Csv,
}

/// A bound of a period as `from`/`to` take it: a date (midnight in the user's time zone) or an
/// RFC 3339 time.
fn date_or_time() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
    let of = |f| ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(f)));
    utoipa::openapi::schema::Schema::OneOf(
        OneOfBuilder::new().item(of(KnownFormat::Date)).item(of(KnownFormat::DateTime)).build(),
    )
}

/// The query of `GET /api/v1/portal/cdrs`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CdrParams {
    /// Which CDRs (needs `outgoing_cdrs` or `incoming_cdrs`).
    #[param(required = true, value_type = Direction)]
    pub direction: Option<String>,
    /// Start (RFC 3339, or YYYY-MM-DD: midnight in the user's time zone).
    #[param(schema_with = date_or_time)]
    pub from: Option<String>,
    /// End, exclusive (RFC 3339 or YYYY-MM-DD).
    #[param(schema_with = date_or_time)]
    pub to: Option<String>,
    /// The source or destination number starts with these digits (a leading `+` is ignored).
    #[param(pattern = r"^\+?[0-9]{0,32}$")]
    pub number: Option<String>,
    /// Only answered (true) or failed (false) calls.
    pub success: Option<bool>,
    /// Seconds.
    #[param(minimum = 0)]
    pub min_duration: Option<i32>,
    /// Seconds.
    #[param(minimum = 0)]
    pub max_duration: Option<i32>,
    /// The `nextCursor` of the previous page.
    pub cursor: Option<String>,
    /// Rows per page (default 50).
    #[param(minimum = 1, maximum = 1000)]
    pub count_per_page: Option<i64>,
    /// json (default) or csv: every matching row, streamed (outgoing CDRs need `outgoing_cdr_exports`).
    #[param(value_type = Option<Format>)]
    pub format: Option<String>,
}

impl CdrParams {
    /// The filter part, as the portal pages read it.
    pub fn query(&self) -> CdrQuery {
        CdrQuery {
            from: self.from.clone(),
            to: self.to.clone(),
            number: self.number.clone(),
            success: self.success.map(|s| s.to_string()),
            min_duration: self.min_duration.map(|d| d.to_string()),
            max_duration: self.max_duration.map(|d| d.to_string()),
            cursor: self.cursor.clone(),
        }
    }
}

/// The query of `GET /api/v1/portal/statistics`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    /// Whose statistics (needs `outgoing_statistics` or `incoming_statistics`).
    #[param(required = true, value_type = Direction)]
    pub direction: Option<String>,
    /// Start (RFC 3339 or YYYY-MM-DD; default 30 days ago, or 48 hours for hourly sampling).
    #[param(schema_with = date_or_time)]
    pub from: Option<String>,
    /// End, exclusive (default: tomorrow).
    #[param(schema_with = date_or_time)]
    pub to: Option<String>,
    /// Bucket size (default day).
    #[param(value_type = Option<Sampling>)]
    pub sampling: Option<String>,
}

impl StatsParams {
    pub fn query(self) -> StatsQuery {
        StatsQuery { from: self.from, to: self.to, sampling: self.sampling }
    }
}

/// The query of `GET /api/v1/portal/active-calls`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActiveParams {
    /// The `nextCursor` of the previous page.
    pub cursor: Option<String>,
    /// Rows per page (default 50).
    #[param(minimum = 1, maximum = 1000)]
    pub count_per_page: Option<i64>,
}

/// One keyset page: `nextCursor` is absent on the last page.
#[derive(Debug, ToSchema)]
#[schema(rename_all = "camelCase")]
#[allow(dead_code)] // describes the JSON the handlers build
pub struct CursorPage {
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<serde_json::Value>,
    pub next_cursor: Option<String>,
}

/// Reads a query string into `T`, accepting the PascalCase spellings of its names too.
pub fn read_params<T: DeserializeOwned>(req: &HttpRequest) -> AppResult<T> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| AppError::bad_request(format!("The query string could not be read: {e}")))?;
    let camel: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(k, v)| {
            let mut c = k.chars();
            let k = match c.next() {
                Some(f) => f.to_ascii_lowercase().to_string() + c.as_str(),
                None => k,
            };
            (k, v)
        })
        .collect();
    let qs = serde_urlencoded::to_string(&camel).unwrap_or_default();
    serde_urlencoded::from_str::<T>(&qs).map_err(|e| {
        let m = e.to_string();
        AppError::BadRequest(format!("Query: {m}"), vec![FieldError::new("query", m)])
    })
}

/// `countPerPage`: 1 to 1000, 50 when absent.
pub fn page_size(n: Option<i64>) -> AppResult<i64> {
    match n {
        None => Ok(50),
        Some(n) if (1..=1000).contains(&n) => Ok(n),
        Some(_) => Err(AppError::BadRequest(
            "countPerPage must be 1 to 1000".into(),
            vec![FieldError::new("countPerPage", "1 to 1000")],
        )),
    }
}

/// The direction of a query (the route guard has refused a missing or unknown one already).
pub fn direction(d: &Option<String>) -> AppResult<Direction> {
    d.as_deref().and_then(Direction::parse).ok_or_else(|| {
        AppError::BadRequest(
            "direction is required: outgoing or incoming".into(),
            vec![FieldError::new("direction", "outgoing or incoming")],
        )
    })
}
