//! Real-browser tests: headless Chromium driven through chromedriver with fantoccini.
//! They need `chromium` and `chromedriver` on the PATH; without them they are skipped, unless
//! `PORTICO_TEST_REQUIRE_BROWSER=1` (CI) turns that into a failure. Each test stores
//! screenshots under `target/screenshots/`.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use portico::users::model::Role;

use crate::support::{Kind, PASSWORD, TestApp};

pub struct Driver {
    child: Child,
    pub client: Client,
    pub base: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn have(cmd: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {cmd}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

impl Driver {
    /// Starts chromedriver and a headless Chromium session, or None (skip) without them.
    pub async fn start(base: &str) -> Option<Driver> {
        if !have("chromedriver") || !(have("chromium") || have("chromium-browser")) {
            if std::env::var("PORTICO_TEST_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
                panic!("PORTICO_TEST_REQUIRE_BROWSER=1 but chromium/chromedriver are not installed");
            }
            eprintln!("skipped: chromium and chromedriver are not installed");
            return None;
        }
        let port = free_port();
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let dir = tempfile::tempdir().unwrap().keep();
        let caps: serde_json::Map<String, serde_json::Value> = serde_json::from_value(serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": if have("chromium") { "/usr/bin/chromium" } else { "/usr/bin/chromium-browser" },
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--no-first-run", "--window-size=1280,900", format!("--user-data-dir={}", dir.display())]
            }
        }))
        .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let mut last = None;
        for _ in 0..150 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector).capabilities(caps.clone()).connect(&url).await {
                Ok(client) => return Some(Driver { child, client, base: base.to_string() }),
                Err(e) => {
                    last = Some(e);
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
        panic!("could not start a browser session: {last:?}");
    }

    pub async fn goto(&self, path: &str) {
        self.client.goto(&format!("{}{}", self.base, path)).await.unwrap();
    }

    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    pub async fn login(&self, email: &str, password: &str) {
        self.goto("/login").await;
        self.client.find(Locator::Css("#email")).await.unwrap().send_keys(email).await.unwrap();
        self.client.find(Locator::Css("#password")).await.unwrap().send_keys(password).await.unwrap();
        self.client
            .find(Locator::Css("form[action='/login'] button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        self.wait_for(|| async { !self.client.current_url().await.unwrap().path().starts_with("/login") }).await;
    }

    pub async fn logout(&self) {
        self.client.find(Locator::Css("details.usermenu summary")).await.unwrap().click().await.unwrap();
        self.client.find(Locator::Css("form[action='/logout'] button")).await.unwrap().click().await.unwrap();
        self.wait_for(|| async { self.client.current_url().await.unwrap().path().starts_with("/login") }).await;
    }

    pub async fn html(&self) -> String {
        self.client.source().await.unwrap()
    }

    pub async fn wait_for<F, Fut>(&self, cond: F)
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        // Generous: CI runs these beside the rest of the suite on two cores.
        for _ in 0..300 {
            if cond().await {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!(
            "condition not met in time; page: {}",
            self.client.current_url().await.map(|u| u.to_string()).unwrap_or_default()
        );
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// Admin unticks a section with the in-place htmx toggle; the customer's portal loses it.
#[actix_web::test]
async fn admin_unticks_a_section_and_the_portal_changes() {
    let app = TestApp::start(Kind::Sqlite).await.unwrap();
    let Some(d) = Driver::start(&app.base).await else { return };
    let c = app.create_customer("Acme", None).await;
    let pid = app
        .db(move |conn| {
            let input = portico::profiles::model::validate(&portico::profiles::model::RawProfile {
                name: "Wholesale".into(),
                availability: "all".into(),
                permissions: vec!["account".into(), "invoices".into(), "payments".into()],
                ..Default::default()
            })
            .unwrap();
            let p = portico::profiles::Profile::create(conn, &input).unwrap();
            let actor = portico::audit::Actor::system();
            portico::access::assignments::assign_profile(conn, &actor, c, Some(p.id)).unwrap();
            p.id
        })
        .await;
    app.create_user("ann@acme.example", Role::User, Some(c)).await;
    app.create_user("root@op.example", Role::Admin, None).await;

    d.login("ann@acme.example", PASSWORD).await;
    assert!(d.html().await.contains("data-section=\"invoices\""));
    d.screenshot("portal-dashboard").await;
    d.logout().await;

    d.login("root@op.example", PASSWORD).await;
    d.goto(&format!("/admin/profiles/{pid}")).await;
    d.screenshot("admin-profile-form").await;
    d.client.find(Locator::Css("#perm-invoices")).await.unwrap().click().await.unwrap();
    // Saved in place: the partial comes back with the next version.
    d.wait_for(|| async { d.html().await.contains("version 2") }).await;
    let checked = d.client.find(Locator::Css("#perm-invoices")).await.unwrap().prop("checked").await.unwrap();
    assert_eq!(checked.as_deref(), Some("false"));
    d.screenshot("admin-profile-toggled").await;
    d.logout().await;

    d.login("ann@acme.example", PASSWORD).await;
    let html = d.html().await;
    assert!(!html.contains("data-section=\"invoices\""), "the section left the navigation");
    assert!(html.contains("data-section=\"payments\""));
    d.goto("/portal/invoices").await;
    assert!(d.html().await.contains("No access"));
    d.close().await;
}

/// A walk through the demo data's key pages at desktop and phone width, with screenshots.
#[actix_web::test]
async fn tour_of_key_pages() {
    let app = TestApp::start(Kind::Sqlite).await.unwrap();
    let Some(d) = Driver::start(&app.base).await else { return };
    let rec = app.prepared.state.config.recordings_dir.clone();
    let logins = app
        .db(move |c| {
            let l = portico::demo::seed(c).unwrap();
            portico::demo::seed_traffic(c, &rec, 20_000, &mut |_, _| {}).unwrap();
            l
        })
        .await;
    let pw = |email: &str| logins.iter().find(|l| l.email == email).unwrap().password.clone();

    d.login("admin@portico.example", &pw("admin@portico.example")).await;
    for (path, shot, marker) in [
        ("/admin", "admin-dashboard", "Recent activity"),
        ("/admin/customers", "admin-customers", "data-table=\"customers\""),
        ("/admin/profiles", "admin-profiles", "data-table=\"profiles\""),
    ] {
        d.goto(path).await;
        assert!(d.html().await.contains(marker), "{path}");
        d.screenshot(shot).await;
    }
    d.goto("/admin/customers").await;
    d.client.find(Locator::LinkText("Acme Telecom")).await.unwrap().click().await.unwrap();
    d.wait_for(|| async { d.html().await.contains("Effective:") }).await;
    d.screenshot("admin-customer").await;
    d.logout().await;

    d.login("alice@acme.example", &pw("alice@acme.example")).await;
    assert!(d.html().await.contains("data-section=\"outgoing_cdrs\""));
    d.screenshot("portal-dashboard-wholesale").await;
    for (path, shot, marker) in [
        ("/portal/cdrs/outgoing", "portal-cdrs", "data-table=\"cdrs\""),
        ("/portal/statistics/outgoing", "portal-statistics", "data-metric=\"asr\""),
        ("/portal/invoices", "portal-invoices", "data-table=\"invoices\""),
        ("/portal/rateplans", "portal-rateplans", "data-table=\"rates\""),
        ("/portal/active-calls", "portal-active-calls", "data-table=\"active-calls\""),
        ("/portal/campaigns", "portal-campaigns", "data-table=\"campaigns\""),
        ("/portal/profile", "portal-profile", "Company profile"),
    ] {
        d.goto(path).await;
        assert!(d.html().await.contains(marker), "{path}");
        d.screenshot(shot).await;
    }
    d.client.set_window_size(390, 844).await.unwrap();
    d.goto("/portal").await;
    d.screenshot("portal-dashboard-phone").await;
    d.close().await;
}

async fn customer_with_traffic(app: &TestApp) -> (String, String) {
    let rec = app.prepared.state.config.recordings_dir.clone();
    let logins = app
        .db(move |c| {
            let l = portico::demo::seed(c).unwrap();
            portico::demo::seed_traffic(c, &rec, 5_000, &mut |_, _| {}).unwrap();
            l
        })
        .await;
    let alice = logins.iter().find(|l| l.email == "alice@acme.example").unwrap();
    (alice.email.clone(), alice.password.clone())
}

/// Statistics draw SVG charts; the CDR filter narrows the rows in place with htmx.
#[actix_web::test]
async fn charts_render_and_htmx_filters_narrow_cdrs() {
    let app = TestApp::start(Kind::Sqlite).await.unwrap();
    let Some(d) = Driver::start(&app.base).await else { return };
    let (email, pw) = customer_with_traffic(&app).await;
    d.login(&email, &pw).await;
    d.goto("/portal/statistics/outgoing").await;
    let bars = d.client.find_all(Locator::Css("section[data-metric='total_calls'] svg.chart rect.bar")).await.unwrap();
    assert!(bars.len() >= 20, "a bar per day: {}", bars.len());
    let lines = d.client.find_all(Locator::Css("section[data-metric='acd'] svg.chart polyline")).await.unwrap();
    assert!(!lines.is_empty());
    let rect =
        d.client.find(Locator::Css("section[data-metric='asr'] svg.chart")).await.unwrap().rectangle().await.unwrap();
    assert!(rect.2 > 200.0 && rect.3 > 50.0, "the chart is drawn at a visible size: {rect:?}");
    d.screenshot("statistics-charts").await;

    d.goto("/portal/cdrs/outgoing").await;
    let count = || async { d.client.find_all(Locator::Css("#cdr-rows tr[data-id]")).await.unwrap().len() };
    assert_eq!(count().await, 50);
    let first_dst =
        d.client.find(Locator::Css("#cdr-rows tr[data-id] td:nth-child(3)")).await.unwrap().text().await.unwrap();
    let prefix: String = first_dst.chars().take(6).collect();
    let url_before = d.client.current_url().await.unwrap();
    d.client.find(Locator::Css("input[name='number']")).await.unwrap().send_keys(&prefix).await.unwrap();
    d.client.find(Locator::Css("select[name='success']")).await.unwrap().click().await.unwrap();
    d.client
        .execute(
            "document.querySelector('input[name=number]').dispatchEvent(new Event('change', {bubbles: true}))",
            vec![],
        )
        .await
        .unwrap();
    d.wait_for(|| async { count().await < 50 }).await;
    // The number filter matches the start of either party's number: every row left must.
    let parties: Vec<(String, String)> = {
        let mut v = Vec::new();
        for row in d.client.find_all(Locator::Css("#cdr-rows tr[data-id]")).await.unwrap() {
            let src = row.find(Locator::Css("td:nth-child(2)")).await.unwrap().text().await.unwrap();
            let dst = row.find(Locator::Css("td:nth-child(3)")).await.unwrap().text().await.unwrap();
            v.push((src, dst));
        }
        v
    };
    assert!(!parties.is_empty(), "the filter keeps the row it was taken from");
    assert!(parties.iter().all(|(s, d)| s.starts_with(&prefix) || d.starts_with(&prefix)), "{prefix}: {parties:?}");
    assert_eq!(d.client.current_url().await.unwrap(), url_before, "narrowed in place, no navigation");
    d.screenshot("cdrs-filtered").await;
    d.close().await;
}

/// The crypto top-up from the portal to the provider's page, settled by the webhook.
#[actix_web::test]
async fn crypto_top_up_flow_against_the_fake_provider() {
    let (fake, seen) = crate::topups::fake_cryptomus().await;
    let app = TestApp::start_with(Kind::Sqlite, |c| {
        c.cryptomus = Some(portico::config::CryptomusConfig {
            merchant: "8b03432e-385b-4670-8d06-064591096795".into(),
            key: "fake-payment-key".into(),
            base_url: fake.clone(),
            timeout: std::time::Duration::from_secs(20),
        });
    })
    .await
    .unwrap();
    let Some(d) = Driver::start(&app.base).await else { return };
    let (email, pw) = customer_with_traffic(&app).await;
    d.login(&email, &pw).await;
    d.goto("/portal/payments").await;
    d.client.find(Locator::Css("a[href='/portal/payments/new']")).await.unwrap().click().await.unwrap();
    d.wait_for(|| async { d.html().await.contains("name=\"amount\"") }).await;
    d.client.find(Locator::Css("#amount")).await.unwrap().send_keys("42.00").await.unwrap();
    d.screenshot("topup-form").await;
    d.client
        .find(Locator::Css("form[action='/portal/payments/new'] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    d.wait_for(|| async { d.client.current_url().await.unwrap().as_str().starts_with(&fake) }).await;
    assert!(d.html().await.contains("Pay invoice uuid-1"));
    let order = seen.lock().unwrap().requests[0]["order_id"].as_str().unwrap().to_string();
    let r = crate::support::Browser::new(&app.base)
        .request(
            "POST",
            "/webhooks/cryptomus",
            &[],
            Some((&crate::topups::webhook(&order, "uuid-1", "42.00", "EUR", "paid"), "application/json")),
        )
        .await;
    assert_eq!(r.status, 200);
    d.goto("/portal/payments/new").await;
    assert!(d.html().await.contains("<td data-field=\"status\">Paid</td>"));
    d.screenshot("topup-paid").await;
    d.close().await;
}

/// A person switches the portal to German, then to Russian, on the profile page.
#[actix_web::test]
async fn language_switch_on_the_profile_page() {
    let app = TestApp::start(Kind::Sqlite).await.unwrap();
    let Some(d) = Driver::start(&app.base).await else { return };
    let (email, pw) = customer_with_traffic(&app).await;
    d.login(&email, &pw).await;
    assert!(d.html().await.contains(">Dashboard<"));
    for (lang, dashboard, invoices) in [("de", "Übersicht", "Rechnungen"), ("ru", "Обзор", "Счета на оплату")]
    {
        d.goto("/portal/profile").await;
        d.client.execute(&format!("document.getElementById('lang').value = '{lang}';"), vec![]).await.unwrap();
        d.client
            .find(Locator::Css("form[action='/portal/profile/settings'] button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        d.wait_for(|| async { d.html().await.contains(&format!("<html lang=\"{lang}\"")) }).await;
        d.goto("/portal").await;
        let html = d.html().await;
        assert!(html.contains(dashboard) && html.contains(invoices), "{lang}");
        d.screenshot(&format!("portal-dashboard-{lang}")).await;
    }
    d.close().await;
}
