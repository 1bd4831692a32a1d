//! Unit tests of domain code against both databases: [`each_backend`] runs a test body on a
//! fresh, migrated SQLite file and, when `PORTICO_TEST_POSTGRES_URL` is set, on a fresh
//! PostgreSQL schema (dropped afterwards). With `PORTICO_TEST_REQUIRE_POSTGRES=1` (CI) a
//! missing URL is a failure, not a skip.

use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;

use crate::db::{DbConnection, DbUrl, Pool, build_pool, connect, run_migrations};

/// Runs `body` once per configured backend, each time on an empty migrated database.
pub fn each_backend(body: impl Fn(&mut DbConnection)) {
    each_database(|url| {
        let mut conn = connect(url).expect("connect");
        body(&mut conn);
    });
}

/// Like [`each_backend`], with a small pool on the database (for domain code that runs its
/// database steps with [`crate::db::run`] between other awaits), inside a Tokio runtime.
pub fn each_backend_pool<F, Fut>(body: F)
where
    F: Fn(Pool) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    each_database(|url| {
        let pool = build_pool(url, 2, std::time::Duration::from_secs(5)).expect("pool");
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(body(pool));
    });
}

/// Calls `body` with the URL of a fresh migrated SQLite file and, when configured, of a fresh
/// PostgreSQL schema (dropped afterwards).
pub fn each_database(body: impl Fn(&DbUrl)) {
    let dir = tempfile::tempdir().expect("temp dir");
    let sqlite = DbUrl::Sqlite(dir.path().join("unit.db").display().to_string());
    run_migrations(&mut connect(&sqlite).expect("sqlite")).expect("migrate sqlite");
    body(&sqlite);

    let url = match std::env::var("PORTICO_TEST_POSTGRES_URL") {
        Ok(u) if !u.is_empty() => u,
        _ => {
            assert!(
                std::env::var("PORTICO_TEST_REQUIRE_POSTGRES").map(|v| v != "1").unwrap_or(true),
                "PORTICO_TEST_REQUIRE_POSTGRES=1 but PORTICO_TEST_POSTGRES_URL is not set"
            );
            return;
        }
    };
    let schema = format!("u_{:016x}", rand::random::<u64>());
    let mut admin = PgConnection::establish(&url).expect("connect to PORTICO_TEST_POSTGRES_URL");
    admin.batch_execute(&format!("CREATE SCHEMA {schema}")).expect("create schema");
    let sep = if url.contains('?') { '&' } else { '?' };
    let scoped = DbUrl::Postgres(format!("{url}{sep}options=-c%20search_path%3D{schema}"));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run_migrations(&mut connect(&scoped).expect("postgres")).expect("migrate postgres");
        body(&scoped);
    }));
    let _ = admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

/// The audit rows of an action, oldest first: (object id, diff).
pub fn audit_rows(conn: &mut DbConnection, action: &str) -> Vec<(Option<String>, Option<serde_json::Value>)> {
    use diesel::prelude::*;

    use crate::db::schema::audit_log;
    audit_log::table
        .filter(audit_log::action.eq(action))
        .order(audit_log::id.asc())
        .select((audit_log::object_id, audit_log::diff))
        .load::<(Option<String>, Option<String>)>(conn)
        .expect("audit rows")
        .into_iter()
        .map(|(id, d)| (id, d.and_then(|d| serde_json::from_str(&d).ok())))
        .collect()
}

/// `EXPLAIN` of a query built the way the application builds it (its binds included), one plan
/// line per element (PostgreSQL).
pub fn explain<Q>(conn: &mut DbConnection, query: Q) -> Vec<String>
where
    Q: diesel::query_builder::QueryFragment<<DbConnection as Connection>::Backend>,
{
    use diesel::RunQueryDsl;
    Explain(query).load::<String>(conn).expect("explain")
}

struct Explain<Q>(Q);

impl<Q> diesel::query_builder::QueryId for Explain<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q> diesel::query_builder::Query for Explain<Q> {
    type SqlType = diesel::sql_types::Text;
}

impl<Q, DB> diesel::query_builder::QueryFragment<DB> for Explain<Q>
where
    DB: diesel::backend::Backend,
    Q: diesel::query_builder::QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> diesel::QueryResult<()> {
        out.push_sql("EXPLAIN ");
        self.0.walk_ast(out.reborrow())
    }
}

impl<Q, C> diesel::RunQueryDsl<C> for Explain<Q> {}
