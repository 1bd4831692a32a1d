//! The numberlists the operator lets the customer manage: add and remove items, in place with
//! htmx (the list's fragment) or with a plain form post (a redirect with a flash message).

use actix_session::SessionExt;
use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use super::is_htmx;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::http::Portal;
use crate::i18n::Lang;
use crate::numberlists::{self, Item, Numberlist};
use crate::web::forms::Pairs;
use crate::web::html;
use crate::web::layout::{Layout, push_flash};
use crate::web::see_other;

#[derive(Template)]
#[template(path = "portal/numberlists.html")]
pub struct NumberlistsPage {
    pub l: Layout,
    pub lists: Vec<(Numberlist, Vec<Item>)>,
}

#[derive(Template)]
#[template(path = "portal/numberlist_partial.html")]
pub struct NumberlistPartial {
    pub list: Numberlist,
    pub items: Vec<Item>,
    pub csrf: String,
    /// Why the last change was refused.
    pub error: Option<String>,
    pub tr: Lang,
}

pub async fn numberlists_get(req: HttpRequest, state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let cid = p.customer_id();
    let lists = crate::db::run(&state.pool, move |c| Numberlist::for_customer(c, cid)).await?;
    let page = NumberlistsPage { l: crate::web::portal::layout(&p, &req, "nav.numberlists", "nav-numberlists"), lists };
    Ok(html(StatusCode::OK, page.render()))
}

/// The answer to a change of a list: its fragment for htmx, else back to the page. A refused
/// value (422) is shown; a list that is not the customer's is 404.
async fn answer(
    req: &HttpRequest,
    state: &AppState,
    p: &Portal,
    list: i64,
    result: AppResult<Item>,
) -> AppResult<HttpResponse> {
    let error = match result {
        Ok(_) => None,
        Err(e @ AppError::Unprocessable(..)) => Some(p.lang.msg(&e.public_message())),
        Err(e) => return Err(e),
    };
    if is_htmx(req) {
        let cid = p.customer_id();
        let (l, items) =
            crate::db::run(&state.pool, move |c| Ok((Numberlist::get_of(c, cid, list)?, Item::of(c, list)?))).await?;
        let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
        let csrf = crate::http::csrf::token(&req.get_session());
        return Ok(html(status, NumberlistPartial { list: l, items, csrf, error, tr: p.lang }.render()));
    }
    match error {
        Some(m) => push_flash(&req.get_session(), "error", m),
        None => push_flash(&req.get_session(), "success", p.lang.t("numberlist-updated")),
    }
    Ok(see_other(&format!("/portal/numberlists#list-{list}")))
}

pub async fn numberlist_item_add_post(
    req: HttpRequest,
    state: Data<AppState>,
    p: Portal,
    path: Path<i64>,
    body: Bytes,
) -> AppResult<HttpResponse> {
    let list = path.into_inner();
    let f = Pairs::parse(&body)?;
    let (number, note) = (f.text("number"), f.text("note"));
    let (cid, actor) = (p.customer_id(), p.actor());
    let r = crate::db::run(&state.pool, move |c| numberlists::add_item(c, &actor, cid, list, &number, &note)).await;
    answer(&req, &state, &p, list, r).await
}

pub async fn numberlist_item_delete_post(
    req: HttpRequest,
    state: Data<AppState>,
    p: Portal,
    path: Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (list, item) = path.into_inner();
    let (cid, actor) = (p.customer_id(), p.actor());
    let r = crate::db::run(&state.pool, move |c| numberlists::remove_item(c, &actor, cid, list, item)).await;
    answer(&req, &state, &p, list, r).await
}
