//! The read-only preview of a customer's portal, as its `user` role would see it.

use actix_session::SessionExt;
use actix_web::web::Path;
use actix_web::{HttpRequest, HttpResponse};

use crate::customers::commands;
use crate::error::AppResult;
use crate::web::admin::Staff;
use crate::web::portal::PREVIEW_KEY;
use crate::web::see_other;

/// A GET starts nothing (a state change on GET could be triggered by a cross-site link): it
/// leads back to the customer's page, whose button starts the preview by POST.
pub async fn preview_get(path: Path<i64>) -> AppResult<HttpResponse> {
    Ok(see_other(&format!("/admin/customers/{}", path.into_inner())))
}

/// Starts a preview (POST with the CSRF token; audited as `customer.preview`) and opens the portal.
pub async fn preview_post(staff: Staff, path: Path<i64>) -> AppResult<HttpResponse> {
    let (id, actor) = (path.into_inner(), staff.ctx.actor());
    crate::db::run(&staff.state.pool, move |c| commands::start_preview(c, &actor, id)).await?;
    let _ = staff.session.insert(PREVIEW_KEY, id);
    Ok(see_other("/portal"))
}

pub async fn preview_exit_post(req: HttpRequest) -> AppResult<HttpResponse> {
    let id: Option<i64> = req.get_session().remove_as::<i64>(PREVIEW_KEY).and_then(Result::ok);
    Ok(see_other(&id.map(|i| format!("/admin/customers/{i}")).unwrap_or_else(|| "/admin/customers".into())))
}
