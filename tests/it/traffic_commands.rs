//! Issue 9: the CDR lists answer CSV when the client asks for it (and only with the export
//! key), recordings must be audio, and the ingest routes are described truly.

use portico::access::Perm;
use portico::users::model::Role;
use serde_json::{Value, json};

use crate::both;
use crate::support::{Browser, TestApp, account_of, customer_token, customer_with, send, staff_token};

fn keys_without(off: &[&str]) -> Vec<&'static str> {
    Perm::ALL.iter().map(|p| p.key()).filter(|k| !off.contains(k)).collect()
}

/// `n` CDRs of an account, every third one incoming.
fn cdrs(account: i64, prefix: &str, n: usize) -> String {
    let rows: Vec<Value> = (0..n)
        .map(|i| {
            json!({"externalId": format!("{prefix}-{i}"), "accountId": account,
                "direction": if i % 3 == 2 { "incoming" } else { "outgoing" },
                "timeStart": format!("2026-04-01T10:{i:02}:00Z"), "duration": 30, "dstNumber": format!("4930{i:04}")})
        })
        .collect();
    Value::Array(rows).to_string()
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

async fn accept_csv_on_a_cdr_list_needs_the_export_key(app: TestApp) {
    let staff = staff_token(&app).await;
    let (plain, c1, _) =
        customer_with(&app, "noexport@acme.example", Role::User, &keys_without(&["outgoing_cdr_exports"])).await;
    let (exporter, c2, _) = customer_with(&app, "export@acme.example", Role::User, &keys_without(&[])).await;
    for (c, prefix) in [(c1, "a"), (c2, "b")] {
        let a = account_of(&app, c).await;
        assert_eq!(
            send(&app, &staff, "POST", "/api/v1/cdrs", "application/json", &cdrs(a, prefix, 9)).await.status,
            200
        );
    }
    let csv = [("Accept", "text/csv")];
    // Without the export key: the page and the API refuse CSV however it is asked for.
    assert_eq!(plain.get_with("/portal/cdrs/outgoing", &csv).await.status, 403, "page, Accept: text/csv");
    assert_eq!(plain.get("/portal/cdrs/outgoing?format=csv").await.status, 403, "page, format=csv");
    let t1 = customer_token(&app, "noexport@acme.example").await;
    let api = Browser::new(&app.base);
    let r = api.get_with("/api/v1/portal/cdrs?direction=outgoing", &[("Authorization", &bearer(&t1)), csv[0]]).await;
    assert_eq!(r.status, 403, "API, Accept: text/csv");
    // …while the HTML and JSON answers stay available.
    let page =
        plain.get_with("/portal/cdrs/outgoing", &[("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")]).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body.matches("<tr data-id=").count(), 6);
    let r = api.get_with("/api/v1/portal/cdrs?direction=outgoing", &[("Authorization", &bearer(&t1))]).await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 6);

    // With the key: the same streamed CSV as the export, from the page and from the API.
    let export = exporter.get("/portal/cdrs/outgoing/export").await;
    assert_eq!(export.status, 200);
    assert_eq!(export.body.lines().count(), 7, "header and the six outgoing CDRs");
    let page = exporter.get_with("/portal/cdrs/outgoing", &csv).await;
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap().starts_with("text/csv"));
    assert_eq!(page.body, export.body);
    assert_eq!(exporter.get("/portal/cdrs/outgoing?format=csv").await.body, export.body);
    let t2 = customer_token(&app, "export@acme.example").await;
    let r = api.get_with("/api/v1/portal/cdrs?direction=outgoing", &[("Authorization", &bearer(&t2)), csv[0]]).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body, export.body);
    // Incoming CDRs have no export key: their list answers CSV to whoever may see them.
    let incoming = plain.get_with("/portal/cdrs/incoming", &csv).await;
    assert_eq!((incoming.status, incoming.body.lines().count()), (200, 4));
    // Every download is audited.
    assert_eq!(crate::support::audited(&app, "export.cdrs").await, 5);
}
both!(accept_csv_on_a_cdr_list_needs_the_export_key);

async fn recordings_must_be_audio(app: TestApp) {
    let staff = staff_token(&app).await;
    let (_b, c, _) = customer_with(&app, "rec@acme.example", Role::User, &keys_without(&[])).await;
    let a = account_of(&app, c).await;
    send(&app, &staff, "POST", "/api/v1/cdrs", "application/json", &cdrs(a, "r", 1)).await;
    let cdr: i64 = app
        .db(|c| {
            use diesel::prelude::*;
            use portico::db::schema::cdrs;
            cdrs::table.select(cdrs::id).first(c).unwrap()
        })
        .await;
    let path = format!("/api/v1/cdrs/{cdr}/recording");
    let r = send(&app, &staff, "PUT", &path, "application/json", "{}").await;
    assert_eq!(r.status, 415, "{}", r.body);
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("audio"));
    let r = send(&app, &staff, "PUT", &path, "audio/wav", "{}").await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"]["details"][0]["field"], "body");
    let stored: Option<String> = app
        .db(move |c| {
            use diesel::prelude::*;
            use portico::db::schema::cdrs;
            cdrs::table.find(cdr).select(cdrs::recording).first(c).unwrap()
        })
        .await;
    assert_eq!(stored, None, "nothing stored");
    let ok = Browser::new(&app.base)
        .request_bytes(
            "PUT",
            &path,
            &[("Authorization", &bearer(&staff)), ("Content-Type", "audio/mpeg")],
            b"ID3\x04\0\0\0\0\0\0".to_vec(),
        )
        .await;
    assert_eq!(ok.status, 204);
}
both!(recordings_must_be_audio);

async fn ingest_routes_are_described(app: TestApp) {
    let doc = Browser::new(&app.base).get("/api/openapi.json").await.json();
    let op = |path: &str, method: &str| doc["paths"][path][method].clone();
    let schema = |name: &str| doc["components"]["schemas"][name].clone();
    let cdrs = op("/api/v1/cdrs", "post");
    let content = cdrs["requestBody"]["content"].as_object().unwrap();
    assert!(content.contains_key("application/json") && content.contains_key("text/csv"));
    assert!(cdrs["responses"]["413"]["description"].as_str().unwrap().contains("16 MiB"));
    assert!(cdrs["responses"]["200"].is_object() && cdrs["responses"]["422"].is_object());
    let row = schema("CdrRow");
    assert!(row["required"].as_array().unwrap().contains(&json!("externalId")), "{row}");
    assert_eq!(schema("Direction")["enum"], json!(["outgoing", "incoming"]));
    for (path, method) in [
        ("/api/v1/invoices", "post"),
        ("/api/v1/payments", "post"),
        ("/api/v1/transactions", "post"),
        ("/api/v1/services", "post"),
        ("/api/v1/rateplans", "post"),
        ("/api/v1/numbers", "post"),
        ("/api/v1/campaigns", "post"),
        ("/api/v1/numberlists", "post"),
        ("/api/v1/active-calls", "put"),
    ] {
        let body = &op(path, method)["requestBody"]["content"]["application/json"]["schema"];
        assert!(body.as_object().is_some_and(|o| !o.is_empty()), "{path}: {body}");
        assert!(op(path, method)["responses"]["413"]["description"].as_str().unwrap().contains("16 MiB"), "{path}");
    }
    let rec = op("/api/v1/cdrs/{id}/recording", "put");
    assert!(rec["requestBody"]["content"]["audio/*"].is_object());
    assert!(rec["responses"]["415"].is_object());
    for path in ["/api/v1/portal/cdrs", "/api/v1/portal/statistics", "/api/v1/portal/active-calls"] {
        assert!(op(path, "get")["responses"]["400"].is_object(), "{path} documents its 400");
    }
    let params = op("/api/v1/portal/cdrs", "get")["parameters"].as_array().unwrap().clone();
    let param = |name: &str| params.iter().find(|p| p["name"] == name).cloned().unwrap();
    assert_eq!(param("direction")["required"], true);
    assert_eq!(param("countPerPage")["schema"]["maximum"], 1000);
    assert_eq!(param("countPerPage")["schema"]["minimum"], 1);
}
both!(ingest_routes_are_described);

/// What the OpenAPI document allows, the ingest routes accept: a whole number written `60.0`,
/// `null` for an optional field, one object where "one or many" is documented.
async fn ingest_accepts_what_its_schema_allows(app: TestApp) {
    let staff = staff_token(&app).await;
    let (_, c, _) = customer_with(&app, "schema@acme.example", Role::User, &keys_without(&[])).await;
    let a = account_of(&app, c).await;
    let body = json!([{"externalId": "s-1", "accountId": a, "customerId": null, "direction": "outgoing",
        "timeStart": "2026-04-01T10:00:00Z", "timeConnect": null, "duration": 60.0, "billedDuration": 60.0}]);
    let r = send(&app, &staff, "POST", "/api/v1/cdrs", "application/json", &body.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["inserted"], 1);
    // A fraction where a whole number belongs is still refused, naming row and field.
    let body = json!([{"externalId": "s-2", "accountId": a, "direction": "outgoing",
        "timeStart": "2026-04-01T10:00:00Z", "duration": 60.5}]);
    let r = send(&app, &staff, "POST", "/api/v1/cdrs", "application/json", &body.to_string()).await;
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.json()["error"]["details"][0]["field"], "rows[1].duration");
    // A push of one object (not an array) with an integral float id.
    let body = json!({"accountId": a as f64, "amount": "1.500000", "description": "top-up",
        "occurredAt": "2026-04-02T08:00:00Z", "externalId": null});
    let r = send(&app, &staff, "POST", "/api/v1/transactions", "application/json", &body.to_string()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["stored"], 1);
}
both!(ingest_accepts_what_its_schema_allows);
