//! Billing sections: payments (with the crypto top-up), transactions, services, invoices with
//! their printable detail and PDF.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::list::{Before, Cell, ListPage, Section, cell, link, newest, num};
use super::value_label;
use crate::AppState;
use crate::access::Perm;
use crate::access::caps::Cap;
use crate::billing::{Invoice, Payment, Service, Transaction};
use crate::error::AppResult;
use crate::http::Portal;
use crate::web::html;
use crate::web::layout::Layout;

fn ts(p: &Portal, t: chrono::NaiveDateTime) -> String {
    crate::i18n::format::timestamp(p.lang, t, p.tz())
}

pub async fn payments_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    q: web::Query<Before>,
) -> AppResult<HttpResponse> {
    let (rows, more) = newest(&state, &p, q.before, Payment::page).await?;
    let lang = p.lang;
    let rows = rows
        .iter()
        .map(|r| {
            let amount = num(format!("{} {}", lang.money(r.amount), r.currency));
            let status = cell(value_label(lang, &r.status));
            (r.id, vec![cell(ts(&p, r.paid_at)), amount, cell(&r.method), cell(&r.reference), status])
        })
        .collect();
    let headers = vec![
        ("common-date", false),
        ("common-amount", true),
        ("list-method", false),
        ("list-reference", false),
        ("common-status", false),
    ];
    let s = Section { key: Perm::Payments, table: "payments", headers, empty: "list-payments-empty" };
    let mut page = ListPage::new(&req, &p, s, rows, more);
    if p.has(Perm::PaymentsCryptomus) && state.config.cryptomus.is_some() {
        page.actions.push(("/portal/payments/new".into(), lang.t("list-topup")));
    }
    Ok(html(StatusCode::OK, page.render()))
}

pub async fn transactions_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    q: web::Query<Before>,
) -> AppResult<HttpResponse> {
    let (rows, more) = newest(&state, &p, q.before, Transaction::page).await?;
    let show_balance = p.can(Cap::SeeBalance);
    let lang = p.lang;
    let rows = rows
        .iter()
        .map(|r| {
            let when = cell(ts(&p, r.occurred_at));
            let mut cells =
                vec![when, cell(&r.description), cell(value_label(lang, &r.kind)), num(lang.money(r.amount))];
            if show_balance {
                cells.push(num(lang.money(r.balance_after)));
            }
            (r.id, cells)
        })
        .collect();
    let mut headers =
        vec![("common-date", false), ("common-description", false), ("list-kind", false), ("common-amount", true)];
    if show_balance {
        headers.push(("list-balance-after", true));
    }
    let s = Section { key: Perm::Transactions, table: "transactions", headers, empty: "list-transactions-empty" };
    Ok(html(StatusCode::OK, ListPage::new(&req, &p, s, rows, more).render()))
}

pub async fn services_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    q: web::Query<Before>,
) -> AppResult<HttpResponse> {
    let (rows, more) = newest(&state, &p, q.before, Service::page).await?;
    let lang = p.lang;
    let rows = rows
        .iter()
        .map(|r| {
            let name =
                if r.description.is_empty() { r.name.clone() } else { format!("{} — {}", r.name, r.description) };
            let renews = r.renews_on.map(|d| lang.date(&d)).unwrap_or_else(|| "—".into());
            let cells = vec![
                cell(name),
                num(lang.int(r.quantity)),
                num(format!("{} {}", lang.money(r.price), r.currency)),
                cell(value_label(lang, &r.period)),
                cell(lang.date(&r.started_on)),
                cell(renews),
                cell(value_label(lang, &r.status)),
            ];
            (r.id, cells)
        })
        .collect();
    let headers = vec![
        ("list-service", false),
        ("common-quantity", true),
        ("common-price", true),
        ("common-period", false),
        ("list-since", false),
        ("list-renews", false),
        ("common-status", false),
    ];
    let s = Section { key: Perm::Services, table: "services", headers, empty: "list-services-empty" };
    Ok(html(StatusCode::OK, ListPage::new(&req, &p, s, rows, more).render()))
}

pub async fn invoices_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    q: web::Query<Before>,
) -> AppResult<HttpResponse> {
    let (rows, more) = newest(&state, &p, q.before, Invoice::page).await?;
    let lang = p.lang;
    let rows = rows
        .iter()
        .map(|(r, has_pdf)| {
            let pdf: Cell =
                if *has_pdf { link(lang.t("list-pdf"), format!("/portal/invoices/{}/pdf", r.id)) } else { cell("") };
            let cells = vec![
                link(&r.number, format!("/portal/invoices/{}", r.id)),
                cell(lang.date(&r.issued_on)),
                cell(format!("{} – {}", lang.date(&r.period_start), lang.date(&r.period_end))),
                cell(lang.date(&r.due_on)),
                num(format!("{} {}", lang.money(r.total), r.currency)),
                cell(value_label(lang, &r.status)),
                pdf,
            ];
            (r.id, cells)
        })
        .collect();
    let headers = vec![
        ("list-invoice", false),
        ("list-issued", false),
        ("common-period", false),
        ("list-due", false),
        ("list-total", true),
        ("common-status", false),
        ("list-pdf", false),
    ];
    let s = Section { key: Perm::Invoices, table: "invoices", headers, empty: "list-invoices-empty" };
    Ok(html(StatusCode::OK, ListPage::new(&req, &p, s, rows, more).render()))
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
    state: web::Data<AppState>,
    p: Portal,
    path: web::Path<i64>,
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

pub async fn invoice_pdf_get(state: web::Data<AppState>, p: Portal, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let (cid, id) = (p.customer_id(), path.into_inner());
    let (inv, pdf) = crate::db::run(&state.pool, move |c| Invoice::pdf_of(c, cid, id)).await?;
    let safe: String = inv.number.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"invoice-{safe}.pdf\"")))
        .body(pdf))
}
