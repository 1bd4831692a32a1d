//! Billing accounts of a customer: rows, queries, and the commands that open, change and close
//! them (each validates, writes and records its audit row in one transaction). Access codes,
//! the other rows a customer owns, are in [`crate::customers::codes`].

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::audit::{self, Actor};
use crate::customers::input::invalid;
use crate::customers::model::CustomerRow;
use crate::db::schema::accounts;
use crate::db::{DbConnection, write_tx};
use crate::error::{AppResult, FieldError};

pub use crate::customers::codes::{AccessCode, AccessCodeInput};

/// Sort orders of account and access-code lists: by id, or by the account's name or the
/// access code's label.
pub type ChildSort = crate::customers::groups::NameSort;

/// The queries of rows that belong to one customer (accounts, access codes): a customer's
/// rows, one page of them, one row within a customer or anywhere, and the bare delete.
macro_rules! owned_rows {
    ($row:ident, $table:ident, $name:ident) => {
        impl $row {
            pub fn for_customer(
                conn: &mut $crate::db::DbConnection,
                customer_id: i64,
            ) -> $crate::error::AppResult<Vec<$row>> {
                Ok($table::table
                    .filter($table::customer_id.eq(customer_id))
                    .order($table::id.asc())
                    .select($row::as_select())
                    .load(conn)?)
            }

            /// A row of the given customer; another customer's is "not found".
            pub fn get_of(
                conn: &mut $crate::db::DbConnection,
                customer_id: i64,
                id: i64,
            ) -> $crate::error::AppResult<$row> {
                $row::get_in(conn, Some(customer_id), id)
            }

            /// A row by id, whatever its customer.
            pub fn find(conn: &mut $crate::db::DbConnection, id: i64) -> $crate::error::AppResult<Option<$row>> {
                Ok($table::table.find(id).select($row::as_select()).first(conn).optional()?)
            }

            /// A row of the customer `scope` (`None`: of any customer), else not found.
            pub fn get_in(
                conn: &mut $crate::db::DbConnection,
                scope: Option<i64>,
                id: i64,
            ) -> $crate::error::AppResult<$row> {
                $row::find(conn, id)?
                    .filter(|r| scope.is_none_or(|c| r.customer_id == c))
                    .ok_or($crate::error::AppError::NotFound)
            }

            /// One page of a customer's rows (`ids` empty: all of them).
            pub fn page_of(
                conn: &mut $crate::db::DbConnection,
                customer_id: i64,
                ids: &[i64],
                sort: ($crate::customers::accounts::ChildSort, bool),
                w: $crate::db::paging::Window,
                with_total: bool,
            ) -> $crate::error::AppResult<$crate::db::paging::Page<$row>> {
                let of_customer = $table::customer_id.eq(customer_id);
                $crate::customers::paged!(conn, $row, $table, $name, ids, sort, w, with_total, of_customer)
            }

            fn remove(conn: &mut $crate::db::DbConnection, id: i64) -> $crate::error::AppResult<()> {
                diesel::delete($table::table.find(id)).execute(conn)?;
                Ok(())
            }
        }
    };
}
pub(crate) use owned_rows;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: i64,
    pub customer_id: i64,
    pub name: String,
    pub currency: String,
    pub balance: i64,
    pub min_balance: i64,
    pub max_balance: Option<i64>,
    pub is_postpaid: bool,
    pub capacity: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

owned_rows!(Account, accounts, name);

/// Validated account fields (balance is changed only by ledger entries, never edited).
#[derive(Debug, Clone)]
pub struct AccountInput {
    pub name: String,
    pub currency: String,
    pub min_balance: i64,
    pub max_balance: Option<i64>,
    pub is_postpaid: bool,
    pub capacity: i32,
}

/// Account fields as text, the way a form (or the API, after its format checks) gives them.
#[derive(Debug, Clone, Default)]
pub struct RawAccount {
    pub name: String,
    pub currency: String,
    pub min_balance: String,
    pub max_balance: String,
    pub is_postpaid: bool,
    pub capacity: String,
}

fn money_or(field: &str, text: &str, e: &mut Vec<FieldError>) -> Option<i64> {
    if text.trim().is_empty() {
        return None;
    }
    crate::money::parse(text).map_err(|m| e.push(FieldError::new(field, m))).ok()
}

pub fn validate_account(r: &RawAccount) -> Result<AccountInput, Vec<FieldError>> {
    let mut e = Vec::new();
    let name = r.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        e.push(FieldError::new("name", "Give the account a name of 1 to 200 characters."));
    }
    let currency = r.currency.trim().to_uppercase();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
        e.push(FieldError::new("currency", "Use a three-letter ISO 4217 code such as EUR."));
    }
    let min_balance = money_or("minBalance", &r.min_balance, &mut e).unwrap_or(0);
    let max_balance = money_or("maxBalance", &r.max_balance, &mut e);
    if let Some(mx) = max_balance
        && mx < min_balance
    {
        e.push(FieldError::new("maxBalance", "The maximum balance is below the minimum."));
    }
    let capacity = match r.capacity.trim() {
        "" => 0,
        c => match c.parse::<i32>() {
            Ok(c) if (0..=1_000_000).contains(&c) => c,
            _ => {
                e.push(FieldError::new("capacity", "Enter the number of concurrent calls (0 to 1000000)."));
                0
            }
        },
    };
    if e.is_empty() {
        Ok(AccountInput { name, currency, min_balance, max_balance, is_postpaid: r.is_postpaid, capacity })
    } else {
        Err(e)
    }
}

impl Account {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "customerId": self.customer_id,
            "name": self.name,
            "currency": self.currency,
            "balance": crate::money::format(self.balance),
            "minBalance": crate::money::format(self.min_balance),
            "maxBalance": self.max_balance.map(crate::money::format),
            "isPostpaid": self.is_postpaid,
            "capacity": self.capacity,
        })
    }

    /// Opens an account (balance 0) — the write alone, no audit row: [`create_account`] is
    /// the command; fixtures and the demo seed call this.
    pub fn create(conn: &mut DbConnection, customer_id: i64, a: &AccountInput) -> AppResult<Account> {
        let now = crate::now();
        let id: i64 = crate::with_conn!(conn, |c| diesel::insert_into(accounts::table)
            .values((
                accounts::customer_id.eq(customer_id),
                accounts::name.eq(&a.name),
                accounts::currency.eq(&a.currency),
                accounts::created_at.eq(now),
                accounts::updated_at.eq(now),
            ))
            .returning(accounts::id)
            .get_result(c))?;
        Account::write(conn, id, a)
    }

    fn write(conn: &mut DbConnection, id: i64, a: &AccountInput) -> AppResult<Account> {
        diesel::update(accounts::table.find(id))
            .set((
                accounts::name.eq(&a.name),
                accounts::currency.eq(&a.currency),
                accounts::min_balance.eq(a.min_balance),
                accounts::max_balance.eq(a.max_balance),
                accounts::is_postpaid.eq(a.is_postpaid),
                accounts::capacity.eq(a.capacity),
                accounts::updated_at.eq(crate::now()),
            ))
            .execute(conn)?;
        Account::get_in(conn, None, id)
    }
}

/// Opens a billing account for a customer.
pub fn create_account(c: &mut DbConnection, actor: &Actor, customer: i64, raw: &RawAccount) -> AppResult<Account> {
    write_tx(c, |c| {
        CustomerRow::get(c, customer)?;
        let input = validate_account(raw).map_err(invalid)?;
        let a = Account::create(c, customer, &input)?;
        let diff = audit::diff(None, Some(&a.to_json()));
        audit::record(c, actor, "account.create", "account", Some(a.id.to_string()), diff)?;
        Ok(a)
    })
}

/// Changes an account of the customer `scope` (`None`: of any customer); not its balance.
pub fn update_account(
    c: &mut DbConnection,
    actor: &Actor,
    scope: Option<i64>,
    id: i64,
    raw: &RawAccount,
) -> AppResult<Account> {
    write_tx(c, |c| {
        let before = Account::get_in(c, scope, id)?;
        let input = validate_account(raw).map_err(invalid)?;
        let after = Account::write(c, id, &input)?;
        let diff = audit::diff(Some(&before.to_json()), Some(&after.to_json()));
        audit::record(c, actor, "account.update", "account", Some(id.to_string()), diff)?;
        Ok(after)
    })
}

/// Closes (deletes) an account of the customer `scope` (`None`: of any customer).
pub fn delete_account(c: &mut DbConnection, actor: &Actor, scope: Option<i64>, id: i64) -> AppResult<Account> {
    write_tx(c, |c| {
        let gone = Account::get_in(c, scope, id)?;
        Account::remove(c, id)?;
        let diff = audit::diff(Some(&gone.to_json()), None);
        audit::record(c, actor, "account.delete", "account", Some(id.to_string()), diff)?;
        Ok(gone)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::model::insert_basic;
    use crate::db::paging::Window;
    use crate::db::testing::{audit_rows, each_backend};
    use crate::error::AppError;

    fn raw(name: &str, min: &str) -> RawAccount {
        RawAccount { name: name.into(), currency: "eur".into(), min_balance: min.into(), ..Default::default() }
    }

    #[test]
    fn account_fields_are_checked_together() {
        let e = validate_account(&RawAccount {
            name: " ".into(),
            currency: "EURO".into(),
            min_balance: "5".into(),
            max_balance: "1".into(),
            capacity: "-1".into(),
            ..Default::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = e.iter().map(|x| x.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "currency", "maxBalance", "capacity"]);
        let ok = validate_account(&raw("Main", "-10.5")).unwrap();
        assert_eq!((ok.currency.as_str(), ok.min_balance, ok.capacity), ("EUR", -10_500_000, 0));
    }

    #[test]
    fn account_commands_write_and_audit() {
        each_backend(|c| {
            let actor = Actor::system();
            let acme = insert_basic(c, "Acme", None).unwrap();
            let other = insert_basic(c, "Other", None).unwrap();
            let a = create_account(c, &actor, acme, &raw("Main", "-10.5")).unwrap();
            assert_eq!((a.customer_id, a.balance, a.min_balance), (acme, 0, -10_500_000));
            let rows = audit_rows(c, "account.create");
            assert_eq!(rows[0].0, Some(a.id.to_string()));
            assert_eq!(rows[0].1.as_ref().unwrap()["currency"], json!({"after": "EUR"}));
            // Invalid input or an unknown customer: nothing written, nothing audited.
            assert!(matches!(create_account(c, &actor, acme, &raw("", "x")), Err(AppError::Unprocessable(..))));
            assert!(matches!(create_account(c, &actor, 999_999, &raw("X", "")), Err(AppError::NotFound)));
            assert_eq!((Account::for_customer(c, acme).unwrap().len(), audit_rows(c, "account.create").len()), (1, 1));
            // Another customer's account is not found through this one.
            assert!(matches!(update_account(c, &actor, Some(other), a.id, &raw("X", "")), Err(AppError::NotFound)));
            let after = update_account(c, &actor, Some(acme), a.id, &raw("Renamed", "")).unwrap();
            assert_eq!((after.name.as_str(), after.min_balance), ("Renamed", 0));
            let d = audit_rows(c, "account.update")[0].1.clone().unwrap();
            assert_eq!(d["name"], json!({"before": "Main", "after": "Renamed"}));
            assert!(d.get("currency").is_none(), "unchanged fields are not in the diff");
            let page = Account::page_of(c, acme, &[], (ChildSort::Name, true), Window::new(0, 10), true).unwrap();
            assert_eq!(page.total, Some(1));
            delete_account(c, &actor, None, a.id).unwrap();
            assert!(Account::find(c, a.id).unwrap().is_none());
            assert_eq!(audit_rows(c, "account.delete")[0].1.as_ref().unwrap()["name"], json!({"before": "Renamed"}));
        });
    }
}
