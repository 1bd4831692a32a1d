//! CDR rows and the keyset-paged reads of them (lists, exports).

use base64::Engine;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::db::DbConnection;
use crate::db::schema::cdrs;
use crate::error::{AppError, AppResult};
use crate::traffic::Direction;
use crate::traffic::time::rfc3339;

/// What a call record says about a call: the columns ingest writes, and lists and exports read.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cdrs)]
pub struct CdrFields {
    /// The switch's id of the call (unique: ingest is idempotent on it).
    pub external_id: String,
    pub customer_id: i64,
    pub account_id: i64,
    /// [`Direction::code`].
    pub direction: i16,
    /// Epoch milliseconds (UTC): start, answer (none for a failed call), end.
    pub time_start: i64,
    pub time_connect: Option<i64>,
    pub time_end: Option<i64>,
    /// Whole seconds talked, and billed.
    pub duration: i32,
    pub billed_duration: i32,
    pub success: bool,
    pub src_number: String,
    pub dst_number: String,
    /// The rated destination (prefix of the rate deck and its name).
    pub destination_prefix: String,
    pub destination_name: String,
    /// Micro-units: per minute, and for the call.
    pub rate: i64,
    pub price: i64,
    /// The switch's cause of the hang-up (e.g. Q.850 16, "Normal call clearing").
    pub disconnect_code: Option<i32>,
    pub disconnect_reason: String,
}

/// A stored CDR: its fields, its id and its recording.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cdrs)]
pub struct Cdr {
    pub id: i64,
    #[diesel(embed)]
    pub call: CdrFields,
    pub recording: Option<String>,
    pub recording_size: Option<i64>,
}

impl std::ops::Deref for Cdr {
    type Target = CdrFields;
    fn deref(&self) -> &CdrFields {
        &self.call
    }
}

/// What a list or export is narrowed to. `customer_id` and `direction` are always set by the
/// server from the session, never from input.
#[derive(Debug, Clone)]
pub struct CdrFilter {
    pub customer_id: i64,
    pub direction: Direction,
    /// Start times in `[from, to)`, epoch ms.
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// Digits the source or destination number starts with.
    pub number_prefix: Option<String>,
    pub success: Option<bool>,
    /// Duration bounds in seconds, both inclusive.
    pub min_duration: Option<i32>,
    pub max_duration: Option<i32>,
}

impl CdrFilter {
    /// Every call of a customer in a direction within `[from, to)` (epoch ms).
    pub fn period(customer_id: i64, direction: Direction, from: i64, to: i64) -> CdrFilter {
        CdrFilter {
            customer_id,
            direction,
            from: Some(from),
            to: Some(to),
            number_prefix: None,
            success: None,
            min_duration: None,
            max_duration: None,
        }
    }

    /// Only a time range, on whole hours: the hourly rollups can count its rows.
    pub fn whole_hours(&self) -> bool {
        let on_hour = |t: Option<i64>| t.is_none_or(|t| t % 3_600_000 == 0);
        let narrowed = self.number_prefix.is_some()
            || self.success.is_some()
            || self.min_duration.is_some()
            || self.max_duration.is_some();
        !narrowed && on_hour(self.from) && on_hour(self.to)
    }
}

/// Position after the last row shown: rows strictly older come next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub time_start: i64,
    pub id: i64,
}

impl Cursor {
    /// The position after a row.
    pub fn after(time_start: i64, id: i64) -> Cursor {
        Cursor { time_start, id }
    }
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

type Db = <DbConnection as diesel::Connection>::Backend;

/// The query of a CDR list or export page (see [`list`]).
pub type ListQuery<'a> =
    diesel::dsl::IntoBoxed<'a, diesel::dsl::Select<cdrs::table, diesel::dsl::AsSelect<Cdr, Db>>, Db>;

/// A page of CDRs, newest first, after `cursor`. Uses the (customer, direction, time, id) index;
/// on PostgreSQL the time range (and the cursor's bound) lets the planner read only the
/// months' partitions it touches.
pub fn list(conn: &mut DbConnection, f: &CdrFilter, cursor: Option<Cursor>, limit: i64) -> AppResult<Vec<Cdr>> {
    Ok(list_query(f, cursor, limit).load(conn)?)
}

/// The query [`list`] runs.
pub fn list_query<'a>(f: &CdrFilter, cursor: Option<Cursor>, limit: i64) -> ListQuery<'a> {
    let mut q = cdrs::table
        .select(Cdr::as_select())
        .into_boxed()
        .filter(cdrs::customer_id.eq(f.customer_id))
        .filter(cdrs::direction.eq(f.direction.code()));
    if let Some(from) = f.from {
        q = q.filter(cdrs::time_start.ge(from));
    }
    if let Some(to) = f.to {
        q = q.filter(cdrs::time_start.lt(to));
    }
    if let Some(c) = cursor {
        // `time_start <= t` first: it bounds the index range, so each page starts at the
        // cursor instead of rescanning everything newer.
        q = q.filter(cdrs::time_start.le(c.time_start)).filter(cdrs::time_start.lt(c.time_start).or(cdrs::id.lt(c.id)));
    }
    if let Some(p) = f.number_prefix.as_deref().filter(|p| !p.is_empty()) {
        let pat = format!("{}%", crate::audit::model::escape_like(p));
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
    q.order((cdrs::time_start.desc(), cdrs::id.desc())).limit(limit)
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
        Direction::from_code(self.call.direction)
    }

    /// The position after this row.
    pub fn cursor(&self) -> Cursor {
        Cursor::after(self.time_start, self.id)
    }

    /// Where a listener fetches the recording, if there is one.
    pub fn recording_url(&self) -> Option<String> {
        self.recording.as_ref().map(|_| format!("/portal/cdrs/{}/{}/recording", self.direction().as_str(), self.id))
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
