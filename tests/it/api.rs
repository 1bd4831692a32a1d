//! SPEC §8: the JSON API under /api/v1 — credentials and roles, list conventions on real rows,
//! CSV in its three spellings, error bodies, optimistic concurrency, tokens, audit.

use diesel::prelude::*;
use portico::db::schema::{access_profiles, audit_log};
use portico::users::model::Role;
use serde_json::{Value, json};

use crate::both;
use crate::support::{Api, assign, customer_user, make_profile, staff};
use crate::support::{Resp, TestApp};

fn ids(v: &Value) -> Vec<i64> {
    v["items"].as_array().unwrap_or_else(|| panic!("no items: {v}")).iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

/// Checks the SPEC §8 error body and returns it.
fn error_of(r: &Resp, status: u16, code: &str) -> Value {
    assert_eq!(r.status, status, "expected {status} {code}: {}", r.body);
    assert!(r.header("content-type").unwrap_or("").starts_with("application/json"), "{:?}", r.headers);
    let v = r.json();
    let e = &v["error"];
    assert_eq!(e["code"], code, "{v}");
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    if let Some(details) = e.get("details") {
        for d in details.as_array().unwrap() {
            assert!(d["field"].is_string() && d["message"].is_string(), "{v}");
        }
    }
    v
}

fn field_named(v: &Value, field: &str) -> bool {
    v["error"]["details"].as_array().is_some_and(|d| d.iter().any(|x| x["field"] == field))
}

async fn audit_actions(app: &TestApp) -> Vec<(String, Option<String>)> {
    app.db(|c| {
        audit_log::table.order(audit_log::id.asc()).select((audit_log::action, audit_log::object_id)).load(c).unwrap()
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// Credentials, roles, the route table

async fn credentials_and_routing(app: TestApp) {
    let b = app.browser();
    let r = b.get("/api/v1/customers").await;
    error_of(&r, 401, "unauthorized");
    assert!(r.header("www-authenticate").is_some_and(|h| h.starts_with("Bearer")));
    for auth in ["Bearer ptk_not-a-token", "Bearer ", "Basic YTpi", "ptk_raw"] {
        let r = b.request("GET", "/api/v1/customers", &[("Authorization", auth)], None).await;
        error_of(&r, 401, "unauthorized");
    }
    let r = b.request("POST", "/api/v1/tags", &[], Some((r#"{"name":"x","color":"Red"}"#, "application/json"))).await;
    error_of(&r, 401, "unauthorized");
    let admin = staff(&app, "root@op.example", Role::Admin).await;
    error_of(&admin.get("/api/v1/nothing-here").await, 404, "not_found");
    error_of(&admin.get("/api/v1/customers/1.csv").await, 404, "not_found");
    error_of(&admin.get("/api/v1/customers/abc").await, 404, "not_found");
    error_of(&admin.get("/api/v1/customers/99999").await, 404, "not_found");
    let r = admin.call("PATCH", "/api/v1/customers", None).await;
    assert_eq!(r.status, 405, "{}", r.body);
    assert_eq!(r.header("allow"), Some("GET, POST"));
    assert_eq!(r.json()["error"]["code"], "bad_request");
    // A disabled user's token stops working on the next request.
    let c = app.create_customer("Acme", None).await;
    let u = customer_user(&app, "dis@acme.example", Role::Administrator, c).await;
    assert_eq!(u.get("/api/v1/profile").await.status, 200);
    let uid = app.db(|c| portico::users::User::find_by_email(c, "dis@acme.example").unwrap().unwrap().id).await;
    app.db(move |c| portico::users::User::set_disabled(c, uid, true).unwrap()).await;
    error_of(&u.get("/api/v1/profile").await, 401, "unauthorized");
}
both!(credentials_and_routing);

async fn roles_decide_what_each_caller_reaches(app: TestApp) {
    let admin = staff(&app, "admin@op.example", Role::Admin).await;
    let manager = staff(&app, "manager@op.example", Role::Manager).await;
    let c = app.create_customer("Acme", None).await;
    let cust = customer_user(&app, "boss@acme.example", Role::Administrator, c).await;
    let body = json!({"name": "Silver", "permissions": ["account"]});
    // Managers read profiles but may not write them (SPEC §1).
    assert_eq!(manager.get("/api/v1/access-profiles").await.status, 200);
    assert_eq!(manager.get("/api/v1/permissions").await.status, 200);
    error_of(&manager.call("POST", "/api/v1/access-profiles", Some(body.clone())).await, 403, "forbidden");
    let created = admin.call("POST", "/api/v1/access-profiles", Some(body)).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let p = created.json();
    let pid = p["id"].as_i64().unwrap();
    assert_eq!(created.header("location"), Some(format!("/api/v1/access-profiles/{pid}").as_str()));
    assert_eq!(manager.get(&format!("/api/v1/access-profiles/{pid}")).await.status, 200);
    error_of(&manager.call("PUT", &format!("/api/v1/access-profiles/{pid}"), Some(p.clone())).await, 403, "forbidden");
    error_of(&manager.call("DELETE", &format!("/api/v1/access-profiles/{pid}"), None).await, 403, "forbidden");
    assert_eq!(admin.get(&format!("/api/v1/access-profiles/{pid}")).await.json()["version"], 1, "nothing changed");
    // Managers do manage customers, groups and tags.
    let r = manager.call("POST", "/api/v1/tags", Some(json!({"name": "VIP", "color": "Gold"}))).await;
    assert_eq!(r.status, 201, "{}", r.body);
    // A customer user never reaches staff routes (but GET /customers is theirs too).
    for (m, path) in [
        ("GET", "/api/v1/access-profiles".to_string()),
        ("GET", "/api/v1/permissions".to_string()),
        ("GET", "/api/v1/tags".to_string()),
        ("POST", "/api/v1/customers".to_string()),
        ("PUT", format!("/api/v1/customers/{c}")),
        ("DELETE", format!("/api/v1/customers/{c}")),
        ("GET", format!("/api/v1/customers/{c}/users")),
        ("GET", format!("/api/v1/customers/{c}/accounts")),
    ] {
        let body = if m == "GET" || m == "DELETE" { None } else { Some(json!({"name": "x"})) };
        error_of(&cust.call(m, &path, body).await, 403, "forbidden");
    }
    assert_eq!(cust.get("/api/v1/customers").await.status, 200);
    // Staff have no portal profile.
    error_of(&admin.get("/api/v1/profile").await, 403, "forbidden");
    error_of(&manager.get("/api/v1/profile/tokens").await, 403, "forbidden");
}
both!(roles_decide_what_each_caller_reaches);

/// Walks the whole route table: every line refuses the callers it is not for (fail closed).
async fn every_route_refuses_the_wrong_callers(app: TestApp) {
    use portico::http::routes::Need;
    use portico::routes::API_ROUTES;
    let manager = staff(&app, "manager@op.example", Role::Manager).await;
    let c = app.create_customer("Acme", None).await;
    let cust = customer_user(&app, "boss@acme.example", Role::Administrator, c).await;
    let anonymous = app.browser();
    for r in API_ROUTES {
        let path = r.full_path().replace("{id}", &c.to_string());
        let body = if matches!(r.method, "POST" | "PUT") { Some(json!({})) } else { None };
        let text = body.as_ref().map(|b| b.to_string());
        let anon = anonymous.request(r.method, &path, &[], text.as_deref().map(|t| (t, "application/json"))).await;
        error_of(&anon, 401, "unauthorized");
        // The manager's writes must not remove the customer of the other callers: no such id.
        let as_manager = manager.call(r.method, &r.full_path().replace("{id}", "987654"), body.clone()).await;
        let as_customer = cust.call(r.method, &path, body.clone()).await;
        match r.need {
            Need::Staff => {
                assert_ne!(as_manager.status, 403, "{} {path}: {}", r.method, as_manager.body);
                error_of(&as_customer, 403, "forbidden");
            }
            Need::Admin => {
                error_of(&as_manager, 403, "forbidden");
                error_of(&as_customer, 403, "forbidden");
            }
            Need::StaffOrCustomer => {
                assert_ne!(as_manager.status, 403, "{} {path}", r.method);
                assert_ne!(as_customer.status, 403, "{} {path}", r.method);
            }
            Need::Customer(..) => {
                error_of(&as_manager, 403, "forbidden");
                assert!(as_customer.status < 500, "{} {path}: {}", r.method, as_customer.body);
            }
        }
        assert!(as_manager.status < 500 && as_customer.status < 500, "{} {path}", r.method);
    }
}
both!(every_route_refuses_the_wrong_callers);

/// Cookie-authenticated writes need the CSRF token; token-authenticated ones do not.
async fn session_cookie_works_with_csrf(app: TestApp) {
    let admin = app.admin().await;
    assert_eq!(admin.get("/api/v1/tags").await.status, 200);
    let body = r#"{"name":"Cookie","color":"Blue"}"#;
    let r = admin.request("POST", "/api/v1/tags", &[], Some((body, "application/json"))).await;
    error_of(&r, 403, "forbidden");
    let token = admin.csrf.borrow().clone().unwrap();
    let r = admin
        .request("POST", "/api/v1/tags", &[("X-CSRF-Token", token.as_str())], Some((body, "application/json")))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
}
both!(session_cookie_works_with_csrf);

// ---------------------------------------------------------------------------------------------
// List conventions on access profiles

/// Seven profiles with known names and times: created 2020-01-01 … 2020-01-07.
async fn seven_profiles(app: &TestApp, admin: &Api) -> Vec<i64> {
    // Distinct first letters: the order is the same under any collation.
    let names = ["Golf alpha", "Bravo", "Charlie", "Alphabet", "Echo", "Foxtrot", "Delta ALPHA"];
    let mut ids = Vec::new();
    for n in names {
        let r =
            admin.call("POST", "/api/v1/access-profiles", Some(json!({"name": n, "permissions": ["account"]}))).await;
        assert_eq!(r.status, 201, "{}", r.body);
        ids.push(r.json()["id"].as_i64().unwrap());
    }
    let ids2 = ids.clone();
    app.db(move |c| {
        for (i, id) in ids2.iter().enumerate() {
            let t = chrono::NaiveDate::from_ymd_opt(2020, 1, 1 + i as u32).unwrap().and_hms_opt(12, 0, 0).unwrap();
            diesel::update(access_profiles::table.find(id))
                .set((access_profiles::created_at.eq(t), access_profiles::updated_at.eq(t)))
                .execute(c)
                .unwrap();
        }
    })
    .await;
    ids
}

async fn paging_and_filters_on_profiles(app: TestApp) {
    let admin = staff(&app, "admin@op.example", Role::Admin).await;
    let all = seven_profiles(&app, &admin).await;
    let base = "/api/v1/access-profiles";

    let v = admin.ok(base).await;
    assert_eq!(ids(&v), all, "default: by id, ascending");
    assert_eq!(
        (v["totalCount"].as_i64(), v["totalPages"].as_i64(), v["hasMorePages"].as_bool()),
        (Some(7), Some(1), Some(false))
    );

    let v = admin.ok(&format!("{base}?countPerPage=3")).await;
    assert_eq!(ids(&v), all[..3]);
    assert_eq!(
        (v["totalCount"].as_i64(), v["totalPages"].as_i64(), v["hasMorePages"].as_bool()),
        (Some(7), Some(3), Some(true))
    );
    let v = admin.ok(&format!("{base}?countPerPage=3&page=3")).await;
    assert_eq!(ids(&v), all[6..], "the last page");
    assert_eq!(v["hasMorePages"], false);
    let v = admin.ok(&format!("{base}?countPerPage=3&page=4")).await;
    assert_eq!(ids(&v), Vec::<i64>::new(), "a page past the end is empty");
    assert_eq!((v["totalCount"].as_i64(), v["hasMorePages"].as_bool()), (Some(7), Some(false)));
    assert_eq!(ids(&admin.ok(&format!("{base}?countPerPage=1000")).await).len(), 7);
    assert_eq!(ids(&admin.ok(&format!("{base}?countPerPage=1")).await), all[..1]);

    // PascalCase spellings give the same answer.
    let camel = admin.ok(&format!("{base}?page=2&countPerPage=2&sortField=name&sortOrder=Descend")).await;
    let pascal = admin.ok(&format!("{base}?Page=2&CountPerPage=2&SortField=Name&SortOrder=Descend")).await;
    assert_eq!(camel, pascal);
    assert_eq!(camel["items"].as_array().unwrap().len(), 2);
    let both =
        admin.ok(&format!("{base}?page=2&Page=1&countPerPage=2&CountPerPage=5&sortField=name&sortOrder=Descend")).await;
    assert_eq!(both, camel, "camelCase wins over PascalCase");

    // Sorting both ways.
    let by_name: Vec<String> = admin.ok(&format!("{base}?sortField=name")).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_string())
        .collect();
    let mut expected = by_name.clone();
    expected.sort();
    assert_eq!(by_name, expected);
    assert_eq!(by_name[0], "Alphabet");
    let down: Vec<i64> = ids(&admin.ok(&format!("{base}?sortField=name&sortOrder=Descend")).await);
    let up: Vec<i64> = ids(&admin.ok(&format!("{base}?sortField=name&sortOrder=Ascend")).await);
    assert_eq!(down, up.iter().rev().copied().collect::<Vec<_>>());
    assert_eq!(
        ids(&admin.ok(&format!("{base}?sortField=createdAt&sortOrder=Descend")).await),
        all.iter().rev().copied().collect::<Vec<_>>()
    );

    // Filters of the reference API.
    assert_eq!(ids(&admin.ok(&format!("{base}?idAfter={}", all[6])).await), Vec::<i64>::new(), "idAfter the max id");
    assert_eq!(ids(&admin.ok(&format!("{base}?idAfter={}", all[3])).await), all[4..]);
    assert_eq!(ids(&admin.ok(&format!("{base}?IdAfter={}", all[3])).await), all[4..], "PascalCase filter");
    assert_eq!(
        ids(&admin.ok(&format!("{base}?createdSince=2999-01-01T00:00:00Z")).await),
        Vec::<i64>::new(),
        "createdSince in the future"
    );
    assert_eq!(ids(&admin.ok(&format!("{base}?createdSince=2020-01-04T12:00:00Z")).await), all[3..]);
    assert_eq!(
        ids(&admin.ok(&format!("{base}?createdSince=2020-01-04T14:00:00%2B02:00")).await),
        all[3..],
        "offsets count"
    );
    assert_eq!(ids(&admin.ok(&format!("{base}?createdSince=2020-01-05")).await), all[4..], "a plain date is midnight");
    assert_eq!(ids(&admin.ok(&format!("{base}?updatedSince=2020-01-07T00:00:00Z")).await), all[6..]);
    let named = ids(&admin.ok(&format!("{base}?name=alpha")).await);
    assert_eq!(named, vec![all[0], all[3], all[6]], "case-insensitive substring");
    assert_eq!(ids(&admin.ok(&format!("{base}?name=alpha&idAfter={}", all[0])).await), vec![all[3], all[6]]);
    assert_eq!(ids(&admin.ok(&format!("{base}?name=100%25")).await), Vec::<i64>::new(), "LIKE wildcards are literal");

    // specificIds: comma list, repeated, PascalCase.
    let some = format!("{},{}", all[5], all[1]);
    assert_eq!(ids(&admin.ok(&format!("{base}?specificIds={some}")).await), vec![all[1], all[5]]);
    assert_eq!(
        ids(&admin.ok(&format!("{base}?specificIds={}&specificIds={}", all[1], all[5])).await),
        vec![all[1], all[5]]
    );
    assert_eq!(ids(&admin.ok(&format!("{base}?SpecificIds={some}")).await), vec![all[1], all[5]]);
    assert_eq!(admin.ok(&format!("{base}?specificIds={some}")).await["totalCount"], 2);
    assert_eq!(ids(&admin.ok(&format!("{base}?specificIds=999999")).await), Vec::<i64>::new());

    // simplifiedPaging: items and hasMorePages only.
    let v = admin.ok(&format!("{base}?simplifiedPaging=true&countPerPage=3")).await;
    let mut keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, vec!["hasMorePages", "items"], "{v}");
    assert_eq!((ids(&v), v["hasMorePages"].as_bool()), (all[..3].to_vec(), Some(true)));
    let v = admin.ok(&format!("{base}?SimplifiedPaging=true&countPerPage=3&page=3")).await;
    assert_eq!((ids(&v), v["hasMorePages"].as_bool()), (all[6..].to_vec(), Some(false)));
    let v = admin.ok(&format!("{base}?simplifiedPaging=true&countPerPage=7")).await;
    assert_eq!(v["hasMorePages"], false, "exactly full page, nothing after");
    let v = admin.ok(&format!("{base}?simplifiedPaging=true&countPerPage=3&page=9")).await;
    assert_eq!((ids(&v).len(), v["hasMorePages"].as_bool()), (0, Some(false)));

    // all=true: every row, whatever the page size.
    let v = admin.ok(&format!("{base}?all=true&countPerPage=2&page=3")).await;
    assert_eq!(ids(&v), all);
    assert_eq!((v["totalCount"].as_i64(), v["hasMorePages"].as_bool()), (Some(7), Some(false)));
    let v = admin.ok(&format!("{base}?All=true&simplifiedPaging=true&sortOrder=Descend")).await;
    assert_eq!(ids(&v), all.iter().rev().copied().collect::<Vec<_>>());
    assert!(v.get("totalCount").is_none());

    // Bad parameters: 400 naming them.
    for (q, field) in [
        ("sortField=colour", "sortField"),
        ("SortField=colour", "SortField"),
        ("sortOrder=Sideways", "sortOrder"),
        ("countPerPage=0", "countPerPage"),
        ("countPerPage=1001", "countPerPage"),
        ("countPerPage=ten", "countPerPage"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("page=999999999999999999", "page"),
        ("page=99999999999999999999", "page"),
        ("all=maybe", "all"),
        ("simplifiedPaging=2", "simplifiedPaging"),
        ("specificIds=1,x", "specificIds"),
        ("specificIds=", "specificIds"),
        ("SpecificIds=,", "SpecificIds"),
        ("idAfter=first", "idAfter"),
        ("createdSince=yesterday", "createdSince"),
        ("format=xml", "format"),
        ("pageSize=5", "pageSize"),
        ("page=1&page=2", "page"),
        ("page=2&Page=x", "Page"),
        ("page=1000000001", "page"),
    ] {
        let r = admin.get(&format!("{base}?{q}")).await;
        assert_eq!(r.status, 400, "{q}: {}", r.body);
        let v = error_of(&r, 400, "bad_request");
        assert!(field_named(&v, field), "{q}: {v}");
    }
    let v = error_of(&admin.get(&format!("{base}?sortField=colour")).await, 400, "bad_request");
    assert!(v["error"]["message"].as_str().unwrap().contains("colour"));
}
both!(paging_and_filters_on_profiles);

async fn the_catalog_is_a_list_too(app: TestApp) {
    let admin = staff(&app, "admin@op.example", Role::Admin).await;
    let v = admin.ok("/api/v1/permissions?all=true").await;
    let keys: Vec<&str> = v["items"].as_array().unwrap().iter().map(|i| i["key"].as_str().unwrap()).collect();
    let catalog: Vec<&str> = portico::access::Perm::ALL.iter().map(|p| p.key()).collect();
    assert_eq!(keys, catalog, "catalog order by default");
    assert_eq!(v["totalCount"], 51);
    let e = &v["items"][2];
    assert_eq!((e["key"].as_str(), e["group"].as_str()), (Some("outgoing_rateplans"), Some("outgoing_traffic")));
    let exports = v["items"].as_array().unwrap().iter().find(|i| i["key"] == "outgoing_cdr_exports").unwrap();
    assert_eq!(exports["parent"], "outgoing_cdrs");
    let v = admin.ok("/api/v1/permissions?specificIds=invoices,account&sortField=key").await;
    let keys: Vec<&str> = v["items"].as_array().unwrap().iter().map(|i| i["key"].as_str().unwrap()).collect();
    assert_eq!(keys, vec!["account", "invoices"]);
    let v = error_of(&admin.get("/api/v1/permissions?specificIds=account,nope").await, 400, "bad_request");
    assert!(v["error"]["message"].as_str().unwrap().contains("nope"));
    let v = admin.ok("/api/v1/permissions?countPerPage=10&page=6").await;
    assert_eq!((v["items"].as_array().unwrap().len(), v["totalPages"].as_i64()), (1, Some(6)));
}
both!(the_catalog_is_a_list_too);

// ---------------------------------------------------------------------------------------------
// Customers

struct Tree {
    a: i64,
    a1: i64,
    a2: i64,
    a11: i64,
    b: i64,
    t1: i64,
    t2: i64,
    account: i64,
}

/// A (→ A1 (→ A11), A2) and B; tags t1, t2; an account on A2.
async fn tree(app: &TestApp, admin: &Api) -> Tree {
    let mk = |name: &str, parent: Option<i64>, tags: Vec<i64>| json!({"name": name, "parentCustomerId": parent, "tags": tags});
    let t1 = admin.call("POST", "/api/v1/tags", Some(json!({"name": "Gold", "color": "Gold"}))).await.json()["id"]
        .as_i64()
        .unwrap();
    let t2 = admin.call("POST", "/api/v1/tags", Some(json!({"name": "Blue", "color": "Blue"}))).await.json()["id"]
        .as_i64()
        .unwrap();
    let post = |body: Value| async move {
        let r = admin.call("POST", "/api/v1/customers", Some(body)).await;
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_i64().unwrap()
    };
    let a = post(mk("Alpha Holding", None, vec![])).await;
    let a1 = post(mk("Alpha North", Some(a), vec![t1, t2])).await;
    let a2 = post(mk("Alpha South", Some(a), vec![t1])).await;
    let a11 = post(mk("North Retail", Some(a1), vec![])).await;
    let b = post(mk("Bravo", None, vec![t2])).await;
    let r = admin
        .call("POST", &format!("/api/v1/customers/{a2}/accounts"), Some(json!({"name": "Main", "currency": "EUR"})))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let account = r.json()["id"].as_i64().unwrap();
    let _ = app;
    Tree { a, a1, a2, a11, b, t1, t2, account }
}

async fn customer_list_filters(app: TestApp) {
    let admin = staff(&app, "admin@op.example", Role::Manager).await;
    let t = tree(&app, &admin).await;
    let base = "/api/v1/customers";
    assert_eq!(ids(&admin.ok(base).await), vec![t.a, t.a1, t.a2, t.a11, t.b]);
    assert_eq!(
        ids(&admin.ok(&format!("{base}?parentCustomerIds={}", t.a)).await),
        vec![t.a1, t.a2, t.a11],
        "every descendant, not A itself"
    );
    assert_eq!(ids(&admin.ok(&format!("{base}?parentCustomerIds={}&shallowParent=true", t.a)).await), vec![t.a1, t.a2]);
    assert_eq!(ids(&admin.ok(&format!("{base}?ParentCustomerIds={}&ShallowParent=true", t.a)).await), vec![t.a1, t.a2]);
    assert_eq!(ids(&admin.ok(&format!("{base}?parentCustomerIds={},{}", t.a1, t.b)).await), vec![t.a11]);
    assert_eq!(ids(&admin.ok(&format!("{base}?parentCustomerIds={}", t.a11)).await), Vec::<i64>::new());
    assert_eq!(ids(&admin.ok(&format!("{base}?tagIds={},{}", t.t1, t.t2)).await), vec![t.a1], "must carry all tags");
    assert_eq!(ids(&admin.ok(&format!("{base}?tagIds={}&tagIds={}", t.t1, t.t2)).await), vec![t.a1]);
    assert_eq!(ids(&admin.ok(&format!("{base}?tagIds={}", t.t1)).await), vec![t.a1, t.a2]);
    assert_eq!(ids(&admin.ok(&format!("{base}?TagIds={}", t.t2)).await), vec![t.a1, t.b]);
    assert_eq!(ids(&admin.ok(&format!("{base}?accountIds={}", t.account)).await), vec![t.a2]);
    assert_eq!(ids(&admin.ok(&format!("{base}?AccountIds=987654")).await), Vec::<i64>::new());
    assert_eq!(ids(&admin.ok(&format!("{base}?nameFilter=ALPHA")).await), vec![t.a, t.a1, t.a2]);
    assert_eq!(ids(&admin.ok(&format!("{base}?NameFilter=north")).await), vec![t.a1, t.a11]);
    assert_eq!(
        ids(&admin.ok(&format!("{base}?nameFilter=north&parentCustomerIds={}&shallowParent=true", t.a)).await),
        vec![t.a1]
    );
    assert_eq!(ids(&admin.ok(&format!("{base}?tagIds={}&specificIds={},{}", t.t1, t.a2, t.b)).await), vec![t.a2]);
    let v = admin.ok(&format!("{base}?sortField=name&countPerPage=2&page=2")).await;
    assert_eq!(ids(&v), vec![t.a2, t.b], "Alpha Holding, Alpha North | Alpha South, Bravo | North Retail");
    assert_eq!(
        (v["totalCount"].as_i64(), v["totalPages"].as_i64(), v["hasMorePages"].as_bool()),
        (Some(5), Some(3), Some(true))
    );
    error_of(&admin.get(&format!("{base}?tagIds=gold")).await, 400, "bad_request");
    assert!(field_named(&error_of(&admin.get(&format!("{base}?tagIds=")).await, 400, "bad_request"), "tagIds"));
    error_of(&admin.get(&format!("{base}?shallowParent=yes")).await, 400, "bad_request");
    // The item shape of SPEC §4.
    let one = admin.ok(&format!("/api/v1/customers/{}", t.a11)).await;
    assert_eq!(one["breadcrumb"], json!([{"id": t.a, "name": "Alpha Holding"}, {"id": t.a1, "name": "Alpha North"}]));
    assert_eq!(one["parentCustomerId"], t.a1);
    let a1 = admin.ok(&format!("/api/v1/customers/{}", t.a1)).await;
    assert_eq!(a1["tags"].as_array().unwrap().len(), 2);
    assert!(a1["createdAt"].as_str().unwrap().ends_with('Z'));
}
both!(customer_list_filters);

async fn customer_user_sees_only_its_subtree(app: TestApp) {
    let admin = staff(&app, "admin@op.example", Role::Admin).await;
    let t = tree(&app, &admin).await;
    for role in [Role::Administrator, Role::User] {
        let email = format!("{}@north.example", role.as_str());
        let u = customer_user(&app, &email, role, t.a1).await;
        assert_eq!(ids(&u.ok("/api/v1/customers").await), vec![t.a1, t.a11]);
        assert_eq!(ids(&u.ok(&format!("/api/v1/customers?parentCustomerIds={}", t.a)).await), vec![t.a1, t.a11]);
        assert_eq!(ids(&u.ok(&format!("/api/v1/customers?specificIds={},{}", t.b, t.a11)).await), vec![t.a11]);
        assert_eq!(u.ok("/api/v1/customers?all=true").await["totalCount"], 2);
        assert_eq!(u.ok(&format!("/api/v1/customers/{}", t.a11)).await["id"], t.a11);
        for other in [t.a, t.a2, t.b] {
            error_of(&u.get(&format!("/api/v1/customers/{other}")).await, 404, "not_found");
        }
        let csv = u.get("/api/v1/customers.csv").await;
        assert_eq!(csv.status, 200);
        let (h, rows) = parse_csv(&csv.body);
        let id_col = h.iter().position(|x| x == "id").unwrap();
        let csv_ids: Vec<String> = rows.iter().map(|r| r[id_col].clone()).collect();
        assert_eq!(csv_ids, vec![t.a1.to_string(), t.a11.to_string()]);
        assert!(!csv.body.contains("Bravo"), "{}", csv.body);
    }
}
both!(customer_user_sees_only_its_subtree);

fn parse_csv(body: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new().from_reader(body.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r.records().map(|x| x.unwrap().iter().map(str::to_string).collect()).collect();
    (header, rows)
}

async fn csv_in_three_spellings(app: TestApp) {
    let admin = staff(&app, "admin@op.example", Role::Admin).await;
    let t = tree(&app, &admin).await;
    let evil = admin
        .call(
            "POST",
            "/api/v1/customers",
            Some(json!({
                "name": "=HYPERLINK(\"http://x\")", "phone": "+4420123456", "companyName": "@cmd",
                "appSettings": {"theme": "dark", "pageTitle": "-2+3"},
                "billingSettings": {"base": {"baseCost": "10.5", "allowance": 3}},
                "data": {"k": [1, 2]}
            })),
        )
        .await;
    assert_eq!(evil.status, 201, "{}", evil.body);
    let evil_id = evil.json()["id"].as_i64().unwrap();
    let q = "sortField=name&countPerPage=4&page=1";
    let json_rows = admin.ok(&format!("/api/v1/customers?{q}")).await;
    let by_format = admin.get(&format!("/api/v1/customers?{q}&format=csv")).await;
    let by_suffix = admin.get(&format!("/api/v1/customers.csv?{q}")).await;
    let by_accept = admin.get_with(&format!("/api/v1/customers?{q}"), &[("Accept", "text/csv")]).await;
    for r in [&by_format, &by_suffix, &by_accept] {
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(r.header("content-length").is_none(), "streamed: {:?}", r.headers);
        assert!(r.header("content-type").unwrap().starts_with("text/csv"), "{:?}", r.headers);
        assert!(r.header("content-disposition").unwrap().contains("customers.csv"));
    }
    assert_eq!(by_format.body, by_suffix.body);
    assert_eq!(by_format.body, by_accept.body);
    let (header, rows) = parse_csv(&by_format.body);
    for col in [
        "id",
        "name",
        "appSettings.theme",
        "appSettings.pageTitle",
        "billingSettings.base.baseCost",
        "schedule.timeZoneId",
        "tags",
    ] {
        assert!(header.contains(&col.to_string()), "column {col} in {header:?}");
    }
    let id_col = header.iter().position(|h| h == "id").unwrap();
    let csv_ids: Vec<i64> = rows.iter().map(|r| r[id_col].parse().unwrap()).collect();
    assert_eq!(csv_ids, ids(&json_rows), "the same rows as the JSON");
    assert_eq!(csv_ids[0], evil_id, "'=' sorts first");
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = &rows[0];
    assert_eq!(row[col("name")], "'=HYPERLINK(\"http://x\")", "formula defused");
    assert_eq!(row[col("companyName")], "'@cmd");
    assert_eq!(row[col("appSettings.pageTitle")], "'-2+3");
    assert_eq!(row[col("phone")], "+4420123456", "a plain number stays as it is");
    assert_eq!(row[col("appSettings.theme")], "dark");
    assert_eq!(row[col("billingSettings.base.baseCost")], "10.500000");
    assert_eq!(row[col("billingSettings.base.allowance")], "3");
    assert_eq!(row[col("data")], r#"{"k":[1,2]}"#, "free objects as JSON text");
    let a1_row = rows.iter().find(|r| r[id_col] == t.a1.to_string()).unwrap();
    let tags: Value = serde_json::from_str(&a1_row[col("tags")]).unwrap();
    assert_eq!(tags.as_array().unwrap().len(), 2, "arrays as JSON text");
    // all=true streams every row as CSV too; other lists have CSV as well.
    let (_, all_rows) = parse_csv(&admin.get("/api/v1/customers.csv?all=true").await.body);
    assert_eq!(all_rows.len(), 6);
    let (h, r) = parse_csv(&admin.get("/api/v1/tags.csv").await.body);
    assert_eq!((h, r.len()), (vec!["id".to_string(), "name".into(), "color".into()], 2));
    let (h, _) = parse_csv(&admin.get("/api/v1/access-profiles?format=csv").await.body);
    assert!(h.contains(&"permissions".to_string()));
    error_of(&admin.get("/api/v1/customers?format=CSV").await, 400, "bad_request");
}
both!(csv_in_three_spellings);

// ---------------------------------------------------------------------------------------------
// Access profiles: concurrency, deletion, validation

async fn stale_version_is_refused_and_nothing_changes(app: TestApp) {
    let admin = staff(&app, "admin@op.example", Role::Admin).await;
    let r =
        admin.call("POST", "/api/v1/access-profiles", Some(json!({"name": "Gold", "permissions": ["account"]}))).await;
    let first = r.json();
    let id = first["id"].as_i64().unwrap();
    let path = format!("/api/v1/access-profiles/{id}");
    // Alice saves her copy: ok, version 2.
    let mut alice = first.clone();
    alice["permissions"] = json!(["account", "invoices"]);
    let r = admin.call("PUT", &path, Some(alice)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let saved = r.json();
    assert_eq!((saved["version"].as_i64(), saved["permissions"].clone()), (Some(2), json!(["account", "invoices"])));
    let audits_before = audit_actions(&app).await.len();
    // Bob still holds version 1.
    let mut bob = first.clone();
    bob["name"] = json!("Platinum");
    let r = admin.call("PUT", &path, Some(bob)).await;
    let v = error_of(&r, 409, "conflict");
    assert!(field_named(&v, "version"), "{v}");
    assert_eq!(v["error"]["current"]["version"], 2, "the stored profile comes along");
    assert_eq!(v["error"]["current"]["permissions"], json!(["account", "invoices"]));
    assert_eq!(admin.ok(&path).await, saved, "nothing changed");
    assert_eq!(audit_actions(&app).await.len(), audits_before, "nothing audited");
    // Read-only fields are ignored, version is required, unknown fields are refused.
    let mut again = saved.clone();
    again["createdAt"] = json!("1999-01-01T00:00:00Z");
    again["id"] = json!(424242);
    again["description"] = json!("better");
    let r = admin.call("PUT", &path, Some(again)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!((r.json()["id"].as_i64(), r.json()["createdAt"].clone()), (Some(id), saved["createdAt"].clone()));
    let mut no_version = saved.clone();
    no_version.as_object_mut().unwrap().remove("version");
    assert!(field_named(&error_of(&admin.call("PUT", &path, Some(no_version)).await, 400, "bad_request"), "version"));
    let mut typo = saved.clone();
    typo["permisions"] = json!([]);
    let v = error_of(&admin.call("PUT", &path, Some(typo)).await, 400, "bad_request");
    assert!(field_named(&v, "permisions"), "{v}");
    let mut no_customer = saved.clone();
    no_customer.as_object_mut().unwrap().remove("customerId");
    assert!(field_named(
        &error_of(&admin.call("PUT", &path, Some(no_customer)).await, 400, "bad_request"),
        "customerId"
    ));
    error_of(&admin.call("PUT", "/api/v1/access-profiles/999999", Some(saved)).await, 404, "not_found");
    let actions: Vec<String> = audit_actions(&app).await.into_iter().map(|a| a.0).collect();
    assert_eq!(actions.iter().filter(|a| *a == "profile.update").count(), 2);
    assert_eq!(actions.iter().filter(|a| *a == "profile.create").count(), 1);
}
both!(stale_version_is_refused_and_nothing_changes);

async fn deleting_a_held_profile_is_refused(app: TestApp) {
    let admin = staff(&app, "admin@op.example", Role::Admin).await;
    let pid = make_profile(&app, "Held", &["account"]).await;
    let c1 = app.create_customer("One", None).await;
    let c2 = app.create_customer("Two", None).await;
    assign(&app, c1, Some(pid)).await;
    assign(&app, c2, Some(pid)).await;
    let path = format!("/api/v1/access-profiles/{pid}");
    let v = error_of(&admin.call("DELETE", &path, None).await, 409, "conflict");
    let holders = v["error"]["details"].as_array().unwrap().iter().find(|d| d["field"] == "holders").unwrap();
    assert_eq!(holders["message"], "2");
    assert!(v["error"]["message"].as_str().unwrap().contains('2'));
    assert_eq!(admin.get(&path).await.status, 200, "still there");
    assign(&app, c1, None).await;
    assign(&app, c2, None).await;
    let r = admin.call("DELETE", &path, None).await;
    assert_eq!((r.status, r.body.as_str()), (204, ""));
    error_of(&admin.get(&path).await, 404, "not_found");
    error_of(&admin.call("DELETE", &path, None).await, 404, "not_found");
    let actions: Vec<(String, Option<String>)> = audit_actions(&app).await;
    assert!(actions.contains(&("profile.delete".to_string(), Some(pid.to_string()))));
}
both!(deleting_a_held_profile_is_refused);

async fn profile_input_is_checked(app: TestApp) {
    let admin = staff(&app, "admin@op.example", Role::Admin).await;
    let r = admin
        .call(
            "POST",
            "/api/v1/access-profiles",
            Some(json!({"name": "X", "permissions": ["account", "nope", "also_nope"]})),
        )
        .await;
    let v = error_of(&r, 422, "unprocessable");
    assert!(field_named(&v, "permissions"));
    let msg = v["error"]["details"][0]["message"].as_str().unwrap();
    assert!(msg.contains("nope") && msg.contains("also_nope"), "{msg}");
    let r =
        admin.call("POST", "/api/v1/access-profiles", Some(json!({"name": "X", "availability": "sometimes"}))).await;
    assert!(field_named(&error_of(&r, 400, "bad_request"), "availability"));
    let r = admin.call("POST", "/api/v1/access-profiles", Some(json!({"name": "X", "availability": "customer"}))).await;
    assert!(field_named(&error_of(&r, 422, "unprocessable"), "customerId"));
    let r = admin
        .call(
            "POST",
            "/api/v1/access-profiles",
            Some(json!({"name": "X", "availability": "groups", "customerGroups": ["Nope"]})),
        )
        .await;
    assert!(field_named(&error_of(&r, 422, "unprocessable"), "customerGroups"));
    let r = admin.call("POST", "/api/v1/access-profiles", Some(json!({"name": "  "}))).await;
    assert!(field_named(&error_of(&r, 422, "unprocessable"), "name"));
    assert_eq!(admin.call("POST", "/api/v1/access-profiles", Some(json!({"name": "Dup"}))).await.status, 201);
    let r = admin.call("POST", "/api/v1/access-profiles", Some(json!({"name": "Dup"}))).await;
    assert!(field_named(&error_of(&r, 422, "unprocessable"), "name"));
    // Profiles with a parent key but not the parent store it; the portal grants it only with the parent.
    let r = admin
        .call(
            "POST",
            "/api/v1/access-profiles",
            Some(json!({"name": "Def", "isDefault": true, "permissions": ["outgoing_cdr_exports"]})),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["isDefault"], true);
}
both!(profile_input_is_checked);

// ---------------------------------------------------------------------------------------------
// Error bodies for every code

async fn error_bodies_are_well_formed(app: TestApp) {
    let admin = staff(&app, "admin@op.example", Role::Admin).await;
    let manager = staff(&app, "manager@op.example", Role::Manager).await;
    // 400: malformed JSON names the problem; wrong types and unknown fields name the field.
    let v = error_of(&admin.raw("POST", "/api/v1/tags", r#"{"name": "x", "#).await, 400, "bad_request");
    assert!(field_named(&v, "body"));
    assert!(v["error"]["message"].as_str().unwrap().contains("not valid JSON"), "{v}");
    let v = error_of(&admin.raw("POST", "/api/v1/tags", "").await, 400, "bad_request");
    assert!(field_named(&v, "body"));
    let v = error_of(&admin.raw("POST", "/api/v1/tags", r#"["a"]"#).await, 400, "bad_request");
    assert!(v["error"]["message"].is_string());
    let v = error_of(&admin.raw("POST", "/api/v1/tags", r#"{"name": 5, "color": "Red"}"#).await, 400, "bad_request");
    assert!(field_named(&v, "name"), "{v}");
    let v = error_of(&admin.raw("POST", "/api/v1/tags", r#"{"name": "x", "color": "Pink"}"#).await, 400, "bad_request");
    assert!(field_named(&v, "color"), "{v}");
    let v = error_of(
        &admin.raw("POST", "/api/v1/tags", r#"{"name": "x", "color": "Red", "colour": 1}"#).await,
        400,
        "bad_request",
    );
    assert!(field_named(&v, "colour"), "{v}");
    let v = error_of(
        &admin.raw("POST", "/api/v1/customers", r#"{"name": "x", "appSettings": {"theme": "neon"}}"#).await,
        400,
        "bad_request",
    );
    assert!(field_named(&v, "appSettings.theme"), "{v}");
    let v = error_of(
        &admin
            .raw(
                "POST",
                "/api/v1/customers",
                r#"{"name": "x", "schedule": {"timeZoneId": "UTC", "rules": [{"frequency": "Sometimes"}]}}"#,
            )
            .await,
        400,
        "bad_request",
    );
    assert!(v["error"]["details"][0]["field"].as_str().unwrap().starts_with("schedule.rules[0]"), "{v}");
    let v = error_of(
        &admin.raw("POST", "/api/v1/customers", r#"{"name": "x", "parentCustomerId": "one"}"#).await,
        400,
        "bad_request",
    );
    assert!(field_named(&v, "parentCustomerId"), "{v}");
    // 401, 403, 404.
    error_of(&app.browser().get("/api/v1/tags").await, 401, "unauthorized");
    error_of(&manager.call("DELETE", "/api/v1/access-profiles/1", None).await, 403, "forbidden");
    error_of(&admin.get("/api/v1/tags/424242").await, 404, "not_found");
    // 409: a customer with sub-customers cannot go.
    let parent = app.create_customer("Parent", None).await;
    app.create_customer("Child", Some(parent)).await;
    error_of(&admin.call("DELETE", &format!("/api/v1/customers/{parent}"), None).await, 409, "conflict");
    // 413: more than 1 MiB, with the JSON body.
    let big = format!(r#"{{"name": "{}", "color": "Red"}}"#, "x".repeat(1024 * 1024 + 10));
    error_of(&admin.raw("POST", "/api/v1/tags", &big).await, 413, "payload_too_large");
    let nearly = format!(r#"{{"name": "big", "data": {{"k": "{}"}}}}"#, "y".repeat(60 * 1024));
    assert_eq!(admin.raw("POST", "/api/v1/customers", &nearly).await.status, 201, "large but allowed");
    // 422 names the field.
    let v = error_of(
        &admin.call("POST", "/api/v1/customers", Some(json!({"name": "x", "countryCode": "Germany"}))).await,
        422,
        "unprocessable",
    );
    assert!(field_named(&v, "countryCode"), "{v}");
    let v = error_of(
        &admin
            .call(
                "POST",
                "/api/v1/customers",
                Some(json!({"name": "x", "billingSettings": {"base": {"baseCost": "1.2345678"}}})),
            )
            .await,
        422,
        "unprocessable",
    );
    assert!(field_named(&v, "billingSettings.base.baseCost"), "{v}");
    let v = error_of(
        &admin.call("POST", "/api/v1/customers", Some(json!({"name": "x", "billingSettings": {"faxes": {}}}))).await,
        400,
        "bad_request",
    );
    assert!(v["error"]["details"][0]["field"].as_str().unwrap().starts_with("billingSettings"), "{v}");
}
both!(error_bodies_are_well_formed);

// ---------------------------------------------------------------------------------------------
// Customer users' own routes

/// A customer holding a profile with `keys`, one account with a balance and one access code.
async fn customer_with(app: &TestApp, admin: &Api, name: &str, keys: &[&str]) -> i64 {
    let c = app.create_customer(name, None).await;
    let p = make_profile(app, &format!("Profile of {name}"), keys).await;
    assign(app, c, Some(p)).await;
    let r = admin
        .call(
            "POST",
            &format!("/api/v1/customers/{c}/accounts"),
            Some(json!({"name": "Main", "currency": "EUR", "minBalance": "-50", "maxBalance": null, "capacity": 10})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let account = r.json()["id"].as_i64().unwrap();
    app.db(move |c| {
        use portico::db::schema::accounts;
        diesel::update(accounts::table.find(account)).set(accounts::balance.eq(12_345_600i64)).execute(c).unwrap();
    })
    .await;
    let r = admin
        .call(
            "POST",
            &format!("/api/v1/customers/{c}/access-codes"),
            Some(json!({"label": "Door", "public": {"text": "DEMO", "value": "0x51"}, "private": {"master": "0xM", "read": "0xR", "write": "0xW"}})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    c
}

async fn balance_needs_administrator_and_account(app: TestApp) {
    let admin = staff(&app, "admin@op.example", Role::Admin).await;
    let with = customer_with(&app, &admin, "With", &["account", "invoices"]).await;
    let without = customer_with(&app, &admin, "Without", &["invoices"]).await;
    let boss = customer_user(&app, "boss@with.example", Role::Administrator, with).await;
    let v = boss.ok("/api/v1/profile/balance").await;
    assert_eq!(v["items"][0]["balance"], "12.345600");
    assert_eq!(v["items"][0]["minBalance"], "-50.000000");
    assert_eq!(v["items"][0]["maxBalance"], Value::Null);
    let (h, rows) = parse_csv(&boss.get("/api/v1/profile/balance.csv").await.body);
    assert_eq!(rows[0][h.iter().position(|x| x == "balance").unwrap()], "12.345600");
    for role in [Role::Developer, Role::User] {
        let u = customer_user(&app, &format!("{}@with.example", role.as_str()), role, with).await;
        error_of(&u.get("/api/v1/profile/balance").await, 403, "forbidden");
    }
    let boss2 = customer_user(&app, "boss@without.example", Role::Administrator, without).await;
    error_of(&boss2.get("/api/v1/profile/balance").await, 403, "forbidden");
    // Granting `account` takes effect on the very next request.
    let pid = app.db(move |c| portico::access::resolve::effective_profile_id(c, without).unwrap().unwrap()).await;
    let mut p = admin.ok(&format!("/api/v1/access-profiles/{pid}")).await;
    p["permissions"] = json!(["account", "invoices"]);
    assert_eq!(admin.call("PUT", &format!("/api/v1/access-profiles/{pid}"), Some(p)).await.status, 200);
    assert_eq!(boss2.get("/api/v1/profile/balance").await.status, 200);
}
both!(balance_needs_administrator_and_account);

async fn private_access_codes_only_for_administrators_and_developers(app: TestApp) {
    let admin = staff(&app, "admin@op.example", Role::Admin).await;
    let c = customer_with(&app, &admin, "Codes", &[]).await;
    for (role, sees) in [(Role::Administrator, true), (Role::Developer, true), (Role::User, false)] {
        let u = customer_user(&app, &format!("{}@codes.example", role.as_str()), role, c).await;
        let v = u.ok("/api/v1/profile/access-codes").await;
        let item = &v["items"][0];
        assert_eq!(item["public"], json!({"text": "DEMO", "value": "0x51"}));
        assert_eq!(item.get("private").is_some(), sees, "{role:?}: {item}");
        if sees {
            assert_eq!(item["private"], json!({"master": "0xM", "read": "0xR", "write": "0xW"}));
        }
        let csv = u.get("/api/v1/profile/access-codes?format=csv").await;
        assert_eq!(csv.body.contains("private.master"), sees);
        assert_eq!(csv.body.contains("0xM"), sees, "{}", csv.body);
    }
    // Staff see them all, with the private part.
    let v = admin.ok(&format!("/api/v1/customers/{c}/access-codes")).await;
    assert_eq!(v["items"][0]["private"]["read"], "0xR");
}
both!(private_access_codes_only_for_administrators_and_developers);

async fn personal_tokens_are_shown_once_and_revoked_at_once(app: TestApp) {
    let c = app.create_customer("Dev shop", None).await;
    let dev = customer_user(&app, "dev@shop.example", Role::Developer, c).await;
    let r = dev.call("POST", "/api/v1/profile/tokens", Some(json!({"name": "ci"}))).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let created = r.json();
    let secret = created["token"].as_str().unwrap().to_string();
    assert!(secret.starts_with("ptk_"));
    let tid = created["id"].as_i64().unwrap();
    let second = Api { b: app.browser(), token: secret.clone() };
    assert_eq!(second.get("/api/v1/profile").await.status, 200, "the new token works");
    let list = dev.ok("/api/v1/profile/tokens").await;
    assert!(!list.to_string().contains(&secret), "secrets are never listed");
    let mine = list["items"].as_array().unwrap().iter().find(|t| t["id"] == tid).unwrap().clone();
    assert_eq!(mine["name"], "ci");
    assert!(mine["lastUsedAt"].as_str().is_some_and(|t| t.ends_with('Z')), "{mine}");
    let stored: Vec<String> = app
        .db(|c| {
            use portico::db::schema::api_tokens;
            api_tokens::table.select(api_tokens::token_hash).load(c).unwrap()
        })
        .await;
    assert!(!stored.contains(&secret), "stored hashed");
    let r = dev.call("DELETE", &format!("/api/v1/profile/tokens/{tid}"), None).await;
    assert_eq!(r.status, 204);
    error_of(&second.get("/api/v1/profile").await, 401, "unauthorized");
    error_of(&dev.call("DELETE", &format!("/api/v1/profile/tokens/{tid}"), None).await, 404, "not_found");
    // Someone else's token is not yours to revoke.
    let other = customer_user(&app, "other@shop.example", Role::Administrator, c).await;
    let theirs =
        other.call("POST", "/api/v1/profile/tokens", Some(json!({"name": "x"}))).await.json()["id"].as_i64().unwrap();
    error_of(&dev.call("DELETE", &format!("/api/v1/profile/tokens/{theirs}"), None).await, 404, "not_found");
    // Role user manages no tokens.
    let user = customer_user(&app, "user@shop.example", Role::User, c).await;
    error_of(&user.get("/api/v1/profile/tokens").await, 403, "forbidden");
    error_of(&user.call("POST", "/api/v1/profile/tokens", Some(json!({"name": "x"}))).await, 403, "forbidden");
    let actions: Vec<String> = audit_actions(&app).await.into_iter().map(|a| a.0).collect();
    assert!(actions.contains(&"token.create".to_string()) && actions.contains(&"token.revoke".to_string()));
}
both!(personal_tokens_are_shown_once_and_revoked_at_once);

async fn profile_shows_effective_permissions_and_edits_company(app: TestApp) {
    let admin = staff(&app, "admin@op.example", Role::Admin).await;
    let c = customer_with(&app, &admin, "Acme", &["account", "outgoing_cdr_exports", "invoices"]).await;
    let boss = customer_user(&app, "boss@acme.example", Role::Administrator, c).await;
    let v = boss.ok("/api/v1/profile").await;
    assert_eq!(v["user"]["email"], "boss@acme.example");
    assert_eq!(v["user"]["role"]["name"], "administrator");
    assert_eq!(v["user"]["role"]["editCompany"], true);
    assert_eq!(v["customer"]["id"], c);
    assert_eq!(v["permissions"], json!(["account", "invoices"]), "exports need their parent");
    let r = boss.call("PUT", "/api/v1/profile", Some(json!({"phone": "+49 30 1234", "firstName": "Ada"}))).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(
        (v["customer"]["phone"].as_str(), v["customer"]["companyName"].as_str()),
        (Some("+49 30 1234"), Some(""))
    );
    assert_eq!((v["user"]["firstName"].as_str(), v["user"]["lastName"].as_str()), (Some("Ada"), Some("")));
    let r = boss.call("PUT", "/api/v1/profile", Some(json!({"companyName": "Acme GmbH", "countryCode": "de"}))).await;
    let v = r.json();
    assert_eq!(
        (v["customer"]["companyName"].as_str(), v["customer"]["countryCode"].as_str()),
        (Some("Acme GmbH"), Some("DE"))
    );
    assert_eq!(v["customer"]["phone"], "+49 30 1234", "absent fields stay");
    let v = error_of(
        &boss.call("PUT", "/api/v1/profile", Some(json!({"countryCode": "Germany"}))).await,
        422,
        "unprocessable",
    );
    assert!(field_named(&v, "countryCode"));
    assert!(field_named(
        &error_of(&boss.call("PUT", "/api/v1/profile", Some(json!({"fax": "1"}))).await, 400, "bad_request"),
        "fax"
    ));
    for role in [Role::Developer, Role::User] {
        let u = customer_user(&app, &format!("{}@acme.example", role.as_str()), role, c).await;
        assert_eq!(u.ok("/api/v1/profile").await["user"]["role"]["editCompany"], false);
        error_of(&u.call("PUT", "/api/v1/profile", Some(json!({"phone": "1"}))).await, 403, "forbidden");
        let r =
            u.call("PUT", "/api/v1/profile/settings", Some(json!({"lang": "de", "timeZone": "Europe/Berlin"}))).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.json(), json!({"lang": "de", "timeZone": "Europe/Berlin"}));
        assert_eq!(u.ok("/api/v1/profile").await["user"]["timeZone"], "Europe/Berlin");
        let v = error_of(
            &u.call("PUT", "/api/v1/profile/settings", Some(json!({"timeZone": "Mars/Base"}))).await,
            422,
            "unprocessable",
        );
        assert!(field_named(&v, "timeZone"));
        let r = u.call("PUT", "/api/v1/profile/settings", Some(json!({"lang": "ru"}))).await;
        assert_eq!(r.json(), json!({"lang": "ru", "timeZone": "Europe/Berlin"}));
    }
    let actions: Vec<String> = audit_actions(&app).await.into_iter().map(|a| a.0).collect();
    for a in ["customer.company_update", "user.update", "user.settings"] {
        assert!(actions.contains(&a.to_string()), "{a} audited: {actions:?}");
    }
}
both!(profile_shows_effective_permissions_and_edits_company);

// ---------------------------------------------------------------------------------------------
// Writes: customers, users, groups, tags, accounts, access codes — and their audit rows

async fn customers_are_replaced_whole_and_audited(app: TestApp) {
    let admin = staff(&app, "admin@op.example", Role::Manager).await;
    let g = admin.call("POST", "/api/v1/customer-groups", Some(json!({"name": "Resellers"}))).await.json();
    assert_eq!(g["name"], "Resellers");
    let tag = admin.call("POST", "/api/v1/tags", Some(json!({"name": "Gold", "color": "Gold"}))).await.json();
    let root = app.create_customer("Root", None).await;
    let for_root = app
        .db(move |c| {
            use portico::profiles::model::{RawProfile, validate};
            let raw = RawProfile {
                name: "Root only".into(),
                availability: "customer".into(),
                customer_id: Some(root.to_string()),
                permissions: vec!["account".into()],
                ..Default::default()
            };
            portico::profiles::Profile::create(c, &validate(&raw).unwrap()).unwrap().id
        })
        .await;
    let r = admin
        .call(
            "POST",
            "/api/v1/customers",
            Some(json!({
                "name": "Acme", "referenceId": "ACME-1", "parentCustomerId": root, "tags": [tag["id"]],
                "groups": ["Resellers"], "accessProfileId": for_root, "data": {"plan": "gold", "seats": 5},
                "integrationData": {"crm": {"thirdPartyId": "77"}},
                "overrideAppSettings": true, "appSettings": {"theme": "dark", "stringMappings": {"nav.profile": "Me"}},
                "schedule": {"timeZoneId": "Europe/Berlin", "rules": [{"frequency": "Weekly", "byDay": [{"offset": 0, "dayOfWeek": "Monday"}],
                    "startDate": "2026-01-05", "startTime": "09:00", "endTime": "17:00", "state": "Open"}]},
                "companyName": "Acme Ltd", "countryCode": "GB", "phone": "+44 20 1234"
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let created = r.json();
    let id = created["id"].as_i64().unwrap();
    assert_eq!(r.header("location"), Some(format!("/api/v1/customers/{id}").as_str()));
    assert_eq!(created["accessProfileId"], for_root);
    assert_eq!(created["effectiveAccessProfileId"], for_root);
    assert_eq!(created["tags"], json!([{"id": tag["id"], "name": "Gold", "color": "Gold"}]));
    assert_eq!(created["createdBy"], "admin@op.example");
    let path = format!("/api/v1/customers/{id}");
    let got = admin.ok(&path).await;
    assert_eq!(got, created, "GET returns what POST answered");
    // PUT the whole object back with changes (tags as objects, as GET returned them).
    let mut put = got.clone();
    put["name"] = json!("Acme Europe");
    put["appSettings"]["theme"] = json!("light");
    put["isStaging"] = json!(true);
    put["accessProfileId"] = Value::Null;
    put["breadcrumb"] = json!([{"id": 1, "name": "ignored"}]);
    let r = admin.call("PUT", &path, Some(put.clone())).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let after = r.json();
    assert_eq!((after["name"].as_str(), after["appSettings"]["theme"].as_str()), (Some("Acme Europe"), Some("light")));
    assert_eq!((after["isStaging"].as_bool(), after["accessProfileId"].clone()), (Some(true), Value::Null));
    assert_eq!(after["tags"], created["tags"], "tags given as objects keep their ids");
    assert_eq!(after["breadcrumb"], json!([{"id": root, "name": "Root"}]), "read-only fields are ignored");
    assert_eq!(after["schedule"], created["schedule"]);
    // Missing and unknown fields are refused; nothing changes.
    let mut missing = after.clone();
    missing.as_object_mut().unwrap().remove("schedule");
    assert!(field_named(&error_of(&admin.call("PUT", &path, Some(missing)).await, 400, "bad_request"), "schedule"));
    let mut unknown = after.clone();
    unknown["nmae"] = json!("typo");
    assert!(field_named(&error_of(&admin.call("PUT", &path, Some(unknown)).await, 400, "bad_request"), "nmae"));
    // A profile made for another customer is not available here (422), and nothing changes.
    let other = app.create_customer("Elsewhere", None).await;
    let mut wrong = after.clone();
    wrong["accessProfileId"] = json!(for_root);
    wrong["parentCustomerId"] = json!(other);
    wrong["name"] = json!("Moved");
    let v = error_of(&admin.call("PUT", &path, Some(wrong)).await, 422, "unprocessable");
    assert!(field_named(&v, "accessProfileId"), "{v}");
    assert_eq!(admin.ok(&path).await, after, "nothing changed");
    // A cycle is refused.
    let mut cycle = admin.ok(&format!("/api/v1/customers/{root}")).await;
    cycle["parentCustomerId"] = json!(id);
    let v = error_of(&admin.call("PUT", &format!("/api/v1/customers/{root}"), Some(cycle)).await, 422, "unprocessable");
    assert!(field_named(&v, "parentCustomerId"));
    let r = admin.call("DELETE", &path, None).await;
    assert_eq!(r.status, 204);
    error_of(&admin.get(&path).await, 404, "not_found");
    let rows: Vec<(String, Option<String>)> = audit_actions(&app).await;
    let for_id = |a: &str| rows.iter().filter(|(x, o)| x == a && o.as_deref() == Some(&id.to_string())).count();
    assert_eq!(for_id("customer.create"), 1);
    assert_eq!(for_id("customer.update"), 1, "only the successful PUT");
    assert_eq!(for_id("customer.assign_profile"), 2, "assigned at creation, cleared by the PUT");
    assert_eq!(for_id("customer.delete"), 1);
    assert!(rows.iter().any(|(a, _)| a == "group.create") && rows.iter().any(|(a, _)| a == "tag.create"));
    let diff: Option<String> = app
        .db(move |c| {
            audit_log::table
                .filter(audit_log::action.eq("customer.update"))
                .select(audit_log::diff)
                .first::<Option<String>>(c)
                .unwrap()
        })
        .await;
    let d: Value = serde_json::from_str(&diff.unwrap()).unwrap();
    assert_eq!(d["name"], json!({"before": "Acme", "after": "Acme Europe"}));
}
both!(customers_are_replaced_whole_and_audited);

async fn portal_users_through_the_api(app: TestApp) {
    let admin = staff(&app, "admin@op.example", Role::Manager).await;
    let c = app.create_customer("Acme", None).await;
    let base = format!("/api/v1/customers/{c}/users");
    let r = admin
        .call("POST", &base, Some(json!({"email": "Invited@Acme.example", "firstName": "Ina", "role": "user"})))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let invited = r.json();
    assert!(invited["invitationUrl"].as_str().unwrap().contains("/invitation/"), "{invited}");
    assert_eq!(
        (invited["email"].as_str(), invited["invitationPending"].as_bool()),
        (Some("invited@acme.example"), Some(true))
    );
    let r = admin
        .call(
            "POST",
            &base,
            Some(json!({"email": "pw@acme.example", "role": "developer", "password": "a long enough password"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let with_pw = r.json();
    assert!(with_pw.get("invitationUrl").is_none());
    assert_eq!(with_pw["invitationPending"], false);
    let v = error_of(
        &admin.call("POST", &base, Some(json!({"email": "pw@acme.example", "role": "user"}))).await,
        422,
        "unprocessable",
    );
    assert!(field_named(&v, "email"));
    let v = error_of(
        &admin.call("POST", &base, Some(json!({"email": "x@acme.example", "role": "user", "password": "short"}))).await,
        422,
        "unprocessable",
    );
    assert!(field_named(&v, "password"));
    assert!(field_named(
        &error_of(
            &admin.call("POST", &base, Some(json!({"email": "y@acme.example", "role": "admin"}))).await,
            400,
            "bad_request"
        ),
        "role"
    ));
    error_of(
        &admin
            .call("POST", "/api/v1/customers/999999/users", Some(json!({"email": "z@acme.example", "role": "user"})))
            .await,
        404,
        "not_found",
    );
    let list = admin.ok(&format!("{base}?sortField=email")).await;
    let emails: Vec<&str> = list["items"].as_array().unwrap().iter().map(|u| u["email"].as_str().unwrap()).collect();
    assert_eq!(emails, vec!["invited@acme.example", "pw@acme.example"]);
    // PUT the whole user: role and disabled are audited like the admin area does.
    let uid = with_pw["id"].as_i64().unwrap();
    let mut put = admin.ok(&format!("/api/v1/users/{uid}")).await;
    put["role"] = json!("administrator");
    put["disabled"] = json!(true);
    put["lastName"] = json!("Lovelace");
    let r = admin.call("PUT", &format!("/api/v1/users/{uid}"), Some(put)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let u = r.json();
    assert_eq!(
        (u["role"].as_str(), u["disabled"].as_bool(), u["lastName"].as_str()),
        (Some("administrator"), Some(true), Some("Lovelace"))
    );
    let actions: Vec<String> = audit_actions(&app).await.into_iter().map(|a| a.0).collect();
    for a in ["user.create", "user.role", "user.disable", "user.update"] {
        assert!(actions.contains(&a.to_string()), "{a}: {actions:?}");
    }
    // Staff accounts are not reachable here.
    let staff_id = app.db(|c| portico::users::User::find_by_email(c, "admin@op.example").unwrap().unwrap().id).await;
    error_of(&admin.get(&format!("/api/v1/users/{staff_id}")).await, 404, "not_found");
    error_of(&admin.call("DELETE", &format!("/api/v1/users/{staff_id}"), None).await, 404, "not_found");
    assert_eq!(admin.call("DELETE", &format!("/api/v1/users/{uid}"), None).await.status, 204);
    error_of(&admin.get(&format!("/api/v1/users/{uid}")).await, 404, "not_found");
    assert_eq!(admin.ok(&base).await["totalCount"], 1);
    assert!(audit_actions(&app).await.contains(&("user.delete".to_string(), Some(uid.to_string()))));
}
both!(portal_users_through_the_api);

async fn groups_tags_accounts_and_codes(app: TestApp) {
    let admin = staff(&app, "admin@op.example", Role::Manager).await;
    // Groups: create, rename, duplicate name 422, delete refused while a profile names it.
    let g = admin.call("POST", "/api/v1/customer-groups", Some(json!({"name": "Wholesale"}))).await.json();
    let gid = g["id"].as_i64().unwrap();
    let r = admin
        .call("PUT", &format!("/api/v1/customer-groups/{gid}"), Some(json!({"id": gid, "name": "Wholesale EU"})))
        .await;
    assert_eq!(r.json(), json!({"id": gid, "name": "Wholesale EU"}));
    admin.call("POST", "/api/v1/customer-groups", Some(json!({"name": "Retail"}))).await;
    let v = error_of(
        &admin.call("POST", "/api/v1/customer-groups", Some(json!({"name": "Retail"}))).await,
        422,
        "unprocessable",
    );
    assert!(field_named(&v, "name"));
    app.db(|c| {
        use portico::profiles::model::{RawProfile, validate};
        let raw = RawProfile {
            name: "Wholesale only".into(),
            availability: "groups".into(),
            customer_groups: vec!["Wholesale EU".into()],
            ..Default::default()
        };
        portico::profiles::Profile::create(c, &validate(&raw).unwrap()).unwrap();
    })
    .await;
    error_of(&admin.call("DELETE", &format!("/api/v1/customer-groups/{gid}"), None).await, 409, "conflict");
    let v = admin.ok("/api/v1/customer-groups?sortField=name&sortOrder=Descend").await;
    assert_eq!(v["items"][0]["name"], "Wholesale EU");
    // Tags.
    let t = admin.call("POST", "/api/v1/tags", Some(json!({"name": "Hot", "color": "Red"}))).await.json();
    let tid = t["id"].as_i64().unwrap();
    let r = admin.call("PUT", &format!("/api/v1/tags/{tid}"), Some(json!({"name": "Hot", "color": "Volcano"}))).await;
    assert_eq!(r.json()["color"], "Volcano");
    assert_eq!(admin.call("DELETE", &format!("/api/v1/tags/{tid}"), None).await.status, 204);
    // Accounts: money as decimal strings, balance read-only.
    let c = app.create_customer("Acme", None).await;
    let r = admin
        .call(
            "POST",
            &format!("/api/v1/customers/{c}/accounts"),
            Some(json!({"name": "Main", "currency": "EUR", "minBalance": "-12.5", "maxBalance": "1000.123456", "isPostpaid": true})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let a = r.json();
    let aid = a["id"].as_i64().unwrap();
    assert_eq!(
        (a["balance"].as_str(), a["minBalance"].as_str(), a["maxBalance"].as_str()),
        (Some("0.000000"), Some("-12.500000"), Some("1000.123456"))
    );
    let mut put = a.clone();
    put["balance"] = json!("999999.000000");
    put["capacity"] = json!(30);
    put["maxBalance"] = Value::Null;
    let r = admin.call("PUT", &format!("/api/v1/accounts/{aid}"), Some(put)).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let a2 = r.json();
    assert_eq!(
        (a2["balance"].as_str(), a2["capacity"].as_i64(), a2["maxBalance"].clone()),
        (Some("0.000000"), Some(30), Value::Null)
    );
    for (field, value) in
        [("minBalance", json!("1.2345678")), ("minBalance", json!("1e3")), ("currency", json!("euro"))]
    {
        let mut bad = a2.clone();
        bad[field] = value;
        let v = error_of(&admin.call("PUT", &format!("/api/v1/accounts/{aid}"), Some(bad)).await, 422, "unprocessable");
        assert!(field_named(&v, field), "{v}");
    }
    let mut number = a2.clone();
    number["minBalance"] = json!(5);
    assert!(field_named(
        &error_of(&admin.call("PUT", &format!("/api/v1/accounts/{aid}"), Some(number)).await, 400, "bad_request"),
        "minBalance"
    ));
    assert_eq!(admin.ok(&format!("/api/v1/customers/{c}/accounts")).await["items"][0]["capacity"], 30);
    assert_eq!(admin.ok(&format!("/api/v1/customers?accountIds={aid}")).await["items"][0]["id"], c);
    // Access codes.
    let code = admin
        .call(
            "POST",
            &format!("/api/v1/customers/{c}/access-codes"),
            Some(json!({"label": "Gate", "public": {"text": "G", "value": "1"}})),
        )
        .await
        .json();
    let cid = code["id"].as_i64().unwrap();
    assert_eq!(code["private"], json!({"master": "", "read": "", "write": ""}));
    let mut put = code.clone();
    put["private"]["master"] = json!("0xNEW");
    let r = admin.call("PUT", &format!("/api/v1/access-codes/{cid}"), Some(put)).await;
    assert_eq!(r.json()["private"]["master"], "0xNEW");
    let diff: Option<String> = app
        .db(|c| {
            audit_log::table
                .filter(audit_log::action.eq("access_code.update"))
                .select(audit_log::diff)
                .first(c)
                .unwrap()
        })
        .await;
    assert!(!diff.unwrap().contains("0xNEW"), "secrets stay out of the audit log");
    assert_eq!(admin.call("DELETE", &format!("/api/v1/access-codes/{cid}"), None).await.status, 204);
    assert_eq!(admin.call("DELETE", &format!("/api/v1/accounts/{aid}"), None).await.status, 204);
    error_of(&admin.get(&format!("/api/v1/accounts/{aid}")).await, 404, "not_found");
    let actions: Vec<String> = audit_actions(&app).await.into_iter().map(|a| a.0).collect();
    for a in [
        "group.create",
        "group.update",
        "tag.create",
        "tag.update",
        "tag.delete",
        "account.create",
        "account.update",
        "account.delete",
        "access_code.create",
        "access_code.update",
        "access_code.delete",
    ] {
        assert!(actions.contains(&a.to_string()), "{a}: {actions:?}");
    }
}
both!(groups_tags_accounts_and_codes);

async fn openapi_document_is_served(app: TestApp) {
    let r = app.browser().get("/api/openapi.json").await;
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in ["/api/v1/customers", "/api/v1/customers.csv", "/api/v1/access-profiles/{id}", "/api/v1/profile/tokens"]
    {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
    let params: Vec<&str> = doc["paths"]["/api/v1/customers"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in ["page", "CountPerPage", "tagIds", "TagIds", "shallowParent", "nameFilter"] {
        assert!(params.contains(&p), "{p}");
    }
    assert_eq!(doc["components"]["securitySchemes"]["bearerAuth"]["scheme"], "bearer");
    assert!(doc["paths"]["/api/v1/access-profiles/{id}"]["put"]["responses"]["409"].is_object());
}
both!(openapi_document_is_served);
