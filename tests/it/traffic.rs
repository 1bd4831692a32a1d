//! SPEC §4, §5, §8 ingest, §11: portal sections with real data, keyset pages, exports,
//! statistics against an independent computation, redaction, IDOR, recordings with Range.

use portico::access::Perm;
use portico::users::model::Role;
use serde_json::{Value, json};

use crate::both;
use crate::support::customer_with;
use crate::support::{Browser, TestApp, account_of, send, staff_token};

fn all_keys() -> Vec<&'static str> {
    Perm::ALL.iter().map(|p| p.key()).collect()
}

/// `n` outgoing CDRs a minute apart ending now-ish, on `day`, with varied fields.
fn cdr_batch(account: i64, prefix: &str, n: usize, day: &str) -> Vec<Value> {
    (0..n)
        .map(|i| {
            let ok = i % 3 != 0;
            let dur = if ok { 30 + (i as i64 * 7) % 200 } else { 0 };
            json!({
                "externalId": format!("{prefix}-{i}"),
                "accountId": account,
                "direction": if i % 5 == 4 { "incoming" } else { "outgoing" },
                "timeStart": format!("{day}T{:02}:{:02}:00Z", 8 + i / 60, i % 60),
                "duration": dur,
                "success": ok,
                "srcNumber": "+4420123456",
                "dstNumber": format!("4930{:06}", i),
                "destinationPrefix": "49",
                "destinationName": if i == 1 { "=HYPERLINK(\"http://evil\")" } else { "Germany" },
                "rate": "0.012000",
                "price": format!("0.{:06}", 1000 + i * 17),
                "disconnectCode": if ok { 16 } else { 17 },
                "disconnectReason": if ok { "Normal" } else { "User busy" },
            })
        })
        .collect()
}

async fn ingest_is_all_or_nothing_and_idempotent(app: TestApp) {
    let token = staff_token(&app).await;
    let c = app.create_customer("Acme", None).await;
    let a = account_of(&app, c).await;
    let mut rows = cdr_batch(a, "x", 10, "2026-03-02");
    rows[6]["timeStart"] = json!("yesterday at noon");
    rows[8]["rate"] = json!(0.5);
    let r =
        send(&app, &token, "POST", "/api/v1/cdrs", "application/json", &Value::Array(rows.clone()).to_string()).await;
    assert_eq!(r.status, 400, "a number where a decimal string belongs names the row: {}", r.body);
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("Row 9"));
    rows[8]["rate"] = json!("0.5");
    let r =
        send(&app, &token, "POST", "/api/v1/cdrs", "application/json", &Value::Array(rows.clone()).to_string()).await;
    assert_eq!(r.status, 422, "{}", r.body);
    let err = r.json();
    assert_eq!(err["error"]["code"], "unprocessable");
    assert_eq!(err["error"]["details"][0]["field"], "rows[7].timeStart");
    let n: i64 = app
        .db(|c| {
            use diesel::prelude::*;
            portico::db::schema::cdrs::table.count().get_result(c).unwrap()
        })
        .await;
    assert_eq!(n, 0, "nothing stored");
    rows[6]["timeStart"] = json!("2026-03-02T09:59:00Z");
    let r =
        send(&app, &token, "POST", "/api/v1/cdrs", "application/json", &Value::Array(rows.clone()).to_string()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["inserted"], 10);
    let again = send(&app, &token, "POST", "/api/v1/cdrs", "application/json", &Value::Array(rows).to_string()).await;
    assert_eq!(again.json(), json!({"received": 10, "inserted": 0, "duplicates": 10}));
    let hourly: i64 = app
        .db(|c| {
            use diesel::prelude::*;
            use portico::db::schema::cdr_hourly;
            cdr_hourly::table.select(cdr_hourly::total_calls).load::<i64>(c).unwrap().iter().sum()
        })
        .await;
    assert_eq!(hourly, 10, "rollups count each CDR once");
    // CSV ingest, with a row error naming the row.
    let csv = format!(
        "externalId,accountId,direction,timeStart,duration,success,dstNumber,price\ncsv-1,{a},outgoing,2026-03-03T10:00:00Z,60,true,49301,0.10\ncsv-2,{a},sideways,2026-03-03T10:01:00Z,0,false,49302,0\n"
    );
    let r = send(&app, &token, "POST", "/api/v1/cdrs", "text/csv", &csv).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["error"]["details"][0]["field"], "rows[2].direction");
    let r = send(&app, &token, "POST", "/api/v1/cdrs", "text/csv", &csv.replace("sideways", "incoming")).await;
    assert_eq!(r.json()["inserted"], 2);
    // Unknown accounts, unknown fields, customer users: refused.
    let r = send(&app, &token, "POST", "/api/v1/cdrs", "application/json", &json!([{"externalId": "z", "accountId": 999999, "direction": "outgoing", "timeStart": "2026-03-03T10:00:00Z"}]).to_string()).await;
    assert_eq!(r.status, 422);
    let r = send(
        &app,
        &token,
        "POST",
        "/api/v1/cdrs",
        "application/json",
        &json!([{"externalId": "z", "acountId": a}]).to_string(),
    )
    .await;
    assert_eq!(r.status, 400);
    let r = Browser::new(&app.base).request("POST", "/api/v1/cdrs", &[], Some(("[]", "application/json"))).await;
    assert_eq!(r.status, 401);
}
both!(ingest_is_all_or_nothing_and_idempotent);

async fn cdr_pages_keyset_filters_and_export(app: TestApp) {
    let token = staff_token(&app).await;
    let (b, c, _) = customer_with(&app, "cdr@acme.example", Role::User, &all_keys()).await;
    let a = account_of(&app, c).await;
    let rows = cdr_batch(a, "k", 130, "2026-03-02");
    assert_eq!(
        send(&app, &token, "POST", "/api/v1/cdrs", "application/json", &Value::Array(rows.clone()).to_string())
            .await
            .status,
        200
    );
    let outgoing: Vec<&Value> = rows.iter().filter(|r| r["direction"] == "outgoing").collect();
    // Walk every page through the "load more" links: no gaps, no repeats, newest first.
    let mut seen = Vec::new();
    let mut url = "/portal/cdrs/outgoing".to_string();
    let mut pages = 0;
    loop {
        let page = b.get(&url).await;
        assert_eq!(page.status, 200);
        let ids: Vec<i64> =
            page.body.split("<tr data-id=\"").skip(1).map(|s| s[..s.find('"').unwrap()].parse().unwrap()).collect();
        seen.extend(ids);
        pages += 1;
        match page.body.find("hx-get=\"/portal/cdrs/outgoing/rows?") {
            Some(i) => {
                let rest = &page.body[i + 8..];
                url = rest[..rest.find('"').unwrap()].replace("&amp;", "&");
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), outgoing.len());
    let mut dedup = seen.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(dedup.len(), seen.len(), "no repeats");
    // Filters: number prefix, success, duration, time range (plain dates in the user's zone).
    let f = b.get("/portal/cdrs/outgoing/rows?number=4930000001&success=yes").await;
    let n = f.body.matches("<tr data-id=").count();
    let expect = outgoing
        .iter()
        .filter(|r| r["dstNumber"].as_str().unwrap().starts_with("4930000001") && r["success"] == true)
        .count();
    assert_eq!(n, expect);
    let none = b.get("/portal/cdrs/outgoing?from=2026-03-03").await;
    assert!(none.body.contains("No calls match"));
    let bad = b.get("/portal/cdrs/outgoing?from=someday").await;
    assert_eq!(bad.status, 400);
    assert_eq!(b.get("/portal/cdrs/outgoing/rows?cursor=nonsense").await.status, 400);
    // Export: the same rows as the filter, formula cells guarded, numbers intact.
    let csv = b.get("/portal/cdrs/outgoing/export?success=yes").await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let mut r = csv::Reader::from_reader(csv.body.as_bytes());
    let recs: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(recs.len(), outgoing.iter().filter(|r| r["success"] == true).count());
    assert!(csv.body.contains("'=HYPERLINK"), "formula guarded");
    assert!(csv.body.contains(",+4420123456,"), "plain numbers stay numbers");
    let audit: i64 = app
        .db(|c| {
            use diesel::prelude::*;
            use portico::db::schema::audit_log;
            audit_log::table.filter(audit_log::action.eq("export.cdrs")).count().get_result(c).unwrap()
        })
        .await;
    assert_eq!(audit, 1, "exports are audited");
}
both!(cdr_pages_keyset_filters_and_export);

async fn statistics_match_an_independent_computation(app: TestApp) {
    let token = staff_token(&app).await;
    let (b, c, pid) = customer_with(&app, "stats@acme.example", Role::User, &all_keys()).await;
    let a = account_of(&app, c).await;
    let rows = cdr_batch(a, "s", 90, "2026-03-02");
    send(&app, &token, "POST", "/api/v1/cdrs", "application/json", &Value::Array(rows.clone()).to_string()).await;
    let out: Vec<&Value> = rows.iter().filter(|r| r["direction"] == "outgoing").collect();
    let total = out.len() as f64;
    let ok: Vec<&&Value> = out.iter().filter(|r| r["success"] == true).collect();
    let ok_dur: i64 = ok.iter().map(|r| r["duration"].as_i64().unwrap()).sum();
    let acd = ok_dur as f64 / ok.len() as f64;
    let asr = ok.len() as f64 * 100.0 / total;
    let price: i64 = out.iter().map(|r| portico::money::parse(r["price"].as_str().unwrap()).unwrap()).sum();
    let page = b.get("/portal/statistics/outgoing?from=2026-03-01&to=2026-03-04&sampling=day").await;
    assert_eq!(page.status, 200);
    let figure = |slug: &str| -> String {
        let marker = format!("<span data-metric-value=\"{slug}\">");
        let i = page.body.find(&marker).unwrap_or_else(|| panic!("figure of {slug}")) + marker.len();
        page.body[i..i + page.body[i..].find('<').unwrap()].to_string()
    };
    assert_eq!(figure("total_calls"), format!("{total}"));
    assert_eq!(figure("successful_calls"), format!("{}", ok.len()));
    assert_eq!(figure("failed_calls"), format!("{}", out.len() - ok.len()));
    assert_eq!(figure("acd"), format!("{acd:.1}"));
    assert_eq!(figure("asr"), format!("{asr:.1}"));
    assert_eq!(figure("total_price"), portico::money::format(price));
    assert!(page.body.contains("<svg class=\"chart\""));
    // Value keys off: the metric stays as a shape, its numbers are gone from the HTML.
    let keep: Vec<&'static str> = all_keys()
        .into_iter()
        .filter(|k| *k != "outgoing_statistics_acd_value" && *k != "outgoing_statistics_total_price_value")
        .collect();
    app.db(move |conn| {
        let p = portico::profiles::Profile::get(conn, pid).unwrap();
        let mut i = p.input();
        i.permissions = keep.iter().map(|k| Perm::from_key(k).unwrap()).collect();
        portico::profiles::Profile::update(conn, pid, p.version, &i).map_err(|_| ()).unwrap();
    })
    .await;
    let page = b.get("/portal/statistics/outgoing?from=2026-03-01&to=2026-03-04&sampling=hour").await;
    assert!(page.body.contains("data-metric=\"acd\""), "the metric is still shown");
    assert!(!page.body.contains("data-metric-value=\"acd\""), "no absolute ACD figure anywhere");
    assert!(!page.body.contains("data-metric-value=\"total_price\""));
    assert!(!page.body.contains(&format!("{acd:.1}")), "the ACD value is absent from the HTML");
    assert!(!page.body.contains(&portico::money::format(price)));
    assert!(page.body.contains("data-metric-value=\"total_calls\""), "other values stay");
    // Metric off: the block disappears.
    app.db(move |conn| {
        let p = portico::profiles::Profile::get(conn, pid).unwrap();
        let mut i = p.input();
        i.permissions.retain(|k| *k != Perm::OutgoingStatisticsAsr);
        portico::profiles::Profile::update(conn, pid, p.version, &i).map_err(|_| ()).unwrap();
    })
    .await;
    assert!(!b.get("/portal/statistics/outgoing").await.body.contains("data-metric=\"asr\""));
    assert_eq!(b.get("/portal/statistics/outgoing?sampling=minute").await.status, 400);
}
both!(statistics_match_an_independent_computation);

async fn sections_show_their_records(app: TestApp) {
    let token = staff_token(&app).await;
    let (b, c, _) = customer_with(&app, "sec@acme.example", Role::Administrator, &all_keys()).await;
    let a = account_of(&app, c).await;
    let post = |path: &'static str, body: Value| {
        let (app, token) = (&app, token.clone());
        async move { send(app, &token, "POST", path, "application/json", &body.to_string()).await }
    };
    let r = post("/api/v1/invoices", json!({"externalId": "i1", "accountId": a, "number": "INV-1", "issuedOn": "2026-03-01", "periodStart": "2026-02-01", "periodEnd": "2026-02-28", "dueOn": "2026-03-15", "amount": "100.00", "tax": "19.00", "lines": [{"description": "Voice", "quantity": "1", "unitPrice": "100", "amount": "100"}]})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let inv = r.json()["ids"][0].as_i64().unwrap();
    let pdf = b"%PDF-1.4 test";
    let r = send(
        &app,
        &token,
        "PUT",
        &format!("/api/v1/invoices/{inv}/pdf"),
        "application/pdf",
        std::str::from_utf8(pdf).unwrap(),
    )
    .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        send(&app, &token, "PUT", &format!("/api/v1/invoices/{inv}/pdf"), "application/pdf", "not a pdf").await.status,
        422
    );
    assert_eq!(post("/api/v1/payments", json!({"accountId": a, "amount": "119.00", "method": "bank transfer", "reference": "INV-1", "paidAt": "2026-03-10T10:00:00Z"})).await.status, 200);
    assert_eq!(post("/api/v1/transactions", json!([{"externalId": "t1", "accountId": a, "amount": "-12.50", "kind": "usage", "description": "Calls", "occurredAt": "2026-03-10T10:00:00Z"}])).await.status, 200);
    assert_eq!(post("/api/v1/transactions", json!([{"externalId": "t1", "accountId": a, "amount": "-12.50", "kind": "usage", "description": "Calls", "occurredAt": "2026-03-10T10:00:00Z"}])).await.status, 200);
    assert_eq!(
        post(
            "/api/v1/services",
            json!({"accountId": a, "name": "SIP trunk", "price": "50", "startedOn": "2026-01-01"})
        )
        .await
        .status,
        200
    );
    assert_eq!(post("/api/v1/rateplans", json!({"name": "Deck", "currency": "EUR", "customerIds": [c], "rates": [{"prefix": "49", "destinationName": "Germany", "rate": "0.01"}, {"prefix": "4915", "destinationName": "Germany mobile", "rate": "0.03"}]})).await.status, 200);
    assert_eq!(post("/api/v1/numbers", json!([{"customerId": c, "number": "4930111", "backendDescription": "Main line"}, {"customerId": c, "number": "4930222", "backendDescription": "Sales"}])).await.status, 200);
    assert_eq!(
        post("/api/v1/numberlists", json!({"name": "Blocked", "customerIds": [c], "items": [{"number": "882"}]}))
            .await
            .status,
        200
    );
    assert_eq!(send(&app, &token, "PUT", "/api/v1/active-calls", "application/json", &json!([{"externalId": "live1", "accountId": a, "direction": "outgoing", "timeStart": "2026-03-10T10:00:00Z", "dstNumber": "4930999"}]).to_string()).await.status, 200);
    // Pages.
    let invs = b.get("/portal/invoices").await;
    assert!(invs.body.contains("INV-1") && invs.body.contains("119.00 EUR"));
    let detail = b.get(&format!("/portal/invoices/{inv}")).await;
    assert!(detail.body.contains("Voice"));
    let file = b.get(&format!("/portal/invoices/{inv}/pdf")).await;
    assert_eq!(file.bytes, pdf);
    assert!(b.get("/portal/payments").await.body.contains("bank transfer"));
    let tx = b.get("/portal/transactions").await;
    assert_eq!(tx.body.matches("<tr data-id=").count(), 1, "idempotent on externalId");
    assert!(tx.body.contains("-12.50"));
    let acc = b.get("/portal/account").await;
    assert!(acc.body.contains("-12.50"), "the ledger moved the balance");
    assert!(b.get("/portal/services").await.body.contains("SIP trunk"));
    let check = b.get("/portal/rateplans/check?number=%2B49%20151%201234").await;
    assert!(check.body.contains("<code data-prefix>4915</code>"), "longest prefix wins: {}", check.body);
    assert_eq!(b.get("/portal/rateplans/check?number=abc").await.status, 422);
    let nums = b.get("/portal/numbers").await;
    assert!(nums.body.contains("Main line"), "backend descriptions with backend_descriptions");
    let nid: i64 = app
        .db(|c| {
            use diesel::prelude::*;
            use portico::db::schema::numbers;
            numbers::table.filter(numbers::number.eq("4930111")).select(numbers::id).first(c).unwrap()
        })
        .await;
    let r = b.post_form(&format!("/portal/numbers/{nid}/description"), &[("description", "Front desk")]).await;
    assert_eq!(r.status, 303);
    assert!(b.get("/portal/numbers").await.body.contains("value=\"Front desk\""));
    let r = b.post_form("/portal/campaigns", &[("name", "Spring"), ("numbers", &nid.to_string())]).await;
    assert_eq!(r.status, 303);
    assert!(b.get("/portal/campaigns").await.body.contains("Spring"));
    let lists = b.get("/portal/numberlists").await;
    assert!(lists.body.contains("882"));
    let lid: i64 = app
        .db(|c| {
            use diesel::prelude::*;
            use portico::db::schema::numberlists;
            numberlists::table.select(numberlists::id).first(c).unwrap()
        })
        .await;
    let token_csrf = b.csrf.borrow().clone().unwrap();
    let r = b
        .request(
            "POST",
            &format!("/portal/numberlists/{lid}/items"),
            &[("X-CSRF-Token", &token_csrf), ("HX-Request", "true")],
            Some(("number=%2B4990123&note=premium", "application/x-www-form-urlencoded")),
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("<code>4990123</code>") && !r.body.contains("<html"), "htmx answers the list fragment");
    let r = b
        .request(
            "POST",
            &format!("/portal/numberlists/{lid}/items"),
            &[("X-CSRF-Token", &token_csrf), ("HX-Request", "true")],
            Some(("number=4990123", "application/x-www-form-urlencoded")),
        )
        .await;
    assert_eq!(r.status, 422, "duplicates refused");
    let active = b.get("/portal/active-calls/rows").await;
    assert!(active.body.contains("4930999") && active.body.contains("hx-trigger=\"every 5s\""));
    // Customer user without backend_descriptions sees only its own descriptions.
    let keys: Vec<&'static str> = all_keys().into_iter().filter(|k| *k != "backend_descriptions").collect();
    let (b2, c2, _) = customer_with(&app, "other@acme.example", Role::User, &keys).await;
    let _ = c2;
    assert!(!b2.get("/portal/numbers").await.body.contains("Main line"));
}
both!(sections_show_their_records);

async fn other_customers_records_are_404_everywhere(app: TestApp) {
    let token = staff_token(&app).await;
    let (mine, _c, _) = customer_with(&app, "me@a.example", Role::Administrator, &all_keys()).await;
    let (_theirs, c2, _) = customer_with(&app, "them@b.example", Role::Administrator, &all_keys()).await;
    let a2 = account_of(&app, c2).await;
    let rows = cdr_batch(a2, "b", 5, "2026-03-02");
    send(&app, &token, "POST", "/api/v1/cdrs", "application/json", &Value::Array(rows).to_string()).await;
    let cdr: i64 = app
        .db(|c| {
            use diesel::prelude::*;
            use portico::db::schema::cdrs;
            cdrs::table.filter(cdrs::direction.eq(0i16)).select(cdrs::id).first(c).unwrap()
        })
        .await;
    let rec =
        send(&app, &token, "PUT", &format!("/api/v1/cdrs/{cdr}/recording"), "audio/wav", "RIFF....WAVEfmt ").await;
    assert_eq!(rec.status, 204);
    let inv = send(&app, &token, "POST", "/api/v1/invoices", "application/json", &json!({"accountId": a2, "number": "B-1", "issuedOn": "2026-03-01", "periodStart": "2026-02-01", "periodEnd": "2026-02-28", "dueOn": "2026-03-15", "amount": "1"}).to_string()).await.json()["ids"][0].as_i64().unwrap();
    send(&app, &token, "PUT", &format!("/api/v1/invoices/{inv}/pdf"), "application/pdf", "%PDF-1.4").await;
    send(
        &app,
        &token,
        "POST",
        "/api/v1/numbers",
        "application/json",
        &json!({"customerId": c2, "number": "4940111"}).to_string(),
    )
    .await;
    send(
        &app,
        &token,
        "POST",
        "/api/v1/numberlists",
        "application/json",
        &json!({"name": "Theirs", "customerIds": [c2], "items": [{"number": "1"}]}).to_string(),
    )
    .await;
    let (nid, lid, item): (i64, i64, i64) = app
        .db(|c| {
            use diesel::prelude::*;
            use portico::db::schema::{numberlist_items, numberlists, numbers};
            (
                numbers::table.select(numbers::id).first(c).unwrap(),
                numberlists::table.select(numberlists::id).first(c).unwrap(),
                numberlist_items::table.select(numberlist_items::id).first(c).unwrap(),
            )
        })
        .await;
    for path in [
        format!("/portal/invoices/{inv}"),
        format!("/portal/invoices/{inv}/pdf"),
        format!("/portal/cdrs/outgoing/{cdr}/recording"),
        "/portal/rateplans?plan=1".to_string(),
    ] {
        let r = mine.get(&path).await;
        assert!(r.status == 404, "{path}: {}", r.status);
    }
    for path in [
        format!("/portal/numbers/{nid}/description"),
        format!("/portal/numberlists/{lid}/items"),
        format!("/portal/numberlists/{lid}/items/{item}/delete"),
    ] {
        let r = mine.post_form(&path, &[("description", "x"), ("number", "123")]).await;
        assert_eq!(r.status, 404, "{path}");
    }
    let r = mine.post_form("/portal/campaigns", &[("name", "Steal"), ("numbers", &nid.to_string())]).await;
    assert_eq!(r.status, 422, "foreign numbers refused");
    // Their export holds nothing of theirs for me.
    let csv = mine.get("/portal/cdrs/outgoing/export").await;
    assert_eq!(csv.body.lines().count(), 1);
}
both!(other_customers_records_are_404_everywhere);

async fn recordings_support_range_requests(app: TestApp) {
    let token = staff_token(&app).await;
    let keys: Vec<&'static str> = all_keys().into_iter().filter(|k| *k != "listen_recording").collect();
    let (b, c, pid) = customer_with(&app, "rec@acme.example", Role::User, &all_keys()).await;
    let a = account_of(&app, c).await;
    send(
        &app,
        &token,
        "POST",
        "/api/v1/cdrs",
        "application/json",
        &Value::Array(cdr_batch(a, "r", 3, "2026-03-02")).to_string(),
    )
    .await;
    let cdr: i64 = app
        .db(|c| {
            use diesel::prelude::*;
            use portico::db::schema::cdrs;
            cdrs::table.filter(cdrs::external_id.eq("r-1")).select(cdrs::id).first(c).unwrap()
        })
        .await;
    let audio = portico::demo::wav_tone(2, 440.0);
    let r = Browser::new(&app.base)
        .request_bytes(
            "PUT",
            &format!("/api/v1/cdrs/{cdr}/recording"),
            &[("Authorization", &format!("Bearer {token}")), ("Content-Type", "audio/wav")],
            audio.clone(),
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(send(&app, &token, "PUT", "/api/v1/cdrs/999999/recording", "audio/wav", "RIFF").await.status, 404);
    let path = format!("/portal/cdrs/outgoing/{cdr}/recording");
    let full = b.get(&path).await;
    assert_eq!(full.status, 200);
    assert_eq!(full.bytes, audio);
    assert_eq!(full.header("content-type"), Some("audio/wav"));
    assert_eq!(full.header("accept-ranges"), Some("bytes"));
    let part = b.get_with(&path, &[("Range", "bytes=100-199")]).await;
    assert_eq!(part.status, 206);
    assert_eq!(part.bytes, audio[100..200].to_vec());
    assert_eq!(part.header("content-range"), Some(format!("bytes 100-199/{}", audio.len()).as_str()));
    assert!(
        b.get("/portal/cdrs/outgoing").await.body.contains(&format!("src=\"{path}\"")),
        "the page offers the player"
    );
    // Without listen_recording: no player, and 403.
    app.db(move |conn| {
        let p = portico::profiles::Profile::get(conn, pid).unwrap();
        let mut i = p.input();
        i.permissions = keys.iter().map(|k| Perm::from_key(k).unwrap()).collect();
        portico::profiles::Profile::update(conn, pid, p.version, &i).map_err(|_| ()).unwrap();
    })
    .await;
    assert_eq!(b.get(&path).await.status, 403);
    assert!(!b.get("/portal/cdrs/outgoing").await.body.contains("<audio"));
}
both!(recordings_support_range_requests);

async fn daily_reports_list_days_and_stream_csv(app: TestApp) {
    let token = staff_token(&app).await;
    let (b, c, _) = customer_with(&app, "daily@acme.example", Role::User, &all_keys()).await;
    let a = account_of(&app, c).await;
    let today = chrono::Utc::now().date_naive().to_string();
    send(
        &app,
        &token,
        "POST",
        "/api/v1/cdrs",
        "application/json",
        &Value::Array(cdr_batch(a, "d", 20, &today)).to_string(),
    )
    .await;
    let page = b.get("/portal/reports/daily").await;
    assert!(page.body.contains(&format!("/portal/reports/daily/{today}.csv")), "{}", page.body);
    let csv = b.get(&format!("/portal/reports/daily/{today}.csv")).await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.body.lines().count(), 21, "header and both directions' CDRs");
    assert_eq!(b.get("/portal/reports/daily/not-a-day.csv").await.status, 400);
}
both!(daily_reports_list_days_and_stream_csv);
