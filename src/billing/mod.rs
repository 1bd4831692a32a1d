//! Billing records pushed by the operator's billing: invoices (with an optional PDF),
//! payments, transactions (the balance ledger) and services.

pub mod ingest;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::db::DbConnection;
use crate::db::schema::{invoice_pdfs, invoices, payments, services, transactions};
use crate::error::{AppError, AppResult};

fn ts(t: NaiveDateTime) -> String {
    t.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invoices)]
pub struct Invoice {
    pub id: i64,
    pub external_id: Option<String>,
    pub customer_id: i64,
    pub account_id: i64,
    pub number: String,
    pub issued_on: NaiveDate,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub due_on: NaiveDate,
    pub currency: String,
    pub amount: i64,
    pub tax: i64,
    pub total: i64,
    pub status: String,
    pub lines: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceLine {
    pub description: String,
    pub quantity: String,
    pub unit_price: String,
    pub amount: String,
}

impl Invoice {
    pub fn lines(&self) -> Vec<InvoiceLine> {
        serde_json::from_str(&self.lines).unwrap_or_default()
    }
    pub fn to_json(&self, has_pdf: bool) -> Value {
        json!({
            "id": self.id, "externalId": self.external_id, "accountId": self.account_id, "number": self.number,
            "issuedOn": self.issued_on, "periodStart": self.period_start, "periodEnd": self.period_end, "dueOn": self.due_on,
            "currency": self.currency, "amount": crate::money::format(self.amount), "tax": crate::money::format(self.tax),
            "total": crate::money::format(self.total), "status": self.status, "lines": self.lines(), "hasPdf": has_pdf,
        })
    }
    /// Newest first, keyset by id.
    pub fn list(conn: &mut DbConnection, customer: i64, before: Option<i64>, limit: i64) -> AppResult<Vec<Invoice>> {
        let mut q =
            invoices::table.filter(invoices::customer_id.eq(customer)).select(Invoice::as_select()).into_boxed();
        if let Some(b) = before {
            q = q.filter(invoices::id.lt(b));
        }
        Ok(q.order(invoices::id.desc()).limit(limit).load(conn)?)
    }
    pub fn get_of(conn: &mut DbConnection, customer: i64, id: i64) -> AppResult<Invoice> {
        Ok(invoices::table
            .filter(invoices::id.eq(id))
            .filter(invoices::customer_id.eq(customer))
            .select(Invoice::as_select())
            .first(conn)?)
    }
    pub fn pdf_ids(conn: &mut DbConnection, ids: &[i64]) -> AppResult<Vec<i64>> {
        Ok(invoice_pdfs::table
            .filter(invoice_pdfs::invoice_id.eq_any(ids))
            .select(invoice_pdfs::invoice_id)
            .load(conn)?)
    }
    pub fn pdf(conn: &mut DbConnection, id: i64) -> AppResult<Option<Vec<u8>>> {
        Ok(invoice_pdfs::table.find(id).select(invoice_pdfs::content).first(conn).optional()?)
    }
    /// Stores (or replaces) the invoice's PDF; refuses anything that is not a PDF.
    pub fn set_pdf(conn: &mut DbConnection, id: i64, body: &[u8]) -> AppResult<()> {
        if !body.starts_with(b"%PDF-") {
            return Err(AppError::field("body", "The body is not a PDF (it must start with %PDF-)."));
        }
        let exists: i64 = invoices::table.filter(invoices::id.eq(id)).count().get_result(conn)?;
        if exists == 0 {
            return Err(AppError::NotFound);
        }
        diesel::delete(invoice_pdfs::table.find(id)).execute(conn)?;
        diesel::insert_into(invoice_pdfs::table)
            .values((
                invoice_pdfs::invoice_id.eq(id),
                invoice_pdfs::content.eq(body),
                invoice_pdfs::uploaded_at.eq(crate::now()),
            ))
            .execute(conn)?;
        Ok(())
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payments)]
pub struct Payment {
    pub id: i64,
    pub external_id: Option<String>,
    pub customer_id: i64,
    pub account_id: i64,
    pub amount: i64,
    pub currency: String,
    pub method: String,
    pub reference: String,
    pub status: String,
    pub paid_at: NaiveDateTime,
}

impl Payment {
    pub fn to_json(&self) -> Value {
        json!({"id": self.id, "externalId": self.external_id, "accountId": self.account_id, "amount": crate::money::format(self.amount),
            "currency": self.currency, "method": self.method, "reference": self.reference, "status": self.status, "paidAt": ts(self.paid_at)})
    }
    pub fn list(conn: &mut DbConnection, customer: i64, before: Option<i64>, limit: i64) -> AppResult<Vec<Payment>> {
        let mut q =
            payments::table.filter(payments::customer_id.eq(customer)).select(Payment::as_select()).into_boxed();
        if let Some(b) = before {
            q = q.filter(payments::id.lt(b));
        }
        Ok(q.order(payments::id.desc()).limit(limit).load(conn)?)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = transactions)]
pub struct Transaction {
    pub id: i64,
    pub external_id: Option<String>,
    pub customer_id: i64,
    pub account_id: i64,
    pub amount: i64,
    pub balance_after: i64,
    pub kind: String,
    pub description: String,
    pub occurred_at: NaiveDateTime,
}

impl Transaction {
    pub fn to_json(&self) -> Value {
        json!({"id": self.id, "externalId": self.external_id, "accountId": self.account_id, "amount": crate::money::format(self.amount),
            "balanceAfter": crate::money::format(self.balance_after), "kind": self.kind, "description": self.description, "occurredAt": ts(self.occurred_at)})
    }
    pub fn list(
        conn: &mut DbConnection,
        customer: i64,
        before: Option<i64>,
        limit: i64,
    ) -> AppResult<Vec<Transaction>> {
        let mut q = transactions::table
            .filter(transactions::customer_id.eq(customer))
            .select(Transaction::as_select())
            .into_boxed();
        if let Some(b) = before {
            q = q.filter(transactions::id.lt(b));
        }
        Ok(q.order(transactions::id.desc()).limit(limit).load(conn)?)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = services)]
pub struct Service {
    pub id: i64,
    pub external_id: Option<String>,
    pub customer_id: i64,
    pub account_id: i64,
    pub name: String,
    pub description: String,
    pub price: i64,
    pub currency: String,
    pub period: String,
    pub quantity: i32,
    pub started_on: NaiveDate,
    pub renews_on: Option<NaiveDate>,
    pub status: String,
}

impl Service {
    pub fn to_json(&self) -> Value {
        json!({"id": self.id, "externalId": self.external_id, "accountId": self.account_id, "name": self.name, "description": self.description,
            "price": crate::money::format(self.price), "currency": self.currency, "period": self.period, "quantity": self.quantity,
            "startedOn": self.started_on, "renewsOn": self.renews_on, "status": self.status})
    }
    pub fn list(conn: &mut DbConnection, customer: i64, before: Option<i64>, limit: i64) -> AppResult<Vec<Service>> {
        let mut q =
            services::table.filter(services::customer_id.eq(customer)).select(Service::as_select()).into_boxed();
        if let Some(b) = before {
            q = q.filter(services::id.lt(b));
        }
        Ok(q.order(services::id.desc()).limit(limit).load(conn)?)
    }
}
