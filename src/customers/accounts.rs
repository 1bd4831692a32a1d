//! Billing accounts and access codes of a customer.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::db::DbConnection;
use crate::db::paging::{self, Page, Window};
use crate::db::schema::{access_codes, accounts};
use crate::error::{AppError, AppResult, FieldError};

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

pub struct RawAccount<'a> {
    pub name: &'a str,
    pub currency: &'a str,
    pub min_balance: &'a str,
    pub max_balance: &'a str,
    pub is_postpaid: bool,
    pub capacity: &'a str,
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
    let min_balance = if r.min_balance.trim().is_empty() {
        0
    } else {
        crate::money::parse(r.min_balance).unwrap_or_else(|m| {
            e.push(FieldError::new("minBalance", m));
            0
        })
    };
    let max_balance = if r.max_balance.trim().is_empty() {
        None
    } else {
        match crate::money::parse(r.max_balance) {
            Ok(v) => Some(v),
            Err(m) => {
                e.push(FieldError::new("maxBalance", m));
                None
            }
        }
    };
    if let Some(mx) = max_balance
        && mx < min_balance
    {
        e.push(FieldError::new("maxBalance", "The maximum balance is below the minimum."));
    }
    let capacity = if r.capacity.trim().is_empty() {
        0
    } else {
        match r.capacity.trim().parse::<i32>() {
            Ok(c) if (0..=1_000_000).contains(&c) => c,
            _ => {
                e.push(FieldError::new("capacity", "Enter the number of concurrent calls (0 to 1000000)."));
                0
            }
        }
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

    pub fn for_customer(conn: &mut DbConnection, customer_id: i64) -> AppResult<Vec<Account>> {
        Ok(accounts::table
            .filter(accounts::customer_id.eq(customer_id))
            .order(accounts::id.asc())
            .select(Account::as_select())
            .load(conn)?)
    }

    /// An account of the given customer; another customer's account is "not found".
    pub fn get_of(conn: &mut DbConnection, customer_id: i64, id: i64) -> AppResult<Account> {
        Ok(accounts::table
            .filter(accounts::id.eq(id))
            .filter(accounts::customer_id.eq(customer_id))
            .select(Account::as_select())
            .first(conn)?)
    }

    pub fn create(conn: &mut DbConnection, customer_id: i64, a: &AccountInput) -> AppResult<Account> {
        let now = crate::now();
        diesel::insert_into(accounts::table)
            .values((
                accounts::customer_id.eq(customer_id),
                accounts::name.eq(&a.name),
                accounts::currency.eq(&a.currency),
                accounts::balance.eq(0i64),
                accounts::min_balance.eq(a.min_balance),
                accounts::max_balance.eq(a.max_balance),
                accounts::is_postpaid.eq(a.is_postpaid),
                accounts::capacity.eq(a.capacity),
                accounts::created_at.eq(now),
                accounts::updated_at.eq(now),
            ))
            .execute(conn)?;
        let id: i64 = accounts::table
            .filter(accounts::customer_id.eq(customer_id))
            .order(accounts::id.desc())
            .select(accounts::id)
            .first(conn)?;
        Account::get_of(conn, customer_id, id)
    }

    pub fn update(conn: &mut DbConnection, customer_id: i64, id: i64, a: &AccountInput) -> AppResult<Account> {
        let n =
            diesel::update(accounts::table.filter(accounts::id.eq(id)).filter(accounts::customer_id.eq(customer_id)))
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
        if n == 0 {
            return Err(AppError::NotFound);
        }
        Account::get_of(conn, customer_id, id)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = access_codes)]
pub struct AccessCode {
    pub id: i64,
    pub customer_id: i64,
    pub label: String,
    pub public_text: String,
    pub public_value: String,
    pub private_master: String,
    pub private_read: String,
    pub private_write: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Default)]
pub struct AccessCodeInput {
    pub label: String,
    pub public_text: String,
    pub public_value: String,
    pub private_master: String,
    pub private_read: String,
    pub private_write: String,
}

impl AccessCodeInput {
    pub fn validate(mut self) -> Result<AccessCodeInput, Vec<FieldError>> {
        let mut e = Vec::new();
        self.label = self.label.trim().to_string();
        if self.label.is_empty() || self.label.chars().count() > 200 {
            e.push(FieldError::new("label", "Give the code a label of 1 to 200 characters."));
        }
        for (f, v) in [
            ("public.text", &self.public_text),
            ("public.value", &self.public_value),
            ("private.master", &self.private_master),
            ("private.read", &self.private_read),
            ("private.write", &self.private_write),
        ] {
            if v.chars().count() > 500 {
                e.push(FieldError::new(f, "At most 500 characters."));
            }
        }
        if e.is_empty() { Ok(self) } else { Err(e) }
    }
}

impl AccessCode {
    /// The JSON of SPEC §4; `private` only when the viewer may see it.
    pub fn to_json(&self, with_private: bool) -> Value {
        let mut v = json!({
            "id": self.id,
            "label": self.label,
            "public": {"text": self.public_text, "value": self.public_value},
        });
        if with_private {
            v["private"] =
                json!({"master": self.private_master, "read": self.private_read, "write": self.private_write});
        }
        v
    }

    pub fn for_customer(conn: &mut DbConnection, customer_id: i64) -> AppResult<Vec<AccessCode>> {
        Ok(access_codes::table
            .filter(access_codes::customer_id.eq(customer_id))
            .order(access_codes::id.asc())
            .select(AccessCode::as_select())
            .load(conn)?)
    }

    pub fn get_of(conn: &mut DbConnection, customer_id: i64, id: i64) -> AppResult<AccessCode> {
        Ok(access_codes::table
            .filter(access_codes::id.eq(id))
            .filter(access_codes::customer_id.eq(customer_id))
            .select(AccessCode::as_select())
            .first(conn)?)
    }

    pub fn create(conn: &mut DbConnection, customer_id: i64, a: &AccessCodeInput) -> AppResult<AccessCode> {
        let now = crate::now();
        diesel::insert_into(access_codes::table)
            .values((
                access_codes::customer_id.eq(customer_id),
                access_codes::label.eq(&a.label),
                access_codes::public_text.eq(&a.public_text),
                access_codes::public_value.eq(&a.public_value),
                access_codes::private_master.eq(&a.private_master),
                access_codes::private_read.eq(&a.private_read),
                access_codes::private_write.eq(&a.private_write),
                access_codes::created_at.eq(now),
                access_codes::updated_at.eq(now),
            ))
            .execute(conn)?;
        let id: i64 = access_codes::table
            .filter(access_codes::customer_id.eq(customer_id))
            .order(access_codes::id.desc())
            .select(access_codes::id)
            .first(conn)?;
        AccessCode::get_of(conn, customer_id, id)
    }

    pub fn delete(conn: &mut DbConnection, customer_id: i64, id: i64) -> AppResult<AccessCode> {
        let c = AccessCode::get_of(conn, customer_id, id)?;
        diesel::delete(access_codes::table.find(id)).execute(conn)?;
        Ok(c)
    }
}

/// Sort orders of account and access-code lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildSort {
    Id,
    /// The account's name or the access code's label.
    Name,
}

impl Account {
    /// An account by id, whatever its customer.
    pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<Account>> {
        Ok(accounts::table.find(id).select(Account::as_select()).first(conn).optional()?)
    }

    /// One page of a customer's accounts (`ids` empty: all of them).
    pub fn page_of(
        conn: &mut DbConnection,
        customer_id: i64,
        ids: &[i64],
        sort: (ChildSort, bool),
        w: Window,
        with_total: bool,
    ) -> AppResult<Page<Account>> {
        let build = || {
            let mut q =
                accounts::table.filter(accounts::customer_id.eq(customer_id)).select(Account::as_select()).into_boxed();
            if !ids.is_empty() {
                q = q.filter(accounts::id.eq_any(ids.to_vec()));
            }
            match sort {
                (ChildSort::Id, true) => q.order(accounts::id.asc()),
                (ChildSort::Id, false) => q.order(accounts::id.desc()),
                (ChildSort::Name, true) => q.order((accounts::name.asc(), accounts::id.asc())),
                (ChildSort::Name, false) => q.order((accounts::name.desc(), accounts::id.desc())),
            }
        };
        Ok(paging::page(conn, build, w, with_total)?)
    }

    /// Deletes an account of the given customer.
    pub fn delete(conn: &mut DbConnection, customer_id: i64, id: i64) -> AppResult<Account> {
        let a = Account::get_of(conn, customer_id, id)?;
        diesel::delete(accounts::table.find(id)).execute(conn)?;
        Ok(a)
    }
}

impl AccessCode {
    /// An access code by id, whatever its customer.
    pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<AccessCode>> {
        Ok(access_codes::table.find(id).select(AccessCode::as_select()).first(conn).optional()?)
    }

    /// One page of a customer's access codes (`ids` empty: all of them).
    pub fn page_of(
        conn: &mut DbConnection,
        customer_id: i64,
        ids: &[i64],
        sort: (ChildSort, bool),
        w: Window,
        with_total: bool,
    ) -> AppResult<Page<AccessCode>> {
        let build = || {
            let mut q = access_codes::table
                .filter(access_codes::customer_id.eq(customer_id))
                .select(AccessCode::as_select())
                .into_boxed();
            if !ids.is_empty() {
                q = q.filter(access_codes::id.eq_any(ids.to_vec()));
            }
            match sort {
                (ChildSort::Id, true) => q.order(access_codes::id.asc()),
                (ChildSort::Id, false) => q.order(access_codes::id.desc()),
                (ChildSort::Name, true) => q.order((access_codes::label.asc(), access_codes::id.asc())),
                (ChildSort::Name, false) => q.order((access_codes::label.desc(), access_codes::id.desc())),
            }
        };
        Ok(paging::page(conn, build, w, with_total)?)
    }

    /// Replaces an access code's fields.
    pub fn update(conn: &mut DbConnection, customer_id: i64, id: i64, a: &AccessCodeInput) -> AppResult<AccessCode> {
        let n = diesel::update(
            access_codes::table.filter(access_codes::id.eq(id)).filter(access_codes::customer_id.eq(customer_id)),
        )
        .set((
            access_codes::label.eq(&a.label),
            access_codes::public_text.eq(&a.public_text),
            access_codes::public_value.eq(&a.public_value),
            access_codes::private_master.eq(&a.private_master),
            access_codes::private_read.eq(&a.private_read),
            access_codes::private_write.eq(&a.private_write),
            access_codes::updated_at.eq(crate::now()),
        ))
        .execute(conn)?;
        if n == 0 {
            return Err(AppError::NotFound);
        }
        AccessCode::get_of(conn, customer_id, id)
    }
}
