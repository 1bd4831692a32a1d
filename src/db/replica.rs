//! Heavy reads on a hot standby (SPEC §13): with `PORTICO_READ_DATABASE_URL`, CDR lists,
//! exports, daily reports and statistics read from the replica; identity, permissions, sessions
//! and every write stay on the primary (so a revoked permission still bites at once). While the
//! replica cannot be reached, those reads go to the primary (logged once per outage) and the
//! replica is tried again after a short pause.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use std::sync::Arc;

use crate::db::{DbConnection, DbUrl, Pool};
use crate::error::AppError;

/// After a failure the replica is left alone this long before it is tried again.
const PAUSE: Duration = Duration::from_secs(5);

pub struct Replica {
    pool: Pool,
    /// Unix milliseconds until which the replica is not tried.
    resting_until: AtomicI64,
    down: AtomicBool,
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Replica {
    /// A pool on the standby. It may be unreachable at start: reads then use the primary.
    pub fn open(url: &DbUrl, size: u32) -> Replica {
        let pool = r2d2::Pool::builder()
            .max_size(size.max(1))
            .min_idle(Some(0))
            .connection_timeout(Duration::from_secs(1))
            .test_on_check_out(true)
            .error_handler(Box::new(r2d2::NopErrorHandler))
            .build_unchecked(crate::db::pool::ConnManager::new(url.clone()));
        Replica { pool, resting_until: AtomicI64::new(0), down: AtomicBool::new(false) }
    }

    /// A connection to the replica, unless it is resting after a failure.
    fn connection(&self) -> Option<crate::db::PooledConn> {
        if now_ms() < self.resting_until.load(Ordering::Relaxed) {
            return None;
        }
        match self.pool.get() {
            Ok(c) => {
                if self.down.swap(false, Ordering::Relaxed) {
                    tracing::info!("read replica reachable again: heavy reads use it");
                }
                Some(c)
            }
            Err(e) => {
                self.resting_until.store(now_ms() + PAUSE.as_millis() as i64, Ordering::Relaxed);
                if !self.down.swap(true, Ordering::Relaxed) {
                    tracing::warn!(error = %e, "read replica unreachable: heavy reads fall back to the primary");
                }
                metrics::counter!("portico_replica_fallbacks_total").increment(1);
                None
            }
        }
    }
}

impl Replica {
    /// The replica failed a query for a connection reason: leave it alone for a while.
    pub fn rest(&self) {
        self.resting_until.store(now_ms() + PAUSE.as_millis() as i64, Ordering::Relaxed);
        if !self.down.swap(true, Ordering::Relaxed) {
            tracing::warn!("read replica failed a query: heavy reads fall back to the primary");
        }
        metrics::counter!("portico_replica_fallbacks_total").increment(1);
    }
}

/// A connection for a heavy read on a blocking thread (a streamed export): the replica's when
/// there is one that answers, else the primary's. The flag says whether it is the replica's.
pub fn checkout(primary: &Pool, replica: Option<&Arc<Replica>>) -> Result<(crate::db::PooledConn, bool), AppError> {
    if let Some(conn) = replica.and_then(|r| r.connection()) {
        return Ok((conn, true));
    }
    Ok((primary.get().map_err(AppError::from_pool)?, false))
}

/// Runs a heavy read on the replica when there is one and it answers, else on the primary.
/// A query that fails on the replica for a connection reason is retried on the primary.
pub async fn run_read<F, T>(primary: &Pool, replica: Option<&Arc<Replica>>, f: F) -> Result<T, AppError>
where
    F: Fn(&mut DbConnection) -> Result<T, AppError> + Send + 'static,
    T: Send + 'static,
{
    let Some(replica) = replica.cloned() else {
        return crate::db::run(primary, f).await;
    };
    let primary = primary.clone();
    tokio::task::spawn_blocking(move || {
        if let Some(mut conn) = replica.connection() {
            match f(&mut conn) {
                Err(AppError::Unavailable(_)) => replica.rest(),
                other => return other,
            }
        }
        let mut conn = primary.get().map_err(AppError::from_pool)?;
        f(&mut conn)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("blocking task failed: {e}")))?
}
