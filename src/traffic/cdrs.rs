//! CDR rows: the keyset-paged list, the streamed CSV export and recordings.

use base64::Engine;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::db::DbConnection;
use crate::db::schema::cdrs;
use crate::error::{AppError, AppResult};
use crate::traffic::Direction;
use crate::traffic::time::rfc3339;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cdrs)]
pub struct Cdr {
    pub id: i64,
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
    pub recording: Option<String>,
    pub recording_size: Option<i64>,
}

/// What a list or export is narrowed to. `customer_id` and `direction` are always set by the
/// server from the session, never from input.
#[derive(Debug, Clone)]
pub struct CdrFilter {
    pub customer_id: i64,
    pub direction: Direction,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub number_prefix: Option<String>,
    pub success: Option<bool>,
    pub min_duration: Option<i32>,
    pub max_duration: Option<i32>,
}

/// Position after the last row shown: rows strictly older come next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub time_start: i64,
    pub id: i64,
}

impl Cursor {
    pub fn encode(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{}.{}", self.time_start, self.id))
    }
    pub fn decode(s: &str) -> Result<Cursor, AppError> {
        let bad = || {
            AppError::BadRequest(
                "cursor is not valid; use the nextCursor you were given".into(),
                vec![crate::error::FieldError::new("cursor", "invalid")],
            )
        };
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(s.trim()).map_err(|_| bad())?;
        let text = String::from_utf8(raw).map_err(|_| bad())?;
        let (t, i) = text.split_once('.').ok_or_else(bad)?;
        Ok(Cursor { time_start: t.parse().map_err(|_| bad())?, id: i.parse().map_err(|_| bad())? })
    }
}

fn escape_like(s: &str) -> String {
    crate::audit::model::escape_like(s)
}

/// Narrows a boxed CDR query to a filter and a keyset position, newest first.
macro_rules! filtered {
    ($q:expr, $f:expr, $cursor:expr) => {{
        let f: &CdrFilter = $f;
        let mut q = $q.filter(cdrs::customer_id.eq(f.customer_id)).filter(cdrs::direction.eq(f.direction.code()));
        if let Some(from) = f.from {
            q = q.filter(cdrs::time_start.ge(from));
        }
        if let Some(to) = f.to {
            q = q.filter(cdrs::time_start.lt(to));
        }
        if let Some(c) = $cursor {
            // `time_start <= t` first: it bounds the index range, so each page starts at the
            // cursor instead of rescanning everything newer.
            q = q
                .filter(cdrs::time_start.le(c.time_start))
                .filter(cdrs::time_start.lt(c.time_start).or(cdrs::id.lt(c.id)));
        }
        if let Some(p) = f.number_prefix.as_deref().filter(|p| !p.is_empty()) {
            let pat = format!("{}%", escape_like(p));
            q = q.filter(cdrs::dst_number.like(pat.clone()).escape('\\').or(cdrs::src_number.like(pat).escape('\\')));
        }
        if let Some(s) = f.success {
            q = q.filter(cdrs::success.eq(s));
        }
        if let Some(d) = f.min_duration {
            q = q.filter(cdrs::duration.ge(d));
        }
        if let Some(d) = f.max_duration {
            q = q.filter(cdrs::duration.le(d));
        }
        q.order((cdrs::time_start.desc(), cdrs::id.desc()))
    }};
}

/// A page of CDRs, newest first, after `cursor`. Uses the (customer, direction, time, id) index.
pub fn list(conn: &mut DbConnection, f: &CdrFilter, cursor: Option<Cursor>, limit: i64) -> AppResult<Vec<Cdr>> {
    let q = cdrs::table.select(Cdr::as_select()).into_boxed();
    Ok(filtered!(q, f, cursor).limit(limit).load(conn)?)
}

/// One CDR of a customer in a direction; anything else is "not found".
pub fn get_of(conn: &mut DbConnection, customer_id: i64, direction: Direction, id: i64) -> AppResult<Cdr> {
    Ok(cdrs::table
        .filter(cdrs::id.eq(id))
        .filter(cdrs::customer_id.eq(customer_id))
        .filter(cdrs::direction.eq(direction.code()))
        .select(Cdr::as_select())
        .first(conn)?)
}

impl Cdr {
    pub fn direction(&self) -> Direction {
        Direction::from_code(self.direction)
    }

    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "externalId": self.external_id,
            "accountId": self.account_id,
            "direction": self.direction().as_str(),
            "timeStart": rfc3339(self.time_start),
            "timeConnect": self.time_connect.map(rfc3339),
            "timeEnd": self.time_end.map(rfc3339),
            "duration": self.duration,
            "billedDuration": self.billed_duration,
            "success": self.success,
            "srcNumber": self.src_number,
            "dstNumber": self.dst_number,
            "destinationPrefix": self.destination_prefix,
            "destinationName": self.destination_name,
            "rate": crate::money::format(self.rate),
            "price": crate::money::format(self.price),
            "disconnectCode": self.disconnect_code,
            "disconnectReason": self.disconnect_reason,
            "hasRecording": self.recording.is_some(),
        })
    }
}

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

/// The columns an export reads (no recording or account fields).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cdrs)]
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
    clock: &mut crate::traffic::time::LocalClock,
    buf: &mut String,
) -> csv::Result<()> {
    use std::fmt::Write;
    let g = crate::csv_safe::guard;
    buf.clear();
    let _ = write!(buf, "{}", c.id);
    w.write_field(buf.as_bytes())?;
    w.write_field(Direction::from_code(c.direction).as_str())?;
    for t in [Some(c.time_start), c.time_connect, c.time_end] {
        buf.clear();
        if let Some(t) = t {
            clock.write(t, buf);
        }
        w.write_field(buf.as_bytes())?;
    }
    buf.clear();
    let _ = write!(buf, "{}", c.duration);
    w.write_field(buf.as_bytes())?;
    buf.clear();
    let _ = write!(buf, "{}", c.billed_duration);
    w.write_field(buf.as_bytes())?;
    w.write_field(if c.success { "true" } else { "false" })?;
    w.write_field(g(&c.src_number).as_bytes())?;
    w.write_field(g(&c.dst_number).as_bytes())?;
    w.write_field(g(&c.destination_prefix).as_bytes())?;
    w.write_field(g(&c.destination_name).as_bytes())?;
    buf.clear();
    write_money(c.rate, buf);
    w.write_field(buf.as_bytes())?;
    buf.clear();
    write_money(c.price, buf);
    w.write_field(buf.as_bytes())?;
    buf.clear();
    if let Some(d) = c.disconnect_code {
        let _ = write!(buf, "{d}");
    }
    w.write_field(buf.as_bytes())?;
    w.write_field(g(&c.disconnect_reason).as_bytes())?;
    w.write_record(None::<&[u8]>)
}

fn export_page(
    conn: &mut DbConnection,
    f: &CdrFilter,
    cursor: Option<Cursor>,
    limit: i64,
) -> AppResult<Vec<ExportRow>> {
    let q = cdrs::table.select(ExportRow::as_select()).into_boxed();
    Ok(filtered!(q, f, cursor).limit(limit).load(conn)?)
}

/// Streams every CDR of a filter as CSV chunks into `send`, newest first, a keyset page at a
/// time, so memory stays flat whatever the size. Stops early when the receiver goes away.
pub fn export(
    conn: &mut DbConnection,
    f: &CdrFilter,
    zone: &str,
    header: bool,
    mut send: impl FnMut(Vec<u8>) -> bool,
) -> AppResult<u64> {
    const CHUNK: i64 = 10_000;
    let mut clock = crate::traffic::time::LocalClock::new(zone);
    let mut buf = String::with_capacity(64);
    let mut w = csv::Writer::from_writer(Vec::with_capacity(2 << 20));
    if header {
        w.write_record(CSV_HEADER).map_err(AppError::internal)?;
    }
    let mut cursor = None;
    let mut n = 0u64;
    loop {
        let rows = export_page(conn, f, cursor, CHUNK)?;
        for c in &rows {
            write_csv_row(&mut w, c, &mut clock, &mut buf).map_err(AppError::internal)?;
        }
        n += rows.len() as u64;
        let out = std::mem::replace(&mut w, csv::Writer::from_writer(Vec::with_capacity(2 << 20)))
            .into_inner()
            .map_err(|e| AppError::internal(anyhow::anyhow!("csv: {e}")))?;
        if !out.is_empty() && !send(out) {
            return Ok(n);
        }
        match rows.last() {
            Some(last) if rows.len() as i64 == CHUNK => {
                cursor = Some(Cursor { time_start: last.time_start, id: last.id })
            }
            _ => return Ok(n),
        }
    }
}

/// Stores a recording for a CDR under a server-chosen file name; returns the file name.
pub fn attach_recording(conn: &mut DbConnection, dir: &std::path::Path, cdr_id: i64, body: &[u8]) -> AppResult<String> {
    let exists: i64 = cdrs::table.filter(cdrs::id.eq(cdr_id)).count().get_result(conn)?;
    if exists == 0 {
        return Err(AppError::NotFound);
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| AppError::internal(anyhow::anyhow!("cannot create {}: {e}", dir.display())))?;
    let name = format!("{cdr_id}-{}.audio", crate::auth::sessions::random_token(9));
    let path = dir.join(&name);
    std::fs::write(&path, body)
        .map_err(|e| AppError::internal(anyhow::anyhow!("cannot write {}: {e}", path.display())))?;
    let old: Option<String> = cdrs::table.find(cdr_id).select(cdrs::recording).first(conn)?;
    diesel::update(cdrs::table.find(cdr_id))
        .set((cdrs::recording.eq(&name), cdrs::recording_size.eq(body.len() as i64)))
        .execute(conn)?;
    if let Some(old) = old.filter(|o| o != &name) {
        let _ = std::fs::remove_file(dir.join(old));
    }
    Ok(name)
}

/// The audio type of a stored recording, from its first bytes.
pub fn sniff_audio(head: &[u8]) -> &'static str {
    if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WAVE") {
        "audio/wav"
    } else if head.starts_with(b"OggS") {
        "audio/ogg"
    } else if head.starts_with(b"ID3") || head.first() == Some(&0xFF) {
        "audio/mpeg"
    } else {
        "application/octet-stream"
    }
}
