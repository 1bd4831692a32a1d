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
    use diesel::sql_types::BigInt;

    use super::*;
    use crate::audit::Actor;
    use crate::db::testing::{each_backend, explain};
    use crate::traffic::Direction;
    use crate::traffic::cdrs::{self, CdrFilter};
    use crate::traffic::fixtures::{cdr_row, customer_with_account};
    use crate::traffic::ingest::{CdrIn, ingest};
    use crate::traffic::time::parse_instant;

    fn rows_at(account: i64, prefix: &str, times: &[&str]) -> Vec<CdrIn> {
        times
            .iter()
            .enumerate()
            .map(|(i, t)| CdrIn { time_start: Some((*t).into()), ..cdr_row(account, &format!("{prefix}-{i}")) })
            .collect()
    }

    #[derive(QueryableByName, Debug, PartialEq)]
    struct PerTable {
        #[diesel(sql_type = Text)]
        name: String,
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

    fn rows_per_partition(c: &mut DbConnection) -> Vec<(String, i64)> {
        let q = "SELECT tableoid::regclass::text AS name, count(*) AS n FROM cdrs GROUP BY 1 ORDER BY 1";
        let rows: Vec<PerTable> = diesel::sql_query(q).load(c).unwrap();
        rows.into_iter().map(|r| (r.name, r.n)).collect()
    }

    #[test]
    fn each_month_is_its_own_partition_and_a_days_list_reads_only_its_month() {
        each_backend(|c| {
            let (customer, account) = customer_with_account(c, "Acme");
            let times =
                ["2026-05-10T08:00:00Z", "2026-05-31T23:59:59Z", "2026-06-01T00:00:00Z", "2026-06-20T12:00:00Z"];
            let r = ingest(c, &Actor::system(), &rows_at(account, "m", &times)).unwrap();
            assert_eq!(r.inserted, 4);
            let day = |d: &str| parse_instant(&format!("{d}T00:00:00Z")).unwrap();
            let may_10 = CdrFilter::period(customer, Direction::Outgoing, day("2026-05-10"), day("2026-05-11"));
            let listed = cdrs::list(c, &may_10, None, 50).unwrap();
            assert_eq!(listed.iter().map(|r| r.external_id.as_str()).collect::<Vec<_>>(), ["m-0"]);
            let DbConnection::Postgresql(_) = c else { return };
            assert_eq!(rows_per_partition(c), [("cdrs_2026_05".to_string(), 2), ("cdrs_2026_06".to_string(), 2)]);
            let have = existing(c).unwrap();
            for m in [Month::new(2026, 5), Month::new(2026, 6)].into_iter().chain(ahead(crate::traffic::time::now_ms()))
            {
                assert!(have.contains(&m), "{m} has a partition: {have:?}");
            }
            // The plan of the list query as the application builds it: one day, one partition.
            let plan = explain(c, cdrs::list_query(&may_10, None, 50)).join("\n");
            let touched: Vec<String> =
                have.iter().map(|m| m.partition()).filter(|p| plan.contains(&format!(" {p} "))).collect();
            assert_eq!(touched, ["cdrs_2026_05"], "{plan}");
            // A range over both months reads both (so the check above can tell).
            let both = CdrFilter::period(customer, Direction::Outgoing, day("2026-05-31"), day("2026-06-02"));
            let plan = explain(c, cdrs::list_query(&both, None, 50)).join("\n");
            let touched: Vec<String> =
                have.iter().map(|m| m.partition()).filter(|p| plan.contains(&format!(" {p} "))).collect();
            assert_eq!(touched, ["cdrs_2026_05", "cdrs_2026_06"], "{plan}");
            // Without a range, the cursor of a later page bounds the months from above.
            let all = CdrFilter { from: None, to: None, ..may_10 };
            let cursor = cdrs::Cursor::after(day("2026-05-20"), i64::MAX);
            let plan = explain(c, cdrs::list_query(&all, Some(cursor), 50)).join("\n");
            let touched: Vec<String> =
                have.iter().map(|m| m.partition()).filter(|p| plan.contains(&format!(" {p} "))).collect();
            assert_eq!(touched, ["cdrs_2026_05"], "{plan}");
        });
    }

    #[test]
    fn ensure_creates_what_is_missing_once() {
        each_backend(|c| {
            let months = [Month::new(2024, 2), Month::new(2024, 3)];
            let created = ensure(c, months).unwrap();
            let again = ensure(c, months).unwrap();
            match c {
                DbConnection::Postgresql(_) => {
                    assert_eq!((created, again), (2, 0));
                    assert!(existing(c).unwrap().starts_with(&months));
                }
                DbConnection::Sqlite(_) => assert_eq!((created, again, existing(c).unwrap()), (0, 0, vec![])),
            }
        });
    }

    #[test]
    fn the_migration_keeps_the_rows_of_an_unpartitioned_table() {
        use diesel::migration::MigrationSource;
        use diesel_migrations::MigrationHarness;
        each_backend(|c| {
            if !matches!(c, DbConnection::Postgresql(_)) {
                return;
            }
            let (_, account) = customer_with_account(c, "Acme");
            let all = MigrationSource::<diesel::pg::Pg>::migrations(&crate::db::POSTGRES_MIGRATIONS).unwrap();
            // This migration and those after it that change `cdrs`, reverted last first.
            let ours: Vec<_> = ["_cdr_partitions", "_traffic_without_row_checks"]
                .iter()
                .map(|n| all.iter().find(|m| m.name().to_string().ends_with(n)).unwrap())
                .collect();
            let harness = |c: &mut DbConnection, up: bool| {
                let DbConnection::Postgresql(pg) = c else { unreachable!() };
                if up {
                    for m in &ours {
                        pg.run_migration(m.as_ref()).unwrap();
                    }
                } else {
                    for m in ours.iter().rev() {
                        pg.revert_migration(m.as_ref()).unwrap();
                    }
                }
            };
            // Back to the one plain table of older versions, with rows in two months.
            harness(c, false);
            for (ext, t) in [("old-1", "2025-01-05"), ("old-2", "2025-01-31"), ("old-3", "2025-03-01")] {
                let ms = parse_instant(&format!("{t}T10:00:00Z")).unwrap();
                diesel::sql_query(format!(
                    "INSERT INTO cdrs (external_id, customer_id, account_id, direction, time_start, duration, \
                     billed_duration, success, src_number, dst_number, destination_prefix, destination_name, rate, \
                     price, disconnect_reason) SELECT '{ext}', customer_id, id, 0, {ms}, 60, 60, true, '', '49301', \
                     '49', 'Germany', 0, 0, '' FROM accounts WHERE id = {account}"
                ))
                .execute(c)
                .unwrap();
            }
            let Count { n: last_id } = diesel::sql_query("SELECT max(id) AS n FROM cdrs").get_result(c).unwrap();
            harness(c, true);
            assert_eq!(rows_per_partition(c), [("cdrs_2025_01".to_string(), 2), ("cdrs_2025_03".to_string(), 1)]);
            let Count { n: keys } = diesel::sql_query("SELECT count(*) AS n FROM cdr_keys").get_result(c).unwrap();
            assert_eq!(keys, 3);
            let have = existing(c).unwrap();
            assert!(ahead(crate::traffic::time::now_ms()).iter().all(|m| have.contains(m)), "{have:?}");
            // The moved ids are known to ingest, and new rows continue the id sequence.
            let again = CdrIn { time_start: Some("2025-01-05T10:00:00Z".into()), ..cdr_row(account, "old-1") };
            let r = ingest(c, &Actor::system(), &[again, cdr_row(account, "new-1")]).unwrap();
            assert_eq!((r.inserted, r.duplicates), (1, 1));
            let Count { n: new_id } =
                diesel::sql_query("SELECT id AS n FROM cdrs WHERE external_id = 'new-1'").get_result(c).unwrap();
            assert!(new_id > last_id, "{new_id} > {last_id}");
        });
    }

    #[test]
    fn the_ids_of_deleted_calls_can_be_sent_again() {
        each_backend(|c| {
            let (customer, account) = customer_with_account(c, "Gone Ltd");
            let (_, other) = customer_with_account(c, "Stays Ltd");
            assert_eq!(ingest(c, &Actor::system(), &[cdr_row(account, "k-1")]).unwrap().inserted, 1);
            crate::customers::commands::delete(c, &Actor::system(), customer).unwrap();
            // Its CDRs went with the customer; their ids (in cdr_keys on PostgreSQL) with them.
            let r = ingest(c, &Actor::system(), &[cdr_row(other, "k-1")]).unwrap();
            assert_eq!((r.inserted, r.duplicates), (1, 0));
        });
    }

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }

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
