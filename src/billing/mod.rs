//! Billing records pushed by the operator's billing: invoices (with an optional PDF),
//! payments, transactions (the balance ledger) and services. A customer sees its own through
//! [`Scope`]d pages (newest first in the portal, by the list conventions in the API).

pub mod ingest;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::audit::{self, Actor};
use crate::db::paging::{Page, Window};
use crate::db::schema::{invoice_pdfs, invoices, payments, services, transactions};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult};

/// Which of a customer's records a list shows, in id order: all of them, only `ids`, or (a
/// portal page's "older" link) only those before an id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub customer: i64,
    pub ids: Vec<i64>,
    pub before: Option<i64>,
    pub ascending: bool,
}

impl Scope {
    /// The customer's records, newest first, before `before` (the portal's pages).
    pub fn newest(customer: i64, before: Option<i64>) -> Scope {
        Scope { customer, ids: Vec::new(), before, ascending: false }
    }
}

/// One window of the rows a [`Scope`] shows, read through [`crate::db::paging`]: of a table
/// with `id` and `customer_id` columns, or (`table via link`) of a table the customer reaches
/// through a link table with a `customer_id` column.
macro_rules! scoped_page {
    ($conn:expr, $table:ident via $link:ident, $row:ty, $scope:expr, $window:expr, $with_total:expr) => {
        $crate::billing::scoped_page!(@page $conn, $table, $table::table.inner_join($link::table), $link::customer_id,
            $row, $scope, $window, $with_total)
    };
    ($conn:expr, $table:ident, $row:ty, $scope:expr, $window:expr, $with_total:expr) => {
        $crate::billing::scoped_page!(@page $conn, $table, $table::table, $table::customer_id,
            $row, $scope, $window, $with_total)
    };
    (@page $conn:expr, $table:ident, $from:expr, $owner:expr, $row:ty, $scope:expr, $window:expr, $with_total:expr) => {{
        let s: &$crate::billing::Scope = $scope;
        let build = || {
            let mut q = $from.filter($owner.eq(s.customer)).select(<$row>::as_select()).into_boxed();
            if !s.ids.is_empty() {
                q = q.filter($table::id.eq_any(s.ids.clone()));
            }
            if let Some(b) = s.before {
                q = q.filter($table::id.lt(b));
            }
            if s.ascending { q.order($table::id.asc()) } else { q.order($table::id.desc()) }
        };
        $crate::db::paging::page($conn, build, $window, $with_total).map_err($crate::error::AppError::from)
    }};
}
pub(crate) use scoped_page;

/// The row `id` among the customer's rows (`table` or `table via link`, as for
/// [`scoped_page!`]); another customer's, or none, is not found.
macro_rules! scoped_one {
    ($conn:expr, $($from:ident)+, $row:ty, $customer:expr, $id:expr) => {{
        let s = $crate::billing::Scope { customer: $customer, ids: vec![$id], before: None, ascending: true };
        let w = $crate::db::paging::Window::new(0, 1);
        let page: $crate::db::paging::Page<$row> = $crate::billing::scoped_page!($conn, $($from)+, $row, &s, w, false)?;
        page.rows.into_iter().next().ok_or($crate::error::AppError::NotFound)
    }};
}
pub(crate) use scoped_one;

fn ts(t: NaiveDateTime) -> String {
    t.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// An invoice of an account.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invoices)]
pub struct Invoice {
    pub id: i64,
    /// The billing system's id (ingest is idempotent on it).
    pub external_id: Option<String>,
    pub customer_id: i64,
    pub account_id: i64,
    /// The invoice number people see.
    pub number: String,
    pub issued_on: NaiveDate,
    /// The billed period, both days included.
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub due_on: NaiveDate,
    /// Micro-units of the account's currency: net, tax, gross.
    pub currency: String,
    pub amount: i64,
    pub tax: i64,
    pub total: i64,
    /// `open`, `paid`, `overdue` or `void`.
    pub status: String,
    /// JSON: the [`InvoiceLine`]s.
    pub lines: String,
    pub created_at: NaiveDateTime,
}

/// One line of an invoice; the numbers are decimal strings as the billing system sent them.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvoiceLine {
    pub description: String,
    #[schema(example = "1")]
    pub quantity: String,
    #[schema(example = "100.00")]
    pub unit_price: String,
    #[schema(example = "100.00")]
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
    /// One window of the invoices a scope shows, each with whether it has a PDF.
    pub fn page(conn: &mut DbConnection, s: &Scope, w: Window, with_total: bool) -> AppResult<Page<(Invoice, bool)>> {
        let page: Page<Invoice> = scoped_page!(conn, invoices, Invoice, s, w, with_total)?;
        let ids: Vec<i64> = page.rows.iter().map(|i| i.id).collect();
        let pdfs = Invoice::pdf_ids(conn, &ids)?;
        Ok(page.map(|i| {
            let has_pdf = pdfs.contains(&i.id);
            (i, has_pdf)
        }))
    }
    pub fn get_of(conn: &mut DbConnection, customer: i64, id: i64) -> AppResult<Invoice> {
        scoped_one!(conn, invoices, Invoice, customer, id)
    }
    pub fn pdf_ids(conn: &mut DbConnection, ids: &[i64]) -> AppResult<Vec<i64>> {
        Ok(invoice_pdfs::table
            .filter(invoice_pdfs::invoice_id.eq_any(ids))
            .select(invoice_pdfs::invoice_id)
            .load(conn)?)
    }
    /// The PDF of one of the customer's invoices (404 for another customer's, or none).
    pub fn pdf_of(conn: &mut DbConnection, customer: i64, id: i64) -> AppResult<(Invoice, Vec<u8>)> {
        let inv = Invoice::get_of(conn, customer, id)?;
        let pdf = invoice_pdfs::table.find(id).select(invoice_pdfs::content).first(conn).optional()?;
        Ok((inv, pdf.ok_or(AppError::NotFound)?))
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

/// A payment into an account (pushed by billing, or a settled crypto top-up).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payments)]
pub struct Payment {
    pub id: i64,
    /// The billing system's id (ingest is idempotent on it).
    pub external_id: Option<String>,
    pub customer_id: i64,
    pub account_id: i64,
    /// Micro-units.
    pub amount: i64,
    pub currency: String,
    /// How and with which reference it was paid (`bank transfer`, `INV-1`).
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
    pub fn page(conn: &mut DbConnection, s: &Scope, w: Window, with_total: bool) -> AppResult<Page<Payment>> {
        scoped_page!(conn, payments, Payment, s, w, with_total)
    }
}

/// An entry of an account's ledger: every balance change is one.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = transactions)]
pub struct Transaction {
    pub id: i64,
    /// The billing system's id (ingest is idempotent on it).
    pub external_id: Option<String>,
    pub customer_id: i64,
    pub account_id: i64,
    /// Micro-units: the change, and the balance it left.
    pub amount: i64,
    pub balance_after: i64,
    /// `usage`, `top-up`, `adjustment`…
    pub kind: String,
    pub description: String,
    pub occurred_at: NaiveDateTime,
}

impl Transaction {
    pub fn to_json(&self) -> Value {
        json!({"id": self.id, "externalId": self.external_id, "accountId": self.account_id, "amount": crate::money::format(self.amount),
            "balanceAfter": crate::money::format(self.balance_after), "kind": self.kind, "description": self.description, "occurredAt": ts(self.occurred_at)})
    }
    pub fn page(conn: &mut DbConnection, s: &Scope, w: Window, with_total: bool) -> AppResult<Page<Transaction>> {
        scoped_page!(conn, transactions, Transaction, s, w, with_total)
    }
}

/// A service the customer has on an account (a trunk, numbers, support…).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = services)]
pub struct Service {
    pub id: i64,
    /// The billing system's id (ingest is idempotent on it).
    pub external_id: Option<String>,
    pub customer_id: i64,
    pub account_id: i64,
    pub name: String,
    pub description: String,
    /// Micro-units per period (`monthly`, …) and unit.
    pub price: i64,
    pub currency: String,
    pub period: String,
    pub quantity: i32,
    /// Since when, and when it renews next (if it does).
    pub started_on: NaiveDate,
    pub renews_on: Option<NaiveDate>,
    /// `active`, or what billing says it is.
    pub status: String,
}

impl Service {
    pub fn to_json(&self) -> Value {
        json!({"id": self.id, "externalId": self.external_id, "accountId": self.account_id, "name": self.name, "description": self.description,
            "price": crate::money::format(self.price), "currency": self.currency, "period": self.period, "quantity": self.quantity,
            "startedOn": self.started_on, "renewsOn": self.renews_on, "status": self.status})
    }
    pub fn page(conn: &mut DbConnection, s: &Scope, w: Window, with_total: bool) -> AppResult<Page<Service>> {
        scoped_page!(conn, services, Service, s, w, with_total)
    }
    /// How many of the customer's services are active.
    pub fn active_count(conn: &mut DbConnection, customer: i64) -> AppResult<i64> {
        let q = services::table.filter(services::customer_id.eq(customer)).filter(services::status.eq("active"));
        Ok(q.count().get_result(conn)?)
    }
}

/// Stores (or replaces) an invoice's PDF (`PUT /api/v1/invoices/{id}/pdf`): refused (422)
/// unless the body starts with `%PDF-`, 404 for an unknown invoice; audited as
/// `ingest.invoice_pdf`.
pub fn attach_pdf(c: &mut DbConnection, actor: &Actor, id: i64, body: &[u8]) -> AppResult<()> {
    write_tx(c, |c| {
        Invoice::set_pdf(c, id, body)?;
        let diff = json!({ "invoiceId": id, "bytes": body.len() });
        audit::record(c, actor, "ingest.invoice_pdf", "invoice", None, Some(diff))
    })
}
