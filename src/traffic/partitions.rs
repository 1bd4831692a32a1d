//! Monthly partitions of `cdrs` on PostgreSQL (SPEC §13): one table per calendar month (UTC)
//! of `time_start`, named `cdrs_YYYY_MM`. There is no default partition, so partitions are
//! created ahead of the data — for the current and the next month by `migrate`, `serve` and the
//! daily run, and for the months of each batch by ingest — and every row has its month's
//! table. SQLite keeps one plain table: everything here is a no-op there.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::db::DbConnection;
use crate::error::AppResult;

/// A calendar month in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    /// Months since year 0: `year * 12 + (month - 1)`.
    index: i64,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Month {
        Month { index: i64::from(year) * 12 + i64::from(month.clamp(1, 12)) - 1 }
    }

    /// The month an instant (epoch ms) falls in.
    pub fn of(ms: i64) -> Month {
        let d = crate::traffic::time::utc(ms);
        Month::new(d.year(), d.month())
    }

    pub fn year(self) -> i32 {
        self.index.div_euclid(12) as i32
    }

    /// 1–12.
    pub fn month(self) -> u32 {
        self.index.rem_euclid(12) as u32 + 1
    }

    pub fn next(self) -> Month {
        Month { index: self.index + 1 }
    }

    pub fn minus(self, months: u32) -> Month {
        Month { index: self.index - i64::from(months) }
    }

    /// Midnight UTC of the first day, epoch ms.
    pub fn start_ms(self) -> i64 {
        NaiveDate::from_ymd_opt(self.year(), self.month(), 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc().timestamp_millis())
            .unwrap_or_default()
    }

    /// The name of the month's partition.
    pub fn partition(self) -> String {
        format!("cdrs_{:04}_{:02}", self.year(), self.month())
    }

    /// The month of a partition name made by [`Month::partition`].
    pub fn of_partition(name: &str) -> Option<Month> {
        let rest = name.strip_prefix("cdrs_")?;
        let (y, m) = rest.split_once('_')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let (y, m) = (y.parse().ok()?, m.parse().ok()?);
        (1..=12).contains(&m).then(|| Month::new(y, m))
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

/// Serialises the creation of partitions of one schema across every node: `CREATE TABLE IF
/// NOT EXISTS` is not safe against a concurrent `CREATE TABLE` of the same name.
const LOCK: &str = "hashtext(current_schema() || '/portico/cdr_partitions')";

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

/// The months that have a partition (PostgreSQL; empty on SQLite), oldest first.
pub fn existing(conn: &mut DbConnection) -> AppResult<Vec<Month>> {
    if !matches!(conn, DbConnection::Postgresql(_)) {
        return Ok(Vec::new());
    }
    let names: Vec<Name> = diesel::sql_query(
        "SELECT c.relname::text AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid \
         WHERE i.inhparent = 'cdrs'::regclass",
    )
    .load(conn)?;
    let mut months: Vec<Month> = names.iter().filter_map(|n| Month::of_partition(&n.name)).collect();
    months.sort_unstable();
    Ok(months)
}

/// Makes sure every month of `months` has its partition; returns how many were created.
/// Idempotent and safe under concurrent ingest: when one is missing, an advisory lock (held to
/// the end of the caller's transaction) serialises the creators, which look again under it.
/// Creating a partition locks `cdrs` briefly; in steady state nothing is created here, because
/// the current and the next month exist ahead of time.
pub fn ensure(conn: &mut DbConnection, months: impl IntoIterator<Item = Month>) -> AppResult<usize> {
    if !matches!(conn, DbConnection::Postgresql(_)) {
        return Ok(0);
    }
    let wanted: BTreeSet<Month> = months.into_iter().collect();
    let have = |conn: &mut DbConnection| -> AppResult<BTreeSet<Month>> { Ok(existing(conn)?.into_iter().collect()) };
    if wanted.is_subset(&have(conn)?) {
        return Ok(0);
    }
    conn.transaction(|conn| {
        diesel::sql_query(format!("SELECT pg_advisory_xact_lock({LOCK})")).execute(conn)?;
        let have = have(conn)?;
        let mut created = 0;
        for m in wanted.difference(&have) {
            diesel::sql_query(format!(
                "CREATE TABLE IF NOT EXISTS {} PARTITION OF cdrs FOR VALUES FROM ({}) TO ({})",
                m.partition(),
                m.start_ms(),
                m.next().start_ms()
            ))
            .execute(conn)?;
            created += 1;
        }
        if created > 0 {
            tracing::info!(created, "CDR partitions created");
        }
        Ok(created)
    })
}

/// The months of `times` (epoch ms), with the current and the next month.
pub fn months_of(times: impl IntoIterator<Item = i64>, now_ms: i64) -> BTreeSet<Month> {
    let mut months: BTreeSet<Month> = times.into_iter().map(Month::of).collect();
    months.extend(ahead(now_ms));
    months
}

/// The current and the next month, created ahead of their data.
pub fn ahead(now_ms: i64) -> [Month; 2] {
    let now = Month::of(now_ms);
    [now, now.next()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traffic::time::parse_instant;

    #[test]
    fn months_and_their_partition_names() {
        let t = parse_instant("2026-12-31T23:59:59.999Z").unwrap();
        let dec = Month::of(t);
        assert_eq!((dec.year(), dec.month()), (2026, 12));
        assert_eq!(dec.next().to_string(), "2027-01");
        assert_eq!(dec.next().start_ms(), t + 1);
        assert_eq!(dec.minus(12).partition(), "cdrs_2025_12");
        assert_eq!(Month::of_partition("cdrs_2025_12"), Some(dec.minus(12)));
        assert_eq!(Month::of_partition("cdrs_2025_13"), None);
        assert_eq!(Month::of_partition("cdrs_unpartitioned"), None);
        assert_eq!(Month::of(-1).to_string(), "1969-12");
    }
}
