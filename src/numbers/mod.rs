//! The customer's numbers (with customer- and backend-entered descriptions) and campaigns
//! (numbers grouped for call tracking, with call counts from the per-number daily counters).
//! Customers edit their own descriptions and create campaigns; the operator pushes numbers.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::audit::{self, Actor};
use crate::billing::{Scope, scoped_one, scoped_page};
use crate::db::paging::{Page, Window};
use crate::db::schema::{campaigns, customers, number_daily, numbers};
use crate::db::{DbConnection, write_tx};
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
    /// One window of the numbers a scope shows, in id order (the API's list).
    pub fn page(conn: &mut DbConnection, s: &Scope, w: Window, with_total: bool) -> AppResult<Page<Number>> {
        scoped_page!(conn, numbers, Number, s, w, with_total)
    }
    /// How many numbers the customer has.
    pub fn count(conn: &mut DbConnection, customer: i64) -> AppResult<i64> {
        Ok(numbers::table.filter(numbers::customer_id.eq(customer)).count().get_result(conn)?)
    }
    /// The customer's numbers in number order, after `after` (the portal's page).
    pub fn list(conn: &mut DbConnection, customer: i64, after: Option<&str>, limit: i64) -> AppResult<Vec<Number>> {
        let mut q = numbers::table.filter(numbers::customer_id.eq(customer)).select(Number::as_select()).into_boxed();
        if let Some(a) = after {
            q = q.filter(numbers::number.gt(a.to_string()));
        }
        Ok(q.order(numbers::number.asc()).limit(limit).load(conn)?)
    }
    /// One of the customer's numbers; another customer's is "not found".
    pub fn get_of(conn: &mut DbConnection, customer: i64, id: i64) -> AppResult<Number> {
        scoped_one!(conn, numbers, Number, customer, id)
    }
}

/// A unique-key violation as a refusal of the field that must be unique; other errors as they are.
pub(crate) fn taken(e: diesel::result::Error, field: &str, message: &str) -> AppError {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => AppError::field(field, message),
        other => other.into(),
    }
}

/// Sets the customer's own description of one of its numbers (at most 200 characters; 404
/// for another customer's number), audited as `number.description` with before and after.
pub fn set_description(c: &mut DbConnection, actor: &Actor, customer: i64, id: i64, text: &str) -> AppResult<Number> {
    let t = text.trim();
    if t.chars().count() > 200 {
        return Err(AppError::field("description", "At most 200 characters."));
    }
    write_tx(c, |c| {
        let before = Number::get_of(c, customer, id)?;
        diesel::update(numbers::table.find(id)).set(numbers::customer_description.eq(t)).execute(c)?;
        let after = Number::get_of(c, customer, id)?;
        let diff = json!({"description": {"before": before.customer_description, "after": after.customer_description}});
        audit::record(c, actor, "number.description", "number", Some(id.to_string()), Some(diff))?;
        Ok(after)
    })
}

/// Creates a campaign of the customer's own numbers (others are refused, 422), audited as
/// `campaign.create`.
pub fn create_campaign(
    c: &mut DbConnection,
    actor: &Actor,
    customer: i64,
    name: &str,
    description: &str,
    number_ids: &[i64],
) -> AppResult<Campaign> {
    write_tx(c, |c| {
        let camp = Campaign::create(c, customer, name, description, number_ids)?;
        let diff = json!({"name": {"after": camp.name}, "numbers": {"after": number_ids}});
        audit::record(c, actor, "campaign.create", "campaign", Some(camp.id.to_string()), Some(diff))?;
        Ok(camp)
    })
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

impl CampaignStats {
    pub fn to_json(&self) -> Value {
        json!({"id": self.campaign.id, "name": self.campaign.name, "description": self.campaign.description,
            "numbers": self.numbers, "calls": self.calls, "successfulCalls": self.successful})
    }
}

/// The first day (UTC epoch seconds) of the last 30 days, which campaigns count calls over.
pub fn thirty_days_ago() -> i64 {
    (crate::traffic::time::now_ms() / 1000 / 86_400 - 29) * 86_400
}

impl Campaign {
    /// The customer's campaigns by name, with their numbers and call counts since `since_day`
    /// (UTC epoch seconds).
    pub fn with_stats(conn: &mut DbConnection, customer: i64, since_day: i64) -> AppResult<Vec<CampaignStats>> {
        let list: Vec<Campaign> = campaigns::table
            .filter(campaigns::customer_id.eq(customer))
            .order(campaigns::name.asc())
            .select(Campaign::as_select())
            .load(conn)?;
        Campaign::stats(conn, list, since_day)
    }

    /// One window of the campaigns a scope shows, in id order, with their numbers and calls.
    pub fn page(
        conn: &mut DbConnection,
        s: &Scope,
        since_day: i64,
        w: Window,
        with_total: bool,
    ) -> AppResult<Page<CampaignStats>> {
        let page: Page<Campaign> = scoped_page!(conn, campaigns, Campaign, s, w, with_total)?;
        let total = page.total;
        Ok(Page { rows: Campaign::stats(conn, page.rows, since_day)?, total })
    }

    /// How many campaigns the customer has.
    pub fn count(conn: &mut DbConnection, customer: i64) -> AppResult<i64> {
        Ok(campaigns::table.filter(campaigns::customer_id.eq(customer)).count().get_result(conn)?)
    }

    fn stats(conn: &mut DbConnection, list: Vec<Campaign>, since_day: i64) -> AppResult<Vec<CampaignStats>> {
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
    fn create(
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
        let description: String = description.trim().chars().take(500).collect();
        let id: i64 = crate::with_conn!(conn, |c| diesel::insert_into(campaigns::table)
            .values((
                campaigns::customer_id.eq(customer),
                campaigns::name.eq(name),
                campaigns::description.eq(&description),
                campaigns::created_at.eq(crate::now()),
            ))
            .returning(campaigns::id)
            .get_result(c))
        .map_err(|e| taken(e, "name", "You already have a campaign with this name."))?;
        let c: Campaign = campaigns::table.find(id).select(Campaign::as_select()).first(conn)?;
        diesel::update(numbers::table.filter(numbers::id.eq_any(number_ids)))
            .set(numbers::campaign_id.eq(c.id))
            .execute(conn)?;
        Ok(c)
    }
}

/// A number of a customer; pushing a known number again updates it (or moves it to another
/// customer, dropping its campaign and the old customer's description).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = NumberRow)]
pub struct NumberIn {
    pub customer_id: i64,
    /// Digits, optionally with a leading `+`.
    #[schema(min_length = 1, max_length = 32, example = "4930123456")]
    pub number: String,
    /// The operator's description (shown with `backend_descriptions`).
    #[serde(default)]
    pub backend_description: String,
    /// Sets the customer's own description too.
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

/// A campaign of a customer (by name: a known one gets the numbers added).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = CampaignRow)]
pub struct CampaignIn {
    pub customer_id: i64,
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub description: String,
    /// Numbers of the customer (each must be one of its numbers).
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{audit_rows, each_backend};
    use crate::traffic::fixtures::customer_with_account;

    fn number(customer: i64, n: &str) -> NumberIn {
        NumberIn {
            customer_id: customer,
            number: n.into(),
            backend_description: "Line".into(),
            customer_description: None,
        }
    }

    fn id_of(c: &mut DbConnection, n: &str) -> i64 {
        numbers::table.filter(numbers::number.eq(n)).select(numbers::id).first(c).unwrap()
    }

    #[test]
    fn descriptions_and_campaigns_are_the_customers_own() {
        each_backend(|c| {
            let (mine, _) = customer_with_account(c, "Mine");
            let (theirs, _) = customer_with_account(c, "Theirs");
            numbers_in(c, vec![number(mine, "4930111"), number(theirs, "4930222")]).unwrap();
            let (my, their) = (id_of(c, "4930111"), id_of(c, "4930222"));
            let actor = Actor::system();
            let n = set_description(c, &actor, mine, my, "  Front desk ").unwrap();
            assert_eq!(n.customer_description, "Front desk");
            let rows = audit_rows(c, "number.description");
            assert_eq!(
                rows,
                vec![(Some(my.to_string()), Some(json!({"description": {"before": "", "after": "Front desk"}})))]
            );
            assert!(matches!(set_description(c, &actor, mine, their, "x"), Err(AppError::NotFound)));
            let e = set_description(c, &actor, mine, my, &"x".repeat(201)).unwrap_err();
            assert_eq!(e.details()[0].field, "description");
            assert_eq!(audit_rows(c, "number.description").len(), 1, "refusals are not audited");

            let camp = create_campaign(c, &actor, mine, "Spring", "", &[my]).unwrap();
            let rows = audit_rows(c, "campaign.create");
            assert_eq!(rows[0].1, Some(json!({"name": {"after": "Spring"}, "numbers": {"after": [my]}})));
            assert_eq!(Number::get_of(c, mine, my).unwrap().campaign_id, Some(camp.id));
            let e = create_campaign(c, &actor, mine, "Steal", "", &[their]).unwrap_err();
            assert_eq!(e.details()[0].field, "numbers");
            let e = create_campaign(c, &actor, mine, "Spring", "", &[]).unwrap_err();
            assert_eq!(e.details()[0].field, "name", "names are unique per customer");
            assert_eq!(audit_rows(c, "campaign.create").len(), 1);
            assert_eq!(Number::get_of(c, theirs, their).unwrap().campaign_id, None);
        });
    }
}
