//! App settings, billing settings and the business-hours schedule of a customer, with
//! validation and inheritance through the hierarchy.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    Light,
    Dark,
    #[default]
    Auto,
}

impl Theme {
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::Auto => "auto",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_css: Option<String>,
    #[serde(default)]
    pub theme: Theme,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logout_url: Option<String>,
    #[serde(default)]
    pub string_mappings: BTreeMap<String, String>,
}

impl AppSettings {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut e = Vec::new();
        if let Some(t) = &self.page_title
            && t.chars().count() > 200
        {
            e.push(FieldError::new("appSettings.pageTitle", "At most 200 characters."));
        }
        if let Some(css) = &self.custom_css
            && css.len() > 64 * 1024
        {
            e.push(FieldError::new("appSettings.customCss", "Custom CSS can be at most 64 KiB."));
        }
        if let Some(u) = &self.logout_url {
            let ok = u.len() <= 2000
                && !u.chars().any(|c| c.is_control() || c.is_whitespace())
                && ((u.starts_with("https://") || u.starts_with("http://")) && u.len() > 8
                    || (u.starts_with('/') && !u.starts_with("//") && !u.contains('\\')));
            if !ok {
                e.push(FieldError::new("appSettings.logoutUrl", "Enter an http(s) URL or a path starting with /."));
            }
        }
        if self.string_mappings.len() > 500 {
            e.push(FieldError::new("appSettings.stringMappings", "At most 500 mappings."));
        }
        for (k, v) in &self.string_mappings {
            if k.is_empty() || k.len() > 100 || v.chars().count() > 200 {
                e.push(FieldError::new(
                    "appSettings.stringMappings",
                    format!(
                        "Mapping `{}`: keys need 1-100 characters, labels at most 200.",
                        k.chars().take(40).collect::<String>()
                    ),
                ));
                break;
            }
        }
        e
    }

    /// The label to show for a UI string key, with the customer's relabelling applied.
    pub fn label<'a>(&'a self, key: &str, default: &'a str) -> &'a str {
        self.string_mappings.get(key).map(String::as_str).unwrap_or(default)
    }
}

pub const BILLING_ITEMS: [&str; 7] = [
    "base",
    "localNumbers",
    "tollFreeNumbers",
    "inboundVoiceCalls",
    "outboundVoiceCalls",
    "inboundSmsMessages",
    "outboundSmsMessages",
];

/// One billing item; money as exact decimal strings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BillingItem {
    #[serde(default = "zero")]
    #[schema(pattern = r"^[0-9]{1,12}(\.[0-9]{1,6})?$")]
    pub base_cost: String,
    #[serde(default = "zero")]
    #[schema(pattern = r"^[0-9]{1,12}(\.[0-9]{1,6})?$")]
    pub unit_cost: String,
    #[serde(default = "one")]
    #[schema(pattern = r"^[0-9]{1,12}(\.[0-9]{1,6})?$")]
    pub raw_unit_multiplier: String,
    #[serde(default)]
    #[schema(minimum = 0)]
    pub allowance: i64,
}

fn zero() -> String {
    "0.000000".into()
}
fn one() -> String {
    "1.000000".into()
}

pub type BillingSettings = BTreeMap<String, BillingItem>;

/// Parses and normalises billing settings from JSON: known items only, decimals exact.
pub fn parse_billing(v: &Value) -> Result<BillingSettings, Vec<FieldError>> {
    let mut errs = Vec::new();
    let mut out = BillingSettings::new();
    let Some(obj) = v.as_object() else {
        return Err(vec![FieldError::new("billingSettings", "Expected an object of billing items.")]);
    };
    for (item, val) in obj {
        if !BILLING_ITEMS.contains(&item.as_str()) {
            errs.push(FieldError::new(
                format!("billingSettings.{item}"),
                format!("Unknown billing item; use one of {}.", BILLING_ITEMS.join(", ")),
            ));
            continue;
        }
        let Some(fields) = val.as_object() else {
            errs.push(FieldError::new(format!("billingSettings.{item}"), "Expected an object."));
            continue;
        };
        let mut bi = BillingItem { base_cost: zero(), unit_cost: zero(), raw_unit_multiplier: one(), allowance: 0 };
        for (k, fv) in fields {
            let path = format!("billingSettings.{item}.{k}");
            match k.as_str() {
                "baseCost" | "unitCost" | "rawUnitMultiplier" => match crate::money::from_json(fv) {
                    Ok(m) if m >= 0 => {
                        let s = crate::money::format(m);
                        match k.as_str() {
                            "baseCost" => bi.base_cost = s,
                            "unitCost" => bi.unit_cost = s,
                            _ => bi.raw_unit_multiplier = s,
                        }
                    }
                    Ok(_) => errs.push(FieldError::new(path, "Must not be negative.")),
                    Err(m) => errs.push(FieldError::new(path, m)),
                },
                "allowance" => match fv.as_i64() {
                    Some(a) if a >= 0 => bi.allowance = a,
                    _ => errs.push(FieldError::new(path, "Enter a whole number ≥ 0.")),
                },
                _ => errs.push(FieldError::new(
                    path,
                    "Unknown field; use baseCost, unitCost, rawUnitMultiplier, allowance.",
                )),
            }
        }
        out.insert(item.clone(), bi);
    }
    if errs.is_empty() { Ok(out) } else { Err(errs) }
}

// ---------------------------------------------------------------------------------------------
// Business hours

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Schedule {
    pub time_zone_id: String,
    #[serde(default)]
    pub inherit: bool,
    #[serde(default)]
    pub force_closed: bool,
    #[serde(default = "open")]
    pub default_state: String,
    #[serde(default)]
    pub rules: Vec<Rule>,
}

fn open() -> String {
    "Open".into()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Frequency {
    None,
    Minutely,
    Hourly,
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum DayOfWeek {
    Sunday,
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScheduleDay {
    #[serde(default)]
    pub offset: i32,
    pub day_of_week: DayOfWeek,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Rule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub frequency: Frequency,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until_date: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub by_day: Vec<ScheduleDay>,
    #[serde(default)]
    pub by_month: Vec<u32>,
    #[serde(default)]
    pub by_month_day: Vec<i32>,
    #[serde(default)]
    pub by_hour: Vec<u32>,
    #[serde(default)]
    pub by_minute: Vec<u32>,
    pub start_date: chrono::NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    #[serde(default)]
    pub is_all_day: bool,
    #[serde(default)]
    pub priority: i32,
    pub state: String,
}

fn parse_hm(s: &str) -> Option<chrono::NaiveTime> {
    chrono::NaiveTime::parse_from_str(s, "%H:%M").or_else(|_| chrono::NaiveTime::parse_from_str(s, "%H:%M:%S")).ok()
}

/// Parses and checks a schedule; every problem is reported with its path.
pub fn parse_schedule(v: &Value) -> Result<Schedule, Vec<FieldError>> {
    let s: Schedule =
        serde_json::from_value(v.clone()).map_err(|e| vec![FieldError::new("schedule", e.to_string())])?;
    let mut errs = Vec::new();
    if s.time_zone_id.parse::<chrono_tz::Tz>().is_err() {
        errs.push(FieldError::new("schedule.timeZoneId", "Unknown time zone; use an IANA name such as Europe/Berlin."));
    }
    let state_ok = |st: &str| !st.trim().is_empty() && st.chars().count() <= 50;
    if !state_ok(&s.default_state) {
        errs.push(FieldError::new("schedule.defaultState", "Give a state name of 1-50 characters."));
    }
    if s.rules.len() > 100 {
        errs.push(FieldError::new("schedule.rules", "At most 100 rules."));
    }
    for (i, r) in s.rules.iter().enumerate() {
        let p = |f: &str| format!("schedule.rules[{i}].{f}");
        if !state_ok(&r.state) {
            errs.push(FieldError::new(p("state"), "Give a state name of 1-50 characters."));
        }
        if r.interval == Some(0) || r.interval.is_some_and(|x| x > 1000) {
            errs.push(FieldError::new(p("interval"), "Between 1 and 1000."));
        }
        if r.count.is_some() && r.until_date.is_some() {
            errs.push(FieldError::new(p("count"), "Use either count or untilDate, not both."));
        }
        if let Some(u) = r.until_date
            && u < r.start_date
        {
            errs.push(FieldError::new(p("untilDate"), "Must not be before startDate."));
        }
        if r.by_month.iter().any(|m| !(1..=12).contains(m)) {
            errs.push(FieldError::new(p("byMonth"), "Months are 1-12."));
        }
        if r.by_month_day.iter().any(|d| *d == 0 || !(-31..=31).contains(d)) {
            errs.push(FieldError::new(p("byMonthDay"), "Days are 1-31 or -31..-1."));
        }
        if r.by_hour.iter().any(|h| *h > 23) {
            errs.push(FieldError::new(p("byHour"), "Hours are 0-23."));
        }
        if r.by_minute.iter().any(|m| *m > 59) {
            errs.push(FieldError::new(p("byMinute"), "Minutes are 0-59."));
        }
        if r.by_day.iter().any(|d| !(-53..=53).contains(&d.offset)) {
            errs.push(FieldError::new(p("byDay"), "Offsets are -53..53."));
        }
        if !r.is_all_day {
            match (r.start_time.as_deref().map(parse_hm), r.end_time.as_deref().map(parse_hm)) {
                (Some(Some(a)), Some(Some(b))) => {
                    if b <= a {
                        errs.push(FieldError::new(p("endTime"), "Must be after startTime."));
                    }
                }
                _ => {
                    errs.push(FieldError::new(p("startTime"), "Give startTime and endTime as HH:MM, or set isAllDay."))
                }
            }
        }
    }
    if errs.is_empty() { Ok(s) } else { Err(errs) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn schedule_validation() {
        let ok = json!({"timeZoneId": "Europe/Berlin", "defaultState": "Closed", "rules": [
            {"frequency": "Weekly", "byDay": [{"offset": 0, "dayOfWeek": "Monday"}], "startDate": "2026-01-01",
             "startTime": "09:00", "endTime": "17:00", "state": "Open", "priority": 1}]});
        assert!(parse_schedule(&ok).is_ok());
        let bad = json!({"timeZoneId": "Mars/Base", "rules": [
            {"frequency": "Weekly", "startDate": "2026-01-01", "startTime": "18:00", "endTime": "09:00", "state": "Open", "byHour": [25]}]});
        let e = parse_schedule(&bad).unwrap_err();
        let fields: Vec<&str> = e.iter().map(|x| x.field.as_str()).collect();
        assert!(fields.contains(&"schedule.timeZoneId"));
        assert!(fields.contains(&"schedule.rules[0].endTime"));
        assert!(fields.contains(&"schedule.rules[0].byHour"));
        assert!(parse_schedule(&json!({"timeZoneId": "UTC", "rules": [{"frequency": "Sometimes"}]})).is_err());
    }

    #[test]
    fn billing_validation() {
        let b = parse_billing(&json!({"base": {"baseCost": "10.5", "allowance": 3}})).unwrap();
        assert_eq!(b["base"].base_cost, "10.500000");
        assert!(parse_billing(&json!({"faxes": {}})).is_err());
        assert!(parse_billing(&json!({"base": {"unitCost": "-1"}})).is_err());
    }
}
