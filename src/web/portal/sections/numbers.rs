//! The customer's numbers (descriptions editable with `my_numbers_edit_descriptions`) and
//! campaigns (created with `my_campaigns_manage`).

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{PAGE, is_htmx};
use crate::AppState;
use crate::access::Perm;
use crate::error::{AppError, AppResult};
use crate::http::Portal;
use crate::numbers::{self, Campaign, CampaignStats, Number};
use crate::web::forms::{Errors, Pairs};
use crate::web::html;
use crate::web::layout::{Layout, push_flash};
use crate::web::see_other;

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
    state: Data<AppState>,
    p: Portal,
    q: Query<AfterQuery>,
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
    state: Data<AppState>,
    session: actix_session::Session,
    p: Portal,
    path: Path<i64>,
    body: Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let text = Pairs::parse(&body)?.text("description");
    let (cid, actor) = (p.customer_id(), p.actor());
    let n = crate::db::run(&state.pool, move |c| numbers::set_description(c, &actor, cid, id, &text)).await?;
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
    pub campaigns: Vec<CampaignStats>,
    pub free_numbers: Vec<Number>,
    pub manage: bool,
    pub errors: Errors,
}

async fn campaigns_page(req: &HttpRequest, state: &AppState, p: &Portal, errors: Errors) -> AppResult<CampaignsPage> {
    let cid = p.customer_id();
    let (campaigns, numbers) = crate::db::run(&state.pool, move |c| {
        let camps = Campaign::with_stats(c, cid, numbers::thirty_days_ago())?;
        let free: Vec<Number> =
            Number::list(c, cid, None, 1000)?.into_iter().filter(|n| n.campaign_id.is_none()).collect();
        Ok((camps, free))
    })
    .await?;
    Ok(CampaignsPage {
        l: crate::web::portal::layout(p, req, "nav.my_campaigns", "nav-my-campaigns"),
        campaigns,
        free_numbers: numbers,
        manage: p.has(Perm::MyCampaignsManage) && !p.preview(),
        errors,
    })
}

pub async fn campaigns_get(req: HttpRequest, state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    Ok(html(StatusCode::OK, campaigns_page(&req, &state, &p, Errors::default()).await?.render()))
}

pub async fn campaign_create_post(
    req: HttpRequest,
    state: Data<AppState>,
    session: actix_session::Session,
    p: Portal,
    body: Bytes,
) -> AppResult<HttpResponse> {
    let f = Pairs::parse(&body)?;
    let ids: Vec<i64> = f.all("numbers").iter().filter_map(|v| v.parse().ok()).collect();
    let (name, description) = (f.text("name"), f.text("description"));
    let (cid, actor) = (p.customer_id(), p.actor());
    let r =
        crate::db::run(&state.pool, move |c| numbers::create_campaign(c, &actor, cid, &name, &description, &ids)).await;
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
