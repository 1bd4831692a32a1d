//! The active-calls snapshot: the switch PUTs every current call; the portal lists them. The
//! snapshot is replaced whole, many times a minute: it is not audited.

use diesel::prelude::*;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::db::schema::{accounts, active_calls};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, FieldError};
use crate::traffic::Direction;
use crate::traffic::cdrs::Cursor;
use crate::traffic::time::{parse_instant, rfc3339};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = active_calls, treat_none_as_null = true)]
pub struct ActiveCall {
    #[diesel(skip_insertion)]
    pub id: i64,
    /// The switch's id of the call.
    pub external_id: String,
    pub customer_id: i64,
    pub account_id: i64,
    /// [`Direction::code`].
    pub direction: i16,
    /// Epoch milliseconds: the call started, and was answered (if it was).
    pub time_start: i64,
    pub time_connect: Option<i64>,
    pub src_number: String,
    pub dst_number: String,
    pub destination_name: String,
    /// Micro-units per minute.
    pub rate: i64,
}

/// A call in progress, as the switch reports it in its snapshot.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = ActiveCallRow)]
pub struct ActiveIn {
    #[schema(min_length = 1, max_length = 200)]
    pub external_id: String,
    pub account_id: i64,
    #[schema(value_type = Direction)]
    pub direction: String,
    /// RFC 3339 (`2026-05-01T10:15:00Z`), or `YYYY-MM-DD HH:MM:SS` in UTC.
    #[schema(format = DateTime, example = "2026-05-01T10:15:00Z")]
    pub time_start: String,
    #[serde(default)]
    #[schema(format = DateTime)]
    pub time_connect: Option<String>,
    /// Longer numbers and names are cut to 64 and 200 characters.
    #[serde(default)]
    pub src_number: String,
    #[serde(default)]
    pub dst_number: String,
    #[serde(default)]
    pub destination_name: String,
    /// A decimal string per minute (`"0.012300"`).
    #[serde(default)]
    #[schema(example = "0.012300")]
    pub rate: Option<String>,
}

impl ActiveCall {
    /// The position after this row.
    pub fn cursor(&self) -> Cursor {
        Cursor::after(self.time_start, self.id)
    }

    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "externalId": self.external_id,
            "accountId": self.account_id,
            "direction": Direction::from_code(self.direction).as_str(),
            "timeStart": rfc3339(self.time_start),
            "timeConnect": self.time_connect.map(rfc3339),
            "srcNumber": self.src_number,
            "dstNumber": self.dst_number,
            "destinationName": self.destination_name,
            "rate": crate::money::format(self.rate),
        })
    }
}

/// Replaces the whole snapshot, in one transaction: a refused snapshot (row-numbered problems)
/// leaves the previous one, and of snapshots pushed at once one whole one is left, never a mix. Returns how many calls it holds.
pub fn replace_snapshot(conn: &mut DbConnection, calls: Vec<ActiveIn>) -> AppResult<usize> {
    write_tx(conn, |c| store_snapshot(c, calls))
}

fn store_snapshot(conn: &mut DbConnection, calls: Vec<ActiveIn>) -> AppResult<usize> {
    let mut rows = Vec::with_capacity(calls.len());
    let mut errs = Vec::new();
    let mut owners = std::collections::HashMap::new();
    for (i, c) in calls.into_iter().enumerate() {
        let row = i + 1;
        let p = |f: &str| format!("rows[{row}].{f}");
        let dir = Direction::parse(&c.direction);
        if dir.is_none() {
            errs.push(FieldError::new(p("direction"), "outgoing or incoming"));
        }
        let start = parse_instant(&c.time_start).map_err(|m| errs.push(FieldError::new(p("timeStart"), m))).ok();
        let connect = match c.time_connect.as_deref() {
            Some(t) => parse_instant(t).map_err(|m| errs.push(FieldError::new(p("timeConnect"), m))).ok(),
            None => None,
        };
        let rate = match c.rate.as_deref() {
            Some(r) => crate::money::parse(r).map_err(|m| errs.push(FieldError::new(p("rate"), m))).unwrap_or(0),
            None => 0,
        };
        let owner = match owners.get(&c.account_id) {
            Some(o) => *o,
            None => {
                let o: Option<i64> =
                    accounts::table.find(c.account_id).select(accounts::customer_id).first(conn).optional()?;
                owners.insert(c.account_id, o);
                o
            }
        };
        if owner.is_none() {
            errs.push(FieldError::new(p("accountId"), format!("there is no account {}", c.account_id)));
        }
        if c.external_id.trim().is_empty() || c.external_id.len() > 200 {
            errs.push(FieldError::new(p("externalId"), "1 to 200 characters"));
        }
        if errs.len() >= 20 {
            break;
        }
        if let (Some(d), Some(s), Some(o)) = (dir, start, owner) {
            rows.push(ActiveCall {
                id: 0,
                external_id: c.external_id,
                customer_id: o,
                account_id: c.account_id,
                direction: d.code(),
                time_start: s,
                time_connect: connect,
                src_number: c.src_number.chars().take(64).collect(),
                dst_number: c.dst_number.chars().take(64).collect(),
                destination_name: c.destination_name.chars().take(200).collect(),
                rate,
            });
        }
    }
    if !errs.is_empty() {
        return Err(AppError::Unprocessable(
            format!("The snapshot was refused: {} {}", errs[0].field, errs[0].message),
            errs,
        ));
    }
    // Snapshots pushed at once replace each other whole. On PostgreSQL one waits for the other
    // (lists still read meanwhile), so its delete sees the rows the first one stored; SQLite's
    // write transactions already run one at a time.
    if let DbConnection::Postgresql(pg) = conn {
        diesel::sql_query("LOCK TABLE active_calls IN SHARE ROW EXCLUSIVE MODE").execute(pg)?;
    }
    diesel::delete(active_calls::table).execute(conn)?;
    for chunk in rows.chunks(1000) {
        crate::with_conn!(conn, |c| diesel::insert_into(active_calls::table).values(chunk).execute(c))?;
    }
    Ok(rows.len())
}

/// How many calls the customer has in progress.
pub fn count(conn: &mut DbConnection, customer: i64) -> AppResult<i64> {
    Ok(active_calls::table.filter(active_calls::customer_id.eq(customer)).count().get_result(conn)?)
}

/// The customer's current calls, newest first, after `cursor`.
pub fn list(conn: &mut DbConnection, customer: i64, after: Option<Cursor>, limit: i64) -> AppResult<Vec<ActiveCall>> {
    let mut q =
        active_calls::table.filter(active_calls::customer_id.eq(customer)).select(ActiveCall::as_select()).into_boxed();
    if let Some(Cursor { time_start: t, id }) = after {
        q = q.filter(active_calls::time_start.le(t)).filter(active_calls::time_start.lt(t).or(active_calls::id.lt(id)));
    }
    Ok(q.order((active_calls::time_start.desc(), active_calls::id.desc())).limit(limit).load(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::each_backend;
    use crate::traffic::fixtures::customer_with_account;

    fn call(account: i64, external_id: &str, direction: &str) -> ActiveIn {
        ActiveIn {
            external_id: external_id.into(),
            account_id: account,
            direction: direction.into(),
            time_start: "2026-05-01T10:00:00Z".into(),
            time_connect: None,
            src_number: String::new(),
            dst_number: "4930123".into(),
            destination_name: String::new(),
            rate: Some("0.010000".into()),
        }
    }

    #[test]
    fn a_snapshot_replaces_the_last_and_a_refused_one_changes_nothing() {
        each_backend(|c| {
            let (customer, a) = customer_with_account(c, "Acme");
            assert_eq!(replace_snapshot(c, vec![call(a, "x", "outgoing"), call(a, "y", "incoming")]).unwrap(), 2);
            let e = replace_snapshot(c, vec![call(a, "z", "outgoing"), call(a, "w", "sideways")]).unwrap_err();
            assert_eq!(e.details()[0].field, "rows[2].direction");
            assert_eq!(count(c, customer).unwrap(), 2, "the previous snapshot stays");
            assert_eq!(replace_snapshot(c, vec![call(a, "z", "outgoing")]).unwrap(), 1);
            let now = list(c, customer, None, 10).unwrap();
            assert_eq!(now.iter().map(|x| x.external_id.as_str()).collect::<Vec<_>>(), vec!["z"]);
        });
    }
}
