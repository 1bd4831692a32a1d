//! The numberlists section of the customer page: which numberlists the customer may manage in
//! its portal (SPEC §6).

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::AppState;
use crate::customers::commands;
use crate::error::{AppError, AppResult};
use crate::http::Ctx;
use crate::web::admin::customers::page::section_answer;
use crate::web::forms::Pairs;

pub async fn numberlists_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let ids: Vec<i64> = Pairs::parse(&body)?
        .all("numberlists")
        .iter()
        .map(|v| v.parse::<i64>().map_err(|_| AppError::bad_request("numberlists must be ids")))
        .collect::<AppResult<_>>()?;
    let actor = s.actor();
    let r = crate::db::run(&state.pool, move |c| commands::set_numberlists(c, &actor, id, &ids)).await;
    section_answer((&req, &state, &s, &session), id, r, ("customer-numberlists-saved", "numberlists")).await
}
