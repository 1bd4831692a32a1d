//! Creating, editing and deleting a customer, and assigning its own access profile.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Path};
use askama::Template;

use crate::access::assignments::{self, OwnProfile};
use crate::customers::commands;
use crate::customers::input::invalid;
use crate::error::{AppError, AppResult};
use crate::web::admin::Staff;
use crate::web::admin::customers::form::FormValues;
use crate::web::admin::customers::page::{page, section_answer};
use crate::web::forms::{Errors, Pairs};
use crate::web::layout::push_flash;
use crate::web::{html, see_other};

async fn show(staff: &Staff, id: Option<i64>) -> AppResult<HttpResponse> {
    Ok(html(StatusCode::OK, page(staff, id, None, Errors::default()).await?.render()))
}

pub async fn new_get(staff: Staff) -> AppResult<HttpResponse> {
    show(&staff, None).await
}

pub async fn edit_get(staff: Staff, path: Path<i64>) -> AppResult<HttpResponse> {
    show(&staff, Some(path.into_inner())).await
}

/// Stores the form: a new customer (`id` none) or the customer `id`, keeping its profile.
async fn save(staff: Staff, id: Option<i64>, body: Bytes) -> AppResult<HttpResponse> {
    let pairs = Pairs::parse(&body)?;
    let values = FormValues::from_pairs(&pairs);
    let actor = staff.ctx.actor();
    let result = match values.to_input(&pairs) {
        Err(e) => Err(invalid(e)),
        Ok(input) => {
            crate::db::run(&staff.state.pool, move |c| match id {
                None => commands::create(c, &actor, input),
                Some(id) => assignments::update_customer(c, &actor, id, input, OwnProfile::Keep),
            })
            .await
        }
    };
    match result {
        Ok(c) => {
            push_flash(&staff.session, "success", staff.ctx.lang.t1("customer-saved", "name", &c.row.name));
            Ok(see_other(&format!("/admin/customers/{}", c.id())))
        }
        Err(e @ AppError::Unprocessable(..)) => {
            let p = page(&staff, id, Some(values), Errors::from_error(&e)).await?;
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, p.render()))
        }
        Err(e) => Err(e),
    }
}

pub async fn create_post(staff: Staff, body: Bytes) -> AppResult<HttpResponse> {
    save(staff, None, body).await
}

pub async fn update_post(staff: Staff, path: Path<i64>, body: Bytes) -> AppResult<HttpResponse> {
    save(staff, Some(path.into_inner()), body).await
}

pub async fn delete_post(staff: Staff, path: Path<i64>) -> AppResult<HttpResponse> {
    let (id, actor) = (path.into_inner(), staff.ctx.actor());
    let c = crate::db::run(&staff.state.pool, move |c| commands::delete(c, &actor, id)).await?;
    push_flash(&staff.session, "success", staff.ctx.lang.t1("customer-deleted", "name", &c.row.name));
    Ok(see_other("/admin/customers"))
}

/// Assigns (or clears) the customer's own access profile.
pub async fn assign_post(staff: Staff, path: Path<i64>, body: Bytes) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let chosen = Pairs::parse(&body)?.text("access_profile_id");
    let profile = match chosen.trim() {
        "" => None,
        v => Some(v.parse::<i64>().map_err(|_| AppError::field("accessProfileId", "Choose a profile from the list."))?),
    };
    let actor = staff.ctx.actor();
    let r = crate::db::run(&staff.state.pool, move |c| assignments::assign_profile(c, &actor, id, profile)).await;
    section_answer(&staff, id, r, ("customer-assigned", "profile")).await
}
