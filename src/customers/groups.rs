//! Customer groups and tags: their rows and queries, and the commands that change them (each
//! validates, writes and records its audit row in one transaction).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::audit::{self, Actor};
use crate::db::schema::{access_profile_groups, customer_group_members, customer_groups, customer_tags, tags};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult};

pub const TAG_COLORS: [&str; 11] =
    ["Magenta", "Red", "Volcano", "Orange", "Gold", "Lime", "Green", "Cyan", "Blue", "GeekBlue", "Purple"];

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = customer_groups)]
#[serde(rename_all = "camelCase")]
pub struct CustomerGroup {
    pub id: i64,
    pub name: String,
    #[serde(skip)]
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, PartialEq)]
#[diesel(table_name = tags)]
#[serde(rename_all = "camelCase")]
pub struct Tag {
    pub id: i64,
    pub name: String,
    pub color: String,
    #[serde(skip)]
    pub created_at: NaiveDateTime,
}

impl Tag {
    /// The CSS class of the tag's colour.
    pub fn css(&self) -> String {
        format!("tag tag-{}", self.color.to_lowercase())
    }
}

fn check_name(name: &str, what: &str) -> AppResult<String> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 100 {
        return Err(AppError::field("name", format!("Give the {what} a name of 1 to 100 characters.")));
    }
    Ok(n.to_string())
}

fn unique_err(e: diesel::result::Error, what: &str) -> AppError {
    match e {
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
            AppError::field("name", format!("Another {what} already has this name."))
        }
        other => other.into(),
    }
}

/// Each row with its number of customers, from `(id, count)` pairs (none: 0).
fn with_counts<T>(rows: Vec<T>, id: impl Fn(&T) -> i64, counts: &[(i64, i64)]) -> Vec<(T, i64)> {
    rows.into_iter()
        .map(|r| {
            let n = counts.iter().find(|c| c.0 == id(&r)).map(|c| c.1).unwrap_or(0);
            (r, n)
        })
        .collect()
}

impl CustomerGroup {
    /// Every group with its number of customers, by name.
    pub fn list(conn: &mut DbConnection) -> AppResult<Vec<(CustomerGroup, i64)>> {
        let groups: Vec<CustomerGroup> =
            customer_groups::table.order(customer_groups::name.asc()).select(CustomerGroup::as_select()).load(conn)?;
        let counts: Vec<(i64, i64)> = customer_group_members::table
            .group_by(customer_group_members::group_id)
            .select((customer_group_members::group_id, diesel::dsl::count_star()))
            .load(conn)?;
        Ok(with_counts(groups, |g| g.id, &counts))
    }

    pub fn get(conn: &mut DbConnection, id: i64) -> AppResult<CustomerGroup> {
        Ok(customer_groups::table.find(id).select(CustomerGroup::as_select()).first(conn)?)
    }

    fn insert(conn: &mut DbConnection, name: &str) -> AppResult<CustomerGroup> {
        let name = check_name(name, "group")?;
        let id: i64 = crate::with_conn!(conn, |c| diesel::insert_into(customer_groups::table)
            .values((customer_groups::name.eq(&name), customer_groups::created_at.eq(crate::now())))
            .returning(customer_groups::id)
            .get_result(c))
        .map_err(|e| unique_err(e, "group"))?;
        CustomerGroup::get(conn, id)
    }

    fn set_name(conn: &mut DbConnection, id: i64, name: &str) -> AppResult<CustomerGroup> {
        let name = check_name(name, "group")?;
        let n = diesel::update(customer_groups::table.find(id))
            .set(customer_groups::name.eq(&name))
            .execute(conn)
            .map_err(|e| unique_err(e, "group"))?;
        if n == 0 {
            return Err(AppError::NotFound);
        }
        CustomerGroup::get(conn, id)
    }

    /// Deletes a group unless an access profile's availability names it.
    fn remove(conn: &mut DbConnection, id: i64) -> AppResult<CustomerGroup> {
        let g = CustomerGroup::get(conn, id)?;
        let used: i64 =
            access_profile_groups::table.filter(access_profile_groups::group_id.eq(id)).count().get_result(conn)?;
        if used > 0 {
            return Err(AppError::conflict(format!(
                "{used} access profile(s) are available to this group; change them first."
            )));
        }
        diesel::delete(customer_groups::table.find(id)).execute(conn)?;
        Ok(g)
    }
}

impl Tag {
    /// Every tag with its number of customers, by name.
    pub fn list(conn: &mut DbConnection) -> AppResult<Vec<(Tag, i64)>> {
        let all: Vec<Tag> = tags::table.order(tags::name.asc()).select(Tag::as_select()).load(conn)?;
        let counts: Vec<(i64, i64)> = customer_tags::table
            .group_by(customer_tags::tag_id)
            .select((customer_tags::tag_id, diesel::dsl::count_star()))
            .load(conn)?;
        Ok(with_counts(all, |t| t.id, &counts))
    }

    pub fn get(conn: &mut DbConnection, id: i64) -> AppResult<Tag> {
        Ok(tags::table.find(id).select(Tag::as_select()).first(conn)?)
    }

    fn check_color(color: &str) -> AppResult<String> {
        TAG_COLORS
            .iter()
            .find(|c| c.eq_ignore_ascii_case(color.trim()))
            .map(|c| c.to_string())
            .ok_or_else(|| AppError::field("color", format!("Choose one of: {}.", TAG_COLORS.join(", "))))
    }

    fn insert(conn: &mut DbConnection, name: &str, color: &str) -> AppResult<Tag> {
        let name = check_name(name, "tag")?;
        let color = Tag::check_color(color)?;
        let id: i64 = crate::with_conn!(conn, |c| diesel::insert_into(tags::table)
            .values((tags::name.eq(&name), tags::color.eq(&color), tags::created_at.eq(crate::now())))
            .returning(tags::id)
            .get_result(c))
        .map_err(|e| unique_err(e, "tag"))?;
        Tag::get(conn, id)
    }

    fn set(conn: &mut DbConnection, id: i64, name: &str, color: &str) -> AppResult<Tag> {
        let name = check_name(name, "tag")?;
        let color = Tag::check_color(color)?;
        let n = diesel::update(tags::table.find(id))
            .set((tags::name.eq(&name), tags::color.eq(&color)))
            .execute(conn)
            .map_err(|e| unique_err(e, "tag"))?;
        if n == 0 {
            return Err(AppError::NotFound);
        }
        Tag::get(conn, id)
    }

    fn remove(conn: &mut DbConnection, id: i64) -> AppResult<Tag> {
        let t = Tag::get(conn, id)?;
        diesel::delete(tags::table.find(id)).execute(conn)?;
        Ok(t)
    }
}

// ---------------------------------------------------------------------------------------------
// Commands

fn tag_json(t: &Tag) -> serde_json::Value {
    serde_json::to_value(t).unwrap_or_default()
}

/// Creates a customer group.
pub fn create_group(c: &mut DbConnection, actor: &Actor, name: &str) -> AppResult<CustomerGroup> {
    write_tx(c, |c| {
        let g = CustomerGroup::insert(c, name)?;
        let diff = serde_json::json!({"name": {"after": g.name}});
        audit::record(c, actor, "group.create", "customer_group", Some(g.id.to_string()), Some(diff))?;
        Ok(g)
    })
}

/// Renames a customer group.
pub fn rename_group(c: &mut DbConnection, actor: &Actor, id: i64, name: &str) -> AppResult<CustomerGroup> {
    write_tx(c, |c| {
        let before = CustomerGroup::get(c, id)?;
        let g = CustomerGroup::set_name(c, id, name)?;
        let diff = serde_json::json!({"name": {"before": before.name, "after": g.name}});
        audit::record(c, actor, "group.update", "customer_group", Some(id.to_string()), Some(diff))?;
        Ok(g)
    })
}

/// Deletes a customer group; refused (409) while an access profile's availability names it.
pub fn delete_group(c: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<CustomerGroup> {
    write_tx(c, |c| {
        let g = CustomerGroup::remove(c, id)?;
        let diff = serde_json::json!({"name": {"before": g.name}});
        audit::record(c, actor, "group.delete", "customer_group", Some(id.to_string()), Some(diff))?;
        Ok(g)
    })
}

/// Creates a tag.
pub fn create_tag(c: &mut DbConnection, actor: &Actor, name: &str, color: &str) -> AppResult<Tag> {
    write_tx(c, |c| {
        let t = Tag::insert(c, name, color)?;
        audit::record(c, actor, "tag.create", "tag", Some(t.id.to_string()), audit::diff(None, Some(&tag_json(&t))))?;
        Ok(t)
    })
}

/// Renames or recolours a tag.
pub fn update_tag(c: &mut DbConnection, actor: &Actor, id: i64, name: &str, color: &str) -> AppResult<Tag> {
    write_tx(c, |c| {
        let before = Tag::get(c, id)?;
        let t = Tag::set(c, id, name, color)?;
        let diff = audit::diff(Some(&tag_json(&before)), Some(&tag_json(&t)));
        audit::record(c, actor, "tag.update", "tag", Some(id.to_string()), diff)?;
        Ok(t)
    })
}

/// Deletes a tag (it is removed from every customer).
pub fn delete_tag(c: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<Tag> {
    write_tx(c, |c| {
        let t = Tag::remove(c, id)?;
        audit::record(c, actor, "tag.delete", "tag", Some(id.to_string()), audit::diff(Some(&tag_json(&t)), None))?;
        Ok(t)
    })
}

/// Sort orders of the group and tag lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameSort {
    Id,
    Name,
}

crate::customers::paged!(impl CustomerGroup, customer_groups, name);
crate::customers::paged!(impl Tag, tags, name);

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::db::testing::{audit_rows, each_backend};

    #[test]
    fn group_commands_validate_write_and_audit() {
        each_backend(|c| {
            let actor = Actor::system();
            let g = create_group(c, &actor, "  Retail ").unwrap();
            assert_eq!(g.name, "Retail");
            let rows = audit_rows(c, "group.create");
            assert_eq!(rows, vec![(Some(g.id.to_string()), Some(json!({"name": {"after": "Retail"}})))]);
            // Validation: nothing written, nothing audited.
            assert!(matches!(create_group(c, &actor, "   "), Err(AppError::Unprocessable(..))));
            assert!(matches!(create_group(c, &actor, "Retail"), Err(AppError::Unprocessable(..))));
            assert_eq!(audit_rows(c, "group.create").len(), 1);
            rename_group(c, &actor, g.id, "Wholesale").unwrap();
            let rows = audit_rows(c, "group.update");
            assert_eq!(rows[0].1, Some(json!({"name": {"before": "Retail", "after": "Wholesale"}})));
            assert!(matches!(rename_group(c, &actor, 999_999, "X"), Err(AppError::NotFound)));
            delete_group(c, &actor, g.id).unwrap();
            assert_eq!(audit_rows(c, "group.delete").len(), 1);
            assert!(CustomerGroup::get(c, g.id).is_err());
        });
    }

    #[test]
    fn an_invalid_update_changes_nothing_and_audits_nothing() {
        each_backend(|c| {
            let actor = Actor::system();
            let t = create_tag(c, &actor, "VIP", "Gold").unwrap();
            // The update validates after reading the old row: an unknown colour changes nothing.
            assert!(update_tag(c, &actor, t.id, "Gold members", "Beige").is_err());
            assert_eq!(Tag::get(c, t.id).unwrap().name, "VIP");
            assert!(audit_rows(c, "tag.update").is_empty());
        });
    }
}
