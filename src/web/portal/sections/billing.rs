//! Billing sections: payments (with the crypto top-up), transactions, services and invoices
//! as [`Listed`] pages (the route table names `list_get::<Payment>` …), invoices' printable
//! detail and PDF.

use actix_web::http::{StatusCode, header};
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use super::list::{Cell, Fetch, Listed, cell, link, num};
use super::value_label;
use crate::AppState;
use crate::access::Perm;
use crate::access::caps::Cap;
pub use crate::billing::{Invoice, Payment, Pdf, Service, Transaction};
use crate::error::AppResult;
use crate::http::Portal;
use crate::web::html;
use crate::web::layout::Layout;

fn ts(p: &Portal, t: chrono::NaiveDateTime) -> String {
    crate::i18n::format::timestamp(p.lang, t, p.tz())
}

fn money_in(p: &Portal, micros: i64, currency: &str) -> Cell {
    num(format!("{} {currency}", p.lang.money(micros)))
}

impl Listed for Payment {
    const SECTION: (Perm, &'static str, &'static str) = (Perm::Payments, "payments", "list-payments-empty");
    const PAGE: Fetch<Self> = Payment::page;
    fn headers(_: &Portal) -> Vec<(&'static str, bool)> {
        let method = [("list-method", false), ("list-reference", false), ("common-status", false)];
        [("common-date", false), ("common-amount", true)].into_iter().chain(method).collect()
    }
    fn row(&self, p: &Portal) -> (i64, Vec<Cell>) {
        let status = cell(value_label(p.lang, &self.status));
        let amount = money_in(p, self.amount, &self.currency);
        (self.id, vec![cell(ts(p, self.paid_at)), amount, cell(&self.method), cell(&self.reference), status])
    }
    /// The crypto top-up, where it is granted and a provider is configured.
    fn actions(state: &AppState, p: &Portal) -> Vec<(String, String)> {
        let topups = p.has(Perm::PaymentsCryptomus) && state.config.cryptomus.is_some();
        topups.then(|| ("/portal/payments/new".to_string(), p.lang.t("list-topup"))).into_iter().collect()
    }
}

impl Listed for Transaction {
    const SECTION: (Perm, &'static str, &'static str) = (Perm::Transactions, "transactions", "list-transactions-empty");
    const PAGE: Fetch<Self> = Transaction::page;
    /// The balance after each entry only for roles that may see balances.
    fn headers(p: &Portal) -> Vec<(&'static str, bool)> {
        let mut h = vec![("common-date", false), ("common-description", false), ("list-kind", false)];
        h.push(("common-amount", true));
        if p.can(Cap::SeeBalance) {
            h.push(("list-balance-after", true));
        }
        h
    }
    fn row(&self, p: &Portal) -> (i64, Vec<Cell>) {
        let lang = p.lang;
        let mut cells =
            vec![cell(ts(p, self.occurred_at)), cell(&self.description), cell(value_label(lang, &self.kind))];
        cells.push(num(lang.money(self.amount)));
        if p.can(Cap::SeeBalance) {
            cells.push(num(lang.money(self.balance_after)));
        }
        (self.id, cells)
    }
}

impl Listed for Service {
    const SECTION: (Perm, &'static str, &'static str) = (Perm::Services, "services", "list-services-empty");
    const PAGE: Fetch<Self> = Service::page;
    fn headers(_: &Portal) -> Vec<(&'static str, bool)> {
        let dates = [("list-since", false), ("list-renews", false), ("common-status", false)];
        let what =
            [("list-service", false), ("common-quantity", true), ("common-price", true), ("common-period", false)];
        what.into_iter().chain(dates).collect()
    }
    fn row(&self, p: &Portal) -> (i64, Vec<Cell>) {
        let lang = p.lang;
        let name = if self.description.is_empty() {
            self.name.clone()
        } else {
            format!("{} — {}", self.name, self.description)
        };
        let renews = self.renews_on.map(|d| lang.date(&d)).unwrap_or_else(|| "—".into());
        let price = money_in(p, self.price, &self.currency);
        let when = [cell(lang.date(&self.started_on)), cell(renews), cell(value_label(lang, &self.status))];
        let what = [cell(name), num(lang.int(self.quantity)), price, cell(value_label(lang, &self.period))];
        (self.id, what.into_iter().chain(when).collect())
    }
}

/// An invoice and whether it has a PDF.
pub type InvoiceRow = (Invoice, bool);

impl Listed for InvoiceRow {
    const SECTION: (Perm, &'static str, &'static str) = (Perm::Invoices, "invoices", "list-invoices-empty");
    const PAGE: Fetch<Self> = Invoice::page;
    fn headers(_: &Portal) -> Vec<(&'static str, bool)> {
        let money = [("list-total", true), ("common-status", false), ("list-pdf", false)];
        [("list-invoice", false), ("list-issued", false), ("common-period", false), ("list-due", false)]
            .into_iter()
            .chain(money)
            .collect()
    }
    fn row(&self, p: &Portal) -> (i64, Vec<Cell>) {
        let (r, lang) = (&self.0, p.lang);
        let pdf = if self.1 { link(lang.t("list-pdf"), format!("/portal/invoices/{}/pdf", r.id)) } else { cell("") };
        let period = cell(format!("{} – {}", lang.date(&r.period_start), lang.date(&r.period_end)));
        let dates = [cell(lang.date(&r.issued_on)), period, cell(lang.date(&r.due_on))];
        let rest = [money_in(p, r.total, &r.currency), cell(value_label(lang, &r.status)), pdf];
        let number = link(&r.number, format!("/portal/invoices/{}", r.id));
        (r.id, std::iter::once(number).chain(dates).chain(rest).collect())
    }
}

#[derive(Template)]
#[template(path = "portal/invoice.html")]
pub struct InvoicePage {
    pub l: Layout,
    pub inv: Invoice,
    pub lines: Vec<crate::billing::InvoiceLine>,
    pub has_pdf: bool,
    pub customer: String,
    pub company: String,
}

impl InvoicePage {
    pub fn money(&self, v: &i64) -> String {
        self.l.money(v)
    }
    /// A decimal of a line item (quantities, prices as the billing system sent them).
    pub fn dec(&self, v: &str) -> String {
        self.l.lang.dec(v)
    }
    pub fn status(&self) -> String {
        value_label(self.l.lang, &self.inv.status)
    }
}

pub async fn invoice_get(
    req: HttpRequest,
    state: Data<AppState>,
    p: Portal,
    path: Path<i64>,
) -> AppResult<HttpResponse> {
    let (cid, id) = (p.customer_id(), path.into_inner());
    let (inv, has_pdf) = crate::db::run(&state.pool, move |c| {
        let inv = Invoice::get_of(c, cid, id)?;
        let pdf = !Invoice::pdf_ids(c, &[id])?.is_empty();
        Ok((inv, pdf))
    })
    .await?;
    let page = InvoicePage {
        l: crate::web::portal::layout_titled(&p, &req, &p.lang.t1("invoice-title", "number", &inv.number)),
        lines: inv.lines(),
        inv,
        has_pdf,
        customer: p.customer().name.clone(),
        company: p.customer().company_name.clone(),
    };
    Ok(html(StatusCode::OK, page.render()))
}

pub async fn invoice_pdf_get(
    req: HttpRequest,
    state: Data<AppState>,
    p: Portal,
    path: Path<i64>,
) -> AppResult<HttpResponse> {
    let (cid, id) = (p.customer_id(), path.into_inner());
    let (inv, pdf) = crate::db::run(&state.pool, move |c| Invoice::pdf_of(c, cid, id)).await?;
    let safe: String = inv.number.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    let disposition = format!("attachment; filename=\"invoice-{safe}.pdf\"");
    match pdf {
        Pdf::InDatabase(bytes) => Ok(HttpResponse::Ok()
            .content_type("application/pdf")
            .insert_header((header::CONTENT_DISPOSITION, disposition))
            .body(bytes)),
        Pdf::Stored(key) => {
            let name = format!("invoice-{safe}.pdf");
            let mut resp = crate::http::files::serve(&req, &state.storage, &key, "application/pdf", &name).await?;
            if let Ok(v) = header::HeaderValue::from_str(&disposition) {
                resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            Ok(resp)
        }
    }
}
