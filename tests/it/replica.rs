//! SPEC §13 read replica: on a throwaway primary with a `pg_basebackup -R` hot standby, CDR
//! lists and exports read the standby (replay paused: a new CDR stays invisible), identity
//! stays on the primary (a revoked key is refused at once), a stopped standby falls back to
//! the primary, and reads return to the standby once it is back.

use std::time::{Duration, Instant};

use portico::access::Perm;
use portico::db::DbUrl;
use portico::users::model::Role;
use serde_json::json;

use crate::pgcluster::Cluster;
use crate::support::{Browser, Kind, TestApp, TestDb, account_of, customer_token, customer_with, send, staff_token};

const LIST: &str = "/api/v1/portal/cdrs?direction=outgoing&from=2026-03-01&to=2026-04-01";

fn cdr(account: i64, external: &str, minute: u32) -> String {
    json!([{
        "externalId": external, "accountId": account, "direction": "outgoing",
        "timeStart": format!("2026-03-02T10:{minute:02}:00Z"), "duration": 42, "success": true,
        "srcNumber": "+4420123456", "dstNumber": "4930123456", "destinationPrefix": "49",
        "destinationName": "Germany", "rate": "0.012000", "price": "0.008400",
        "disconnectCode": 16, "disconnectReason": "Normal",
    }])
    .to_string()
}

async fn listed(app: &TestApp, token: &str) -> usize {
    let r = Browser::new(&app.base).request("GET", LIST, &[("Authorization", &format!("Bearer {token}"))], None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["items"].as_array().unwrap().len()
}

async fn exported(app: &TestApp, token: &str) -> usize {
    let path = format!("{LIST}&format=csv");
    let r = Browser::new(&app.base).request("GET", &path, &[("Authorization", &format!("Bearer {token}"))], None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body.lines().count() - 1
}

/// Polls until the list shows `n` CDRs (replication or a fallback pause takes a moment).
async fn until_listed(app: &TestApp, token: &str, n: usize, within: Duration, what: &str) {
    let deadline = Instant::now() + within;
    loop {
        let seen = listed(app, token).await;
        if seen == n {
            return;
        }
        assert!(Instant::now() < deadline, "{what}: the list shows {seen} CDRs, not {n}, after {within:?}");
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Pauses WAL replay on the standby and waits until it has taken effect.
fn pause_replay(standby: &Cluster) {
    standby.psql("postgres", "SELECT pg_wal_replay_pause()");
    let deadline = Instant::now() + Duration::from_secs(20);
    while standby.psql("postgres", "SELECT pg_get_wal_replay_pause_state()") != "paused" {
        assert!(Instant::now() < deadline, "replay did not pause");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[actix_web::test]
async fn heavy_reads_use_the_standby_and_fall_back_to_the_primary() {
    if crate::support::postgres_url().is_none() {
        eprintln!("skipped: PORTICO_TEST_POSTGRES_URL is not set");
        return;
    }
    let Some(primary) = Cluster::primary() else {
        eprintln!("skipped: PostgreSQL server binaries are not installed");
        return;
    };
    let started = Instant::now();
    let mut standby = primary.standby();
    let read_url = DbUrl::parse(&standby.url("postgres")).unwrap();
    let app = TestApp::start_on(Kind::Postgres, TestDb::external(&primary.url("postgres")), |c| {
        c.read_database = Some(read_url);
    })
    .await;
    let staff = staff_token(&app).await;
    let keys: Vec<&'static str> = Perm::ALL.iter().map(|p| p.key()).collect();
    let (_b, customer, _) = customer_with(&app, "replica@acme.example", Role::Administrator, &keys).await;
    let account = account_of(&app, customer).await;
    let token = customer_token(&app, "replica@acme.example").await;
    let (doomed_id, doomed) = app
        .db(|c| {
            let u = portico::users::User::find_by_email(c, "replica@acme.example").unwrap().unwrap();
            let (id, secret) = portico::auth::tokens::ApiToken::create(c, u.id, "doomed").unwrap();
            ((u.id, id), secret)
        })
        .await;
    let ingest = |external: &'static str, minute: u32| {
        let (app, staff) = (&app, &staff);
        async move {
            let r = send(app, staff, "POST", "/api/v1/cdrs", "application/json", &cdr(account, external, minute)).await;
            assert_eq!(r.status, 200, "{}", r.body);
        }
    };
    ingest("rep-1", 1).await;
    until_listed(&app, &token, 1, Duration::from_secs(30), "replication").await;
    assert_eq!(listed(&app, &doomed).await, 1, "the second key works");

    // Replay paused: a CDR written on the primary is not in the list nor in the export.
    pause_replay(&standby);
    ingest("rep-2", 2).await;
    let on_primary: i64 = app
        .db(|c| {
            use diesel::prelude::*;
            portico::db::schema::cdrs::table.count().get_result(c).unwrap()
        })
        .await;
    assert_eq!(on_primary, 2);
    assert_eq!(listed(&app, &token).await, 1, "the list is read on the standby");
    assert_eq!(exported(&app, &token).await, 1, "the export is read on the standby");
    // Identity stays on the primary: a key revoked there is refused at once, although the
    // standby still holds it as valid.
    app.db(move |c| assert!(portico::auth::tokens::ApiToken::revoke(c, doomed_id.0, doomed_id.1).unwrap())).await;
    let refused =
        Browser::new(&app.base).request("GET", LIST, &[("Authorization", &format!("Bearer {doomed}"))], None).await;
    assert_eq!(refused.status, 401, "a revoked key bites while the standby lags");
    assert_eq!(listed(&app, &token).await, 1, "the other key still works, on the standby");
    standby.psql("postgres", "SELECT pg_wal_replay_resume()");
    until_listed(&app, &token, 2, Duration::from_secs(30), "replay resumed").await;

    // The standby stops: lists and exports answer from the primary.
    standby.stop();
    let t = Instant::now();
    ingest("rep-3", 3).await;
    assert_eq!(listed(&app, &token).await, 3, "the list falls back to the primary");
    assert_eq!(exported(&app, &token).await, 3, "the export falls back to the primary");
    let fallback = t.elapsed();

    // Back again (replay paused once more, so that only a read on the standby misses rep-4):
    // after the pause the standby is used again.
    standby.start();
    let t = Instant::now();
    let deadline = Instant::now() + Duration::from_secs(30);
    while standby.psql("postgres", "SELECT count(*) FROM cdrs") != "3" {
        assert!(Instant::now() < deadline, "the standby did not catch up");
        std::thread::sleep(Duration::from_millis(100));
    }
    pause_replay(&standby);
    ingest("rep-4", 4).await;
    until_listed(&app, &token, 3, Duration::from_secs(30), "reads return to the standby").await;
    assert_eq!(exported(&app, &token).await, 3, "exports return to the standby");
    let returned = t.elapsed();
    standby.psql("postgres", "SELECT pg_wal_replay_resume()");
    eprintln!(
        "replica test: {:.1} s in all; fallback reads took {:.1} s, return to the standby {:.1} s",
        started.elapsed().as_secs_f64(),
        fallback.as_secs_f64(),
        returned.as_secs_f64()
    );
    app.stop().await;
}
