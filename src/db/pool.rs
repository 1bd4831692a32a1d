//! Connection pool. The backend is chosen from the URL scheme here (not by trying each
//! backend in turn), so a failing PostgreSQL URL reports PostgreSQL's own error.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

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
    /// A connection given back less than this long ago is handed out without a test query.
    untested_for: Duration,
}

impl ConnManager {
    /// Connections tested on every checkout (the read replica's: a failed test there sends the
    /// read to the primary instead of failing it).
    pub fn new(url: DbUrl) -> ConnManager {
        ConnManager { url, untested_for: Duration::ZERO }
    }
}

/// A connection of the pool, with when it was last given back.
pub struct Pooled {
    conn: DbConnection,
    /// When it was given back, unless a statement failed on it meanwhile (then the next
    /// checkout tests it: libpq does not always report a lost server connection, e.g. when a
    /// statement fails while being prepared).
    returned: Option<Instant>,
    /// Set by the connection's instrumentation when a statement fails.
    failed: Arc<AtomicBool>,
}

impl std::ops::Deref for Pooled {
    type Target = DbConnection;
    fn deref(&self) -> &DbConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut DbConnection {
        &mut self.conn
    }
}

/// The primary pool hands a connection given back less than this long ago out again without a
/// test query: a busy pool then spends no round trip on `SELECT 1` per checkout (a page takes
/// three connections), while one that has lain idle longer (a restarted server, a proxy's idle
/// cut) is still tested first. One that broke in use (libpq reports it) is never given back, so
/// a server restart costs at most the requests that meet the connections used in its last second.
const FRESH: Duration = Duration::from_secs(1);

impl r2d2::ManageConnection for ConnManager {
    type Connection = Pooled;
    type Error = ConnError;

    fn connect(&self) -> Result<Pooled, ConnError> {
        use diesel::connection::InstrumentationEvent;
        let mut conn = connect(&self.url).map_err(ConnError)?;
        let failed = Arc::new(AtomicBool::new(false));
        let flag = failed.clone();
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::FinishQuery { error: Some(_), .. } = event {
                flag.store(true, Ordering::Relaxed);
            }
        });
        Ok(Pooled { conn, returned: None, failed })
    }

    fn is_valid(&self, conn: &mut Pooled) -> Result<(), ConnError> {
        if conn.returned.is_some_and(|t| t.elapsed() < self.untested_for) {
            return Ok(());
        }
        diesel::sql_query("SELECT 1")
            .execute(&mut conn.conn)
            .map(|_| ())
            .map_err(|e| ConnError(anyhow::anyhow!("connection check failed: {e}")))
    }

    fn has_broken(&self, conn: &mut Pooled) -> bool {
        conn.returned = if conn.failed.swap(false, Ordering::Relaxed) { None } else { Some(Instant::now()) };
        // A lost server connection, or a transaction left open or failed: not reused.
        diesel::r2d2::R2D2Connection::is_broken(&mut conn.conn)
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
    build_pool_untested_for(url, size, checkout_timeout, FRESH)
}

fn build_pool_untested_for(
    url: &DbUrl,
    size: u32,
    checkout_timeout: Duration,
    untested_for: Duration,
) -> anyhow::Result<Pool> {
    drop(connect(url)?);
    let pool = r2d2::Pool::builder()
        .max_size(size.max(1))
        .min_idle(Some(1))
        .connection_timeout(checkout_timeout)
        .test_on_check_out(true)
        .error_handler(Box::new(r2d2::LoggingErrorHandler))
        .build(ConnManager { url: url.clone(), untested_for })
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

    #[derive(diesel::QueryableByName)]
    struct Pid {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        pid: i32,
    }

    fn backend_pid(c: &mut DbConnection) -> i32 {
        diesel::sql_query("SELECT pg_backend_pid() AS pid").get_result::<Pid>(c).expect("pid").pid
    }

    /// A connection that broke in use is not handed out again, and one that lay idle is tested
    /// before it is handed out (its server process ended meanwhile: the caller never sees it).
    #[test]
    fn broken_connections_never_come_back() {
        crate::db::testing::each_database(|url| {
            let probe = build_pool_untested_for(url, 1, Duration::from_secs(5), Duration::from_secs(3600)).unwrap();
            let DbUrl::Postgres(_) = url else {
                // SQLite has no server whose end could break a connection: reuse is plain.
                let mut c = probe.get().unwrap();
                assert!(diesel::sql_query("SELECT 1").execute(&mut **c).is_ok());
                return;
            };
            let mut killer = connect(url).unwrap();
            let end = |killer: &mut DbConnection, pid: i32| {
                diesel::sql_query(format!("SELECT pg_terminate_backend({pid}, 5000)")).execute(killer).unwrap();
            };

            // Given back just now, it is handed out untested: the query meets the ended process …
            let victim = backend_pid(&mut probe.get().unwrap());
            end(&mut killer, victim);
            let mut c = probe.get().unwrap();
            assert!(diesel::sql_query("SELECT 1").execute(&mut **c).is_err());
            drop(c);
            // … and the connection is dropped: the next one is new and works.
            let next = backend_pid(&mut probe.get().unwrap());
            assert_ne!(next, victim);

            // The same when the statement fails while being prepared (libpq's status does not
            // tell then): the failure alone has the next checkout test the connection.
            end(&mut killer, next);
            let mut c = probe.get().unwrap();
            use diesel::{QueryDsl, RunQueryDsl};
            let first_use = crate::db::schema::access_epoch::table.select(crate::db::schema::access_epoch::n);
            assert!(first_use.first::<i64>(&mut **c).is_err());
            drop(c);
            let third = backend_pid(&mut probe.get().unwrap());
            assert_ne!(third, next);

            // A pool that tests every connection it hands out never hands out an ended one.
            let tested = build_pool_untested_for(url, 1, Duration::from_secs(5), Duration::ZERO).unwrap();
            let first = backend_pid(&mut tested.get().unwrap());
            end(&mut killer, first);
            let second = backend_pid(&mut tested.get().unwrap());
            assert_ne!(first, second);
        });
    }
}
