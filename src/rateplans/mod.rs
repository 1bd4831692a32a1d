//! Rateplans (rate decks) assigned to customers, and the number check by longest prefix.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use utoipa::ToSchema;

use crate::billing::{Scope, scoped_one, scoped_page};
use crate::db::DbConnection;
use crate::db::paging::{Page, Window};
use crate::db::schema::{customer_rateplans, customers, rateplans, rates};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = rateplans)]
pub struct Rateplan {
    pub id: i64,
    pub name: String,
    pub currency: String,
    pub description: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = rates)]
pub struct Rate {
    #[diesel(skip_insertion)]
    pub id: i64,
    pub rateplan_id: i64,
    pub prefix: String,
    pub destination_name: String,
    pub rate: i64,
    pub connect_fee: i64,
    pub billing_increment: i32,
}

impl Rate {
    pub fn to_json(&self) -> Value {
        json!({"prefix": self.prefix, "destinationName": self.destination_name, "rate": crate::money::format(self.rate),
            "connectFee": crate::money::format(self.connect_fee), "billingIncrement": self.billing_increment})
    }
}

impl Rateplan {
    pub fn to_json(&self) -> Value {
        json!({"id": self.id, "name": self.name, "currency": self.currency, "description": self.description})
    }

    pub fn for_customer(conn: &mut DbConnection, customer: i64) -> AppResult<Vec<(Rateplan, i64)>> {
        let plans: Vec<Rateplan> = rateplans::table
            .inner_join(customer_rateplans::table)
            .filter(customer_rateplans::customer_id.eq(customer))
            .order(rateplans::name.asc())
            .select(Rateplan::as_select())
            .load(conn)?;
        let mut out = Vec::new();
        for p in plans {
            let n: i64 = rates::table.filter(rates::rateplan_id.eq(p.id)).count().get_result(conn)?;
            out.push((p, n));
        }
        Ok(out)
    }

    /// One window of the rateplans a scope shows, in id order, with every rate (the API's list).
    pub fn page(
        conn: &mut DbConnection,
        s: &Scope,
        w: Window,
        with_total: bool,
    ) -> AppResult<Page<(Rateplan, Vec<Rate>)>> {
        let page: Page<Rateplan> = scoped_page!(conn, rateplans via customer_rateplans, Rateplan, s, w, with_total)?;
        let total = page.total;
        let rows = page
            .rows
            .into_iter()
            .map(|p| {
                let rates = Rateplan::rates(conn, p.id, None, None, 100_000)?;
                Ok((p, rates))
            })
            .collect::<AppResult<_>>()?;
        Ok(Page { rows, total })
    }

    /// How many rateplans the customer has.
    pub fn count_for(conn: &mut DbConnection, customer: i64) -> AppResult<i64> {
        let q = customer_rateplans::table.filter(customer_rateplans::customer_id.eq(customer));
        Ok(q.count().get_result(conn)?)
    }

    /// One of the customer's rateplans; others are "not found".
    pub fn get_of(conn: &mut DbConnection, customer: i64, id: i64) -> AppResult<Rateplan> {
        scoped_one!(conn, rateplans via customer_rateplans, Rateplan, customer, id)
    }

    /// Rates by prefix, keyset-paged after `after`, optionally starting with `prefix`.
    pub fn rates(
        conn: &mut DbConnection,
        plan: i64,
        prefix: Option<&str>,
        after: Option<&str>,
        limit: i64,
    ) -> AppResult<Vec<Rate>> {
        let mut q = rates::table.filter(rates::rateplan_id.eq(plan)).select(Rate::as_select()).into_boxed();
        if let Some(p) = prefix.filter(|p| !p.is_empty()) {
            q = q.filter(rates::prefix.like(format!("{}%", crate::audit::model::escape_like(p))).escape('\\'));
        }
        if let Some(a) = after {
            q = q.filter(rates::prefix.gt(a.to_string()));
        }
        Ok(q.order(rates::prefix.asc()).limit(limit).load(conn)?)
    }
}

/// Digits of a dialled number (drops +, spaces, dashes; a leading 00 is the international prefix).
pub fn normalize_number(n: &str) -> Option<String> {
    let digits: String = n.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = digits.strip_prefix("00").map(str::to_string).unwrap_or(digits);
    (!digits.is_empty() && digits.len() <= 20 && n.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)))
        .then_some(digits)
}

/// The rate for a number in each of the customer's rateplans: the longest matching prefix.
pub fn check_number(conn: &mut DbConnection, customer: i64, number: &str) -> AppResult<Vec<(Rateplan, Option<Rate>)>> {
    let digits = normalize_number(number)
        .ok_or_else(|| AppError::field("number", "Enter a phone number (digits, optionally with +)."))?;
    let prefixes: Vec<String> = (1..=digits.len()).map(|i| digits[..i].to_string()).collect();
    let mut out = Vec::new();
    for (plan, _) in Rateplan::for_customer(conn, customer)? {
        let best: Option<Rate> = rates::table
            .filter(rates::rateplan_id.eq(plan.id))
            .filter(rates::prefix.eq_any(&prefixes))
            .select(Rate::as_select())
            .load::<Rate>(conn)?
            .into_iter()
            .max_by_key(|r| r.prefix.len());
        out.push((plan, best));
    }
    Ok(out)
}

/// The rate of a destination prefix.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = RateRow)]
pub struct RateIn {
    /// 1 to 20 digits, unique within the rateplan.
    #[schema(example = "4915")]
    pub prefix: String,
    #[serde(default)]
    pub destination_name: String,
    /// A decimal string per minute (`"0.030000"`).
    #[schema(example = "0.030000")]
    pub rate: String,
    /// A decimal string (default 0).
    #[serde(default)]
    pub connect_fee: Option<String>,
    /// Seconds (default 1).
    #[serde(default = "one")]
    #[schema(minimum = 1)]
    pub billing_increment: i32,
}

fn one() -> i32 {
    1
}

/// A rateplan by name (a known name is replaced: its rates and customers), with its rates.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = RateplanRow)]
pub struct RateplanIn {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// ISO 4217 (`EUR`).
    #[schema(example = "EUR")]
    pub currency: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub customer_ids: Vec<i64>,
    #[serde(default)]
    pub rates: Vec<RateIn>,
}

/// Creates or replaces a rateplan by name: its rates and its customers are replaced.
pub fn rateplan_in(conn: &mut DbConnection, r: RateplanIn) -> AppResult<i64> {
    let name = r.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::field("name", "1 to 200 characters"));
    }
    let currency = r.currency.trim().to_uppercase();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(AppError::field("currency", "a three-letter ISO 4217 code"));
    }
    let mut rows = Vec::with_capacity(r.rates.len());
    for (i, rate) in r.rates.iter().enumerate() {
        let p = |f: &str| format!("rates[{}].{f}", i + 1);
        let prefix = rate.prefix.trim();
        if prefix.is_empty() || prefix.len() > 20 || !prefix.chars().all(|c| c.is_ascii_digit()) {
            return Err(AppError::field(&p("prefix"), "1 to 20 digits"));
        }
        if rate.billing_increment < 1 {
            return Err(AppError::field(&p("billingIncrement"), "at least 1 second"));
        }
        rows.push(Rate {
            id: 0,
            rateplan_id: 0,
            prefix: prefix.into(),
            destination_name: rate.destination_name.trim().chars().take(200).collect(),
            rate: crate::money::parse(&rate.rate).map_err(|m| AppError::field(&p("rate"), m))?,
            connect_fee: rate
                .connect_fee
                .as_deref()
                .map(crate::money::parse)
                .transpose()
                .map_err(|m| AppError::field(&p("connectFee"), m))?
                .unwrap_or(0),
            billing_increment: rate.billing_increment,
        });
    }
    for c in &r.customer_ids {
        let n: i64 = customers::table.filter(customers::id.eq(c)).count().get_result(conn)?;
        if n == 0 {
            return Err(AppError::field("customerIds", format!("there is no customer {c}")));
        }
    }
    let id =
        match rateplans::table.filter(rateplans::name.eq(name)).select(rateplans::id).first::<i64>(conn).optional()? {
            Some(id) => {
                diesel::update(rateplans::table.find(id))
                    .set((rateplans::currency.eq(&currency), rateplans::description.eq(r.description.trim())))
                    .execute(conn)?;
                diesel::delete(rates::table.filter(rates::rateplan_id.eq(id))).execute(conn)?;
                diesel::delete(customer_rateplans::table.filter(customer_rateplans::rateplan_id.eq(id)))
                    .execute(conn)?;
                id
            }
            None => crate::with_conn!(conn, |c| diesel::insert_into(rateplans::table)
                .values((
                    rateplans::name.eq(name),
                    rateplans::currency.eq(&currency),
                    rateplans::description.eq(r.description.trim()),
                    rateplans::created_at.eq(crate::now()),
                ))
                .returning(rateplans::id)
                .get_result(c))?,
        };
    for row in &mut rows {
        row.rateplan_id = id;
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(dup) = rows.iter().find(|r| !seen.insert(r.prefix.clone())) {
        return Err(AppError::field("rates", format!("prefix {} appears twice", dup.prefix)));
    }
    for chunk in rows.chunks(2000) {
        crate::with_conn!(conn, |c| diesel::insert_into(rates::table).values(chunk).execute(c))?;
    }
    for c in &r.customer_ids {
        diesel::insert_into(customer_rateplans::table)
            .values((customer_rateplans::customer_id.eq(c), customer_rateplans::rateplan_id.eq(id)))
            .execute(conn)?;
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers() {
        assert_eq!(super::normalize_number("+49 (30) 123-45").as_deref(), Some("493012345"));
        assert_eq!(super::normalize_number("0049301").as_deref(), Some("49301"));
        assert_eq!(super::normalize_number("call me"), None);
    }
}
