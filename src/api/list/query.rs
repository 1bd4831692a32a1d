//! Parsing a list request: the standard parameters in both spellings, the list's filters,
//! clear 400s naming what is wrong.

use actix_web::HttpRequest;
use chrono::{NaiveDateTime, TimeZone};

use super::{
    DEFAULT_COUNT_PER_PAGE, FilterKind, FilterValue, Format, ListQuery, ListSpec, MAX_COUNT_PER_PAGE, MAX_PAGE,
    STANDARD, pascal,
};
use crate::error::{AppError, AppResult, FieldError};
use crate::http::Ctx;

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
        let mut q = ListQuery::from_query(req.query_string(), spec, ctx.tz(), ctx.csv)?;
        q.user = Some(ctx.user.id);
        Ok(q)
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
        Ok(ListQuery {
            page,
            count_per_page,
            all,
            specific_ids,
            sort_field,
            ascending,
            simplified,
            format,
            values,
            user: None,
        })
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
}
