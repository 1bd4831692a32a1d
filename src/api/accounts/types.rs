//! The wire types of billing accounts (SPEC §4): what GET answers, what POST and PUT accept.
//! Money is exact: decimal strings with up to six places (`"12.345600"`).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::api::list::{ListSpec, list_params};
use crate::api::read_only::with_read_only;
use crate::api::schema::{invalid, max_chars, nullable};
use crate::customers::accounts::{Account, RawAccount};
use crate::error::{AppResult, FieldError};

/// A billing account as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = Account)]
pub struct AccountOut {
    pub id: i64,
    pub customer_id: i64,
    pub name: String,
    /// ISO 4217.
    pub currency: String,
    /// Decimal string; read-only.
    #[schema(example = "12.345600")]
    pub balance: String,
    #[schema(example = "-50.000000")]
    pub min_balance: String,
    pub max_balance: Option<String>,
    pub is_postpaid: bool,
    /// Concurrent calls allowed.
    pub capacity: i32,
}

pub fn account_out(a: &Account) -> AccountOut {
    AccountOut {
        id: a.id,
        customer_id: a.customer_id,
        name: a.name.clone(),
        currency: a.currency.clone(),
        balance: crate::money::format(a.balance),
        min_balance: crate::money::format(a.min_balance),
        max_balance: a.max_balance.map(crate::money::format),
        is_postpaid: a.is_postpaid,
        capacity: a.capacity,
    }
}

pub fn account_json(a: &Account) -> Value {
    serde_json::to_value(account_out(a)).unwrap_or_default()
}

fn zero() -> String {
    "0".into()
}

with_read_only! {
    /// A new billing account. Money fields are decimal strings.
    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schema(as = AccountCreate)]
    pub struct AccountCreate {
        #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
        pub name: String,
        #[schema(pattern = "^[A-Z]{3}$", example = "EUR")]
        pub currency: String,
        #[serde(default = "zero")]
        #[schema(pattern = r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$")]
        pub min_balance: String,
        #[serde(default)]
        #[schema(pattern = r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$")]
        pub max_balance: Option<String>,
        #[serde(default)]
        pub is_postpaid: bool,
        #[serde(default)]
        #[schema(minimum = 0, maximum = 1000000)]
        pub capacity: i64,
    }
    read_only(id, customer_id, balance)
}

with_read_only! {
    /// The whole account as GET returned it; `id`, `customerId` and `balance` are ignored.
    #[derive(Debug, Deserialize, ToSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[schema(as = AccountReplace)]
    pub struct AccountReplace {
        #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
        pub name: String,
        #[schema(pattern = "^[A-Z]{3}$", example = "EUR")]
        pub currency: String,
        #[schema(pattern = r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$")]
        pub min_balance: String,
        #[serde(deserialize_with = "nullable")]
        #[schema(required = true, pattern = r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$")]
        pub max_balance: Option<String>,
        pub is_postpaid: bool,
        #[schema(minimum = 0, maximum = 1000000)]
        pub capacity: i64,
    }
    read_only(id, customer_id, balance)
}

fn money_text(field: &str, s: &str, e: &mut Vec<FieldError>) {
    if !crate::api::schema::decimal_ok(s, true) {
        e.push(FieldError::new(field, format!("`{s}` is not a decimal string such as \"12.500000\".")));
    }
}

/// The account fields after the format checks of the wire (decimal strings, a currency in
/// capitals); the domain command checks the rest.
fn raw_account(
    name: String,
    currency: String,
    min: String,
    max: Option<String>,
    is_postpaid: bool,
    capacity: i64,
) -> AppResult<RawAccount> {
    max_chars(&[("name", Some(&name), 200)])?;
    let mut e = Vec::new();
    money_text("minBalance", &min, &mut e);
    if let Some(m) = &max {
        money_text("maxBalance", m, &mut e);
    }
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
        e.push(FieldError::new("currency", "Use a three-letter ISO 4217 code in capitals, such as EUR."));
    }
    if !e.is_empty() {
        return Err(invalid(e));
    }
    let (min_balance, max_balance, capacity) = (min, max.unwrap_or_default(), capacity.to_string());
    Ok(RawAccount { name, currency, min_balance, max_balance, is_postpaid, capacity })
}

impl AccountCreate {
    pub fn raw(self) -> AppResult<RawAccount> {
        raw_account(self.name, self.currency, self.min_balance, self.max_balance, self.is_postpaid, self.capacity)
    }
}

impl AccountReplace {
    pub fn raw(self) -> AppResult<RawAccount> {
        raw_account(self.name, self.currency, self.min_balance, self.max_balance, self.is_postpaid, self.capacity)
    }
}

pub const CHILD_LIST_ACCOUNTS: ListSpec =
    ListSpec { name: "accounts", sort_fields: &["id", "name"], filters: &[], text_ids: None };
list_params!(AccountListParams, CHILD_LIST_ACCOUNTS);

pub const ACCOUNT_COLUMNS: [&str; 9] =
    ["id", "customerId", "name", "currency", "balance", "minBalance", "maxBalance", "isPostpaid", "capacity"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_strings_are_strict() {
        let check = |s: &str| {
            let mut e = Vec::new();
            money_text("m", s, &mut e);
            e.is_empty()
        };
        assert!(check("12.345600"));
        assert!(check("-5"));
        assert!(check("0.1"));
        assert!(!check("+5"));
        assert!(!check(".5"));
        assert!(!check("5."));
        assert!(!check(" 5"));
        assert!(!check("1.0000001"));
        assert!(!check("1e5"));
        assert!(!check(""));
    }

    #[test]
    fn api_shape_is_the_model_json() {
        let now = crate::now();
        let a = Account {
            id: 1,
            customer_id: 2,
            name: "Main".into(),
            currency: "EUR".into(),
            balance: 12_345_600,
            min_balance: -1,
            max_balance: None,
            is_postpaid: true,
            capacity: 3,
            created_at: now,
            updated_at: now,
        };
        assert_eq!(account_json(&a), a.to_json());
    }
}
