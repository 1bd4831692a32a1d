//! Connection pool. The backend is chosen from the URL scheme here (not by trying each
//! backend in turn), so a failing PostgreSQL URL reports PostgreSQL's own error.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, RunQueryDsl};

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

impl DbConnection {
    pub fn backend(&self) -> Backend {
        match self {
            DbConnection::Postgresql(_) => Backend::Postgres,
            DbConnection::Sqlite(_) => Backend::Sqlite,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A parsed `DATABASE_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    /// Path of the SQLite file.
    Sqlite(String),
    /// A libpq connection URL.
    Postgres(String),
}

impl DbUrl {
    /// `sqlite://FILE`, `sqlite:FILE` or a bare path select SQLite; `postgres://` and
    /// `postgresql://` select PostgreSQL. Any other scheme is an error.
    pub fn parse(url: &str) -> anyhow::Result<DbUrl> {
        let url = url.trim();
        if url.is_empty() {
            anyhow::bail!("DATABASE_URL is empty");
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DbUrl::Postgres(url.to_string()));
        }
        if let Some(rest) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            if rest.is_empty() {
                anyhow::bail!("DATABASE_URL names no SQLite file");
            }
            return Ok(DbUrl::Sqlite(rest.to_string()));
        }
        if let Some((scheme, _)) = url.split_once("://") {
            anyhow::bail!("unsupported database URL scheme `{scheme}` (use sqlite:// or postgres://)");
        }
        Ok(DbUrl::Sqlite(url.to_string()))
    }

    pub fn backend(&self) -> Backend {
        match self {
            DbUrl::Sqlite(_) => Backend::Sqlite,
            DbUrl::Postgres(_) => Backend::Postgres,
        }
    }

    /// The URL with any password masked, for logs.
    pub fn redacted(&self) -> String {
        match self {
            DbUrl::Sqlite(p) => format!("sqlite://{p}"),
            DbUrl::Postgres(u) => match (u.find("://"), u.rfind('@')) {
                (Some(s), Some(at)) if at > s => {
                    let creds = &u[s + 3..at];
                    let user = creds.split(':').next().unwrap_or("");
                    format!("{}{}:***{}", &u[..s + 3], user, &u[at..])
                }
                _ => u.clone(),
            },
        }
    }
}

/// How long an SQLite statement waits for another connection's write (milliseconds).
pub(crate) const SQLITE_BUSY_MS: u32 = 5000;

/// Opens one connection with the backend's session settings applied.
pub fn connect(url: &DbUrl) -> anyhow::Result<DbConnection> {
    match url {
        DbUrl::Postgres(u) => {
            let conn = PgConnection::establish(u).map_err(|e| anyhow::anyhow!("cannot connect to PostgreSQL: {e}"))?;
            Ok(DbConnection::Postgresql(conn))
        }
        DbUrl::Sqlite(path) => {
            let mut conn = SqliteConnection::establish(path)
                .map_err(|e| anyhow::anyhow!("cannot open SQLite database {path}: {e}"))?;
            let configure = |conn: &mut SqliteConnection| -> diesel::QueryResult<()> {
                conn.batch_execute(&format!("PRAGMA busy_timeout = {SQLITE_BUSY_MS}; PRAGMA foreign_keys = ON;"))?;
                // WAL is kept in the file: only a new database is switched (which takes the
                // whole file, and so would wait for a node that is migrating it).
                if diesel::sql_query("PRAGMA journal_mode").get_result::<JournalMode>(conn)?.journal_mode != "wal" {
                    conn.batch_execute("PRAGMA journal_mode = WAL;")?;
                }
                conn.batch_execute("PRAGMA synchronous = NORMAL;")
            };
            configure(&mut conn).map_err(|e| anyhow::anyhow!("cannot configure SQLite database {path}: {e}"))?;
            Ok(DbConnection::Sqlite(conn))
        }
    }
}

#[derive(diesel::QueryableByName)]
struct JournalMode {
    #[diesel(sql_type = diesel::sql_types::Text)]
    journal_mode: String,
}

pub struct ConnManager {
    url: DbUrl,
}

impl ConnManager {
    pub fn new(url: DbUrl) -> ConnManager {
        ConnManager { url }
    }
}

impl r2d2::ManageConnection for ConnManager {
    type Connection = DbConnection;
    type Error = ConnError;

    fn connect(&self) -> Result<DbConnection, ConnError> {
        connect(&self.url).map_err(ConnError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnError> {
        diesel::sql_query("SELECT 1")
            .execute(conn)
            .map(|_| ())
            .map_err(|e| ConnError(anyhow::anyhow!("connection check failed: {e}")))
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

#[derive(Debug)]
pub struct ConnError(anyhow::Error);

impl std::fmt::Display for ConnError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:#}", self.0)
    }
}

impl std::error::Error for ConnError {}

pub type Pool = r2d2::Pool<ConnManager>;
pub type PooledConn = r2d2::PooledConnection<ConnManager>;

/// Builds the pool after proving one connection works, so that a bad URL or an unreachable
/// server fails start-up with the database's own message.
pub fn build_pool(url: &DbUrl, size: u32, checkout_timeout: Duration) -> anyhow::Result<Pool> {
    drop(connect(url)?);
    let pool = r2d2::Pool::builder()
        .max_size(size.max(1))
        .min_idle(Some(1))
        .connection_timeout(checkout_timeout)
        .test_on_check_out(true)
        .error_handler(Box::new(r2d2::LoggingErrorHandler))
        .build(ConnManager { url: url.clone() })
        .map_err(|e| anyhow::anyhow!("cannot open the database pool: {e}"))?;
    Ok(pool)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_decides_backend() {
        assert_eq!(DbUrl::parse("sqlite://a.db").unwrap(), DbUrl::Sqlite("a.db".into()));
        assert_eq!(DbUrl::parse("a.db").unwrap(), DbUrl::Sqlite("a.db".into()));
        assert_eq!(DbUrl::parse("postgres://u@h/d").unwrap().backend(), Backend::Postgres);
        assert_eq!(DbUrl::parse("postgresql://u@h/d").unwrap().backend(), Backend::Postgres);
        assert!(DbUrl::parse("mysql://u@h/d").is_err());
        assert_eq!(DbUrl::parse("postgres://bob:secret@h/d").unwrap().redacted(), "postgres://bob:***@h/d");
    }
}
