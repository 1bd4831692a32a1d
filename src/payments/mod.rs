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
    pub order_id: String,
    pub customer_id: i64,
    pub account_id: i64,
    pub user_id: Option<i64>,
    pub amount: i64,
    pub currency: String,
    pub provider_uuid: Option<String>,
    pub payment_url: Option<String>,
    pub status: String,
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

    /// A status for people.
    pub fn status_label(&self) -> &'static str {
        match self.status.as_str() {
            "created" => "Starting",
            "pending" | "check" | "process" | "confirm_check" => "Waiting for payment",
            "paid" | "paid_over" => "Paid",
            "wrong_amount" => "Wrong amount paid",
            "cancel" => "Cancelled",
            "fail" | "system_fail" => "Failed",
            "refund_process" | "refund_paid" | "refund_fail" => "Refunded",
            "locked" => "On hold",
            _ => "Unknown",
        }
    }

    pub fn is_final(&self) -> bool {
        matches!(self.status.as_str(), "paid" | "paid_over" | "cancel" | "fail" | "system_fail" | "refund_paid")
    }
}
