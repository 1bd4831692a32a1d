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
