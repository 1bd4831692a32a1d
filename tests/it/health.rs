//! SPEC §10/§11: health probes, and behaviour while the database is unreachable.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};

use crate::both;
use crate::support::{Kind, PASSWORD, TestApp, TestDb};

async fn health_and_ready(app: TestApp) {
    let b = app.browser();
    let r = b.get("/healthz").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "ok");
    let r = b.get("/readyz").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["status"], "ready");
}
both!(health_and_ready);

/// Every pooled connection is held elsewhere: the application cannot reach its database.
async fn pool_exhaustion_gives_503_and_recovers(app: TestApp) {
    let c = app.create_customer("Acme", None).await;
    app.create_user("una@acme.example", portico::users::model::Role::User, Some(c)).await;
    let b = app.browser();
    b.login_ok("una@acme.example", PASSWORD).await;
    let pool = app.prepared.state.pool.clone();
    let held: Vec<_> =
        actix_web::web::block(move || (0..4).map(|_| pool.get().unwrap()).collect::<Vec<_>>()).await.unwrap();
    let r = b.get("/readyz").await;
    assert_eq!(r.status, 503);
    assert_eq!(r.json()["status"], "unavailable");
    let page = b.get("/portal/profile").await;
    assert_eq!(page.status, 503);
    assert!(page.body.contains("Temporarily unavailable"));
    let api = b.get_with("/api/v1/nothing", &[("Authorization", "Bearer ptk_x")]).await;
    assert_eq!(api.status, 503);
    assert_eq!(api.json()["error"]["code"], "unavailable");
    drop(held);
    assert_eq!(b.get("/readyz").await.status, 200);
    assert_eq!(b.get("/portal/profile").await.status, 200, "recovered without restart");
}
both!(pool_exhaustion_gives_503_and_recovers);

async fn readyz_reports_pending_migrations(app: TestApp) {
    use diesel::prelude::*;
    diesel::table! { __diesel_schema_migrations (version) { version -> Text, run_on -> Timestamp, } }
    let removed: (String, chrono::NaiveDateTime) = app
        .db(|c| {
            let row = __diesel_schema_migrations::table
                .order(__diesel_schema_migrations::version.desc())
                .first::<(String, chrono::NaiveDateTime)>(c)
                .unwrap();
            diesel::delete(__diesel_schema_migrations::table.find(&row.0)).execute(c).unwrap();
            row
        })
        .await;
    let b = app.browser();
    let r = b.get("/readyz").await;
    assert_eq!(r.status, 503);
    assert!(r.json()["reason"].as_str().unwrap().contains("migrations"));
    app.db(move |c| {
        diesel::insert_into(__diesel_schema_migrations::table)
            .values((
                __diesel_schema_migrations::version.eq(&removed.0),
                __diesel_schema_migrations::run_on.eq(removed.1),
            ))
            .execute(c)
            .unwrap()
    })
    .await;
    assert_eq!(b.get("/readyz").await.status, 200);
}
both!(readyz_reports_pending_migrations);

/// A TCP proxy in front of PostgreSQL that can be cut and restored: a real network outage.
struct Proxy {
    port: u16,
    up: Arc<AtomicBool>,
    target: String,
}

impl Proxy {
    async fn start(target: String) -> Proxy {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = l.local_addr().unwrap().port();
        let p = Proxy { port, up: Arc::new(AtomicBool::new(true)), target };
        p.serve(l);
        p
    }
    fn serve(&self, l: TcpListener) {
        let up = self.up.clone();
        let target = self.target.clone();
        actix_web::rt::spawn(async move {
            loop {
                let Ok((mut inbound, _)) = l.accept().await else {
                    break;
                };
                if !up.load(Ordering::SeqCst) {
                    break;
                }
                let target = target.clone();
                let up = up.clone();
                actix_web::rt::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(&target).await else {
                        return;
                    };
                    let copy = tokio::io::copy_bidirectional(&mut inbound, &mut outbound);
                    tokio::pin!(copy);
                    loop {
                        tokio::select! {
                            _ = &mut copy => break,
                            _ = tokio::time::sleep(Duration::from_millis(50)) => {
                                if !up.load(Ordering::SeqCst) { break; }
                            }
                        }
                    }
                });
            }
        });
    }
    /// Cuts every connection and stops listening.
    async fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        // Wake the accept loop so it drops the listener.
        let _ = TcpStream::connect(("127.0.0.1", self.port)).await;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    async fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
        let l = TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
        self.serve(l);
    }
}

#[actix_web::test]
async fn postgres_outage_gives_503_and_recovers() {
    let Some(db) = TestDb::new(Kind::Postgres) else {
        eprintln!("skipped: PORTICO_TEST_POSTGRES_URL is not set");
        return;
    };
    // Route the application's connections through the proxy.
    let mut url = db.url.clone();
    let (host_port, rest) = {
        let after = url.split_once('@').map(|x| x.1).unwrap_or_else(|| url.split_once("://").unwrap().1).to_string();
        let end = after.find('/').unwrap_or(after.len());
        (after[..end].to_string(), after[end..].to_string())
    };
    let target = if host_port.contains(':') { host_port.clone() } else { format!("{host_port}:5432") };
    let proxy = Proxy::start(target).await;
    url = url.replacen(&format!("{host_port}{rest}"), &format!("127.0.0.1:{}{rest}", proxy.port), 1);
    let mut db = db;
    db.url = url;
    let app = TestApp::start_on(Kind::Postgres, db, |_| {}).await;
    let b = app.browser();
    assert_eq!(b.get("/readyz").await.status, 200);
    proxy.cut().await;
    let r = b.get("/readyz").await;
    assert_eq!(r.status, 503, "{}", r.body);
    assert_eq!(r.json()["reason"], "database unreachable", "no database error text for anonymous callers");
    assert_eq!(r.header("retry-after"), Some("2"));
    // The sign-in page needs no database (§12: anonymous pages write nothing); signing in does.
    assert_eq!(b.get("/login").await.status, 200);
    let login = b.post_form("/login", &[("email", "una@acme.example"), ("password", "whatever it is")]).await;
    assert_eq!(login.status, 503, "pages that need the database answer 503 while it is away: {}", login.body);
    proxy.restore().await;
    let mut ok = false;
    for _ in 0..20 {
        if b.get("/readyz").await.status == 200 {
            ok = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(ok, "the server recovers by itself");
    assert_eq!(b.get("/login").await.status, 200);
}

/// `/metrics` is off without a token, refuses the wrong one, and counts requests by route
/// pattern (never by raw path).
#[actix_web::test]
async fn metrics_need_their_token_and_name_route_patterns() {
    let off = TestApp::start(Kind::Sqlite).await.unwrap();
    assert_eq!(off.browser().get("/metrics").await.status, 404);
    let token = "metrics-token-for-the-test";
    let app = TestApp::start_with(Kind::Sqlite, |c| c.metrics_token = Some(token.into())).await.unwrap();
    let b = app.browser();
    assert_eq!(b.get("/metrics").await.status, 401);
    assert_eq!(b.get_with("/metrics", &[("Authorization", "Bearer wrong-token-of-same-len")]).await.status, 401);
    assert_eq!(b.get("/api/v1/customers/12345").await.status, 401);
    let r = b.get_with("/metrics", &[("Authorization", &format!("Bearer {token}"))]).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    assert!(r.body.contains("portico_http_requests_total"), "{}", r.body);
    assert!(r.body.contains("route=\"/api/v1/customers/{id}\""), "the pattern, not the path: {}", r.body);
    assert!(!r.body.contains("/customers/12345"));
    assert!(r.body.contains("portico_db_pool_in_use"));
    assert!(r.body.contains("portico_http_request_duration_seconds_bucket"));
}
