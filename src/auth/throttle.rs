//! Per-account login throttling kept in the database so that every node sees the same count:
//! after `MAX_FAILURES` failures within `WINDOW`, the account is locked for `LOCKOUT`.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::login_throttle;
use crate::error::AppResult;

pub const MAX_FAILURES: i32 = 10;
pub fn window() -> Duration {
    Duration::minutes(15)
}
pub fn lockout() -> Duration {
    Duration::minutes(15)
}

/// True when logins for this account are currently refused.
pub fn is_locked(conn: &mut DbConnection, account: &str) -> AppResult<bool> {
    let locked: Option<Option<NaiveDateTime>> =
        login_throttle::table.find(account).select(login_throttle::locked_until).first(conn).optional()?;
    Ok(matches!(locked, Some(Some(t)) if t > crate::now()))
}

/// Records a failed attempt; returns true when this failure started a lockout.
pub fn record_failure(conn: &mut DbConnection, account: &str) -> AppResult<bool> {
    use diesel::Connection;
    conn.transaction(|conn| {
        let now = crate::now();
        let row: Option<(i32, NaiveDateTime)> = login_throttle::table
            .find(account)
            .select((login_throttle::failures, login_throttle::window_start))
            .first(conn)
            .optional()?;
        let (failures, start) = match row {
            Some((f, start)) if start > now - window() => (f + 1, start),
            _ => (1, now),
        };
        let locked_until = (failures >= MAX_FAILURES).then(|| now + lockout());
        if row.is_some() {
            diesel::update(login_throttle::table.find(account))
                .set((
                    login_throttle::failures.eq(failures),
                    login_throttle::window_start.eq(start),
                    login_throttle::locked_until.eq(locked_until),
                ))
                .execute(conn)?;
        } else {
            diesel::insert_into(login_throttle::table)
                .values((
                    login_throttle::account.eq(account),
                    login_throttle::failures.eq(failures),
                    login_throttle::window_start.eq(start),
                    login_throttle::locked_until.eq(locked_until),
                ))
                .execute(conn)?;
        }
        Ok(failures == MAX_FAILURES)
    })
}

/// A successful login clears the count.
pub fn reset(conn: &mut DbConnection, account: &str) -> AppResult<()> {
    diesel::delete(login_throttle::table.find(account)).execute(conn)?;
    Ok(())
}

pub fn purge_stale(conn: &mut DbConnection) -> AppResult<usize> {
    let now = crate::now();
    Ok(diesel::delete(
        login_throttle::table
            .filter(login_throttle::window_start.le(now - window()))
            .filter(login_throttle::locked_until.is_null().or(login_throttle::locked_until.le(now))),
    )
    .execute(conn)?)
}
