//! Crypto top-ups against a local fake of the Cryptomus merchant API.

use std::sync::{Arc, Mutex};

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use portico::config::CryptomusConfig;
use portico::payments::cryptomus::{php_json, sign};
use portico::users::model::Role;
use serde_json::{Value, json};

use crate::both;
use crate::support::account_of;
use crate::support::customer_with;
use crate::support::{Browser, Kind, TestApp};

const MERCHANT: &str = "8b03432e-385b-4670-8d06-064591096795";
const KEY: &str = "fake-payment-key";

#[derive(Default)]
pub struct Fake {
    pub requests: Vec<Value>,
    /// How the next invoice requests are answered.
    pub answer: FakeAnswer,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
pub enum FakeAnswer {
    #[default]
    Invoice,
    /// Answers only after this many seconds (longer than the portal waits).
    Stall(u64),
    /// Answers this HTTP status without an invoice.
    Status(u16),
}

/// Starts the fake provider; returns its base URL and what it received.
pub async fn fake_cryptomus() -> (String, Arc<Mutex<Fake>>) {
    let state = Arc::new(Mutex::new(Fake::default()));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (s2, b2) = (state.clone(), base.clone());
    let server = HttpServer::new(move || {
        let (s, b) = (s2.clone(), b2.clone());
        App::new()
            .route(
                "/pay/{uuid}",
                web::get().to(|p: web::Path<String>| async move {
                    HttpResponse::Ok().content_type("text/html").body(format!(
                        "<!doctype html><title>Fake Cryptomus</title><h1 id=\"pay\">Pay invoice {}</h1>",
                        p.into_inner()
                    ))
                }),
            )
            .route(
                "/v1/payment",
                web::post().to(move |req: HttpRequest, body: web::Bytes| {
                    let (s, b) = (s.clone(), b.clone());
                    async move {
                        let text = String::from_utf8_lossy(&body).to_string();
                        let ok = req.headers().get("merchant").is_some_and(|m| m == MERCHANT)
                            && req.headers().get("sign").and_then(|v| v.to_str().ok())
                                == Some(sign(&text, KEY).as_str());
                        if !ok {
                            return HttpResponse::Unauthorized().json(json!({"state": 1, "message": "bad sign"}));
                        }
                        let v: Value = serde_json::from_str(&text).unwrap();
                        let answer = {
                            let mut st = s.lock().unwrap();
                            st.requests.push(v.clone());
                            st.answer
                        };
                        match answer {
                            FakeAnswer::Invoice => {}
                            FakeAnswer::Stall(secs) => {
                                actix_web::rt::time::sleep(std::time::Duration::from_secs(secs)).await;
                                return HttpResponse::GatewayTimeout().finish();
                            }
                            FakeAnswer::Status(code) => {
                                let status = actix_web::http::StatusCode::from_u16(code).unwrap();
                                return HttpResponse::build(status)
                                    .json(json!({"state": 1, "message": "fake trouble"}));
                            }
                        }
                        let st = s.lock().unwrap();
                        let uuid = format!("uuid-{}", st.requests.len());
                        HttpResponse::Ok().json(json!({"state": 0, "result": {
                        "uuid": uuid, "order_id": v["order_id"], "amount": v["amount"], "currency": v["currency"],
                        "url": format!("{b}/pay/{uuid}"), "payment_status": "check", "is_final": false}}))
                    }
                }),
            )
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .unwrap()
    .run();
    actix_web::rt::spawn(server);
    (base, state)
}

pub fn webhook(order: &str, uuid: &str, amount: &str, currency: &str, status: &str) -> String {
    let mut v = json!({
        "type": "payment", "uuid": uuid, "order_id": order, "amount": amount, "payment_amount": "0.00043",
        "merchant_amount": amount, "network": "btc", "currency": currency, "payer_currency": "BTC",
        "is_final": true, "status": status, "additional_data": null, "url": "https://pay.example/x",
    });
    let s = sign(&php_json(&v), KEY);
    v["sign"] = json!(s);
    v.to_string()
}

async fn balance(app: &TestApp, account: i64) -> i64 {
    app.db(move |c| {
        use diesel::prelude::*;
        use portico::db::schema::accounts;
        accounts::table.find(account).select(accounts::balance).first(c).unwrap()
    })
    .await
}

async fn count(app: &TestApp, table: &'static str) -> i64 {
    app.db(move |c| {
        use diesel::prelude::*;
        use portico::db::schema::{audit_log, payments, transactions};
        match table {
            "payments" => payments::table.count().get_result(c).unwrap(),
            "transactions" => transactions::table.count().get_result(c).unwrap(),
            _ => audit_log::table.filter(audit_log::action.eq("webhook.rejected")).count().get_result(c).unwrap(),
        }
    })
    .await
}

async fn top_up_end_to_end(kind: Kind) {
    let (fake, seen) = fake_cryptomus().await;
    let Some(app) = TestApp::start_with(kind, |c| {
        c.cryptomus = Some(CryptomusConfig {
            merchant: MERCHANT.into(),
            key: KEY.into(),
            base_url: fake.clone(),
            timeout: std::time::Duration::from_secs(2),
        });
    })
    .await
    else {
        eprintln!("skipped: PORTICO_TEST_POSTGRES_URL is not set");
        return;
    };
    let (b, c, _) =
        customer_with(&app, "pay@acme.example", Role::User, &["account", "payments", "payments_cryptomus"]).await;
    let account = account_of(&app, c).await;
    assert!(b.get("/portal/payments").await.body.contains("href=\"/portal/payments/new\""));
    let page = b.get("/portal/payments/new").await;
    assert!(page.body.contains("name=\"amount\""));
    let bad = b.post_form("/portal/payments/new", &[("amount", "lots")]).await;
    assert_eq!(bad.status, 422);
    let r = b.post_form("/portal/payments/new", &[("amount", "25.50")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let pay = format!("{fake}/pay/uuid-1");
    assert!(
        r.body.contains(&format!("<meta http-equiv=\"refresh\" content=\"0; url={pay}\">")),
        "moves on to the payment page: {}",
        r.body
    );
    assert!(r.body.contains(&format!("href=\"{pay}\"")));
    let sent = seen.lock().unwrap().requests[0].clone();
    assert_eq!(sent["amount"], "25.50");
    assert_eq!(sent["currency"], "EUR");
    assert!(sent["url_callback"].as_str().unwrap().ends_with("/webhooks/cryptomus"));
    let order = sent["order_id"].as_str().unwrap().to_string();
    assert!(b.get("/portal/payments/new").await.body.contains("Waiting for payment"));

    let hooks = Browser::new(&app.base);
    let post = |body: String| {
        let hooks = &hooks;
        async move { hooks.request("POST", "/webhooks/cryptomus", &[], Some((&body, "application/json"))).await }
    };
    // Forged: the signature is over other content.
    let mut forged: Value = serde_json::from_str(&webhook(&order, "uuid-1", "25.50", "EUR", "paid")).unwrap();
    forged["amount"] = json!("2550.00");
    assert_eq!(post(forged.to_string()).await.status, 403);
    assert_eq!(post(webhook("ptc-unknown", "uuid-9", "25.50", "EUR", "paid")).await.status, 404);
    let mut unsigned: Value = serde_json::from_str(&webhook(&order, "uuid-1", "25.50", "EUR", "paid")).unwrap();
    unsigned.as_object_mut().unwrap().remove("sign");
    assert_eq!(post(unsigned.to_string()).await.status, 401);
    // Three refusals from one address within a minute: one audit row, the others counted.
    assert_eq!(count(&app, "rejected").await, 1, "refusals are audited at most once a minute per address");
    app.db(|c| {
        use diesel::prelude::*;
        use portico::db::schema::webhook_rejections as w;
        let pending: i32 = w::table.select(w::pending).first(c).unwrap();
        assert_eq!(pending, 2, "the two later refusals wait for the next row");
        diesel::update(w::table)
            .set(w::audited_at.eq(portico::now() - chrono::Duration::seconds(61)))
            .execute(c)
            .unwrap();
        portico::payments::cryptomus::flush_rejections(c).unwrap();
    })
    .await;
    assert_eq!(count(&app, "rejected").await, 2);
    let counted = app
        .db(|c| {
            use diesel::prelude::*;
            use portico::db::schema::audit_log;
            audit_log::table
                .filter(audit_log::action.eq("webhook.rejected"))
                .order(audit_log::id.desc())
                .select(audit_log::diff)
                .first::<Option<String>>(c)
                .unwrap()
        })
        .await;
    assert_eq!(serde_json::from_str::<Value>(&counted.unwrap()).unwrap()["count"], 2);
    assert_eq!(balance(&app, account).await, 0, "nothing changed");
    // Paid: payment, transaction, balance in one go.
    let paid = webhook(&order, "uuid-1", "25.50", "EUR", "paid");
    let r = post(paid.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(balance(&app, account).await, 25_500_000);
    assert_eq!((count(&app, "payments").await, count(&app, "transactions").await), (1, 1));
    // The same webhook again: one payment only.
    let again = post(paid).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.json()["result"], "already settled");
    assert_eq!(balance(&app, account).await, 25_500_000);
    assert_eq!(count(&app, "payments").await, 1);
    // A late status does not undo a settled top-up.
    assert_eq!(post(webhook(&order, "uuid-1", "25.50", "EUR", "cancel")).await.status, 200);
    assert!(b.get("/portal/payments/new").await.body.contains("<td data-field=\"status\">Paid</td>"));
    assert!(b.get("/portal/payments").await.body.contains("crypto (Cryptomus)"));
    // A wrong amount is refused and nothing is credited.
    b.get("/portal/payments/new").await;
    b.post_form("/portal/payments/new", &[("amount", "10")]).await;
    let order2 = seen.lock().unwrap().requests[1]["order_id"].as_str().unwrap().to_string();
    assert_eq!(post(webhook(&order2, "uuid-2", "1.00", "EUR", "paid")).await.status, 422);
    assert_eq!(balance(&app, account).await, 25_500_000);
    assert!(b.get("/portal/payments/new").await.body.contains("Wrong amount paid"));
}

#[actix_web::test]
async fn top_up_end_to_end_sqlite() {
    top_up_end_to_end(Kind::Sqlite).await;
}

#[actix_web::test]
async fn top_up_end_to_end_postgres() {
    top_up_end_to_end(Kind::Postgres).await;
}

async fn without_configuration_the_option_is_hidden(app: TestApp) {
    let (b, _, _) = customer_with(&app, "nopay@acme.example", Role::User, &["payments", "payments_cryptomus"]).await;
    assert!(!b.get("/portal/payments").await.body.contains("/portal/payments/new"));
    assert!(b.get("/portal/payments/new").await.body.contains("not available"));
    assert_eq!(b.post_form("/portal/payments/new", &[("amount", "5")]).await.status, 422);
    assert_eq!(
        Browser::new(&app.base)
            .request("POST", "/webhooks/cryptomus", &[], Some(("{}", "application/json")))
            .await
            .status,
        404
    );
    let admin = app.admin().await;
    assert!(admin.get("/admin").await.body.contains("PORTICO_CRYPTOMUS_MERCHANT"), "a clear note to staff");
}
both!(without_configuration_the_option_is_hidden);

/// SPEC §12: a provider that times out (or answers 5xx) leaves the top-up pending; its later
/// `paid` webhook credits it exactly once; a refund after payment reverses the credit with a
/// ledger transaction, once.
async fn a_flaky_provider_and_refunds(kind: Kind) {
    let (fake, seen) = fake_cryptomus().await;
    let Some(app) = TestApp::start_with(kind, |c| {
        c.cryptomus = Some(CryptomusConfig {
            merchant: MERCHANT.into(),
            key: KEY.into(),
            base_url: fake.clone(),
            timeout: std::time::Duration::from_secs(1),
        });
    })
    .await
    else {
        eprintln!("skipped: PORTICO_TEST_POSTGRES_URL is not set");
        return;
    };
    let (b, c, _) =
        customer_with(&app, "flaky@acme.example", Role::User, &["account", "payments", "payments_cryptomus"]).await;
    let account = account_of(&app, c).await;
    b.get("/portal/payments/new").await;
    let status_of = |order: String| {
        let app = &app;
        async move {
            app.db(move |c| {
                use diesel::prelude::*;
                use portico::db::schema::topups;
                topups::table.filter(topups::order_id.eq(order)).select(topups::status).first::<String>(c).unwrap()
            })
            .await
        }
    };
    // The provider does not answer in time: 503 to the person, the top-up stays pending.
    seen.lock().unwrap().answer = FakeAnswer::Stall(3);
    let r = b.post_form("/portal/payments/new", &[("amount", "12.00")]).await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.header("retry-after").is_some());
    let timed_out = seen.lock().unwrap().requests[0]["order_id"].as_str().unwrap().to_string();
    assert_eq!(status_of(timed_out.clone()).await, "pending");
    // A 5xx the same way.
    seen.lock().unwrap().answer = FakeAnswer::Status(502);
    assert_eq!(b.post_form("/portal/payments/new", &[("amount", "3.00")]).await.status, 503);
    let bad_gateway = seen.lock().unwrap().requests[1]["order_id"].as_str().unwrap().to_string();
    assert_eq!(status_of(bad_gateway).await, "pending");
    // A 4xx is a refusal: failed.
    seen.lock().unwrap().answer = FakeAnswer::Status(422);
    assert_eq!(b.post_form("/portal/payments/new", &[("amount", "4.00")]).await.status, 503);
    let refused = seen.lock().unwrap().requests[2]["order_id"].as_str().unwrap().to_string();
    assert_eq!(status_of(refused).await, "fail");
    // The provider had made the invoice after all: its paid webhook credits once.
    let hooks = Browser::new(&app.base);
    let post = |body: String| {
        let hooks = &hooks;
        async move { hooks.request("POST", "/webhooks/cryptomus", &[], Some((&body, "application/json"))).await }
    };
    let paid = webhook(&timed_out, "uuid-late", "12.00", "EUR", "paid");
    let answers = futures_util::future::join_all((0..4).map(|_| post(paid.clone()))).await;
    assert!(answers.iter().all(|r| r.status == 200), "{:?}", answers.iter().map(|r| &r.body).collect::<Vec<_>>());
    assert_eq!(balance(&app, account).await, 12_000_000, "credited once however often the webhook comes");
    assert_eq!((count(&app, "payments").await, count(&app, "transactions").await), (1, 1));
    // A refund in steps: in process (still credited), then paid back (reversed, once).
    assert_eq!(post(webhook(&timed_out, "uuid-late", "12.00", "EUR", "refund_process")).await.status, 200);
    assert_eq!(balance(&app, account).await, 12_000_000);
    let refunded = webhook(&timed_out, "uuid-late", "12.00", "EUR", "refund_paid");
    let r = post(refunded.clone()).await;
    assert_eq!(r.json()["result"], "refunded", "{}", r.body);
    assert_eq!(post(refunded).await.json()["result"], "ignored");
    assert_eq!(balance(&app, account).await, 0, "the credit is reversed");
    let ledger = app
        .db(move |c| {
            use diesel::prelude::*;
            use portico::db::schema::transactions;
            transactions::table
                .filter(transactions::account_id.eq(account))
                .order(transactions::id.asc())
                .select((transactions::kind, transactions::amount, transactions::balance_after))
                .load::<(String, i64, i64)>(c)
                .unwrap()
        })
        .await;
    assert_eq!(ledger, vec![("top-up".into(), 12_000_000, 12_000_000), ("refund".into(), -12_000_000, 0)]);
    assert_eq!(status_of(timed_out).await, "refund_paid");
}

#[actix_web::test]
async fn a_flaky_provider_and_refunds_sqlite() {
    a_flaky_provider_and_refunds(Kind::Sqlite).await;
}

#[actix_web::test]
async fn a_flaky_provider_and_refunds_postgres() {
    a_flaky_provider_and_refunds(Kind::Postgres).await;
}
