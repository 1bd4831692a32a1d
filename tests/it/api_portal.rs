//! SPEC §8 "Customer": the portal's data through the API, with the portal's own rules.

use portico::access::Perm;
use portico::users::model::Role;
use serde_json::{Value, json};

use crate::both;
use crate::support::customer_with;
use crate::support::{Browser, Resp, TestApp};
use crate::support::{account_of, customer_token, send, staff_token};

async fn get(app: &TestApp, token: &str, path: &str) -> Resp {
    Browser::new(&app.base).get_with(path, &[("Authorization", &format!("Bearer {token}"))]).await
}

fn keys_without(off: &[&str]) -> Vec<&'static str> {
    Perm::ALL.iter().map(|p| p.key()).filter(|k| !off.contains(k)).collect()
}

fn batch(account: i64, n: usize) -> String {
    let rows: Vec<Value> = (0..n)
        .map(|i| json!({"externalId": format!("api-{i}"), "accountId": account, "direction": if i % 4 == 0 { "incoming" } else { "outgoing" },
            "timeStart": format!("2026-05-0{}T{:02}:{:02}:00Z", 1 + i % 3, i % 24, i % 60), "duration": (i % 5) * 30,
            "success": i % 5 != 0, "dstNumber": format!("4989{i:05}"), "price": "0.010000", "destinationName": "Germany"}))
        .collect();
    Value::Array(rows).to_string()
}

async fn cdrs_are_keyset_paged_and_guarded(app: TestApp) {
    let staff = staff_token(&app).await;
    let (_b, c, pid) = customer_with(
        &app,
        "api@acme.example",
        Role::Developer,
        &keys_without(&["outgoing_cdr_exports", "incoming_cdrs"]),
    )
    .await;
    let a = account_of(&app, c).await;
    assert_eq!(send(&app, &staff, "POST", "/api/v1/cdrs", "application/json", &batch(a, 120)).await.status, 200);
    let t = customer_token(&app, "api@acme.example").await;
    assert_eq!(Browser::new(&app.base).get("/api/v1/portal/cdrs?direction=outgoing").await.status, 401);
    assert_eq!(get(&app, &t, "/api/v1/portal/cdrs").await.status, 400, "direction is required");
    assert_eq!(get(&app, &t, "/api/v1/portal/cdrs?direction=incoming").await.status, 403);
    assert_eq!(
        get(&app, &t, "/api/v1/portal/cdrs?direction=outgoing&format=csv").await.status,
        403,
        "exports need their key"
    );
    let mut ids = Vec::new();
    let mut url = "/api/v1/portal/cdrs?direction=outgoing&countPerPage=40".to_string();
    loop {
        let r = get(&app, &t, &url).await;
        assert_eq!(r.status, 200, "{}", r.body);
        let v = r.json();
        ids.extend(v["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()));
        match v["nextCursor"].as_str() {
            Some(cur) => url = format!("/api/v1/portal/cdrs?direction=outgoing&countPerPage=40&cursor={cur}"),
            None => break,
        }
    }
    assert_eq!(ids.len(), 90);
    let mut d = ids.clone();
    d.sort();
    d.dedup();
    assert_eq!(d.len(), 90, "no repeats");
    let day =
        get(&app, &t, "/api/v1/portal/cdrs?direction=outgoing&from=2026-05-02&to=2026-05-03&success=true").await.json();
    assert!(
        day["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["timeStart"].as_str().unwrap().starts_with("2026-05-02") && i["success"] == true)
    );
    assert_eq!(get(&app, &t, "/api/v1/portal/cdrs?direction=outgoing&from=soon").await.status, 400);
    assert_eq!(get(&app, &t, "/api/v1/portal/cdrs?direction=outgoing&countPerPage=5000").await.status, 400);
    // With the export key, CSV in both spellings streams every row.
    let keep = keys_without(&["incoming_cdrs"]);
    app.db(move |conn| {
        let p = portico::profiles::Profile::get(conn, pid).unwrap();
        let mut i = p.input();
        i.permissions = keep.iter().map(|k| Perm::from_key(k).unwrap()).collect();
        portico::profiles::Profile::update(conn, pid, p.version, &i).map_err(|_| ()).unwrap();
    })
    .await;
    let csv = get(&app, &t, "/api/v1/portal/cdrs?direction=outgoing&format=csv").await;
    assert_eq!(csv.body.lines().count(), 91);
    let csv2 = Browser::new(&app.base)
        .get_with(
            "/api/v1/portal/cdrs?direction=outgoing",
            &[("Authorization", &format!("Bearer {t}")), ("Accept", "text/csv")],
        )
        .await;
    assert_eq!(csv2.body, csv.body);
}
both!(cdrs_are_keyset_paged_and_guarded);

async fn statistics_json_is_redacted(app: TestApp) {
    let staff = staff_token(&app).await;
    let (_b, c, _) =
        customer_with(&app, "st@acme.example", Role::User, &keys_without(&["outgoing_statistics_acd_value"])).await;
    let a = account_of(&app, c).await;
    send(&app, &staff, "POST", "/api/v1/cdrs", "application/json", &batch(a, 60)).await;
    let t = customer_token(&app, "st@acme.example").await;
    let v = get(&app, &t, "/api/v1/portal/statistics?direction=outgoing&from=2026-05-01&to=2026-05-04&sampling=day")
        .await
        .json();
    let metric = |slug: &str| v["metrics"].as_array().unwrap().iter().find(|m| m["metric"] == slug).cloned().unwrap();
    let acd = metric("acd");
    assert_eq!(acd["absolute"], false);
    assert!(acd.get("total").is_none());
    assert!(acd["points"].as_array().unwrap().iter().all(|p| p.get("value").is_none() && p.get("relative").is_some()));
    let total = metric("total_calls");
    assert_eq!(total["total"], "45");
    assert_eq!(get(&app, &t, "/api/v1/portal/statistics?direction=sideways").await.status, 400);
}
both!(statistics_json_is_redacted);

async fn billing_lists_follow_the_list_conventions(app: TestApp) {
    let staff = staff_token(&app).await;
    let (_b, c, _) = customer_with(&app, "bill@acme.example", Role::User, &keys_without(&[])).await;
    let a = account_of(&app, c).await;
    for i in 0..7 {
        send(&app, &staff, "POST", "/api/v1/transactions", "application/json", &json!({"externalId": format!("tx{i}"), "accountId": a, "amount": "1.50", "occurredAt": "2026-05-01T10:00:00Z"}).to_string()).await;
    }
    let t = customer_token(&app, "bill@acme.example").await;
    let page = get(&app, &t, "/api/v1/portal/transactions?countPerPage=3&page=3&sortOrder=Descend").await.json();
    assert_eq!(page["totalCount"], 7);
    assert_eq!(page["totalPages"], 3);
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert!(page["items"][0].get("balanceAfter").is_none(), "balances are for administrators");
    let csv = get(&app, &t, "/api/v1/portal/transactions.csv?all=true").await;
    assert_eq!(csv.body.lines().count(), 8);
    assert_eq!(get(&app, &t, "/api/v1/portal/transactions?sortField=amount").await.status, 400);
    for path in [
        "/api/v1/portal/invoices",
        "/api/v1/portal/payments",
        "/api/v1/portal/services",
        "/api/v1/portal/numbers",
        "/api/v1/portal/campaigns",
        "/api/v1/portal/rateplans",
        "/api/v1/portal/numberlists",
        "/api/v1/portal/active-calls",
    ] {
        assert_eq!(get(&app, &t, path).await.status, 200, "{path}");
    }
    // A customer without the keys gets 403 on each.
    let (_b2, _c2, _) = customer_with(&app, "none@acme.example", Role::User, &[]).await;
    let t2 = customer_token(&app, "none@acme.example").await;
    for path in [
        "/api/v1/portal/invoices",
        "/api/v1/portal/transactions",
        "/api/v1/portal/numbers",
        "/api/v1/portal/active-calls",
        "/api/v1/portal/statistics?direction=outgoing",
    ] {
        assert_eq!(get(&app, &t2, path).await.status, 403, "{path}");
    }
}
both!(billing_lists_follow_the_list_conventions);

async fn numberlist_items_through_the_api(app: TestApp) {
    let staff = staff_token(&app).await;
    let (_b, c, _) = customer_with(&app, "nl@acme.example", Role::User, &keys_without(&[])).await;
    let (_b2, c2, _) = customer_with(&app, "nl2@acme.example", Role::User, &keys_without(&[])).await;
    send(
        &app,
        &staff,
        "POST",
        "/api/v1/numberlists",
        "application/json",
        &json!({"name": "Mine", "customerIds": [c]}).to_string(),
    )
    .await;
    send(
        &app,
        &staff,
        "POST",
        "/api/v1/numberlists",
        "application/json",
        &json!({"name": "Theirs", "customerIds": [c2]}).to_string(),
    )
    .await;
    let t = customer_token(&app, "nl@acme.example").await;
    let lists = get(&app, &t, "/api/v1/portal/numberlists").await.json();
    assert_eq!(lists["items"].as_array().unwrap().len(), 1);
    let mine = lists["items"][0]["id"].as_i64().unwrap();
    let r = Browser::new(&app.base)
        .request(
            "POST",
            &format!("/api/v1/portal/numberlists/{mine}/items"),
            &[("Authorization", &format!("Bearer {t}"))],
            Some((r#"{"number": "+4990123", "note": "premium"}"#, "application/json")),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let item = r.json()["id"].as_i64().unwrap();
    let r = Browser::new(&app.base)
        .request(
            "POST",
            &format!("/api/v1/portal/numberlists/{}/items", mine + 1),
            &[("Authorization", &format!("Bearer {t}"))],
            Some((r#"{"number": "1"}"#, "application/json")),
        )
        .await;
    assert_eq!(r.status, 404, "another customer's list");
    let r = Browser::new(&app.base)
        .request(
            "DELETE",
            &format!("/api/v1/portal/numberlists/{mine}/items/{item}"),
            &[("Authorization", &format!("Bearer {t}"))],
            None,
        )
        .await;
    assert_eq!(r.status, 204);
}
both!(numberlist_items_through_the_api);
