//! What the portal pages and the API ask of traffic, read from query strings: the CDR filter
//! (`from`, `to`, number prefix, success, duration bounds, keyset cursor) and the statistics
//! period. Plain dates mean midnight in the viewer's time zone; problems are 400s naming the
//! parameter.

use serde::Deserialize;

use crate::error::{AppError, AppResult, FieldError};
use crate::traffic::Direction;
use crate::traffic::cdrs::{CdrFilter, Cursor};
use crate::traffic::stats::Sampling;
use crate::traffic::time;

/// The CDR filters of the pages, the fragment, the exports and the API.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CdrQuery {
    /// Dates (`2026-05-01`), RFC 3339 times or `datetime-local` values.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Digits, optionally with a leading `+`.
    pub number: Option<String>,
    /// `yes`, `no` or `any` (also `true`/`false`, `1`/`0`).
    pub success: Option<String>,
    /// Whole seconds.
    pub min_duration: Option<String>,
    pub max_duration: Option<String>,
    /// The position after the last row shown.
    pub cursor: Option<String>,
}

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn refused(e: Vec<FieldError>) -> AppError {
    AppError::BadRequest(format!("{}: {}", e[0].field, e[0].message), e)
}

fn bad(message: impl Into<String>, field: &str, detail: impl Into<String>) -> AppError {
    AppError::BadRequest(message.into(), vec![FieldError::new(field, detail)])
}

impl CdrQuery {
    /// The filter of a customer's CDRs in one direction (the server's, never the query's).
    pub fn filter(&self, customer: i64, direction: Direction, zone: &str) -> AppResult<CdrFilter> {
        let mut e = Vec::new();
        let bound = |field: &str, v: &Option<String>, e: &mut Vec<FieldError>| {
            blank(v).and_then(|s| time::parse_bound(s, zone).map_err(|m| e.push(FieldError::new(field, m))).ok())
        };
        let from = bound("from", &self.from, &mut e);
        let to = bound("to", &self.to, &mut e);
        let secs = |field: &str, v: &Option<String>, e: &mut Vec<FieldError>| {
            blank(v).and_then(|s| match s.parse::<i32>() {
                Ok(n) if n >= 0 => Some(n),
                _ => {
                    e.push(FieldError::new(field, "whole seconds ≥ 0"));
                    None
                }
            })
        };
        let min_duration = secs("min_duration", &self.min_duration, &mut e);
        let max_duration = secs("max_duration", &self.max_duration, &mut e);
        let success = match blank(&self.success) {
            None | Some("any") => None,
            Some("yes" | "true" | "1") => Some(true),
            Some("no" | "false" | "0") => Some(false),
            Some(_) => {
                e.push(FieldError::new("success", "yes, no or any"));
                None
            }
        };
        let number_prefix = blank(&self.number).map(|n| n.trim_start_matches('+').to_string());
        if number_prefix.as_ref().is_some_and(|n| n.len() > 32 || !n.chars().all(|c| c.is_ascii_digit())) {
            e.push(FieldError::new("number", "digits only (a number or its beginning)"));
        }
        if !e.is_empty() {
            return Err(refused(e));
        }
        Ok(CdrFilter { customer_id: customer, direction, from, to, number_prefix, success, min_duration, max_duration })
    }

    pub fn cursor(&self) -> AppResult<Option<Cursor>> {
        blank(&self.cursor).map(Cursor::decode).transpose()
    }

    /// The filter as a query string (without the cursor).
    pub fn query_string(&self) -> String {
        let mut pairs = Vec::new();
        for (k, v) in [
            ("from", &self.from),
            ("to", &self.to),
            ("number", &self.number),
            ("success", &self.success),
            ("min_duration", &self.min_duration),
            ("max_duration", &self.max_duration),
        ] {
            if let Some(v) = blank(v) {
                pairs.push((k, v.to_string()));
            }
        }
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }
}

/// The period of a statistics view.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StatsQuery {
    pub from: Option<String>,
    pub to: Option<String>,
    pub sampling: Option<String>,
}

/// A statistics period: `[from, to)` in epoch ms, and its buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: i64,
    pub to: i64,
    pub sampling: Sampling,
}

impl StatsQuery {
    /// The period and sampling; a month of days up to today by default (two days of hours).
    pub fn resolve(&self, zone: &str) -> AppResult<Period> {
        let sampling = match blank(&self.sampling) {
            None => Sampling::Day,
            Some(s) => {
                Sampling::parse(s).ok_or_else(|| bad("sampling must be hour or day", "sampling", "hour or day"))?
            }
        };
        let bound = |field: &str, v: &Option<String>| {
            blank(v).map(|s| time::parse_bound(s, zone).map_err(|m| bad(m.clone(), field, m))).transpose()
        };
        let today = time::local_date(time::now_ms(), zone);
        let to = match bound("to", &self.to)? {
            Some(t) => t,
            None => time::local_midnight(today.succ_opt().unwrap_or(today), zone),
        };
        let from = match bound("from", &self.from)? {
            Some(f) => f,
            None => match sampling {
                Sampling::Day => time::local_midnight(today - chrono::Duration::days(29), zone),
                Sampling::Hour => to - 48 * 3_600_000,
            },
        };
        if to <= from {
            return Err(AppError::field("to", "to must be after from")); // a rule across two parameters: 422
        }
        Ok(Period { from, to, sampling })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_name_the_refused_parameter() {
        let q = CdrQuery { from: Some("2026-07-01".into()), success: Some("yes".into()), ..Default::default() };
        let f = q.filter(3, Direction::Outgoing, "Europe/Berlin").unwrap();
        assert_eq!(f.from, Some(time::parse_bound("2026-07-01", "Europe/Berlin").unwrap()));
        assert_eq!((f.customer_id, f.success), (3, Some(true)));
        assert!(!f.whole_hours(), "a success filter cannot be counted from the rollups");
        let bad = CdrQuery { number: Some("12a".into()), ..Default::default() };
        match bad.filter(3, Direction::Outgoing, "UTC") {
            Err(AppError::BadRequest(_, d)) => assert_eq!(d[0].field, "number"),
            other => panic!("{other:?}"),
        }
        let q = StatsQuery { sampling: Some("minute".into()), ..Default::default() };
        assert!(matches!(q.resolve("UTC"), Err(AppError::BadRequest(..))));
        // Two well-formed bounds that do not fit together: 422, naming `to`.
        let q = StatsQuery { from: Some("2026-03-04".into()), to: Some("2026-03-01".into()), sampling: None };
        assert!(matches!(q.resolve("UTC"), Err(AppError::Unprocessable(_, d)) if d[0].field == "to"));
    }
}
