//! Billing records pushed by the operator's billing: invoices (with an optional PDF),
//! payments, transactions (the balance ledger) and services. A customer sees its own through
//! [`Scope`]d pages (newest first in the portal, by the list conventions in the API).

pub mod ingest;

use bytes::Bytes;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::audit::{self, Actor};
use crate::db::paging::{Page, Window};
use crate::db::schema::{invoice_pdfs, invoices, payments, services, transactions};
use crate::db::{DbConnection, Pool, run, write_tx};
use crate::error::{AppError, AppResult};
use crate::storage::Storage;

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
    pub fn pdf_of(conn: &mut DbConnection, customer: i64, id: i64) -> AppResult<(Invoice, Pdf)> {
        let inv = Invoice::get_of(conn, customer, id)?;
        let pdf: Option<Vec<u8>> = invoice_pdfs::table.find(id).select(invoice_pdfs::content).first(conn).optional()?;
        let pdf = match pdf.ok_or(AppError::NotFound)? {
            kept if kept.is_empty() => Pdf::Stored(pdf_key(id)),
            kept => Pdf::InDatabase(kept),
        };
        Ok((inv, pdf))
    }
    /// Keeps the invoice's PDF in the database (the demo's; older versions kept every PDF so,
    /// and such rows are served until `portico migrate-storage` moves them to the file store).
    /// Refuses anything that is not a PDF.
    pub fn set_pdf(conn: &mut DbConnection, id: i64, body: &[u8]) -> AppResult<()> {
        check_pdf(body)?;
        Invoice::mark_pdf(conn, id, body)
    }
    /// Records that the invoice has a PDF: `content` is its bytes, or empty when the PDF is in
    /// the file store under [`pdf_key`]. 404 for an unknown invoice.
    fn mark_pdf(conn: &mut DbConnection, id: i64, content: &[u8]) -> AppResult<()> {
        let exists: i64 = invoices::table.filter(invoices::id.eq(id)).count().get_result(conn)?;
        if exists == 0 {
            return Err(AppError::NotFound);
        }
        // One upsert: concurrent uploads replace each other instead of colliding on the key.
        let now = crate::now();
        crate::with_conn!(conn, |c| {
            diesel::insert_into(invoice_pdfs::table)
                .values((
                    invoice_pdfs::invoice_id.eq(id),
                    invoice_pdfs::content.eq(content),
                    invoice_pdfs::uploaded_at.eq(now),
                ))
                .on_conflict(invoice_pdfs::invoice_id)
                .do_update()
                .set((invoice_pdfs::content.eq(content), invoice_pdfs::uploaded_at.eq(now)))
                .execute(c)
        })?;
        Ok(())
    }
}

/// Where an invoice's PDF is: in the file store (an `invoice_pdfs` row with empty content), or
/// still in the database (a row kept by an older version, or the demo's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pdf {
    Stored(String),
    InDatabase(Vec<u8>),
}

/// The storage key of an invoice's PDF.
pub fn pdf_key(id: i64) -> String {
    format!("invoices/{id}.pdf")
}

fn check_pdf(body: &[u8]) -> AppResult<()> {
    if body.starts_with(b"%PDF-") {
        Ok(())
    } else {
        Err(AppError::field("body", "The body is not a PDF (it must start with %PDF-)."))
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
/// `ingest.invoice_pdf`. The bytes go to the file store under [`pdf_key`]; the `invoice_pdfs`
/// row says so (empty content). Concurrent uploads are all taken; the last one written is
/// kept. When the row cannot be written, a file put for an invoice that had no stored PDF
/// before is removed again, unless a concurrent upload has recorded it meanwhile.
pub async fn attach_pdf(pool: &Pool, storage: &Storage, actor: &Actor, id: i64, body: Bytes) -> AppResult<()> {
    check_pdf(&body)?;
    let stored_before = run(pool, move |c| {
        let exists: i64 = invoices::table.filter(invoices::id.eq(id)).count().get_result(c)?;
        if exists == 0 {
            return Err(AppError::NotFound);
        }
        let kept: Option<Vec<u8>> = invoice_pdfs::table.find(id).select(invoice_pdfs::content).first(c).optional()?;
        Ok(kept.is_some_and(|k| k.is_empty()))
    })
    .await?;
    let key = pdf_key(id);
    storage.put(&key, body.clone()).await?;
    let (actor, size) = (actor.clone(), body.len());
    let written = run(pool, move |c| {
        write_tx(c, |c| {
            Invoice::mark_pdf(c, id, &[])?;
            let diff = json!({ "invoiceId": id, "bytes": size });
            audit::record(c, &actor, "ingest.invoice_pdf", "invoice", None, Some(diff))
        })
    })
    .await;
    if written.is_err() && !stored_before && !pdf_recorded(pool, id).await {
        // Nothing refers to the file: no earlier upload, and no concurrent one that committed.
        if let Err(e) = storage.delete(&key).await {
            tracing::warn!(error = %e, key = %key, "an unused invoice PDF could not be removed");
        }
    }
    written
}

/// Whether an `invoice_pdfs` row says the invoice has a PDF (when it cannot be told, it is
/// taken to have one: a file is kept rather than risked).
async fn pdf_recorded(pool: &Pool, id: i64) -> bool {
    let found = run(pool, move |c| Ok(invoice_pdfs::table.find(id).count().get_result::<i64>(c)?)).await;
    found.map_or(true, |n| n > 0)
}

/// Moves the PDFs kept in the database into the file store (`portico migrate-storage`): each
/// is put under [`pdf_key`], then its row is emptied — a PDF is in one place or the other at
/// every moment, never lost. Re-running finds nothing left. Returns how many were moved.
pub async fn move_pdfs_to_storage(conn: &mut DbConnection, storage: &Storage) -> AppResult<u64> {
    let kept: Vec<i64> = invoice_pdfs::table
        .filter(diesel::dsl::sql::<diesel::sql_types::Bool>("length(content) > 0"))
        .select(invoice_pdfs::invoice_id)
        .order(invoice_pdfs::invoice_id.asc())
        .load(conn)?;
    let mut moved = 0;
    for id in kept {
        let content: Vec<u8> = invoice_pdfs::table.find(id).select(invoice_pdfs::content).first(conn)?;
        if content.is_empty() {
            continue;
        }
        storage.put(&pdf_key(id), Bytes::from(content)).await?;
        write_tx(conn, |c| {
            diesel::update(invoice_pdfs::table.find(id)).set(invoice_pdfs::content.eq(Vec::<u8>::new())).execute(c)?;
            Ok(())
        })?;
        moved += 1;
    }
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::billing::ingest::{Batch, InvoiceIn, Stored, ingest};
    use crate::db::testing::{audit_rows, each_backend_pool};
    use crate::storage::StorageUrl;
    use crate::traffic::fixtures::customer_with_account;

    fn invoice(c: &mut DbConnection, number: &str) -> (i64, i64) {
        let (customer, a) = customer_with_account(c, number);
        let inv: InvoiceIn = serde_json::from_value(json!({"accountId": a, "number": number, "issuedOn": "2026-05-01",
            "periodStart": "2026-04-01", "periodEnd": "2026-04-30", "dueOn": "2026-05-15", "amount": "10"}))
        .unwrap();
        let Stored::Ids(ids) = ingest(c, &Actor::system(), Batch::Invoices(vec![inv])).unwrap() else { panic!() };
        (customer, ids[0])
    }

    #[test]
    fn a_pdf_must_be_a_pdf_and_goes_to_the_file_store() {
        each_backend_pool(|pool| async move {
            let dir = tempfile::tempdir().unwrap();
            let store = Storage::open(&StorageUrl::File(dir.path().into())).unwrap();
            let (customer, id) = invoice(&mut pool.get().unwrap(), "I-1");
            let actor = Actor::system();
            let e = attach_pdf(&pool, &store, &actor, id, Bytes::from_static(b"{}")).await.unwrap_err();
            assert_eq!(e.details()[0].field, "body");
            let e = attach_pdf(&pool, &store, &actor, 999_999, Bytes::from_static(b"%PDF-1.4")).await.unwrap_err();
            assert!(matches!(e, AppError::NotFound), "{e:?}");
            assert!(store.keys("").await.unwrap().is_empty(), "nothing stored for a refused upload");
            attach_pdf(&pool, &store, &actor, id, Bytes::from_static(b"%PDF-1.4")).await.unwrap();
            let mut c = pool.get().unwrap();
            assert_eq!(audit_rows(&mut c, "ingest.invoice_pdf")[0].1, Some(json!({"invoiceId": id, "bytes": 8})));
            assert_eq!(Invoice::pdf_of(&mut c, customer, id).unwrap().1, Pdf::Stored(format!("invoices/{id}.pdf")));
            assert_eq!(Invoice::pdf_ids(&mut c, &[id]).unwrap(), vec![id]);
            assert_eq!(&store.read_all(&pdf_key(id)).await.unwrap()[..], b"%PDF-1.4");
            // A replacement takes the place of the first: one row, the new bytes, two audit rows.
            attach_pdf(&pool, &store, &actor, id, Bytes::from_static(b"%PDF-1.5 new")).await.unwrap();
            assert_eq!(Invoice::pdf_ids(&mut c, &[id]).unwrap(), vec![id]);
            assert_eq!(&store.read_all(&pdf_key(id)).await.unwrap()[..], b"%PDF-1.5 new");
            assert_eq!(audit_rows(&mut c, "ingest.invoice_pdf").len(), 2);
        });
    }

    #[test]
    fn pdfs_kept_in_the_database_are_served_until_moved_once() {
        each_backend_pool(|pool| async move {
            let dir = tempfile::tempdir().unwrap();
            let store = Storage::open(&StorageUrl::File(dir.path().into())).unwrap();
            let mut c = pool.get().unwrap();
            let (customer, id) = invoice(&mut c, "I-2");
            Invoice::set_pdf(&mut c, id, b"%PDF-1.7 old").unwrap();
            assert_eq!(Invoice::pdf_of(&mut c, customer, id).unwrap().1, Pdf::InDatabase(b"%PDF-1.7 old".to_vec()));
            assert_eq!(move_pdfs_to_storage(&mut c, &store).await.unwrap(), 1);
            assert_eq!(move_pdfs_to_storage(&mut c, &store).await.unwrap(), 0, "a re-run moves nothing");
            assert_eq!(Invoice::pdf_of(&mut c, customer, id).unwrap().1, Pdf::Stored(pdf_key(id)));
            assert_eq!(&store.read_all(&pdf_key(id)).await.unwrap()[..], b"%PDF-1.7 old");
        });
    }
}
