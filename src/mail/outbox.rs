//! The `outbox` table: messages waiting to be sent. A sender claims due rows atomically (one
//! `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING` on PostgreSQL; the same
//! inside `BEGIN IMMEDIATE` on SQLite), so with several nodes each row is claimed by one of them.
//! A claim is a lease: a node that dies while sending leaves the row to be claimed again after
//! it runs out.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text, Timestamp};

use crate::db::schema::outbox;
use crate::db::{DbConnection, write_tx};
use crate::error::AppResult;
use crate::mail::Message;

/// How long a claimed row is left to its sender before another may take it.
pub fn lease() -> Duration {
    Duration::minutes(2)
}

/// Messages older than this that could not be sent are given up (and kept for the record).
pub fn give_up_after() -> Duration {
    Duration::days(3)
}

/// Puts a message into the outbox (in the caller's transaction).
pub fn enqueue(c: &mut DbConnection, m: &Message) -> AppResult<()> {
    let now = crate::now();
    diesel::insert_into(outbox::table)
        .values((
            outbox::kind.eq(m.kind),
            outbox::recipient.eq(&m.to),
            outbox::subject.eq(&m.subject),
            outbox::body_text.eq(&m.text),
            outbox::body_html.eq(&m.html),
            outbox::created_at.eq(now),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
        ))
        .execute(c)?;
    metrics::counter!("portico_outbox_enqueued_total", "kind" => m.kind).increment(1);
    Ok(())
}

/// A claimed row.
#[derive(Debug, Clone, QueryableByName)]
pub struct Claimed {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Text)]
    pub recipient: String,
    #[diesel(sql_type = Text)]
    pub subject: String,
    #[diesel(sql_type = Text)]
    pub body_text: String,
    #[diesel(sql_type = Text)]
    pub body_html: String,
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    #[diesel(sql_type = Timestamp)]
    pub created_at: NaiveDateTime,
}

const CLAIM_PG: &str = "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 WHERE id IN (\
     SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $2 \
     AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) \
     RETURNING id, kind, recipient, subject, body_text, body_html, attempts, created_at";
const CLAIM_SQLITE: &str = "UPDATE outbox SET claimed_until = ?1, attempts = attempts + 1 WHERE id IN (\
     SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= ?2 \
     AND (claimed_until IS NULL OR claimed_until <= ?2) ORDER BY id LIMIT ?3) \
     RETURNING id, kind, recipient, subject, body_text, body_html, attempts, created_at";

/// Whether anything is due (a cheap read before taking the write lock to claim).
pub fn any_due(c: &mut DbConnection) -> AppResult<bool> {
    let now = crate::now();
    let due: Option<i64> = outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::next_attempt_at.le(now))
        .filter(outbox::claimed_until.is_null().or(outbox::claimed_until.le(now)))
        .select(outbox::id)
        .first(c)
        .optional()?;
    Ok(due.is_some())
}

/// Claims up to `limit` due rows for this sender.
pub fn claim(c: &mut DbConnection, limit: i64) -> AppResult<Vec<Claimed>> {
    let now = crate::now();
    write_tx(c, |c| {
        let rows = match c {
            DbConnection::Postgresql(pg) => diesel::sql_query(CLAIM_PG)
                .bind::<Timestamp, _>(now + lease())
                .bind::<Timestamp, _>(now)
                .bind::<BigInt, _>(limit)
                .load(pg)?,
            DbConnection::Sqlite(lite) => diesel::sql_query(CLAIM_SQLITE)
                .bind::<Timestamp, _>(now + lease())
                .bind::<Timestamp, _>(now)
                .bind::<BigInt, _>(limit)
                .load(lite)?,
        };
        Ok(rows)
    })
}

/// The message went out: kept as a record, without its body (a link in it may still work).
pub fn sent(c: &mut DbConnection, id: i64) -> AppResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::sent_at.eq(Some(crate::now())),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::body_text.eq(""),
            outbox::body_html.eq(""),
            outbox::last_error.eq(None::<String>),
        ))
        .execute(c)?;
    Ok(())
}

/// Sending failed: try again after `retry` (doubling with every attempt, at most an hour).
pub fn failed(c: &mut DbConnection, row: &Claimed, error: &str, retry: std::time::Duration) -> AppResult<()> {
    let base = Duration::from_std(retry).unwrap_or(Duration::seconds(30));
    let factor = 1i32 << row.attempts.clamp(1, 8).saturating_sub(1);
    let wait = (base * factor).min(Duration::hours(1));
    let give_up = row.created_at < crate::now() - give_up_after();
    let next = if give_up { crate::now() + Duration::days(36500) } else { crate::now() + wait };
    let error: String = error.chars().take(500).collect();
    diesel::update(outbox::table.find(row.id))
        .set((
            outbox::claimed_until.eq(None::<NaiveDateTime>),
            outbox::next_attempt_at.eq(next),
            outbox::last_error.eq(Some(if give_up { format!("given up: {error}") } else { error })),
        ))
        .execute(c)?;
    Ok(())
}

/// Rows not yet sent (for the metrics and tests).
pub fn waiting(c: &mut DbConnection) -> AppResult<i64> {
    Ok(outbox::table.filter(outbox::sent_at.is_null()).count().get_result(c)?)
}

/// Removes the records of messages sent more than 30 days ago.
pub fn purge(c: &mut DbConnection) -> AppResult<usize> {
    let before = crate::now() - Duration::days(30);
    Ok(diesel::delete(outbox::table.filter(outbox::sent_at.le(before))).execute(c)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::each_backend;

    fn message(to: &str) -> Message {
        Message { kind: "invitation", to: to.into(), subject: "S".into(), text: "T".into(), html: "<p>H</p>".into() }
    }

    #[test]
    fn a_claimed_row_is_nobody_elses_until_it_is_sent_or_fails() {
        each_backend(|c| {
            for to in ["a@x.example", "b@x.example", "c@x.example"] {
                enqueue(c, &message(to)).unwrap();
            }
            assert!(any_due(c).unwrap());
            let first = claim(c, 2).unwrap();
            assert_eq!(first.len(), 2);
            let second = claim(c, 10).unwrap();
            assert_eq!(second.len(), 1, "a second sender gets only what the first did not claim");
            assert!(claim(c, 10).unwrap().is_empty());
            assert!(!any_due(c).unwrap());
            sent(c, first[0].id).unwrap();
            failed(c, &first[1], "connection refused", std::time::Duration::from_secs(60)).unwrap();
            assert_eq!(waiting(c).unwrap(), 2);
            assert!(claim(c, 10).unwrap().is_empty(), "the failed one waits for its retry");
            let body: String = outbox::table.find(first[0].id).select(outbox::body_text).first(c).unwrap();
            assert!(body.is_empty(), "a sent message keeps no body (its links)");
        });
    }
}
