//! The commands behind the profile, "my account", staff, sign-in and invitation pages and the
//! API, through HTTP: the page and the API are one operation, audited once with the caller's
//! address.

use diesel::prelude::*;
use portico::db::schema::audit_log;
use portico::users::model::Role;
use serde_json::{Value, json};

use crate::both;
use crate::support::{PASSWORD, TestApp, customer_user, make_profile};

/// (action, object id, source ip) of every audit row, oldest first.
async fn audit(app: &TestApp) -> Vec<(String, Option<String>, Option<String>)> {
    app.db(|c| {
        audit_log::table
            .order(audit_log::id.asc())
            .select((audit_log::action, audit_log::object_id, audit_log::source_ip))
            .load(c)
            .unwrap()
    })
    .await
}

async fn staff_use_the_same_account_commands_as_the_portal(app: TestApp) {
    let admin = app.admin().await;
    admin.get("/admin/me").await;
    let r = admin.post_form("/admin/me/personal", &[("first_name", "Root"), ("last_name", "Admin")]).await;
    assert_eq!((r.status, r.location()), (303, "/admin/me#personal"));
    let r = admin.post_form("/admin/me/personal", &[("first_name", &"x".repeat(101)), ("last_name", "")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Enter at most 100 characters."), "the field's message on the staff page");
    let r = admin.post_form("/admin/me/tokens", &[("name", "ops")]).await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("ptk_"), "the secret is shown once");
    let tid: String = app
        .db(|c| {
            use portico::db::schema::api_tokens;
            api_tokens::table.select(api_tokens::id).first::<i64>(c).unwrap().to_string()
        })
        .await;
    admin.get("/admin/me").await;
    let r = admin.post_form(&format!("/admin/me/tokens/{tid}/revoke"), &[]).await;
    assert_eq!((r.status, r.location()), (303, "/admin/me#tokens"));
    assert_eq!(admin.post_form(&format!("/admin/me/tokens/{tid}/revoke"), &[]).await.status, 404);
    let rows = audit(&app).await;
    for action in ["user.update", "token.create", "token.revoke"] {
        let row = rows.iter().find(|r| r.0 == action).unwrap_or_else(|| panic!("{action} audited: {rows:?}"));
        assert_eq!(row.2.as_deref(), Some("127.0.0.1"), "{action} carries the address");
    }
    assert_eq!(rows.iter().filter(|r| r.0 == "user.update").count(), 1, "the refused change is not audited");
}
both!(staff_use_the_same_account_commands_as_the_portal);

async fn a_token_made_on_the_page_is_listed_by_the_api_page_by_page(app: TestApp) {
    let c = app.create_customer("Dev shop", None).await;
    let api = customer_user(&app, "dev@shop.example", Role::Developer, c).await;
    let page = app.browser();
    page.login_ok("dev@shop.example", PASSWORD).await;
    page.get("/portal/profile").await;
    for name in ["zeta", "alpha"] {
        assert_eq!(page.post_form("/portal/profile/tokens", &[("name", name)]).await.status, 200);
    }
    let v = api.ok("/api/v1/profile/tokens?sortField=name&countPerPage=2").await;
    let names: Vec<&str> = v["items"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["alpha", "test"], "the API's own token is listed too: {v}");
    assert_eq!((v["totalCount"].as_i64(), v["hasMorePages"].as_bool()), (Some(3), Some(true)));
    let v = api.ok("/api/v1/profile/tokens?sortField=lastUsedAt&sortOrder=Descend").await;
    assert_eq!(v["items"][0]["name"], "test", "the token in use sorts last ascending, first descending: {v}");
    let (_, csv) = {
        let r = api.get("/api/v1/profile/tokens.csv?sortField=name").await;
        (r.status, r.body)
    };
    assert!(csv.starts_with("id,name,hint,createdAt,lastUsedAt"), "{csv}");
}
both!(a_token_made_on_the_page_is_listed_by_the_api_page_by_page);

async fn replacing_a_user_checks_every_field_and_changes_nothing_when_refused(app: TestApp) {
    let admin = crate::support::staff(&app, "admin@op.example", Role::Manager).await;
    let c = app.create_customer("Acme", None).await;
    let uid = app.create_user("ann@acme.example", Role::User, Some(c)).await;
    let path = format!("/api/v1/users/{uid}");
    let mut put = admin.ok(&path).await;
    put["email"] = json!("not an address");
    put["lang"] = json!("fr");
    put["timeZone"] = json!("Mars/Base");
    put["role"] = json!("administrator");
    let r = admin.call("PUT", &path, Some(put)).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let fields: Vec<String> =
        r.json()["error"]["details"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap().into()).collect();
    assert_eq!(fields, vec!["lang", "timeZone", "email"]);
    let now = admin.ok(&path).await;
    assert_eq!((now["role"].as_str(), now["email"].as_str()), (Some("user"), Some("ann@acme.example")));
    assert!(!audit(&app).await.iter().any(|r| r.0.starts_with("user.")), "nothing audited");
}
both!(replacing_a_user_checks_every_field_and_changes_nothing_when_refused);

async fn sign_in_and_invitations_are_audited_with_the_address(app: TestApp) {
    let c = app.create_customer("Acme", None).await;
    app.create_user("ann@acme.example", Role::User, Some(c)).await;
    let b = app.browser();
    assert_eq!(b.login("ann@acme.example", "not the right one").await.status, 401);
    b.login_ok("ann@acme.example", PASSWORD).await;
    assert_eq!(b.post_form("/logout", &[]).await.status, 303);
    // Staff add a colleague without a password: the form's blank password means "invite".
    let admin = app.admin().await;
    admin.get("/admin/staff").await;
    let r =
        admin.post_form("/admin/staff", &[("email", "new@op.example"), ("role", "manager"), ("password", "")]).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let start = r.body.find("/invitation/").expect("an invitation link");
    let link: String = r.body[start..].chars().take_while(|c| *c != '"').collect();
    let invited = app.browser();
    invited.get(&link).await;
    let pw = "my own good passphrase";
    let bad = invited.post_form(&link, &[("new_password", pw), ("confirm_password", "something else")]).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("The two passwords differ."));
    let ok = invited.post_form(&link, &[("new_password", pw), ("confirm_password", pw)]).await;
    assert_eq!((ok.status, ok.location()), (303, "/login"));
    invited.login_ok("new@op.example", pw).await;
    let rows = audit(&app).await;
    for action in ["login.failure", "login.success", "logout", "user.create", "user.invitation_accepted"] {
        let row = rows.iter().find(|r| r.0 == action).unwrap_or_else(|| panic!("{action} audited: {rows:?}"));
        assert_eq!(row.2.as_deref(), Some("127.0.0.1"), "{action} carries the address");
    }
}
both!(sign_in_and_invitations_are_audited_with_the_address);

async fn the_profile_list_pages_and_the_dashboard_counts(app: TestApp) {
    for i in 0..101 {
        make_profile(&app, &format!("P{i:03}"), &["account"]).await;
    }
    let admin = app.admin().await;
    let first = admin.get("/admin/profiles").await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body.matches("<tr data-id=").count(), 100);
    assert!(first.body.contains("href=\"/admin/profiles?page=2\" rel=\"next\""));
    let second = admin.get("/admin/profiles?page=2").await;
    assert_eq!(second.body.matches("<tr data-id=").count(), 1);
    assert!(second.body.contains(">P100<"), "by name, the last one on page 2");
    let dash = admin.get("/admin").await;
    assert!(dash.body.contains("<span class=\"stat\">101</span>"), "profiles counted");
}
both!(the_profile_list_pages_and_the_dashboard_counts);

async fn the_company_form_and_the_api_are_one_command(app: TestApp) {
    let c = app.create_customer("Acme", None).await;
    let p = make_profile(&app, "P", &["account"]).await;
    crate::support::assign(&app, c, Some(p)).await;
    let api = customer_user(&app, "boss@acme.example", Role::Administrator, c).await;
    let page = app.browser();
    page.login_ok("boss@acme.example", PASSWORD).await;
    page.get("/portal/profile").await;
    let r = page
        .post_form("/portal/profile/company", &[("company_name", "Acme"), ("country_code", "Germany"), ("phone", "")])
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("id=\"country_code\"")
            && r.body.contains("aria-invalid=\"true\" aria-describedby=\"country_code-err\"")
    );
    let r = page
        .post_form("/portal/profile/company", &[("company_name", "Acme GmbH"), ("country_code", "de"), ("phone", "")])
        .await;
    assert_eq!(r.status, 303);
    let v: Value = api.ok("/api/v1/profile").await;
    assert_eq!(
        (v["customer"]["companyName"].as_str(), v["customer"]["countryCode"].as_str()),
        (Some("Acme GmbH"), Some("DE"))
    );
    let updates: Vec<_> = audit(&app).await.into_iter().filter(|r| r.0 == "customer.company_update").collect();
    assert_eq!(updates.len(), 1, "the refused form wrote nothing");
    assert_eq!(updates[0].1, Some(c.to_string()));
}
both!(the_company_form_and_the_api_are_one_command);
