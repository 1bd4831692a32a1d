//! SPEC §4, §6: customers, groups, tags, accounts, portal users and staff in the admin area.

use diesel::prelude::*;
use portico::db::schema::customers;
use portico::users::model::Role;

use crate::both;
use crate::support::{PASSWORD, TestApp};

fn id_from(location: &str) -> i64 {
    location.rsplit('/').next().unwrap().split('#').next().unwrap().parse().unwrap()
}

async fn create_and_validate_customers(app: TestApp) {
    let admin = app.admin().await;
    admin.get("/admin/customers/new").await;
    let r = admin
        .post_form("/admin/customers", &[
            ("name", ""),
            ("country_code", "Germany"),
            ("schedule", r#"{"timeZoneId": "Mars/Base", "rules": [{"frequency": "Weekly", "startDate": "2026-01-01", "startTime": "18:00", "endTime": "09:00", "state": "Open"}]}"#),
            ("data", "{not json"),
        ])
        .await;
    assert_eq!(r.status, 422);
    for msg in [
        "1 to 200 characters",
        "two-letter ISO 3166",
        "schedule.timeZoneId",
        "schedule.rules[0].endTime",
        "Not valid JSON",
    ] {
        assert!(r.body.contains(msg), "missing message {msg}");
    }
    let n: i64 = app.db(|c| customers::table.count().get_result(c).unwrap()).await;
    assert_eq!(n, 0, "nothing created");
    let r = admin
        .post_form("/admin/customers", &[
            ("name", "Acme <Telecom>"),
            ("reference_id", "ACME-1"),
            ("country_code", "de"),
            ("phone", "+49 30 123"),
            ("override_app_settings", "on"),
            ("page_title", "Acme Portal"),
            ("theme", "dark"),
            ("string_mappings", r#"{"nav.invoices": "Bills"}"#),
            ("billing_settings", r#"{"base": {"baseCost": "10.5", "allowance": 3}}"#),
            ("schedule", r#"{"timeZoneId": "Europe/Berlin", "defaultState": "Closed", "rules": [{"frequency": "Weekly", "byDay": [{"dayOfWeek": "Monday"}], "startDate": "2026-01-01", "startTime": "09:00", "endTime": "17:00", "state": "Open"}]}"#),
            ("data", r#"{"segment": "wholesale", "lines": 40}"#),
            ("integration_data", r#"{"crm": {"thirdPartyId": "C-42"}}"#),
        ])
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let id = id_from(r.location());
    let page = admin.get(r.location()).await;
    assert!(page.body.contains("Acme &#60;Telecom&#62;"), "escaped");
    assert!(page.body.contains("value=\"DE\""), "normalised country");
    let c = app.db(move |c| portico::customers::Customer::get(c, id).unwrap()).await;
    assert_eq!(c.billing_settings["base"].base_cost, "10.500000");
    assert_eq!(c.data["lines"], 40);
    assert_eq!(c.schedule.unwrap().rules.len(), 1);
    // Reference ids are unique.
    let r = admin.post_form("/admin/customers", &[("name", "Other"), ("reference_id", "ACME-1")]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Another customer has this reference id"));
}
both!(create_and_validate_customers);

async fn hierarchy_cycles_are_refused(app: TestApp) {
    let a = app.create_customer("A", None).await;
    let b = app.create_customer("B", Some(a)).await;
    let c = app.create_customer("C", Some(b)).await;
    let admin = app.admin().await;
    let page = admin.get(&format!("/admin/customers/{c}")).await;
    assert!(
        page.body.contains(&format!("<a href=\"/admin/customers/{a}\">A</a> › <a href=\"/admin/customers/{b}\">B</a>")),
        "breadcrumb"
    );
    let r = admin.post_form(&format!("/admin/customers/{a}"), &[("name", "A"), ("parent_id", &c.to_string())]).await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("below itself or its descendants"));
    let parent: Option<i64> =
        app.db(move |conn| customers::table.find(a).select(customers::parent_id).first(conn).unwrap()).await;
    assert_eq!(parent, None);
    // A customer with children cannot be deleted.
    let r = admin.post_form(&format!("/admin/customers/{b}/delete"), &[]).await;
    assert_eq!(r.status, 409);
    let r = admin.post_form(&format!("/admin/customers/{c}/delete"), &[]).await;
    assert_eq!(r.status, 303);
    // The list filters by parent (descendants).
    let list = admin.get(&format!("/admin/customers?parent={a}")).await;
    assert!(list.body.contains(&format!("data-id=\"{b}\"")) && !list.body.contains(&format!("data-id=\"{a}\"")));
}
both!(hierarchy_cycles_are_refused);

async fn groups_tags_and_list_filters(app: TestApp) {
    let admin = app.admin().await;
    admin.get("/admin/groups").await;
    assert_eq!(admin.post_form("/admin/groups", &[("name", "Wholesale")]).await.status, 303);
    assert_eq!(admin.post_form("/admin/groups", &[("name", "Wholesale")]).await.status, 422, "unique names");
    admin.get("/admin/tags").await;
    assert_eq!(admin.post_form("/admin/tags", &[("name", "VIP"), ("color", "Gold")]).await.status, 303);
    assert_eq!(
        admin.post_form("/admin/tags", &[("name", "Bad"), ("color", "Pink")]).await.status,
        422,
        "colours from the list"
    );
    let tags = admin.get("/admin/tags").await;
    assert!(tags.body.contains("tag tag-gold"));
    let tag_id: i64 = app.db(|c| portico::customers::groups::Tag::list(c).unwrap()[0].0.id).await;
    let x = app.create_customer("Xylo", None).await;
    app.create_customer("Yak", None).await;
    admin.get(&format!("/admin/customers/{x}")).await;
    let r = admin
        .post_form(
            &format!("/admin/customers/{x}"),
            &[("name", "Xylo"), ("groups", "Wholesale"), ("tags", &tag_id.to_string())],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let by_tag = admin.get(&format!("/admin/customers?tag={tag_id}")).await;
    assert!(by_tag.body.contains("Xylo") && !by_tag.body.contains(">Yak<"));
    let by_name = admin.get("/admin/customers?q=ya").await;
    assert!(by_name.body.contains(">Yak<") && !by_name.body.contains("Xylo"));
    assert_eq!(admin.get("/admin/customers?tag=abc").await.status, 400);
}
both!(groups_tags_and_list_filters);

async fn invited_portal_user_sets_a_password(app: TestApp) {
    let c = app.create_customer("Acme", None).await;
    let admin = app.admin().await;
    admin.get(&format!("/admin/customers/{c}")).await;
    let r = admin
        .post_form(&format!("/admin/customers/{c}/users"), &[("email", "New.User@Acme.example"), ("role", "developer")])
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let start = r.body.find("/invitation/").expect("invitation link shown");
    let link: String = r.body[start..].chars().take_while(|c| *c != '"').collect();
    let b = app.browser();
    let page = b.get(&link).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("new.user@acme.example"));
    let bad = b.post_form(&link, &[("new_password", "short"), ("confirm_password", "short")]).await;
    assert_eq!(bad.status, 422);
    let ok = b
        .post_form(&link, &[("new_password", "my own good passphrase"), ("confirm_password", "my own good passphrase")])
        .await;
    assert_eq!(ok.status, 303);
    assert_eq!(b.get(&link).await.status, 422, "used links stop working");
    let u = app.browser();
    u.login_ok("new.user@acme.example", "my own good passphrase").await;
    // Staff reset: the old password stops working, a new link is handed out.
    let uid: i64 =
        app.db(|c| portico::users::User::find_by_email(c, "new.user@acme.example").unwrap().unwrap().id).await;
    let r = admin.post_form(&format!("/admin/customers/{c}/users/{uid}/reset"), &[]).await;
    assert!(r.body.contains("/invitation/"));
    assert_eq!(u.get("/portal").await.status, 303, "sessions ended");
    assert_eq!(app.browser().login("new.user@acme.example", "my own good passphrase").await.status, 401);
    // Another customer's user is not reachable through this customer.
    let other = app.create_customer("Other", None).await;
    let r = admin.post_form(&format!("/admin/customers/{other}/users/{uid}/disable"), &[]).await;
    assert_eq!(r.status, 404);
}
both!(invited_portal_user_sets_a_password);

async fn accounts_and_access_codes(app: TestApp) {
    let c = app.create_customer("Acme", None).await;
    let admin = app.admin().await;
    admin.get(&format!("/admin/customers/{c}")).await;
    let r = admin
        .post_form(
            &format!("/admin/customers/{c}/accounts"),
            &[("name", "Main"), ("currency", "eur"), ("min_balance", "-10.5"), ("capacity", "30")],
        )
        .await;
    assert_eq!(r.status, 303);
    let bad = admin
        .post_form(
            &format!("/admin/customers/{c}/accounts"),
            &[("name", "X"), ("currency", "EURO"), ("min_balance", "1.0000001")],
        )
        .await;
    assert_eq!(bad.status, 422);
    let accounts = app.db(move |conn| portico::customers::accounts::Account::for_customer(conn, c).unwrap()).await;
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].currency, "EUR");
    assert_eq!(accounts[0].min_balance, -10_500_000);
    let r = admin
        .post_form(&format!("/admin/customers/{c}/access-codes"), &[("label", "Trunk"), ("private_master", "pm")])
        .await;
    assert_eq!(r.status, 303);
    let page = admin.get(&format!("/admin/customers/{c}")).await;
    assert!(page.body.contains("<code>pm</code>"));
}
both!(accounts_and_access_codes);

async fn admins_manage_staff(app: TestApp) {
    let admin = app.admin().await;
    admin.get("/admin/staff").await;
    let r = admin
        .post_form(
            "/admin/staff",
            &[("email", "mgr@op.example"), ("role", "manager"), ("password", "manager password 1")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let bad = admin.post_form("/admin/staff", &[("email", "x@op.example"), ("role", "administrator")]).await;
    assert_eq!(bad.status, 422, "customer roles are not staff roles");
    let m = app.browser();
    m.login_ok("mgr@op.example", "manager password 1").await;
    let uid: i64 = app.db(|c| portico::users::User::find_by_email(c, "mgr@op.example").unwrap().unwrap().id).await;
    admin.get("/admin/staff").await;
    assert_eq!(admin.post_form(&format!("/admin/staff/{uid}/disable"), &[]).await.status, 303);
    assert_eq!(m.get("/admin").await.status, 303, "signed out at once");
    let _ = Role::Manager;
    let _ = PASSWORD;
}
both!(admins_manage_staff);

async fn staff_choose_the_numberlists_a_customer_manages(app: TestApp) {
    let (b, c, _) = crate::support::customer_with(&app, "nl@acme.example", Role::User, &["outgoing_numberlists"]).await;
    let list = app
        .db(|conn| {
            portico::numberlists::numberlist_in(
                conn,
                portico::numberlists::NumberlistIn {
                    name: "Blocked".into(),
                    kind: "blocklist".into(),
                    description: String::new(),
                    customer_ids: vec![],
                    items: vec![],
                },
            )
            .unwrap()
        })
        .await;
    assert!(!b.get("/portal/numberlists").await.body.contains("Blocked"));
    let admin = app.admin().await;
    let page = admin.get(&format!("/admin/customers/{c}")).await;
    assert!(page.body.contains(&format!("name=\"numberlists\" value=\"{list}\"")));
    let r = admin.post_form(&format!("/admin/customers/{c}/numberlists"), &[("numberlists", &list.to_string())]).await;
    assert_eq!(r.status, 303);
    assert!(b.get("/portal/numberlists").await.body.contains("Blocked"));
    assert_eq!(
        admin.post_form(&format!("/admin/customers/{c}/numberlists"), &[("numberlists", "99999")]).await.status,
        422
    );
    assert_eq!(admin.post_form(&format!("/admin/customers/{c}/numberlists"), &[]).await.status, 303);
    assert_eq!(b.post_form(&format!("/portal/numberlists/{list}/items"), &[("number", "123")]).await.status, 404);
}
both!(staff_choose_the_numberlists_a_customer_manages);
