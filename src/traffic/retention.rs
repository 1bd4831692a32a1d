//! CDR retention (SPEC §13): `PORTICO_CDR_RETENTION_MONTHS=N` keeps N whole calendar months
//! (UTC) before the current one; everything older goes, together with its hourly rollups, its
//! per-number daily counters and its recordings, and one `traffic.prune` audit row says what.
//!
//! On PostgreSQL a month is a partition: it is dropped (instant, no vacuum debt) after its
//! `cdr_keys` rows are deleted. On SQLite the rows are deleted in batches. Either way it is one
//! transaction: a month is removed whole or not at all, and statistics never disagree with the
//! lists. Recording files cannot roll back, so they are deleted after the commit: [`prune`]
//! returns their keys and the caller hands them to [`delete_recordings`].
//!
//! `serve` runs [`daily`] every hour: at most once a UTC day, on one node at a time.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text};
use serde_json::json;

use crate::audit::{self, Actor};
use crate::db::schema::{cdr_hourly, number_daily, settings};
use crate::db::{DbConnection, write_tx};
use crate::error::AppResult;
use crate::storage::Storage;
use crate::traffic::partitions::{self, Month};

/// CDRs deleted per statement on SQLite.
const SQLITE_BATCH: i64 = 10_000;

/// What a prune removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PruneReport {
    /// The first month kept: everything before it is gone.
    pub kept_from: Month,
    /// The months removed (those that had CDRs, or a partition), oldest first.
    pub months: Vec<Month>,
    pub cdrs: u64,
    /// `cdr_hourly` rows.
    pub hourly_rollups: u64,
    /// `number_daily` rows.
    pub daily_counters: u64,
    /// Storage keys of the removed CDRs' recordings, to delete after the commit.
    pub recordings: Vec<String>,
}

impl PruneReport {
    pub fn is_empty(&self) -> bool {
        self.months.is_empty() && self.cdrs == 0 && self.hourly_rollups == 0 && self.daily_counters == 0
    }

    /// One line for people (the CLI, the log).
    pub fn summary(&self) -> String {
        if self.is_empty() {
            return format!("nothing to remove: no CDRs before {}", self.kept_from);
        }
        let months: Vec<String> = self.months.iter().map(Month::to_string).collect();
        format!(
            "removed CDRs before {}: months {}; {} CDRs, {} hourly rollups, {} daily number counters, {} recordings",
            self.kept_from,
            if months.is_empty() { "none".to_string() } else { months.join(", ") },
            self.cdrs,
            self.hourly_rollups,
            self.daily_counters,
            self.recordings.len()
        )
    }
}

/// The first month kept when `months` whole months before the current one are kept.
pub fn kept_from(months: u32, now_ms: i64) -> Month {
    Month::of(now_ms).minus(months)
}

/// Removes every CDR of the months before the `months` whole months preceding the current one
/// (UTC), with its rollups, and writes one `traffic.prune` audit row when anything went.
/// Returns what was removed; the recordings in [`PruneReport::recordings`] are still in
/// storage: delete them once the transaction is committed (when this returns, unless the
/// caller holds a transaction of its own).
pub fn prune(conn: &mut DbConnection, actor: &Actor, months: u32, now_ms: i64) -> AppResult<PruneReport> {
    let keep = kept_from(months, now_ms);
    write_tx(conn, |c| {
        let (mut r, drops) = match c {
            DbConnection::Postgresql(_) => empty_partitions(c, keep)?,
            DbConnection::Sqlite(_) => (delete_rows(c, keep)?, Vec::new()),
        };
        let before_secs = keep.start_ms().div_euclid(1000);
        r.hourly_rollups =
            diesel::delete(cdr_hourly::table.filter(cdr_hourly::hour.lt(before_secs))).execute(c)? as u64;
        r.daily_counters =
            diesel::delete(number_daily::table.filter(number_daily::day.lt(before_secs))).execute(c)? as u64;
        if !r.is_empty() {
            let months: Vec<String> = r.months.iter().map(Month::to_string).collect();
            let diff = json!({
                "months": months,
                "keptFrom": keep.to_string(),
                "cdrs": r.cdrs,
                "hourlyRollups": r.hourly_rollups,
                "dailyCounters": r.daily_counters,
                "recordings": r.recordings.len(),
            });
            audit::record(c, actor, "traffic.prune", "cdr", None, Some(diff))?;
        }
        // Last, right before the commit: dropping a partition locks all of `cdrs`. Behind a
        // long export, give up (everything rolls back, the next run tries again) rather than
        // stall every CDR read queued behind the drop.
        if !drops.is_empty() {
            diesel::sql_query("SET LOCAL lock_timeout = '10s'").execute(c)?;
            for t in drops {
                diesel::sql_query(format!("DROP TABLE {t}")).execute(c)?;
            }
            diesel::sql_query("SET LOCAL lock_timeout = 0").execute(c)?;
        }
        Ok(r)
    })
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Recording {
    #[diesel(sql_type = Nullable<Text>)]
    recording: Option<String>,
}

/// PostgreSQL: each partition of a month before `keep` is counted and its recordings and keys
/// collected; returns the partitions to drop.
fn empty_partitions(c: &mut DbConnection, keep: Month) -> AppResult<(PruneReport, Vec<String>)> {
    let mut r = empty(keep);
    let mut drops = Vec::new();
    let old: Vec<Month> = partitions::existing(c)?.into_iter().filter(|m| *m < keep).collect();
    for m in old {
        let t = m.partition();
        let n: Count = diesel::sql_query(format!("SELECT count(*) AS n FROM {t}")).get_result(c)?;
        let files: Vec<Recording> =
            diesel::sql_query(format!("SELECT recording FROM {t} WHERE recording IS NOT NULL")).load(c)?;
        diesel::sql_query(format!(
            "DELETE FROM cdr_keys k USING {t} c WHERE k.external_id = c.external_id AND k.cdr_id = c.id"
        ))
        .execute(c)?;
        r.cdrs += n.n as u64;
        r.recordings.extend(files.into_iter().filter_map(|f| f.recording));
        r.months.push(m);
        drops.push(t);
    }
    Ok((r, drops))
}

/// SQLite: the CDRs before `keep` are deleted a batch at a time. The months are those the
/// hourly rollups know (every stored CDR is counted there), read before they go.
fn delete_rows(c: &mut DbConnection, keep: Month) -> AppResult<PruneReport> {
    let mut r = empty(keep);
    let before_secs = keep.start_ms().div_euclid(1000);
    let hours: Vec<i64> =
        cdr_hourly::table.filter(cdr_hourly::hour.lt(before_secs)).select(cdr_hourly::hour).distinct().load(c)?;
    let mut months: Vec<Month> = hours.into_iter().map(|h| Month::of(h * 1000)).collect();
    months.sort_unstable();
    months.dedup();
    r.months = months;
    if r.months.is_empty() {
        // Nothing old is counted, so nothing old is stored: spare the scan of the table.
        return Ok(r);
    }
    loop {
        let gone: Vec<Recording> = diesel::sql_query(
            "DELETE FROM cdrs WHERE id IN (SELECT id FROM cdrs WHERE time_start < ? LIMIT ?) RETURNING recording",
        )
        .bind::<BigInt, _>(keep.start_ms())
        .bind::<BigInt, _>(SQLITE_BATCH)
        .load(c)?;
        r.cdrs += gone.len() as u64;
        let last = (gone.len() as i64) < SQLITE_BATCH;
        r.recordings.extend(gone.into_iter().filter_map(|g| g.recording));
        if last {
            return Ok(r);
        }
    }
}

fn empty(keep: Month) -> PruneReport {
    PruneReport {
        kept_from: keep,
        months: Vec::new(),
        cdrs: 0,
        hourly_rollups: 0,
        daily_counters: 0,
        recordings: Vec::new(),
    }
}

/// What became of the recording files of a prune.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FilesDeleted {
    pub deleted: usize,
    pub failed: usize,
}

/// Deletes the recordings of a prune from storage, a few at a time. A file that cannot be
/// deleted is logged with its key and counted; the rest still go.
pub async fn delete_recordings(storage: &Storage, keys: &[String]) -> FilesDeleted {
    use futures_util::StreamExt;
    let results: Vec<(String, AppResult<()>)> = futures_util::stream::iter(keys)
        .map(|k| async move { (k.clone(), storage.delete(k).await) })
        .buffer_unordered(16)
        .collect()
        .await;
    let mut out = FilesDeleted::default();
    for (key, result) in results {
        match result {
            Ok(()) => out.deleted += 1,
            Err(e) => {
                tracing::warn!(key, error = %e, "a pruned CDR's recording could not be deleted");
                out.failed += 1;
            }
        }
    }
    out
}

/// The day (UTC) the daily run last completed, kept in `settings` for every node to see.
const LAST_RUN: &str = "cdr_retention_last_run";

/// Only one node at a time runs the daily work of a schema (PostgreSQL).
const DAILY_LOCK: &str = "hashtext(current_schema() || '/portico/cdr_daily')";

#[derive(QueryableByName)]
struct Flag {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    got: bool,
}

/// The daily work, called often (hourly) by every node. Each time, the partitions of the current
/// and the next month are made sure of; once per UTC day — whichever node comes first, the
/// others skip while it runs (`pg_try_advisory_xact_lock`) and find it done after — CDRs are
/// pruned when `months` is set. `None` when no prune ran now.
pub fn daily(
    conn: &mut DbConnection,
    actor: &Actor,
    months: Option<u32>,
    now_ms: i64,
) -> AppResult<Option<PruneReport>> {
    let today = crate::traffic::time::utc(now_ms).date_naive().to_string();
    // In a short transaction of its own: creating a partition locks `cdrs` until the commit.
    partitions::ensure(conn, partitions::ahead(now_ms))?;
    write_tx(conn, |c| {
        if matches!(c, DbConnection::Postgresql(_)) {
            let f: Flag =
                diesel::sql_query(format!("SELECT pg_try_advisory_xact_lock({DAILY_LOCK}) AS got")).get_result(c)?;
            if !f.got {
                return Ok(None);
            }
        }
        let last: Option<String> = settings::table.find(LAST_RUN).select(settings::value).first(c).optional()?;
        if last.as_deref() == Some(today.as_str()) {
            return Ok(None);
        }
        let report = months.map(|m| prune(c, actor, m, now_ms)).transpose()?;
        diesel::delete(settings::table.find(LAST_RUN)).execute(c)?;
        diesel::insert_into(settings::table)
            .values((settings::key.eq(LAST_RUN), settings::value.eq(&today)))
            .execute(c)?;
        Ok(report)
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::db::schema::{cdrs, numbers};
    use crate::db::testing::{audit_rows, each_backend};
    use crate::storage::StorageUrl;
    use crate::traffic::fixtures::{cdr_row, customer_with_account, hourly_from_cdrs, hourly_rollups};
    use crate::traffic::ingest::{CdrIn, ingest};
    use crate::traffic::time::parse_instant;

    /// Calls on 2026-09-10, 2026-10-31 (last second), 2026-11-01 (first second), 2026-12-02:
    /// half of them incoming to one of the customer's numbers.
    fn batch(account: i64) -> Vec<CdrIn> {
        let times = ["2026-09-10T10:00:00Z", "2026-10-31T23:59:59Z", "2026-11-01T00:00:00Z", "2026-12-02T08:00:00Z"];
        times
            .iter()
            .enumerate()
            .flat_map(|(i, t)| {
                (0..2).map(move |k| CdrIn {
                    time_start: Some((*t).into()),
                    direction: Some(if k == 0 { "outgoing" } else { "incoming" }.into()),
                    ..cdr_row(account, &format!("r-{i}-{k}"))
                })
            })
            .collect()
    }

    fn stored(c: &mut DbConnection) -> Vec<String> {
        cdrs::table.order(cdrs::external_id).select(cdrs::external_id).load(c).unwrap()
    }

    #[test]
    fn old_months_go_whole_with_rollups_recordings_and_an_audit_row() {
        each_backend(|c| {
            let (customer, account) = customer_with_account(c, "Acme");
            diesel::insert_into(numbers::table)
                .values((
                    numbers::customer_id.eq(customer),
                    numbers::number.eq("4930123"),
                    numbers::customer_description.eq(""),
                    numbers::backend_description.eq(""),
                    numbers::created_at.eq(crate::now()),
                ))
                .execute(c)
                .unwrap();
            assert_eq!(ingest(c, &Actor::system(), &batch(account)).unwrap().inserted, 8);
            for (ext, key) in [("r-1-0", "old.audio"), ("r-2-0", "kept.audio")] {
                diesel::update(cdrs::table.filter(cdrs::external_id.eq(ext)))
                    .set(cdrs::recording.eq(key))
                    .execute(c)
                    .unwrap();
            }
            let now = parse_instant("2026-12-15T12:00:00Z").unwrap();
            let r = prune(c, &Actor::system(), 1, now).unwrap();
            assert_eq!(r.kept_from, Month::new(2026, 11));
            assert_eq!(r.months, [Month::new(2026, 9), Month::new(2026, 10)]);
            assert_eq!((r.cdrs, r.hourly_rollups, r.daily_counters), (4, 4, 2));
            assert_eq!(r.recordings, ["old.audio"]);
            assert_eq!(stored(c), ["r-2-0", "r-2-1", "r-3-0", "r-3-1"]);
            assert_eq!(hourly_rollups(c), hourly_from_cdrs(c), "the rollups of the removed months went with them");
            let days: Vec<i64> =
                number_daily::table.select(number_daily::day).order(number_daily::day).load(c).unwrap();
            let day = |t: &str| parse_instant(t).unwrap() / 1000;
            assert_eq!(days, [day("2026-11-01T00:00:00Z"), day("2026-12-02T00:00:00Z")]);
            let audit = audit_rows(c, "traffic.prune");
            let diff = json!({"months": ["2026-09", "2026-10"], "keptFrom": "2026-11", "cdrs": 4,
                "hourlyRollups": 4, "dailyCounters": 2, "recordings": 1});
            assert_eq!(audit, [(None, Some(diff))]);
            if let DbConnection::Postgresql(_) = c {
                let have = partitions::existing(c).unwrap();
                assert!(have.iter().all(|m| *m >= Month::new(2026, 11)), "old partitions dropped: {have:?}");
                assert!(have.contains(&Month::new(2026, 11)) && have.contains(&Month::new(2026, 12)));
            }
            // Again: nothing left to remove, nothing audited.
            let again = prune(c, &Actor::system(), 1, now).unwrap();
            assert!(again.is_empty(), "{again:?}");
            assert_eq!(again.summary(), "nothing to remove: no CDRs before 2026-11");
            assert_eq!(audit_rows(c, "traffic.prune").len(), 1);
            // The removed calls' ids are forgotten (their keys went too): a re-sent one is new.
            let resent = ingest(c, &Actor::system(), &batch(account)).unwrap();
            assert_eq!((resent.inserted, resent.duplicates), (4, 4));
        });
    }

    #[test]
    fn the_recordings_of_a_prune_are_deleted_from_storage() {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(&StorageUrl::File(dir.path().into())).unwrap();
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        rt.block_on(async {
            for k in ["old.audio", "kept.audio"] {
                storage.put(k, bytes::Bytes::from_static(b"RIFF")).await.unwrap();
            }
            let keys = vec!["old.audio".to_string(), "never-stored.audio".to_string()];
            let done = delete_recordings(&storage, &keys).await;
            assert_eq!(done, FilesDeleted { deleted: 2, failed: 0 }, "a file already gone is no failure");
            assert_eq!(storage.keys("").await.unwrap(), ["kept.audio"]);
        });
    }

    #[test]
    fn the_daily_run_prunes_once_a_day() {
        each_backend(|c| {
            let (_, account) = customer_with_account(c, "Acme");
            ingest(c, &Actor::system(), &batch(account)).unwrap();
            let dec_15 = parse_instant("2026-12-15T12:00:00Z").unwrap();
            assert_eq!(daily(c, &Actor::system(), None, dec_15).unwrap(), None, "no retention set: nothing pruned");
            assert_eq!(stored(c).len(), 8);
            let next_day = dec_15 + 86_400_000;
            let first = daily(c, &Actor::system(), Some(2), next_day).unwrap().expect("pruned");
            assert_eq!((first.months.clone(), first.cdrs), (vec![Month::new(2026, 9)], 2));
            assert_eq!(daily(c, &Actor::system(), Some(1), next_day + 3_600_000).unwrap(), None, "done today");
            let later = daily(c, &Actor::system(), Some(1), next_day + 86_400_000).unwrap().expect("pruned");
            assert_eq!((later.months, later.cdrs), (vec![Month::new(2026, 10)], 2));
            assert_eq!(audit_rows(c, "traffic.prune").len(), 2);
        });
    }
}
