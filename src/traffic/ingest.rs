//! CDR ingest (SPEC §8): a JSON array or a CSV body, validated row by row first (errors carry
//! the row number), then inserted all-or-nothing in one transaction, idempotent on
//! `externalId`, with the hourly rollups and per-number counters updated in the same
//! transaction.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;
use serde_json::Value;

use crate::db::DbConnection;
use crate::db::schema::{accounts, cdr_hourly, cdrs, number_daily, numbers};
use crate::error::{AppError, AppResult, FieldError};
use crate::traffic::time::parse_instant;
use crate::traffic::{Direction, INCOMING};

pub const MAX_ROWS: usize = 100_000;

/// A CDR as received, before validation. Field names are the API's.
#[derive(Debug, Default, Clone)]
pub struct RawCdr {
    pub fields: Vec<(String, String)>,
}

pub const FIELDS: [&str; 18] = [
    "externalId",
    "accountId",
    "customerId",
    "direction",
    "timeStart",
    "timeConnect",
    "timeEnd",
    "duration",
    "billedDuration",
    "success",
    "srcNumber",
    "dstNumber",
    "destinationPrefix",
    "destinationName",
    "rate",
    "price",
    "disconnectCode",
    "disconnectReason",
];

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = cdrs)]
pub struct NewCdr {
    pub external_id: String,
    pub customer_id: i64,
    pub account_id: i64,
    pub direction: i16,
    pub time_start: i64,
    pub time_connect: Option<i64>,
    pub time_end: Option<i64>,
    pub duration: i32,
    pub billed_duration: i32,
    pub success: bool,
    pub src_number: String,
    pub dst_number: String,
    pub destination_prefix: String,
    pub destination_name: String,
    pub rate: i64,
    pub price: i64,
    pub disconnect_code: Option<i32>,
    pub disconnect_reason: String,
}

/// A row before its account is resolved.
#[derive(Debug, Clone)]
pub struct ParsedCdr {
    pub row: usize,
    pub account_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub cdr: NewCdr,
}

fn row_err(row: usize, field: &str, msg: impl Into<String>) -> FieldError {
    FieldError::new(format!("rows[{row}].{field}"), msg.into())
}

/// Reads a JSON array of objects into raw rows (values as text).
pub fn from_json(body: &[u8]) -> AppResult<Vec<RawCdr>> {
    let v: Value = serde_json::from_slice(body).map_err(|e| {
        AppError::BadRequest(format!("The body is not valid JSON: {e}"), vec![FieldError::new("body", e.to_string())])
    })?;
    let Value::Array(items) = v else {
        return Err(AppError::BadRequest(
            "Expected a JSON array of CDR objects.".into(),
            vec![FieldError::new("body", "expected an array")],
        ));
    };
    if items.len() > MAX_ROWS {
        return Err(AppError::PayloadTooLarge);
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let row = i + 1;
        let Value::Object(map) = item else {
            return Err(AppError::BadRequest(
                format!("Row {row} is not a JSON object."),
                vec![FieldError::new(format!("rows[{row}]"), "expected an object")],
            ));
        };
        let mut fields = Vec::with_capacity(map.len());
        for (k, v) in map {
            if !FIELDS.contains(&k.as_str()) {
                return Err(AppError::BadRequest(
                    format!("Row {row}: unknown field `{k}`."),
                    vec![row_err(row, &k, "unknown field")],
                ));
            }
            let text = match v {
                Value::Null => continue,
                Value::String(s) => s,
                Value::Bool(b) => b.to_string(),
                Value::Number(n) if matches!(k.as_str(), "rate" | "price") => {
                    return Err(AppError::BadRequest(
                        format!("Row {row}: `{k}` must be a decimal string such as \"0.012300\", not the number {n}."),
                        vec![row_err(row, &k, "expected a decimal string")],
                    ));
                }
                Value::Number(n) => n.to_string(),
                _ => {
                    return Err(AppError::BadRequest(
                        format!("Row {row}: `{k}` has the wrong type."),
                        vec![row_err(row, &k, "wrong type")],
                    ));
                }
            };
            fields.push((k, text));
        }
        out.push(RawCdr { fields });
    }
    Ok(out)
}

/// Reads CSV with a header row of the API's field names.
pub fn from_csv(body: &[u8]) -> AppResult<Vec<RawCdr>> {
    let mut r = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(body);
    let headers =
        r.headers().map_err(|e| AppError::bad_request(format!("The CSV header cannot be read: {e}")))?.clone();
    for h in headers.iter() {
        if !FIELDS.contains(&h) {
            return Err(AppError::BadRequest(
                format!("Unknown CSV column `{h}`."),
                vec![FieldError::new(format!("columns.{h}"), "unknown column")],
            ));
        }
    }
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let row = i + 1;
        let rec = rec.map_err(|e| {
            AppError::BadRequest(
                format!("Row {row}: {e}"),
                vec![FieldError::new(format!("rows[{row}]"), e.to_string())],
            )
        })?;
        if out.len() >= MAX_ROWS {
            return Err(AppError::PayloadTooLarge);
        }
        let fields = headers
            .iter()
            .zip(rec.iter())
            .filter(|(_, v)| !v.is_empty())
            .map(|(h, v)| (h.to_string(), v.to_string()))
            .collect();
        out.push(RawCdr { fields });
    }
    Ok(out)
}

fn get<'a>(r: &'a RawCdr, k: &str) -> Option<&'a str> {
    r.fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.as_str())
}

fn text(r: &RawCdr, row: usize, k: &str, max: usize, errs: &mut Vec<FieldError>) -> String {
    let v = get(r, k).unwrap_or("").trim().to_string();
    if v.chars().count() > max {
        errs.push(row_err(row, k, format!("at most {max} characters")));
    }
    v
}

/// Validates one raw row.
pub fn parse_row(r: &RawCdr, row: usize) -> Result<ParsedCdr, Vec<FieldError>> {
    let mut e = Vec::new();
    let int = |k: &str, e: &mut Vec<FieldError>| -> Option<i64> {
        get(r, k).map(|v| match v.trim().parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                e.push(row_err(row, k, format!("`{v}` is not a whole number")));
                None
            }
        })?
    };
    let external_id = text(r, row, "externalId", 200, &mut e);
    if external_id.is_empty() {
        e.push(row_err(row, "externalId", "required"));
    }
    let account_id = int("accountId", &mut e);
    let customer_id = int("customerId", &mut e);
    if account_id.is_none() && customer_id.is_none() && !e.iter().any(|x| x.field.ends_with("Id")) {
        e.push(row_err(row, "accountId", "accountId or customerId is required"));
    }
    let direction = match get(r, "direction").map(str::trim) {
        Some(d) => match Direction::parse(d) {
            Some(d) => d,
            None => {
                e.push(row_err(row, "direction", format!("`{d}` is not outgoing or incoming")));
                Direction::Outgoing
            }
        },
        None => {
            e.push(row_err(row, "direction", "required (outgoing or incoming)"));
            Direction::Outgoing
        }
    };
    let time = |k: &str, e: &mut Vec<FieldError>| -> Option<i64> {
        get(r, k).and_then(|v| match parse_instant(v) {
            Ok(t) => Some(t),
            Err(m) => {
                e.push(row_err(row, k, m));
                None
            }
        })
    };
    let time_start = time("timeStart", &mut e);
    if get(r, "timeStart").is_none() {
        e.push(row_err(row, "timeStart", "required"));
    }
    let time_connect = time("timeConnect", &mut e);
    let time_end = time("timeEnd", &mut e);
    if let (Some(s), Some(end)) = (time_start, time_end)
        && end < s
    {
        e.push(row_err(row, "timeEnd", "before timeStart"));
    }
    let secs = |k: &str, e: &mut Vec<FieldError>| -> Option<i32> {
        int(k, e).and_then(|n| {
            if (0..=i32::MAX as i64).contains(&n) {
                Some(n as i32)
            } else {
                e.push(row_err(row, k, "whole seconds ≥ 0"));
                None
            }
        })
    };
    let duration = secs("duration", &mut e).or_else(|| match (time_connect, time_end) {
        (Some(c), Some(end)) if end >= c => Some(((end - c) / 1000) as i32),
        _ => None,
    });
    let duration = duration.unwrap_or(0);
    let billed_duration = secs("billedDuration", &mut e).unwrap_or(duration);
    let success = match get(r, "success").map(|s| s.trim().to_ascii_lowercase()) {
        None => duration > 0,
        Some(s) => match s.as_str() {
            "true" | "1" | "yes" => true,
            "false" | "0" | "no" => false,
            other => {
                e.push(row_err(row, "success", format!("`{other}` is not true or false")));
                false
            }
        },
    };
    let money = |k: &str, e: &mut Vec<FieldError>| -> i64 {
        match get(r, k) {
            None => 0,
            Some(v) => crate::money::parse(v).unwrap_or_else(|m| {
                e.push(row_err(row, k, m));
                0
            }),
        }
    };
    let rate = money("rate", &mut e);
    let price = money("price", &mut e);
    let disconnect_code = int("disconnectCode", &mut e).and_then(|c| i32::try_from(c).ok());
    let cdr = NewCdr {
        external_id,
        customer_id: customer_id.unwrap_or(0),
        account_id: account_id.unwrap_or(0),
        direction: direction.code(),
        time_start: time_start.unwrap_or(0),
        time_connect,
        time_end,
        duration,
        billed_duration,
        success,
        src_number: text(r, row, "srcNumber", 64, &mut e),
        dst_number: text(r, row, "dstNumber", 64, &mut e),
        destination_prefix: text(r, row, "destinationPrefix", 32, &mut e),
        destination_name: text(r, row, "destinationName", 200, &mut e),
        rate,
        price,
        disconnect_code,
        disconnect_reason: text(r, row, "disconnectReason", 200, &mut e),
    };
    if e.is_empty() { Ok(ParsedCdr { row, account_id, customer_id, cdr }) } else { Err(e) }
}

/// Validates every row; the first problems (up to 20) are reported together, with row numbers.
pub fn parse_all(raw: &[RawCdr]) -> AppResult<Vec<ParsedCdr>> {
    let mut out = Vec::with_capacity(raw.len());
    let mut errs = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        match parse_row(r, i + 1) {
            Ok(p) => out.push(p),
            Err(e) => {
                errs.extend(e);
                if errs.len() >= 20 {
                    break;
                }
            }
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        let first = errs[0].clone();
        Err(AppError::Unprocessable(
            format!("The batch was refused: {} {}. Nothing was stored.", first.field, first.message),
            errs,
        ))
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IngestResult {
    pub received: usize,
    pub inserted: usize,
    pub duplicates: usize,
}

/// Resolves accounts, drops known external ids and inserts the rest with their rollups.
/// Call inside a transaction: any error refuses the whole batch.
pub fn store(conn: &mut DbConnection, rows: Vec<ParsedCdr>) -> AppResult<IngestResult> {
    let received = rows.len();
    // Account → customer, and customer → first account.
    let mut by_account: HashMap<i64, i64> = HashMap::new();
    let mut first_account: HashMap<i64, Option<i64>> = HashMap::new();
    let mut errs = Vec::new();
    let mut resolved = Vec::with_capacity(rows.len());
    for mut p in rows {
        match (p.account_id, p.customer_id) {
            (Some(a), c) => {
                let owner = match by_account.get(&a) {
                    Some(o) => Some(*o),
                    None => {
                        let o: Option<i64> =
                            accounts::table.find(a).select(accounts::customer_id).first(conn).optional()?;
                        if let Some(o) = o {
                            by_account.insert(a, o);
                        }
                        o
                    }
                };
                match owner {
                    None => errs.push(row_err(p.row, "accountId", format!("there is no account {a}"))),
                    Some(o) if c.is_some_and(|c| c != o) => {
                        errs.push(row_err(p.row, "customerId", format!("account {a} belongs to customer {o}")))
                    }
                    Some(o) => {
                        p.cdr.account_id = a;
                        p.cdr.customer_id = o;
                    }
                }
            }
            (None, Some(c)) => {
                let acc = match first_account.get(&c) {
                    Some(a) => *a,
                    None => {
                        let a: Option<i64> = accounts::table
                            .filter(accounts::customer_id.eq(c))
                            .order(accounts::id.asc())
                            .select(accounts::id)
                            .first(conn)
                            .optional()?;
                        first_account.insert(c, a);
                        a
                    }
                };
                match acc {
                    None => errs.push(row_err(
                        p.row,
                        "customerId",
                        format!("customer {c} does not exist or has no account"),
                    )),
                    Some(a) => {
                        p.cdr.account_id = a;
                        p.cdr.customer_id = c;
                    }
                }
            }
            (None, None) => errs.push(row_err(p.row, "accountId", "accountId or customerId is required")),
        }
        if errs.len() >= 20 {
            break;
        }
        resolved.push(p.cdr);
    }
    if !errs.is_empty() {
        let first = errs[0].clone();
        return Err(AppError::Unprocessable(
            format!("The batch was refused: {} {}. Nothing was stored.", first.field, first.message),
            errs,
        ));
    }
    // Idempotency: drop external ids already stored, and repeats within the batch.
    let mut seen: HashSet<String> = HashSet::with_capacity(resolved.len());
    let mut fresh = Vec::with_capacity(resolved.len());
    for chunk in resolved.chunks(900) {
        let ids: Vec<&str> = chunk.iter().map(|c| c.external_id.as_str()).collect();
        let known: HashSet<String> = cdrs::table
            .filter(cdrs::external_id.eq_any(&ids))
            .select(cdrs::external_id)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        for c in chunk {
            if !known.contains(&c.external_id) && seen.insert(c.external_id.clone()) {
                fresh.push(c.clone());
            }
        }
    }
    insert_rows(conn, &fresh)?;
    update_rollups(conn, &fresh)?;
    Ok(IngestResult { received, inserted: fresh.len(), duplicates: received - fresh.len() })
}

fn insert_rows(conn: &mut DbConnection, rows: &[NewCdr]) -> AppResult<()> {
    // 18 columns: stay well below SQLite's bound-parameter limit.
    for chunk in rows.chunks(1000) {
        crate::with_conn!(conn, |c| diesel::insert_into(cdrs::table).values(chunk).execute(c))?;
    }
    Ok(())
}

#[derive(Default, Clone, Copy)]
struct Agg {
    total: i64,
    ok: i64,
    duration: i64,
    ok_duration: i64,
    billed: i64,
    price: i64,
}

fn update_rollups(conn: &mut DbConnection, rows: &[NewCdr]) -> AppResult<()> {
    let mut hourly: HashMap<(i64, i16, i64, i64), Agg> = HashMap::new();
    for c in rows {
        let hour = c.time_start.div_euclid(3_600_000) * 3600;
        let a = hourly.entry((c.customer_id, c.direction, hour, c.account_id)).or_default();
        a.total += 1;
        a.duration += i64::from(c.duration);
        a.billed += i64::from(c.billed_duration);
        a.price += c.price;
        if c.success {
            a.ok += 1;
            a.ok_duration += i64::from(c.duration);
        }
    }
    let values: Vec<_> = hourly
        .into_iter()
        .map(|((customer, direction, hour, account), a)| {
            (
                cdr_hourly::customer_id.eq(customer),
                cdr_hourly::direction.eq(direction),
                cdr_hourly::hour.eq(hour),
                cdr_hourly::account_id.eq(account),
                cdr_hourly::total_calls.eq(a.total),
                cdr_hourly::successful_calls.eq(a.ok),
                cdr_hourly::total_duration.eq(a.duration),
                cdr_hourly::success_duration.eq(a.ok_duration),
                cdr_hourly::billed_duration.eq(a.billed),
                cdr_hourly::total_price.eq(a.price),
            )
        })
        .collect();
    for chunk in values.chunks(500) {
        use diesel::upsert::excluded;
        crate::with_conn!(conn, |c| diesel::insert_into(cdr_hourly::table)
            .values(chunk)
            .on_conflict((cdr_hourly::customer_id, cdr_hourly::direction, cdr_hourly::hour, cdr_hourly::account_id))
            .do_update()
            .set((
                cdr_hourly::total_calls.eq(cdr_hourly::total_calls + excluded(cdr_hourly::total_calls)),
                cdr_hourly::successful_calls.eq(cdr_hourly::successful_calls + excluded(cdr_hourly::successful_calls)),
                cdr_hourly::total_duration.eq(cdr_hourly::total_duration + excluded(cdr_hourly::total_duration)),
                cdr_hourly::success_duration.eq(cdr_hourly::success_duration + excluded(cdr_hourly::success_duration)),
                cdr_hourly::billed_duration.eq(cdr_hourly::billed_duration + excluded(cdr_hourly::billed_duration)),
                cdr_hourly::total_price.eq(cdr_hourly::total_price + excluded(cdr_hourly::total_price)),
            ))
            .execute(c))?;
    }
    // Calls to the customer's own numbers (campaign tracking), per UTC day.
    let incoming: Vec<&NewCdr> = rows.iter().filter(|c| c.direction == INCOMING).collect();
    if incoming.is_empty() {
        return Ok(());
    }
    let mut wanted: Vec<&str> = incoming.iter().map(|c| c.dst_number.as_str()).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut owned: HashMap<(i64, String), i64> = HashMap::new();
    for chunk in wanted.chunks(900) {
        let found: Vec<(i64, i64, String)> = numbers::table
            .filter(numbers::number.eq_any(chunk))
            .select((numbers::id, numbers::customer_id, numbers::number))
            .load(conn)?;
        for (id, customer, number) in found {
            owned.insert((customer, number), id);
        }
    }
    if owned.is_empty() {
        return Ok(());
    }
    let mut daily: HashMap<(i64, i64), (i64, i64)> = HashMap::new();
    for c in incoming {
        if let Some(nid) = owned.get(&(c.customer_id, c.dst_number.clone())) {
            let day = c.time_start.div_euclid(86_400_000) * 86_400;
            let e = daily.entry((*nid, day)).or_default();
            e.0 += 1;
            if c.success {
                e.1 += 1;
            }
        }
    }
    let values: Vec<_> = daily
        .into_iter()
        .map(|((nid, day), (calls, ok))| {
            (
                number_daily::number_id.eq(nid),
                number_daily::day.eq(day),
                number_daily::calls.eq(calls),
                number_daily::successful_calls.eq(ok),
            )
        })
        .collect();
    for chunk in values.chunks(500) {
        use diesel::upsert::excluded;
        crate::with_conn!(conn, |c| diesel::insert_into(number_daily::table)
            .values(chunk)
            .on_conflict((number_daily::number_id, number_daily::day))
            .do_update()
            .set((
                number_daily::calls.eq(number_daily::calls + excluded(number_daily::calls)),
                number_daily::successful_calls
                    .eq(number_daily::successful_calls + excluded(number_daily::successful_calls)),
            ))
            .execute(c))?;
    }
    Ok(())
}
