//! The numberlists section of the customer page: which numberlists the customer may manage in
//! its portal (SPEC §6).

use actix_web::HttpResponse;
use actix_web::web::{Bytes, Path};

use crate::customers::commands;
use crate::error::{AppError, AppResult};
use crate::web::admin::Staff;
use crate::web::admin::customers::page::section_answer;
use crate::web::forms::Pairs;

pub async fn numberlists_post(staff: Staff, path: Path<i64>, body: Bytes) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let ids: Vec<i64> = Pairs::parse(&body)?
        .all("numberlists")
        .iter()
        .map(|v| v.parse::<i64>().map_err(|_| AppError::bad_request("numberlists must be ids")))
        .collect::<AppResult<_>>()?;
    let actor = staff.ctx.actor();
    let r = crate::db::run(&staff.state.pool, move |c| commands::set_numberlists(c, &actor, id, &ids)).await;
    section_answer(&staff, id, r, ("customer-numberlists-saved", "numberlists")).await
}
