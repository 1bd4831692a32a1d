//! One operation, one place: the admin pages and the API write customers, accounts, access
//! codes and the company profile through the same commands, and so leave the same audit rows.

use diesel::prelude::*;
use portico::db::schema::{audit_log, customers};
use portico::users::model::Role;
use serde_json::{Value, json};

use crate::both;
use crate::support::{PASSWORD, TestApp, account_of, assign, customer_user, staff};

/// The diffs of an action's audit rows, oldest first, with the actor's label.
async fn diffs(app: &TestApp, action: &'static str) -> Vec<(String, Value)> {
    let rows: Vec<(String, Option<String>)> = app
        .db(move |c| {
            audit_log::table
                .filter(audit_log::action.eq(action))
                .order(audit_log::id.asc())
                .select((audit_log::actor_label, audit_log::diff))
                .load(c)
                .unwrap()
        })
        .await;
    rows.into_iter()
        .map(|(who, d)| (who, d.and_then(|d| serde_json::from_str(&d).ok()).unwrap_or(Value::Null)))
        .collect()
}

/// A signed-in staff admin with a known e-mail address.
async fn admin_named(app: &TestApp, email: &str) -> crate::support::Browser {
    app.create_user(email, Role::Admin, None).await;
    let b = app.browser();
    b.login_ok(email, PASSWORD).await;
    b
}

async fn accounts_and_codes_audit_alike_from_page_and_api(app: TestApp) {
    let page = admin_named(&app, "page@op.example").await;
    let api = staff(&app, "api@op.example", Role::Manager).await;
    let c = app.create_customer("Acme", None).await;
    let a = account_of(&app, c).await;
    page.get(&format!("/admin/customers/{c}")).await;
    let r = page
        .post_form(
            &format!("/admin/customers/{c}/accounts/{a}"),
            &[("name", "From page"), ("currency", "EUR"), ("capacity", "10")],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut put = api.ok(&format!("/api/v1/accounts/{a}")).await;
    put["name"] = json!("From API");
    assert_eq!(api.call("PUT", &format!("/api/v1/accounts/{a}"), Some(put)).await.status, 200);
    let rows = diffs(&app, "account.update").await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0], ("page@op.example".into(), json!({"name": {"before": "Main", "after": "From page"}})));
    assert_eq!(rows[1], ("api@op.example".into(), json!({"name": {"before": "From page", "after": "From API"}})));
    // Access codes: the same row for a code added on the page and one added through the API.
    let r = page.post_form(&format!("/admin/customers/{c}/access-codes"), &[("label", "Page code")]).await;
    assert_eq!(r.status, 303);
    let r = api.call("POST", &format!("/api/v1/customers/{c}/access-codes"), Some(json!({"label": "API code"}))).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let rows: Vec<Value> = diffs(&app, "access_code.create").await.into_iter().map(|r| r.1).collect();
    assert_eq!(
        rows,
        vec![
            json!({"label": {"after": "Page code"}, "customerId": {"after": c}}),
            json!({"label": {"after": "API code"}, "customerId": {"after": c}}),
        ]
    );
    // A code of another customer cannot be deleted through this one.
    let other = app.create_customer("Other", None).await;
    let code = r.json()["id"].as_i64().unwrap();
    assert_eq!(page.post_form(&format!("/admin/customers/{other}/access-codes/{code}/delete"), &[]).await.status, 404);
    assert!(diffs(&app, "access_code.delete").await.is_empty());
}
both!(accounts_and_codes_audit_alike_from_page_and_api);

async fn customer_updates_audit_alike_and_strand_no_profile(app: TestApp) {
    let page = admin_named(&app, "page@op.example").await;
    let api = staff(&app, "api@op.example", Role::Manager).await;
    let a = app.create_customer("A", None).await;
    let b = app.create_customer("B", Some(a)).await;
    let for_a = app
        .db(move |c| {
            use portico::profiles::model::{RawProfile, validate};
            let raw = RawProfile {
                name: "A only".into(),
                availability: "customer".into(),
                customer_id: Some(a.to_string()),
                permissions: vec!["account".into()],
                ..Default::default()
            };
            portico::profiles::Profile::create(c, &validate(&raw).unwrap()).unwrap().id
        })
        .await;
    assign(&app, b, Some(for_a)).await;
    page.get(&format!("/admin/customers/{b}")).await;
    // Moving B to the top level would leave its profile unavailable: refused, nothing written.
    let r = page.post_form(&format!("/admin/customers/{b}"), &[("name", "B moved"), ("parent_id", "")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("is not available to the customer after this change"), "{}", r.body);
    let row: (String, Option<i64>) = app
        .db(move |c| customers::table.find(b).select((customers::name, customers::parent_id)).first(c).unwrap())
        .await;
    assert_eq!(row, ("B".to_string(), Some(a)));
    assert!(diffs(&app, "customer.update").await.is_empty());
    // A rename on the page and one through the API: the same kind of row, without the profile.
    let r = page.post_form(&format!("/admin/customers/{b}"), &[("name", "B2"), ("parent_id", &a.to_string())]).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let mut put = api.ok(&format!("/api/v1/customers/{b}")).await;
    assert_eq!(
        (put["lastModifiedBy"].as_str(), put["accessProfileId"].as_i64()),
        (Some("page@op.example"), Some(for_a))
    );
    put["name"] = json!("B3");
    assert_eq!(api.call("PUT", &format!("/api/v1/customers/{b}"), Some(put)).await.status, 200);
    let rows = diffs(&app, "customer.update").await;
    assert_eq!(rows.len(), 2);
    for ((who, d), (name, before_label)) in rows.iter().zip([("B2", "system"), ("B3", "page@op.example")]) {
        assert_eq!(d["name"]["after"], name, "{d}");
        assert_eq!(d["lastModifiedBy"], json!({"before": before_label, "after": who}), "{d}");
        assert!(d.get("accessProfileId").is_none() && d.get("effectiveAccessProfileId").is_none(), "{d}");
    }
    assert_eq!(diffs(&app, "customer.assign_profile").await.len(), 1, "only the fixture's assignment");
}
both!(customer_updates_audit_alike_and_strand_no_profile);

async fn company_profile_audits_alike_from_portal_and_api(app: TestApp) {
    let c = app.create_customer("Acme", None).await;
    let api = customer_user(&app, "api-admin@acme.example", Role::Administrator, c).await;
    app.create_user("page-admin@acme.example", Role::Administrator, Some(c)).await;
    let b = app.browser();
    b.login_ok("page-admin@acme.example", PASSWORD).await;
    b.get("/portal/profile").await;
    let form = [("company_name", "Acme Ltd"), ("country_code", "de"), ("phone", "+49 30 1")];
    assert_eq!(b.post_form("/portal/profile/company", &form).await.status, 303);
    let r = api.call("PUT", "/api/v1/profile", Some(json!({"phone": "+49 30 2"}))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Only personal data: no company row.
    assert_eq!(api.call("PUT", "/api/v1/profile", Some(json!({"firstName": "Ann"}))).await.status, 200);
    let rows = diffs(&app, "customer.company_update").await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0].0, "page-admin@acme.example");
    assert_eq!(rows[0].1["countryCode"], json!({"before": "", "after": "DE"}));
    assert_eq!(
        rows[1],
        (
            "api-admin@acme.example".into(),
            json!({"phone": {"before": "+49 30 1", "after": "+49 30 2"}, "lastModifiedBy": {"before": "page-admin@acme.example", "after": "api-admin@acme.example"}})
        )
    );
}
both!(company_profile_audits_alike_from_portal_and_api);
