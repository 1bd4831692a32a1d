//! The customer's numbers (with customer- and backend-entered descriptions) and campaigns
//! (numbers grouped for call tracking, with call counts from the per-number daily counters).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::db::DbConnection;
use crate::db::schema::{campaigns, customers, number_daily, numbers};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = numbers)]
pub struct Number {
    pub id: i64,
    pub customer_id: i64,
    pub number: String,
    pub customer_description: String,
    pub backend_description: String,
    pub campaign_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

impl Number {
    /// `backend` only when the viewer has `backend_descriptions`.
    pub fn to_json(&self, backend: bool) -> Value {
        let mut v = json!({"id": self.id, "number": self.number, "description": self.customer_description, "campaignId": self.campaign_id});
        if backend {
            v["backendDescription"] = json!(self.backend_description);
        }
        v
    }
    pub fn list(conn: &mut DbConnection, customer: i64, after: Option<&str>, limit: i64) -> AppResult<Vec<Number>> {
        let mut q = numbers::table.filter(numbers::customer_id.eq(customer)).select(Number::as_select()).into_boxed();
        if let Some(a) = after {
            q = q.filter(numbers::number.gt(a.to_string()));
        }
        Ok(q.order(numbers::number.asc()).limit(limit).load(conn)?)
    }
    pub fn set_description(conn: &mut DbConnection, customer: i64, id: i64, text: &str) -> AppResult<Number> {
        let t = text.trim();
        if t.chars().count() > 200 {
            return Err(AppError::field("description", "At most 200 characters."));
        }
        let n = diesel::update(numbers::table.filter(numbers::id.eq(id)).filter(numbers::customer_id.eq(customer)))
            .set(numbers::customer_description.eq(t))
            .execute(conn)?;
        if n == 0 {
            return Err(AppError::NotFound);
        }
        Ok(numbers::table.find(id).select(Number::as_select()).first(conn)?)
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = campaigns)]
pub struct Campaign {
    pub id: i64,
    pub customer_id: i64,
    pub name: String,
    pub description: String,
    pub created_at: NaiveDateTime,
}

pub struct CampaignStats {
    pub campaign: Campaign,
    pub numbers: Vec<String>,
    pub calls: i64,
    pub successful: i64,
}

impl Campaign {
    /// The customer's campaigns with their numbers and call counts since `since_day` (UTC epoch s).
    pub fn with_stats(conn: &mut DbConnection, customer: i64, since_day: i64) -> AppResult<Vec<CampaignStats>> {
        let list: Vec<Campaign> = campaigns::table
            .filter(campaigns::customer_id.eq(customer))
            .order(campaigns::name.asc())
            .select(Campaign::as_select())
            .load(conn)?;
        let mut out = Vec::new();
        for c in list {
            let nums: Vec<(i64, String)> = numbers::table
                .filter(numbers::campaign_id.eq(c.id))
                .order(numbers::number.asc())
                .select((numbers::id, numbers::number))
                .load(conn)?;
            let ids: Vec<i64> = nums.iter().map(|n| n.0).collect();
            let counts: Vec<(i64, i64)> = number_daily::table
                .filter(number_daily::number_id.eq_any(&ids))
                .filter(number_daily::day.ge(since_day))
                .select((number_daily::calls, number_daily::successful_calls))
                .load(conn)?;
            out.push(CampaignStats {
                numbers: nums.into_iter().map(|n| n.1).collect(),
                calls: counts.iter().map(|c| c.0).sum(),
                successful: counts.iter().map(|c| c.1).sum(),
                campaign: c,
            });
        }
        Ok(out)
    }

    /// Creates a campaign of the customer's own numbers (others are refused).
    pub fn create(
        conn: &mut DbConnection,
        customer: i64,
        name: &str,
        description: &str,
        number_ids: &[i64],
    ) -> AppResult<Campaign> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::field("name", "Give the campaign a name of 1 to 100 characters."));
        }
        let mine: i64 = numbers::table
            .filter(numbers::id.eq_any(number_ids))
            .filter(numbers::customer_id.eq(customer))
            .count()
            .get_result(conn)?;
        if mine as usize != number_ids.len() {
            return Err(AppError::field("numbers", "Choose numbers from your own list."));
        }
        diesel::insert_into(campaigns::table)
            .values((
                campaigns::customer_id.eq(customer),
                campaigns::name.eq(name),
                campaigns::description.eq(description.trim().chars().take(500).collect::<String>()),
                campaigns::created_at.eq(crate::now()),
            ))
            .execute(conn)
            .map_err(|e| match e {
                diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
                    AppError::field("name", "You already have a campaign with this name.")
                }
                other => other.into(),
            })?;
        let c: Campaign = campaigns::table
            .filter(campaigns::customer_id.eq(customer))
            .filter(campaigns::name.eq(name))
            .select(Campaign::as_select())
            .first(conn)?;
        diesel::update(numbers::table.filter(numbers::id.eq_any(number_ids)))
            .set(numbers::campaign_id.eq(c.id))
            .execute(conn)?;
        Ok(c)
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NumberIn {
    pub customer_id: i64,
    pub number: String,
    #[serde(default)]
    pub backend_description: String,
    #[serde(default)]
    pub customer_description: Option<String>,
}

/// Upserts numbers by their number (operator push).
pub fn numbers_in(conn: &mut DbConnection, rows: Vec<NumberIn>) -> AppResult<usize> {
    for (i, r) in rows.iter().enumerate() {
        let row = i + 1;
        let num = r.number.trim();
        if num.is_empty() || num.len() > 32 || !num.chars().all(|c| c.is_ascii_digit() || c == '+') {
            return Err(AppError::field(&format!("rows[{row}].number"), "digits, optionally with a leading +"));
        }
        let exists: i64 = customers::table.filter(customers::id.eq(r.customer_id)).count().get_result(conn)?;
        if exists == 0 {
            return Err(AppError::field(
                &format!("rows[{row}].customerId"),
                format!("there is no customer {}", r.customer_id),
            ));
        }
        let current: Option<(i64, i64)> = numbers::table
            .filter(numbers::number.eq(num))
            .select((numbers::id, numbers::customer_id))
            .first(conn)
            .optional()?;
        match current {
            Some((id, owner)) => {
                let moved = owner != r.customer_id;
                diesel::update(numbers::table.find(id))
                    .set((
                        numbers::customer_id.eq(r.customer_id),
                        numbers::backend_description.eq(r.backend_description.trim()),
                    ))
                    .execute(conn)?;
                if moved {
                    diesel::update(numbers::table.find(id))
                        .set((numbers::campaign_id.eq(None::<i64>), numbers::customer_description.eq("")))
                        .execute(conn)?;
                }
                if let Some(d) = &r.customer_description {
                    diesel::update(numbers::table.find(id))
                        .set(numbers::customer_description.eq(d.trim()))
                        .execute(conn)?;
                }
            }
            None => {
                diesel::insert_into(numbers::table)
                    .values((
                        numbers::customer_id.eq(r.customer_id),
                        numbers::number.eq(num),
                        numbers::customer_description.eq(r.customer_description.as_deref().unwrap_or("").trim()),
                        numbers::backend_description.eq(r.backend_description.trim()),
                        numbers::created_at.eq(crate::now()),
                    ))
                    .execute(conn)?;
            }
        }
    }
    Ok(rows.len())
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CampaignIn {
    pub customer_id: i64,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub numbers: Vec<String>,
}

pub fn campaigns_in(conn: &mut DbConnection, rows: Vec<CampaignIn>) -> AppResult<usize> {
    for r in &rows {
        let ids: Vec<i64> = numbers::table
            .filter(numbers::customer_id.eq(r.customer_id))
            .filter(numbers::number.eq_any(&r.numbers))
            .select(numbers::id)
            .load(conn)?;
        if ids.len() != r.numbers.len() {
            return Err(AppError::field("numbers", "every number must belong to the customer"));
        }
        let existing: Option<i64> = campaigns::table
            .filter(campaigns::customer_id.eq(r.customer_id))
            .filter(campaigns::name.eq(r.name.trim()))
            .select(campaigns::id)
            .first(conn)
            .optional()?;
        match existing {
            Some(cid) => {
                diesel::update(numbers::table.filter(numbers::id.eq_any(&ids)))
                    .set(numbers::campaign_id.eq(cid))
                    .execute(conn)?;
            }
            None => {
                Campaign::create(conn, r.customer_id, &r.name, &r.description, &ids)?;
            }
        }
    }
    Ok(rows.len())
}
