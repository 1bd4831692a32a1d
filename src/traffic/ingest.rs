//! CDR ingest (SPEC §8): a JSON array or a CSV body, validated row by row first (errors carry
//! the row number), then inserted all-or-nothing in one transaction, idempotent on
//! `externalId`, with the hourly rollups and per-number counters updated in the same
//! transaction.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{accounts, cdr_hourly, cdrs, number_daily, numbers};
use crate::error::{AppError, AppResult, FieldError};
use crate::traffic::time::parse_instant;
use crate::traffic::{Direction, INCOMING};

pub const MAX_ROWS: usize = 100_000;

/// A CDR as received (JSON object or CSV row), before validation. Field names are the API's.
#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CdrIn {
    pub external_id: Option<String>,
    pub account_id: Option<i64>,
    pub customer_id: Option<i64>,
    pub direction: Option<String>,
    pub time_start: Option<String>,
    pub time_connect: Option<String>,
    pub time_end: Option<String>,
    pub duration: Option<i64>,
    pub billed_duration: Option<i64>,
    pub success: Option<bool>,
    pub src_number: Option<String>,
    pub dst_number: Option<String>,
    pub destination_prefix: Option<String>,
    pub destination_name: Option<String>,
    pub rate: Option<String>,
    pub price: Option<String>,
    pub disconnect_code: Option<i64>,
    pub disconnect_reason: Option<String>,
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

#[derive(Debug, Clone)]
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

/// Reads a JSON array of objects; a type error names its row and field.
pub fn from_json(body: &[u8]) -> AppResult<Vec<CdrIn>> {
    let items: Vec<&serde_json::value::RawValue> = serde_json::from_slice(body).map_err(|e| {
        AppError::BadRequest(
            format!("The body is not a JSON array of CDR objects: {e}"),
            vec![FieldError::new("body", e.to_string())],
        )
    })?;
    if items.len() > MAX_ROWS {
        return Err(AppError::PayloadTooLarge);
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, raw)| {
            let row = i + 1;
            let de = &mut serde_json::Deserializer::from_str(raw.get());
            serde_path_to_error::deserialize::<_, CdrIn>(de).map_err(|e| {
                let field = e.path().to_string();
                let msg = e.inner().to_string();
                let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
                let hint = if matches!(field.as_str(), "rate" | "price") {
                    " (use a decimal string such as \"0.012300\")"
                } else {
                    ""
                };
                AppError::BadRequest(
                    format!("Row {row}, field `{field}`: {msg}{hint}."),
                    vec![row_err(row, if field == "." { "" } else { &field }, msg)],
                )
            })
        })
        .collect()
}

/// Reads CSV with a header row of the API's field names.
pub fn from_csv(body: &[u8]) -> AppResult<Vec<CdrIn>> {
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
    for (i, rec) in r.deserialize::<CdrIn>().enumerate() {
        let row = i + 1;
        if out.len() >= MAX_ROWS {
            return Err(AppError::PayloadTooLarge);
        }
        out.push(rec.map_err(|e| csv_error(&headers, row, e))?);
    }
    Ok(out)
}

pub fn csv_error(headers: &csv::StringRecord, row: usize, e: csv::Error) -> AppError {
    let field = match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => {
            err.field().and_then(|f| headers.get(f as usize)).unwrap_or("").to_string()
        }
        _ => String::new(),
    };
    let msg = match e.kind() {
        csv::ErrorKind::Deserialize { err, .. } => err.kind().to_string(),
        other => format!("{other:?}"),
    };
    AppError::BadRequest(format!("Row {row}, field `{field}`: {msg}."), vec![row_err(row, &field, msg)])
}

fn text(v: &Option<String>, row: usize, k: &str, max: usize, errs: &mut Vec<FieldError>) -> String {
    let v = v.as_deref().unwrap_or("").trim();
    if v.chars().count() > max {
        errs.push(row_err(row, k, format!("at most {max} characters")));
    }
    v.to_string()
}

/// Validates one row.
pub fn parse_row(r: &CdrIn, row: usize) -> Result<ParsedCdr, Vec<FieldError>> {
    let mut e = Vec::new();
    let external_id = text(&r.external_id, row, "externalId", 200, &mut e);
    if external_id.is_empty() {
        e.push(row_err(row, "externalId", "required"));
    }
    if r.account_id.is_none() && r.customer_id.is_none() {
        e.push(row_err(row, "accountId", "accountId or customerId is required"));
    }
    let direction = match r.direction.as_deref().map(str::trim) {
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
    let time = |k: &str, v: &Option<String>, e: &mut Vec<FieldError>| -> Option<i64> {
        v.as_deref().and_then(|v| match parse_instant(v) {
            Ok(t) => Some(t),
            Err(m) => {
                e.push(row_err(row, k, m));
                None
            }
        })
    };
    let time_start = time("timeStart", &r.time_start, &mut e);
    if r.time_start.is_none() {
        e.push(row_err(row, "timeStart", "required"));
    }
    let time_connect = time("timeConnect", &r.time_connect, &mut e);
    let time_end = time("timeEnd", &r.time_end, &mut e);
    if let (Some(s), Some(end)) = (time_start, time_end)
        && end < s
    {
        e.push(row_err(row, "timeEnd", "before timeStart"));
    }
    let secs = |k: &str, v: Option<i64>, e: &mut Vec<FieldError>| -> Option<i32> {
        v.and_then(|n| {
            if (0..=i64::from(i32::MAX)).contains(&n) {
                Some(n as i32)
            } else {
                e.push(row_err(row, k, "whole seconds ≥ 0"));
                None
            }
        })
    };
    let duration = secs("duration", r.duration, &mut e).or_else(|| match (time_connect, time_end) {
        (Some(c), Some(end)) if end >= c => Some(((end - c) / 1000) as i32),
        _ => None,
    });
    let duration = duration.unwrap_or(0);
    let billed_duration = secs("billedDuration", r.billed_duration, &mut e).unwrap_or(duration);
    let success = r.success.unwrap_or(duration > 0);
    let money = |k: &str, v: &Option<String>, e: &mut Vec<FieldError>| -> i64 {
        match v {
            None => 0,
            Some(v) => crate::money::parse(v).unwrap_or_else(|m| {
                e.push(row_err(row, k, m));
                0
            }),
        }
    };
    let rate = money("rate", &r.rate, &mut e);
    let price = money("price", &r.price, &mut e);
    let disconnect_code = match r.disconnect_code {
        Some(c) => match i32::try_from(c) {
            Ok(c) => Some(c),
            Err(_) => {
                e.push(row_err(row, "disconnectCode", "out of range"));
                None
            }
        },
        None => None,
    };
    let cdr = NewCdr {
        external_id,
        customer_id: r.customer_id.unwrap_or(0),
        account_id: r.account_id.unwrap_or(0),
        direction: direction.code(),
        time_start: time_start.unwrap_or(0),
        time_connect,
        time_end,
        duration,
        billed_duration,
        success,
        src_number: text(&r.src_number, row, "srcNumber", 64, &mut e),
        dst_number: text(&r.dst_number, row, "dstNumber", 64, &mut e),
        destination_prefix: text(&r.destination_prefix, row, "destinationPrefix", 32, &mut e),
        destination_name: text(&r.destination_name, row, "destinationName", 200, &mut e),
        rate,
        price,
        disconnect_code,
        disconnect_reason: text(&r.disconnect_reason, row, "disconnectReason", 200, &mut e),
    };
    if e.is_empty() { Ok(ParsedCdr { row, account_id: r.account_id, customer_id: r.customer_id, cdr }) } else { Err(e) }
}

/// Validates every row; the first problems (up to 20) are reported together, with row numbers.
pub fn parse_all(raw: &[CdrIn]) -> AppResult<Vec<ParsedCdr>> {
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
    // Inserting into the indexes of a big table touches pages all over them: give SQLite's
    // page cache room for this batch, and hand the memory back afterwards.
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    if sqlite {
        diesel::sql_query("PRAGMA cache_size = -262144").execute(conn)?;
    }
    let result = store_rows(conn, rows);
    if sqlite {
        diesel::sql_query("PRAGMA cache_size = -2000").execute(conn)?;
        diesel::sql_query("PRAGMA shrink_memory").execute(conn)?;
    }
    result
}

fn store_rows(conn: &mut DbConnection, rows: Vec<ParsedCdr>) -> AppResult<IngestResult> {
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
    // Idempotency: repeats within the batch are dropped here, ids already stored by the
    // database (ON CONFLICT DO NOTHING); RETURNING says which rows are new, and only those
    // reach the rollups.
    let mut seen: HashSet<&str> = HashSet::with_capacity(resolved.len());
    let unique: Vec<&NewCdr> = resolved.iter().filter(|c| seen.insert(c.external_id.as_str())).collect();
    let mut fresh: Vec<NewCdr> = Vec::with_capacity(unique.len());
    for chunk in unique.chunks(1000) {
        let rows: Vec<NewCdr> = chunk.iter().map(|c| (*c).clone()).collect();
        // Plain column tuples (not the derived Insertable, whose values are "defaultable"):
        // SQLite then gets one multi-row INSERT instead of one statement per row.
        let values: Vec<_> = rows.iter().map(tuple).collect();
        let inserted: Vec<String> = crate::with_conn!(conn, |c| diesel::insert_into(cdrs::table)
            .values(&values)
            .on_conflict(cdrs::external_id)
            .do_nothing()
            .returning(cdrs::external_id)
            .get_results::<String>(c))?;
        if inserted.len() == rows.len() {
            fresh.extend(rows);
        } else {
            let new: HashSet<String> = inserted.into_iter().collect();
            fresh.extend(rows.into_iter().filter(|r| new.contains(&r.external_id)));
        }
    }
    update_rollups(conn, &fresh)?;
    Ok(IngestResult { received, inserted: fresh.len(), duplicates: received - fresh.len() })
}

#[allow(clippy::type_complexity)]
fn tuple(
    r: &NewCdr,
) -> (
    diesel::dsl::Eq<cdrs::external_id, &String>,
    diesel::dsl::Eq<cdrs::customer_id, i64>,
    diesel::dsl::Eq<cdrs::account_id, i64>,
    diesel::dsl::Eq<cdrs::direction, i16>,
    diesel::dsl::Eq<cdrs::time_start, i64>,
    diesel::dsl::Eq<cdrs::time_connect, Option<i64>>,
    diesel::dsl::Eq<cdrs::time_end, Option<i64>>,
    diesel::dsl::Eq<cdrs::duration, i32>,
    diesel::dsl::Eq<cdrs::billed_duration, i32>,
    diesel::dsl::Eq<cdrs::success, bool>,
    diesel::dsl::Eq<cdrs::src_number, &String>,
    diesel::dsl::Eq<cdrs::dst_number, &String>,
    diesel::dsl::Eq<cdrs::destination_prefix, &String>,
    diesel::dsl::Eq<cdrs::destination_name, &String>,
    diesel::dsl::Eq<cdrs::rate, i64>,
    diesel::dsl::Eq<cdrs::price, i64>,
    diesel::dsl::Eq<cdrs::disconnect_code, Option<i32>>,
    diesel::dsl::Eq<cdrs::disconnect_reason, &String>,
) {
    (
        cdrs::external_id.eq(&r.external_id),
        cdrs::customer_id.eq(r.customer_id),
        cdrs::account_id.eq(r.account_id),
        cdrs::direction.eq(r.direction),
        cdrs::time_start.eq(r.time_start),
        cdrs::time_connect.eq(r.time_connect),
        cdrs::time_end.eq(r.time_end),
        cdrs::duration.eq(r.duration),
        cdrs::billed_duration.eq(r.billed_duration),
        cdrs::success.eq(r.success),
        cdrs::src_number.eq(&r.src_number),
        cdrs::dst_number.eq(&r.dst_number),
        cdrs::destination_prefix.eq(&r.destination_prefix),
        cdrs::destination_name.eq(&r.destination_name),
        cdrs::rate.eq(r.rate),
        cdrs::price.eq(r.price),
        cdrs::disconnect_code.eq(r.disconnect_code),
        cdrs::disconnect_reason.eq(&r.disconnect_reason),
    )
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
