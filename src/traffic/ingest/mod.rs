//! CDR ingest (SPEC §8): a JSON array or a CSV body, validated row by row first (errors carry
//! the row number), then inserted all-or-nothing in one transaction, idempotent on
//! `externalId`, with the hourly rollups and per-number counters updated in the same
//! transaction ([`store`]) and one audit row for the batch ([`ingest`]).

mod store;

use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, FieldError};
use crate::traffic::Direction;
use crate::traffic::time::{self, parse_instant};

pub use crate::traffic::cdrs::CdrFields as NewCdr;
pub use store::{IngestResult, store};

pub const MAX_ROWS: usize = 100_000;
/// The earliest start time a CDR may have: 2000-01-01T00:00:00Z, in epoch milliseconds.
pub const EARLIEST_START: i64 = 946_684_800_000;

/// A CDR as the operator's switch sends it (SPEC §8): a JSON object, or a CSV row with these
/// names as header columns. Every field is checked after reading, so that a problem is a 422
/// naming its row and field.
#[derive(Debug, Default, Clone, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = CdrRow)]
pub struct CdrIn {
    /// The switch's id of the call: required, unique; a known id is skipped (idempotent).
    #[schema(required = true, min_length = 1, max_length = 200)]
    pub external_id: Option<String>,
    /// The account billed (`accountId` or `customerId` is required).
    pub account_id: Option<i64>,
    /// The customer; alone, it means the customer's first account.
    pub customer_id: Option<i64>,
    #[schema(required = true, value_type = Option<Direction>)]
    pub direction: Option<String>,
    /// RFC 3339 (`2026-05-01T10:15:00Z`), or `YYYY-MM-DD HH:MM:SS` in UTC.
    #[schema(required = true, format = DateTime, example = "2026-05-01T10:15:00Z")]
    pub time_start: Option<String>,
    #[schema(format = DateTime)]
    pub time_connect: Option<String>,
    #[schema(format = DateTime)]
    pub time_end: Option<String>,
    /// Whole seconds (default: from timeConnect to timeEnd).
    #[schema(minimum = 0, maximum = 2147483647)]
    pub duration: Option<i64>,
    /// Whole seconds (default: the duration).
    #[schema(minimum = 0, maximum = 2147483647)]
    pub billed_duration: Option<i64>,
    /// Answered (default: a duration above zero).
    pub success: Option<bool>,
    #[schema(max_length = 64)]
    pub src_number: Option<String>,
    #[schema(max_length = 64)]
    pub dst_number: Option<String>,
    #[schema(max_length = 32)]
    pub destination_prefix: Option<String>,
    #[schema(max_length = 200)]
    pub destination_name: Option<String>,
    /// A decimal string (`"0.012300"`), per minute.
    #[schema(example = "0.012300")]
    pub rate: Option<String>,
    /// A decimal string (`"0.024600"`).
    #[schema(example = "0.024600")]
    pub price: Option<String>,
    #[schema(minimum = -2147483648, maximum = 2147483647)]
    pub disconnect_code: Option<i64>,
    #[schema(max_length = 200)]
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

/// Reads CSV with a header row of the API's field names. The body is text as far as the API's
/// schema goes, so what is wrong inside it — an unknown column, a cell of the wrong type — is
/// answered 422, naming the column or the row and field.
pub fn from_csv(body: &[u8]) -> AppResult<Vec<CdrIn>> {
    let mut r = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(body);
    let headers =
        r.headers().map_err(|e| AppError::field("body", format!("The CSV header cannot be read: {e}")))?.clone();
    for h in headers.iter() {
        if !FIELDS.contains(&h) {
            return Err(AppError::Unprocessable(
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
    AppError::Unprocessable(format!("Row {row}, field `{field}`: {msg}."), vec![row_err(row, &field, msg)])
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
    // A call from before 2000 or more than two days ahead is a clock or parsing fault, not
    // traffic; refusing it also keeps one bad row from creating a partition per month between.
    if let Some(t) = time_start
        && !(EARLIEST_START..=time::now_ms() + 2 * 86_400_000).contains(&t)
    {
        e.push(row_err(row, "timeStart", "must be between 2000-01-01 and two days from now"));
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
    if errs.is_empty() { Ok(out) } else { Err(refuse(errs)) }
}

/// A refused batch: the first problem in the message, every problem (up to 20) in the details.
fn refuse(errs: Vec<FieldError>) -> AppError {
    let first = &errs[0];
    let message = format!("The batch was refused: {} {}. Nothing was stored.", first.field, first.message);
    AppError::Unprocessable(message, errs)
}

/// Ingests a batch of CDRs (`POST /api/v1/cdrs`): every row is validated first, then the new
/// ones are stored with their rollups and the batch is audited (`ingest.cdrs`), in one
/// transaction. A refused batch stores nothing; re-sent external ids change nothing.
pub fn ingest(c: &mut DbConnection, actor: &Actor, raw: &[CdrIn]) -> AppResult<IngestResult> {
    let parsed = parse_all(raw)?;
    write_tx(c, |c| {
        let r = store(c, parsed)?;
        let diff = json!({ "received": r.received, "inserted": r.inserted, "duplicates": r.duplicates });
        audit::record(c, actor, "ingest.cdrs", "cdr", None, Some(diff))?;
        Ok(r)
    })
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::db::schema::{cdr_hourly, cdrs};
    use crate::db::testing::{audit_rows, each_backend};
    use crate::traffic::fixtures::{cdr_row, customer_with_account};

    fn stored(c: &mut DbConnection) -> i64 {
        cdrs::table.count().get_result(c).unwrap()
    }

    #[test]
    fn a_bad_row_refuses_the_whole_batch_naming_its_row() {
        each_backend(|c| {
            let (_, account) = customer_with_account(c, "Acme");
            let mut rows: Vec<CdrIn> = (0..5).map(|i| cdr_row(account, &format!("x-{i}"))).collect();
            rows[3].time_start = Some("yesterday".into());
            let e = ingest(c, &Actor::system(), &rows).unwrap_err();
            assert_eq!(e.details()[0].field, "rows[4].timeStart");
            // A start far outside any real traffic (a broken clock) is refused the same way.
            for absurd in ["1970-01-01T00:00:00Z", "2999-01-01T00:00:00Z"] {
                rows[3].time_start = Some(absurd.into());
                let e = ingest(c, &Actor::system(), &rows).unwrap_err();
                assert_eq!(e.details()[0].field, "rows[4].timeStart", "{absurd}");
            }
            // A row that only the database can refuse (an unknown account) is refused whole too.
            rows[3] = cdr_row(999_999, "x-3");
            let e = ingest(c, &Actor::system(), &rows).unwrap_err();
            assert_eq!(e.details()[0].field, "rows[4].accountId");
            assert_eq!(stored(c), 0, "nothing stored");
            assert!(audit_rows(c, "ingest.cdrs").is_empty(), "nothing audited");
        });
    }

    #[test]
    fn a_resent_batch_changes_nothing_and_each_batch_is_audited() {
        each_backend(|c| {
            let (_, account) = customer_with_account(c, "Acme");
            let rows: Vec<CdrIn> = (0..3).map(|i| cdr_row(account, &format!("y-{i}"))).collect();
            let first = ingest(c, &Actor::system(), &rows).unwrap();
            assert_eq!(first, IngestResult { received: 3, inserted: 3, duplicates: 0 });
            let again = ingest(c, &Actor::system(), &rows).unwrap();
            assert_eq!(again, IngestResult { received: 3, inserted: 0, duplicates: 3 });
            assert_eq!(stored(c), 3);
            let calls: Vec<i64> = cdr_hourly::table.select(cdr_hourly::total_calls).load(c).unwrap();
            assert_eq!(calls.iter().sum::<i64>(), 3, "rollups count each CDR once");
            let audit = audit_rows(c, "ingest.cdrs");
            assert_eq!(audit.len(), 2);
            assert_eq!(audit[0].1, Some(json!({"received": 3, "inserted": 3, "duplicates": 0})));
            assert_eq!(audit[1].1, Some(json!({"received": 3, "inserted": 0, "duplicates": 3})));
        });
    }

    #[test]
    fn a_partly_known_batch_stores_the_new_rows_with_their_rollups() {
        each_backend(|c| {
            let (_, account) = customer_with_account(c, "Acme");
            let first: Vec<CdrIn> = (0..3).map(|i| cdr_row(account, &format!("p-{i}"))).collect();
            ingest(c, &Actor::system(), &first).unwrap();
            // Two known ids, two new ones, one new one twice in the batch.
            let ids = ["p-1", "q-1", "p-2", "q-2", "q-1"];
            let rows: Vec<CdrIn> = ids.iter().map(|id| cdr_row(account, id)).collect();
            let r = ingest(c, &Actor::system(), &rows).unwrap();
            assert_eq!(r, IngestResult { received: 5, inserted: 2, duplicates: 3 });
            let mut stored: Vec<String> = cdrs::table.select(cdrs::external_id).load(c).unwrap();
            stored.sort();
            assert_eq!(stored, ["p-0", "p-1", "p-2", "q-1", "q-2"]);
            let calls: Vec<i64> = cdr_hourly::table.select(cdr_hourly::total_calls).load(c).unwrap();
            assert_eq!(calls.iter().sum::<i64>(), 5, "rollups count each stored CDR once");
        });
    }

    /// PostgreSQL streams a batch straight into `cdrs` after a look at three of its keys (the
    /// smallest, the largest, the middle row): a known id elsewhere in the batch makes that
    /// stream fail, and the batch is stored again through the claiming path.
    #[test]
    fn a_known_id_among_new_ones_is_skipped_wherever_it_is() {
        each_backend(|c| {
            let (_, account) = customer_with_account(c, "Acme");
            ingest(c, &Actor::system(), &[cdr_row(account, "m-2")]).unwrap();
            let rows: Vec<CdrIn> = (0..9).map(|i| cdr_row(account, &format!("m-{i}"))).collect();
            let r = ingest(c, &Actor::system(), &rows).unwrap();
            assert_eq!(r, IngestResult { received: 9, inserted: 8, duplicates: 1 });
            let mut ids: Vec<(i64, String)> = cdrs::table.select((cdrs::id, cdrs::external_id)).load(c).unwrap();
            ids.sort();
            ids.dedup_by_key(|i| i.0);
            assert_eq!(ids.len(), 9, "nine CDRs, each with an id of its own");
            let calls: Vec<i64> = cdr_hourly::table.select(cdr_hourly::total_calls).load(c).unwrap();
            assert_eq!(calls.iter().sum::<i64>(), 9, "rollups count each stored CDR once");
            // The batch is then known whole: sent again, it adds nothing.
            let again = ingest(c, &Actor::system(), &rows).unwrap();
            assert_eq!(again, IngestResult { received: 9, inserted: 0, duplicates: 9 });
            assert_eq!(stored(c), 9);
        });
    }

    #[test]
    fn traffic_goes_with_its_account_and_its_customer() {
        use crate::customers::accounts::delete_account;
        each_backend(|c| {
            let (acme, a1) = customer_with_account(c, "Acme");
            let (other_customer, other) = customer_with_account(c, "Other");
            let rows: Vec<CdrIn> =
                (0..4).map(|i| cdr_row(a1, &format!("a-{i}"))).chain([cdr_row(other, "o-1")]).collect();
            ingest(c, &Actor::system(), &rows).unwrap();
            delete_account(c, &Actor::system(), Some(acme), a1).unwrap();
            let left: Vec<i64> = cdrs::table.select(cdrs::account_id).load(c).unwrap();
            assert_eq!(left, [other], "the account's CDRs went with it");
            let hourly: Vec<i64> = cdr_hourly::table.select(cdr_hourly::account_id).load(c).unwrap();
            assert_eq!(hourly, [other], "and its rollups");
            crate::customers::commands::delete(c, &Actor::system(), other_customer).unwrap();
            assert_eq!(stored(c), 0, "a deleted customer's accounts take their traffic along");
            assert_eq!(cdr_hourly::table.count().get_result::<i64>(c).unwrap(), 0);
        });
    }

    #[test]
    fn csv_rows_are_read_by_their_header() {
        let body = b"externalId,accountId,direction,timeStart\nc-1,5,incoming,2026-05-01T10:00:00Z\n";
        let rows = from_csv(body).unwrap();
        assert_eq!((rows[0].account_id, rows[0].direction.as_deref()), (Some(5), Some("incoming")));
        let e = from_csv(b"externalId,acountId\nc-1,5\n").unwrap_err();
        assert_eq!(e.details()[0].field, "columns.acountId");
    }
}
