//! SPEC §5: daily CDR reports hold, and count, only the directions whose `*_cdrs` key is granted.

use portico::users::model::Role;
use serde_json::{Value, json};

use crate::both;
use crate::support::{TestApp, account_of, customer_with, send, staff_token};

async fn daily_reports_hold_only_granted_directions(app: TestApp) {
    let token = staff_token(&app).await;
    let (b, c, _) = customer_with(&app, "out@acme.example", Role::User, &["daily_cdr_reports", "outgoing_cdrs"]).await;
    let account = account_of(&app, c).await;
    let today = chrono::Utc::now().date_naive().to_string();
    let rows: Vec<Value> = (0..12)
        .map(|i| {
            json!({"externalId": format!("r-{i}"), "accountId": account,
                "direction": if i < 4 { "incoming" } else { "outgoing" },
                "timeStart": format!("{today}T09:{i:02}:00Z"), "duration": 30, "success": true,
                "srcNumber": "4930111", "dstNumber": format!("4915{i:06}"), "destinationPrefix": "4915",
                "destinationName": "Germany mobile", "rate": "0.010000", "price": "0.005000"})
        })
        .collect();
    let r = send(&app, &token, "POST", "/api/v1/cdrs", "application/json", &Value::Array(rows).to_string()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let csv = b.get(&format!("/portal/reports/daily/{today}.csv")).await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.body.lines().count(), 1 + 8, "the header and the eight outgoing CDRs only: {}", csv.body);
    assert!(!csv.body.contains("incoming"), "no incoming row in the file");
    let page = b.get("/portal/reports/daily").await;
    let row = page.body.split(&format!("data-id=\"{today}\"")).nth(1).unwrap_or("").split("</tr>").next().unwrap_or("");
    assert!(row.contains(">8<"), "eight outgoing calls counted: {row}");
    assert!(!row.contains(">4<"), "the four incoming calls are not counted: {row}");
    assert_eq!(row.matches("<td class=\"num\">").count(), 1, "one count column, outgoing: {row}");
    assert!(!page.body.contains("Incoming calls"), "no incoming column heading");
}
both!(daily_reports_hold_only_granted_directions);
