//! Sign-in under attack (SPEC §12: the attempt is counted before the password is checked, per
//! account and per client address), the second factor (SPEC §14), the customer view of
//! `/api/v1/customers` (SPEC §8) and the admin's reset of a second factor.

use diesel::prelude::*;
use portico::db::schema::{audit_log, outbox, sessions};
use portico::users::model::Role;
use serde_json::Value;

use crate::both;
use crate::support::{Browser, PASSWORD, Resp, TestApp, customer_user, staff};

fn audit_count(app_conn: &mut portico::db::DbConnection, action: &str, label: &str) -> i64 {
    audit_log::table
        .filter(audit_log::action.eq(action))
        .filter(audit_log::actor_label.eq(label))
        .count()
        .get_result(app_conn)
        .unwrap()
}

/// A browser that has the sign-in page open (its CSRF nonce and token).
async fn at_login(app: &TestApp) -> Browser {
    let b = app.browser();
    assert_eq!(b.get("/login").await.status, 200);
    b
}

async fn sixty_parallel_wrong_passwords_get_at_most_ten_checks(kind: crate::support::Kind) {
    // A pool as a server would have it, so that the attempts reach the counter at once.
    let Some(app) = TestApp::start_with(kind, |c| {
        c.db_pool_size = 16;
        c.db_timeout = std::time::Duration::from_secs(10);
        // This test is about the account's counter; the address limit has its own test.
        c.login_ip_limit = 1000;
    })
    .await
    else {
        return;
    };
    let c = app.create_customer("Target", None).await;
    app.create_user("victim@acme.example", Role::User, Some(c)).await;
    let browsers: Vec<Browser> = futures_util::future::join_all((0..60).map(|_| at_login(&app))).await;
    let answers: Vec<Resp> =
        futures_util::future::join_all(browsers.iter().map(|b| {
            b.post_form("/login", &[("email", "victim@acme.example"), ("password", "wrong password, guessed")])
        }))
        .await;
    let statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
    assert!(statuses.iter().all(|s| [401, 429, 503].contains(s)), "{statuses:?}");
    let checked = app.db(|c| audit_count(c, "login.failure", "victim@acme.example")).await;
    let refused = app.db(|c| audit_count(c, "login.refused_locked", "victim@acme.example")).await;
    assert!(checked <= 10, "{checked} passwords were checked");
    assert_eq!(statuses.iter().filter(|s| **s == 401).count() as i64, checked, "every 401 is one check");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count() as i64, refused, "every 429 was refused unchecked");
    // Busy hashing threads may answer 503 (counted, not checked); nothing else.
    let busy = statuses.iter().filter(|s| **s == 503).count() as i64;
    assert_eq!(checked + refused + busy, 60);
    assert!(refused >= 50 - busy, "{refused} refused, {busy} busy");
    // The right password is refused now, with the same message.
    let r = at_login(&app).await.post_form("/login", &[("email", "victim@acme.example"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, 429);
    assert!(r.body.contains(portico::web::login::FAILED));
    app.stop().await;
}

mod sixty_parallel_wrong_passwords {
    #[actix_web::test]
    async fn sqlite() {
        super::sixty_parallel_wrong_passwords_get_at_most_ten_checks(crate::support::Kind::Sqlite).await;
    }
    #[actix_web::test]
    async fn postgres() {
        super::sixty_parallel_wrong_passwords_get_at_most_ten_checks(crate::support::Kind::Postgres).await;
    }
}

async fn a_flood_of_random_addresses_is_refused_by_client_address(app: TestApp) {
    // Requests come from 127.0.0.1; the limit is configured low for the test.
    let limit = 50usize;
    let b = at_login(&app).await;
    let mut statuses = Vec::new();
    for i in 0..(limit + 15) {
        let email = format!("random{i}@flood.example");
        statuses.push(b.post_form("/login", &[("email", &email), ("password", "whatever password")]).await.status);
    }
    assert!(statuses[..limit].iter().all(|s| *s == 401), "{statuses:?}");
    assert!(statuses[limit..].iter().all(|s| *s == 429), "{statuses:?}");
    // Only the admitted ones were checked (one failure row each); the rest never reached argon2.
    let failures: i64 =
        app.db(|c| audit_log::table.filter(audit_log::action.eq("login.failure")).count().get_result(c).unwrap()).await;
    assert_eq!(failures, limit as i64);
    let crossed: i64 = app
        .db(|c| audit_log::table.filter(audit_log::action.eq("login.address_limited")).count().get_result(c).unwrap())
        .await;
    assert_eq!(crossed, 1, "one audit row when the address crosses its limit");
    // A real person from the same address is refused too while the window lasts.
    app.create_user("real@acme.example", Role::Admin, None).await;
    assert_eq!(b.post_form("/login", &[("email", "real@acme.example"), ("password", PASSWORD)]).await.status, 429);
}
both!(a_flood_of_random_addresses_is_refused_by_client_address);

// ---------------------------------------------------------------------------------------------
// The second factor.

fn attr(body: &str, marker: &str) -> String {
    let i = body.find(marker).unwrap_or_else(|| panic!("{marker} not in page")) + marker.len();
    let j = body[i..].find('"').unwrap() + i;
    body[i..j].to_string()
}

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// The current code of a secret, computed here (RFC 6238: HMAC-SHA1, 30 s, 6 digits) with the
/// test's own implementation; `offset` steps from now.
pub fn totp_code(secret: &str, offset: i64) -> String {
    use hmac::{Hmac, Mac};
    let key = base32_decode(secret);
    let step = (unix_now() / 30) as i64 + offset;
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&key).unwrap();
    mac.update(&(step as u64).to_be_bytes());
    let h = mac.finalize().into_bytes();
    let o = (h[19] & 0x0f) as usize;
    let n =
        (u32::from(h[o] & 0x7f) << 24) | (u32::from(h[o + 1]) << 16) | (u32::from(h[o + 2]) << 8) | u32::from(h[o + 3]);
    format!("{:06}", n % 1_000_000)
}

fn base32_decode(s: &str) -> Vec<u8> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let (mut bits, mut n, mut out) = (0u64, 0, Vec::new());
    for ch in s.trim_end_matches('=').bytes() {
        let v = A.iter().position(|x| *x == ch.to_ascii_uppercase()).expect("base32") as u64;
        bits = (bits << 5) | v;
        n += 5;
        if n >= 8 {
            out.push((bits >> (n - 8)) as u8);
            n -= 8;
        }
    }
    out
}

/// Enrols the signed-in browser's person; answers the secret and the recovery codes.
pub async fn enrol(b: &Browser) -> (String, Vec<String>) {
    let page = b.get("/account/2fa").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let secret = attr(&page.body, "data-totp-secret=\"");
    assert!(page.body.contains("src=\"data:image/svg+xml;base64,"), "the QR code is an inline SVG image");
    assert!(!page.body.contains("style=\"") && !page.body.contains("<script>"));
    let wrong = b.post_form("/account/2fa", &[("code", "000000")]).await;
    assert_eq!(wrong.status, 422);
    assert_eq!(attr(&wrong.body, "data-totp-secret=\""), secret, "the secret stays while confirming");
    let done = b.post_form("/account/2fa", &[("code", &totp_code(&secret, 0))]).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let codes: Vec<String> =
        done.body.split("data-recovery-code=\"").skip(1).map(|s| s[..s.find('"').unwrap()].to_string()).collect();
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

async fn second_factor_enrol_sign_in_recovery_codes(app: TestApp) {
    let c = app.create_customer("Acme", None).await;
    app.create_user("ann@acme.example", Role::Administrator, Some(c)).await;
    let b = app.browser();
    b.login_ok("ann@acme.example", PASSWORD).await;
    let profile = b.get("/portal/profile").await;
    assert!(profile.body.contains("data-second-factor=\"off\""));
    let (secret, codes) = enrol(&b).await;
    assert!(b.get("/portal/profile").await.body.contains("data-second-factor=\"on\""));
    let stored: Vec<String> = app
        .db(|c| {
            portico::db::schema::recovery_codes::table
                .select(portico::db::schema::recovery_codes::code_hash)
                .load(c)
                .unwrap()
        })
        .await;
    assert!(stored.iter().all(|h| !codes.contains(h)), "recovery codes are stored hashed");

    // The next sign-in needs the second step; the half-done login reaches no page.
    let b2 = app.browser();
    let r = b2.login("ann@acme.example", PASSWORD).await;
    assert_eq!((r.status, r.location()), (303, "/login/2fa"));
    for path in ["/portal", "/portal/profile", "/admin", "/account/2fa", "/api/v1/profile"] {
        let r = b2.get(path).await;
        assert!(r.status == 303 || r.status == 401, "{path} answered {} to a half-done login", r.status);
        if r.status == 303 {
            assert!(r.location().starts_with("/login"), "{path}");
        }
    }
    assert_eq!(b2.get("/login/2fa").await.status, 200);
    // A wrong code is refused and counted.
    let wrong = b2.post_form("/login/2fa", &[("code", "123456")]).await;
    assert_eq!(wrong.status, 401);
    assert_eq!(app.db(|c| audit_count(c, "login.2fa_failure", "ann@acme.example")).await, 1);
    let failures: i32 = app
        .db(|c| {
            use portico::db::schema::login_throttle;
            login_throttle::table.find("ann@acme.example").select(login_throttle::failures).first(c).unwrap()
        })
        .await;
    assert!(failures >= 2, "the password step and the wrong code are both counted ({failures})");
    // The code of the enrolment is spent (never accepted twice); the next step's completes it.
    let ok = b2.post_form("/login/2fa", &[("code", &totp_code(&secret, 1))]).await;
    assert_eq!((ok.status, ok.location()), (303, "/portal"));
    assert_eq!(b2.get("/portal").await.status, 200);

    // A recovery code works once.
    let b3 = app.browser();
    assert_eq!(b3.login("ann@acme.example", PASSWORD).await.location(), "/login/2fa");
    b3.get("/login/2fa").await;
    assert_eq!(b3.post_form("/login/2fa", &[("code", &codes[0])]).await.status, 303);
    assert_eq!(b3.get("/portal").await.status, 200);
    let b4 = app.browser();
    assert_eq!(b4.login("ann@acme.example", PASSWORD).await.location(), "/login/2fa");
    b4.get("/login/2fa").await;
    assert_eq!(b4.post_form("/login/2fa", &[("code", &codes[0])]).await.status, 401, "used once already");
    assert_eq!(b4.get("/portal").await.status, 303);

    // Turning it off needs the password (or a code).
    b.get("/account/2fa").await;
    let refused = b.post_form("/account/2fa/disable", &[("password", "not the password")]).await;
    assert_eq!(refused.status, 422);
    let off = b.post_form("/account/2fa/disable", &[("password", PASSWORD)]).await;
    assert_eq!(off.status, 303);
    let b5 = app.browser();
    assert_eq!(b5.login("ann@acme.example", PASSWORD).await.location(), "/portal");
    let enabled: i64 =
        app.db(|c| audit_log::table.filter(audit_log::action.like("2fa.%")).count().get_result(c).unwrap()).await;
    assert_eq!(enabled, 2, "2fa.enable and 2fa.disable are audited");
}
both!(second_factor_enrol_sign_in_recovery_codes);

async fn wrong_codes_lock_the_account_like_passwords(app: TestApp) {
    app.create_user("bo@op.example", Role::Manager, None).await;
    let b = app.browser();
    b.login_ok("bo@op.example", PASSWORD).await;
    enrol(&b).await;
    let b2 = app.browser();
    assert_eq!(b2.login("bo@op.example", PASSWORD).await.location(), "/login/2fa");
    b2.get("/login/2fa").await;
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(b2.post_form("/login/2fa", &[("code", "999999")]).await.status);
        if *statuses.last().unwrap() == 303 {
            break;
        }
    }
    // The password step took one count: nine wrong codes, then refusal.
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 9, "{statuses:?}");
    assert!(statuses.contains(&429), "{statuses:?}");
    assert!(app.db(|c| audit_count(c, "login.lockout", "bo@op.example")).await == 1);
    assert_eq!(
        at_login(&app).await.post_form("/login", &[("email", "bo@op.example"), ("password", PASSWORD)]).await.status,
        429
    );
}
both!(wrong_codes_lock_the_account_like_passwords);

async fn required_staff_second_factor_comes_first() {
    for kind in [crate::support::Kind::Sqlite, crate::support::Kind::Postgres] {
        let Some(app) = TestApp::start_with(kind, |c| c.require_staff_2fa = true).await else { continue };
        app.create_user("chief@op.example", Role::Admin, None).await;
        let b = app.browser();
        let r = b.login("chief@op.example", PASSWORD).await;
        assert_eq!(r.status, 303);
        for path in ["/admin", "/admin/customers", "/admin/me"] {
            let r = b.get(path).await;
            assert_eq!((r.status, r.location()), (303, "/account/2fa"), "{path}");
        }
        let api = b.get("/api/v1/customers").await;
        assert_eq!(api.status, 403);
        let page = b.get("/account/2fa").await;
        assert!(page.body.contains("id=\"twofa-required\""));
        enrol(&b).await;
        assert_eq!(b.get("/admin").await.status, 200, "enrolled: the admin area opens");
        // Customer users are not forced.
        let c = app.create_customer("Acme", None).await;
        app.create_user("cu@acme.example", Role::User, Some(c)).await;
        let cu = app.browser();
        cu.login_ok("cu@acme.example", PASSWORD).await;
        app.stop().await;
    }
}

#[actix_web::test]
async fn required_staff_second_factor() {
    required_staff_second_factor_comes_first().await;
}

async fn admin_resets_a_second_factor_audited_and_mailed(app: TestApp) {
    let c = app.create_customer("Acme", None).await;
    let uid = app.create_user("lost@acme.example", Role::User, Some(c)).await;
    let person = app.browser();
    person.login_ok("lost@acme.example", PASSWORD).await;
    enrol(&person).await;
    // A manager may not; an admin may.
    let manager = app.browser();
    app.create_user("mgr@op.example", Role::Manager, None).await;
    manager.login_ok("mgr@op.example", PASSWORD).await;
    manager.get(&format!("/admin/customers/{c}")).await;
    assert_eq!(manager.post_form(&format!("/admin/customers/{c}/users/{uid}/2fa/reset"), &[]).await.status, 403);
    let admin = app.admin().await;
    let page = admin.get(&format!("/admin/customers/{c}")).await;
    assert!(page.body.contains(&format!("/admin/customers/{c}/users/{uid}/2fa/reset")));
    let r = admin.post_form(&format!("/admin/customers/{c}/users/{uid}/2fa/reset"), &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(person.get("/portal").await.status, 303, "the person was signed out");
    assert_eq!(app.browser().login("lost@acme.example", PASSWORD).await.location(), "/portal", "no second step now");
    let (audited, mailed): (i64, Vec<String>) = app
        .db(move |c| {
            let a = audit_log::table
                .filter(audit_log::action.eq("2fa.reset"))
                .filter(audit_log::object_id.eq(uid.to_string()))
                .count()
                .get_result(c)
                .unwrap();
            let m =
                outbox::table.filter(outbox::kind.eq("second_factor_reset")).select(outbox::recipient).load(c).unwrap();
            (a, m)
        })
        .await;
    assert_eq!(audited, 1);
    assert_eq!(mailed, vec!["lost@acme.example".to_string()]);
    let left: i64 =
        app.db(move |c| sessions::table.filter(sessions::user_id.eq(Some(uid))).count().get_result(c).unwrap()).await;
    assert_eq!(left, 1, "only the sign-in made after the reset");
}
both!(admin_resets_a_second_factor_audited_and_mailed);

// ---------------------------------------------------------------------------------------------
// The customer view of /api/v1/customers.

const INTERNAL: [&str; 12] = [
    "billingSettings",
    "integrationData",
    "data",
    "tags",
    "groups",
    "referenceId",
    "accessProfileId",
    "effectiveAccessProfileId",
    "createdBy",
    "lastModifiedBy",
    "isStaging",
    "schedule",
];

async fn customer_callers_get_the_customer_view(app: TestApp) {
    let admin = staff(&app, "admin@op.example", Role::Admin).await;
    let made = admin
        .call(
            "POST",
            "/api/v1/customers",
            Some(serde_json::json!({
                "name": "Acme", "referenceId": "CRM-7", "isStaging": true,
                "data": {"segment": "gold"}, "integrationData": {"crm": {"thirdPartyId": "X-1"}},
                "overrideBillingSettings": true, "billingSettings": {"base": {"baseCost": "9.99"}},
                "companyName": "Acme Ltd", "countryCode": "DE", "phone": "+4930123",
                "overrideAppSettings": true, "appSettings": {"pageTitle": "Acme portal", "theme": "dark"}
            })),
        )
        .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let id = made.json()["id"].as_i64().unwrap();
    let full = admin.ok(&format!("/api/v1/customers/{id}")).await;
    for f in INTERNAL {
        assert!(full.get(f).is_some(), "staff keep {f}");
    }
    let user = customer_user(&app, "boss@acme.example", Role::Administrator, id).await;
    let list = user.ok("/api/v1/customers").await;
    let item = &list["items"][0];
    let one = user.ok(&format!("/api/v1/customers/{id}")).await;
    for v in [item, &one] {
        for f in INTERNAL {
            assert!(v.get(f).is_none(), "{f} must not reach a customer: {v}");
        }
        assert_eq!(v["companyName"], "Acme Ltd");
        assert_eq!(v["appSettings"]["pageTitle"], "Acme portal");
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 10, "{keys:?}");
    }
    let csv = user.get("/api/v1/customers.csv").await;
    assert_eq!(csv.status, 200);
    let header = csv.body.lines().next().unwrap();
    for f in INTERNAL {
        assert!(!header.split(',').any(|h| h == f || h.starts_with(&format!("{f}."))), "{f} in CSV header {header}");
    }
    for secret in ["CRM-7", "X-1", "9.99", "gold", "admin@op.example"] {
        assert!(!csv.body.contains(secret), "{secret} leaked into the customer CSV");
    }
    assert!(csv.body.contains("Acme Ltd"));
    // The OpenAPI document describes both shapes.
    let doc: Value = app.browser().get("/api/openapi.json").await.json();
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["CustomerView"]["properties"]["companyName"].is_object());
    assert!(schemas["CustomerView"]["properties"].get("billingSettings").is_none());
    assert!(schemas["Customer"]["properties"]["billingSettings"].is_object());
    let answer = schemas["CustomerAnswer"].to_string();
    assert!(
        answer.contains("#/components/schemas/CustomerView\"") && answer.contains("#/components/schemas/Customer\""),
        "{answer}"
    );
    let list = doc["paths"]["/api/v1/customers"]["get"]["responses"]["200"].to_string();
    assert!(list.contains("Page_CustomerAnswer"), "{list}");
    let items = schemas["Page_CustomerAnswer"]["properties"]["items"].to_string();
    assert!(items.contains("CustomerAnswer") || items.contains("CustomerView"), "{items}");
    let one = doc["paths"]["/api/v1/customers/{id}"]["get"]["responses"]["200"].to_string();
    assert!(one.contains("CustomerAnswer"), "{one}");
}
both!(customer_callers_get_the_customer_view);
