//! The access codes section of the customer page: add a code, delete one.

use actix_web::HttpResponse;
use actix_web::web::{Bytes, Path};

use crate::customers::codes::{self, AccessCodeInput};
use crate::error::AppResult;
use crate::web::admin::Staff;
use crate::web::admin::customers::page::section_answer;
use crate::web::forms::Pairs;

pub async fn code_create_post(staff: Staff, path: Path<i64>, body: Bytes) -> AppResult<HttpResponse> {
    let (id, p, actor) = (path.into_inner(), Pairs::parse(&body)?, staff.ctx.actor());
    let input = AccessCodeInput {
        label: p.text("label"),
        public_text: p.text("public_text"),
        public_value: p.text("public_value"),
        private_master: p.text("private_master"),
        private_read: p.text("private_read"),
        private_write: p.text("private_write"),
    };
    let r = crate::db::run(&staff.state.pool, move |c| codes::create_code(c, &actor, id, input)).await;
    section_answer(&staff, id, r, ("customer-code-added", "access-codes")).await
}

pub async fn code_delete_post(staff: Staff, path: Path<(i64, i64)>) -> AppResult<HttpResponse> {
    let ((id, code), actor) = (path.into_inner(), staff.ctx.actor());
    let r = crate::db::run(&staff.state.pool, move |c| codes::delete_code(c, &actor, Some(id), code)).await;
    section_answer(&staff, id, r, ("customer-code-deleted", "access-codes")).await
}
