//! Test harness: a real server on a free port over a fresh database (a temp SQLite file, or a
//! fresh schema on PostgreSQL when `PORTICO_TEST_POSTGRES_URL` is set), and a small cookie-
//! keeping HTTP client that behaves like a browser without JavaScript.

use std::cell::RefCell;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use diesel::Connection;
use diesel::connection::SimpleConnection;
use portico::Config;
use portico::db::{DbConnection, PooledConn};
use portico::users::NewUser;
use portico::users::model::Role;
use serde_json::Value;

pub const PASSWORD: &str = "correct horse battery staple";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

/// A database that exists for one test and is removed after it.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, schema)) = &self.pg
            && let Ok(mut c) = diesel::pg::PgConnection::establish(admin)
        {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
        }
    }
}

pub fn postgres_url() -> Option<String> {
    match std::env::var("PORTICO_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => Some(u),
        _ => {
            if std::env::var("PORTICO_TEST_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
                panic!("PORTICO_TEST_REQUIRE_POSTGRES=1 but PORTICO_TEST_POSTGRES_URL is not set");
            }
            None
        }
    }
}

fn unique(prefix: &str) -> String {
    use rand::Rng;
    let n: u64 = rand::rng().random();
    format!("{prefix}{n:016x}")
}

impl TestDb {
    /// A database the test made itself (a throwaway cluster's): nothing to remove afterwards.
    pub fn external(url: &str) -> TestDb {
        TestDb { url: url.to_string(), _dir: None, pg: None }
    }

    pub fn new(kind: Kind) -> Option<TestDb> {
        match kind {
            Kind::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                Some(TestDb { url, _dir: Some(dir), pg: None })
            }
            Kind::Postgres => {
                let admin = postgres_url()?;
                let schema = unique("t_");
                let mut c = diesel::pg::PgConnection::establish(&admin).expect("connect to PORTICO_TEST_POSTGRES_URL");
                c.batch_execute(&format!("CREATE SCHEMA {schema}")).expect("create schema");
                let url = with_search_path(&admin, &schema);
                Some(TestDb { url, _dir: None, pg: Some((admin, schema)) })
            }
        }
    }
}

pub fn with_search_path(url: &str, schema: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-c%20search_path%3D{schema}")
}

pub struct TestApp {
    pub kind: Kind,
    pub base: String,
    pub prepared: portico::Prepared,
    handle: ServerHandle,
    pub db: TestDb,
    /// The test's own file store (recordings, PDFs), removed afterwards.
    pub files: tempfile::TempDir,
}

impl TestApp {
    /// Starts the application; `None` when the backend is not configured for tests (Postgres
    /// without `PORTICO_TEST_POSTGRES_URL`), in which case the caller skips.
    pub async fn start(kind: Kind) -> Option<TestApp> {
        Self::start_with(kind, |_| {}).await
    }

    pub async fn start_with(kind: Kind, tweak: impl FnOnce(&mut Config)) -> Option<TestApp> {
        let db = TestDb::new(kind)?;
        Some(Self::start_on(kind, db, tweak).await)
    }

    pub async fn start_on(kind: Kind, db: TestDb, tweak: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = Config::for_database(&db.url).expect("config");
        let files = tempfile::tempdir().expect("temp dir");
        config.recordings_dir = files.path().join("recordings");
        config.db_pool_size = 4;
        config.db_timeout = Duration::from_secs(1);
        tweak(&mut config);
        let prepared = actix_web::web::block(move || portico::prepare(config)).await.unwrap().expect("prepare app");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let p = prepared.clone();
        let server = actix_web::HttpServer::new(move || portico::build_app(p.clone()))
            .workers(1)
            .disable_signals()
            .shutdown_timeout(1)
            .listen(listener)
            .unwrap()
            .run();
        let handle = server.handle();
        actix_web::rt::spawn(server);
        TestApp { kind, base: format!("http://{addr}"), prepared, handle, db, files }
    }

    pub fn conn(&self) -> PooledConn {
        self.prepared.state.pool.get().expect("db connection")
    }

    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// Runs blocking database work off the async test thread.
    pub async fn db<T: Send + 'static>(&self, f: impl FnOnce(&mut DbConnection) -> T + Send + 'static) -> T {
        let pool = self.prepared.state.pool.clone();
        actix_web::web::block(move || {
            let mut c = pool.get().expect("db connection");
            f(&mut c)
        })
        .await
        .unwrap()
    }

    pub async fn create_customer(&self, name: &str, parent: Option<i64>) -> i64 {
        let name = name.to_string();
        self.db(move |c| portico::customers::model::insert_basic(c, &name, parent).unwrap()).await
    }

    pub async fn create_user(&self, email: &str, role: Role, customer: Option<i64>) -> i64 {
        let email = email.to_string();
        self.db(move |c| {
            let mut nu = NewUser::new(&email, role, customer);
            nu.password_hash = Some(test_hash());
            nu.insert(c).expect("insert user")
        })
        .await
    }

    /// A staff admin, signed in.
    pub async fn admin(&self) -> Browser {
        let email = format!("{}@staff.example", unique("admin"));
        self.create_user(&email, Role::Admin, None).await;
        let b = self.browser();
        b.login_ok(&email, PASSWORD).await;
        b
    }

    pub async fn stop(self) {
        self.handle.stop(false).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Shared fixtures: profiles, customers with a profile, users of a role, tokens.

/// A profile with `keys`, available to every customer.
pub async fn make_profile(app: &TestApp, name: &str, keys: &[&str]) -> i64 {
    let raw = portico::profiles::model::RawProfile {
        name: name.into(),
        availability: "all".into(),
        permissions: keys.iter().map(|k| k.to_string()).collect(),
        ..Default::default()
    };
    app.db(move |c| {
        portico::profiles::Profile::create(c, &portico::profiles::model::validate(&raw).unwrap()).unwrap().id
    })
    .await
}

/// Assigns (or clears) a customer's own profile.
pub async fn assign(app: &TestApp, customer: i64, profile: Option<i64>) {
    let actor = portico::audit::Actor::system();
    app.db(move |c| portico::access::assignments::assign_profile(c, &actor, customer, profile).unwrap()).await
}

/// A signed-in customer user of a fresh customer holding a profile with `keys`.
pub async fn customer_with(app: &TestApp, email: &str, role: Role, keys: &[&str]) -> (Browser, i64, i64) {
    let c = app.create_customer(&format!("Customer of {email}"), None).await;
    let p = make_profile(app, &format!("Profile of {email}"), keys).await;
    assign(app, c, Some(p)).await;
    app.create_user(email, role, Some(c)).await;
    let b = app.browser();
    b.login_ok(email, PASSWORD).await;
    (b, c, p)
}

/// A customer's first billing account ("Main", EUR).
pub async fn account_of(app: &TestApp, customer: i64) -> i64 {
    app.db(move |c| main_account(c, customer)).await
}

/// Opens the customer's account "Main" (EUR, no minimum) and returns its id.
pub fn main_account(c: &mut DbConnection, customer: i64) -> i64 {
    use portico::customers::accounts::*;
    let input = AccountInput {
        name: "Main".into(),
        currency: "EUR".into(),
        min_balance: 0,
        max_balance: None,
        is_postpaid: false,
        capacity: 10,
    };
    Account::create(c, customer, &input).unwrap().id
}

/// A client that authenticates with a personal API token.
pub struct Api {
    pub b: Browser,
    pub token: String,
}

impl Api {
    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let auth = format!("Bearer {}", self.token);
        let text = body.map(|b| b.to_string());
        self.b
            .request(
                method,
                path,
                &[("Authorization", auth.as_str())],
                text.as_deref().map(|t| (t, "application/json")),
            )
            .await
    }
    pub async fn get(&self, path: &str) -> Resp {
        self.call("GET", path, None).await
    }
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let auth = format!("Bearer {}", self.token);
        let mut all: Vec<(&str, &str)> = vec![("Authorization", auth.as_str())];
        all.extend_from_slice(headers);
        self.b.request("GET", path, &all, None).await
    }
    pub async fn raw(&self, method: &str, path: &str, body: &str) -> Resp {
        let auth = format!("Bearer {}", self.token);
        self.b.request(method, path, &[("Authorization", auth.as_str())], Some((body, "application/json"))).await
    }
    /// GET that must succeed; returns the JSON.
    pub async fn ok(&self, path: &str) -> Value {
        let r = self.get(path).await;
        assert_eq!(r.status, 200, "GET {path}: {}", r.body);
        r.json()
    }
}

/// A personal API token for an existing user.
pub async fn token_for(app: &TestApp, email: &str) -> String {
    let email = email.to_string();
    app.db(move |c| portico::users::admin::create_token(c, &email, "test").unwrap()).await
}

/// A staff member of the role, with a token.
pub async fn staff(app: &TestApp, email: &str, role: Role) -> Api {
    app.create_user(email, role, None).await;
    Api { b: app.browser(), token: token_for(app, email).await }
}

/// A user of the customer with the role, with a token.
pub async fn customer_user(app: &TestApp, email: &str, role: Role, customer: i64) -> Api {
    app.create_user(email, role, Some(customer)).await;
    Api { b: app.browser(), token: token_for(app, email).await }
}

/// A token of an existing customer user, by e-mail.
pub async fn customer_token(app: &TestApp, email: &str) -> String {
    let email = email.to_string();
    app.db(move |c| {
        let u = portico::users::User::find_by_email(c, &email).unwrap().unwrap();
        portico::auth::tokens::ApiToken::create(c, u.id, "t").unwrap().1
    })
    .await
}

/// A staff API token for the ingest routes.
pub async fn staff_token(app: &TestApp) -> String {
    let uid = app.create_user(&format!("ingest{}@op.example", rand::random::<u32>()), Role::Admin, None).await;
    app.db(move |c| portico::auth::tokens::ApiToken::create(c, uid, "ingest").unwrap().1).await
}

/// Sends a request with a bearer token and a body of the given content type.
pub async fn send(app: &TestApp, token: &str, method: &str, path: &str, ct: &str, body: &str) -> Resp {
    Browser::new(&app.base)
        .request(method, path, &[("Authorization", &format!("Bearer {token}"))], Some((body, ct)))
        .await
}

/// Argon2 hash of [`PASSWORD`], computed once per test binary.
pub fn test_hash() -> String {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| portico::auth::password::hash_blocking(PASSWORD).unwrap()).clone()
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn location(&self) -> &str {
        self.header("location").unwrap_or("")
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn csrf(&self) -> Option<String> {
        extract_attr(&self.body, "name=\"csrf_token\" value=\"")
    }
}

fn extract_attr(body: &str, marker: &str) -> Option<String> {
    let i = body.find(marker)? + marker.len();
    let j = body[i..].find('"')? + i;
    Some(body[i..j].to_string())
}

/// A browser without JavaScript: keeps its cookies (the session's and the anonymous forms'
/// CSRF nonce) and the last CSRF token seen.
pub struct Browser {
    base: String,
    client: awc::Client,
    /// `name=value` of every cookie the server set and did not remove.
    pub cookies: RefCell<Vec<(String, String)>>,
    pub csrf: RefCell<Option<String>>,
    pub user_agent: String,
}

/// Whether a cookie name is the session cookie (`portico`, or `__Host-portico` on https).
fn is_session_cookie(name: &str) -> bool {
    name == "portico" || name == "__Host-portico"
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        let client = awc::Client::builder().disable_redirects().timeout(Duration::from_secs(60)).finish();
        Browser {
            base: base.into(),
            client,
            cookies: RefCell::new(Vec::new()),
            csrf: RefCell::new(None),
            user_agent: "PorticoTest/1.0".into(),
        }
    }

    /// The session cookie (`name=value`) of this browser, to replay it elsewhere.
    pub fn cookie_value(&self) -> Option<String> {
        self.cookies.borrow().iter().find(|(n, _)| is_session_cookie(n)).map(|(n, v)| format!("{n}={v}"))
    }

    /// A browser holding only the given session cookie (`name=value`).
    pub fn with_cookie(base: &str, cookie: Option<String>) -> Browser {
        let b = Browser::new(base);
        if let Some((n, v)) = cookie.as_deref().and_then(|c| c.split_once('=')) {
            b.cookies.borrow_mut().push((n.to_string(), v.to_string()));
        }
        b
    }

    fn cookie_header(&self) -> Option<String> {
        let jar = self.cookies.borrow();
        (!jar.is_empty()).then(|| jar.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("; "))
    }

    fn store_cookie(&self, set_cookie: &str) {
        let pair = set_cookie.split(';').next().unwrap_or("");
        let Some((name, value)) = pair.split_once('=') else { return };
        let gone = value.is_empty() || set_cookie.to_ascii_lowercase().contains("max-age=0");
        let mut jar = self.cookies.borrow_mut();
        jar.retain(|(n, _)| n != name);
        if !gone {
            jar.push((name.to_string(), value.to_string()));
        }
    }

    async fn send(&self, mut req: awc::ClientRequest, body: Option<(String, &str)>) -> Resp {
        req = req.insert_header(("User-Agent", self.user_agent.clone()));
        if let Some(c) = self.cookie_header() {
            req = req.insert_header(("Cookie", c));
        }
        let res = match body {
            Some((b, ct)) => req.insert_header(("Content-Type", ct)).send_body(b).await,
            None => req.send().await,
        };
        let mut res = res.expect("request failed");
        let status = res.status().as_u16();
        let headers: Vec<(String, String)> =
            res.headers().iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string())).collect();
        for (k, v) in &headers {
            if k == "set-cookie" {
                self.store_cookie(v);
            }
        }
        let bytes = res.body().limit(64 * 1024 * 1024).await.expect("body").to_vec();
        let body = String::from_utf8_lossy(&bytes).to_string();
        let r = Resp { status, headers, body, bytes };
        if let Some(t) = r.csrf() {
            *self.csrf.borrow_mut() = Some(t);
        }
        r
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(self.client.get(self.url(path)), None).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut r = self.client.get(self.url(path));
        for (k, v) in headers {
            r = r.insert_header((k.to_string(), v.to_string()));
        }
        self.send(r, None).await
    }

    /// Posts a form with the current CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let token = self.csrf.borrow().clone().unwrap_or_default();
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.post_form_raw(path, &all).await
    }

    /// Posts a form exactly as given (no CSRF token added).
    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send(self.client.post(self.url(path)), Some((body, "application/x-www-form-urlencoded"))).await
    }

    pub async fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, &str)>,
    ) -> Resp {
        let m = awc::http::Method::from_bytes(method.as_bytes()).unwrap();
        let mut r = self.client.request(m, self.url(path));
        for (k, v) in headers {
            r = r.insert_header((k.to_string(), v.to_string()));
        }
        self.send(r, body.map(|(b, ct)| (b.to_string(), ct))).await
    }

    /// Sends raw bytes (uploads).
    pub async fn request_bytes(&self, method: &str, path: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Resp {
        let m = awc::http::Method::from_bytes(method.as_bytes()).unwrap();
        let mut r = self.client.request(m, self.url(path));
        for (k, v) in headers {
            r = r.insert_header((k.to_string(), v.to_string()));
        }
        let mut res = r.send_body(body).await.expect("request failed");
        let status = res.status().as_u16();
        let headers: Vec<(String, String)> =
            res.headers().iter().map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string())).collect();
        let bytes = res.body().limit(64 * 1024 * 1024).await.expect("body").to_vec();
        Resp { status, headers, body: String::from_utf8_lossy(&bytes).to_string(), bytes }
    }

    /// Opens the login page and signs in; returns the response to the POST.
    pub async fn login(&self, email: &str, password: &str) -> Resp {
        let page = self.get("/login").await;
        assert_eq!(page.status, 200, "login page");
        self.post_form("/login", &[("email", email), ("password", password)]).await
    }

    pub async fn login_ok(&self, email: &str, password: &str) {
        let r = self.login(email, password).await;
        assert_eq!(r.status, 303, "login of {email} failed: {}", r.body);
        // Load the landing page to pick up the new CSRF token.
        let landing = self.get(r.location()).await;
        assert_eq!(landing.status, 200, "landing page {}: {}", r.location(), landing.body);
    }
}

/// Defines a test that runs once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[actix_web::test]
            async fn sqlite() {
                let app = $crate::support::TestApp::start($crate::support::Kind::Sqlite).await.unwrap();
                super::$name(app).await;
            }
            #[actix_web::test]
            async fn postgres() {
                match $crate::support::TestApp::start($crate::support::Kind::Postgres).await {
                    Some(app) => super::$name(app).await,
                    None => eprintln!("skipped: PORTICO_TEST_POSTGRES_URL is not set"),
                }
            }
        }
    };
}

/// How many audit rows carry the action.
pub async fn audited(app: &TestApp, action: &'static str) -> i64 {
    app.db(move |c| {
        use diesel::prelude::*;
        use portico::db::schema::audit_log;
        audit_log::table.filter(audit_log::action.eq(action)).count().get_result(c).unwrap()
    })
    .await
}

/// A new invoice of the account, pushed through the API; its id.
pub async fn invoice(app: &TestApp, token: &str, account: i64, number: &str) -> i64 {
    let body = serde_json::json!({"accountId": account, "number": number, "issuedOn": "2026-03-01", "periodStart": "2026-02-01",
        "periodEnd": "2026-02-28", "dueOn": "2026-03-15", "amount": "1"});
    let r = send(app, token, "POST", "/api/v1/invoices", "application/json", &body.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["ids"][0].as_i64().unwrap()
}
