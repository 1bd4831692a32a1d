//! Request bodies of the API: at most 1 MiB (413 beyond), JSON only, and every problem named:
//! malformed JSON, a wrong type, an unknown or missing field all answer 400 with the field's
//! path (`appSettings.theme`, `rules[0].frequency`) in the error details — never a 500.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::error::JsonPayloadError;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::api::BODY_LIMIT;
use crate::error::{AppError, FieldError};

/// A JSON body, read and checked as described in the module documentation.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let declared: Option<usize> =
            req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared.is_some_and(|n| n > BODY_LIMIT) {
                return Err(AppError::PayloadTooLarge);
            }
            let mut buf = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|e| match e {
                    actix_web::error::PayloadError::Overflow => AppError::PayloadTooLarge,
                    other => AppError::bad_request(format!("The request body could not be read: {other}")),
                })?;
                if buf.len() + chunk.len() > BODY_LIMIT {
                    return Err(AppError::PayloadTooLarge);
                }
                buf.extend_from_slice(&chunk);
            }
            parse(&buf).map(ApiJson)
        })
    }
}

/// Parses a JSON document into `T`, naming the field of any problem.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(AppError::BadRequest(
            "The request body is empty; send a JSON object.".into(),
            vec![FieldError::new("body", "required")],
        ));
    }
    let doc: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| describe(".", e))?;
    serde_path_to_error::deserialize(crate::api::strict::Strict(&doc)).map_err(|e| {
        let path = e.path().to_string();
        describe(&path, e.into_inner())
    })
}

/// A JSON body of rows — an array of `T`, or (when `single` is allowed) one object — at most
/// `max` of them, each read with the strict deserializer; a problem names its row and field
/// (`rows[3].duration`) and refuses the whole body. `hint` may add advice for a field.
pub fn rows<T: DeserializeOwned>(
    bytes: &[u8],
    single: bool,
    max: usize,
    hint: fn(&str) -> &'static str,
) -> Result<Vec<T>, AppError> {
    let doc: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        AppError::BadRequest(format!("The body is not valid JSON: {e}"), vec![FieldError::new("body", e.to_string())])
    })?;
    let items = match doc {
        serde_json::Value::Array(a) => a,
        other if single => vec![other],
        _ => {
            return Err(AppError::BadRequest(
                "The body must be a JSON array of objects.".into(),
                vec![FieldError::new("body", "expected an array")],
            ));
        }
    };
    if items.len() > max {
        return Err(AppError::PayloadTooLarge);
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let row = i + 1;
            serde_path_to_error::deserialize(crate::api::strict::Strict(item)).map_err(|e| {
                let path = e.path().to_string();
                let msg = e.into_inner().to_string();
                let field = field_of(&path, &msg);
                let field = if field == "body" { String::new() } else { field };
                let at = if field.is_empty() { format!("rows[{row}]") } else { format!("rows[{row}].{field}") };
                let named = if field.is_empty() { String::new() } else { format!(", field `{field}`") };
                AppError::BadRequest(
                    format!("Row {row}{named}: {msg}{}.", hint(&field)),
                    vec![FieldError::new(at, msg)],
                )
            })
        })
        .collect()
}

/// The field a serde message is about: the path, extended by the field named in
/// "unknown field `x`" / "missing field `x`" messages.
fn field_of(path: &str, message: &str) -> String {
    let named = ["unknown field `", "missing field `", "duplicate field `"]
        .iter()
        .find_map(|p| message.strip_prefix(p))
        .and_then(|rest| rest.split('`').next());
    let base = if path == "." || path == "?" { "" } else { path };
    match named {
        Some(name) if base.is_empty() => name.to_string(),
        // Some paths already end with the offending key.
        Some(name) if base == name || base.ends_with(&format!(".{name}")) => base.to_string(),
        Some(name) => format!("{base}.{name}"),
        None if base.is_empty() => "body".to_string(),
        None => base.to_string(),
    }
}

fn describe(path: &str, e: serde_json::Error) -> AppError {
    use serde_json::error::Category;
    let text = e.to_string();
    // serde_json appends " at line L column C"; keep it, it helps find the spot.
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => AppError::BadRequest(
            format!("The body is not valid JSON: {text}"),
            vec![FieldError::new("body", format!("malformed JSON: {text}"))],
        ),
        Category::Data => {
            let field = field_of(path, &text);
            let message = if text.starts_with("unknown field") {
                format!("Unknown field `{field}`: {text}")
            } else {
                format!("Invalid value for `{field}`: {text}")
            };
            AppError::BadRequest(message, vec![FieldError::new(field, text)])
        }
    }
}

/// actix's own JSON extractor, should a handler under `/api` use it: same limit, and its errors
/// become [`AppError`]s with the field named where serde names it.
pub fn json_config() -> web::JsonConfig {
    web::JsonConfig::default().limit(BODY_LIMIT).error_handler(|err, _req| {
        let app = match err {
            JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
                AppError::PayloadTooLarge
            }
            JsonPayloadError::Deserialize(e) => describe(".", e),
            JsonPayloadError::ContentType => AppError::bad_request("Send the body as application/json."),
            other => AppError::bad_request(format!("The request body could not be read: {other}")),
        };
        app.into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Inner {
        theme: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        app_settings: Inner,
        #[serde(default)]
        list: Vec<i64>,
    }

    fn field(r: Result<Outer, AppError>) -> (String, String) {
        let e = r.unwrap_err();
        assert_eq!(e.code(), "bad_request", "{e:?}");
        (e.details()[0].field.clone(), e.public_message())
    }

    #[test]
    fn names_the_field() {
        assert_eq!(field(parse(br#"{"name": 5, "appSettings": {"theme": "x"}}"#)).0, "name");
        assert_eq!(field(parse(br#"{"name": "a", "appSettings": {"theme": 1}}"#)).0, "appSettings.theme");
        assert_eq!(
            field(parse(br#"{"name": "a", "appSettings": {"theme": "x", "colour": 1}}"#)).0,
            "appSettings.colour"
        );
        assert_eq!(field(parse(br#"{"name": "a", "appSettings": {"theme": "x"}, "nmae": 1}"#)).0, "nmae");
        assert_eq!(field(parse(br#"{"appSettings": {"theme": "x"}}"#)).0, "name");
        assert_eq!(field(parse(br#"{"name": "a", "appSettings": {"theme": "x"}, "list": [1, "b"]}"#)).0, "list[1]");
        let (f, m) = field(parse(br#"{"name": "a", "#));
        assert_eq!(f, "body");
        assert!(m.contains("not valid JSON"), "{m}");
        assert_eq!(field(parse(b"")).0, "body");
        assert_eq!(field(parse(br#"{"name": "a", "appSettings": {"theme": "x"}} trailing"#)).0, "body");
        assert_eq!(field(parse(br#"["a", {"theme": "x"}]"#)).0, "body", "an array is not an object");
        assert_eq!(field(parse(br#"{"name": "a", "appSettings": ["x"]}"#)).0, "appSettings");
        assert!(parse::<Outer>(br#"{"name": "a", "appSettings": {"theme": "x"}}"#).is_ok());
    }
}
