//! E-mail (SPEC §14): messages are written to the `outbox` table in the transaction that causes
//! them ([`outbox::enqueue`]) and sent by the sender task of `serve` ([`sender`]) off the
//! request path — a slow or absent mail server never slows a page, a failed send is retried
//! with backoff, and a row claimed by one node is sent by that node only.

pub mod messages;
pub mod outbox;
pub mod sender;

/// One message, rendered in its recipient's language: plain text and HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// What it is (`invitation`, `password_reset`, `low_balance`, `second_factor_reset`).
    pub kind: &'static str,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}
