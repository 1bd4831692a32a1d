//! The read-only preview of a customer's portal, as its `user` role would see it.

use actix_session::SessionExt;
use actix_web::web::Path;
use actix_web::{HttpRequest, HttpResponse};

use crate::customers::commands;
use crate::error::AppResult;
use crate::web::admin::Staff;
use crate::web::portal::PREVIEW_KEY;
use crate::web::see_other;

/// Starts a preview (audited as `customer.preview`) and opens the portal.
pub async fn preview_get(staff: Staff, path: Path<i64>) -> AppResult<HttpResponse> {
    let (id, actor) = (path.into_inner(), staff.ctx.actor());
    crate::db::run(&staff.state.pool, move |c| commands::start_preview(c, &actor, id)).await?;
    let _ = staff.session.insert(PREVIEW_KEY, id);
    Ok(see_other("/portal"))
}

pub async fn preview_exit_post(req: HttpRequest) -> AppResult<HttpResponse> {
    let id: Option<i64> = req.get_session().remove_as::<i64>(PREVIEW_KEY).and_then(Result::ok);
    Ok(see_other(&id.map(|i| format!("/admin/customers/{i}")).unwrap_or_else(|| "/admin/customers".into())))
}
