//! E-mail against a real local SMTP server (aiosmtpd, started by the test on a free port and
//! stopped after it): invitations, password reset, "SMTP down → the message waits in the outbox
//! and goes out when it is back", and the low-balance notice once per crossing.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use portico::db::schema::{audit_log, outbox};
use portico::mail::sender::{MailConfig, SenderHandle};
use portico::users::model::Role;
use serde_json::{Value, json};

use crate::support::{Kind, PASSWORD, TestApp, account_of, send, staff, staff_token};

/// Stores every message it receives as a JSON file (recipients, subject, plain text, HTML).
const SERVER: &str = r#"
import asyncio, email, email.policy, json, os, sys, time
from aiosmtpd.controller import Controller
out = sys.argv[2]
class Store:
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = msg.get_body(('plain',))
        html = msg.get_body(('html',))
        data = {"to": envelope.rcpt_tos, "from": envelope.mail_from, "subject": str(msg["subject"]),
                "text": text.get_content() if text else "", "html": html.get_content() if html else ""}
        path = os.path.join(out, "%d.json" % time.time_ns())
        with open(path + ".tmp", "w") as f:
            json.dump(data, f)
        os.rename(path + ".tmp", path)
        return "250 OK"
c = Controller(Store(), hostname="127.0.0.1", port=int(sys.argv[1]))
c.start()
print("ready", flush=True)
sys.stdin.read()
c.stop()
"#;

pub struct SmtpServer {
    child: tokio::process::Child,
    pub dir: tempfile::TempDir,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl SmtpServer {
    pub async fn start(port: u16) -> SmtpServer {
        use tokio::io::AsyncBufReadExt;
        let dir = tempfile::tempdir().unwrap();
        let mut child = tokio::process::Command::new("python3")
            .args(["-c", SERVER, &port.to_string(), &dir.path().display().to_string()])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("python3 with aiosmtpd (installed by .ci/run)");
        let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let first = tokio::time::timeout(Duration::from_secs(20), lines.next_line()).await;
        assert!(matches!(first, Ok(Ok(Some(ref l))) if l == "ready"), "SMTP server did not start: {first:?}");
        SmtpServer { child, dir }
    }

    pub fn messages(&self) -> Vec<Value> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        files.iter().map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()).collect()
    }

    /// Waits until at least `n` messages arrived (at most 30 s).
    pub async fn wait_for(&self, n: usize) -> Vec<Value> {
        let start = Instant::now();
        loop {
            let m = self.messages();
            if m.len() >= n || start.elapsed() > Duration::from_secs(30) {
                return m;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

fn mail_config(port: u16) -> MailConfig {
    MailConfig {
        smtp_url: format!("smtp://127.0.0.1:{port}"),
        from: "Portico <portal@op.example>".into(),
        retry: Duration::from_secs(1),
        poll: Duration::from_millis(100),
    }
}

/// The app with e-mail to `port`, and its sender running (as `serve` runs it).
async fn app_with_mail(kind: Kind, port: u16) -> Option<(TestApp, SenderHandle)> {
    let app = TestApp::start_with(kind, |c| c.mail = Some(mail_config(port))).await?;
    let sender =
        portico::mail::sender::spawn(app.prepared.state.pool.clone(), mail_config(port), app.base.clone()).unwrap();
    Some((app, sender))
}

/// The first link in a text that starts with `prefix`.
fn link(text: &str, prefix: &str) -> String {
    let i = text.find(prefix).unwrap_or_else(|| panic!("no {prefix} link in {text}"));
    text[i..].split_whitespace().next().unwrap().to_string()
}

macro_rules! mail_test {
    ($name:ident) => {
        mod $name {
            #[actix_web::test]
            async fn sqlite() {
                super::$name(crate::support::Kind::Sqlite).await;
            }
            #[actix_web::test]
            async fn postgres() {
                super::$name(crate::support::Kind::Postgres).await;
            }
        }
    };
}

async fn an_invitation_arrives(kind: Kind) {
    let port = free_port();
    let smtp = SmtpServer::start(port).await;
    let Some((app, _sender)) = app_with_mail(kind, port).await else { return };
    let admin = staff(&app, "admin@op.example", Role::Admin).await;
    let c = app.create_customer("Acme", None).await;
    let r = admin
        .call(
            "POST",
            &format!("/api/v1/customers/{c}/users"),
            Some(json!({"email": "new@acme.example", "firstName": "Nia", "lastName": "Ng", "role": "user", "lang": "de"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let shown = r.json()["invitationUrl"].as_str().unwrap().to_string();
    let got = smtp.wait_for(1).await;
    assert_eq!(got.len(), 1, "one invitation");
    let m = &got[0];
    assert_eq!(m["to"], json!(["new@acme.example"]));
    assert_eq!(m["subject"], "Ihr Zugang zum Kundenportal", "in the recipient's language");
    let url = link(m["text"].as_str().unwrap(), &format!("{}/invitation/", app.base));
    assert!(shown.ends_with(url.rsplit('/').next().unwrap()), "the mailed link is the one shown to staff");
    assert!(m["html"].as_str().unwrap().contains(&format!("href=\"{url}\"")), "an HTML part too");
    let page = app.browser().get(url.strip_prefix(&app.base).unwrap()).await;
    assert_eq!(page.status, 200);
    smtp.stop().await;
    app.stop().await;
}
mail_test!(an_invitation_arrives);

async fn forgot_password_for_known_and_unknown_addresses(kind: Kind) {
    let port = free_port();
    let smtp = SmtpServer::start(port).await;
    let Some((app, _sender)) = app_with_mail(kind, port).await else { return };
    let c = app.create_customer("Acme", None).await;
    app.create_user("kim@acme.example", Role::User, Some(c)).await;
    // Two sessions of Kim, signed in before the reset.
    let old1 = app.browser();
    old1.login_ok("kim@acme.example", PASSWORD).await;
    let old2 = app.browser();
    old2.login_ok("kim@acme.example", PASSWORD).await;

    let b = app.browser();
    let login = b.get("/login").await;
    assert!(login.body.contains("href=\"/password/forgot\""), "offered with e-mail configured");
    let before = crate::concurrency::row_counts(&mut app.conn());
    assert_eq!(b.get("/password/forgot").await.status, 200);
    assert_eq!(crate::concurrency::row_counts(&mut app.conn()), before, "the GET writes nothing");
    let unknown = b.post_form("/password/forgot", &[("email", "nobody@acme.example")]).await;
    let known = b.post_form("/password/forgot", &[("email", "Kim@acme.example")]).await;
    assert_eq!((unknown.status, known.status), (200, 200));
    let strip = |s: &str| s.split("name=\"csrf_token\"").next().unwrap().to_string();
    assert_eq!(strip(&unknown.body), strip(&known.body), "the same page for both");
    let got = smtp.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let got = if smtp.messages().len() > got.len() { smtp.messages() } else { got };
    assert_eq!(got.len(), 1, "one mail: none for the unknown address");
    assert_eq!(got[0]["to"], json!(["kim@acme.example"]));
    let url = link(got[0]["text"].as_str().unwrap(), &format!("{}/password/reset/", app.base));
    let path = url.strip_prefix(&app.base).unwrap().to_string();
    let token = path.rsplit('/').next().unwrap().to_string();
    let stored: Vec<String> = app
        .db(|c| {
            portico::db::schema::password_resets::table
                .select(portico::db::schema::password_resets::token_hash)
                .load(c)
                .unwrap()
        })
        .await;
    assert!(!stored.contains(&token), "the token is stored hashed");

    let r = app.browser();
    assert_eq!(r.get(&path).await.status, 200);
    let new = "a brand new password 42";
    let done = r.post_form(&path, &[("new_password", new), ("confirm_password", new)]).await;
    assert_eq!((done.status, done.location()), (303, "/login"));
    // Every old session ended; the old password is gone; the new one works.
    assert_eq!(old1.get("/portal").await.status, 303);
    assert_eq!(old2.get("/portal").await.status, 303);
    assert_eq!(app.browser().login("kim@acme.example", PASSWORD).await.status, 401);
    app.browser().login_ok("kim@acme.example", new).await;
    // Single use.
    let again = app.browser();
    assert_eq!(again.get(&path).await.status, 422);
    again.get("/password/forgot").await;
    assert_eq!(again.post_form(&path, &[("new_password", new), ("confirm_password", new)]).await.status, 422);
    let audited: Vec<String> = app
        .db(|c| {
            audit_log::table.filter(audit_log::action.like("password.%")).select(audit_log::action).load(c).unwrap()
        })
        .await;
    assert!(
        audited.contains(&"password.reset".to_string()) && audited.contains(&"password.reset_requested".to_string())
    );
    smtp.stop().await;
    app.stop().await;
}
mail_test!(forgot_password_for_known_and_unknown_addresses);

async fn without_smtp_there_is_no_forgot_link(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else { return };
    let b = app.browser();
    assert!(!b.get("/login").await.body.contains("/password/forgot"));
    assert_eq!(b.get("/password/forgot").await.status, 404);
    assert_eq!(b.post_form("/password/forgot", &[("email", "x@y.example")]).await.status, 404);
    app.stop().await;
}
mail_test!(without_smtp_there_is_no_forgot_link);

async fn a_message_waits_while_the_server_is_down(kind: Kind) {
    let port = free_port();
    let Some((app, _sender)) = app_with_mail(kind, port).await else { return };
    let admin = staff(&app, "admin@op.example", Role::Admin).await;
    let c = app.create_customer("Acme", None).await;
    let started = Instant::now();
    let r = admin
        .call(
            "POST",
            &format!("/api/v1/customers/{c}/users"),
            Some(json!({"email": "late@acme.example", "role": "user"})),
        )
        .await;
    assert_eq!(r.status, 201, "the page does not wait for the mail server");
    assert!(started.elapsed() < Duration::from_secs(5));
    // The sender tries, fails, and keeps the message.
    let start = Instant::now();
    loop {
        let (attempts, err): (i32, Option<String>) =
            app.db(|c| outbox::table.select((outbox::attempts, outbox::last_error)).first(c).unwrap()).await;
        if attempts >= 2 && err.is_some() {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(30), "the sender never tried");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let waiting: i64 = app.db(|c| portico::mail::outbox::waiting(c).unwrap()).await;
    assert_eq!(waiting, 1);
    // The server comes back: the message goes out, once.
    let smtp = SmtpServer::start(port).await;
    let got = smtp.wait_for(1).await;
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["to"], json!(["late@acme.example"]));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(smtp.messages().len(), 1, "sent once");
    assert_eq!(app.db(|c| portico::mail::outbox::waiting(c).unwrap()).await, 0);
    smtp.stop().await;
    app.stop().await;
}
mail_test!(a_message_waits_while_the_server_is_down);

async fn a_low_balance_notice_once_per_crossing(kind: Kind) {
    let port = free_port();
    let smtp = SmtpServer::start(port).await;
    let Some((app, _sender)) = app_with_mail(kind, port).await else { return };
    let c = app.create_customer("Acme", None).await;
    let account = account_of(&app, c).await;
    app.db(move |conn| {
        use portico::db::schema::accounts;
        diesel::update(accounts::table.find(account)).set(accounts::min_balance.eq(5_000_000)).execute(conn).unwrap();
    })
    .await;
    app.create_user("boss@acme.example", Role::Administrator, Some(c)).await;
    app.create_user("staffer@acme.example", Role::User, Some(c)).await;
    let token = staff_token(&app).await;
    let mut n = 0;
    let mut book = |amount: &str| {
        n += 1;
        let body = json!([{"externalId": format!("t{n}"), "accountId": account, "amount": amount, "occurredAt": "2026-05-01T10:00:00Z"}]);
        let (app, token) = (&app, token.clone());
        async move {
            let r = send(app, &token, "POST", "/api/v1/transactions", "application/json", &body.to_string()).await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
    };
    book("20.00").await; // 20: above the minimum
    book("-10.00").await; // 10: still above
    book("-10.00").await; // 0: crosses below 5 → one notice
    book("-1.00").await; // -1: still below, no new notice
    book("-2.00").await; // -3
    book("30.00").await; // 27: back above
    book("-25.00").await; // 2: crosses again → a second notice
    let got = smtp.wait_for(2).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let got = if smtp.messages().len() > got.len() { smtp.messages() } else { got };
    assert_eq!(got.len(), 2, "once per crossing, to the administrators only: {got:?}");
    assert!(got.iter().all(|m| m["to"] == json!(["boss@acme.example"])));
    assert!(got[0]["subject"].as_str().unwrap().contains("Main"));
    assert!(got[0]["text"].as_str().unwrap().contains("0.00"), "{}", got[0]["text"]);
    smtp.stop().await;
    app.stop().await;
}
mail_test!(a_low_balance_notice_once_per_crossing);
