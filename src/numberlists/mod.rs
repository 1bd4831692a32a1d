//! Numberlists the operator lets a customer manage (e.g. blocked or allowed numbers).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::db::DbConnection;
use crate::db::schema::{customers, numberlist_customers, numberlist_items, numberlists};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = numberlists)]
pub struct Numberlist {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub description: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = numberlist_items)]
pub struct Item {
    pub id: i64,
    pub numberlist_id: i64,
    pub number: String,
    pub note: String,
    pub created_at: NaiveDateTime,
}

impl Item {
    pub fn to_json(&self) -> Value {
        json!({"id": self.id, "number": self.number, "note": self.note})
    }
}

impl Numberlist {
    pub fn to_json(&self, items: &[Item]) -> Value {
        json!({"id": self.id, "name": self.name, "kind": self.kind, "description": self.description,
            "items": items.iter().map(Item::to_json).collect::<Vec<_>>()})
    }

    pub fn for_customer(conn: &mut DbConnection, customer: i64) -> AppResult<Vec<(Numberlist, Vec<Item>)>> {
        let lists: Vec<Numberlist> = numberlists::table
            .inner_join(numberlist_customers::table)
            .filter(numberlist_customers::customer_id.eq(customer))
            .order(numberlists::name.asc())
            .select(Numberlist::as_select())
            .load(conn)?;
        let mut out = Vec::new();
        for l in lists {
            let items = Item::of(conn, l.id)?;
            out.push((l, items));
        }
        Ok(out)
    }

    /// A numberlist this customer may manage; any other is "not found".
    pub fn get_of(conn: &mut DbConnection, customer: i64, id: i64) -> AppResult<Numberlist> {
        Ok(numberlists::table
            .inner_join(numberlist_customers::table)
            .filter(numberlist_customers::customer_id.eq(customer))
            .filter(numberlists::id.eq(id))
            .select(Numberlist::as_select())
            .first(conn)?)
    }
}

impl Item {
    pub fn of(conn: &mut DbConnection, list: i64) -> AppResult<Vec<Item>> {
        Ok(numberlist_items::table
            .filter(numberlist_items::numberlist_id.eq(list))
            .order(numberlist_items::number.asc())
            .select(Item::as_select())
            .load(conn)?)
    }

    pub fn add(conn: &mut DbConnection, list: i64, number: &str, note: &str) -> AppResult<Item> {
        let digits = crate::rateplans::normalize_number(number)
            .ok_or_else(|| AppError::field("number", "Enter a phone number or prefix (digits, optionally with +)."))?;
        if note.chars().count() > 200 {
            return Err(AppError::field("note", "At most 200 characters."));
        }
        let count: i64 =
            numberlist_items::table.filter(numberlist_items::numberlist_id.eq(list)).count().get_result(conn)?;
        if count >= 10_000 {
            return Err(AppError::field("number", "The list is full (10 000 entries)."));
        }
        diesel::insert_into(numberlist_items::table)
            .values((
                numberlist_items::numberlist_id.eq(list),
                numberlist_items::number.eq(&digits),
                numberlist_items::note.eq(note.trim()),
                numberlist_items::created_at.eq(crate::now()),
            ))
            .execute(conn)
            .map_err(|e| match e {
                diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
                    AppError::field("number", "This number is already on the list.")
                }
                other => other.into(),
            })?;
        Ok(numberlist_items::table
            .filter(numberlist_items::numberlist_id.eq(list))
            .filter(numberlist_items::number.eq(&digits))
            .select(Item::as_select())
            .first(conn)?)
    }

    pub fn remove(conn: &mut DbConnection, list: i64, item: i64) -> AppResult<Item> {
        let it: Item = numberlist_items::table
            .filter(numberlist_items::id.eq(item))
            .filter(numberlist_items::numberlist_id.eq(list))
            .select(Item::as_select())
            .first(conn)?;
        diesel::delete(numberlist_items::table.find(item)).execute(conn)?;
        Ok(it)
    }
}

/// Every numberlist, with whether the customer may manage it (admin page).
pub fn all_for(conn: &mut DbConnection, customer: i64) -> AppResult<Vec<(Numberlist, bool)>> {
    let all: Vec<Numberlist> =
        numberlists::table.order(numberlists::name.asc()).select(Numberlist::as_select()).load(conn)?;
    let mine: Vec<i64> = numberlist_customers::table
        .filter(numberlist_customers::customer_id.eq(customer))
        .select(numberlist_customers::numberlist_id)
        .load(conn)?;
    Ok(all
        .into_iter()
        .map(|l| {
            let allowed = mine.contains(&l.id);
            (l, allowed)
        })
        .collect())
}

/// Replaces which numberlists a customer may manage; returns (before, after) ids.
pub fn set_allowed(conn: &mut DbConnection, customer: i64, ids: &[i64]) -> AppResult<(Vec<i64>, Vec<i64>)> {
    let known: Vec<i64> = numberlists::table.filter(numberlists::id.eq_any(ids)).select(numberlists::id).load(conn)?;
    if known.len() != ids.len() {
        return Err(AppError::field("numberlists", "Choose numberlists from the list."));
    }
    let before: Vec<i64> = numberlist_customers::table
        .filter(numberlist_customers::customer_id.eq(customer))
        .select(numberlist_customers::numberlist_id)
        .load(conn)?;
    diesel::delete(numberlist_customers::table.filter(numberlist_customers::customer_id.eq(customer))).execute(conn)?;
    for id in ids {
        diesel::insert_into(numberlist_customers::table)
            .values((numberlist_customers::numberlist_id.eq(id), numberlist_customers::customer_id.eq(customer)))
            .execute(conn)?;
    }
    Ok((before, ids.to_vec()))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NumberlistIn {
    pub name: String,
    #[serde(default = "blocklist")]
    pub kind: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub customer_ids: Vec<i64>,
    #[serde(default)]
    pub items: Vec<ItemIn>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ItemIn {
    pub number: String,
    #[serde(default)]
    pub note: String,
}

fn blocklist() -> String {
    "blocklist".into()
}

/// Creates a numberlist and names the customers that may manage it.
pub fn numberlist_in(conn: &mut DbConnection, r: NumberlistIn) -> AppResult<i64> {
    let name = r.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(AppError::field("name", "1 to 200 characters"));
    }
    if !matches!(r.kind.as_str(), "blocklist" | "allowlist") {
        return Err(AppError::field("kind", "blocklist or allowlist"));
    }
    for c in &r.customer_ids {
        let n: i64 = customers::table.filter(customers::id.eq(c)).count().get_result(conn)?;
        if n == 0 {
            return Err(AppError::field("customerIds", format!("there is no customer {c}")));
        }
    }
    diesel::insert_into(numberlists::table)
        .values((
            numberlists::name.eq(name),
            numberlists::kind.eq(&r.kind),
            numberlists::description.eq(r.description.trim()),
            numberlists::created_at.eq(crate::now()),
        ))
        .execute(conn)?;
    let id: i64 = numberlists::table.order(numberlists::id.desc()).select(numberlists::id).first(conn)?;
    for c in &r.customer_ids {
        diesel::insert_into(numberlist_customers::table)
            .values((numberlist_customers::numberlist_id.eq(id), numberlist_customers::customer_id.eq(c)))
            .execute(conn)?;
    }
    for it in &r.items {
        Item::add(conn, id, &it.number, &it.note)?;
    }
    Ok(id)
}
