//! Rateplans assigned to the customer: rates with prefix search, and "check a number" by the
//! longest matching prefix.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Query};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::PAGE;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::http::Portal;
use crate::i18n::Lang;
use crate::rateplans::{Rate, Rateplan};
use crate::web::html;
use crate::web::layout::Layout;

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
    state: Data<AppState>,
    p: Portal,
    q: Query<RatesQuery>,
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

pub async fn rate_check_partial(state: Data<AppState>, p: Portal, q: Query<CheckQuery>) -> AppResult<HttpResponse> {
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
