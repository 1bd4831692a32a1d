//! Password hashing on threads of its own, with admission control (SPEC §12).
//!
//! Argon2id costs ~20 MiB and tens of milliseconds per hash. Running it on the blocking pool
//! that database work uses lets a flood of sign-ins starve every other page; queueing it without
//! bound lets the flood grow the process. So at most `PORTICO_HASH_CONCURRENCY` hashes run at
//! once, on dedicated threads; a request waits at most [`ADMISSION_WAIT`] for its turn, and is
//! then refused with 503 and `Retry-After` (the caller renders it as a page or JSON).

use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit, oneshot};

use crate::error::{AppError, AppResult};

/// How long a request may wait for a free hashing thread.
pub const ADMISSION_WAIT: Duration = Duration::from_millis(750);

/// Waits at most `wait` for one of `slots`; `None` when none frees up in time.
pub async fn enter(slots: &Semaphore, wait: Duration) -> Option<SemaphorePermit<'_>> {
    match tokio::time::timeout(wait, slots.acquire()).await {
        Ok(Ok(p)) => Some(p),
        _ => None,
    }
}

type Job = Box<dyn FnOnce() + Send>;

pub struct Hasher {
    jobs: mpsc::SyncSender<Job>,
    permits: Semaphore,
}

static HASHER: OnceLock<Hasher> = OnceLock::new();

/// Hashing threads yield the CPU to everything else: with as many of them as cores, a sign-in
/// flood would otherwise slow every page. On Linux a thread has its own nice value; elsewhere
/// this does nothing.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: setpriority has no memory effects; `0` names the calling thread on Linux.
        let r = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, 19) };
        if r != 0 {
            tracing::debug!("could not lower the priority of a password hashing thread");
        }
    }
}

impl Hasher {
    fn start(threads: usize) -> Hasher {
        let threads = threads.max(1);
        let (tx, rx) = mpsc::sync_channel::<Job>(threads);
        let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
        for i in 0..threads {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new().name(format!("portico-hash-{i}")).spawn(move || {
                lower_priority();
                loop {
                    let job = match rx.lock() {
                        Ok(guard) => guard.recv(),
                        Err(_) => return,
                    };
                    match job {
                        Ok(job) => job(),
                        Err(_) => return,
                    }
                }
            });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        Hasher { jobs: tx, permits: Semaphore::new(threads) }
    }

    /// Starts the hashing threads with the configured concurrency (once per process; later
    /// calls keep the first).
    pub fn init(concurrency: usize) {
        let _ = HASHER.get_or_init(|| Hasher::start(concurrency));
    }

    fn get() -> &'static Hasher {
        HASHER.get_or_init(|| Hasher::start(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)))
    }

    /// Runs `work` on a hashing thread once admitted; 503 when no thread frees up in time.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
        let h = self;
        let Some(permit) = enter(&h.permits, ADMISSION_WAIT).await else {
            metrics::counter!("portico_password_hashes_refused_total").increment(1);
            return Err(busy());
        };
        let (tx, rx) = oneshot::channel();
        let running = metrics::gauge!("portico_password_hashes_running");
        running.increment(1.0);
        let job: Job = Box::new(move || {
            let _ = tx.send(work());
        });
        let sent = h.jobs.send(job);
        let out = match sent {
            Ok(()) => rx.await.map_err(|_| AppError::internal(anyhow::anyhow!("password hashing thread failed"))),
            Err(_) => Err(AppError::internal(anyhow::anyhow!("password hashing threads are gone"))),
        };
        running.decrement(1.0);
        drop(permit);
        out
    }
}

/// The answer to a sign-in that found no free slot: 503 with `Retry-After`.
pub fn busy() -> AppError {
    AppError::Unavailable("Too many sign-ins are being checked right now. Please try again in a moment.".into())
}

/// Runs password work (hashing, verifying) on the process's hashing threads.
pub async fn run<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    Hasher::get().run(work).await
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// More callers than threads: never more than `threads` run at once, and those that cannot
    /// get a thread within the admission wait are refused with 503 rather than queued.
    #[actix_web::test]
    async fn admission_bounds_the_work_and_refuses_the_rest() {
        let h: &'static Hasher = Box::leak(Box::new(Hasher::start(2)));
        let now = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let calls = (0..8).map(|_| {
            let (now, peak) = (now.clone(), peak.clone());
            h.run(move || {
                let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(n, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(400));
                now.fetch_sub(1, Ordering::SeqCst);
            })
        });
        let done = futures_util::future::join_all(calls).await;
        let admitted = done.iter().filter(|d| d.is_ok()).count();
        let refused = done.iter().filter(|d| matches!(d, Err(AppError::Unavailable(_)))).count();
        assert!(peak.load(Ordering::SeqCst) <= 2, "at most two at once");
        assert_eq!(admitted + refused, 8);
        assert!((2..8).contains(&admitted), "some admitted, the rest refused with 503: {admitted}");
    }
}
