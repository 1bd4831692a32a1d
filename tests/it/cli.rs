//! SPEC §10: the command line.

use std::process::Command;

use crate::support::{Kind, TestDb};

fn portico(db: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_portico"))
        .args(args)
        .env("DATABASE_URL", db)
        .env("PORTICO_LOG", "warn")
        .output()
        .expect("run portico")
}

#[test]
fn help_on_every_command() {
    for cmd in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["demo", "--help"],
        vec!["migrate", "--help"],
        vec!["migrate-storage", "--help"],
        vec!["prune", "--help"],
        vec!["create-admin", "--help"],
        vec!["create-token", "--help"],
    ] {
        let out = portico("sqlite://unused.db", &cmd);
        assert!(out.status.success(), "{cmd:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage"), "{cmd:?}");
    }
}

fn admin_and_token(kind: Kind) {
    let Some(db) = TestDb::new(kind) else {
        eprintln!("skipped: PORTICO_TEST_POSTGRES_URL is not set");
        return;
    };
    let out = portico(&db.url, &["migrate"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = Command::new(env!("CARGO_BIN_EXE_portico"))
        .args(["create-admin", "--email", "Root@Example.org"])
        .env("DATABASE_URL", &db.url)
        .env("PORTICO_ADMIN_PASSWORD", "short")
        .output()
        .unwrap();
    assert!(!out.status.success(), "weak password refused");
    let out = Command::new(env!("CARGO_BIN_EXE_portico"))
        .args(["create-admin", "--email", "Root@Example.org"])
        .env("DATABASE_URL", &db.url)
        .env("PORTICO_ADMIN_PASSWORD", "a long enough password")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = portico(&db.url, &["create-token", "--email", "root@example.org", "--name", "ci"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let token = stdout.lines().last().unwrap().trim();
    assert!(token.starts_with("ptk_") && token.len() > 40, "{token}");
    let out = portico(&db.url, &["create-token", "--email", "nobody@example.org"]);
    assert!(!out.status.success());
}

#[test]
fn create_admin_and_token_sqlite() {
    admin_and_token(Kind::Sqlite);
}

#[test]
fn create_admin_and_token_postgres() {
    admin_and_token(Kind::Postgres);
}

#[test]
fn failing_postgres_url_reports_the_real_error() {
    let out = portico("postgres://nobody@127.0.0.1:1/nothing", &["migrate"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("PostgreSQL") && (err.contains("refused") || err.contains("connect")), "{err}");
    assert!(!std::path::Path::new("nothing").exists());
    let out = portico("mysql://x@127.0.0.1/y", &["migrate"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported database URL scheme"));
}

fn import(kind: Kind) {
    let Some(db) = TestDb::new(kind) else {
        eprintln!("skipped: PORTICO_TEST_POSTGRES_URL is not set");
        return;
    };
    assert!(portico(&db.url, &["migrate"]).status.success());
    // A customer with an account to load into.
    let config = portico::Config::for_database(&db.url).unwrap();
    let p = portico::prepare(config).unwrap();
    let mut conn = p.state.pool.get().unwrap();
    let c = portico::customers::model::insert_basic(&mut conn, "Acme", None).unwrap();
    let a = crate::support::main_account(&mut conn, c);
    drop(conn);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cdrs.csv");
    let mut body = String::from("externalId,accountId,direction,timeStart,duration,success,dstNumber,price\n");
    for i in 0..250 {
        body.push_str(&format!(
            "imp-{i},{a},outgoing,2026-04-01T10:{:02}:00Z,{},true,4930{i},0.{:06}\n",
            i % 60,
            10 + i,
            i
        ));
    }
    let bad = body.replace("imp-7,", "imp-7,notanumber-");
    std::fs::write(&file, bad.replace(&format!("imp-7,notanumber-{a}"), "imp-7,xyz")).unwrap();
    let out = portico(&db.url, &["import-cdrs", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Row 8") && err.contains("accountId"), "{err}");
    // A row only the database can refuse (no such account) refuses the whole file too.
    std::fs::write(&file, body.replace(&format!("imp-200,{a},"), "imp-200,999999,")).unwrap();
    let out = portico(&db.url, &["import-cdrs", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("refused, nothing stored") && err.contains("999999"), "{err}");
    // A bad row in a later batch (batches are 50 000 rows) is found after the first batch went
    // into the transaction: it is rolled back too.
    let mut big = String::from("externalId,accountId,direction,timeStart,duration\n");
    for i in 0..50_010 {
        let direction = if i == 50_004 { "sideways" } else { "incoming" };
        big.push_str(&format!("big-{i},{a},{direction},2026-04-02T10:00:00Z,5\n"));
    }
    std::fs::write(&file, &big).unwrap();
    let out = portico(&db.url, &["import-cdrs", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("refused, nothing stored") && err.contains("rows[50005].direction"), "{err}");
    let stored: i64 = {
        use diesel::prelude::*;
        portico::db::schema::cdrs::table.count().get_result(&mut **p.state.pool.get().unwrap()).unwrap()
    };
    assert_eq!(stored, 0, "the first batch was rolled back with the bad one");
    std::fs::write(&file, &body).unwrap();
    let out = portico(&db.url, &["import-cdrs", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("250 CDRs inserted"));
    let out = portico(&db.url, &["import-cdrs", file.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("0 CDRs inserted, 250 already known"));
}

#[test]
fn import_cdrs_sqlite() {
    import(Kind::Sqlite);
}

#[test]
fn import_cdrs_postgres() {
    import(Kind::Postgres);
}
