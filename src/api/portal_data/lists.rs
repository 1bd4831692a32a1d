//! The portal's other sections as API lists (SPEC §8 list conventions: pages, `specificIds`,
//! sort order, CSV), each read a window at a time through the model's `page` function, and the
//! numberlist items the customer adds and removes.

use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::Value;

use super::TAG;
use crate::AppState;
use crate::access::Perm;
use crate::access::caps::Cap;
use crate::api::body::ApiJson;
use crate::api::list::{ListQuery, ListSpec, Source, list_params};
use crate::billing::{Invoice, Payment, Scope, Service, Transaction};
use crate::db::DbConnection;
use crate::db::paging::{Page, Window};
use crate::error::AppResult;
use crate::http::Portal;
use crate::numberlists::{self, Item, ItemIn, Numberlist};
use crate::numbers::{Campaign, Number};
use crate::rateplans::Rateplan;

const fn by_id(name: &'static str) -> ListSpec {
    ListSpec { name, sort_fields: &["id"], filters: &[], text_ids: None }
}

const INVOICE_LIST: ListSpec = by_id("invoices");
const PAYMENT_LIST: ListSpec = by_id("payments");
const SERVICE_LIST: ListSpec = by_id("services");
const TRANSACTION_LIST: ListSpec = by_id("transactions");
const NUMBER_LIST: ListSpec = by_id("numbers");
const CAMPAIGN_LIST: ListSpec = by_id("campaigns");
const RATEPLAN_LIST: ListSpec = by_id("rateplans");
const NUMBERLIST_LIST: ListSpec = by_id("numberlists");

list_params!(InvoiceListParams, INVOICE_LIST);
list_params!(PaymentListParams, PAYMENT_LIST);
list_params!(ServiceListParams, SERVICE_LIST);
list_params!(TransactionListParams, TRANSACTION_LIST);
list_params!(NumberListParams, NUMBER_LIST);
list_params!(CampaignListParams, CAMPAIGN_LIST);
list_params!(RateplanListParams, RATEPLAN_LIST);
list_params!(NumberlistListParams, NUMBERLIST_LIST);

/// Answers one of the customer's lists: `fetch` reads a window of what the request's scope
/// (the customer, `specificIds`, the sort order) shows, `to_json` writes each row.
async fn answer<T: 'static>(
    req: &HttpRequest,
    state: &AppState,
    p: &Portal,
    spec: &ListSpec,
    columns: &[&str],
    fetch: impl Fn(&mut DbConnection, &Scope, Window, bool) -> AppResult<Page<T>> + Send + Sync + 'static,
    to_json: impl Fn(&T) -> Value + Send + Sync + 'static,
) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(req, p, spec)?;
    let scope = Scope { customer: p.customer_id(), ids: q.specific_int_ids(), before: None, ascending: q.ascending };
    let source = Source::db(move |c, w, total| Ok(fetch(c, &scope, w, total)?.map(|r| to_json(&r))));
    let columns = columns.iter().map(|c| c.to_string()).collect();
    crate::api::list::respond(state, &q, spec, columns, source).await
}

const INVOICE_COLUMNS: &[&str] = &[
    "id",
    "externalId",
    "accountId",
    "number",
    "issuedOn",
    "periodStart",
    "periodEnd",
    "dueOn",
    "currency",
    "amount",
    "tax",
    "total",
    "status",
    "lines",
    "hasPdf",
];

/// The customer's invoices.
#[utoipa::path(get, path = "/api/v1/portal/invoices", tag = TAG, params(InvoiceListParams),
    responses((status = 200, description = "Invoices (needs `invoices`), or CSV.", content((Object = "application/json"), (String = "text/csv")))))]
pub async fn invoices_get(req: HttpRequest, state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    answer(&req, &state, &p, &INVOICE_LIST, INVOICE_COLUMNS, Invoice::page, |(i, pdf): &(Invoice, bool)| {
        i.to_json(*pdf)
    })
    .await
}

/// The customer's payments.
#[utoipa::path(get, path = "/api/v1/portal/payments", tag = TAG, params(PaymentListParams),
    responses((status = 200, description = "Payments (needs `payments`), or CSV.", content((Object = "application/json"), (String = "text/csv")))))]
pub async fn payments_get(req: HttpRequest, state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let columns = ["id", "externalId", "accountId", "amount", "currency", "method", "reference", "status", "paidAt"];
    answer(&req, &state, &p, &PAYMENT_LIST, &columns, Payment::page, Payment::to_json).await
}

/// The customer's services.
#[utoipa::path(get, path = "/api/v1/portal/services", tag = TAG, params(ServiceListParams),
    responses((status = 200, description = "Services (needs `services`), or CSV.", content((Object = "application/json"), (String = "text/csv")))))]
pub async fn services_get(req: HttpRequest, state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let columns = [
        "id",
        "externalId",
        "accountId",
        "name",
        "description",
        "price",
        "currency",
        "period",
        "quantity",
        "startedOn",
        "renewsOn",
        "status",
    ];
    answer(&req, &state, &p, &SERVICE_LIST, &columns, Service::page, Service::to_json).await
}

/// The customer's ledger. The balance after each entry is shown only to roles that may see
/// balances.
#[utoipa::path(get, path = "/api/v1/portal/transactions", tag = TAG, params(TransactionListParams),
    responses((status = 200, description = "Transactions (needs `transactions`), or CSV.", content((Object = "application/json"), (String = "text/csv")))))]
pub async fn transactions_get(req: HttpRequest, state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let balance = p.can(Cap::SeeBalance);
    let mut columns = vec!["id", "externalId", "accountId", "amount", "kind", "description", "occurredAt"];
    if balance {
        columns.insert(4, "balanceAfter");
    }
    let to_json = move |r: &Transaction| {
        let mut v = r.to_json();
        if !balance && let Some(o) = v.as_object_mut() {
            o.shift_remove("balanceAfter");
        }
        v
    };
    answer(&req, &state, &p, &TRANSACTION_LIST, &columns, Transaction::page, to_json).await
}

/// The customer's numbers; the backend description only with `backend_descriptions`.
#[utoipa::path(get, path = "/api/v1/portal/numbers", tag = TAG, params(NumberListParams),
    responses((status = 200, description = "Numbers (needs `my_numbers`), or CSV.", content((Object = "application/json"), (String = "text/csv")))))]
pub async fn numbers_get(req: HttpRequest, state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let backend = p.has(Perm::BackendDescriptions);
    let mut columns = vec!["id", "number", "description", "campaignId"];
    if backend {
        columns.push("backendDescription");
    }
    answer(&req, &state, &p, &NUMBER_LIST, &columns, Number::page, move |n: &Number| n.to_json(backend)).await
}

/// The customer's campaigns with their numbers and call counts of the last 30 days.
#[utoipa::path(get, path = "/api/v1/portal/campaigns", tag = TAG, params(CampaignListParams),
    responses((status = 200, description = "Campaigns (needs `my_campaigns`), or CSV.", content((Object = "application/json"), (String = "text/csv")))))]
pub async fn campaigns_get(req: HttpRequest, state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let columns = ["id", "name", "description", "numbers", "calls", "successfulCalls"];
    let since = crate::numbers::thirty_days_ago();
    let fetch = move |c: &mut DbConnection, s: &Scope, w, total| Campaign::page(c, s, since, w, total);
    answer(&req, &state, &p, &CAMPAIGN_LIST, &columns, fetch, crate::numbers::CampaignStats::to_json).await
}

/// The customer's rateplans with their rates.
#[utoipa::path(get, path = "/api/v1/portal/rateplans", tag = TAG, params(RateplanListParams),
    responses((status = 200, description = "Rateplans (needs `outgoing_rateplans`), or CSV.", content((Object = "application/json"), (String = "text/csv")))))]
pub async fn rateplans_get(req: HttpRequest, state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let columns = ["id", "name", "currency", "description", "rates"];
    let to_json = |(plan, rates): &(Rateplan, Vec<crate::rateplans::Rate>)| {
        let mut v = plan.to_json();
        v["rates"] = Value::Array(rates.iter().map(crate::rateplans::Rate::to_json).collect());
        v
    };
    answer(&req, &state, &p, &RATEPLAN_LIST, &columns, Rateplan::page, to_json).await
}

/// The numberlists the customer may manage, with their items.
#[utoipa::path(get, path = "/api/v1/portal/numberlists", tag = TAG, params(NumberlistListParams),
    responses((status = 200, description = "Numberlists (needs `outgoing_numberlists`), or CSV.", content((Object = "application/json"), (String = "text/csv")))))]
pub async fn numberlists_get(req: HttpRequest, state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let columns = ["id", "name", "kind", "description", "items"];
    answer(&req, &state, &p, &NUMBERLIST_LIST, &columns, Numberlist::page, |(l, items): &(Numberlist, Vec<Item>)| {
        l.to_json(items)
    })
    .await
}

/// Adds a number to one of the customer's numberlists.
#[utoipa::path(post, path = "/api/v1/portal/numberlists/{id}/items", tag = TAG, request_body = ItemIn,
    params(("id" = i64, Path, description = "Numberlist id")),
    responses((status = 201, description = "The new item.", body = Object)))]
pub async fn numberlist_item_post(
    state: Data<AppState>,
    p: Portal,
    path: Path<i64>,
    body: ApiJson<ItemIn>,
) -> AppResult<HttpResponse> {
    let (list, ItemIn { number, note }) = (path.into_inner(), body.0);
    let (cid, actor) = (p.customer_id(), p.actor());
    let item =
        crate::db::run(&state.pool, move |c| numberlists::add_item(c, &actor, cid, list, &number, &note)).await?;
    Ok(crate::api::created(format!("/api/v1/portal/numberlists/{list}/items/{}", item.id), &item.to_json()))
}

/// Removes a number from one of the customer's numberlists.
#[utoipa::path(delete, path = "/api/v1/portal/numberlists/{id}/items/{item}", tag = TAG,
    params(("id" = i64, Path, description = "Numberlist id"), ("item" = i64, Path, description = "Item id")),
    responses((status = 204, description = "Removed.")))]
pub async fn numberlist_item_delete(
    state: Data<AppState>,
    p: Portal,
    path: Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let ((list, item), cid, actor) = (path.into_inner(), p.customer_id(), p.actor());
    crate::db::run(&state.pool, move |c| numberlists::remove_item(c, &actor, cid, list, item)).await?;
    Ok(HttpResponse::NoContent().finish())
}
