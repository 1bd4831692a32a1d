//! Database access: one connection type over SQLite and PostgreSQL, the pool, migrations.

pub mod paging;
pub mod pool;
pub mod replica;
pub mod schema;
#[cfg(test)]
pub mod testing;

pub use pool::{Backend, DbConnection, DbUrl, Pool, PooledConn, build_pool, connect};

use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::error::AppError;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Runs the same code on the concrete connection behind a [`DbConnection`]. Used for the few
/// query shapes that `MultiConnection` cannot express (multi-row inserts, upserts, `RETURNING`
/// of whole rows).
#[macro_export]
macro_rules! with_conn {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Postgresql($c) => $body,
            $crate::db::DbConnection::Sqlite($c) => $body,
        }
    };
}

/// The advisory lock that serialises migrations of one schema across every node.
const PG_MIGRATION_LOCK: &str = "hashtext(current_schema() || '/portico/migrations')";

/// Applies every pending migration of the connection's dialect. Returns how many ran.
///
/// Any number of nodes may start at once: on PostgreSQL the run holds an advisory lock (the
/// others wait, then find nothing pending); on SQLite it holds the write lock from the start
/// (`BEGIN IMMEDIATE`, the busy timeout makes the others wait).
pub fn run_migrations(conn: &mut DbConnection) -> anyhow::Result<usize> {
    use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
    let failed = |e: Box<dyn std::error::Error + Send + Sync>| anyhow::anyhow!("migration failed: {e}");
    match conn {
        DbConnection::Postgresql(c) => {
            c.batch_execute(&format!("SELECT pg_advisory_lock({PG_MIGRATION_LOCK})"))
                .map_err(|e| anyhow::anyhow!("cannot take the migration lock: {e}"))?;
            let applied = c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.len());
            let unlocked = c.batch_execute(&format!("SELECT pg_advisory_unlock({PG_MIGRATION_LOCK})"));
            let n = applied.map_err(failed)?;
            unlocked.map_err(|e| anyhow::anyhow!("cannot release the migration lock: {e}"))?;
            Ok(n)
        }
        DbConnection::Sqlite(c) => {
            // Wait up to ten minutes for a node that is migrating (PostgreSQL's lock waits as
            // long as it takes), not the five seconds a request waits for a writer.
            c.batch_execute("PRAGMA busy_timeout = 600000")?;
            let began = AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE");
            c.batch_execute(&format!("PRAGMA busy_timeout = {}", pool::SQLITE_BUSY_MS))?;
            began.map_err(|e| anyhow::anyhow!("cannot take the database write lock for migrations: {e}"))?;
            match c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()) {
                Ok(n) => {
                    AnsiTransactionManager::commit_transaction(c)?;
                    Ok(n)
                }
                Err(e) => {
                    let _ = AnsiTransactionManager::rollback_transaction(c);
                    Err(failed(e))
                }
            }
        }
    }
}

/// True when every migration embedded in this binary has been applied.
pub fn migrations_current(conn: &mut DbConnection) -> anyhow::Result<bool> {
    let pending = match conn {
        DbConnection::Postgresql(c) => c.has_pending_migration(POSTGRES_MIGRATIONS),
        DbConnection::Sqlite(c) => c.has_pending_migration(SQLITE_MIGRATIONS),
    }
    .map_err(|e| anyhow::anyhow!("cannot read migration state: {e}"))?;
    Ok(!pending)
}

/// Runs blocking database work on actix's blocking thread pool, never on an async worker.
pub async fn run<F, T>(pool: &Pool, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || {
        let waiting = metrics::gauge!("portico_db_pool_waiting");
        waiting.increment(1.0);
        let conn = pool.get();
        waiting.decrement(1.0);
        let mut conn = conn.map_err(AppError::from_pool)?;
        f(&mut conn)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
}

/// Like [`run`], inside one write transaction (see [`write_tx`]).
pub async fn run_tx<F, T>(pool: &Pool, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    run(pool, move |conn| write_tx(conn, f)).await
}

/// Runs `f` in a transaction that is going to write: on SQLite it begins `IMMEDIATE`, taking
/// the write lock up front so that the busy timeout applies (a deferred transaction that reads
/// first and upgrades later fails at once with "database is locked" when another writer holds
/// the lock). Inside an open transaction it nests as a savepoint. Rolled back on any error.
pub fn write_tx<T, F>(conn: &mut DbConnection, f: F) -> Result<T, AppError>
where
    F: FnOnce(&mut DbConnection) -> Result<T, AppError>,
{
    use diesel::Connection;
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    let top_level_sqlite = match conn {
        DbConnection::Sqlite(c) => {
            AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth().ok().flatten().is_none()
        }
        DbConnection::Postgresql(_) => false,
    };
    if !top_level_sqlite {
        return conn.transaction(f);
    }
    if let DbConnection::Sqlite(c) = conn {
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
    }
    match f(conn) {
        Ok(v) => {
            <DbConnection as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(v)
        }
        Err(e) => {
            if let Err(rb) = <DbConnection as Connection>::TransactionManager::rollback_transaction(conn) {
                tracing::warn!(error = %rb, "rollback failed");
            }
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    /// The two migration folders name the same steps, so that a database's version list means
    /// the same on either backend (a step one backend does not need is a `SELECT 1`).
    #[test]
    fn both_backends_have_the_same_steps() {
        let steps = |backend: &str| {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend);
            let mut names: Vec<String> = std::fs::read_dir(dir)
                .expect("the migrations folder")
                .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        let (sqlite, postgres) = (steps("sqlite"), steps("postgres"));
        assert!(sqlite.len() >= 10, "{sqlite:?}");
        assert_eq!(sqlite, postgres);
    }
}
