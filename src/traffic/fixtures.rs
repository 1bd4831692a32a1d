//! Records the unit tests of traffic, billing, numbers and their neighbours start from.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::accounts;
use crate::traffic::ingest::{self, CdrIn};

/// A customer with one EUR account: (customer id, account id).
pub fn customer_with_account(c: &mut DbConnection, name: &str) -> (i64, i64) {
    let customer = crate::customers::model::insert_basic(c, name, None).expect("customer");
    let now = crate::now();
    diesel::insert_into(accounts::table)
        .values((
            accounts::customer_id.eq(customer),
            accounts::name.eq("Main"),
            accounts::currency.eq("EUR"),
            accounts::created_at.eq(now),
            accounts::updated_at.eq(now),
        ))
        .execute(c)
        .expect("account");
    let account = accounts::table.filter(accounts::customer_id.eq(customer)).select(accounts::id).first(c);
    (customer, account.expect("account id"))
}

/// A valid outgoing CDR row for an account.
pub fn cdr_row(account: i64, external_id: &str) -> CdrIn {
    CdrIn {
        external_id: Some(external_id.into()),
        account_id: Some(account),
        direction: Some("outgoing".into()),
        time_start: Some("2026-05-01T10:00:00Z".into()),
        duration: Some(60),
        dst_number: Some("4930123".into()),
        price: Some("0.010000".into()),
        ..CdrIn::default()
    }
}

/// One stored outgoing CDR of a fresh customer; its id.
pub fn one_cdr(c: &mut DbConnection) -> i64 {
    let (_, account) = customer_with_account(c, "Calls Ltd");
    let parsed = ingest::parse_all(&[cdr_row(account, "fixture-1")]).expect("valid row");
    ingest::store(c, parsed).expect("stored");
    crate::db::schema::cdrs::table.select(crate::db::schema::cdrs::id).first(c).expect("cdr id")
}
