//! Customers (SPEC §4) in the API. Staff manage them; a customer user may read its own
//! customer and that customer's descendants (every other customer is "not found"). The wire
//! types are in [`types`]; every write is a domain command (`crate::customers::commands`,
//! `crate::access::assignments`).

pub mod types;
pub mod view;

use actix_web::web::Path;
use actix_web::{HttpRequest, HttpResponse};

use crate::access::assignments::{self, OwnProfile};
use crate::access::resolve;
use crate::api::body::ApiJson;
use crate::api::list::{ListQuery, Source};
use crate::api::schema::Page;
use crate::api::{Call, created};
use crate::customers::Customer;
use crate::customers::commands;
use crate::customers::list::{CustomerFilter, SortField, list};
use crate::customers::model::app_settings_of;
use crate::customers::tree::subtree;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use types::{CUSTOMER_LIST, CustomerCreate, CustomerListParams, CustomerReplace, Fields, columns, out};
pub use types::{CustomerOut, TagColor, TagOut};
use view::{CustomerAnswer, CustomerView, view_columns, view_out};

/// The customer as the API answers it, with the profile in force for it.
fn answer(c: &mut DbConnection, cust: &Customer) -> AppResult<CustomerOut> {
    Ok(CustomerOut::of(cust, resolve::effective_profile_id(c, cust.id())?))
}

/// List customers.
///
/// Staff see every customer with every field (`Customer`); a customer user sees only its own
/// customer and its descendants, and only the customer view of each (`CustomerView`: no
/// operator-internal fields), in JSON and CSV alike.
#[utoipa::path(get, path = "/api/v1/customers", tag = "Customers", params(CustomerListParams),
    responses((status = 200, description = "One page of customers (`Customer` for staff, `CustomerView` for customer users), or the same rows as CSV.",
        content((Page<CustomerAnswer> = "application/json"), (String = "text/csv")))))]
pub async fn list_get(req: HttpRequest, call: Call) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &call.caller, &CUSTOMER_LIST)?;
    let within = match call.caller.own_customer() {
        None => None,
        Some(own) => Some(crate::db::run(&call.state.pool, move |c| subtree(c, own)).await?),
    };
    let f = CustomerFilter {
        name_filter: q.text("nameFilter"),
        parent_ids: q.ids("parentCustomerIds"),
        shallow_parent: q.flag("shallowParent"),
        tag_ids: q.ids("tagIds"),
        account_ids: q.ids("accountIds"),
        specific_ids: q.specific_int_ids(),
        within,
        ..Default::default()
    };
    let sort = match q.sort_field {
        "name" => SortField::Name,
        "createdAt" => SortField::CreatedAt,
        "updatedAt" => SortField::UpdatedAt,
        _ => SortField::Id,
    };
    let sort = (sort, q.ascending);
    let customer_view = call.caller.own_customer().is_some();
    let source = Source::db(move |c, w, total| {
        let page = list(c, &f, sort, w, total)?;
        let customers = Customer::attach_all(c, page.rows)?;
        let rows = if customer_view {
            let mut rows = Vec::with_capacity(customers.len());
            for x in &customers {
                rows.push(view_out(x, app_settings_of(c, &x.row)?));
            }
            rows
        } else {
            let ids: Vec<i64> = customers.iter().map(Customer::id).collect();
            let effective = resolve::effective_ids(c, &ids)?;
            customers.iter().map(|x| out(x, effective.get(&x.id()).and_then(|e| e.0))).collect()
        };
        Ok(crate::db::paging::Page { rows, total: page.total })
    });
    let columns = if customer_view { view_columns() } else { columns() };
    crate::api::list::respond(&call.state, &q, &CUSTOMER_LIST, columns, source).await
}

/// One customer (for a customer user: its own or a descendant, else 404; in the customer view).
#[utoipa::path(get, path = "/api/v1/customers/{id}", tag = "Customers",
    params(("id" = i64, Path, description = "Customer id")),
    responses((status = 200, description = "The customer: `Customer` for staff, `CustomerView` for customer users.", body = CustomerAnswer)))]
pub async fn one_get(call: Call, path: Path<i64>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let own = call.caller.own_customer();
    let c = crate::db::run(&call.state.pool, move |c| {
        if let Some(own) = own
            && !subtree(c, own)?.contains(&id)
        {
            return Err(AppError::NotFound);
        }
        let cust = Customer::get(c, id)?;
        Ok(match own {
            Some(_) => CustomerAnswer::Customer(Box::new(CustomerView::of(&cust, app_settings_of(c, &cust.row)?))),
            None => CustomerAnswer::Staff(Box::new(answer(c, &cust)?)),
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(c))
}

/// Create a customer.
#[utoipa::path(post, path = "/api/v1/customers", tag = "Customers", request_body = CustomerCreate,
    responses((status = 201, description = "Created.", body = CustomerOut,
        headers(("Location" = String, description = "URL of the new customer")))))]
pub async fn create_post(call: Call, body: ApiJson<CustomerCreate>) -> AppResult<HttpResponse> {
    let (input, profile) = Fields::from(body.0).into_input()?;
    let actor = call.caller.actor();
    let cust = crate::db::run(&call.state.pool, move |c| {
        let cust = assignments::create_customer(c, &actor, input, profile)?;
        answer(c, &cust)
    })
    .await?;
    Ok(created(format!("/api/v1/customers/{}", cust.id), &cust))
}

/// Replace a customer.
///
/// Send the whole customer as GET returned it. Unknown fields are refused (400); a changed
/// `accessProfileId` must be available to the customer at its (new) place (422).
#[utoipa::path(put, path = "/api/v1/customers/{id}", tag = "Customers", request_body = CustomerReplace,
    params(("id" = i64, Path, description = "Customer id")),
    responses((status = 200, description = "The stored customer.", body = CustomerOut)))]
pub async fn replace_put(call: Call, path: Path<i64>, body: ApiJson<CustomerReplace>) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (input, profile) = Fields::from(body.0).into_input()?;
    let actor = call.caller.actor();
    let cust = crate::db::run(&call.state.pool, move |c| {
        let cust = assignments::update_customer(c, &actor, id, input, OwnProfile::Set(profile))?;
        answer(c, &cust)
    })
    .await?;
    Ok(HttpResponse::Ok().json(cust))
}

/// Delete a customer.
///
/// Refused (409) while it has sub-customers or an access profile is made for it. Its users,
/// accounts and access codes go with it.
#[utoipa::path(delete, path = "/api/v1/customers/{id}", tag = "Customers",
    params(("id" = i64, Path, description = "Customer id")),
    responses((status = 204, description = "Deleted."),
        (status = 409, description = "Sub-customers or access profiles still refer to it.", body = crate::api::schema::ErrorBody)))]
pub async fn delete(call: Call, path: Path<i64>) -> AppResult<HttpResponse> {
    let (id, actor) = (path.into_inner(), call.caller.actor());
    crate::db::run(&call.state.pool, move |c| commands::delete(c, &actor, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
