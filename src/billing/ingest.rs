//! What the operator's billing pushes (SPEC §8): invoices, payments, transactions and services,
//! and the rateplans, numbers, campaigns and numberlists it manages. A push is one object or an
//! array (read at the API edge), stored all-or-nothing with one audit row in one transaction
//! ([`ingest`]); records with a known `externalId` are not stored twice.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

use crate::audit::{self, Actor};
use crate::db::schema::{accounts, invoices, payments, services, transactions};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult};
use crate::numberlists::NumberlistIn;
use crate::numbers::{CampaignIn, NumberIn};
use crate::rateplans::RateplanIn;

/// One push of the operator's systems: its rows, of one kind.
#[derive(Debug)]
pub enum Batch {
    Invoices(Vec<InvoiceIn>),
    Payments(Vec<PaymentIn>),
    Transactions(Vec<TransactionIn>),
    Services(Vec<ServiceIn>),
    Rateplans(Vec<RateplanIn>),
    Numbers(Vec<NumberIn>),
    Campaigns(Vec<CampaignIn>),
    Numberlists(Vec<NumberlistIn>),
}

/// What a push stored: the ids of the records (invoices, rateplans, numberlists), or how many
/// rows it stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stored {
    Ids(Vec<i64>),
    Count(usize),
}

impl Stored {
    pub fn count(&self) -> usize {
        match self {
            Stored::Ids(ids) => ids.len(),
            Stored::Count(n) => *n,
        }
    }
}

impl Batch {
    /// The audit action and object type of the push.
    fn names(&self) -> (&'static str, &'static str) {
        match self {
            Batch::Invoices(_) => ("ingest.invoices", "invoice"),
            Batch::Payments(_) => ("ingest.payments", "payment"),
            Batch::Transactions(_) => ("ingest.transactions", "transaction"),
            Batch::Services(_) => ("ingest.services", "service"),
            Batch::Rateplans(_) => ("ingest.rateplans", "rateplan"),
            Batch::Numbers(_) => ("ingest.numbers", "number"),
            Batch::Campaigns(_) => ("ingest.campaigns", "campaign"),
            Batch::Numberlists(_) => ("ingest.numberlists", "numberlist"),
        }
    }

    fn store(self, c: &mut DbConnection) -> AppResult<Stored> {
        match self {
            Batch::Invoices(rows) => invoices_in(c, rows).map(Stored::Ids),
            Batch::Payments(rows) => payments_in(c, rows).map(Stored::Count),
            Batch::Transactions(rows) => transactions_in(c, rows).map(Stored::Count),
            Batch::Services(rows) => services_in(c, rows).map(Stored::Count),
            Batch::Rateplans(rows) => {
                rows.into_iter().map(|r| crate::rateplans::rateplan_in(c, r)).collect::<AppResult<_>>().map(Stored::Ids)
            }
            Batch::Numbers(rows) => crate::numbers::numbers_in(c, rows).map(Stored::Count),
            Batch::Campaigns(rows) => crate::numbers::campaigns_in(c, rows).map(Stored::Count),
            Batch::Numberlists(rows) => {
                let stored = rows.into_iter().map(|r| crate::numberlists::numberlist_in(c, r));
                stored.collect::<AppResult<_>>().map(Stored::Ids)
            }
        }
    }
}

/// Stores one push: every row or none, audited as `ingest.<kind>` with how many were stored.
pub fn ingest(c: &mut DbConnection, actor: &Actor, batch: Batch) -> AppResult<Stored> {
    let (action, object) = batch.names();
    write_tx(c, |c| {
        let stored = batch.store(c)?;
        audit::record(c, actor, action, object, None, Some(json!({ "stored": stored.count() })))?;
        Ok(stored)
    })
}

fn account_owner(conn: &mut DbConnection, row: usize, account: i64) -> AppResult<(i64, String)> {
    accounts::table
        .find(account)
        .select((accounts::customer_id, accounts::currency))
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::field(&format!("rows[{row}].accountId"), format!("there is no account {account}")))
}

fn money(row: usize, field: &str, v: &str) -> AppResult<i64> {
    crate::money::parse(v).map_err(|m| AppError::field(&format!("rows[{row}].{field}"), m))
}

fn instant(row: usize, field: &str, v: &str) -> AppResult<chrono::NaiveDateTime> {
    let ms = crate::traffic::time::parse_instant(v).map_err(|m| AppError::field(&format!("rows[{row}].{field}"), m))?;
    Ok(crate::traffic::time::utc(ms).naive_utc())
}

fn limit(row: usize, field: &str, v: &str, max: usize) -> AppResult<String> {
    let t = v.trim();
    if t.chars().count() > max {
        return Err(AppError::field(&format!("rows[{row}].{field}"), format!("at most {max} characters")));
    }
    Ok(t.to_string())
}

/// Whether a record with this external id is stored already. Concurrent pushes of the same id
/// are serialised first (PostgreSQL: a transaction-scoped advisory lock on the id; SQLite: the
/// write transaction holds the database lock), so a re-sent record is skipped, never doubled or
/// refused as a conflict.
fn known(conn: &mut DbConnection, table: &str, ext: &Option<String>) -> AppResult<bool> {
    let Some(e) = ext else { return Ok(false) };
    if let DbConnection::Postgresql(c) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind::<diesel::sql_types::Text, _>(format!("portico/{table}/{e}"))
            .execute(c)?;
    }
    let n: i64 = match table {
        "invoices" => invoices::table.filter(invoices::external_id.eq(e)).count().get_result(conn)?,
        "payments" => payments::table.filter(payments::external_id.eq(e)).count().get_result(conn)?,
        "transactions" => transactions::table.filter(transactions::external_id.eq(e)).count().get_result(conn)?,
        _ => services::table.filter(services::external_id.eq(e)).count().get_result(conn)?,
    };
    Ok(n > 0)
}

/// An invoice of an account (the customer and currency are the account's).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = InvoiceRow)]
pub struct InvoiceIn {
    /// The billing system's id: an invoice with a known one is not stored again.
    #[serde(default)]
    pub external_id: Option<String>,
    pub account_id: i64,
    #[schema(max_length = 100)]
    pub number: String,
    pub issued_on: NaiveDate,
    pub period_start: NaiveDate,
    /// Not before periodStart.
    pub period_end: NaiveDate,
    pub due_on: NaiveDate,
    /// A decimal string (`"100.00"`).
    #[schema(example = "100.00")]
    pub amount: String,
    /// A decimal string (default 0).
    #[serde(default)]
    #[schema(example = "19.00")]
    pub tax: Option<String>,
    /// A decimal string (default amount + tax).
    #[serde(default)]
    pub total: Option<String>,
    /// `open` (default), `paid`, `overdue` or `void`.
    #[serde(default = "open_status")]
    #[schema(example = "open")]
    pub status: String,
    #[serde(default)]
    pub lines: Vec<super::InvoiceLine>,
}

fn open_status() -> String {
    "open".into()
}

/// Returns the ids of the stored invoices (existing ones for known external ids).
pub fn invoices_in(conn: &mut DbConnection, rows: Vec<InvoiceIn>) -> AppResult<Vec<i64>> {
    let mut ids = Vec::new();
    for (i, r) in rows.into_iter().enumerate() {
        let row = i + 1;
        if let Some(e) = &r.external_id
            && known(conn, "invoices", &r.external_id)?
        {
            ids.push(invoices::table.filter(invoices::external_id.eq(e)).select(invoices::id).first(conn)?);
            continue;
        }
        let (customer, currency) = account_owner(conn, row, r.account_id)?;
        let amount = money(row, "amount", &r.amount)?;
        let tax = r.tax.as_deref().map(|t| money(row, "tax", t)).transpose()?.unwrap_or(0);
        let total = r.total.as_deref().map(|t| money(row, "total", t)).transpose()?.unwrap_or(amount + tax);
        if r.period_end < r.period_start {
            return Err(AppError::field(&format!("rows[{row}].periodEnd"), "before periodStart"));
        }
        if !matches!(r.status.as_str(), "open" | "paid" | "overdue" | "void") {
            return Err(AppError::field(&format!("rows[{row}].status"), "open, paid, overdue or void"));
        }
        for (j, l) in r.lines.iter().enumerate() {
            for (f, v) in [("quantity", &l.quantity), ("unitPrice", &l.unit_price), ("amount", &l.amount)] {
                crate::money::parse(v).map_err(|m| AppError::field(&format!("rows[{row}].lines[{}].{f}", j + 1), m))?;
            }
        }
        let id: i64 = crate::with_conn!(conn, |c| diesel::insert_into(invoices::table)
            .values((
                invoices::external_id.eq(&r.external_id),
                invoices::customer_id.eq(customer),
                invoices::account_id.eq(r.account_id),
                invoices::number.eq(limit(row, "number", &r.number, 100)?),
                invoices::issued_on.eq(r.issued_on),
                invoices::period_start.eq(r.period_start),
                invoices::period_end.eq(r.period_end),
                invoices::due_on.eq(r.due_on),
                invoices::currency.eq(currency),
                invoices::amount.eq(amount),
                invoices::tax.eq(tax),
                invoices::total.eq(total),
                invoices::status.eq(&r.status),
                invoices::lines.eq(serde_json::to_string(&r.lines).unwrap_or_else(|_| "[]".into())),
                invoices::created_at.eq(crate::now()),
            ))
            .returning(invoices::id)
            .get_result(c))?;
        ids.push(id);
    }
    Ok(ids)
}

/// A payment into an account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = PaymentRow)]
pub struct PaymentIn {
    /// The billing system's id: a payment with a known one is skipped.
    #[serde(default)]
    pub external_id: Option<String>,
    pub account_id: i64,
    /// A decimal string (`"119.00"`).
    #[schema(example = "119.00")]
    pub amount: String,
    #[serde(default)]
    #[schema(max_length = 50)]
    pub method: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub reference: String,
    /// Default `completed`.
    #[serde(default = "completed")]
    #[schema(max_length = 30)]
    pub status: String,
    /// RFC 3339 (`2026-05-01T10:15:00Z`).
    #[schema(format = DateTime, example = "2026-05-01T10:15:00Z")]
    pub paid_at: String,
}

fn completed() -> String {
    "completed".into()
}

/// Stores every row whose external id is not known yet in `table` (`store` gets the row's
/// 1-based number); returns how many it stored.
fn store_new<R>(
    conn: &mut DbConnection,
    table: &str,
    rows: impl IntoIterator<Item = (Option<String>, R)>,
    mut store: impl FnMut(&mut DbConnection, usize, R) -> AppResult<()>,
) -> AppResult<usize> {
    let mut n = 0;
    for (i, (external_id, r)) in rows.into_iter().enumerate() {
        if !known(conn, table, &external_id)? {
            store(conn, i + 1, r)?;
            n += 1;
        }
    }
    Ok(n)
}

pub fn payments_in(conn: &mut DbConnection, rows: Vec<PaymentIn>) -> AppResult<usize> {
    let rows = rows.into_iter().map(|r| (r.external_id.clone(), r));
    store_new(conn, "payments", rows, |conn, row, r| {
        let (customer, currency) = account_owner(conn, row, r.account_id)?;
        diesel::insert_into(payments::table)
            .values((
                payments::external_id.eq(&r.external_id),
                payments::customer_id.eq(customer),
                payments::account_id.eq(r.account_id),
                payments::amount.eq(money(row, "amount", &r.amount)?),
                payments::currency.eq(currency),
                payments::method.eq(limit(row, "method", &r.method, 50)?),
                payments::reference.eq(limit(row, "reference", &r.reference, 200)?),
                payments::status.eq(limit(row, "status", &r.status, 30)?),
                payments::paid_at.eq(instant(row, "paidAt", &r.paid_at)?),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// A ledger entry: the account's balance moves by `amount` when it is stored.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = TransactionRow)]
pub struct TransactionIn {
    /// The billing system's id: an entry with a known one is not booked again.
    #[serde(default)]
    pub external_id: Option<String>,
    pub account_id: i64,
    /// A decimal string, negative for charges (`"-12.50"`).
    #[schema(example = "-12.50")]
    pub amount: String,
    /// Default `adjustment`.
    #[serde(default = "adjustment")]
    #[schema(max_length = 50)]
    pub kind: String,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub description: String,
    /// RFC 3339 (`2026-05-01T10:15:00Z`).
    #[schema(format = DateTime, example = "2026-05-01T10:15:00Z")]
    pub occurred_at: String,
}

fn adjustment() -> String {
    "adjustment".into()
}

/// Books a transaction: the account balance changes by `amount` and the ledger row is written
/// in the same transaction. The change is one atomic `UPDATE … SET balance = balance + amount`
/// (never read in Rust and written back), so concurrent bookings on one account add up exactly;
/// the ledger's `balance_after` is the value that very statement produced.
pub fn book(
    conn: &mut DbConnection,
    account: i64,
    amount: i64,
    kind: &str,
    description: &str,
    external: Option<&str>,
    at: chrono::NaiveDateTime,
) -> AppResult<i64> {
    let now = crate::now();
    // The guard keeps the sum inside BIGINT on both databases (PostgreSQL would raise, SQLite
    // would turn it into a float).
    let moved: Option<(i64, i64)> = crate::with_conn!(conn, |c| {
        let target = accounts::table.find(account);
        let q = diesel::update(target)
            .set((accounts::balance.eq(accounts::balance + amount), accounts::updated_at.eq(now)));
        if amount >= 0 {
            q.filter(accounts::balance.le(i64::MAX - amount))
                .returning((accounts::balance, accounts::customer_id))
                .get_result(c)
                .optional()
        } else {
            q.filter(accounts::balance.ge(i64::MIN - amount))
                .returning((accounts::balance, accounts::customer_id))
                .get_result(c)
                .optional()
        }
    })?;
    let (after, customer) = match moved {
        Some(m) => m,
        None => {
            // Either no such account, or the sum would not fit.
            accounts::table.find(account).select(accounts::id).first::<i64>(conn)?;
            return Err(AppError::field("amount", "The balance would overflow."));
        }
    };
    diesel::insert_into(transactions::table)
        .values((
            transactions::external_id.eq(external),
            transactions::customer_id.eq(customer),
            transactions::account_id.eq(account),
            transactions::amount.eq(amount),
            transactions::balance_after.eq(after),
            transactions::kind.eq(kind),
            transactions::description.eq(description),
            transactions::occurred_at.eq(at),
        ))
        .execute(conn)?;
    // Falling below the account's minimum (once per crossing) tells its administrators.
    crate::mail::messages::low_balance_if_crossed(conn, account, after - amount, after)?;
    Ok(after)
}

pub fn transactions_in(conn: &mut DbConnection, rows: Vec<TransactionIn>) -> AppResult<usize> {
    let rows = rows.into_iter().map(|r| (r.external_id.clone(), r));
    store_new(conn, "transactions", rows, |conn, row, r| {
        account_owner(conn, row, r.account_id)?;
        let amount = money(row, "amount", &r.amount)?;
        let kind = limit(row, "kind", &r.kind, 50)?;
        let description = limit(row, "description", &r.description, 500)?;
        let at = instant(row, "occurredAt", &r.occurred_at)?;
        book(conn, r.account_id, amount, &kind, &description, r.external_id.as_deref(), at).map(|_| ())
    })
}

/// A service the customer has on an account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = ServiceRow)]
pub struct ServiceIn {
    /// The billing system's id: a service with a known one is skipped.
    #[serde(default)]
    pub external_id: Option<String>,
    pub account_id: i64,
    #[schema(max_length = 200)]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub description: String,
    /// A decimal string (`"50.00"`).
    #[schema(example = "50.00")]
    pub price: String,
    /// Default `monthly`.
    #[serde(default = "monthly")]
    #[schema(max_length = 30)]
    pub period: String,
    #[serde(default = "one")]
    #[schema(minimum = 0)]
    pub quantity: i32,
    pub started_on: NaiveDate,
    #[serde(default)]
    pub renews_on: Option<NaiveDate>,
    /// Default `active`.
    #[serde(default = "active")]
    #[schema(max_length = 30)]
    pub status: String,
}

fn monthly() -> String {
    "monthly".into()
}
fn one() -> i32 {
    1
}
fn active() -> String {
    "active".into()
}

pub fn services_in(conn: &mut DbConnection, rows: Vec<ServiceIn>) -> AppResult<usize> {
    let rows = rows.into_iter().map(|r| (r.external_id.clone(), r));
    store_new(conn, "services", rows, |conn, row, r| {
        let (customer, currency) = account_owner(conn, row, r.account_id)?;
        if r.quantity < 0 {
            return Err(AppError::field(&format!("rows[{row}].quantity"), "≥ 0"));
        }
        diesel::insert_into(services::table)
            .values((
                services::external_id.eq(&r.external_id),
                services::customer_id.eq(customer),
                services::account_id.eq(r.account_id),
                services::name.eq(limit(row, "name", &r.name, 200)?),
                services::description.eq(limit(row, "description", &r.description, 1000)?),
                services::price.eq(money(row, "price", &r.price)?),
                services::currency.eq(currency),
                services::period.eq(limit(row, "period", &r.period, 30)?),
                services::quantity.eq(r.quantity),
                services::started_on.eq(r.started_on),
                services::renews_on.eq(r.renews_on),
                services::status.eq(limit(row, "status", &r.status, 30)?),
            ))
            .execute(conn)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::db::testing::{audit_rows, each_backend};
    use crate::traffic::fixtures::customer_with_account;

    fn tx(account: i64, ext: &str, amount: &str) -> TransactionIn {
        let v =
            json!({"externalId": ext, "accountId": account, "amount": amount, "occurredAt": "2026-05-01T10:00:00Z"});
        serde_json::from_value(v).unwrap()
    }

    fn balance(c: &mut DbConnection, account: i64) -> i64 {
        accounts::table.find(account).select(accounts::balance).first(c).unwrap()
    }

    #[test]
    fn a_push_is_stored_whole_once_and_audited() {
        each_backend(|c| {
            let (_, a) = customer_with_account(c, "Acme");
            let batch = || Batch::Transactions(vec![tx(a, "t1", "1.50"), tx(a, "t2", "-0.50")]);
            assert_eq!(ingest(c, &Actor::system(), batch()).unwrap(), Stored::Count(2));
            assert_eq!(balance(c, a), 1_000_000);
            // Re-sent: known external ids are skipped, the balance does not move again.
            assert_eq!(ingest(c, &Actor::system(), batch()).unwrap(), Stored::Count(0));
            assert_eq!(balance(c, a), 1_000_000);
            let rows = audit_rows(c, "ingest.transactions");
            assert_eq!(rows, vec![(None, Some(json!({"stored": 2}))), (None, Some(json!({"stored": 0})))]);
        });
    }

    #[test]
    fn a_failure_after_a_write_leaves_nothing_behind() {
        each_backend(|c| {
            let (_, a) = customer_with_account(c, "Acme");
            // Row 1 is booked (the balance moves) before row 2 turns out to be wrong.
            let e = ingest(c, &Actor::system(), Batch::Transactions(vec![tx(a, "ok", "5"), tx(a, "bad", "five")]));
            assert_eq!(e.unwrap_err().details()[0].field, "rows[2].amount");
            assert_eq!(balance(c, a), 0, "the first row's booking is rolled back");
            let n: i64 = transactions::table.count().get_result(c).unwrap();
            assert_eq!(n, 0);
            assert!(audit_rows(c, "ingest.transactions").is_empty(), "no audit row either");
        });
    }
}
