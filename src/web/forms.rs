//! Field-level validation messages shared by forms and the API.

use std::collections::BTreeMap;

use crate::error::{AppError, FieldError};

#[derive(Debug, Clone, Default)]
pub struct Errors(pub BTreeMap<String, String>);

impl Errors {
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.entry(field.to_string()).or_insert_with(|| message.into());
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn get(&self, field: &str) -> &str {
        self.0.get(field).map(String::as_str).unwrap_or("")
    }
    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }
    /// `aria-invalid` value for a field.
    pub fn invalid(&self, field: &str) -> &'static str {
        if self.has(field) { "true" } else { "false" }
    }
    pub fn into_error(self) -> AppError {
        let details: Vec<FieldError> = self.0.into_iter().map(|(f, m)| FieldError::new(f, m)).collect();
        let msg = details.first().map(|d| d.message.clone()).unwrap_or_else(|| "invalid input".into());
        AppError::Unprocessable(msg, details)
    }
    pub fn from_error(e: &AppError) -> Errors {
        let mut out = Errors::default();
        for d in e.details() {
            out.add(&d.field, d.message.clone());
        }
        if out.is_empty() {
            out.add("_", e.public_message());
        }
        out
    }
}

/// Trims and checks a text field's length in characters.
pub fn text(errors: &mut Errors, field: &str, value: &str, min: usize, max: usize) -> String {
    let v = value.trim().to_string();
    let n = v.chars().count();
    if n < min {
        errors.add(
            field,
            if min == 1 { "This field is required.".to_string() } else { format!("Enter at least {min} characters.") },
        );
    } else if n > max {
        errors.add(field, format!("Enter at most {max} characters."));
    } else if v.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        errors.add(field, "Control characters are not allowed.");
    }
    v
}

/// A url-encoded form with repeated fields (`permissions=a&permissions=b`).
#[derive(Debug, Clone, Default)]
pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    pub fn parse(body: &[u8]) -> Result<Pairs, AppError> {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
            .map(Pairs)
            .map_err(|e| AppError::bad_request(format!("The form could not be read: {e}")))
    }
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or("").to_string()
    }
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect()
    }
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some("on" | "true" | "1" | "yes"))
    }
}
