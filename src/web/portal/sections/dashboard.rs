//! The portal's front page: a card per granted section with its headline figure, and the
//! customer's own stylesheet.

use actix_web::http::{StatusCode, header};
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use super::value_label;
use crate::AppState;
use crate::access::Perm;
use crate::access::caps::Cap;
use crate::billing::{Invoice, Payment, Scope, Service};
use crate::customers::accounts::Account;
use crate::db::DbConnection;
use crate::db::paging::Window;
use crate::error::AppResult;
use crate::http::Portal;
use crate::i18n::Lang;
use crate::numberlists::Numberlist;
use crate::numbers::{Campaign, Number};
use crate::rateplans::Rateplan;
use crate::traffic::{Direction, active, stats, time};
use crate::web::html;
use crate::web::layout::Layout;
use crate::web::portal::SECTIONS;

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

/// What a card needs to know of the viewer.
struct Viewer {
    customer: i64,
    sees_balance: bool,
    zone: String,
    lang: Lang,
}

/// A count with its caption (`tn`: the caption's plural forms).
fn counted(lang: Lang, n: i64, caption: &str) -> (String, String) {
    (lang.int(n), lang.tn(caption, n))
}

/// The headline figure of a granted section's card, from its domain module.
fn headline(c: &mut DbConnection, v: &Viewer, key: Perm) -> AppResult<(String, String)> {
    let (cid, lang) = (v.customer, v.lang);
    let today = time::local_midnight(time::local_date(time::now_ms(), &v.zone), &v.zone);
    let calls_today = |c: &mut DbConnection, dir: Direction| stats::count_calls(c, cid, dir, Some(today), None);
    let newest = Scope::newest(cid, None);
    let first = Window::new(0, 1);
    let none = |caption: &str| ("—".to_string(), lang.t(caption));
    Ok(match key {
        Perm::Account => {
            let accounts = Account::for_customer(c, cid)?;
            match accounts.first() {
                Some(a) if v.sees_balance => (
                    format!("{} {}", lang.money(a.balance), a.currency),
                    lang.t1("card-balance-of", "account", &a.name),
                ),
                Some(_) => counted(lang, accounts.len() as i64, "card-accounts"),
                None => none("card-no-account"),
            }
        }
        Perm::OutgoingCdrs => (lang.int(calls_today(c, Direction::Outgoing)?), lang.t("card-outgoing-today")),
        Perm::IncomingCdrs => (lang.int(calls_today(c, Direction::Incoming)?), lang.t("card-incoming-today")),
        Perm::OutgoingActiveCalls => (lang.int(active::count(c, cid)?), lang.t("card-calls-in-progress")),
        Perm::Invoices => match Invoice::page(c, &newest, first, false)?.rows.pop() {
            Some((i, _)) => (
                format!("{} {}", lang.money(i.total), i.currency),
                lang.t1("card-latest-invoice", "status", value_label(lang, &i.status)),
            ),
            None => none("card-no-invoices"),
        },
        Perm::Payments => match Payment::page(c, &newest, first, false)?.rows.pop() {
            Some(p) => (format!("{} {}", lang.money(p.amount), p.currency), lang.t("card-latest-payment")),
            None => none("card-no-payments"),
        },
        Perm::Services => (lang.int(Service::active_count(c, cid)?), lang.t("card-active-services")),
        Perm::MyNumbers => counted(lang, Number::count(c, cid)?, "card-numbers"),
        Perm::MyCampaigns => counted(lang, Campaign::count(c, cid)?, "card-campaigns"),
        Perm::OutgoingNumberlists => counted(lang, Numberlist::count_for(c, cid)?, "card-numberlists"),
        Perm::OutgoingRateplans => counted(lang, Rateplan::count_for(c, cid)?, "card-rateplans"),
        _ => ("→".into(), lang.t("card-open")),
    })
}

pub async fn dashboard_get(req: HttpRequest, state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let sections: Vec<(&'static str, String, &'static str, Perm)> = SECTIONS
        .iter()
        .filter_map(|s| s.key.filter(|k| p.has(*k)).map(|k| (k.key(), p.label(s.string_key, s.label), s.href, k)))
        .collect();
    let viewer = Viewer {
        customer: p.customer_id(),
        sees_balance: p.can(Cap::SeeBalance),
        zone: p.tz().to_string(),
        lang: p.lang,
    };
    let cards = crate::db::run(&state.pool, move |c| {
        sections
            .into_iter()
            .map(|(key, title, href, perm)| {
                let (figure, caption) = headline(c, &viewer, perm)?;
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
