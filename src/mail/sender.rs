//! The sender task: claims due outbox rows, sends them over SMTP (`lettre`), marks them sent or
//! schedules a retry with backoff. Runs on its own thread, never on a request's path; started
//! by `serve` when `PORTICO_SMTP_URL` is set.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::{SmtpTransport, Transport};

use crate::db::Pool;
use crate::mail::messages::PORTAL;
use crate::mail::outbox::{self, Claimed};

/// What the sender needs.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://host:port`, `smtp://user:pass@host:port?tls=required` or `smtps://…`.
    pub smtp_url: String,
    /// The sender address, e.g. `Portico <portal@example.com>`.
    pub from: String,
    /// The first retry waits this long; each further one twice as long (at most an hour).
    pub retry: Duration,
    /// How often the outbox is looked at when idle.
    pub poll: Duration,
}

/// A running sender; dropping it (or [`SenderHandle::stop`]) ends it after its current round.
pub struct SenderHandle {
    stop: Arc<AtomicBool>,
}

impl SenderHandle {
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

impl Drop for SenderHandle {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Checks the settings once at start: a bad URL or sender address is a configuration error.
pub fn check(config: &MailConfig) -> anyhow::Result<()> {
    SmtpTransport::from_url(&config.smtp_url).map_err(|e| anyhow::anyhow!("PORTICO_SMTP_URL: {e}"))?;
    config.from.parse::<Mailbox>().map_err(|e| anyhow::anyhow!("PORTICO_MAIL_FROM `{}`: {e}", config.from))?;
    Ok(())
}

/// Starts the sender. `portal_url` is the base of the links in messages.
pub fn spawn(pool: Pool, config: MailConfig, portal_url: String) -> anyhow::Result<SenderHandle> {
    check(&config)?;
    let transport = SmtpTransport::from_url(&config.smtp_url)?.timeout(Some(Duration::from_secs(15))).build();
    let from: Mailbox = config.from.parse()?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    std::thread::Builder::new().name("portico-mail".into()).spawn(move || {
        while !flag.load(Ordering::SeqCst) {
            let busy = match round(&pool, &transport, &from, &config, &portal_url) {
                Ok(n) => n > 0,
                Err(e) => {
                    tracing::warn!(error = %e, "mail outbox round failed");
                    false
                }
            };
            if !busy {
                std::thread::sleep(config.poll);
            }
        }
    })?;
    Ok(SenderHandle { stop })
}

/// One round: claim what is due, send it. Answers how many rows it handled.
fn round(
    pool: &Pool,
    transport: &SmtpTransport,
    from: &Mailbox,
    config: &MailConfig,
    portal_url: &str,
) -> anyhow::Result<usize> {
    let mut conn = pool.get()?;
    if !outbox::any_due(&mut conn)? {
        return Ok(0);
    }
    let claimed = outbox::claim(&mut conn, 10)?;
    drop(conn);
    for row in &claimed {
        // No pooled connection is held while the mail server is talked to.
        let result = send(transport, from, row, portal_url);
        let mut conn = pool.get()?;
        match result {
            Ok(()) => {
                outbox::sent(&mut conn, row.id)?;
                metrics::counter!("portico_outbox_sent_total", "kind" => row.kind.clone()).increment(1);
                tracing::info!(id = row.id, kind = %row.kind, "mail sent");
            }
            Err(e) => {
                outbox::failed(&mut conn, row, &e.to_string(), config.retry)?;
                metrics::counter!("portico_outbox_failures_total").increment(1);
                tracing::warn!(id = row.id, attempts = row.attempts, error = %e, "mail not sent; will retry");
            }
        }
    }
    if let Ok(mut conn) = pool.get()
        && let Ok(n) = outbox::waiting(&mut conn)
    {
        metrics::gauge!("portico_outbox_waiting").set(n as f64);
    }
    Ok(claimed.len())
}

fn send(transport: &SmtpTransport, from: &Mailbox, row: &Claimed, portal_url: &str) -> anyhow::Result<()> {
    let to: Mailbox = row.recipient.parse()?;
    let message = lettre::Message::builder().from(from.clone()).to(to).subject(row.subject.clone()).multipart(
        MultiPart::alternative_plain_html(
            row.body_text.replace(PORTAL, portal_url),
            row.body_html.replace(PORTAL, portal_url),
        ),
    )?;
    transport.send(&message)?;
    Ok(())
}
