//! SPEC §13 operator scale: CDR ingest through the bulk path (COPY on PostgreSQL), rollups that
//! stay equal to the CDRs, partitions created under concurrent ingest, and `portico prune`.

use std::process::Command;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, SmallInt, Text};
use portico::db::DbConnection;
use portico::traffic::partitions::Month;
use serde_json::{Value, json};

use crate::both;
use crate::support::{Kind, TestApp, TestDb, account_of, send, staff_token};

fn cdr(account: i64, id: &str, start: &str, i: i64) -> Value {
    let ok = i % 4 != 0;
    json!({
        "externalId": id,
        "accountId": account,
        "direction": if i % 3 == 0 { "incoming" } else { "outgoing" },
        "timeStart": start,
        "duration": if ok { 20 + i * 3 } else { 0 },
        "billedDuration": if ok { 60 } else { 0 },
        "success": ok,
        "dstNumber": format!("4930{i:04}"),
        "price": format!("0.{:06}", 100 + i * 7),
    })
}

/// `n` calls a minute apart from `start` (`YYYY-MM-DDTHH:MM`), ids `{prefix}-{first + k}`.
fn calls(account: i64, prefix: &str, first: i64, n: i64, start: &str) -> Vec<Value> {
    let t0 = chrono::NaiveDateTime::parse_from_str(start, "%Y-%m-%dT%H:%M").unwrap().and_utc();
    (first..first + n)
        .map(|k| {
            let t = t0 + chrono::Duration::minutes(k - first);
            cdr(account, &format!("{prefix}-{k}"), &t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true), k)
        })
        .collect()
}

async fn post(app: &TestApp, token: &str, rows: &[Value]) -> crate::support::Resp {
    send(app, token, "POST", "/api/v1/cdrs", "application/json", &Value::Array(rows.to_vec()).to_string()).await
}

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Hour {
    #[diesel(sql_type = BigInt)]
    customer_id: i64,
    #[diesel(sql_type = SmallInt)]
    direction: i16,
    #[diesel(sql_type = BigInt)]
    hour: i64,
    #[diesel(sql_type = BigInt)]
    account_id: i64,
    #[diesel(sql_type = BigInt)]
    total_calls: i64,
    #[diesel(sql_type = BigInt)]
    successful_calls: i64,
    #[diesel(sql_type = BigInt)]
    total_duration: i64,
    #[diesel(sql_type = BigInt)]
    success_duration: i64,
    #[diesel(sql_type = BigInt)]
    billed_duration: i64,
    #[diesel(sql_type = BigInt)]
    total_price: i64,
}

/// (the rollups as stored, the rollups computed afresh from the CDRs), sorted.
fn rollups_and_aggregate(c: &mut DbConnection) -> (Vec<Hour>, Vec<Hour>) {
    let load = |c: &mut DbConnection, q: &str| {
        let mut v: Vec<Hour> = diesel::sql_query(q).load(c).unwrap();
        v.sort();
        v
    };
    let stored = load(c, "SELECT * FROM cdr_hourly");
    let fresh = load(
        c,
        "SELECT customer_id, direction, (time_start / 3600000) * 3600 AS hour, account_id, \
         count(*) AS total_calls, \
         CAST(sum(CASE WHEN success THEN 1 ELSE 0 END) AS BIGINT) AS successful_calls, \
         CAST(sum(duration) AS BIGINT) AS total_duration, \
         CAST(sum(CASE WHEN success THEN duration ELSE 0 END) AS BIGINT) AS success_duration, \
         CAST(sum(billed_duration) AS BIGINT) AS billed_duration, \
         CAST(sum(price) AS BIGINT) AS total_price \
         FROM cdrs GROUP BY customer_id, direction, (time_start / 3600000) * 3600, account_id",
    );
    (stored, fresh)
}

#[derive(QueryableByName)]
struct PerTable {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Rows per partition (PostgreSQL).
fn per_partition(c: &mut DbConnection) -> Vec<(String, i64)> {
    let q = "SELECT tableoid::regclass::text AS name, count(*) AS n FROM cdrs GROUP BY 1 ORDER BY 1";
    diesel::sql_query(q).load::<PerTable>(c).unwrap().into_iter().map(|r| (r.name, r.n)).collect()
}

fn count(c: &mut DbConnection) -> i64 {
    portico::db::schema::cdrs::table.count().get_result(c).unwrap()
}

async fn bulk_ingest_is_idempotent_all_or_nothing_and_keeps_rollups_exact(app: TestApp) {
    let token = staff_token(&app).await;
    let customer = app.create_customer("Acme", None).await;
    let account = account_of(&app, customer).await;
    // Across a month boundary, with one id twice in the batch.
    let mut first = calls(account, "b", 0, 40, "2026-01-31T23:40");
    first.push(first[3].clone());
    let r = post(&app, &token, &first).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), json!({"received": 41, "inserted": 40, "duplicates": 1}));
    // Half of it again, with ten new calls.
    let mut second = first[20..40].to_vec();
    second.extend(calls(account, "b", 40, 10, "2026-02-01T05:00"));
    let r = post(&app, &token, &second).await;
    assert_eq!(r.json(), json!({"received": 30, "inserted": 10, "duplicates": 20}));
    let r = post(&app, &token, &first).await;
    assert_eq!(r.json(), json!({"received": 41, "inserted": 0, "duplicates": 41}), "a re-sent batch adds nothing");
    // A batch with one bad row stores none of its good ones.
    let mut bad = calls(account, "c", 0, 8, "2026-02-03T10:00");
    bad[4]["accountId"] = json!(999_999);
    let r = post(&app, &token, &bad).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"]["details"][0]["field"], "rows[5].accountId");
    assert!(r.json()["error"]["message"].as_str().unwrap().contains("Nothing was stored"), "{}", r.body);
    assert_eq!(app.db(count).await, 50);
    let (stored, fresh) = app.db(rollups_and_aggregate).await;
    assert_eq!(stored, fresh, "the rollups equal a fresh aggregate of the CDRs");
    assert_eq!(stored.iter().map(|h| h.total_calls).sum::<i64>(), 50);
    if app.kind == Kind::Postgres {
        assert_eq!(app.db(per_partition).await, [("cdrs_2026_01".into(), 20), ("cdrs_2026_02".into(), 30)]);
    }
}
both!(bulk_ingest_is_idempotent_all_or_nothing_and_keeps_rollups_exact);

async fn parallel_batches_of_a_new_month_all_land_once(app: TestApp) {
    let token = staff_token(&app).await;
    let customer = app.create_customer("Acme", None).await;
    let account = account_of(&app, customer).await;
    // Four batches at once into a month without a partition, each overlapping the next.
    let batches: Vec<Vec<Value>> = (0..4).map(|i| calls(account, "p", i * 10, 20, "2024-07-10T08:00")).collect();
    let sent = futures_util::future::join_all(batches.iter().map(|b| post(&app, &token, b))).await;
    let mut inserted = 0;
    for r in &sent {
        assert_eq!(r.status, 200, "{}", r.body);
        inserted += r.json()["inserted"].as_i64().unwrap();
    }
    assert_eq!(inserted, 50, "each of the 50 distinct calls is stored by exactly one batch");
    assert_eq!(app.db(count).await, 50);
    let (stored, fresh) = app.db(rollups_and_aggregate).await;
    assert_eq!(stored, fresh);
    if app.kind == Kind::Postgres {
        assert_eq!(app.db(per_partition).await, [("cdrs_2024_07".into(), 50)]);
    }
}
both!(parallel_batches_of_a_new_month_all_land_once);

fn portico(db: &str, recordings: &std::path::Path, retention: Option<&str>, args: &[&str]) -> (bool, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_portico"));
    cmd.args(args).env("DATABASE_URL", db).env("PORTICO_LOG", "warn").env("PORTICO_RECORDINGS_DIR", recordings);
    cmd.env_remove("PORTICO_STORAGE_URL").env_remove("PORTICO_CDR_RETENTION_MONTHS");
    if let Some(r) = retention {
        cmd.env("PORTICO_CDR_RETENTION_MONTHS", r);
    }
    let out = cmd.output().expect("run portico");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn prune_cli(kind: Kind) {
    let Some(db) = TestDb::new(kind) else {
        eprintln!("skipped: PORTICO_TEST_POSTGRES_URL is not set");
        return;
    };
    let files = tempfile::tempdir().unwrap();
    let recordings = files.path().join("recordings");
    std::fs::create_dir_all(&recordings).unwrap();
    let mut config = portico::Config::for_database(&db.url).unwrap();
    config.recordings_dir = recordings.clone();
    let p = portico::prepare(config).unwrap();
    let mut conn = p.state.pool.get().unwrap();
    let customer = portico::customers::model::insert_basic(&mut conn, "Acme", None).unwrap();
    let account = crate::support::main_account(&mut conn, customer);
    // Calls at noon on the first of each of the last four months, this one included (never
    // more than a few hours ahead of today, which ingest would refuse).
    let now = Month::of(portico::traffic::time::now_ms());
    let mid = |m: Month| portico::traffic::time::rfc3339(m.start_ms() + 12 * 3_600_000);
    let plan = [(3, "a"), (3, "b"), (2, "c"), (1, "d"), (0, "e")];
    let rows: Vec<portico::traffic::ingest::CdrIn> = plan
        .iter()
        .map(|(ago, id)| {
            serde_json::from_value(json!({"externalId": id, "accountId": account, "direction": "outgoing",
                "timeStart": mid(now.minus(*ago)), "duration": 30}))
            .unwrap()
        })
        .collect();
    let r = portico::traffic::ingest::ingest(&mut conn, &portico::audit::Actor::system(), &rows).unwrap();
    assert_eq!(r.inserted, 5);
    for (id, file) in [("a", "a.audio"), ("d", "d.audio")] {
        use portico::db::schema::cdrs;
        diesel::update(cdrs::table.filter(cdrs::external_id.eq(id)))
            .set(cdrs::recording.eq(file))
            .execute(&mut **conn)
            .unwrap();
        std::fs::write(recordings.join(file), b"RIFF....WAVE").unwrap();
    }
    drop(conn);

    let (ok, out, err) = portico(&db.url, &recordings, None, &["prune"]);
    assert!(ok, "{err}");
    assert!(out.contains("PORTICO_CDR_RETENTION_MONTHS is not set"), "{out}");
    let (ok, out, err) = portico(&db.url, &recordings, Some("1"), &["prune"]);
    assert!(ok, "{err}");
    let expected = format!(
        "removed CDRs before {}: months {}, {}; 3 CDRs, 2 hourly rollups, 0 daily number counters, 1 recordings",
        now.minus(1),
        now.minus(3),
        now.minus(2)
    );
    assert_eq!(out.trim(), expected);
    assert!(!recordings.join("a.audio").exists(), "the pruned call's recording is deleted");
    assert!(recordings.join("d.audio").exists(), "a kept call's recording stays");
    let mut conn = p.state.pool.get().unwrap();
    let left: Vec<String> = {
        use portico::db::schema::cdrs;
        cdrs::table.order(cdrs::external_id).select(cdrs::external_id).load(&mut **conn).unwrap()
    };
    assert_eq!(left, ["d", "e"]);
    let audited: i64 = {
        use portico::db::schema::audit_log;
        audit_log::table.filter(audit_log::action.eq("traffic.prune")).count().get_result(&mut **conn).unwrap()
    };
    assert_eq!(audited, 1);
    let (ok, out, _) = portico(&db.url, &recordings, Some("1"), &["prune"]);
    assert!(ok);
    assert_eq!(out.trim(), format!("nothing to remove: no CDRs before {}", now.minus(1)));
}

#[test]
fn prune_cli_sqlite() {
    prune_cli(Kind::Sqlite);
}

#[test]
fn prune_cli_postgres() {
    prune_cli(Kind::Postgres);
}
