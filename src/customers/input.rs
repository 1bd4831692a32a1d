//! The validated fields of a customer, the same for the admin form and the API: the checks that
//! need no database ([`CustomerInput::check`]) and those of its references ([`check_refs`]).

use diesel::prelude::*;
use serde_json::{Map, Value, json};

use crate::customers::settings::{AppSettings, BillingSettings, Schedule};
use crate::customers::tree::{MAX_DEPTH, ancestry};
use crate::db::DbConnection;
use crate::db::schema::{customer_groups, customers, tags};
use crate::error::{AppError, AppResult, FieldError};

/// Validated customer fields, the same for the admin form and the API.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomerInput {
    pub name: String,
    pub reference_id: Option<String>,
    pub parent_id: Option<i64>,
    pub is_staging: bool,
    pub groups: Vec<String>,
    pub tag_ids: Vec<i64>,
    pub data: Value,
    pub integration_data: Value,
    pub override_app_settings: bool,
    pub app_settings: AppSettings,
    pub override_billing_settings: bool,
    pub billing_settings: BillingSettings,
    pub schedule: Option<Schedule>,
    pub company_name: String,
    pub country_code: String,
    pub phone: String,
}

/// Field problems as one 422 naming the first.
pub fn invalid(e: Vec<FieldError>) -> AppError {
    let msg = e.first().map(|x| x.message.clone()).unwrap_or_default();
    AppError::Unprocessable(msg, e)
}

impl CustomerInput {
    pub fn named(name: &str) -> CustomerInput {
        CustomerInput {
            name: name.into(),
            reference_id: None,
            parent_id: None,
            is_staging: false,
            groups: vec![],
            tag_ids: vec![],
            data: json!({}),
            integration_data: json!({}),
            override_app_settings: false,
            app_settings: AppSettings::default(),
            override_billing_settings: false,
            billing_settings: BillingSettings::default(),
            schedule: None,
            company_name: String::new(),
            country_code: String::new(),
            phone: String::new(),
        }
    }

    /// Checks what can be checked without the database (normalising as it goes).
    pub fn check(&mut self) -> Vec<FieldError> {
        let mut e = Vec::new();
        self.name = self.name.trim().to_string();
        let n = self.name.chars().count();
        if n == 0 || n > 200 {
            e.push(FieldError::new("name", "Give the customer a name of 1 to 200 characters."));
        }
        self.reference_id = self.reference_id.as_ref().map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
        if self.reference_id.as_ref().is_some_and(|r| r.chars().count() > 100) {
            e.push(FieldError::new("referenceId", "At most 100 characters."));
        }
        check_data(&self.data, &mut e);
        check_integration(&self.integration_data, &mut e);
        e.extend(self.app_settings.validate());
        e.extend(self.check_company());
        self.groups.sort();
        self.groups.dedup();
        self.tag_ids.sort();
        self.tag_ids.dedup();
        e
    }

    /// Normalises and checks the company profile (name, country, phone).
    pub fn check_company(&mut self) -> Vec<FieldError> {
        let mut e = Vec::new();
        self.company_name = self.company_name.trim().to_string();
        if self.company_name.chars().count() > 200 {
            e.push(FieldError::new("companyName", "At most 200 characters."));
        }
        self.country_code = self.country_code.trim().to_uppercase();
        if !self.country_code.is_empty()
            && (self.country_code.len() != 2 || !self.country_code.chars().all(|c| c.is_ascii_uppercase()))
        {
            e.push(FieldError::new("countryCode", "Use a two-letter ISO 3166 country code such as DE."));
        }
        self.phone = self.phone.trim().to_string();
        if self.phone.len() > 32
            || !self.phone.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')'))
        {
            e.push(FieldError::new("phone", "Use digits, spaces, +, - and brackets (at most 32)."));
        }
        e
    }

    /// Every check: the fields, then (when they pass) the references; for customer `id` when
    /// it exists already.
    pub fn validate(&mut self, conn: &mut DbConnection, id: Option<i64>) -> AppResult<()> {
        let e = self.check();
        if !e.is_empty() {
            return Err(invalid(e));
        }
        check_refs(conn, id, self)
    }
}

fn check_data(v: &Value, e: &mut Vec<FieldError>) {
    let Some(obj) = v.as_object() else {
        e.push(FieldError::new("data", "Expected a JSON object."));
        return;
    };
    if v.to_string().len() > 64 * 1024 {
        e.push(FieldError::new("data", "At most 64 KiB of data."));
    }
    for (k, val) in obj {
        if val.is_null() {
            e.push(FieldError::new(
                format!("data.{k}"),
                "Values are strings, numbers, booleans, lists or objects (not null).",
            ));
        }
    }
}

fn check_integration(v: &Value, e: &mut Vec<FieldError>) {
    let Some(obj) = v.as_object() else {
        e.push(FieldError::new("integrationData", "Expected {\"systemName\": {\"thirdPartyId\": \"…\"}}."));
        return;
    };
    for (system, val) in obj {
        let ok = system.chars().count() <= 100
            && val.as_object().is_some_and(|o| {
                o.len() == 1 && o.get("thirdPartyId").is_some_and(|t| t.as_str().is_some_and(|s| s.len() <= 200))
            });
        if !ok {
            e.push(FieldError::new(format!("integrationData.{system}"), "Expected {\"thirdPartyId\": \"…\"}."));
        }
    }
}

/// Checks the references of an input: parent (and cycles), groups, tags, reference id.
fn check_refs(conn: &mut DbConnection, id: Option<i64>, input: &CustomerInput) -> AppResult<()> {
    let mut e = Vec::new();
    if let Some(p) = input.parent_id {
        let exists: i64 = customers::table.filter(customers::id.eq(p)).count().get_result(conn)?;
        if exists == 0 {
            e.push(FieldError::new("parentCustomerId", format!("There is no customer {p}.")));
        } else {
            let chain = ancestry(conn, p)?;
            if id.is_some_and(|me| chain.contains(&me)) {
                e.push(FieldError::new(
                    "parentCustomerId",
                    "A customer cannot be placed below itself or its descendants.",
                ));
            } else if chain.len() >= MAX_DEPTH {
                e.push(FieldError::new(
                    "parentCustomerId",
                    format!("Hierarchies are at most {MAX_DEPTH} levels deep."),
                ));
            }
        }
    }
    let known: Vec<String> = customer_groups::table
        .filter(customer_groups::name.eq_any(&input.groups))
        .select(customer_groups::name)
        .load(conn)?;
    for g in input.groups.iter().filter(|g| !known.contains(g)) {
        e.push(FieldError::new("groups", format!("There is no customer group named {g}.")));
    }
    let known: Vec<i64> = tags::table.filter(tags::id.eq_any(&input.tag_ids)).select(tags::id).load(conn)?;
    for t in input.tag_ids.iter().filter(|t| !known.contains(t)) {
        e.push(FieldError::new("tags", format!("There is no tag {t}.")));
    }
    if let Some(r) = &input.reference_id {
        let taken: i64 = customers::table
            .filter(customers::reference_id.eq(r))
            .filter(customers::id.ne(id.unwrap_or(0)))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            e.push(FieldError::new("referenceId", "Another customer has this reference id."));
        }
    }
    if e.is_empty() { Ok(()) } else { Err(invalid(e)) }
}

/// Parses the JSON text of a form field (empty: `{}`); a problem is a field error.
pub fn parse_json_field(field: &str, text: &str, e: &mut Vec<FieldError>) -> Value {
    if text.trim().is_empty() {
        return Value::Object(Map::new());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(v) => v,
        Err(err) => {
            e.push(FieldError::new(field, format!("Not valid JSON: {err}")));
            Value::Object(Map::new())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_normalised_and_named() {
        let mut i = CustomerInput::named("  Acme ");
        i.country_code = " de ".into();
        i.groups = vec!["b".into(), "a".into(), "b".into()];
        assert!(i.check().is_empty());
        assert_eq!((i.name.as_str(), i.country_code.as_str()), ("Acme", "DE"));
        assert_eq!(i.groups, vec!["a", "b"]);
        let mut bad = CustomerInput::named("");
        bad.country_code = "Germany".into();
        bad.phone = "call me".into();
        bad.data = json!({"k": null});
        bad.integration_data = json!({"crm": "7"});
        let fields: Vec<String> = bad.check().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["name", "data.k", "integrationData.crm", "countryCode", "phone"]);
    }
}
