//! SPEC §7: login, sessions, throttling, CSRF, headers, redirects.

use diesel::prelude::*;
use portico::db::schema::{audit_log, sessions, users};
use portico::users::model::Role;

use crate::both;
use crate::support::{Browser, PASSWORD, TestApp};

async fn customer_user(app: &TestApp, email: &str, role: Role) -> i64 {
    let c = app.create_customer("Acme", None).await;
    app.create_user(email, role, Some(c)).await
}

async fn login_rotates_session_cookie(app: TestApp) {
    customer_user(&app, "ann@acme.example", Role::User).await;
    let b = app.browser();
    let page = b.get("/login").await;
    assert_eq!(page.status, 200);
    assert!(b.cookie_value().is_none(), "the sign-in page starts no session (§12)");
    b.login_ok("ann@acme.example", PASSWORD).await;
    let before = b.cookie_value().expect("signing in starts a session");
    // Signing in again from a signed-in browser (with its session's CSRF token) rotates the id.
    let r = b.post_form("/login", &[("email", "ann@acme.example"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/portal");
    let after = b.cookie_value().unwrap();
    assert_ne!(before, after, "the session id must change at login");
    assert_eq!(b.get("/portal").await.status, 200);
    // The pre-login cookie does not carry the login.
    let old = Browser::with_cookie(&app.base, Some(before));
    let r = old.get("/portal").await;
    assert_eq!(r.status, 303);
    assert!(r.location().starts_with("/login"));
    // Cookie attributes.
    let set = r.headers.iter().chain(page.headers.iter()).find(|(k, _)| k == "set-cookie").map(|(_, v)| v.clone());
    let set = set.unwrap_or_default();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"), "{set}");
}
both!(login_rotates_session_cookie);

async fn wrong_password_and_unknown_user_look_the_same(app: TestApp) {
    customer_user(&app, "bob@acme.example", Role::User).await;
    let b = app.browser();
    let wrong = b.login("bob@acme.example", "not the right password").await;
    let unknown = b.login("nobody@acme.example", "not the right password").await;
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, wrong.status);
    assert!(wrong.body.contains(portico::web::login::FAILED));
    assert!(unknown.body.contains(portico::web::login::FAILED));
    let strip = |s: &str| {
        s.replace(&wrong.csrf().unwrap(), "")
            .replace(&unknown.csrf().unwrap(), "")
            .replace("bob@", "X@")
            .replace("nobody@", "X@")
    };
    assert_eq!(strip(&wrong.body), strip(&unknown.body), "the two answers must not differ");
    assert!(b.get("/portal").await.status == 303, "no session after failures");
}
both!(wrong_password_and_unknown_user_look_the_same);

async fn eleventh_attempt_is_refused_even_with_right_password(app: TestApp) {
    customer_user(&app, "carl@acme.example", Role::User).await;
    let b = app.browser();
    for i in 0..10 {
        let r = b.login("carl@acme.example", "wrong password number").await;
        assert_eq!(r.status, 401, "attempt {i}");
    }
    let r = b.login("carl@acme.example", PASSWORD).await;
    assert_eq!(r.status, 429);
    assert!(r.body.contains(portico::web::login::FAILED));
    assert_eq!(b.get("/portal").await.status, 303, "not signed in");
    // Another account is not affected.
    customer_user(&app, "dora@acme.example", Role::User).await;
    let other = app.browser();
    assert_eq!(other.login("dora@acme.example", PASSWORD).await.status, 303);
    // Lockout and failures are audited.
    let actions: Vec<String> = app
        .db(|c| {
            audit_log::table
                .filter(audit_log::actor_label.eq("carl@acme.example"))
                .select(audit_log::action)
                .load(c)
                .unwrap()
        })
        .await;
    assert_eq!(actions.iter().filter(|a| *a == "login.failure").count(), 10);
    assert!(actions.contains(&"login.lockout".to_string()));
    assert!(actions.contains(&"login.refused_locked".to_string()));
}
both!(eleventh_attempt_is_refused_even_with_right_password);

async fn successful_login_resets_failure_count(app: TestApp) {
    customer_user(&app, "erin@acme.example", Role::User).await;
    let b = app.browser();
    for _ in 0..9 {
        assert_eq!(b.login("erin@acme.example", "wrong password here").await.status, 401);
    }
    assert_eq!(b.login("erin@acme.example", PASSWORD).await.status, 303);
    let b2 = app.browser();
    for _ in 0..9 {
        assert_eq!(b2.login("erin@acme.example", "wrong password here").await.status, 401);
    }
    assert_eq!(b2.login("erin@acme.example", PASSWORD).await.status, 303, "count was reset by the success");
}
both!(successful_login_resets_failure_count);

async fn logout_makes_the_old_cookie_useless(app: TestApp) {
    customer_user(&app, "fay@acme.example", Role::User).await;
    let b = app.browser();
    b.login_ok("fay@acme.example", PASSWORD).await;
    let cookie = b.cookie_value();
    let r = b.post_form("/logout", &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/login");
    let replay = Browser::with_cookie(&app.base, cookie);
    let r = replay.get("/portal/profile").await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/login?next=%2Fportal%2Fprofile");
    let left: i64 =
        app.db(|c| sessions::table.filter(sessions::user_id.is_not_null()).count().get_result(c).unwrap()).await;
    assert_eq!(left, 0, "logout deletes the session row");
}
both!(logout_makes_the_old_cookie_useless);

async fn post_without_valid_csrf_is_refused_and_changes_nothing(app: TestApp) {
    let uid = customer_user(&app, "gil@acme.example", Role::User).await;
    let b = app.browser();
    b.login_ok("gil@acme.example", PASSWORD).await;
    let missing = b.post_form_raw("/portal/profile/personal", &[("first_name", "Mallory"), ("last_name", "X")]).await;
    assert_eq!(missing.status, 403);
    let wrong = b
        .post_form_raw(
            "/portal/profile/personal",
            &[("first_name", "Mallory"), ("last_name", "X"), ("csrf_token", "forged")],
        )
        .await;
    assert_eq!(wrong.status, 403);
    let hdr = b
        .request(
            "POST",
            "/portal/profile/personal",
            &[("X-CSRF-Token", "forged")],
            Some(("first_name=Mallory", "application/x-www-form-urlencoded")),
        )
        .await;
    assert_eq!(hdr.status, 403);
    let name: String = app.db(move |c| users::table.find(uid).select(users::first_name).first(c).unwrap()).await;
    assert_eq!(name, "", "nothing changed");
    // The real token works, as a field and as the htmx header.
    let ok = b.post_form("/portal/profile/personal", &[("first_name", "Gil"), ("last_name", "Good")]).await;
    assert_eq!(ok.status, 303);
    let token = b.csrf.borrow().clone().unwrap();
    let ok = b
        .request(
            "POST",
            "/portal/profile/personal",
            &[("X-CSRF-Token", &token)],
            Some(("first_name=Gilbert&last_name=Good", "application/x-www-form-urlencoded")),
        )
        .await;
    assert_eq!(ok.status, 303);
    let name: String = app.db(move |c| users::table.find(uid).select(users::first_name).first(c).unwrap()).await;
    assert_eq!(name, "Gilbert");
    // Login itself needs the token.
    let fresh = app.browser();
    fresh.get("/login").await;
    let r = fresh.post_form_raw("/login", &[("email", "gil@acme.example"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, 403);
}
both!(post_without_valid_csrf_is_refused_and_changes_nothing);

async fn customer_user_gets_403_on_admin_and_staff_on_portal(app: TestApp) {
    customer_user(&app, "hal@acme.example", Role::Administrator).await;
    let b = app.browser();
    b.login_ok("hal@acme.example", PASSWORD).await;
    for path in ["/admin", "/admin/me"] {
        let r = b.get(path).await;
        assert_eq!(r.status, 403, "{path}");
        assert!(r.body.contains("No access"));
    }
    let staff = app.admin().await;
    assert_eq!(staff.get("/admin").await.status, 200);
    assert_eq!(staff.get("/portal").await.status, 403);
}
both!(customer_user_gets_403_on_admin_and_staff_on_portal);

async fn security_headers_on_every_response(app: TestApp) {
    let b = app.browser();
    for path in ["/login", "/does-not-exist", "/healthz", "/api/v1/nothing", "/static/app.css"] {
        let r = b.get(path).await;
        let csp = r.header("content-security-policy").unwrap_or_else(|| panic!("CSP on {path}"));
        assert!(
            csp.contains("default-src 'self'")
                && csp.contains("script-src 'self'")
                && csp.contains("frame-ancestors 'none'")
        );
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(r.header("referrer-policy"), Some("same-origin"), "{path}");
        assert!(r.header("strict-transport-security").is_none(), "no HSTS on plain http");
    }
    let login = b.get("/login").await;
    assert!(!login.body.contains("<script>") && !login.body.contains("style=\""), "no inline script or style");
    customer_user(&app, "ian@acme.example", Role::User).await;
    b.login_ok("ian@acme.example", PASSWORD).await;
    assert_eq!(b.get("/portal").await.header("cache-control"), Some("no-store"));
    let css = b.get("/static/app.css").await;
    assert!(css.header("cache-control").unwrap().contains("max-age"));
    assert!(css.header("etag").is_some());
}
both!(security_headers_on_every_response);

#[actix_web::test]
async fn https_public_url_turns_on_hsts_and_host_cookie() {
    let app = TestApp::start_with(crate::support::Kind::Sqlite, |c| {
        c.public_url = Some("https://portal.example".into());
        c.https = true;
    })
    .await
    .unwrap();
    app.create_user("hal@acme.example", Role::Admin, None).await;
    let b = app.browser();
    let r = b.get("/login").await;
    assert!(r.header("strict-transport-security").unwrap().contains("max-age=31536000"));
    let cookie = r.header("set-cookie").unwrap();
    assert!(cookie.starts_with("__Host-portico-csrf=") && cookie.contains("Secure"), "{cookie}");
    let r = b.post_form("/login", &[("email", "hal@acme.example"), ("password", PASSWORD)]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let cookie = r.header("set-cookie").unwrap();
    assert!(cookie.starts_with("__Host-portico=") && cookie.contains("Secure"), "{cookie}");
}

async fn next_redirect_is_limited_to_same_site_paths(app: TestApp) {
    customer_user(&app, "jo@acme.example", Role::User).await;
    for (next, expect) in [
        ("//evil.example/x", "/portal"),
        ("https://evil.example/", "/portal"),
        ("/\\evil.example", "/portal"),
        ("/portal/profile", "/portal/profile"),
    ] {
        let b = app.browser();
        b.get("/login").await;
        let r = b.post_form("/login", &[("email", "jo@acme.example"), ("password", PASSWORD), ("next", next)]).await;
        assert_eq!(r.status, 303);
        assert_eq!(r.location(), expect, "next={next}");
    }
    // The login page only carries a safe next along.
    let b = app.browser();
    let page = b.get("/login?next=%2F%2Fevil.example").await;
    assert!(!page.body.contains("evil.example"));
}
both!(next_redirect_is_limited_to_same_site_paths);

async fn password_change_ends_other_sessions(app: TestApp) {
    customer_user(&app, "kim@acme.example", Role::User).await;
    let a = app.browser();
    a.login_ok("kim@acme.example", PASSWORD).await;
    let other = app.browser();
    other.login_ok("kim@acme.example", PASSWORD).await;
    assert_eq!(other.get("/portal").await.status, 200);
    a.get("/portal/profile").await;
    let bad = a
        .post_form(
            "/portal/profile/password",
            &[("current_password", PASSWORD), ("new_password", "short"), ("confirm_password", "short")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("at least 12 characters"));
    let new = "a much better passphrase";
    let r = a
        .post_form(
            "/portal/profile/password",
            &[("current_password", PASSWORD), ("new_password", new), ("confirm_password", new)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(a.get("/portal/profile").await.status, 200, "this session continues");
    assert_eq!(other.get("/portal").await.status, 303, "the other session ended");
    assert_eq!(app.browser().login("kim@acme.example", PASSWORD).await.status, 401);
    assert_eq!(app.browser().login("kim@acme.example", new).await.status, 303);
}
both!(password_change_ends_other_sessions);

async fn disabled_user_is_signed_out_at_once(app: TestApp) {
    let uid = customer_user(&app, "lee@acme.example", Role::User).await;
    let b = app.browser();
    b.login_ok("lee@acme.example", PASSWORD).await;
    app.db(move |c| portico::users::User::set_disabled(c, uid, true).unwrap()).await;
    assert_eq!(b.get("/portal").await.status, 303);
    assert_eq!(app.browser().login("lee@acme.example", PASSWORD).await.status, 401);
}
both!(disabled_user_is_signed_out_at_once);

async fn idle_and_absolute_expiry(app: TestApp) {
    customer_user(&app, "max@acme.example", Role::User).await;
    let b = app.browser();
    b.login_ok("max@acme.example", PASSWORD).await;
    // Idle: the row's expiry passed.
    app.db(|c| {
        diesel::update(sessions::table)
            .set(sessions::expires_at.eq(portico::now() - chrono::Duration::seconds(1)))
            .execute(c)
            .unwrap()
    })
    .await;
    assert_eq!(b.get("/portal").await.status, 303);
    // Absolute: created more than 12 h ago, even if active.
    b.login_ok("max@acme.example", PASSWORD).await;
    app.db(|c| {
        diesel::update(sessions::table)
            .set(sessions::created_at.eq(portico::now() - chrono::Duration::hours(13)))
            .execute(c)
            .unwrap()
    })
    .await;
    assert_eq!(b.get("/portal").await.status, 303);
}
both!(idle_and_absolute_expiry);

async fn users_list_and_end_their_own_sessions(app: TestApp) {
    customer_user(&app, "ned@acme.example", Role::User).await;
    let a = app.browser();
    a.login_ok("ned@acme.example", PASSWORD).await;
    let mut other = app.browser();
    other.user_agent = "OtherDevice/2.0".into();
    other.login_ok("ned@acme.example", PASSWORD).await;
    let page = a.get("/portal/profile").await;
    assert!(page.body.contains("OtherDevice/2.0"));
    assert!(page.body.contains("this device"));
    // Find the other session's handle: the row that is not marked current.
    let rows: Vec<&str> = page.body.split("<tr data-id=\"").skip(1).collect();
    assert_eq!(rows.len(), 2);
    let other_row = rows.iter().find(|r| r.contains("OtherDevice")).unwrap();
    let handle = &other_row[..other_row.find('"').unwrap()];
    let r = a.post_form(&format!("/portal/profile/sessions/{handle}/end"), &[]).await;
    assert_eq!(r.status, 303);
    assert_eq!(other.get("/portal").await.status, 303, "ended");
    assert_eq!(a.get("/portal").await.status, 200, "still signed in");
    // Someone else's handle is not found.
    let r = a.post_form("/portal/profile/sessions/nonexistent/end", &[]).await;
    assert_eq!(r.status, 404);
}
both!(users_list_and_end_their_own_sessions);

async fn unauthenticated_html_redirects_and_api_gets_401_json(app: TestApp) {
    let b = app.browser();
    let r = b.get("/portal/profile?tab=1").await;
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/login?next=%2Fportal%2Fprofile%3Ftab%3D1");
    let r = b.get("/").await;
    assert_eq!(r.location(), "/login");
    let r = b.get("/api/v1/unknown").await;
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"]["code"], "not_found");
}
both!(unauthenticated_html_redirects_and_api_gets_401_json);
