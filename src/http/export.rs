//! Streamed exports under load (SPEC §12): CDR CSV, daily reports, API lists with `all=true` or
//! as CSV.
//!
//! - A person runs at most [`PER_USER`] exports at once on a node; the next one answers 429.
//! - An export's rows are read chunk by chunk, each chunk with a connection taken from the pool
//!   and returned before the chunk is sent (the producer's business, see `traffic::cdrs` and
//!   `api::list`); nothing here holds a connection.
//! - A client that reads nothing for [`STALL`] is given up on: the export ends, its slot frees,
//!   and the connection is closed the next time the server writes to it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::web::Bytes;
use futures_util::{Stream, StreamExt};
use tokio::sync::mpsc;

use crate::error::{AppError, AppResult};

/// Exports one person may run at once.
pub const PER_USER: usize = 2;
/// How long a chunk may wait for the client to take it.
pub const STALL: Duration = Duration::from_secs(30);

/// The running exports of this node, per person (one registry per [`crate::AppState`]).
#[derive(Debug, Clone, Default)]
pub struct Slots(Arc<Mutex<HashMap<i64, usize>>>);

impl Slots {
    /// Takes one of the person's export slots, or answers 429.
    pub fn take(&self, user: i64) -> AppResult<Slot> {
        let mut map = self.0.lock().map_err(|_| AppError::internal(anyhow::anyhow!("export registry poisoned")))?;
        let n = map.entry(user).or_insert(0);
        if *n >= PER_USER {
            metrics::counter!("portico_exports_refused_total").increment(1);
            return Err(AppError::RateLimited(format!(
                "You already have {PER_USER} downloads running. Wait for one to finish, then try again."
            )));
        }
        *n += 1;
        metrics::gauge!("portico_exports_running").increment(1.0);
        Ok(Slot { slots: self.0.clone(), user })
    }
}

/// One running export of a person; the slot is given back when it is dropped.
#[derive(Debug)]
pub struct Slot {
    slots: Arc<Mutex<HashMap<i64, usize>>>,
    user: i64,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Ok(mut map) = self.slots.lock()
            && let Some(n) = map.get_mut(&self.user)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                map.remove(&self.user);
            }
        }
        metrics::gauge!("portico_exports_running").decrement(1.0);
    }
}

/// The body of an export: `chunks` are produced by a task of their own, one ahead of the
/// client; when the client takes none for [`STALL`], the task stops (dropping `chunks`, and the
/// slot with it) and the body ends in an error, so that the connection is closed rather than
/// left looking complete.
pub fn watched<S>(slot: Slot, chunks: S) -> impl Stream<Item = Result<Bytes, std::io::Error>> + 'static
where
    S: Stream<Item = Result<Bytes, std::io::Error>> + 'static,
{
    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(1);
    actix_web::rt::spawn(async move {
        let _slot = slot;
        let mut chunks = std::pin::pin!(chunks);
        while let Some(item) = chunks.next().await {
            let failed = item.is_err();
            match tokio::time::timeout(STALL, tx.send(item)).await {
                Ok(Ok(())) if !failed => {}
                Ok(Ok(())) => return,
                Ok(Err(_)) => return, // the client went away
                Err(_) => {
                    tracing::warn!("export stopped: the client read nothing for {} s", STALL.as_secs());
                    metrics::counter!("portico_exports_stalled_total").increment(1);
                    // The body ends with an error, which closes the connection when (if ever)
                    // the client reads again.
                    let _ = tx.try_send(Err(std::io::Error::other("client stalled")));
                    return;
                }
            }
        }
    });
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) })
}

/// A CSV download of the customer's CDRs (the portal's export and daily reports, the API's CSV):
/// one of the person's export slots (429 beyond), the audit row, then the rows streamed a page
/// at a time under the stall watch.
pub async fn cdr_download(
    state: &crate::AppState,
    p: &crate::http::Portal,
    what: crate::traffic::export::Download,
    filters: Vec<crate::traffic::cdrs::CdrFilter>,
    file_name: String,
) -> AppResult<actix_web::HttpResponse> {
    use crate::traffic::export;
    let slot = state.exports.take(p.user.id)?;
    let (actor, customer) = (p.actor(), p.customer_id());
    crate::db::run(&state.pool, move |c| export::record(c, &actor, customer, &what)).await?;
    let body = export::stream(state.pool.clone(), state.replica.clone(), filters, p.tz().to_string())
        .map(|r| r.map(Bytes::from));
    Ok(actix_web::HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((actix_web::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")))
        .streaming(watched(slot, body)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_slots_per_person_then_429() {
        let slots = Slots::default();
        let a = slots.take(-7).unwrap();
        let b = slots.take(-7).unwrap();
        assert!(matches!(slots.take(-7), Err(AppError::RateLimited(_))));
        let other = slots.take(-8).unwrap();
        drop(a);
        let c = slots.take(-7).unwrap();
        drop((b, c, other));
    }

    /// A body nobody reads gives its slot back after the stall time, without being polled (on
    /// tokio's paused clock, which jumps ahead whenever nothing else can run: no real waiting).
    #[actix_web::test]
    async fn a_stalled_reader_frees_the_slot() {
        tokio::time::pause();
        let slots = Slots::default();
        let slot = slots.take(-9).unwrap();
        let endless = futures_util::stream::repeat_with(|| Ok(Bytes::from_static(b"row\n")));
        let body = watched(slot, endless);
        let second = slots.take(-9).unwrap();
        tokio::time::sleep(STALL - Duration::from_secs(1)).await;
        assert!(matches!(slots.take(-9), Err(AppError::RateLimited(_))), "held until the stall time");
        tokio::time::sleep(Duration::from_secs(2)).await;
        let third = slots.take(-9).expect("the stalled export gave its slot back");
        drop((second, third, body));
    }
}
