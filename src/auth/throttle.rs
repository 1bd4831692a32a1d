//! Sign-in throttling kept in the database so that every node sees the same count (SPEC §7,
//! §12). An attempt is COUNTED BEFORE the password (or second-factor code) is checked, in one
//! atomic upsert (`INSERT … ON CONFLICT DO UPDATE … RETURNING`: a row lock on PostgreSQL, the
//! write lock of `BEGIN IMMEDIATE` on SQLite), so parallel attempts cannot all read "not yet
//! locked": attempt number 11 of a window is refused without hashing, however many arrive at
//! once. A success clears the account's count.
//!
//! Two counters: per account (`login_throttle`: `MAX_FAILURES` within `window()`, then locked for
//! `lockout()`) and per client address (`rate_counters` key `login-ip:ADDR`: the configured limit
//! of failures within `window()`). A success takes its own attempt back from the address count,
//! so a busy office behind one address is only limited by its failures.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Nullable, Text, Timestamp};

use crate::db::DbConnection;
use crate::db::schema::{login_throttle, rate_counters};
use crate::error::AppResult;

pub const MAX_FAILURES: i32 = 10;
pub fn window() -> Duration {
    Duration::minutes(15)
}
pub fn lockout() -> Duration {
    Duration::minutes(15)
}

/// The `rate_counters` key of a client address's sign-in attempts.
pub fn ip_key(ip: &str) -> String {
    format!("login-ip:{ip}")
}

/// Whether a counted attempt may go on to the password check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Go on and check.
    Admitted,
    /// The account is locked (or over its count): refused without checking.
    AccountLocked,
    /// The client address is over its limit; `first` on the attempt that crossed it.
    AddressLimited { first: bool },
}

#[derive(QueryableByName)]
struct AccountCount {
    #[diesel(sql_type = Integer)]
    failures: i32,
    #[diesel(sql_type = Nullable<Timestamp>)]
    locked_until: Option<NaiveDateTime>,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = Integer)]
    count: i32,
}

/// PostgreSQL's `$n` placeholders as SQLite's `?n`.
fn dialect(conn: &DbConnection, sql: &str) -> String {
    match conn {
        DbConnection::Postgresql(_) => sql.to_string(),
        DbConnection::Sqlite(_) => sql.replace('$', "?"),
    }
}

const COUNT_ACCOUNT: &str = "INSERT INTO login_throttle AS t (account, failures, window_start, locked_until) \
     VALUES ($1, 1, $2, NULL) ON CONFLICT (account) DO UPDATE SET \
     failures = CASE WHEN t.window_start <= $3 AND (t.locked_until IS NULL OR t.locked_until <= $2) \
                THEN 1 ELSE t.failures + 1 END, \
     window_start = CASE WHEN t.window_start <= $3 AND (t.locked_until IS NULL OR t.locked_until <= $2) \
                THEN $2 ELSE t.window_start END \
     RETURNING failures, locked_until";

const COUNT_KEY: &str = "INSERT INTO rate_counters AS r (key, count, window_start) VALUES ($1, 1, $2) \
     ON CONFLICT (key) DO UPDATE SET \
     count = CASE WHEN r.window_start <= $3 THEN 1 ELSE r.count + 1 END, \
     window_start = CASE WHEN r.window_start <= $3 THEN $2 ELSE r.window_start END \
     RETURNING count";

/// Counts one attempt in the fixed window `window` of `key`; answers the count including it.
pub fn count(conn: &mut DbConnection, key: &str, window: Duration) -> AppResult<i32> {
    let now = crate::now();
    let sql = dialect(conn, COUNT_KEY);
    let q = diesel::sql_query(sql).bind::<Text, _>(key).bind::<Timestamp, _>(now).bind::<Timestamp, _>(now - window);
    let row: Count = crate::with_conn!(conn, |c| q.get_result(c))?;
    Ok(row.count)
}

/// Takes one counted attempt back (the attempt succeeded).
pub fn uncount(conn: &mut DbConnection, key: &str) -> AppResult<()> {
    diesel::update(rate_counters::table.find(key).filter(rate_counters::count.gt(0)))
        .set(rate_counters::count.eq(rate_counters::count - 1))
        .execute(conn)?;
    Ok(())
}

/// Counts an attempt on `account` from `ip` (address first: a refused address does not count
/// against the account), before anything is checked. Run it inside a write transaction.
pub fn admit(conn: &mut DbConnection, account: &str, ip: Option<&str>, ip_limit: u32) -> AppResult<Admission> {
    if let Some(ip) = ip {
        let n = count(conn, &ip_key(ip), window())?;
        let limit = i32::try_from(ip_limit).unwrap_or(i32::MAX);
        if n > limit {
            return Ok(Admission::AddressLimited { first: n == limit + 1 });
        }
    }
    let now = crate::now();
    let sql = dialect(conn, COUNT_ACCOUNT);
    let q =
        diesel::sql_query(sql).bind::<Text, _>(account).bind::<Timestamp, _>(now).bind::<Timestamp, _>(now - window());
    let row: AccountCount = crate::with_conn!(conn, |c| q.get_result(c))?;
    let locked = row.locked_until.is_some_and(|t| t > now);
    Ok(if locked || row.failures > MAX_FAILURES { Admission::AccountLocked } else { Admission::Admitted })
}

/// True when logins for this account are currently refused (read only).
pub fn is_locked(conn: &mut DbConnection, account: &str) -> AppResult<bool> {
    let row: Option<(i32, Option<NaiveDateTime>)> = login_throttle::table
        .find(account)
        .select((login_throttle::failures, login_throttle::locked_until))
        .first(conn)
        .optional()?;
    Ok(matches!(row, Some((_, Some(t))) if t > crate::now()))
}

/// An admitted attempt failed (its count stays). Starts the lockout once the account has
/// `MAX_FAILURES` counted; answers true for the failure that started it.
pub fn failed(conn: &mut DbConnection, account: &str) -> AppResult<bool> {
    let now = crate::now();
    let started = diesel::update(
        login_throttle::table
            .find(account)
            .filter(login_throttle::failures.ge(MAX_FAILURES))
            .filter(login_throttle::locked_until.is_null().or(login_throttle::locked_until.le(now))),
    )
    .set(login_throttle::locked_until.eq(Some(now + lockout())))
    .execute(conn)?;
    Ok(started == 1)
}

/// A successful sign-in: the account's count is cleared and the address gets its attempt back.
pub fn succeeded(conn: &mut DbConnection, account: &str, ip: Option<&str>) -> AppResult<()> {
    reset(conn, account)?;
    if let Some(ip) = ip {
        uncount(conn, &ip_key(ip))?;
    }
    Ok(())
}

/// Clears the account's count.
pub fn reset(conn: &mut DbConnection, account: &str) -> AppResult<()> {
    diesel::delete(login_throttle::table.find(account)).execute(conn)?;
    Ok(())
}

/// Removes counters whose window and lockout are over.
pub fn purge_stale(conn: &mut DbConnection) -> AppResult<usize> {
    let now = crate::now();
    let accounts = diesel::delete(
        login_throttle::table
            .filter(login_throttle::window_start.le(now - window()))
            .filter(login_throttle::locked_until.is_null().or(login_throttle::locked_until.le(now))),
    )
    .execute(conn)?;
    // Every window in use is at most a day long.
    let keys = diesel::delete(rate_counters::table.filter(rate_counters::window_start.le(now - Duration::days(1))))
        .execute(conn)?;
    Ok(accounts + keys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::each_backend;

    #[test]
    fn attempts_are_counted_before_the_check() {
        each_backend(|c| {
            for i in 1..=MAX_FAILURES {
                assert_eq!(admit(c, "a@x.example", None, 50).unwrap(), Admission::Admitted, "attempt {i}");
                let started = failed(c, "a@x.example").unwrap();
                assert_eq!(started, i == MAX_FAILURES);
            }
            assert_eq!(admit(c, "a@x.example", None, 50).unwrap(), Admission::AccountLocked);
            assert!(is_locked(c, "a@x.example").unwrap());
            succeeded(c, "a@x.example", None).unwrap();
            assert_eq!(admit(c, "a@x.example", None, 50).unwrap(), Admission::Admitted);
            // The address limit: three attempts, the fourth refused (and only it is "first").
            for _ in 0..3 {
                assert_eq!(admit(c, "r@x.example", Some("192.0.2.9"), 3).unwrap(), Admission::Admitted);
            }
            assert_eq!(
                admit(c, "s@x.example", Some("192.0.2.9"), 3).unwrap(),
                Admission::AddressLimited { first: true }
            );
            assert_eq!(
                admit(c, "t@x.example", Some("192.0.2.9"), 3).unwrap(),
                Admission::AddressLimited { first: false }
            );
            assert_eq!(admit(c, "t@x.example", Some("192.0.2.10"), 3).unwrap(), Admission::Admitted);
            assert_eq!(count(c, "k", Duration::hours(1)).unwrap(), 1);
            assert_eq!(count(c, "k", Duration::hours(1)).unwrap(), 2);
        });
    }
}
