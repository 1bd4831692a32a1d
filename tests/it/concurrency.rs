//! SPEC §12: what holds for one request holds for many — anonymous requests write nothing,
//! sessions are touched at most once a minute, writers are not refused, counters and money are
//! exact under parallel requests.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use portico::db::DbConnection;
use portico::db::schema::sessions;
use portico::users::model::Role;

use crate::both;
use crate::support::{PASSWORD, TestApp};

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Every table of the database with its row count.
pub fn row_counts(c: &mut DbConnection) -> Vec<(String, i64)> {
    let list = match c {
        DbConnection::Sqlite(_) => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        DbConnection::Postgresql(_) => {
            "SELECT table_name::text AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
        }
    };
    let names: Vec<Name> = diesel::sql_query(list).load(c).unwrap();
    names
        .into_iter()
        .map(|t| {
            let n: Count =
                diesel::sql_query(format!("SELECT COUNT(*) AS n FROM \"{}\"", t.name)).get_result(c).unwrap();
            (t.name, n.n)
        })
        .collect()
}

/// Fifty anonymous visits of the sign-in page create no row anywhere; the signed CSRF token of
/// the last one still signs in.
async fn anonymous_requests_write_nothing(app: TestApp) {
    let c = app.create_customer("Acme", None).await;
    app.create_user("ann@acme.example", Role::User, Some(c)).await;
    let before = app.db(row_counts).await;
    let b = app.browser();
    for _ in 0..50 {
        let r = b.get("/login").await;
        assert_eq!(r.status, 200);
    }
    for path in ["/invitation/not-a-real-token", "/no-such-page", "/login?next=%2Fportal"] {
        b.get(path).await;
    }
    assert_eq!(app.db(row_counts).await, before, "no table gained or lost a row");
    let r = b.post_form("/login", &[("email", "ann@acme.example"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, 303, "the signed token of the anonymous page signs in: {}", r.body);
    // A forged or missing token is still refused.
    let other = app.browser();
    let r = other.post_form_raw("/login", &[("email", "ann@acme.example"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, 403);
    other.get("/login").await;
    let r = other
        .post_form_raw("/login", &[("email", "ann@acme.example"), ("password", PASSWORD), ("csrf_token", "forged")])
        .await;
    assert_eq!(r.status, 403);
}
both!(anonymous_requests_write_nothing);

/// Browsing writes the session at most once a minute: twenty pages leave the row as it was.
async fn reading_pages_touches_the_session_at_most_once_a_minute(app: TestApp) {
    let c = app.create_customer("Acme", None).await;
    app.create_user("bo@acme.example", Role::User, Some(c)).await;
    let b = app.browser();
    b.login_ok("bo@acme.example", PASSWORD).await;
    let read = || {
        app.db(|c| {
            sessions::table
                .select((sessions::last_seen_at, sessions::state))
                .load::<(chrono::NaiveDateTime, String)>(c)
                .unwrap()
        })
    };
    let before = read().await;
    assert_eq!(before.len(), 1);
    for _ in 0..10 {
        assert_eq!(b.get("/portal").await.status, 200);
        assert_eq!(b.get("/portal/profile").await.status, 200);
    }
    assert_eq!(read().await, before, "no write for twenty page views within a minute");
    // Older than a minute: the next request pushes the idle expiry back once.
    let old = portico::now() - chrono::Duration::seconds(90);
    app.db(move |c| diesel::update(sessions::table).set(sessions::last_seen_at.eq(old)).execute(c).unwrap()).await;
    assert_eq!(b.get("/portal").await.status, 200);
    let after = read().await;
    assert!(after[0].0 > old + chrono::Duration::seconds(60), "touched: {:?}", after[0].0);
}
both!(reading_pages_touches_the_session_at_most_once_a_minute);

/// Fifty concurrent bookings of +1.000000 on one account move its balance by exactly 50 with 50
/// ledger rows; ten concurrent re-sends of one booking move it once.
async fn money_is_exact_under_concurrency(app: TestApp) {
    use portico::db::schema::{accounts, transactions};
    let c = app.create_customer("Acme", None).await;
    let account = crate::support::account_of(&app, c).await;
    let token = crate::support::staff_token(&app).await;
    let book = |ext: String| {
        let body = serde_json::json!({"externalId": ext, "accountId": account, "amount": "1.000000",
            "kind": "topup", "occurredAt": "2026-11-30T10:00:00Z"})
        .to_string();
        let (app, token) = (&app, &token);
        async move { crate::support::send(app, token, "POST", "/api/v1/transactions", "application/json", &body).await }
    };
    let answers = futures_util::future::join_all((0..50).map(|i| book(format!("tx-{i}")))).await;
    let statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let again = futures_util::future::join_all((0..10).map(|_| book("tx-again".into()))).await;
    assert!(
        again.iter().all(|r| r.status == 200),
        "{:?}",
        again.iter().map(|r| (r.status, &r.body)).collect::<Vec<_>>()
    );
    let (balance, rows, after): (i64, i64, Vec<i64>) = app
        .db(move |c| {
            let b = accounts::table.find(account).select(accounts::balance).first(c).unwrap();
            let n = transactions::table.filter(transactions::account_id.eq(account)).count().get_result(c).unwrap();
            let mut after: Vec<i64> = transactions::table
                .filter(transactions::account_id.eq(account))
                .select(transactions::balance_after)
                .load(c)
                .unwrap();
            after.sort();
            (b, n, after)
        })
        .await;
    assert_eq!(balance, 51_000_000, "exactly +51.000000");
    assert_eq!(rows, 51, "one ledger row per booking, the re-sent one once");
    assert_eq!(after, (1..=51).map(|i| i * 1_000_000).collect::<Vec<_>>(), "every balance_after is a real step");
}
both!(money_is_exact_under_concurrency);

/// Starts an export on a raw connection and never reads it: the request is sent, the answer
/// waits in the socket.
async fn stalled_export(base: &str, cookie: &str) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let addr = base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "GET /portal/cdrs/outgoing/export HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nUser-Agent: PorticoTest/1.0\r\n\r\n"
    );
    s.write_all(req.as_bytes()).await.unwrap();
    s
}

/// The status of the answer waiting on a stalled connection.
async fn status_of(s: &mut tokio::net::TcpStream) -> u16 {
    use tokio::io::AsyncReadExt;
    let mut head = [0u8; 12];
    tokio::time::timeout(std::time::Duration::from_secs(20), s.read_exact(&mut head)).await.unwrap().unwrap();
    std::str::from_utf8(&head[9..12]).unwrap().parse().unwrap()
}

/// One person opens twelve CSV exports of a large data set and reads none of them, on a node
/// with a pool of two connections: two run (the rest answer 429 with a clear message), and
/// meanwhile another customer's pages and the staff API answer 200 — a waiting export holds no
/// connection.
async fn stalled_exports_starve_nobody(kind: crate::support::Kind) {
    use crate::support::{account_of, customer_with, staff_token};
    let Some(app) = TestApp::start_with(kind, |c| c.db_pool_size = 2).await else { return };
    let everything: Vec<&str> = portico::access::Perm::ALL.iter().map(|p| p.key()).collect();
    let (exporter, c1, _) = customer_with(&app, "exporter@acme.example", Role::User, &everything).await;
    let (other, _, _) = customer_with(&app, "other@globex.example", Role::User, &everything).await;
    let account = account_of(&app, c1).await;
    let now = portico::traffic::time::now_ms();
    app.db(move |c| {
        let plan = vec![(c1, account, 1.0, vec!["4930123".to_string()])];
        for seed in 0..3 {
            portico::traffic::ingest::store(c, portico::demo::generate_cdrs(&plan, 25_000, seed, now)).unwrap();
        }
    })
    .await;
    let token = staff_token(&app).await;
    let cookie = exporter.cookie_value().unwrap();
    let mut stalled = Vec::new();
    for _ in 0..12 {
        stalled.push(stalled_export(&app.base, &cookie).await);
    }
    // The third and later exports are refused at once; the first two wait on their sockets.
    let mut statuses = Vec::new();
    for s in stalled.iter_mut() {
        statuses.push(status_of(s).await);
    }
    statuses.sort();
    assert_eq!(statuses, [vec![200; 2], vec![429; 10]].concat());
    // Meanwhile, everyone else is served.
    for _ in 0..5 {
        assert_eq!(other.get("/portal").await.status, 200);
        assert_eq!(other.get("/portal/cdrs/outgoing").await.status, 200);
        let r = crate::support::send(&app, &token, "GET", "/api/v1/customers", "application/json", "").await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    // The exporter's own third try, while the two still run, is refused with a message.
    let r = exporter.get("/portal/cdrs/outgoing/export").await;
    assert_eq!(r.status, 429);
    assert!(r.body.contains("2 downloads running"), "{}", r.body);
    drop(stalled);
}

#[actix_web::test]
async fn stalled_exports_starve_nobody_sqlite() {
    stalled_exports_starve_nobody(crate::support::Kind::Sqlite).await;
}

#[actix_web::test]
async fn stalled_exports_starve_nobody_postgres() {
    stalled_exports_starve_nobody(crate::support::Kind::Postgres).await;
}

/// Eight concurrent uploads of an invoice's first PDF are all taken (none refused for the
/// others), each is audited, and the invoice keeps one of them whole: a lost race never
/// removes the file another upload stored.
async fn concurrent_pdf_uploads_all_land(app: TestApp) {
    let (b, c, _) = crate::support::customer_with(&app, "pdf@acme.example", Role::User, &["invoices"]).await;
    let account = crate::support::account_of(&app, c).await;
    let token = crate::support::staff_token(&app).await;
    let inv = crate::support::invoice(&app, &token, account, "RACE-1").await;
    let pdfs: Vec<String> = (0..8).map(|i| format!("%PDF-1.7 upload number {i}")).collect();
    let path = format!("/api/v1/invoices/{inv}/pdf");
    let answers = futures_util::future::join_all(
        pdfs.iter().map(|pdf| crate::support::send(&app, &token, "PUT", &path, "application/pdf", pdf)),
    )
    .await;
    let statuses: Vec<(u16, &str)> = answers.iter().map(|r| (r.status, r.body.as_str())).collect();
    assert!(statuses.iter().all(|(s, _)| *s == 204), "{statuses:?}");
    let got = b.get(&format!("/portal/invoices/{inv}/pdf")).await;
    assert_eq!(got.status, 200);
    assert!(pdfs.contains(&got.body), "the invoice serves one upload whole: {:?}", got.body);
    assert_eq!(crate::support::audited(&app, "ingest.invoice_pdf").await, 8);
}
both!(concurrent_pdf_uploads_all_land);

/// Six switches' snapshots of the calls in progress, pushed at once: every push is taken, and
/// what is stored afterwards is exactly one of them, never a mixture (each replaces the whole
/// list).
async fn concurrent_active_call_snapshots_replace_each_other(app: TestApp) {
    use portico::db::schema::active_calls;
    let c = app.create_customer("Acme", None).await;
    let account = crate::support::account_of(&app, c).await;
    let token = crate::support::staff_token(&app).await;
    let snapshots: Vec<Vec<String>> = (0..6).map(|s| (0..3).map(|i| format!("live-{s}-{i}")).collect()).collect();
    let bodies: Vec<String> = snapshots
        .iter()
        .map(|ids| {
            let calls: Vec<serde_json::Value> = ids
                .iter()
                .map(|id| {
                    serde_json::json!({"externalId": id, "accountId": account, "direction": "outgoing",
                    "timeStart": "2026-11-30T10:00:00Z", "dstNumber": "4930999"})
                })
                .collect();
            serde_json::Value::from(calls).to_string()
        })
        .collect();
    let answers = futures_util::future::join_all(
        bodies.iter().map(|b| crate::support::send(&app, &token, "PUT", "/api/v1/active-calls", "application/json", b)),
    )
    .await;
    let statuses: Vec<(u16, &str)> = answers.iter().map(|r| (r.status, r.body.as_str())).collect();
    assert!(statuses.iter().all(|(s, _)| *s == 200), "{statuses:?}");
    let mut stored: Vec<String> =
        app.db(|c| active_calls::table.select(active_calls::external_id).load(c).unwrap()).await;
    stored.sort();
    assert!(snapshots.contains(&stored), "one whole snapshot, not a mixture: {stored:?}");
}
both!(concurrent_active_call_snapshots_replace_each_other);
