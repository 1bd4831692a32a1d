//! Portal sections other than traffic: dashboard, account, rateplans, numberlists, invoices,
//! payments, services, transactions, numbers, campaigns and daily CDR reports.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use diesel::prelude::*;
use serde::Deserialize;

use crate::AppState;
use crate::access::Perm;
use crate::audit::{self, Actor};
use crate::billing::{Invoice, Payment, Service, Transaction};
use crate::customers::accounts::Account;
use crate::db::schema::{cdr_hourly, numbers as numbers_t, services as services_t};
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::numberlists::{Item, Numberlist};
use crate::numbers::{Campaign, Number};
use crate::rateplans::{Rate, Rateplan};
use crate::traffic::cdrs::CdrFilter;
use crate::traffic::{Direction, time};
use crate::users::model::Role;
use crate::web::forms::{Errors, Pairs};
use crate::web::html;
use crate::web::layout::{Layout, push_flash};
use crate::web::portal::{Portal, SECTIONS};
use crate::web::{client_ip, see_other};

pub const PAGE: i64 = 50;

pub struct Card {
    pub key: &'static str,
    pub title: String,
    pub href: &'static str,
    pub figure: String,
    pub caption: String,
}

#[derive(Template)]
#[template(path = "portal/dashboard.html")]
pub struct DashboardPage {
    pub l: Layout,
    pub cards: Vec<Card>,
    pub profile_name: String,
}

/// Headline figures for the dashboard cards, only for granted sections.
fn headline(
    c: &mut crate::db::DbConnection,
    cid: i64,
    admin: bool,
    key: Perm,
    zone: &str,
    lang: Lang,
) -> AppResult<(String, String)> {
    use crate::db::schema::{active_calls, campaigns, invoices, numberlist_customers, payments};
    let today = time::local_midnight(time::local_date(time::now_ms(), zone), zone) / 1000;
    let calls_today = |c: &mut crate::db::DbConnection, dir: Direction| -> AppResult<i64> {
        let v: Vec<i64> = cdr_hourly::table
            .filter(cdr_hourly::customer_id.eq(cid))
            .filter(cdr_hourly::direction.eq(dir.code()))
            .filter(cdr_hourly::hour.ge(today))
            .select(cdr_hourly::total_calls)
            .load(c)?;
        Ok(v.iter().sum())
    };
    Ok(match key {
        Perm::Account => {
            let accounts = Account::for_customer(c, cid)?;
            match (accounts.first(), admin) {
                (Some(a), true) => (
                    format!("{} {}", lang.money(a.balance), a.currency),
                    lang.t1("card-balance-of", "account", &a.name),
                ),
                (Some(_), false) => (lang.int(accounts.len()), lang.tn("card-accounts", accounts.len())),
                (None, _) => ("—".into(), lang.t("card-no-account")),
            }
        }
        Perm::OutgoingCdrs => (lang.int(calls_today(c, Direction::Outgoing)?), lang.t("card-outgoing-today")),
        Perm::IncomingCdrs => (lang.int(calls_today(c, Direction::Incoming)?), lang.t("card-incoming-today")),
        Perm::OutgoingActiveCalls => {
            let n: i64 = active_calls::table.filter(active_calls::customer_id.eq(cid)).count().get_result(c)?;
            (lang.int(n), lang.t("card-calls-in-progress"))
        }
        Perm::Invoices => {
            let last: Option<(i64, String, String)> = invoices::table
                .filter(invoices::customer_id.eq(cid))
                .order(invoices::id.desc())
                .select((invoices::total, invoices::currency, invoices::status))
                .first(c)
                .optional()?;
            match last {
                Some((t, cur, st)) => (
                    format!("{} {cur}", lang.money(t)),
                    lang.t1("card-latest-invoice", "status", value_label(lang, &st)),
                ),
                None => ("—".into(), lang.t("card-no-invoices")),
            }
        }
        Perm::Payments => {
            let last: Option<(i64, String)> = payments::table
                .filter(payments::customer_id.eq(cid))
                .order(payments::id.desc())
                .select((payments::amount, payments::currency))
                .first(c)
                .optional()?;
            match last {
                Some((a, cur)) => (format!("{} {cur}", lang.money(a)), lang.t("card-latest-payment")),
                None => ("—".into(), lang.t("card-no-payments")),
            }
        }
        Perm::Services => {
            let n: i64 = services_t::table
                .filter(services_t::customer_id.eq(cid))
                .filter(services_t::status.eq("active"))
                .count()
                .get_result(c)?;
            (lang.int(n), lang.t("card-active-services"))
        }
        Perm::MyNumbers => {
            let n: i64 = numbers_t::table.filter(numbers_t::customer_id.eq(cid)).count().get_result(c)?;
            (lang.int(n), lang.tn("card-numbers", n))
        }
        Perm::MyCampaigns => {
            let n: i64 = campaigns::table.filter(campaigns::customer_id.eq(cid)).count().get_result(c)?;
            (lang.int(n), lang.tn("card-campaigns", n))
        }
        Perm::OutgoingNumberlists => {
            let n: i64 =
                numberlist_customers::table.filter(numberlist_customers::customer_id.eq(cid)).count().get_result(c)?;
            (lang.int(n), lang.tn("card-numberlists", n))
        }
        Perm::OutgoingRateplans => {
            let n = Rateplan::for_customer(c, cid)?.len();
            (lang.int(n), lang.tn("card-rateplans", n))
        }
        _ => ("→".into(), lang.t("card-open")),
    })
}

pub async fn dashboard_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let sections: Vec<(&'static str, String, &'static str, Perm)> = SECTIONS
        .iter()
        .filter_map(|s| s.key.filter(|k| p.has(*k)).map(|k| (k.key(), p.label(s.string_key, s.label), s.href, k)))
        .collect();
    let (cid, admin, zone, lang) = (p.customer_id(), p.role == Role::Administrator, p.tz().to_string(), p.lang);
    let cards = crate::db::run(&state.pool, move |c| {
        sections
            .into_iter()
            .map(|(key, title, href, perm)| {
                let (figure, caption) = headline(c, cid, admin, perm, &zone, lang)?;
                Ok(Card { key, title, href, figure, caption })
            })
            .collect::<AppResult<Vec<Card>>>()
    })
    .await?;
    let page = DashboardPage {
        l: crate::web::portal::layout(&p, &req, "title.dashboard", "nav-dashboard"),
        cards,
        profile_name: p.effective().profile_name.clone().unwrap_or_default(),
    };
    Ok(html(StatusCode::OK, page.render()))
}
/// The customer's own stylesheet, served as CSS (never inlined).
pub async fn custom_css_get(p: Portal) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        .body(p.settings().custom_css.clone().unwrap_or_default())
}

pub struct AccountView {
    pub id: i64,
    pub name: String,
    pub currency: String,
    pub balance: Option<String>,
    pub min_balance: String,
    pub max_balance: String,
    pub kind: String,
    pub capacity: String,
}

#[derive(Template)]
#[template(path = "portal/account.html")]
pub struct AccountPage {
    pub l: Layout,
    pub accounts: Vec<AccountView>,
    pub shows_balance: bool,
}

pub async fn account_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let cid = p.customer_id();
    let rows = crate::db::run(&state.pool, move |c| Account::for_customer(c, cid)).await?;
    let shows_balance = p.role == Role::Administrator;
    let lang = p.lang;
    let accounts = rows
        .into_iter()
        .map(|a| AccountView {
            id: a.id,
            balance: shows_balance.then(|| lang.money(a.balance)),
            min_balance: lang.money(a.min_balance),
            max_balance: a.max_balance.map(|m| lang.money(m)).unwrap_or_else(|| "—".into()),
            kind: lang.t(if a.is_postpaid { "common-postpaid" } else { "common-prepaid" }),
            capacity: lang.int(a.capacity),
            name: a.name,
            currency: a.currency,
        })
        .collect();
    let page = AccountPage {
        l: crate::web::portal::layout(&p, &req, "title.account", "nav-account"),
        accounts,
        shows_balance,
    };
    Ok(html(StatusCode::OK, page.render()))
}

// ---------------------------------------------------------------------------------------------
// Generic record lists (newest first, keyset by id)

pub struct Cell {
    pub text: String,
    pub num: bool,
    pub href: Option<String>,
}

fn cell(text: impl Into<String>) -> Cell {
    Cell { text: text.into(), num: false, href: None }
}
fn num(text: impl Into<String>) -> Cell {
    Cell { text: text.into(), num: true, href: None }
}

#[derive(Template)]
#[template(path = "portal/list.html")]
pub struct ListPage {
    pub l: Layout,
    pub intro: String,
    pub table: &'static str,
    pub headers: Vec<(String, bool)>,
    pub rows: Vec<(i64, Vec<Cell>)>,
    pub empty: String,
    pub older: Option<String>,
    pub actions: Vec<(String, String)>,
}

#[derive(Deserialize, Default)]
pub struct Before {
    pub before: Option<i64>,
}

/// A list page of a section; `headers` and `empty` are message ids.
fn list_page(
    req: &HttpRequest,
    p: &Portal,
    key: Perm,
    table: &'static str,
    headers: Vec<(&'static str, bool)>,
    empty: &str,
) -> ListPage {
    let s = SECTIONS.iter().find(|s| s.key == Some(key));
    let l = match s {
        Some(s) => crate::web::portal::layout(&p, req, s.string_key, s.label),
        None => crate::web::portal::layout_titled(&p, req, &crate::i18n::perm_label(p.lang, key)),
    };
    ListPage {
        l,
        intro: crate::i18n::perm_help(p.lang, key),
        table,
        headers: headers.into_iter().map(|(h, n)| (p.lang.t(h), n)).collect(),
        rows: Vec::new(),
        empty: p.lang.t(empty),
        older: None,
        actions: Vec::new(),
    }
}

fn paged<T>(mut rows: Vec<T>, path: &str, id: impl Fn(&T) -> i64) -> (Vec<T>, Option<String>) {
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let older = if more { rows.last().map(|r| format!("{path}?before={}", id(r))) } else { None };
    (rows, older)
}

fn ts(lang: Lang, t: chrono::NaiveDateTime, zone: &str) -> String {
    crate::i18n::format::timestamp(lang, t, zone)
}

/// A status or period word of billing data (`paid`, `monthly`…) in the page's language; words
/// the catalog does not know are shown as they were sent.
pub fn value_label(lang: Lang, v: &str) -> String {
    let id = format!("value-{}", v.trim().to_lowercase().replace([' ', '_'], "-"));
    lang.try_t(&id).unwrap_or_else(|| v.to_string())
}

pub async fn payments_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    q: web::Query<Before>,
) -> AppResult<HttpResponse> {
    let (cid, before) = (p.customer_id(), q.before);
    let rows = crate::db::run(&state.pool, move |c| Payment::list(c, cid, before, PAGE + 1)).await?;
    let (rows, older) = paged(rows, "/portal/payments", |r| r.id);
    let mut page = list_page(
        &req,
        &p,
        Perm::Payments,
        "payments",
        vec![
            ("common-date", false),
            ("common-amount", true),
            ("list-method", false),
            ("list-reference", false),
            ("common-status", false),
        ],
        "list-payments-empty",
    );
    let lang = p.lang;
    page.rows = rows
        .iter()
        .map(|r| {
            (
                r.id,
                vec![
                    cell(ts(lang, r.paid_at, p.tz())),
                    num(format!("{} {}", lang.money(r.amount), r.currency)),
                    cell(&r.method),
                    cell(&r.reference),
                    cell(value_label(lang, &r.status)),
                ],
            )
        })
        .collect();
    page.older = older;
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
    let (cid, before) = (p.customer_id(), q.before);
    let rows = crate::db::run(&state.pool, move |c| Transaction::list(c, cid, before, PAGE + 1)).await?;
    let (rows, older) = paged(rows, "/portal/transactions", |r| r.id);
    let show_balance = p.role == Role::Administrator;
    let mut headers =
        vec![("common-date", false), ("common-description", false), ("list-kind", false), ("common-amount", true)];
    if show_balance {
        headers.push(("list-balance-after", true));
    }
    let mut page = list_page(&req, &p, Perm::Transactions, "transactions", headers, "list-transactions-empty");
    let lang = p.lang;
    page.rows = rows
        .iter()
        .map(|r| {
            let mut cells = vec![
                cell(ts(lang, r.occurred_at, p.tz())),
                cell(&r.description),
                cell(value_label(lang, &r.kind)),
                num(lang.money(r.amount)),
            ];
            if show_balance {
                cells.push(num(lang.money(r.balance_after)));
            }
            (r.id, cells)
        })
        .collect();
    page.older = older;
    Ok(html(StatusCode::OK, page.render()))
}

pub async fn services_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    q: web::Query<Before>,
) -> AppResult<HttpResponse> {
    let (cid, before) = (p.customer_id(), q.before);
    let rows = crate::db::run(&state.pool, move |c| Service::list(c, cid, before, PAGE + 1)).await?;
    let (rows, older) = paged(rows, "/portal/services", |r| r.id);
    let mut page = list_page(
        &req,
        &p,
        Perm::Services,
        "services",
        vec![
            ("list-service", false),
            ("common-quantity", true),
            ("common-price", true),
            ("common-period", false),
            ("list-since", false),
            ("list-renews", false),
            ("common-status", false),
        ],
        "list-services-empty",
    );
    let lang = p.lang;
    page.rows = rows
        .iter()
        .map(|r| {
            (
                r.id,
                vec![
                    cell(if r.description.is_empty() {
                        r.name.clone()
                    } else {
                        format!("{} — {}", r.name, r.description)
                    }),
                    num(lang.int(r.quantity)),
                    num(format!("{} {}", lang.money(r.price), r.currency)),
                    cell(value_label(lang, &r.period)),
                    cell(lang.date(&r.started_on)),
                    cell(r.renews_on.map(|d| lang.date(&d)).unwrap_or_else(|| "—".into())),
                    cell(value_label(lang, &r.status)),
                ],
            )
        })
        .collect();
    page.older = older;
    Ok(html(StatusCode::OK, page.render()))
}

pub async fn invoices_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    q: web::Query<Before>,
) -> AppResult<HttpResponse> {
    let (cid, before) = (p.customer_id(), q.before);
    let (rows, pdfs) = crate::db::run(&state.pool, move |c| {
        let rows = Invoice::list(c, cid, before, PAGE + 1)?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        Ok((rows, Invoice::pdf_ids(c, &ids)?))
    })
    .await?;
    let (rows, older) = paged(rows, "/portal/invoices", |r| r.id);
    let mut page = list_page(
        &req,
        &p,
        Perm::Invoices,
        "invoices",
        vec![
            ("list-invoice", false),
            ("list-issued", false),
            ("common-period", false),
            ("list-due", false),
            ("list-total", true),
            ("common-status", false),
            ("list-pdf", false),
        ],
        "list-invoices-empty",
    );
    let lang = p.lang;
    page.rows = rows
        .iter()
        .map(|r| {
            (
                r.id,
                vec![
                    Cell { text: r.number.clone(), num: false, href: Some(format!("/portal/invoices/{}", r.id)) },
                    cell(lang.date(&r.issued_on)),
                    cell(format!("{} – {}", lang.date(&r.period_start), lang.date(&r.period_end))),
                    cell(lang.date(&r.due_on)),
                    num(format!("{} {}", lang.money(r.total), r.currency)),
                    cell(value_label(lang, &r.status)),
                    if pdfs.contains(&r.id) {
                        Cell {
                            text: lang.t("list-pdf"),
                            num: false,
                            href: Some(format!("/portal/invoices/{}/pdf", r.id)),
                        }
                    } else {
                        cell("")
                    },
                ],
            )
        })
        .collect();
    page.older = older;
    Ok(html(StatusCode::OK, page.render()))
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
    let (inv, pdf) = crate::db::run(&state.pool, move |c| {
        let inv = Invoice::get_of(c, cid, id)?;
        Ok((inv, Invoice::pdf(c, id)?))
    })
    .await?;
    let pdf = pdf.ok_or(AppError::NotFound)?;
    let safe: String = inv.number.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"invoice-{safe}.pdf\"")))
        .body(pdf))
}

// ---------------------------------------------------------------------------------------------
// Rateplans

#[derive(Deserialize, Default)]
pub struct RatesQuery {
    pub plan: Option<i64>,
    pub prefix: Option<String>,
    pub after: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/rateplans.html")]
pub struct RateplansPage {
    pub l: Layout,
    pub plans: Vec<(Rateplan, i64)>,
    pub current: Option<Rateplan>,
    pub rates: Vec<Rate>,
    pub prefix: String,
    pub next: Option<String>,
}

impl RateplansPage {
    pub fn money(&self, v: &i64) -> String {
        self.l.lang.money_exact(v)
    }
}

pub async fn rateplans_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    q: web::Query<RatesQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let cid = p.customer_id();
    let prefix: String = q.prefix.clone().unwrap_or_default().chars().filter(|c| c.is_ascii_digit()).take(20).collect();
    let (plan, pfx, after) = (q.plan, prefix.clone(), q.after.clone());
    let (plans, current, rates) = crate::db::run(&state.pool, move |c| {
        let plans = Rateplan::for_customer(c, cid)?;
        let current = match plan {
            Some(id) => Some(Rateplan::get_of(c, cid, id)?),
            None => plans.first().map(|(p, _)| p.clone()),
        };
        let rates = match &current {
            Some(cp) => Rateplan::rates(c, cp.id, Some(&pfx), after.as_deref(), PAGE + 1)?,
            None => vec![],
        };
        Ok((plans, current, rates))
    })
    .await?;
    let mut rates = rates;
    let next = if rates.len() as i64 > PAGE {
        rates.truncate(PAGE as usize);
        match (&current, rates.last()) {
            (Some(cp), Some(last)) => {
                Some(format!("/portal/rateplans?plan={}&prefix={}&after={}", cp.id, prefix, last.prefix))
            }
            _ => None,
        }
    } else {
        None
    };
    let page = RateplansPage {
        l: crate::web::portal::layout(&p, &req, "nav.rateplans", "nav-rateplans"),
        plans,
        current,
        rates,
        prefix,
        next,
    };
    Ok(html(StatusCode::OK, page.render()))
}

#[derive(Deserialize, Default)]
pub struct CheckQuery {
    pub number: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/rate_check_partial.html")]
pub struct RateCheck {
    pub number: String,
    pub results: Vec<(Rateplan, Option<Rate>)>,
    pub error: Option<String>,
    pub tr: Lang,
}

impl RateCheck {
    pub fn money(&self, v: &i64) -> String {
        self.tr.money_exact(v)
    }
}

pub async fn rate_check_partial(
    state: web::Data<AppState>,
    p: Portal,
    q: web::Query<CheckQuery>,
) -> AppResult<HttpResponse> {
    let number = q.into_inner().number.unwrap_or_default();
    let cid = p.customer_id();
    let n = number.clone();
    let (results, error) = match crate::db::run(&state.pool, move |c| crate::rateplans::check_number(c, cid, &n)).await
    {
        Ok(r) => (r, None),
        Err(AppError::Unprocessable(m, _)) => (vec![], Some(m)),
        Err(e) => return Err(e),
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok(html(status, RateCheck { number, results, error, tr: p.lang }.render()))
}

// ---------------------------------------------------------------------------------------------
// Numberlists

#[derive(Template)]
#[template(path = "portal/numberlists.html")]
pub struct NumberlistsPage {
    pub l: Layout,
    pub lists: Vec<(Numberlist, Vec<Item>)>,
    pub errors: Errors,
}

#[derive(Template)]
#[template(path = "portal/numberlist_partial.html")]
pub struct NumberlistPartial {
    pub list: Numberlist,
    pub items: Vec<Item>,
    pub csrf: String,
    pub error: Option<String>,
    pub tr: Lang,
}

pub async fn numberlists_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let cid = p.customer_id();
    let lists = crate::db::run(&state.pool, move |c| Numberlist::for_customer(c, cid)).await?;
    let page = NumberlistsPage {
        l: crate::web::portal::layout(&p, &req, "nav.numberlists", "nav-numberlists"),
        lists,
        errors: Errors::default(),
    };
    Ok(html(StatusCode::OK, page.render()))
}

fn is_htmx(req: &HttpRequest) -> bool {
    req.headers().contains_key("hx-request")
}

async fn numberlist_answer(
    req: &HttpRequest,
    state: &AppState,
    p: &Portal,
    list: i64,
    result: AppResult<()>,
) -> AppResult<HttpResponse> {
    let error = match result {
        Ok(()) => None,
        Err(e @ AppError::Unprocessable(..)) => Some(p.lang.msg(&e.public_message())),
        Err(e) => return Err(e),
    };
    if is_htmx(req) {
        let cid = p.customer_id();
        let (l, items) =
            crate::db::run(&state.pool, move |c| Ok((Numberlist::get_of(c, cid, list)?, Item::of(c, list)?))).await?;
        let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
        let csrf = crate::http::csrf::token(&actix_session::SessionExt::get_session(req));
        return Ok(html(status, NumberlistPartial { list: l, items, csrf, error, tr: p.lang }.render()));
    }
    let session = actix_session::SessionExt::get_session(req);
    match error {
        Some(m) => push_flash(&session, "error", m),
        None => push_flash(&session, "success", p.lang.t("numberlist-updated")),
    }
    Ok(see_other(&format!("/portal/numberlists#list-{list}")))
}

pub async fn numberlist_item_add_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let list = path.into_inner();
    let f = Pairs::parse(&body)?;
    let (number, note) = (f.text("number"), f.text("note"));
    let (cid, actor, ip) = (p.customer_id(), p.actor(), client_ip(&req));
    let r = crate::db::run_tx(&state.pool, move |c| {
        Numberlist::get_of(c, cid, list)?;
        let it = Item::add(c, list, &number, &note)?;
        audit::record(
            c,
            &actor,
            "numberlist.item_add",
            "numberlist",
            Some(list.to_string()),
            Some(serde_json::json!({"number": {"after": it.number}})),
        )
    })
    .await;
    if let Err(AppError::NotFound) = r {
        return Err(AppError::NotFound);
    }
    numberlist_answer(&req, &state, &p, list, r).await
}

pub async fn numberlist_item_delete_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (list, item) = path.into_inner();
    let (cid, actor, ip) = (p.customer_id(), p.actor(), client_ip(&req));
    crate::db::run_tx(&state.pool, move |c| {
        Numberlist::get_of(c, cid, list)?;
        let it = Item::remove(c, list, item)?;
        audit::record(
            c,
            &actor,
            "numberlist.item_remove",
            "numberlist",
            Some(list.to_string()),
            Some(serde_json::json!({"number": {"before": it.number}})),
        )
    })
    .await?;
    numberlist_answer(&req, &state, &p, list, Ok(())).await
}

// ---------------------------------------------------------------------------------------------
// Numbers and campaigns

#[derive(Deserialize, Default)]
pub struct AfterQuery {
    pub after: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/numbers.html")]
pub struct NumbersPage {
    pub l: Layout,
    pub numbers: Vec<Number>,
    pub backend: bool,
    pub editable: bool,
    pub next: Option<String>,
}

pub async fn numbers_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    q: web::Query<AfterQuery>,
) -> AppResult<HttpResponse> {
    let (cid, after) = (p.customer_id(), q.into_inner().after);
    let mut numbers = crate::db::run(&state.pool, move |c| Number::list(c, cid, after.as_deref(), PAGE + 1)).await?;
    let next = if numbers.len() as i64 > PAGE {
        numbers.truncate(PAGE as usize);
        numbers.last().map(|n| format!("/portal/numbers?after={}", crate::web::login::encode_component(&n.number)))
    } else {
        None
    };
    let page = NumbersPage {
        l: crate::web::portal::layout(&p, &req, "nav.my_numbers", "nav-my-numbers"),
        numbers,
        backend: p.has(Perm::BackendDescriptions),
        editable: p.has(Perm::MyNumbersEditDescriptions) && !p.preview(),
        next,
    };
    Ok(html(StatusCode::OK, page.render()))
}

pub async fn number_description_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: actix_session::Session,
    p: Portal,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let text = Pairs::parse(&body)?.text("description");
    let (cid, actor, ip) = (p.customer_id(), p.actor(), client_ip(&req));
    let n = crate::db::run_tx(&state.pool, move |c| {
        let before = crate::db::schema::numbers::table
            .filter(crate::db::schema::numbers::id.eq(id))
            .filter(crate::db::schema::numbers::customer_id.eq(cid))
            .select(crate::db::schema::numbers::customer_description)
            .first::<String>(c)?;
        let n = Number::set_description(c, cid, id, &text)?;
        audit::record(
            c,
            &actor,
            "number.description",
            "number",
            Some(id.to_string()),
            Some(serde_json::json!({"description": {"before": before, "after": n.customer_description}})),
        )?;
        Ok(n)
    })
    .await?;
    if is_htmx(&req) {
        let saved = p.lang.t1("numbers-saved", "description", &n.customer_description);
        return Ok(HttpResponse::Ok().content_type("text/html; charset=utf-8").body(format!(
            "<span class=\"saved\" role=\"status\">{}</span>",
            askama::filters::escape(&saved, askama::filters::Html).map(|e| e.to_string()).unwrap_or_default()
        )));
    }
    push_flash(&session, "success", p.lang.t1("numbers-saved-flash", "number", &n.number));
    Ok(see_other("/portal/numbers"))
}

#[derive(Template)]
#[template(path = "portal/campaigns.html")]
pub struct CampaignsPage {
    pub l: Layout,
    pub campaigns: Vec<crate::numbers::CampaignStats>,
    pub free_numbers: Vec<Number>,
    pub manage: bool,
    pub errors: Errors,
}

async fn campaigns_page(req: &HttpRequest, state: &AppState, p: &Portal, errors: Errors) -> AppResult<CampaignsPage> {
    let cid = p.customer_id();
    let since = (time::now_ms() / 1000 / 86_400 - 29) * 86_400;
    let (campaigns, numbers) = crate::db::run(&state.pool, move |c| {
        let camps = Campaign::with_stats(c, cid, since)?;
        let free: Vec<Number> =
            Number::list(c, cid, None, 1000)?.into_iter().filter(|n| n.campaign_id.is_none()).collect();
        Ok((camps, free))
    })
    .await?;
    Ok(CampaignsPage {
        l: crate::web::portal::layout(&p, req, "nav.my_campaigns", "nav-my-campaigns"),
        campaigns,
        free_numbers: numbers,
        manage: p.has(Perm::MyCampaignsManage) && !p.preview(),
        errors,
    })
}

pub async fn campaigns_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    Ok(html(StatusCode::OK, campaigns_page(&req, &state, &p, Errors::default()).await?.render()))
}

pub async fn campaign_create_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: actix_session::Session,
    p: Portal,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let f = Pairs::parse(&body)?;
    let ids: Vec<i64> = f.all("numbers").iter().filter_map(|v| v.parse().ok()).collect();
    let (name, description) = (f.text("name"), f.text("description"));
    let (cid, actor, ip) = (p.customer_id(), p.actor(), client_ip(&req));
    let r = crate::db::run_tx(&state.pool, move |c| {
        let camp = Campaign::create(c, cid, &name, &description, &ids)?;
        audit::record(
            c,
            &actor,
            "campaign.create",
            "campaign",
            Some(camp.id.to_string()),
            Some(serde_json::json!({"name": {"after": camp.name}, "numbers": {"after": ids}})),
        )?;
        Ok(camp)
    })
    .await;
    match r {
        Ok(c) => {
            push_flash(&session, "success", p.lang.t1("campaigns-created", "name", &c.name));
            Ok(see_other("/portal/campaigns"))
        }
        Err(e @ AppError::Unprocessable(..)) => Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            campaigns_page(&req, &state, &p, Errors::from_error(&e)).await?.render(),
        )),
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Daily CDR reports

#[derive(Template)]
#[template(path = "portal/daily_reports.html")]
pub struct DailyPage {
    pub l: Layout,
    /// (file day `YYYY-MM-DD`, the day as shown, outgoing calls, incoming calls)
    pub days: Vec<(String, String, String, String)>,
}

const REPORT_DAYS: i64 = 90;

pub async fn daily_reports_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let (cid, zone) = (p.customer_id(), p.tz().to_string());
    let since = time::now_ms() / 1000 - REPORT_DAYS * 86_400;
    let rows: Vec<(i64, i16, i64)> = crate::db::run(&state.pool, move |c| {
        Ok(cdr_hourly::table
            .filter(cdr_hourly::customer_id.eq(cid))
            .filter(cdr_hourly::hour.ge(since))
            .select((cdr_hourly::hour, cdr_hourly::direction, cdr_hourly::total_calls))
            .load(c)?)
    })
    .await?;
    let mut by_day: std::collections::BTreeMap<chrono::NaiveDate, (i64, i64)> = Default::default();
    for (hour, dir, n) in rows {
        let d = time::local_date(hour * 1000, &zone);
        let e = by_day.entry(d).or_default();
        if dir == Direction::Outgoing.code() {
            e.0 += n;
        } else {
            e.1 += n;
        }
    }
    let lang = p.lang;
    let days =
        by_day.into_iter().rev().map(|(d, (o, i))| (d.to_string(), lang.date(&d), lang.int(o), lang.int(i))).collect();
    let page =
        DailyPage { l: crate::web::portal::layout(&p, &req, "nav.daily_cdr_reports", "nav-daily-cdr-reports"), days };
    Ok(html(StatusCode::OK, page.render()))
}

/// One local day of CDRs (both directions) as CSV, streamed.
pub async fn daily_report_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let day = path.into_inner();
    let day = day.strip_suffix(".csv").unwrap_or(&day);
    let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map_err(|_| AppError::bad_request("The day must be written as YYYY-MM-DD.csv."))?;
    let zone = p.tz().to_string();
    let from = time::local_midnight(d, &zone);
    let to = time::local_midnight(d.succ_opt().ok_or(AppError::NotFound)?, &zone);
    let filters = [Direction::Outgoing, Direction::Incoming]
        .into_iter()
        .map(|direction| CdrFilter {
            customer_id: p.customer_id(),
            direction,
            from: Some(from),
            to: Some(to),
            number_prefix: None,
            success: None,
            min_duration: None,
            max_duration: None,
        })
        .collect();
    let (actor, cid, ip) = (p.actor(), p.customer_id(), client_ip(&req));
    let ds = d.to_string();
    crate::db::run(&state.pool, move |c| {
        audit::record(
            c,
            &actor,
            "export.daily_report",
            "customer",
            Some(cid.to_string()),
            Some(serde_json::json!({"day": ds})),
        )
    })
    .await?;
    Ok(crate::web::portal::traffic::stream_csv(&state, filters, zone, format!("cdrs-{d}.csv")))
}
