//! The access codes section of the customer page: add a code, delete one.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::AppState;
use crate::customers::codes::{self, AccessCodeInput};
use crate::error::AppResult;
use crate::http::Ctx;
use crate::web::admin::customers::page::section_answer;
use crate::web::forms::Pairs;

pub async fn code_create_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let p = Pairs::parse(&body)?;
    let input = AccessCodeInput {
        label: p.text("label"),
        public_text: p.text("public_text"),
        public_value: p.text("public_value"),
        private_master: p.text("private_master"),
        private_read: p.text("private_read"),
        private_write: p.text("private_write"),
    };
    let actor = s.actor();
    let r = crate::db::run(&state.pool, move |c| codes::create_code(c, &actor, id, input)).await;
    section_answer((&req, &state, &s, &session), id, r, ("customer-code-added", "access-codes")).await
}

pub async fn code_delete_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let ((id, code), actor) = (path.into_inner(), s.actor());
    let r = crate::db::run(&state.pool, move |c| codes::delete_code(c, &actor, Some(id), code)).await;
    section_answer((&req, &state, &s, &session), id, r, ("customer-code-deleted", "access-codes")).await
}
