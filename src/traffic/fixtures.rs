//! Records the unit tests of traffic, billing, numbers and their neighbours start from.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::accounts;
use crate::traffic::ingest::{self, CdrIn};

/// A customer with one EUR account: (customer id, account id).
pub fn customer_with_account(c: &mut DbConnection, name: &str) -> (i64, i64) {
    let customer = crate::customers::model::insert_basic(c, name, None).expect("customer");
    let now = crate::now();
    diesel::insert_into(accounts::table)
        .values((
            accounts::customer_id.eq(customer),
            accounts::name.eq("Main"),
            accounts::currency.eq("EUR"),
            accounts::created_at.eq(now),
            accounts::updated_at.eq(now),
        ))
        .execute(c)
        .expect("account");
    let account = accounts::table.filter(accounts::customer_id.eq(customer)).select(accounts::id).first(c);
    (customer, account.expect("account id"))
}

/// A valid outgoing CDR row for an account.
pub fn cdr_row(account: i64, external_id: &str) -> CdrIn {
    CdrIn {
        external_id: Some(external_id.into()),
        account_id: Some(account),
        direction: Some("outgoing".into()),
        time_start: Some("2026-05-01T10:00:00Z".into()),
        duration: Some(60),
        dst_number: Some("4930123".into()),
        price: Some("0.010000".into()),
        ..CdrIn::default()
    }
}

/// One stored outgoing CDR of a fresh customer; its id.
pub fn one_cdr(c: &mut DbConnection) -> i64 {
    let (_, account) = customer_with_account(c, "Calls Ltd");
    let parsed = ingest::parse_all(&[cdr_row(account, "fixture-1")]).expect("valid row");
    ingest::store(c, parsed).expect("stored");
    crate::db::schema::cdrs::table.select(crate::db::schema::cdrs::id).first(c).expect("cdr id")
}

/// One `cdr_hourly` row: (customer, direction, hour, account, calls, answered, duration,
/// answered duration, billed, price).
pub type HourRow = (i64, i16, i64, i64, i64, i64, i64, i64, i64, i64);

#[derive(diesel::QueryableByName)]
struct Hour {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    customer_id: i64,
    #[diesel(sql_type = diesel::sql_types::SmallInt)]
    direction: i16,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    hour: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    account_id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    total_calls: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    successful_calls: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    total_duration: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    success_duration: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    billed_duration: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    total_price: i64,
}

fn hour_rows(c: &mut DbConnection, sql: &str) -> Vec<HourRow> {
    let rows: Vec<Hour> = diesel::sql_query(sql).load(c).expect("hourly rows");
    let mut out: Vec<HourRow> = rows
        .into_iter()
        .map(|h| {
            (
                h.customer_id,
                h.direction,
                h.hour,
                h.account_id,
                h.total_calls,
                h.successful_calls,
                h.total_duration,
                h.success_duration,
                h.billed_duration,
                h.total_price,
            )
        })
        .collect();
    out.sort_unstable();
    out
}

/// The hourly rollups as stored.
pub fn hourly_rollups(c: &mut DbConnection) -> Vec<HourRow> {
    hour_rows(c, "SELECT * FROM cdr_hourly")
}

/// The hourly rollups computed afresh from the CDRs.
pub fn hourly_from_cdrs(c: &mut DbConnection) -> Vec<HourRow> {
    hour_rows(
        c,
        "SELECT customer_id, direction, (time_start / 3600000) * 3600 AS hour, account_id, \
         count(*) AS total_calls, \
         CAST(sum(CASE WHEN success THEN 1 ELSE 0 END) AS BIGINT) AS successful_calls, \
         CAST(sum(duration) AS BIGINT) AS total_duration, \
         CAST(sum(CASE WHEN success THEN duration ELSE 0 END) AS BIGINT) AS success_duration, \
         CAST(sum(billed_duration) AS BIGINT) AS billed_duration, \
         CAST(sum(price) AS BIGINT) AS total_price \
         FROM cdrs GROUP BY customer_id, direction, (time_start / 3600000) * 3600, account_id",
    )
}
