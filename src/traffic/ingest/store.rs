//! Storing validated CDRs: accounts resolved, known external ids skipped (`ON CONFLICT DO
//! NOTHING … RETURNING`), and the hourly rollups and per-number daily counters of the new rows
//! updated in the same transaction.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::{NewCdr, ParsedCdr, refuse, row_err};
use crate::db::DbConnection;
use crate::db::schema::{accounts, cdr_hourly, cdrs, number_daily, numbers};
use crate::error::{AppResult, FieldError};
use crate::traffic::INCOMING;

/// What became of a batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IngestResult {
    /// Rows in the request.
    pub received: usize,
    /// Rows stored now.
    pub inserted: usize,
    /// Rows whose external id was known already (or repeated in the batch): skipped.
    pub duplicates: usize,
}

/// Resolves accounts, drops known external ids and inserts the rest with their rollups.
/// Call inside a transaction: any error refuses the whole batch.
pub fn store(conn: &mut DbConnection, rows: Vec<ParsedCdr>) -> AppResult<IngestResult> {
    // Inserting into the indexes of a big table touches pages all over them: give SQLite's
    // page cache room for this batch, and hand the memory back afterwards.
    let sqlite = matches!(conn, DbConnection::Sqlite(_));
    if sqlite {
        diesel::sql_query("PRAGMA cache_size = -262144").execute(conn)?;
    }
    let result = store_rows(conn, rows);
    if sqlite {
        diesel::sql_query("PRAGMA cache_size = -2000").execute(conn)?;
        diesel::sql_query("PRAGMA shrink_memory").execute(conn)?;
    }
    result
}

/// Account → customer, and customer → first account, each looked up once per batch.
#[derive(Default)]
struct Owners {
    of_account: HashMap<i64, Option<i64>>,
    first_account: HashMap<i64, Option<i64>>,
}

impl Owners {
    fn of_account(&mut self, conn: &mut DbConnection, a: i64) -> AppResult<Option<i64>> {
        if let Some(o) = self.of_account.get(&a) {
            return Ok(*o);
        }
        let o = accounts::table.find(a).select(accounts::customer_id).first(conn).optional()?;
        self.of_account.insert(a, o);
        Ok(o)
    }

    fn first_account(&mut self, conn: &mut DbConnection, c: i64) -> AppResult<Option<i64>> {
        if let Some(a) = self.first_account.get(&c) {
            return Ok(*a);
        }
        let q = accounts::table.filter(accounts::customer_id.eq(c)).order(accounts::id.asc()).select(accounts::id);
        let a = q.first(conn).optional()?;
        self.first_account.insert(c, a);
        Ok(a)
    }

    /// The (account, customer) a row is booked to, or what is wrong with it.
    fn resolve(&mut self, conn: &mut DbConnection, p: &ParsedCdr) -> AppResult<Result<(i64, i64), FieldError>> {
        let err = |field: &str, m: String| Ok(Err(row_err(p.row, field, m)));
        match (p.account_id, p.customer_id) {
            (Some(a), c) => match self.of_account(conn, a)? {
                None => err("accountId", format!("there is no account {a}")),
                Some(o) if c.is_some_and(|c| c != o) => {
                    err("customerId", format!("account {a} belongs to customer {o}"))
                }
                Some(o) => Ok(Ok((a, o))),
            },
            (None, Some(c)) => match self.first_account(conn, c)? {
                None => err("customerId", format!("customer {c} does not exist or has no account")),
                Some(a) => Ok(Ok((a, c))),
            },
            (None, None) => err("accountId", "accountId or customerId is required".into()),
        }
    }
}

fn store_rows(conn: &mut DbConnection, rows: Vec<ParsedCdr>) -> AppResult<IngestResult> {
    let received = rows.len();
    let mut owners = Owners::default();
    let mut errs = Vec::new();
    let mut resolved = Vec::with_capacity(rows.len());
    for mut p in rows {
        match owners.resolve(conn, &p)? {
            Ok((account, customer)) => {
                p.cdr.account_id = account;
                p.cdr.customer_id = customer;
                resolved.push(p.cdr);
            }
            Err(e) if errs.len() < 19 => errs.push(e),
            Err(e) => {
                errs.push(e);
                break;
            }
        }
    }
    if !errs.is_empty() {
        return Err(refuse(errs));
    }
    // Idempotency: repeats within the batch are dropped here, ids already stored by the
    // database (ON CONFLICT DO NOTHING); RETURNING says which rows are new, and only those
    // reach the rollups.
    let mut seen: HashSet<&str> = HashSet::with_capacity(resolved.len());
    let unique: Vec<&NewCdr> = resolved.iter().filter(|c| seen.insert(c.external_id.as_str())).collect();
    let mut fresh: Vec<NewCdr> = Vec::with_capacity(unique.len());
    for chunk in unique.chunks(1000) {
        let rows: Vec<NewCdr> = chunk.iter().map(|c| (*c).clone()).collect();
        // Plain column tuples (not the derived Insertable, whose values are "defaultable"):
        // SQLite then gets one multi-row INSERT instead of one statement per row.
        let values: Vec<_> = rows.iter().map(tuple).collect();
        let inserted: Vec<String> = crate::with_conn!(conn, |c| diesel::insert_into(cdrs::table)
            .values(&values)
            .on_conflict(cdrs::external_id)
            .do_nothing()
            .returning(cdrs::external_id)
            .get_results::<String>(c))?;
        if inserted.len() == rows.len() {
            fresh.extend(rows);
        } else {
            let new: HashSet<String> = inserted.into_iter().collect();
            fresh.extend(rows.into_iter().filter(|r| new.contains(&r.external_id)));
        }
    }
    update_rollups(conn, &fresh)?;
    Ok(IngestResult { received, inserted: fresh.len(), duplicates: received - fresh.len() })
}

#[allow(clippy::type_complexity)]
fn tuple(
    r: &NewCdr,
) -> (
    diesel::dsl::Eq<cdrs::external_id, &String>,
    diesel::dsl::Eq<cdrs::customer_id, i64>,
    diesel::dsl::Eq<cdrs::account_id, i64>,
    diesel::dsl::Eq<cdrs::direction, i16>,
    diesel::dsl::Eq<cdrs::time_start, i64>,
    diesel::dsl::Eq<cdrs::time_connect, Option<i64>>,
    diesel::dsl::Eq<cdrs::time_end, Option<i64>>,
    diesel::dsl::Eq<cdrs::duration, i32>,
    diesel::dsl::Eq<cdrs::billed_duration, i32>,
    diesel::dsl::Eq<cdrs::success, bool>,
    diesel::dsl::Eq<cdrs::src_number, &String>,
    diesel::dsl::Eq<cdrs::dst_number, &String>,
    diesel::dsl::Eq<cdrs::destination_prefix, &String>,
    diesel::dsl::Eq<cdrs::destination_name, &String>,
    diesel::dsl::Eq<cdrs::rate, i64>,
    diesel::dsl::Eq<cdrs::price, i64>,
    diesel::dsl::Eq<cdrs::disconnect_code, Option<i32>>,
    diesel::dsl::Eq<cdrs::disconnect_reason, &String>,
) {
    (
        cdrs::external_id.eq(&r.external_id),
        cdrs::customer_id.eq(r.customer_id),
        cdrs::account_id.eq(r.account_id),
        cdrs::direction.eq(r.direction),
        cdrs::time_start.eq(r.time_start),
        cdrs::time_connect.eq(r.time_connect),
        cdrs::time_end.eq(r.time_end),
        cdrs::duration.eq(r.duration),
        cdrs::billed_duration.eq(r.billed_duration),
        cdrs::success.eq(r.success),
        cdrs::src_number.eq(&r.src_number),
        cdrs::dst_number.eq(&r.dst_number),
        cdrs::destination_prefix.eq(&r.destination_prefix),
        cdrs::destination_name.eq(&r.destination_name),
        cdrs::rate.eq(r.rate),
        cdrs::price.eq(r.price),
        cdrs::disconnect_code.eq(r.disconnect_code),
        cdrs::disconnect_reason.eq(&r.disconnect_reason),
    )
}

#[derive(Default, Clone, Copy)]
struct Agg {
    total: i64,
    ok: i64,
    duration: i64,
    ok_duration: i64,
    billed: i64,
    price: i64,
}

fn update_rollups(conn: &mut DbConnection, rows: &[NewCdr]) -> AppResult<()> {
    let mut hourly: HashMap<(i64, i16, i64, i64), Agg> = HashMap::new();
    for c in rows {
        let hour = c.time_start.div_euclid(3_600_000) * 3600;
        let a = hourly.entry((c.customer_id, c.direction, hour, c.account_id)).or_default();
        a.total += 1;
        a.duration += i64::from(c.duration);
        a.billed += i64::from(c.billed_duration);
        a.price += c.price;
        if c.success {
            a.ok += 1;
            a.ok_duration += i64::from(c.duration);
        }
    }
    let values: Vec<_> = hourly
        .into_iter()
        .map(|((customer, direction, hour, account), a)| {
            (
                cdr_hourly::customer_id.eq(customer),
                cdr_hourly::direction.eq(direction),
                cdr_hourly::hour.eq(hour),
                cdr_hourly::account_id.eq(account),
                cdr_hourly::total_calls.eq(a.total),
                cdr_hourly::successful_calls.eq(a.ok),
                cdr_hourly::total_duration.eq(a.duration),
                cdr_hourly::success_duration.eq(a.ok_duration),
                cdr_hourly::billed_duration.eq(a.billed),
                cdr_hourly::total_price.eq(a.price),
            )
        })
        .collect();
    for chunk in values.chunks(500) {
        use diesel::upsert::excluded;
        crate::with_conn!(conn, |c| diesel::insert_into(cdr_hourly::table)
            .values(chunk)
            .on_conflict((cdr_hourly::customer_id, cdr_hourly::direction, cdr_hourly::hour, cdr_hourly::account_id))
            .do_update()
            .set((
                cdr_hourly::total_calls.eq(cdr_hourly::total_calls + excluded(cdr_hourly::total_calls)),
                cdr_hourly::successful_calls.eq(cdr_hourly::successful_calls + excluded(cdr_hourly::successful_calls)),
                cdr_hourly::total_duration.eq(cdr_hourly::total_duration + excluded(cdr_hourly::total_duration)),
                cdr_hourly::success_duration.eq(cdr_hourly::success_duration + excluded(cdr_hourly::success_duration)),
                cdr_hourly::billed_duration.eq(cdr_hourly::billed_duration + excluded(cdr_hourly::billed_duration)),
                cdr_hourly::total_price.eq(cdr_hourly::total_price + excluded(cdr_hourly::total_price)),
            ))
            .execute(c))?;
    }
    // Calls to the customer's own numbers (campaign tracking), per UTC day.
    let incoming: Vec<&NewCdr> = rows.iter().filter(|c| c.direction == INCOMING).collect();
    if incoming.is_empty() {
        return Ok(());
    }
    let mut wanted: Vec<&str> = incoming.iter().map(|c| c.dst_number.as_str()).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut owned: HashMap<(i64, String), i64> = HashMap::new();
    for chunk in wanted.chunks(900) {
        let found: Vec<(i64, i64, String)> = numbers::table
            .filter(numbers::number.eq_any(chunk))
            .select((numbers::id, numbers::customer_id, numbers::number))
            .load(conn)?;
        for (id, customer, number) in found {
            owned.insert((customer, number), id);
        }
    }
    if owned.is_empty() {
        return Ok(());
    }
    let mut daily: HashMap<(i64, i64), (i64, i64)> = HashMap::new();
    for c in incoming {
        if let Some(nid) = owned.get(&(c.customer_id, c.dst_number.clone())) {
            let day = c.time_start.div_euclid(86_400_000) * 86_400;
            let e = daily.entry((*nid, day)).or_default();
            e.0 += 1;
            if c.success {
                e.1 += 1;
            }
        }
    }
    let values: Vec<_> = daily
        .into_iter()
        .map(|((nid, day), (calls, ok))| {
            (
                number_daily::number_id.eq(nid),
                number_daily::day.eq(day),
                number_daily::calls.eq(calls),
                number_daily::successful_calls.eq(ok),
            )
        })
        .collect();
    for chunk in values.chunks(500) {
        use diesel::upsert::excluded;
        crate::with_conn!(conn, |c| diesel::insert_into(number_daily::table)
            .values(chunk)
            .on_conflict((number_daily::number_id, number_daily::day))
            .do_update()
            .set((
                number_daily::calls.eq(number_daily::calls + excluded(number_daily::calls)),
                number_daily::successful_calls
                    .eq(number_daily::successful_calls + excluded(number_daily::successful_calls)),
            ))
            .execute(c))?;
    }
    Ok(())
}
