//! The customer portal's data through the API (SPEC §8 "Customer"): the same sections, keys,
//! roles and ownership rules as the HTML portal — the guard applies the portal's own check —
//! with the list conventions for ordinary lists and keyset cursors for the big ones.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::AppState;
use crate::access::Perm;
use crate::api::body::ApiJson;
use crate::api::list::{ListQuery, ListSpec, Source, list_params};
use crate::audit::{self, Actor};
use crate::db::schema::{invoice_pdfs, invoices, numbers, payments, services, transactions};
use crate::error::{AppError, AppResult, FieldError};
use crate::http::Portal;
use crate::http::routes::accept_prefers_csv;
use crate::traffic::Direction;
use crate::traffic::cdrs::{self, Cursor};
use crate::users::model::Role;
use crate::web::portal::traffic::{CdrQuery, StatsQuery};

const TAG: &str = "Portal data (customer users)";

const INVOICE_LIST: ListSpec = ListSpec { name: "invoices", sort_fields: &["id"], filters: &[], text_ids: None };
const PAYMENT_LIST: ListSpec = ListSpec { name: "payments", sort_fields: &["id"], filters: &[], text_ids: None };
const SERVICE_LIST: ListSpec = ListSpec { name: "services", sort_fields: &["id"], filters: &[], text_ids: None };
const TRANSACTION_LIST: ListSpec =
    ListSpec { name: "transactions", sort_fields: &["id"], filters: &[], text_ids: None };
const NUMBER_LIST: ListSpec = ListSpec { name: "numbers", sort_fields: &["id"], filters: &[], text_ids: None };
const CAMPAIGN_LIST: ListSpec = ListSpec { name: "campaigns", sort_fields: &["id"], filters: &[], text_ids: None };
const RATEPLAN_LIST: ListSpec = ListSpec { name: "rateplans", sort_fields: &["id"], filters: &[], text_ids: None };
const NUMBERLIST_LIST: ListSpec = ListSpec { name: "numberlists", sort_fields: &["id"], filters: &[], text_ids: None };

list_params!(InvoiceListParams, INVOICE_LIST);
list_params!(PaymentListParams, PAYMENT_LIST);
list_params!(ServiceListParams, SERVICE_LIST);
list_params!(TransactionListParams, TRANSACTION_LIST);
list_params!(NumberListParams, NUMBER_LIST);
list_params!(CampaignListParams, CAMPAIGN_LIST);
list_params!(RateplanListParams, RATEPLAN_LIST);
list_params!(NumberlistListParams, NUMBERLIST_LIST);

fn columns(cols: &[&str]) -> Vec<String> {
    cols.iter().map(|c| c.to_string()).collect()
}

/// A list of a customer's rows from one table, ordered by id, paged by the list conventions.
macro_rules! table_source {
    ($table:ident, $ty:ty, $cid:expr, $q:expr, $to_json:expr) => {{
        let (cid, asc, ids) = ($cid, $q.ascending, $q.specific_int_ids());
        let ids2 = ids.clone();
        let _ = ids2;
        Source::db(move |c, w, total| {
            let build = || {
                let mut q = $table::table.filter($table::customer_id.eq(cid)).select(<$ty>::as_select()).into_boxed();
                if !ids.is_empty() {
                    q = q.filter($table::id.eq_any(ids.clone()));
                }
                if asc { q.order($table::id.asc()) } else { q.order($table::id.desc()) }
            };
            let page: crate::db::paging::Page<$ty> = crate::db::paging::page(c, build, w, total)?;
            let to_json = $to_json;
            Ok(page.map(|r| to_json(&r)))
        })
    }};
}

/// The customer's invoices.
#[utoipa::path(get, path = "/api/v1/portal/invoices", tag = TAG, params(InvoiceListParams),
    responses((status = 200, description = "Invoices (needs `invoices`), or CSV.", content((Object = "application/json"), (String = "text/csv")))))]
pub async fn invoices_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &p, &INVOICE_LIST)?;
    let cid = p.customer_id();
    let pdfs: Vec<i64> = crate::db::run(&state.pool, move |c| {
        Ok(invoice_pdfs::table
            .inner_join(invoices::table)
            .filter(invoices::customer_id.eq(cid))
            .select(invoice_pdfs::invoice_id)
            .load(c)?)
    })
    .await?;
    let pdfs = std::sync::Arc::new(pdfs);
    let source = table_source!(invoices, crate::billing::Invoice, cid, q, {
        let pdfs = pdfs.clone();
        move |r: &crate::billing::Invoice| r.to_json(pdfs.contains(&r.id))
    });
    let cols = columns(&[
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
    ]);
    crate::api::list::respond(&state, &q, &INVOICE_LIST, cols, source).await
}

/// The customer's payments.
#[utoipa::path(get, path = "/api/v1/portal/payments", tag = TAG, params(PaymentListParams),
    responses((status = 200, description = "Payments (needs `payments`), or CSV.", content((Object = "application/json"), (String = "text/csv")))))]
pub async fn payments_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &p, &PAYMENT_LIST)?;
    let source =
        table_source!(payments, crate::billing::Payment, p.customer_id(), q, |r: &crate::billing::Payment| r.to_json());
    let cols =
        columns(&["id", "externalId", "accountId", "amount", "currency", "method", "reference", "status", "paidAt"]);
    crate::api::list::respond(&state, &q, &PAYMENT_LIST, cols, source).await
}

/// The customer's services.
#[utoipa::path(get, path = "/api/v1/portal/services", tag = TAG, params(ServiceListParams),
    responses((status = 200, description = "Services (needs `services`), or CSV.", content((Object = "application/json"), (String = "text/csv")))))]
pub async fn services_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &p, &SERVICE_LIST)?;
    let source =
        table_source!(services, crate::billing::Service, p.customer_id(), q, |r: &crate::billing::Service| r.to_json());
    let cols = columns(&[
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
    ]);
    crate::api::list::respond(&state, &q, &SERVICE_LIST, cols, source).await
}

/// The customer's ledger. The balance after each entry is shown to administrators only.
#[utoipa::path(get, path = "/api/v1/portal/transactions", tag = TAG, params(TransactionListParams),
    responses((status = 200, description = "Transactions (needs `transactions`), or CSV.", content((Object = "application/json"), (String = "text/csv")))))]
pub async fn transactions_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &p, &TRANSACTION_LIST)?;
    let admin = p.role == Role::Administrator;
    let source = table_source!(
        transactions,
        crate::billing::Transaction,
        p.customer_id(),
        q,
        move |r: &crate::billing::Transaction| {
            let mut v = r.to_json();
            if !admin && let Some(o) = v.as_object_mut() {
                o.shift_remove("balanceAfter");
            }
            v
        }
    );
    let mut cols = vec!["id", "externalId", "accountId", "amount", "kind", "description", "occurredAt"];
    if admin {
        cols.insert(4, "balanceAfter");
    }
    crate::api::list::respond(&state, &q, &TRANSACTION_LIST, columns(&cols), source).await
}

/// The customer's numbers; the backend description only with `backend_descriptions`.
#[utoipa::path(get, path = "/api/v1/portal/numbers", tag = TAG, params(NumberListParams),
    responses((status = 200, description = "Numbers (needs `my_numbers`), or CSV.", content((Object = "application/json"), (String = "text/csv")))))]
pub async fn numbers_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &p, &NUMBER_LIST)?;
    let backend = p.has(Perm::BackendDescriptions);
    let source =
        table_source!(numbers, crate::numbers::Number, p.customer_id(), q, move |r: &crate::numbers::Number| r
            .to_json(backend));
    let mut cols = vec!["id", "number", "description", "campaignId"];
    if backend {
        cols.push("backendDescription");
    }
    crate::api::list::respond(&state, &q, &NUMBER_LIST, columns(&cols), source).await
}

/// The customer's campaigns with their numbers and call counts of the last 30 days.
#[utoipa::path(get, path = "/api/v1/portal/campaigns", tag = TAG, params(CampaignListParams),
    responses((status = 200, description = "Campaigns (needs `my_campaigns`), or CSV.", content((Object = "application/json"), (String = "text/csv")))))]
pub async fn campaigns_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &p, &CAMPAIGN_LIST)?;
    let cid = p.customer_id();
    let since = (crate::traffic::time::now_ms() / 1000 / 86_400 - 29) * 86_400;
    let list = crate::db::run(&state.pool, move |c| crate::numbers::Campaign::with_stats(c, cid, since)).await?;
    let items: Vec<Value> = list
        .iter()
        .map(|s| json!({"id": s.campaign.id, "name": s.campaign.name, "description": s.campaign.description, "numbers": s.numbers, "calls": s.calls, "successfulCalls": s.successful}))
        .collect();
    let source = Source::memory(items, &q, "id");
    crate::api::list::respond(
        &state,
        &q,
        &CAMPAIGN_LIST,
        columns(&["id", "name", "description", "numbers", "calls", "successfulCalls"]),
        source,
    )
    .await
}

/// The customer's rateplans with their rates.
#[utoipa::path(get, path = "/api/v1/portal/rateplans", tag = TAG, params(RateplanListParams),
    responses((status = 200, description = "Rateplans (needs `outgoing_rateplans`), or CSV.", content((Object = "application/json"), (String = "text/csv")))))]
pub async fn rateplans_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &p, &RATEPLAN_LIST)?;
    let cid = p.customer_id();
    let items = crate::db::run(&state.pool, move |c| {
        let mut out = Vec::new();
        for (plan, _) in crate::rateplans::Rateplan::for_customer(c, cid)? {
            let rates = crate::rateplans::Rateplan::rates(c, plan.id, None, None, 100_000)?;
            let mut v = plan.to_json();
            v["rates"] = Value::Array(rates.iter().map(crate::rateplans::Rate::to_json).collect());
            out.push(v);
        }
        Ok(out)
    })
    .await?;
    let source = Source::memory(items, &q, "id");
    crate::api::list::respond(
        &state,
        &q,
        &RATEPLAN_LIST,
        columns(&["id", "name", "currency", "description", "rates"]),
        source,
    )
    .await
}

/// The numberlists the customer may manage, with their items.
#[utoipa::path(get, path = "/api/v1/portal/numberlists", tag = TAG, params(NumberlistListParams),
    responses((status = 200, description = "Numberlists (needs `outgoing_numberlists`), or CSV.", content((Object = "application/json"), (String = "text/csv")))))]
pub async fn numberlists_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let q = ListQuery::parse(&req, &p, &NUMBERLIST_LIST)?;
    let cid = p.customer_id();
    let lists = crate::db::run(&state.pool, move |c| crate::numberlists::Numberlist::for_customer(c, cid)).await?;
    let items: Vec<Value> = lists.iter().map(|(l, items)| l.to_json(items)).collect();
    let source = Source::memory(items, &q, "id");
    crate::api::list::respond(
        &state,
        &q,
        &NUMBERLIST_LIST,
        columns(&["id", "name", "kind", "description", "items"]),
        source,
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ItemIn {
    /// A number or prefix (digits, optionally with +).
    pub number: String,
    #[serde(default)]
    pub note: String,
}

/// Adds a number to one of the customer's numberlists.
#[utoipa::path(post, path = "/api/v1/portal/numberlists/{id}/items", tag = TAG, request_body = ItemIn,
    params(("id" = i64, Path, description = "Numberlist id")),
    responses((status = 201, description = "The new item.", body = Object)))]
pub async fn numberlist_item_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    path: web::Path<i64>,
    body: ApiJson<ItemIn>,
) -> AppResult<HttpResponse> {
    let list = path.into_inner();
    let ItemIn { number, note } = body.0;
    let (cid, actor, ip) = (p.customer_id(), p.actor(), crate::web::client_ip(&req));
    let item = crate::db::run_tx(&state.pool, move |c| {
        crate::numberlists::Numberlist::get_of(c, cid, list)?;
        let it = crate::numberlists::Item::add(c, list, &number, &note)?;
        audit::record(
            c,
            &actor,
            "numberlist.item_add",
            "numberlist",
            Some(list.to_string()),
            Some(json!({"number": {"after": it.number}})),
        )?;
        Ok(it)
    })
    .await?;
    Ok(crate::api::created(format!("/api/v1/portal/numberlists/{list}/items/{}", item.id), &item.to_json()))
}

/// Removes a number from one of the customer's numberlists.
#[utoipa::path(delete, path = "/api/v1/portal/numberlists/{id}/items/{item}", tag = TAG,
    params(("id" = i64, Path, description = "Numberlist id"), ("item" = i64, Path, description = "Item id")),
    responses((status = 204, description = "Removed.")))]
pub async fn numberlist_item_delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    p: Portal,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (list, item) = path.into_inner();
    let (cid, actor, ip) = (p.customer_id(), p.actor(), crate::web::client_ip(&req));
    crate::db::run_tx(&state.pool, move |c| {
        crate::numberlists::Numberlist::get_of(c, cid, list)?;
        let it = crate::numberlists::Item::remove(c, list, item)?;
        audit::record(
            c,
            &actor,
            "numberlist.item_remove",
            "numberlist",
            Some(list.to_string()),
            Some(json!({"number": {"before": it.number}})),
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CdrParams {
    direction: Option<String>,
    from: Option<String>,
    to: Option<String>,
    number: Option<String>,
    success: Option<bool>,
    min_duration: Option<i32>,
    max_duration: Option<i32>,
    cursor: Option<String>,
    count_per_page: Option<i64>,
    format: Option<String>,
}

fn read_params<T: serde::de::DeserializeOwned>(req: &HttpRequest) -> AppResult<T> {
    // PascalCase spellings are accepted too.
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(req.query_string())
        .map_err(|e| AppError::bad_request(format!("The query string could not be read: {e}")))?;
    let camel: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(k, v)| {
            let mut c = k.chars();
            let k = match c.next() {
                Some(f) => f.to_ascii_lowercase().to_string() + c.as_str(),
                None => k,
            };
            (k, v)
        })
        .collect();
    let qs = serde_urlencoded::to_string(&camel).unwrap_or_default();
    serde_urlencoded::from_str::<T>(&qs).map_err(|e| {
        let m = e.to_string();
        AppError::BadRequest(format!("Query: {m}"), vec![FieldError::new("query", m)])
    })
}

fn page_size(n: Option<i64>) -> AppResult<i64> {
    match n {
        None => Ok(50),
        Some(n) if (1..=1000).contains(&n) => Ok(n),
        Some(_) => Err(AppError::BadRequest(
            "countPerPage must be 1 to 1000".into(),
            vec![FieldError::new("countPerPage", "1 to 1000")],
        )),
    }
}

fn wants_csv(req: &HttpRequest, format: &Option<String>) -> AppResult<bool> {
    match format.as_deref() {
        Some(f) if f.eq_ignore_ascii_case("csv") => Ok(true),
        Some(f) if f.eq_ignore_ascii_case("json") => Ok(false),
        Some(f) => Err(AppError::BadRequest(
            format!("format must be json or csv, not {f}"),
            vec![FieldError::new("format", "json or csv")],
        )),
        None => Ok(req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(accept_prefers_csv)),
    }
}

/// CDRs of one direction, newest first, keyset-paged: `cursor` in, `nextCursor` out (absent on
/// the last page). `from`/`to` take RFC 3339 times or plain dates (midnight in the user's time
/// zone). CSV (`format=csv` or `Accept: text/csv`) streams every matching row; for outgoing
/// CDRs it needs `outgoing_cdr_exports`.
#[utoipa::path(get, path = "/api/v1/portal/cdrs", tag = TAG,
    params(
        ("direction" = String, Query, description = "outgoing or incoming (needs outgoing_cdrs / incoming_cdrs)"),
        ("from" = Option<String>, Query, description = "Start (RFC 3339 or YYYY-MM-DD)"),
        ("to" = Option<String>, Query, description = "End, exclusive (RFC 3339 or YYYY-MM-DD)"),
        ("number" = Option<String>, Query, description = "Source or destination number starts with these digits"),
        ("success" = Option<bool>, Query, description = "Only answered (true) or failed (false) calls"),
        ("minDuration" = Option<i32>, Query, description = "Seconds"),
        ("maxDuration" = Option<i32>, Query, description = "Seconds"),
        ("cursor" = Option<String>, Query, description = "The nextCursor of the previous page"),
        ("countPerPage" = Option<i64>, Query, description = "1 to 1000 (default 50)"),
        ("format" = Option<String>, Query, description = "json (default) or csv"),
    ),
    responses((status = 200, description = "`{\"items\":[…],\"nextCursor\":\"…\"}`, or CSV.", content((Object = "application/json"), (String = "text/csv")))))]
pub async fn cdrs_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let prm: CdrParams = read_params(&req)?;
    let dir = prm.direction.as_deref().and_then(Direction::parse).ok_or_else(|| {
        AppError::BadRequest(
            "direction is required: outgoing or incoming".into(),
            vec![FieldError::new("direction", "outgoing or incoming")],
        )
    })?;
    let q = CdrQuery {
        from: prm.from.clone(),
        to: prm.to.clone(),
        number: prm.number.clone(),
        success: prm.success.map(|s| s.to_string()),
        min_duration: prm.min_duration.map(|d| d.to_string()),
        max_duration: prm.max_duration.map(|d| d.to_string()),
        cursor: prm.cursor.clone(),
    };
    let filter = q.filter(p.customer_id(), dir, p.tz())?;
    if wants_csv(&req, &prm.format)? {
        if dir == Direction::Outgoing && !p.has(Perm::OutgoingCdrExports) {
            return Err(AppError::Forbidden("Exporting outgoing CDRs needs outgoing_cdr_exports.".into()));
        }
        let (actor, cid, ip, summary) =
            (p.actor(), p.customer_id(), crate::web::client_ip(&req), req.query_string().to_string());
        crate::db::run(&state.pool, move |c| {
            audit::record(
                c,
                &actor,
                "export.cdrs",
                "customer",
                Some(cid.to_string()),
                Some(json!({"filter": summary, "via": "api"})),
            )
        })
        .await?;
        return Ok(crate::web::portal::traffic::stream_csv(
            &state,
            vec![filter],
            p.tz().to_string(),
            format!("{}-cdrs.csv", dir.as_str()),
        ));
    }
    let limit = page_size(prm.count_per_page)?;
    let cursor = q.cursor()?;
    let rows = crate::db::run(&state.pool, move |c| cdrs::list(c, &filter, cursor, limit + 1)).await?;
    let more = rows.len() as i64 > limit;
    let shown = &rows[..rows.len().min(limit as usize)];
    let recordings = p.has(Perm::ListenRecording);
    let items: Vec<Value> = shown
        .iter()
        .map(|c| {
            let mut v = c.to_json();
            if !recordings && let Some(o) = v.as_object_mut() {
                o.shift_remove("hasRecording");
            } else if recordings && c.recording.is_some() {
                v["recordingUrl"] = json!(format!("/portal/cdrs/{}/{}/recording", dir.as_str(), c.id));
            }
            v
        })
        .collect();
    let mut out = json!({ "items": items });
    if more && let Some(last) = shown.last() {
        out["nextCursor"] = json!(Cursor { time_start: last.time_start, id: last.id }.encode());
    }
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct StatsParams {
    direction: Option<String>,
    from: Option<String>,
    to: Option<String>,
    sampling: Option<String>,
}

/// Traffic statistics per hour or day from the rollups. A metric appears only with its key;
/// its absolute numbers only with its `_value` key — otherwise `relative` values (0..1 of the
/// period's maximum) and no total.
#[utoipa::path(get, path = "/api/v1/portal/statistics", tag = TAG,
    params(
        ("direction" = String, Query, description = "outgoing or incoming (needs *_statistics)"),
        ("from" = Option<String>, Query, description = "Start (RFC 3339 or YYYY-MM-DD; default 30 days ago)"),
        ("to" = Option<String>, Query, description = "End, exclusive (default: tomorrow)"),
        ("sampling" = Option<String>, Query, description = "hour or day (default day)"),
    ),
    responses((status = 200, description = "Series and totals the caller may see.", body = Object)))]
pub async fn statistics_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let prm: StatsParams = read_params(&req)?;
    let dir = prm.direction.as_deref().and_then(Direction::parse).ok_or_else(|| {
        AppError::BadRequest(
            "direction is required: outgoing or incoming".into(),
            vec![FieldError::new("direction", "outgoing or incoming")],
        )
    })?;
    let q = StatsQuery { from: prm.from, to: prm.to, sampling: prm.sampling };
    let view = crate::web::portal::traffic::statistics(&state, &p, dir, &q).await?;
    Ok(HttpResponse::Ok().json(view.to_json()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ActiveParams {
    cursor: Option<String>,
    count_per_page: Option<i64>,
}

/// The customer's calls in progress, newest first, keyset-paged like the CDRs.
#[utoipa::path(get, path = "/api/v1/portal/active-calls", tag = TAG,
    params(
        ("cursor" = Option<String>, Query, description = "The nextCursor of the previous page"),
        ("countPerPage" = Option<i64>, Query, description = "1 to 1000 (default 50)"),
    ),
    responses((status = 200, description = "`{\"items\":[…],\"nextCursor\":\"…\"}`", body = Object)))]
pub async fn active_calls_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let prm: ActiveParams = read_params(&req)?;
    let limit = page_size(prm.count_per_page)?;
    let after = prm.cursor.as_deref().map(Cursor::decode).transpose()?.map(|c| (c.time_start, c.id));
    let cid = p.customer_id();
    let rows = crate::db::run(&state.pool, move |c| crate::traffic::active::list(c, cid, after, limit + 1)).await?;
    let more = rows.len() as i64 > limit;
    let shown = &rows[..rows.len().min(limit as usize)];
    let mut out = json!({ "items": shown.iter().map(crate::traffic::active::ActiveCall::to_json).collect::<Vec<_>>() });
    if more && let Some(last) = shown.last() {
        out["nextCursor"] = json!(Cursor { time_start: last.time_start, id: last.id }.encode());
    }
    Ok(HttpResponse::Ok().json(out))
}
