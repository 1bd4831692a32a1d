//! Crypto top-ups through Cryptomus (SPEC §2 `payments_cryptomus`): the portal creates a
//! signed invoice through the merchant API and sends the customer to its payment page; the
//! signed webhook settles it — payment, ledger transaction and balance change in one database
//! transaction, idempotent, with amount and status checked.

pub mod cryptomus;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::topups;
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = topups)]
pub struct Topup {
    pub id: i64,
    /// Our id of the invoice at the provider (`ptc-…`).
    pub order_id: String,
    pub customer_id: i64,
    /// The account credited, and who started the top-up.
    pub account_id: i64,
    pub user_id: Option<i64>,
    /// Micro-units of the account's currency.
    pub amount: i64,
    pub currency: String,
    /// The provider's invoice and its payment page, once it accepted the top-up.
    pub provider_uuid: Option<String>,
    pub payment_url: Option<String>,
    /// The provider's status (`created` until it answers).
    pub status: String,
    /// What the payer paid, in the payer's (crypto) currency.
    pub paid_amount: Option<String>,
    pub payer_currency: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Topup {
    pub fn recent(conn: &mut DbConnection, customer: i64, limit: i64) -> AppResult<Vec<Topup>> {
        Ok(topups::table
            .filter(topups::customer_id.eq(customer))
            .order(topups::id.desc())
            .limit(limit)
            .select(Topup::as_select())
            .load(conn)?)
    }

    /// The stage of the top-up, grouping the provider's statuses: `created`, `pending`, `paid`,
    /// `wrong-amount`, `cancelled`, `failed`, `refunded`, `on-hold` or `unknown`.
    pub fn stage(&self) -> &'static str {
        match self.status.as_str() {
            "created" => "created",
            "pending" | "check" | "process" | "confirm_check" => "pending",
            "paid" | "paid_over" => "paid",
            "wrong_amount" => "wrong-amount",
            "cancel" => "cancelled",
            "fail" | "system_fail" => "failed",
            "refund_process" | "refund_paid" | "refund_fail" => "refunded",
            "locked" => "on-hold",
            _ => "unknown",
        }
    }

    pub fn is_final(&self) -> bool {
        matches!(self.status.as_str(), "paid" | "paid_over" | "cancel" | "fail" | "system_fail" | "refund_paid")
    }
}
