//! JSON shapes shared by the API's handlers, declared once for serde and for the OpenAPI
//! description.

use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

/// A time as the API writes it: RFC 3339, UTC, `Z`.
pub fn time(t: NaiveDateTime) -> String {
    t.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The error codes of SPEC §8.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    Unprocessable,
    RateLimited,
    Unavailable,
    Internal,
}

/// One problem with one field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The field's path in the request, e.g. `appSettings.theme`, `page`, or `body`.
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// For people.
    pub message: String,
    /// Field-level problems, when there are any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<FieldProblem>,
    /// On a stale-version 409: the object as it is stored now.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub current: Option<serde_json::Value>,
}

/// Every error answer of the API.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"error": {"code": "forbidden", "message": "Only administrators may do this."}}))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// One page of a list. With `simplifiedPaging=true` only `items` and `hasMorePages` are present.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Page<T: ToSchema> {
    pub items: Vec<T>,
    /// Rows matching the filters (absent with simplifiedPaging).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_count: Option<i64>,
    /// Pages of `countPerPage` rows (absent with simplifiedPaging).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_pages: Option<i64>,
    pub has_more_pages: bool,
}

/// A read-only field sent back in a PUT (or POST) body: accepted and ignored.
pub type ReadOnly = Option<serde::de::IgnoredAny>;

/// For fields that must be present in a PUT body but may be `null` (serde would otherwise
/// treat a missing `Option` as `null`, and a typo would silently clear the value).
pub fn nullable<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d)
}

/// Field-level validation problems as one 422.
pub fn invalid(e: Vec<crate::error::FieldError>) -> crate::error::AppError {
    let msg = e.first().map(|x| x.message.clone()).unwrap_or_else(|| "invalid input".into());
    crate::error::AppError::Unprocessable(msg, e)
}

/// A permission key of the catalog (SPEC §2).
pub struct PermissionKey;

impl utoipa::PartialSchema for PermissionKey {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(crate::access::Perm::ALL.iter().map(|p| p.key())))
            .description(Some("A permission key of the catalog (GET /api/v1/permissions)."))
            .into()
    }
}

impl ToSchema for PermissionKey {}

/// A decimal string as the API writes money: optional `-` (when allowed), 1–12 digits, then
/// optionally `.` and 1–6 digits. Nothing else (no `+`, spaces or exponents).
pub fn decimal_ok(s: &str, allow_negative: bool) -> bool {
    let body = if allow_negative { s.strip_prefix('-').unwrap_or(s) } else { s };
    let digits = |x: &str, max: usize| !x.is_empty() && x.len() <= max && x.chars().all(|c| c.is_ascii_digit());
    match body.split_once('.') {
        None => digits(body, 12),
        Some((i, f)) => digits(i, 12) && digits(f, 6),
    }
}

/// The pattern of [`decimal_ok`] with negatives allowed.
pub const SIGNED_DECIMAL: &str = r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$";

fn string_enum(values: Vec<String>, description: &str) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(values))
        .description(Some(description))
        .into()
}

/// A language of the user interface.
pub struct Language;

impl utoipa::PartialSchema for Language {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        string_enum(
            crate::users::account::LANGUAGES.iter().map(|(c, _)| c.to_string()).collect(),
            "A language of the user interface.",
        )
    }
}
impl ToSchema for Language {}

/// An IANA time zone name.
pub struct TimeZoneName;

impl utoipa::PartialSchema for TimeZoneName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        string_enum(chrono_tz::TZ_VARIANTS.iter().map(|z| z.name().to_string()).collect(), "An IANA time zone name.")
    }
}
impl ToSchema for TimeZoneName {}

/// Free customer data: an object of string, number, boolean, list or object values (no null).
pub struct FreeData;

impl utoipa::PartialSchema for FreeData {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
        let value = ObjectBuilder::new().schema_type(SchemaType::from_iter([
            Type::String,
            Type::Number,
            Type::Boolean,
            Type::Array,
            Type::Object,
        ]));
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .additional_properties(Some(value))
            .description(Some("Free data: string, number, boolean, list or object values (not null), at most 64 KiB."))
            .into()
    }
}
impl ToSchema for FreeData {}

/// Refuses strings longer than their documented `maxLength`, counted as sent (the models trim
/// before they count, so `"  x…"` could otherwise pass with more characters than documented).
pub fn max_chars(fields: &[(&str, Option<&str>, usize)]) -> crate::error::AppResult<()> {
    let e: Vec<crate::error::FieldError> = fields
        .iter()
        .filter(|(_, v, max)| v.is_some_and(|v| v.chars().count() > *max))
        .map(|(f, _, max)| crate::error::FieldError::new(*f, format!("At most {max} characters.")))
        .collect();
    if e.is_empty() { Ok(()) } else { Err(invalid(e)) }
}

/// Declares a request body whose read-only fields (as GET returned them: `id`, `createdAt`, …)
/// are accepted and ignored, so that a client may PUT back what it read:
/// `body_ignoring! { #[derive(…)] pub struct T { fields… } read_only { id, created_at } }`.
macro_rules! body_ignoring {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $f:ident: $t:ty,)* }
     read_only { $($ro:ident),* $(,)? }) => {
        $(#[$meta])*
        #[allow(dead_code)] // read-only fields are accepted and ignored
        pub struct $name {
            $($(#[$fm])* pub $f: $t,)*
            $(
                /// Read-only: accepted and ignored.
                #[serde(default)]
                #[schema(value_type = Option<serde_json::Value>)]
                pub $ro: $crate::api::schema::ReadOnly,
            )*
        }
    };
}
pub(crate) use body_ignoring;
