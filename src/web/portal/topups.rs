//! Crypto top-ups in the portal and the provider's webhook.

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data};
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use crate::AppState;
use crate::customers::accounts::Account;
use crate::error::{AppError, AppResult};
use crate::http::Portal;
use crate::payments::Topup;
use crate::payments::cryptomus::{self, Answer, ProviderRequest, SendError, TopupRequest};
use crate::web::forms::{Errors, Pairs};
use crate::web::html;
use crate::web::layout::Layout;

pub struct TopupRow {
    pub id: i64,
    pub started: String,
    pub amount: String,
    pub status: String,
    /// The provider's payment page, while the top-up waits for payment.
    pub url: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/topup.html")]
pub struct TopupPage {
    pub l: Layout,
    /// A payment provider is configured (else the page says top-ups are not available).
    pub configured: bool,
    pub accounts: Vec<Account>,
    /// The customer's latest top-ups.
    pub recent: Vec<TopupRow>,
    pub errors: Errors,
    /// The amount as typed, shown again after a refusal.
    pub amount: String,
}

async fn page(req: &HttpRequest, state: &AppState, p: &Portal, errors: Errors, amount: String) -> AppResult<TopupPage> {
    let cid = p.customer_id();
    let (accounts, recent) =
        crate::db::run(&state.pool, move |c| Ok((Account::for_customer(c, cid)?, Topup::recent(c, cid, 20)?))).await?;
    Ok(TopupPage {
        l: crate::web::portal::layout(p, req, "title.topup", "topup-title"),
        configured: state.config.cryptomus.is_some(),
        accounts,
        recent: recent
            .into_iter()
            .map(|t| TopupRow {
                id: t.id,
                started: crate::i18n::format::timestamp(p.lang, t.created_at, p.tz()),
                amount: format!("{} {}", p.lang.money(t.amount), t.currency),
                status: p.lang.t(&format!("topup-status-{}", t.stage())),
                url: (t.status == "pending").then(|| t.payment_url.clone()).flatten(),
            })
            .collect(),
        errors,
        amount,
    })
}

#[derive(Template)]
#[template(path = "portal/topup_redirect.html")]
pub struct RedirectPage {
    pub l: Layout,
    pub url: String,
    pub amount: String,
}

pub async fn payment_new_get(req: HttpRequest, state: Data<AppState>, p: Portal) -> AppResult<HttpResponse> {
    Ok(html(StatusCode::OK, page(&req, &state, &p, Errors::default(), String::new()).await?.render()))
}

pub async fn payment_new_post(
    req: HttpRequest,
    state: Data<AppState>,
    p: Portal,
    body: Bytes,
) -> AppResult<HttpResponse> {
    let Some(cfg) = state.config.cryptomus.clone() else {
        return Err(AppError::unprocessable(
            "Crypto top-ups are not available: no payment provider is configured.",
            vec![],
        ));
    };
    let f = Pairs::parse(&body)?;
    let amount_text = f.text("amount");
    let amount = match crate::money::parse(&amount_text) {
        Ok(a) => a,
        Err(m) => {
            let mut e = Errors::default();
            e.add("amount", p.lang.t1("topup-amount-invalid", "reason", p.lang.msg(&m)));
            return Ok(html(StatusCode::UNPROCESSABLE_ENTITY, page(&req, &state, &p, e, amount_text).await?.render()));
        }
    };
    let request = TopupRequest {
        customer: p.customer_id(),
        account: f.get("account").and_then(|a| a.parse().ok()),
        user: p.user.id,
        amount,
    };
    let base = crate::http::base_url(&req);
    let timeout = cfg.timeout;
    let send = move |r| send(r, timeout);
    match cryptomus::start(&state.pool, &cfg, &base, &p.actor(), request, send).await {
        Ok(t) => {
            let url = t.payment_url.clone().unwrap_or_default();
            // The form's page allows form-action 'self' only, so a cross-origin redirect of the
            // POST would be blocked: answer a page that moves on by itself (meta refresh, no
            // script) and offers the link.
            let page = RedirectPage {
                l: crate::web::portal::layout(&p, &req, "title.topup", "topup-title"),
                url,
                amount: format!("{} {}", crate::money::display(t.amount), t.currency),
            };
            Ok(html(StatusCode::OK, page.render()))
        }
        Err(e @ AppError::Unprocessable(..)) => Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&req, &state, &p, Errors::from_error(&e), amount_text).await?.render(),
        )),
        Err(e) => Err(e),
    }
}

/// Delivers a request to the payment provider (`timeout` at most; answers up to 1 MiB).
async fn send(r: ProviderRequest, timeout: std::time::Duration) -> Answer {
    let client = awc::Client::builder().timeout(timeout).finish();
    let mut req = client.post(r.url);
    for header in r.headers {
        req = req.insert_header(header);
    }
    let mut res = req.send_body(r.body).await.map_err(|e| SendError::Unreachable(e.to_string()))?;
    let body = res.body().limit(1 << 20).await.map_err(|e| SendError::BadAnswer(e.to_string()))?;
    Ok((res.status().as_u16(), body.to_vec()))
}

/// `POST /webhooks/cryptomus`: no session, no CSRF; the body's signature is the credential.
pub async fn cryptomus_webhook(req: HttpRequest, state: Data<AppState>, body: Bytes) -> AppResult<HttpResponse> {
    let Some(cfg) = state.config.cryptomus.clone() else {
        return Err(AppError::NotFound);
    };
    let source = crate::http::client_ip(&req);
    let outcome = crate::db::run(&state.pool, move |c| cryptomus::webhook(c, &cfg, &body, source)).await?;
    tracing::info!(?outcome, "cryptomus webhook");
    Ok(HttpResponse::Ok().json(serde_json::json!({ "result": outcome.label() })))
}
