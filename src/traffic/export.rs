//! CDR exports (SPEC §5 `outgoing_cdr_exports`, daily reports): every row of a filter as CSV,
//! streamed a keyset page at a time so memory stays flat, and the audit row each download
//! writes (SPEC §9).

use std::sync::Arc;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Actor};
use crate::db::replica::Replica;
use crate::db::schema::cdrs as cdr_columns;
use crate::db::{DbConnection, Pool, write_tx};
use crate::error::{AppError, AppResult};
use crate::traffic::Direction;
use crate::traffic::cdrs::{self, CdrFilter};
use crate::traffic::time::LocalClock;

pub const CSV_HEADER: [&str; 16] = [
    "id",
    "direction",
    "time_start",
    "time_connect",
    "time_end",
    "duration",
    "billed_duration",
    "success",
    "src_number",
    "dst_number",
    "destination_prefix",
    "destination_name",
    "rate",
    "price",
    "disconnect_code",
    "disconnect_reason",
];

/// The columns of one exported CDR: the CSV's, and nothing else (no external id, account or
/// recording), so the database sends and the portal decodes no more than the file holds.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cdr_columns)]
pub struct ExportRow {
    pub id: i64,
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

/// A chunk of an export: the CDRs of a filter after `cursor`, newest first (the order and
/// filter of [`cdrs::list`], with the export's columns).
pub fn read_chunk(
    conn: &mut DbConnection,
    f: &CdrFilter,
    cursor: Option<cdrs::Cursor>,
    limit: i64,
) -> AppResult<Vec<ExportRow>> {
    Ok(cdrs::list_query(f, cursor, limit).select(ExportRow::as_select()).load(conn)?)
}

/// Rows read from the database per chunk of an export.
const CHUNK: i64 = 10_000;

/// What a person downloads, as the audit log names it.
#[derive(Debug, Clone)]
pub enum Download {
    /// CDRs of a filter (its query string), from the portal page or the API.
    Cdrs { filter: String, api: bool },
    /// One day's CSV report.
    DailyReport(NaiveDate),
}

/// Records that the actor downloads the customer's CDRs (`export.cdrs`, `export.daily_report`).
pub fn record(c: &mut DbConnection, actor: &Actor, customer_id: i64, what: &Download) -> AppResult<()> {
    let (action, diff) = match what {
        Download::Cdrs { filter, api: false } => ("export.cdrs", json!({ "filter": filter })),
        Download::Cdrs { filter, api: true } => ("export.cdrs", json!({ "filter": filter, "via": "api" })),
        Download::DailyReport(day) => ("export.daily_report", json!({ "day": day.to_string() })),
    };
    write_tx(c, |c| audit::record(c, actor, action, "customer", Some(customer_id.to_string()), Some(diff)))
}

fn write_money(v: i64, out: &mut String) {
    use std::fmt::Write;
    let sign = if v < 0 { "-" } else { "" };
    let a = v.unsigned_abs();
    let _ = write!(out, "{sign}{}.{:06}", a / 1_000_000, a % 1_000_000);
}

/// Appends one CDR as a CSV record (times in the viewer's zone, formula cells guarded).
fn write_csv_row(
    w: &mut csv::Writer<Vec<u8>>,
    c: &ExportRow,
    clock: &mut LocalClock,
    buf: &mut String,
) -> csv::Result<()> {
    use std::fmt::Write;
    let g = crate::csv_safe::guard;
    let number = |w: &mut csv::Writer<Vec<u8>>, n: Option<i64>, buf: &mut String| {
        buf.clear();
        if let Some(n) = n {
            let _ = write!(buf, "{n}");
        }
        w.write_field(buf.as_bytes())
    };
    number(w, Some(c.id), buf)?;
    w.write_field(Direction::from_code(c.direction).as_str())?;
    for t in [Some(c.time_start), c.time_connect, c.time_end] {
        buf.clear();
        if let Some(t) = t {
            clock.write(t, buf);
        }
        w.write_field(buf.as_bytes())?;
    }
    number(w, Some(i64::from(c.duration)), buf)?;
    number(w, Some(i64::from(c.billed_duration)), buf)?;
    w.write_field(if c.success { "true" } else { "false" })?;
    for text in [&c.src_number, &c.dst_number, &c.destination_prefix, &c.destination_name] {
        w.write_field(g(text).as_bytes())?;
    }
    for money in [c.rate, c.price] {
        buf.clear();
        write_money(money, buf);
        w.write_field(buf.as_bytes())?;
    }
    number(w, c.disconnect_code.map(i64::from), buf)?;
    w.write_field(g(&c.disconnect_reason).as_bytes())?;
    w.write_record(None::<&[u8]>)
}

/// Writes every CDR of a filter as CSV chunks into `send`, newest first, a keyset page at a
/// time; each page is read by `read` (which takes a connection for just that page), on a
/// thread of its own one page ahead, so the database reads the next page while this one is
/// formatted. Stops early when `send` says the receiver went away. Returns the rows written.
pub fn export(
    read: impl FnMut(&CdrFilter, Option<cdrs::Cursor>, i64) -> AppResult<Vec<ExportRow>> + Send,
    f: &CdrFilter,
    zone: &str,
    header: bool,
    mut send: impl FnMut(Vec<u8>) -> bool,
) -> AppResult<u64> {
    let mut clock = LocalClock::new(zone);
    let mut buf = String::with_capacity(64);
    let fresh = || csv::Writer::from_writer(Vec::with_capacity(2 << 20));
    let mut w = fresh();
    if header {
        w.write_record(CSV_HEADER).map_err(AppError::internal)?;
    }
    std::thread::scope(|s| {
        // One page waits while the next is read: memory stays at a few pages.
        let (pages, next_page) = std::sync::mpsc::sync_channel::<AppResult<Vec<ExportRow>>>(1);
        s.spawn(move || {
            let mut read = read;
            let mut cursor = None;
            loop {
                let page = read(f, cursor, CHUNK);
                cursor = match &page {
                    Ok(rows) if rows.len() as i64 == CHUNK => {
                        rows.last().map(|r| cdrs::Cursor::after(r.time_start, r.id))
                    }
                    _ => None,
                };
                // The receiver is gone (the client went away) or this was the last page.
                if pages.send(page).is_err() || cursor.is_none() {
                    return;
                }
            }
        });
        let mut n = 0u64;
        for page in next_page {
            let rows = page?;
            for c in &rows {
                write_csv_row(&mut w, c, &mut clock, &mut buf).map_err(AppError::internal)?;
            }
            n += rows.len() as u64;
            let out = std::mem::replace(&mut w, fresh())
                .into_inner()
                .map_err(|e| AppError::internal(anyhow::anyhow!("csv: {e}")))?;
            if !out.is_empty() && !send(out) {
                return Ok(n);
            }
        }
        Ok(n)
    })
}

/// The CSV of every filter in turn (one header), produced on a blocking thread and handed over
/// through a two-chunk channel (the next chunk is read while one is sent): the caller streams it. Each chunk's rows are read with a
/// connection taken for just that chunk — the read replica's when there is one that answers,
/// else the primary's — and given back before the chunk waits for the client (SPEC §12), so a
/// slow reader holds no connection. A chunk the replica fails to read is read on the primary.
pub fn stream(
    pool: Pool,
    replica: Option<Arc<Replica>>,
    filters: Vec<CdrFilter>,
    zone: String,
) -> impl futures_util::Stream<Item = Result<Vec<u8>, std::io::Error>> + 'static {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(2);
    tokio::task::spawn_blocking(move || {
        if filters.is_empty() {
            let _ = tx.blocking_send(Ok(format!("{}\n", CSV_HEADER.join(",")).into_bytes()));
        }
        let read = |f: &CdrFilter, cursor: Option<cdrs::Cursor>, limit| {
            let (mut conn, on_replica) = crate::db::replica::checkout(&pool, replica.as_ref())?;
            match read_chunk(&mut conn, f, cursor, limit) {
                Err(AppError::Unavailable(_)) if on_replica => {
                    if let Some(r) = &replica {
                        r.rest();
                    }
                    drop(conn);
                    let mut conn = pool.get().map_err(AppError::from_pool)?;
                    read_chunk(&mut conn, f, cursor, limit)
                }
                other => other,
            }
        };
        for (i, filter) in filters.iter().enumerate() {
            if let Err(e) = export(read, filter, &zone, i == 0, |chunk| tx.blocking_send(Ok(chunk)).is_ok()) {
                tracing::error!(error = %e, "export failed midway");
                // The body ends in an error: the client sees a broken download, not a short one.
                let _ = tx.blocking_send(Err(std::io::Error::other("export failed")));
                return;
            }
        }
    });
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|chunk| (chunk, rx)) })
}

/// The file name of a CDR download: `outgoing-cdrs-2026-05-01.csv`.
pub fn file_name(direction: Direction, today: NaiveDate) -> String {
    format!("{}-cdrs-{today}.csv", direction.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{audit_rows, each_backend};

    #[test]
    fn downloads_are_audited_with_their_filter() {
        each_backend(|c| {
            let actor = Actor::system();
            record(c, &actor, 7, &Download::Cdrs { filter: "success=yes".into(), api: true }).unwrap();
            let day = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
            record(c, &actor, 7, &Download::DailyReport(day)).unwrap();
            let rows = audit_rows(c, "export.cdrs");
            assert_eq!(rows, vec![(Some("7".into()), Some(json!({"filter": "success=yes", "via": "api"})))]);
            assert_eq!(audit_rows(c, "export.daily_report")[0].1, Some(json!({"day": "2026-05-01"})));
        });
    }
}
