//! The customer form of the customer page: its fields as the form shows them, and back into a
//! [`CustomerInput`] (the JSON parts parsed, every problem a field error).

use crate::customers::CustomerInput;
use crate::customers::input::parse_json_field;
use crate::customers::model::Customer;
use crate::customers::settings::{AppSettings, Theme, parse_billing, parse_schedule};
use crate::error::FieldError;
use crate::web::forms::Pairs;

/// The editable fields as the form shows them (text for the JSON parts).
#[derive(Default, Clone)]
pub struct FormValues {
    pub name: String,
    pub reference_id: String,
    pub parent_id: Option<i64>,
    pub is_staging: bool,
    pub groups: Vec<String>,
    pub tag_ids: Vec<i64>,
    pub company_name: String,
    pub country_code: String,
    pub phone: String,
    pub override_app_settings: bool,
    pub page_title: String,
    pub theme: String,
    pub logout_url: String,
    pub custom_css: String,
    pub string_mappings: String,
    pub override_billing_settings: bool,
    pub billing_settings: String,
    pub schedule: String,
    pub data: String,
    pub integration_data: String,
}

/// Indented JSON for a text area; an empty object or map shows as an empty field.
fn pretty(v: &impl serde::Serialize) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::Object(o)) if o.is_empty() => String::new(),
        Ok(v) => serde_json::to_string_pretty(&v).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

impl FormValues {
    pub fn of(c: &Customer) -> FormValues {
        let r = &c.row;
        FormValues {
            name: r.name.clone(),
            reference_id: r.reference_id.clone().unwrap_or_default(),
            parent_id: r.parent_id,
            is_staging: r.is_staging,
            groups: c.groups.clone(),
            tag_ids: c.tags.iter().map(|t| t.id).collect(),
            company_name: r.company_name.clone(),
            country_code: r.country_code.clone(),
            phone: r.phone.clone(),
            override_app_settings: r.override_app_settings,
            page_title: c.app_settings.page_title.clone().unwrap_or_default(),
            theme: c.app_settings.theme.as_str().into(),
            logout_url: c.app_settings.logout_url.clone().unwrap_or_default(),
            custom_css: c.app_settings.custom_css.clone().unwrap_or_default(),
            string_mappings: pretty(&c.app_settings.string_mappings),
            override_billing_settings: r.override_billing_settings,
            billing_settings: pretty(&c.billing_settings),
            schedule: c.schedule.as_ref().map(pretty).unwrap_or_default(),
            data: pretty(&c.data),
            integration_data: pretty(&c.integration_data),
        }
    }

    pub fn from_pairs(p: &Pairs) -> FormValues {
        FormValues {
            name: p.text("name"),
            reference_id: p.text("reference_id"),
            parent_id: p.get("parent_id").and_then(|v| v.trim().parse().ok()),
            is_staging: p.flag("is_staging"),
            groups: p.all("groups"),
            tag_ids: p.all("tags").iter().filter_map(|t| t.parse().ok()).collect(),
            company_name: p.text("company_name"),
            country_code: p.text("country_code"),
            phone: p.text("phone"),
            override_app_settings: p.flag("override_app_settings"),
            page_title: p.text("page_title"),
            theme: p.get("theme").unwrap_or("auto").into(),
            logout_url: p.text("logout_url"),
            custom_css: p.text("custom_css"),
            string_mappings: p.text("string_mappings"),
            override_billing_settings: p.flag("override_billing_settings"),
            billing_settings: p.text("billing_settings"),
            schedule: p.text("schedule"),
            data: p.text("data"),
            integration_data: p.text("integration_data"),
        }
    }

    /// Turns the form into a validated-shape input; parse problems are field errors.
    pub fn to_input(&self, p: &Pairs) -> Result<CustomerInput, Vec<FieldError>> {
        let (input, mut e) = self.parse(p);
        // Report the field checks together with the parse problems.
        e.extend(input.clone().check());
        if e.is_empty() { Ok(input) } else { Err(e) }
    }

    fn parse(&self, p: &Pairs) -> (CustomerInput, Vec<FieldError>) {
        let mut e = Vec::new();
        if let Some(v) = p.get("parent_id").map(str::trim).filter(|v| !v.is_empty())
            && v.parse::<i64>().is_err()
        {
            e.push(FieldError::new("parentCustomerId", "Choose a parent customer from the list."));
        }
        let theme = match self.theme.as_str() {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            "auto" | "" => Theme::Auto,
            _ => {
                e.push(FieldError::new("appSettings.theme", "Choose light, dark or auto."));
                Theme::Auto
            }
        };
        let mappings = parse_json_field("appSettings.stringMappings", &self.string_mappings, &mut e);
        let string_mappings = match serde_json::from_value(mappings) {
            Ok(m) => m,
            Err(_) => {
                e.push(FieldError::new(
                    "appSettings.stringMappings",
                    "Expected a JSON object of text labels, e.g. {\"nav.invoices\": \"Bills\"}.",
                ));
                Default::default()
            }
        };
        let billing_v = parse_json_field("billingSettings", &self.billing_settings, &mut e);
        let billing_settings = parse_billing(&billing_v).unwrap_or_else(|x| {
            e.extend(x);
            Default::default()
        });
        let schedule = if self.schedule.trim().is_empty() {
            None
        } else {
            let v = parse_json_field("schedule", &self.schedule, &mut e);
            match parse_schedule(&v) {
                Ok(s) => Some(s),
                Err(x) => {
                    e.extend(x);
                    None
                }
            }
        };
        let data = parse_json_field("data", &self.data, &mut e);
        let integration_data = parse_json_field("integrationData", &self.integration_data, &mut e);
        let blank = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        let input = CustomerInput {
            name: self.name.clone(),
            reference_id: blank(&self.reference_id),
            parent_id: self.parent_id,
            is_staging: self.is_staging,
            groups: self.groups.clone(),
            tag_ids: self.tag_ids.clone(),
            data,
            integration_data,
            override_app_settings: self.override_app_settings,
            app_settings: AppSettings {
                page_title: blank(&self.page_title),
                custom_css: (!self.custom_css.trim().is_empty()).then(|| self.custom_css.clone()),
                theme,
                logout_url: blank(&self.logout_url),
                string_mappings,
            },
            override_billing_settings: self.override_billing_settings,
            billing_settings,
            schedule,
            company_name: self.company_name.clone(),
            country_code: self.country_code.clone(),
            phone: self.phone.clone(),
        };
        (input, e)
    }
}
