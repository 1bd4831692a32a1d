//! Numberlists the operator lets a customer manage (e.g. blocked or allowed numbers): the
//! operator pushes them and names the customers; those customers' people add and remove items.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::audit::{self, Actor};
use crate::billing::{Scope, scoped_one, scoped_page};
use crate::db::paging::{Page, Window};
use crate::db::schema::{customers, numberlist_customers, numberlist_items, numberlists};
use crate::db::{DbConnection, write_tx};
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

    /// The lists the customer may manage, by name, with their items (the portal's page).
    pub fn for_customer(conn: &mut DbConnection, customer: i64) -> AppResult<Vec<(Numberlist, Vec<Item>)>> {
        let lists: Vec<Numberlist> = numberlists::table
            .inner_join(numberlist_customers::table)
            .filter(numberlist_customers::customer_id.eq(customer))
            .order(numberlists::name.asc())
            .select(Numberlist::as_select())
            .load(conn)?;
        with_items(conn, lists)
    }

    /// One window of the lists a scope shows, in id order, with their items (the API's list).
    pub fn page(
        conn: &mut DbConnection,
        s: &Scope,
        w: Window,
        with_total: bool,
    ) -> AppResult<Page<(Numberlist, Vec<Item>)>> {
        let page: Page<Numberlist> =
            scoped_page!(conn, numberlists via numberlist_customers, Numberlist, s, w, with_total)?;
        let total = page.total;
        Ok(Page { rows: with_items(conn, page.rows)?, total })
    }

    /// How many lists the customer may manage.
    pub fn count_for(conn: &mut DbConnection, customer: i64) -> AppResult<i64> {
        let q = numberlist_customers::table.filter(numberlist_customers::customer_id.eq(customer));
        Ok(q.count().get_result(conn)?)
    }

    /// A numberlist this customer may manage; any other is "not found".
    pub fn get_of(conn: &mut DbConnection, customer: i64, id: i64) -> AppResult<Numberlist> {
        scoped_one!(conn, numberlists via numberlist_customers, Numberlist, customer, id)
    }
}

fn with_items(conn: &mut DbConnection, lists: Vec<Numberlist>) -> AppResult<Vec<(Numberlist, Vec<Item>)>> {
    lists
        .into_iter()
        .map(|l| {
            let items = Item::of(conn, l.id)?;
            Ok((l, items))
        })
        .collect()
}

/// Adds a number (or prefix) to one of the customer's lists: 404 for a list the customer may not
/// manage, 422 for a bad or repeated number. Audited as `numberlist.item_add`.
pub fn add_item(
    c: &mut DbConnection,
    actor: &Actor,
    customer: i64,
    list: i64,
    number: &str,
    note: &str,
) -> AppResult<Item> {
    write_tx(c, |c| {
        Numberlist::get_of(c, customer, list)?;
        let it = Item::add(c, list, number, note)?;
        let diff = json!({"number": {"after": it.number}});
        audit::record(c, actor, "numberlist.item_add", "numberlist", Some(list.to_string()), Some(diff))?;
        Ok(it)
    })
}

/// Removes an item from one of the customer's lists (404 for anything else), audited as
/// `numberlist.item_remove`.
pub fn remove_item(c: &mut DbConnection, actor: &Actor, customer: i64, list: i64, item: i64) -> AppResult<Item> {
    write_tx(c, |c| {
        Numberlist::get_of(c, customer, list)?;
        let it = Item::remove(c, list, item)?;
        let diff = json!({"number": {"before": it.number}});
        audit::record(c, actor, "numberlist.item_remove", "numberlist", Some(list.to_string()), Some(diff))?;
        Ok(it)
    })
}

impl Item {
    pub fn of(conn: &mut DbConnection, list: i64) -> AppResult<Vec<Item>> {
        Ok(numberlist_items::table
            .filter(numberlist_items::numberlist_id.eq(list))
            .order(numberlist_items::number.asc())
            .select(Item::as_select())
            .load(conn)?)
    }

    fn add(conn: &mut DbConnection, list: i64, number: &str, note: &str) -> AppResult<Item> {
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
            .map_err(|e| crate::numbers::taken(e, "number", "This number is already on the list."))?;
        Ok(numberlist_items::table
            .filter(numberlist_items::numberlist_id.eq(list))
            .filter(numberlist_items::number.eq(&digits))
            .select(Item::as_select())
            .first(conn)?)
    }

    fn remove(conn: &mut DbConnection, list: i64, item: i64) -> AppResult<Item> {
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
    // Two edits at once replace each other whole: on PostgreSQL the second waits on the
    // customer's row, so it reads and deletes what the first stored (SQLite's write
    // transactions already run one at a time).
    if let DbConnection::Postgresql(pg) = conn {
        customers::table.find(customer).select(customers::id).for_update().first::<i64>(pg).optional()?;
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

/// A numberlist, the customers that may manage it, and its first items.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = NumberlistRow)]
pub struct NumberlistIn {
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// `blocklist` (default) or `allowlist`.
    #[serde(default = "blocklist")]
    #[schema(example = "blocklist")]
    pub kind: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub customer_ids: Vec<i64>,
    #[serde(default)]
    pub items: Vec<ItemIn>,
}

/// A number or prefix on a numberlist.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = NumberlistItem)]
pub struct ItemIn {
    /// Digits, optionally with `+`, spaces, dashes or brackets (at most 20 digits).
    #[schema(example = "+4990123")]
    pub number: String,
    #[serde(default)]
    #[schema(max_length = 200)]
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
    let id: i64 = crate::with_conn!(conn, |c| diesel::insert_into(numberlists::table)
        .values((
            numberlists::name.eq(name),
            numberlists::kind.eq(&r.kind),
            numberlists::description.eq(r.description.trim()),
            numberlists::created_at.eq(crate::now()),
        ))
        .returning(numberlists::id)
        .get_result(c))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{audit_rows, each_backend};
    use crate::traffic::fixtures::customer_with_account;

    fn list_of(c: &mut DbConnection, name: &str, customer: i64) -> i64 {
        let r = NumberlistIn {
            name: name.into(),
            kind: blocklist(),
            description: String::new(),
            customer_ids: vec![customer],
            items: vec![],
        };
        numberlist_in(c, r).unwrap()
    }

    #[test]
    fn items_are_added_and_removed_on_own_lists_only() {
        each_backend(|c| {
            let (mine, _) = customer_with_account(c, "Mine");
            let (theirs, _) = customer_with_account(c, "Theirs");
            let (a, b) = (list_of(c, "Blocked", mine), list_of(c, "Other", theirs));
            let actor = Actor::system();
            let it = add_item(c, &actor, mine, a, "+49 90 123", "premium").unwrap();
            assert_eq!(it.number, "4990123");
            assert_eq!(
                audit_rows(c, "numberlist.item_add"),
                vec![(Some(a.to_string()), Some(json!({"number": {"after": "4990123"}})))]
            );
            // Another customer's list is not found; a repeated number is refused; neither is audited.
            assert!(matches!(add_item(c, &actor, mine, b, "123", ""), Err(AppError::NotFound)));
            let e = add_item(c, &actor, mine, a, "4990123", "").unwrap_err();
            assert_eq!(e.details()[0].field, "number");
            assert_eq!(audit_rows(c, "numberlist.item_add").len(), 1);
            assert!(matches!(remove_item(c, &actor, theirs, a, it.id), Err(AppError::NotFound)));
            remove_item(c, &actor, mine, a, it.id).unwrap();
            assert_eq!(audit_rows(c, "numberlist.item_remove")[0].1, Some(json!({"number": {"before": "4990123"}})));
            assert!(Item::of(c, a).unwrap().is_empty());
        });
    }
}
