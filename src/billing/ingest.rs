//! Ingest of billing records (JSON objects or arrays), all-or-nothing, idempotent on
//! `externalId` where one is given.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Deserialize;

use crate::db::DbConnection;
use crate::db::schema::{accounts, invoices, payments, services, transactions};
use crate::error::{AppError, AppResult, FieldError};

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

fn known(conn: &mut DbConnection, table: &str, ext: &Option<String>) -> AppResult<bool> {
    let Some(e) = ext else { return Ok(false) };
    let n: i64 = match table {
        "invoices" => invoices::table.filter(invoices::external_id.eq(e)).count().get_result(conn)?,
        "payments" => payments::table.filter(payments::external_id.eq(e)).count().get_result(conn)?,
        "transactions" => transactions::table.filter(transactions::external_id.eq(e)).count().get_result(conn)?,
        _ => services::table.filter(services::external_id.eq(e)).count().get_result(conn)?,
    };
    Ok(n > 0)
}

/// A JSON body that is one object or an array of them.
pub fn one_or_many<T: serde::de::DeserializeOwned>(body: &[u8]) -> AppResult<Vec<T>> {
    let v: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        AppError::BadRequest(format!("The body is not valid JSON: {e}"), vec![FieldError::new("body", e.to_string())])
    })?;
    let items = match v {
        serde_json::Value::Array(a) => a,
        other => vec![other],
    };
    if items.len() > 100_000 {
        return Err(AppError::PayloadTooLarge);
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            serde_json::from_value(item).map_err(|e| {
                AppError::BadRequest(
                    format!("Row {}: {e}", i + 1),
                    vec![FieldError::new(format!("rows[{}]", i + 1), e.to_string())],
                )
            })
        })
        .collect()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InvoiceIn {
    #[serde(default)]
    pub external_id: Option<String>,
    pub account_id: i64,
    pub number: String,
    pub issued_on: NaiveDate,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub due_on: NaiveDate,
    pub amount: String,
    #[serde(default)]
    pub tax: Option<String>,
    #[serde(default)]
    pub total: Option<String>,
    #[serde(default = "open_status")]
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
        diesel::insert_into(invoices::table)
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
            .execute(conn)?;
        ids.push(
            invoices::table
                .filter(invoices::customer_id.eq(customer))
                .order(invoices::id.desc())
                .select(invoices::id)
                .first(conn)?,
        );
    }
    Ok(ids)
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PaymentIn {
    #[serde(default)]
    pub external_id: Option<String>,
    pub account_id: i64,
    pub amount: String,
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub reference: String,
    #[serde(default = "completed")]
    pub status: String,
    pub paid_at: String,
}

fn completed() -> String {
    "completed".into()
}

pub fn payments_in(conn: &mut DbConnection, rows: Vec<PaymentIn>) -> AppResult<usize> {
    let mut n = 0;
    for (i, r) in rows.into_iter().enumerate() {
        let row = i + 1;
        if known(conn, "payments", &r.external_id)? {
            continue;
        }
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
        n += 1;
    }
    Ok(n)
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TransactionIn {
    #[serde(default)]
    pub external_id: Option<String>,
    pub account_id: i64,
    pub amount: String,
    #[serde(default = "adjustment")]
    pub kind: String,
    #[serde(default)]
    pub description: String,
    pub occurred_at: String,
}

fn adjustment() -> String {
    "adjustment".into()
}

/// Books a transaction: the account balance changes by `amount` in the same transaction.
pub fn book(
    conn: &mut DbConnection,
    account: i64,
    amount: i64,
    kind: &str,
    description: &str,
    external: Option<&str>,
    at: chrono::NaiveDateTime,
) -> AppResult<i64> {
    let (customer, balance): (i64, i64) =
        accounts::table.find(account).select((accounts::customer_id, accounts::balance)).first(conn)?;
    let after = balance.checked_add(amount).ok_or_else(|| AppError::field("amount", "The balance would overflow."))?;
    diesel::update(accounts::table.find(account))
        .set((accounts::balance.eq(after), accounts::updated_at.eq(crate::now())))
        .execute(conn)?;
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
    Ok(after)
}

pub fn transactions_in(conn: &mut DbConnection, rows: Vec<TransactionIn>) -> AppResult<usize> {
    let mut n = 0;
    for (i, r) in rows.into_iter().enumerate() {
        let row = i + 1;
        if known(conn, "transactions", &r.external_id)? {
            continue;
        }
        account_owner(conn, row, r.account_id)?;
        let amount = money(row, "amount", &r.amount)?;
        let kind = limit(row, "kind", &r.kind, 50)?;
        let description = limit(row, "description", &r.description, 500)?;
        let at = instant(row, "occurredAt", &r.occurred_at)?;
        book(conn, r.account_id, amount, &kind, &description, r.external_id.as_deref(), at)?;
        n += 1;
    }
    Ok(n)
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceIn {
    #[serde(default)]
    pub external_id: Option<String>,
    pub account_id: i64,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub price: String,
    #[serde(default = "monthly")]
    pub period: String,
    #[serde(default = "one")]
    pub quantity: i32,
    pub started_on: NaiveDate,
    #[serde(default)]
    pub renews_on: Option<NaiveDate>,
    #[serde(default = "active")]
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
    let mut n = 0;
    for (i, r) in rows.into_iter().enumerate() {
        let row = i + 1;
        if known(conn, "services", &r.external_id)? {
            continue;
        }
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
        n += 1;
    }
    Ok(n)
}
