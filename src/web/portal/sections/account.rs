//! The customer's billing accounts: limits, currency, capacity, and the balance for roles that
//! may see it.

use actix_web::http::StatusCode;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use crate::AppState;
use crate::access::caps::Cap;
use crate::customers::accounts::Account;
use crate::error::AppResult;
use crate::http::Portal;
use crate::web::html;
use crate::web::layout::Layout;

pub struct AccountView {
    pub id: i64,
    pub name: String,
    pub currency: String,
    /// Only for roles that may see balances.
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
    /// The balance column exists (`Cap::SeeBalance`).
    pub shows_balance: bool,
}

pub async fn account_get(req: HttpRequest, state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let cid = p.customer_id();
    let rows = crate::db::run(&state.pool, move |c| Account::for_customer(c, cid)).await?;
    let shows_balance = p.can(Cap::SeeBalance);
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
