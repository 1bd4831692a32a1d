//! SPEC §12/§13: several `portico serve` processes on one database behave as one.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Browser, Kind, TestDb};

/// A `portico serve` process on a free port; killed when dropped.
pub struct Node {
    child: Child,
    pub base: String,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Node {
    pub fn spawn(db_url: &str, env: &[(&str, &str)]) -> Node {
        let port = free_port();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_portico"));
        cmd.arg("serve")
            .env("DATABASE_URL", db_url)
            .env("PORTICO_BIND", format!("127.0.0.1:{port}"))
            .env("PORTICO_LOG", "warn")
            .env("PORTICO_DB_POOL_SIZE", "4")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            cmd.env(k, v);
        }
        Node { child: cmd.spawn().expect("start portico serve"), base: format!("http://127.0.0.1:{port}") }
    }

    /// Waits until `/readyz` answers 200 (false if the process ended or the deadline passed).
    pub async fn ready(&mut self, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        let client = awc::Client::builder().timeout(Duration::from_secs(2)).finish();
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                eprintln!("node {} exited: {status}", self.base);
                return false;
            }
            if let Ok(r) = client.get(format!("{}/readyz", self.base)).send().await
                && r.status() == 200
            {
                return true;
            }
            actix_web::rt::time::sleep(Duration::from_millis(100)).await;
        }
        false
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Three nodes started at the same moment on an empty database all come up: migrations run
/// once, under a lock, and the others find nothing left to do.
async fn three_nodes_start_at_once(kind: Kind) {
    let Some(db) = TestDb::new(kind) else {
        eprintln!("skipped: PORTICO_TEST_POSTGRES_URL is not set");
        return;
    };
    let mut nodes: Vec<Node> = (0..3).map(|_| Node::spawn(&db.url, &[])).collect();
    for n in nodes.iter_mut() {
        assert!(n.ready(Duration::from_secs(60)).await, "{} never became ready", n.base);
    }
    for n in &nodes {
        assert_eq!(n.browser().get("/login").await.status, 200, "{}", n.base);
    }
}

#[actix_web::test]
async fn three_nodes_start_at_once_sqlite() {
    three_nodes_start_at_once(Kind::Sqlite).await;
}

#[actix_web::test]
async fn three_nodes_start_at_once_postgres() {
    three_nodes_start_at_once(Kind::Postgres).await;
}

/// Two nodes on one PostgreSQL database: a session made on A works on B, logout on A ends it
/// on B, and a profile losing a key on A is refused on B at the very next request.
#[actix_web::test]
async fn two_nodes_share_sessions_and_permissions() {
    use portico::db::DbUrl;
    use portico::users::NewUser;
    use portico::users::model::Role;

    use crate::support::{PASSWORD, test_hash};

    let Some(db) = TestDb::new(Kind::Postgres) else {
        eprintln!("skipped: PORTICO_TEST_POSTGRES_URL is not set");
        return;
    };
    let (mut a, mut b) = (Node::spawn(&db.url, &[]), Node::spawn(&db.url, &[]));
    assert!(a.ready(Duration::from_secs(60)).await, "node A never became ready");
    assert!(b.ready(Duration::from_secs(60)).await, "node B never became ready");
    let url = db.url.clone();
    let (profile, admin_token) = actix_web::web::block(move || {
        let mut c = portico::db::connect(&DbUrl::parse(&url).unwrap()).unwrap();
        let customer = portico::customers::model::insert_basic(&mut c, "Two Nodes Ltd", None).unwrap();
        let raw = portico::profiles::model::RawProfile {
            name: "Both directions".into(),
            availability: "all".into(),
            permissions: vec!["outgoing_cdrs".into(), "incoming_cdrs".into()],
            ..Default::default()
        };
        let profile =
            portico::profiles::Profile::create(&mut c, &portico::profiles::model::validate(&raw).unwrap()).unwrap().id;
        let actor = portico::audit::Actor::system();
        portico::access::assignments::assign_profile(&mut c, &actor, customer, Some(profile)).unwrap();
        let mut user = NewUser::new("nodes@two.example", Role::User, Some(customer));
        user.password_hash = Some(test_hash());
        user.insert(&mut c).unwrap();
        let mut admin = NewUser::new("admin@op.example", Role::Admin, None);
        admin.password_hash = Some(test_hash());
        let admin = admin.insert(&mut c).unwrap();
        let token = portico::auth::tokens::ApiToken::create(&mut c, admin, "nodes").unwrap().1;
        (profile, token)
    })
    .await
    .unwrap();

    // Sign in on A; the same cookie opens B.
    let on_a = a.browser();
    on_a.login_ok("nodes@two.example", PASSWORD).await;
    let cookie = on_a.cookie_value();
    let on_b = Browser::with_cookie(&b.base, cookie.clone());
    assert_eq!(on_b.get("/portal/cdrs/incoming").await.status, 200, "the session made on A works on B");

    // A profile change through node A's API: B refuses the section at once.
    let api = |method: &'static str, path: String, body: Option<serde_json::Value>| {
        let (base, auth) = (a.base.clone(), format!("Bearer {admin_token}"));
        async move {
            let text = body.map(|v| v.to_string());
            Browser::new(&base)
                .request(method, &path, &[("Authorization", &auth)], text.as_deref().map(|t| (t, "application/json")))
                .await
        }
    };
    let got = api("GET", format!("/api/v1/access-profiles/{profile}"), None).await;
    assert_eq!(got.status, 200, "{}", got.body);
    let mut p = got.json();
    p["permissions"] = serde_json::json!(["outgoing_cdrs"]);
    let put = api("PUT", format!("/api/v1/access-profiles/{profile}"), Some(p)).await;
    assert_eq!(put.status, 200, "{}", put.body);
    assert_eq!(on_b.get("/portal/cdrs/incoming").await.status, 403, "B refuses the lost key at once");
    assert_eq!(on_b.get("/portal/cdrs/outgoing").await.status, 200, "the kept key still opens its section");

    // Logout on A ends the session on B.
    let out = on_a.post_form("/logout", &[]).await;
    assert_eq!(out.status, 303);
    let replay = Browser::with_cookie(&b.base, cookie);
    let r = replay.get("/portal/cdrs/outgoing").await;
    assert_eq!(r.status, 303, "B no longer knows the session");
    assert!(r.location().starts_with("/login"), "{}", r.location());
    drop((a, b));
}
