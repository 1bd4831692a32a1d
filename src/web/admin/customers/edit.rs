//! Creating, editing and deleting a customer, and assigning its own access profile.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::AppState;
use crate::access::assignments::{self, OwnProfile};
use crate::customers::commands;
use crate::customers::input::invalid;
use crate::error::{AppError, AppResult};
use crate::http::Ctx;
use crate::web::admin::customers::form::FormValues;
use crate::web::admin::customers::page::{page, section_answer};
use crate::web::forms::{Errors, Pairs};
use crate::web::layout::push_flash;
use crate::web::{html, see_other};

pub async fn new_get(req: HttpRequest, state: web::Data<AppState>, s: Ctx) -> AppResult<HttpResponse> {
    let p = page(&req, &state, &s, None, None, Errors::default()).await?;
    Ok(html(StatusCode::OK, p.render()))
}

pub async fn edit_get(
    req: HttpRequest,
    state: web::Data<AppState>,
    s: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let p = page(&req, &state, &s, Some(path.into_inner()), None, Errors::default()).await?;
    Ok(html(StatusCode::OK, p.render()))
}

/// Stores the form: a new customer (`id` none) or the customer `id`, keeping its profile.
async fn save(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    id: Option<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let pairs = Pairs::parse(&body)?;
    let values = FormValues::from_pairs(&pairs);
    let actor = s.actor();
    let result = match values.to_input(&pairs) {
        Err(e) => Err(invalid(e)),
        Ok(input) => {
            crate::db::run(&state.pool, move |c| match id {
                None => commands::create(c, &actor, input),
                Some(id) => assignments::update_customer(c, &actor, id, input, OwnProfile::Keep),
            })
            .await
        }
    };
    match result {
        Ok(c) => {
            push_flash(&session, "success", s.lang.t1("customer-saved", "name", &c.row.name));
            Ok(see_other(&format!("/admin/customers/{}", c.id())))
        }
        Err(e @ AppError::Unprocessable(..)) => {
            let p = page(&req, &state, &s, id, Some(values), Errors::from_error(&e)).await?;
            Ok(html(StatusCode::UNPROCESSABLE_ENTITY, p.render()))
        }
        Err(e) => Err(e),
    }
}

pub async fn create_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    save(req, state, session, s, None, body).await
}

pub async fn update_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    save(req, state, session, s, Some(path.into_inner()), body).await
}

pub async fn delete_post(
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let (id, actor) = (path.into_inner(), s.actor());
    let c = crate::db::run(&state.pool, move |c| commands::delete(c, &actor, id)).await?;
    push_flash(&session, "success", s.lang.t1("customer-deleted", "name", &c.row.name));
    Ok(see_other("/admin/customers"))
}

/// Assigns (or clears) the customer's own access profile.
pub async fn assign_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    s: Ctx,
    path: web::Path<i64>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let pairs = Pairs::parse(&body)?;
    let profile = match pairs.get("access_profile_id").map(str::trim).filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => {
            Some(v.parse::<i64>().map_err(|_| AppError::field("accessProfileId", "Choose a profile from the list."))?)
        }
    };
    let actor = s.actor();
    let r = crate::db::run(&state.pool, move |c| assignments::assign_profile(c, &actor, id, profile)).await;
    section_answer((&req, &state, &s, &session), id, r, ("customer-assigned", "profile")).await
}
