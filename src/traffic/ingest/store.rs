//! Storing validated CDRs: accounts resolved, known external ids skipped, and the hourly
//! rollups and per-number daily counters of the new rows updated in the same transaction.
//!
//! PostgreSQL, after making sure the months of the batch have their partitions, streams new
//! rows with `COPY … FROM STDIN` straight into `cdr_keys` and `cdrs`; a batch holding a known
//! external id goes through a temporary table and one `INSERT … SELECT … ON CONFLICT DO
//! NOTHING` that claims its ids in `cdr_keys`. SQLite inserts with a prepared multi-row
//! statement into its plain table (unique on `external_id`).

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::{NewCdr, ParsedCdr, refuse, row_err};
use crate::db::DbConnection;
use crate::db::schema::{accounts, cdr_hourly, cdrs, number_daily, numbers};
use crate::error::{AppError, AppResult, FieldError};
use crate::traffic::INCOMING;
use crate::traffic::partitions;

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
    // database; only the rows that are new reach the rollups.
    let mut seen: HashSet<&str> = HashSet::with_capacity(resolved.len());
    let mut unique: Vec<&NewCdr> = resolved.iter().filter(|c| seen.insert(c.external_id.as_str())).collect();
    // In the order of the list index: ids and index entries are then written in order.
    unique.sort_by_key(|c| (c.customer_id, c.direction, c.time_start));
    // PostgreSQL: every month of the batch needs its partition before a row goes in.
    let months = partitions::months_of(unique.iter().map(|c| c.time_start), crate::traffic::time::now_ms());
    partitions::ensure(conn, months)?;
    let inserted = match conn {
        DbConnection::Postgresql(pg) => copy_in(pg, &unique)?,
        DbConnection::Sqlite(lite) => Some(insert_sqlite(lite, &unique)?).filter(|new| new.len() < unique.len()),
    };
    let fresh: Vec<&NewCdr> = match inserted {
        None => unique,
        Some(new) => unique.into_iter().filter(|c| new.contains(&c.external_id)).collect(),
    };
    update_rollups(conn, &fresh)?;
    Ok(IngestResult { received, inserted: fresh.len(), duplicates: received - fresh.len() })
}

/// The column values of a CDR for an insert into `$table` (`cdrs`, or the batch table), after
/// any `$first` values (the id, when it is known).
macro_rules! cdr_values {
    ($table:ident, $r:expr $(, $first:expr)*) => {{
        let r: &NewCdr = $r;
        (
            $($first,)*
            $table::external_id.eq(&r.external_id),
            $table::customer_id.eq(r.customer_id),
            $table::account_id.eq(r.account_id),
            $table::direction.eq(r.direction),
            $table::time_start.eq(r.time_start),
            $table::time_connect.eq(r.time_connect),
            $table::time_end.eq(r.time_end),
            $table::duration.eq(r.duration),
            $table::billed_duration.eq(r.billed_duration),
            $table::success.eq(r.success),
            $table::src_number.eq(&r.src_number),
            $table::dst_number.eq(&r.dst_number),
            $table::destination_prefix.eq(&r.destination_prefix),
            $table::destination_name.eq(&r.destination_name),
            $table::rate.eq(r.rate),
            $table::price.eq(r.price),
            $table::disconnect_code.eq(r.disconnect_code),
            $table::disconnect_reason.eq(&r.disconnect_reason),
        )
    }};
}

diesel::table! {
    /// The batch being ingested on PostgreSQL: a temporary table, filled by `COPY`.
    cdr_incoming (external_id) {
        external_id -> Text,
        customer_id -> BigInt,
        account_id -> BigInt,
        direction -> SmallInt,
        time_start -> BigInt,
        time_connect -> Nullable<BigInt>,
        time_end -> Nullable<BigInt>,
        duration -> Integer,
        billed_duration -> Integer,
        success -> Bool,
        src_number -> Text,
        dst_number -> Text,
        destination_prefix -> Text,
        destination_name -> Text,
        rate -> BigInt,
        price -> BigInt,
        disconnect_code -> Nullable<Integer>,
        disconnect_reason -> Text,
    }
}

diesel::table! {
    /// PostgreSQL: the external ids of all CDRs (unique), with the CDR each names.
    cdr_keys (external_id) {
        external_id -> Text,
        cdr_id -> BigInt,
        time_start -> BigInt,
    }
}

/// The batch's table: the columns ingest writes, and the id each row gets from `cdrs`' own
/// sequence as `COPY` fills it (so ids follow the batch's order).
const CREATE_INCOMING: &str = r#"CREATE TEMP TABLE cdr_incoming (
    external_id TEXT COLLATE "C" NOT NULL, customer_id BIGINT NOT NULL, account_id BIGINT NOT NULL,
    direction SMALLINT NOT NULL, time_start BIGINT NOT NULL, time_connect BIGINT, time_end BIGINT,
    duration INTEGER NOT NULL, billed_duration INTEGER NOT NULL, success BOOLEAN NOT NULL,
    src_number TEXT NOT NULL, dst_number TEXT NOT NULL, destination_prefix TEXT NOT NULL,
    destination_name TEXT NOT NULL, rate BIGINT NOT NULL, price BIGINT NOT NULL,
    disconnect_code INTEGER, disconnect_reason TEXT NOT NULL,
    id BIGINT NOT NULL DEFAULT nextval('cdrs_id_seq')
) ON COMMIT DROP"#;

/// Claims the external ids that are new in `cdr_keys`, in key order (the unique index is then
/// written in order): a known one is skipped; a concurrent batch with the same id waits for
/// the other's commit, then skips it.
const CLAIM_KEYS: &str = "INSERT INTO cdr_keys (external_id, cdr_id, time_start)
SELECT external_id, id, time_start FROM cdr_incoming ORDER BY external_id
ON CONFLICT (external_id) DO NOTHING";

/// Drops the rows whose external id is held by another CDR (stored earlier, or by a batch that
/// committed while this one waited): only the rows whose claim succeeded stay.
const DROP_KNOWN: &str = "DELETE FROM cdr_incoming i WHERE NOT EXISTS
    (SELECT 1 FROM cdr_keys k WHERE k.external_id = i.external_id AND k.cdr_id = i.id)";

/// Moves the claimed rows into `cdrs`, with the ids their keys name.
const MOVE_INCOMING: &str = "INSERT INTO cdrs (id, external_id, customer_id, account_id, direction,
    time_start, time_connect, time_end, duration, billed_duration, success, src_number, dst_number,
    destination_prefix, destination_name, rate, price, disconnect_code, disconnect_reason)
SELECT id, external_id, customer_id, account_id, direction, time_start, time_connect, time_end,
    duration, billed_duration, success, src_number, dst_number, destination_prefix,
    destination_name, rate, price, disconnect_code, disconnect_reason
FROM cdr_incoming";

#[derive(QueryableByName)]
struct ExternalId {
    #[diesel(sql_type = diesel::sql_types::Text)]
    external_id: String,
}

/// PostgreSQL: the accounts of the batch are held, then its rows stored by [`copy_direct`], or
/// by [`copy_claimed`] when some of its external ids are stored already. Returns the
/// external ids stored now, `None` when that is all of them.
fn copy_in(c: &mut diesel::PgConnection, rows: &[&NewCdr]) -> AppResult<Option<HashSet<String>>> {
    if rows.is_empty() {
        return Ok(None);
    }
    // In a transaction of its own when the caller has none (a savepoint otherwise).
    c.transaction(|c| {
        // The rows' accounts were checked (they exist, and are their customer's); held until
        // the commit so that none is deleted meanwhile — what a foreign key's check per row
        // would do (the table has none: an account's delete trigger removes its traffic).
        let mut wanted: Vec<i64> = rows.iter().map(|r| r.account_id).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let held: Vec<i64> =
            accounts::table.filter(accounts::id.eq_any(&wanted)).select(accounts::id).for_key_share().load(c)?;
        if held.len() != wanted.len() {
            return Err(AppError::Conflict(
                "An account of the batch was deleted meanwhile: nothing stored.".into(),
                vec![],
            ));
        }
        // A batch sent again is seen by a look at three of its keys, and claimed right away.
        let ids = rows.iter().map(|r| r.external_id.as_str());
        let sample = [ids.clone().min(), ids.max(), rows.get(rows.len() / 2).map(|r| r.external_id.as_str())];
        let seen: i64 =
            cdr_keys::table.filter(cdr_keys::external_id.eq_any(sample.iter().flatten())).count().get_result(c)?;
        if seen > 0 {
            return Ok(copy_claimed(c, rows)?);
        }
        match c.transaction(|c| copy_direct(c, rows)) {
            Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                // Rolled back to the savepoint: nothing of this batch is stored yet.
                tracing::debug!(rows = rows.len(), "a key of the batch is stored already: claiming its keys");
                Ok(copy_claimed(c, rows)?)
            }
            stored => Ok(stored.map(|()| None)?),
        }
    })
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

/// The common case, new rows: ids for them are taken from `cdrs`' sequence (in the batch's
/// order), and the keys and the rows streamed with `COPY … FROM STDIN` (binary) straight into
/// `cdr_keys` and `cdrs` — no statement per row, no staging table, no lookup of each key. When
/// a key is stored already (a batch sent again), or by a concurrent batch (the `COPY` waits
/// for that one's commit), the key's `COPY` fails with a unique violation: the caller then
/// rolls back to its savepoint and stores the batch through [`copy_claimed`].
fn copy_direct(c: &mut diesel::PgConnection, rows: &[&NewCdr]) -> QueryResult<()> {
    let taken: Vec<Id> =
        diesel::sql_query("SELECT nextval('cdrs_id_seq') AS id FROM generate_series(1, $1) ORDER BY 1")
            .bind::<diesel::sql_types::BigInt, _>(rows.len() as i64)
            .load(c)?;
    let mut claims: Vec<(&NewCdr, i64)> = rows.iter().copied().zip(taken.iter().map(|t| t.id)).collect();
    // In key order: the unique index is then written in order.
    claims.sort_unstable_by(|a, b| a.0.external_id.cmp(&b.0.external_id));
    let keys: Vec<_> = claims
        .iter()
        .map(|(r, id)| {
            (cdr_keys::external_id.eq(&r.external_id), cdr_keys::cdr_id.eq(*id), cdr_keys::time_start.eq(r.time_start))
        })
        .collect();
    diesel::copy_from(cdr_keys::table).from_insertable(keys).execute(c)?;
    let values: Vec<_> = rows.iter().zip(&taken).map(|(r, id)| cdr_values!(cdrs, r, cdrs::id.eq(id.id))).collect();
    diesel::copy_from(cdrs::table).from_insertable(values).execute(c)?;
    Ok(())
}

/// A batch holding known external ids (or ids a concurrent batch is storing): it is streamed
/// with `COPY` into a temporary table, its keys claimed with one idempotent `INSERT … SELECT` (a key being stored
/// by another batch waits for that one's commit, then is skipped), and the claimed rows moved
/// into `cdrs` with another.
fn copy_claimed(c: &mut diesel::PgConnection, rows: &[&NewCdr]) -> QueryResult<Option<HashSet<String>>> {
    use diesel::connection::SimpleConnection;
    // Sorting the key claim in memory instead of on disk.
    c.batch_execute("SET LOCAL work_mem = '64MB'")?;
    c.batch_execute(CREATE_INCOMING)?;
    let values: Vec<_> = rows.iter().map(|r| cdr_values!(cdr_incoming, r)).collect();
    diesel::copy_from(cdr_incoming::table).from_insertable(values).execute(c)?;
    let claimed = diesel::sql_query(CLAIM_KEYS).execute(c)?;
    let fresh = if claimed == rows.len() {
        None
    } else {
        diesel::sql_query(DROP_KNOWN).execute(c)?;
        let ids: Vec<ExternalId> = diesel::sql_query("SELECT external_id FROM cdr_incoming").load(c)?;
        Some(ids.into_iter().map(|e| e.external_id).collect())
    };
    diesel::sql_query(MOVE_INCOMING).execute(c)?;
    // Several batches may share a transaction (import-cdrs): the next one makes it again.
    c.batch_execute("DROP TABLE cdr_incoming")?;
    Ok(fresh)
}

/// SQLite: multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING` (the unique index on
/// `external_id` skips known ids). Returns the external ids stored now.
///
/// Full chunks are one statement of a fixed shape (an array of values has a static query id),
/// prepared once per connection and reused; only the last, shorter chunk is prepared anew.
/// Plain column tuples, not the derived `Insertable` whose "defaultable" values would make
/// diesel send one statement per row.
fn insert_sqlite(c: &mut diesel::SqliteConnection, rows: &[&NewCdr]) -> AppResult<HashSet<String>> {
    const N: usize = 500;
    macro_rules! insert {
        ($values:expr) => {
            diesel::insert_into(cdrs::table)
                .values($values)
                .on_conflict(cdrs::external_id)
                .do_nothing()
                .returning(cdrs::external_id)
                .get_results::<String>(c)?
        };
    }
    let mut new = HashSet::with_capacity(rows.len());
    let mut chunks = rows.chunks_exact(N);
    for chunk in &mut chunks {
        let values: [_; N] = std::array::from_fn(|i| cdr_values!(cdrs, chunk[i]));
        new.extend(insert!(&values));
    }
    let rest: Vec<_> = chunks.remainder().iter().map(|r| cdr_values!(cdrs, r)).collect();
    if !rest.is_empty() {
        new.extend(insert!(&rest));
    }
    Ok(new)
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

fn update_rollups(conn: &mut DbConnection, rows: &[&NewCdr]) -> AppResult<()> {
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
    let incoming: Vec<&NewCdr> = rows.iter().copied().filter(|c| c.direction == INCOMING).collect();
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
