//! Portal section pages. Sections whose records arrive through the ingest API show their
//! empty states until then; their guards, navigation and routes are real.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::AppState;
use crate::access::Perm;
use crate::customers::accounts::Account;
use crate::error::{AppError, AppResult};
use crate::users::model::Role;
use crate::web::layout::Layout;
use crate::web::portal::{Portal, SECTIONS};
use crate::web::routes::html;

pub struct Card {
    pub key: &'static str,
    pub title: String,
    pub href: &'static str,
    pub figure: String,
    pub caption: String,
}

#[derive(Template)]
#[template(path = "portal/dashboard.html")]
pub struct DashboardPage {
    pub l: Layout,
    pub cards: Vec<Card>,
    pub profile_name: String,
}

pub async fn dashboard_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let cid = p.customer_id();
    let accounts = crate::db::run(&state.pool, move |c| Account::for_customer(c, cid)).await?;
    let mut cards = Vec::new();
    for s in SECTIONS.iter().filter(|s| s.key.is_some_and(|k| p.has(k))) {
        let key = s.key.map(Perm::key).unwrap_or("");
        let (figure, caption) = match s.key {
            Some(Perm::Account) => match (accounts.first(), p.role == Role::Administrator) {
                (Some(a), true) => {
                    (format!("{} {}", crate::money::display(a.balance), a.currency), format!("balance of {}", a.name))
                }
                (Some(_), false) => (accounts.len().to_string(), "billing account(s)".into()),
                (None, _) => ("—".into(), "no billing account yet".into()),
            },
            _ => ("—".into(), "no records yet".into()),
        };
        cards.push(Card {
            key,
            title: p.settings.label(s.string_key, s.label).to_string(),
            href: s.href,
            figure,
            caption,
        });
    }
    let page = DashboardPage {
        l: p.layout(&req, "title.dashboard", "Dashboard"),
        cards,
        profile_name: p.effective.profile_name.clone().unwrap_or_default(),
    };
    Ok(html(StatusCode::OK, page.render()))
}

/// The customer's own stylesheet, served as CSS (never inlined).
pub async fn custom_css_get(p: Portal) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
        .body(p.settings.custom_css.clone().unwrap_or_default())
}

pub struct AccountView {
    pub id: i64,
    pub name: String,
    pub currency: String,
    pub balance: Option<String>,
    pub min_balance: String,
    pub max_balance: String,
    pub kind: &'static str,
    pub capacity: i32,
}

#[derive(Template)]
#[template(path = "portal/account.html")]
pub struct AccountPage {
    pub l: Layout,
    pub accounts: Vec<AccountView>,
    pub shows_balance: bool,
}

pub async fn account_get(req: HttpRequest, state: web::Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    let cid = p.customer_id();
    let rows = crate::db::run(&state.pool, move |c| Account::for_customer(c, cid)).await?;
    let shows_balance = p.role == Role::Administrator;
    let accounts = rows
        .into_iter()
        .map(|a| AccountView {
            id: a.id,
            balance: shows_balance.then(|| crate::money::display(a.balance)),
            min_balance: crate::money::display(a.min_balance),
            max_balance: a.max_balance.map(crate::money::display).unwrap_or_else(|| "—".into()),
            kind: if a.is_postpaid { "Postpaid" } else { "Prepaid" },
            capacity: a.capacity,
            name: a.name,
            currency: a.currency,
        })
        .collect();
    let page = AccountPage { l: p.layout(&req, "title.account", "Account"), accounts, shows_balance };
    Ok(html(StatusCode::OK, page.render()))
}

/// A section whose records have not arrived yet.
#[derive(Template)]
#[template(path = "portal/section.html")]
pub struct SectionPage {
    pub l: Layout,
    pub intro: String,
    pub table: &'static str,
    pub columns: Vec<&'static str>,
    pub empty: String,
    pub actions: Vec<(String, String)>,
}

fn section(
    req: &HttpRequest,
    p: &Portal,
    key: Perm,
    table: &'static str,
    columns: Vec<&'static str>,
    empty: &str,
) -> SectionPage {
    let s = SECTIONS.iter().find(|s| s.key == Some(key));
    let (title, string_key) = s.map(|s| (s.label, s.string_key)).unwrap_or((key.label(), ""));
    SectionPage {
        l: p.layout(req, string_key, title),
        intro: key.help().to_string(),
        table,
        columns,
        empty: empty.to_string(),
        actions: Vec::new(),
    }
}

fn render(page: SectionPage) -> AppResult<HttpResponse> {
    Ok(html(StatusCode::OK, page.render()))
}

const CDR_COLUMNS: [&str; 8] = ["Start", "From", "To", "Destination", "Duration", "Result", "Rate", "Price"];

pub async fn rateplans_get(req: HttpRequest, p: Portal) -> AppResult<HttpResponse> {
    render(section(
        &req,
        &p,
        Perm::OutgoingRateplans,
        "rateplans",
        vec!["Rateplan", "Currency", "Rates", "Valid from"],
        "No rateplan is assigned to your account yet.",
    ))
}

pub async fn rate_check_partial() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body("<p class=\"muted\">No rateplan is assigned yet, so there is no rate to check.</p>")
}

pub async fn cdrs_outgoing_get(req: HttpRequest, p: Portal) -> AppResult<HttpResponse> {
    let mut page =
        section(&req, &p, Perm::OutgoingCdrs, "cdrs", CDR_COLUMNS.to_vec(), "No outgoing calls recorded yet.");
    if p.has(Perm::OutgoingCdrExports) {
        page.actions.push(("/portal/cdrs/outgoing/export".into(), "Export CSV".into()));
    }
    render(page)
}

pub async fn cdrs_incoming_get(req: HttpRequest, p: Portal) -> AppResult<HttpResponse> {
    render(section(&req, &p, Perm::IncomingCdrs, "cdrs", CDR_COLUMNS.to_vec(), "No incoming calls recorded yet."))
}

fn empty_rows(cols: usize, msg: &str) -> HttpResponse {
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(format!(
        "<tr class=\"empty-row\"><td colspan=\"{cols}\">{}</td></tr>",
        askama::filters::escape(msg, askama::filters::Html).map(|e| e.to_string()).unwrap_or_default()
    ))
}

pub async fn cdrs_outgoing_partial() -> HttpResponse {
    empty_rows(CDR_COLUMNS.len(), "No outgoing calls recorded yet.")
}

pub async fn cdrs_incoming_partial() -> HttpResponse {
    empty_rows(CDR_COLUMNS.len(), "No incoming calls recorded yet.")
}

pub const CDR_CSV_HEADER: &str = "id,time_start,time_connect,time_end,duration,billed_duration,success,src_number,dst_number,destination_prefix,destination_name,rate,price,disconnect_code,disconnect_reason\n";

fn csv(name: &str, body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .body(body)
}

pub async fn cdrs_outgoing_export() -> HttpResponse {
    csv("outgoing-cdrs.csv", CDR_CSV_HEADER.to_string())
}

pub async fn recording_get() -> AppResult<HttpResponse> {
    Err(AppError::NotFound)
}

pub async fn statistics_outgoing_get(req: HttpRequest, p: Portal) -> AppResult<HttpResponse> {
    render(section(
        &req,
        &p,
        Perm::OutgoingStatistics,
        "statistics",
        vec!["Period", "Calls"],
        "No outgoing traffic to chart yet.",
    ))
}

pub async fn statistics_incoming_get(req: HttpRequest, p: Portal) -> AppResult<HttpResponse> {
    render(section(
        &req,
        &p,
        Perm::IncomingStatistics,
        "statistics",
        vec!["Period", "Calls"],
        "No incoming traffic to chart yet.",
    ))
}

pub async fn active_calls_get(req: HttpRequest, p: Portal) -> AppResult<HttpResponse> {
    render(section(
        &req,
        &p,
        Perm::OutgoingActiveCalls,
        "active-calls",
        vec!["Started", "From", "To", "Duration"],
        "No calls in progress.",
    ))
}

pub async fn active_calls_partial() -> HttpResponse {
    empty_rows(4, "No calls in progress.")
}

pub async fn numberlists_get(req: HttpRequest, p: Portal) -> AppResult<HttpResponse> {
    render(section(
        &req,
        &p,
        Perm::OutgoingNumberlists,
        "numberlists",
        vec!["Numberlist", "Items"],
        "Your operator has not shared a numberlist with you yet.",
    ))
}

pub async fn numberlist_item_add_post() -> AppResult<HttpResponse> {
    Err(AppError::NotFound)
}

pub async fn numberlist_item_delete_post() -> AppResult<HttpResponse> {
    Err(AppError::NotFound)
}

pub async fn invoices_get(req: HttpRequest, p: Portal) -> AppResult<HttpResponse> {
    render(section(
        &req,
        &p,
        Perm::Invoices,
        "invoices",
        vec!["Number", "Date", "Period", "Amount", "Status"],
        "No invoices yet.",
    ))
}

pub async fn invoice_get() -> AppResult<HttpResponse> {
    Err(AppError::NotFound)
}

pub async fn invoice_pdf_get() -> AppResult<HttpResponse> {
    Err(AppError::NotFound)
}

pub async fn payments_get(req: HttpRequest, p: Portal) -> AppResult<HttpResponse> {
    let mut page = section(
        &req,
        &p,
        Perm::Payments,
        "payments",
        vec!["Date", "Amount", "Method", "Reference"],
        "No payments yet.",
    );
    if p.has(Perm::PaymentsCryptomus) {
        page.actions.push(("/portal/payments/new".into(), "Top up with crypto".into()));
    }
    render(page)
}

pub async fn payment_new_get(req: HttpRequest, p: Portal) -> AppResult<HttpResponse> {
    render(section(
        &req,
        &p,
        Perm::PaymentsCryptomus,
        "topups",
        vec!["Started", "Amount", "Status"],
        "Crypto top-ups are not available yet. Your operator has not connected a payment provider.",
    ))
}

pub async fn payment_new_post() -> AppResult<HttpResponse> {
    Err(AppError::unprocessable("Crypto top-ups are not available: no payment provider is configured.", vec![]))
}

pub async fn services_get(req: HttpRequest, p: Portal) -> AppResult<HttpResponse> {
    render(section(&req, &p, Perm::Services, "services", vec!["Service", "Price", "Renews"], "No active services."))
}

pub async fn transactions_get(req: HttpRequest, p: Portal) -> AppResult<HttpResponse> {
    render(section(
        &req,
        &p,
        Perm::Transactions,
        "transactions",
        vec!["Date", "Description", "Amount", "Balance after"],
        "No transactions yet.",
    ))
}

pub async fn numbers_get(req: HttpRequest, p: Portal) -> AppResult<HttpResponse> {
    render(section(
        &req,
        &p,
        Perm::MyNumbers,
        "numbers",
        vec!["Number", "Description"],
        "No numbers are assigned to you yet.",
    ))
}

pub async fn number_description_post() -> AppResult<HttpResponse> {
    Err(AppError::NotFound)
}

pub async fn campaigns_get(req: HttpRequest, p: Portal) -> AppResult<HttpResponse> {
    render(section(&req, &p, Perm::MyCampaigns, "campaigns", vec!["Campaign", "Numbers", "Calls"], "No campaigns yet."))
}

pub async fn campaign_create_post() -> AppResult<HttpResponse> {
    Err(AppError::NotFound)
}

pub async fn daily_reports_get(req: HttpRequest, p: Portal) -> AppResult<HttpResponse> {
    render(section(
        &req,
        &p,
        Perm::DailyCdrReports,
        "daily-reports",
        vec!["Day", "Calls", "Download"],
        "No days with calls yet.",
    ))
}

pub async fn daily_report_csv(path: web::Path<String>) -> AppResult<HttpResponse> {
    let day = path.into_inner();
    let day = day.strip_suffix(".csv").unwrap_or(&day);
    let d = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map_err(|_| AppError::bad_request("The day must be written as YYYY-MM-DD."))?;
    Ok(csv(&format!("cdrs-{d}.csv"), CDR_CSV_HEADER.to_string()))
}
