//! The customer row, the customer with everything attached ([`Customer`]), and the bare writes
//! that the commands ([`crate::customers::commands`], `access::assignments`) wrap with
//! their checks and audit rows.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use crate::customers::groups::Tag;
use crate::customers::settings::{AppSettings, BillingSettings, Schedule};
use crate::customers::tree::{Chains, group_names_of};
use crate::db::schema::{customer_group_members, customer_groups, customer_tags, customers, tags};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult};

pub use crate::customers::input::CustomerInput;
pub use crate::customers::tree::{Crumb, MAX_DEPTH, ancestry, breadcrumb, descendants, direct_children, group_names};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = customers)]
pub struct CustomerRow {
    pub id: i64,
    pub name: String,
    pub reference_id: Option<String>,
    pub parent_id: Option<i64>,
    pub is_staging: bool,
    pub access_profile_id: Option<i64>,
    pub data: String,
    pub integration_data: String,
    pub override_app_settings: bool,
    pub app_settings: String,
    pub override_billing_settings: bool,
    pub billing_settings: String,
    pub schedule: Option<String>,
    pub company_name: String,
    pub country_code: String,
    pub phone: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub created_by: String,
    pub last_modified_by: String,
}

impl CustomerRow {
    pub fn get(conn: &mut DbConnection, id: i64) -> AppResult<CustomerRow> {
        Ok(customers::table.find(id).select(CustomerRow::as_select()).first(conn)?)
    }
}

/// A customer with everything attached: its place in the hierarchy, groups, tags and the
/// parsed settings. (Which access profile is in force for it is `access::resolve`'s
/// business.)
#[derive(Debug, Clone)]
pub struct Customer {
    pub row: CustomerRow,
    pub breadcrumb: Vec<Crumb>,
    pub groups: Vec<String>,
    pub tags: Vec<Tag>,
    pub data: Value,
    pub integration_data: Value,
    pub app_settings: AppSettings,
    pub billing_settings: BillingSettings,
    pub schedule: Option<Schedule>,
}

/// A time as the API and the audit log write it.
pub fn rfc3339(t: NaiveDateTime) -> String {
    t.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl Customer {
    pub fn id(&self) -> i64 {
        self.row.id
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<Customer>> {
        let Some(row) = customers::table.find(id).select(CustomerRow::as_select()).first(conn).optional()? else {
            return Ok(None);
        };
        Ok(Some(Customer::attach(conn, row)?))
    }

    pub fn get(conn: &mut DbConnection, id: i64) -> AppResult<Customer> {
        Customer::find(conn, id)?.ok_or(AppError::NotFound)
    }

    pub fn attach(conn: &mut DbConnection, row: CustomerRow) -> AppResult<Customer> {
        Ok(Customer::attach_all(conn, vec![row])?.remove(0))
    }

    /// Attaches hierarchy, groups and tags to many rows at once: a few queries for a whole
    /// page, not a few per row.
    pub fn attach_all(conn: &mut DbConnection, rows: Vec<CustomerRow>) -> AppResult<Vec<Customer>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let chains = Chains::load(conn, &ids)?;
        let mut groups = group_names_of(conn, &ids)?;
        let tag_rows: Vec<(i64, Tag)> = customer_tags::table
            .inner_join(tags::table)
            .filter(customer_tags::customer_id.eq_any(&ids))
            .order(tags::name.asc())
            .select((customer_tags::customer_id, Tag::as_select()))
            .load(conn)?;
        let mut tags: HashMap<i64, Vec<Tag>> = HashMap::new();
        for (id, t) in tag_rows {
            tags.entry(id).or_default().push(t);
        }
        Ok(rows
            .into_iter()
            .map(|row| Customer {
                data: serde_json::from_str(&row.data).unwrap_or_else(|_| json!({})),
                integration_data: serde_json::from_str(&row.integration_data).unwrap_or_else(|_| json!({})),
                app_settings: serde_json::from_str(&row.app_settings).unwrap_or_default(),
                billing_settings: serde_json::from_str(&row.billing_settings).unwrap_or_default(),
                schedule: row.schedule.as_deref().and_then(|s| serde_json::from_str(s).ok()),
                breadcrumb: chains.breadcrumb(row.id),
                groups: groups.remove(&row.id).unwrap_or_default(),
                tags: tags.remove(&row.id).unwrap_or_default(),
                row,
            })
            .collect())
    }

    /// The JSON of SPEC §4 (the audit log's view; the API adds the effective profile).
    pub fn to_json(&self) -> Value {
        let r = &self.row;
        json!({
            "id": r.id,
            "name": r.name,
            "referenceId": r.reference_id,
            "parentCustomerId": r.parent_id,
            "breadcrumb": self.breadcrumb,
            "isStaging": r.is_staging,
            "tags": self.tags,
            "groups": self.groups,
            "accessProfileId": r.access_profile_id,
            "data": self.data,
            "integrationData": self.integration_data,
            "overrideAppSettings": r.override_app_settings,
            "appSettings": self.app_settings,
            "overrideBillingSettings": r.override_billing_settings,
            "billingSettings": self.billing_settings,
            "schedule": self.schedule,
            "companyName": r.company_name,
            "countryCode": r.country_code,
            "phone": r.phone,
            "createdAt": rfc3339(r.created_at),
            "updatedAt": rfc3339(r.updated_at),
            "createdBy": r.created_by,
            "lastModifiedBy": r.last_modified_by,
        })
    }

    /// The customer's editable fields, to change some and store them again.
    pub fn input(&self) -> CustomerInput {
        let r = &self.row;
        CustomerInput {
            name: r.name.clone(),
            reference_id: r.reference_id.clone(),
            parent_id: r.parent_id,
            is_staging: r.is_staging,
            groups: self.groups.clone(),
            tag_ids: self.tags.iter().map(|t| t.id).collect(),
            data: self.data.clone(),
            integration_data: self.integration_data.clone(),
            override_app_settings: r.override_app_settings,
            app_settings: self.app_settings.clone(),
            override_billing_settings: r.override_billing_settings,
            billing_settings: self.billing_settings.clone(),
            schedule: self.schedule.clone(),
            company_name: r.company_name.clone(),
            country_code: r.country_code.clone(),
            phone: r.phone.clone(),
        }
    }
}

/// App settings after inheritance: those of the first customer up the chain (itself first)
/// that overrides them, else the system defaults.
pub fn effective_app_settings(conn: &mut DbConnection, id: i64) -> AppResult<AppSettings> {
    let row = CustomerRow::get(conn, id)?;
    app_settings_of(conn, &row)
}

/// [`effective_app_settings`] of a customer whose row is already read.
pub fn app_settings_of(conn: &mut DbConnection, row: &CustomerRow) -> AppResult<AppSettings> {
    let chains = Chains::of_row(conn, row)?;
    app_settings_in(conn, row, &chains)
}

/// [`effective_app_settings`] of a customer whose row and chain are already read: no query
/// when the customer overrides the settings itself or has no ancestor.
pub fn app_settings_in(conn: &mut DbConnection, row: &CustomerRow, chains: &Chains) -> AppResult<AppSettings> {
    let parse = |s: &str| serde_json::from_str(s).ok().unwrap_or_default();
    if row.override_app_settings {
        return Ok(parse(&row.app_settings));
    }
    let above = &chains.ancestry(row.id)[1..];
    if above.is_empty() {
        return Ok(AppSettings::default());
    }
    let rows: Vec<(i64, String)> = customers::table
        .filter(customers::id.eq_any(above))
        .filter(customers::override_app_settings.eq(true))
        .select((customers::id, customers::app_settings))
        .load(conn)?;
    let first = above.iter().find_map(|cid| rows.iter().find(|r| r.0 == *cid));
    Ok(first.map(|(_, s)| parse(s)).unwrap_or_default())
}

fn json_text<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "{}".into())
}

/// Writes a customer's editable fields and its group and tag links.
fn store(conn: &mut DbConnection, id: i64, input: &CustomerInput, actor: &str) -> AppResult<()> {
    let n = diesel::update(customers::table.find(id))
        .set((
            customers::name.eq(&input.name),
            customers::reference_id.eq(&input.reference_id),
            customers::parent_id.eq(input.parent_id),
            customers::is_staging.eq(input.is_staging),
            customers::data.eq(json_text(&input.data)),
            customers::integration_data.eq(json_text(&input.integration_data)),
            customers::override_app_settings.eq(input.override_app_settings),
            customers::app_settings.eq(json_text(&input.app_settings)),
            customers::override_billing_settings.eq(input.override_billing_settings),
            customers::billing_settings.eq(json_text(&input.billing_settings)),
            customers::schedule.eq(input.schedule.as_ref().map(json_text)),
            customers::company_name.eq(&input.company_name),
            customers::country_code.eq(&input.country_code),
            customers::phone.eq(&input.phone),
            customers::updated_at.eq(crate::now()),
            customers::last_modified_by.eq(actor),
        ))
        .execute(conn)?;
    if n == 0 {
        return Err(AppError::NotFound);
    }
    diesel::delete(customer_group_members::table.filter(customer_group_members::customer_id.eq(id))).execute(conn)?;
    let group_ids: Vec<i64> = customer_groups::table
        .filter(customer_groups::name.eq_any(&input.groups))
        .select(customer_groups::id)
        .load(conn)?;
    for gid in group_ids {
        diesel::insert_into(customer_group_members::table)
            .values((customer_group_members::customer_id.eq(id), customer_group_members::group_id.eq(gid)))
            .execute(conn)?;
    }
    diesel::delete(customer_tags::table.filter(customer_tags::customer_id.eq(id))).execute(conn)?;
    for t in &input.tag_ids {
        diesel::insert_into(customer_tags::table)
            .values((customer_tags::customer_id.eq(id), customer_tags::tag_id.eq(t)))
            .execute(conn)?;
    }
    Ok(())
}

/// Validates and stores a new customer, named `actor` in `createdBy`. The write alone, without
/// an audit row: [`crate::customers::commands::create`] is the command; fixtures and the demo
/// seed call this.
pub fn create(conn: &mut DbConnection, mut input: CustomerInput, actor: &str) -> AppResult<Customer> {
    write_tx(conn, |conn| {
        input.validate(conn, None)?;
        let now = crate::now();
        let id: i64 = crate::with_conn!(conn, |c| diesel::insert_into(customers::table)
            .values((
                customers::name.eq(&input.name),
                customers::created_at.eq(now),
                customers::updated_at.eq(now),
                customers::created_by.eq(actor),
                customers::last_modified_by.eq(actor),
            ))
            .returning(customers::id)
            .get_result(c))?;
        store(conn, id, &input, actor)?;
        Customer::get(conn, id)
    })
}

/// Validates and stores a customer's editable fields. The write alone: the command
/// (`access::assignments::update_customer`) also keeps its access profile available
/// and records the audit row.
pub fn update(conn: &mut DbConnection, id: i64, mut input: CustomerInput, actor: &str) -> AppResult<Customer> {
    write_tx(conn, |conn| {
        CustomerRow::get(conn, id)?;
        input.validate(conn, Some(id))?;
        store(conn, id, &input, actor)?;
        Customer::get(conn, id)
    })
}

/// Sets or clears the customer's own access profile. The write alone: the availability check
/// and the audit row are `access::assignments::assign_profile`'s.
pub fn set_profile(conn: &mut DbConnection, id: i64, profile: Option<i64>, actor: &str) -> AppResult<()> {
    let n = diesel::update(customers::table.find(id))
        .set((
            customers::access_profile_id.eq(profile),
            customers::updated_at.eq(crate::now()),
            customers::last_modified_by.eq(actor),
        ))
        .execute(conn)?;
    if n == 0 { Err(AppError::NotFound) } else { Ok(()) }
}

/// How many customers there are, and how many of them have no profile of their own (the admin
/// dashboard).
pub fn counts(conn: &mut DbConnection) -> AppResult<(i64, i64)> {
    let all: i64 = customers::table.count().get_result(conn)?;
    let unassigned: i64 = customers::table.filter(customers::access_profile_id.is_null()).count().get_result(conn)?;
    Ok((all, unassigned))
}

/// Every customer's id and name, for pickers.
pub fn all_names(conn: &mut DbConnection) -> AppResult<Vec<(i64, String)>> {
    Ok(customers::table.order(customers::name.asc()).select((customers::id, customers::name)).limit(5000).load(conn)?)
}

/// Inserts a customer with just a name and parent (tests, demo); returns its id.
pub fn insert_basic(conn: &mut DbConnection, name: &str, parent: Option<i64>) -> AppResult<i64> {
    let mut input = CustomerInput::named(name);
    input.parent_id = parent;
    Ok(create(conn, input, "system")?.id())
}

/// A line of customers, each below the one before (unit tests); their ids, top first.
#[cfg(test)]
pub(crate) fn chain(conn: &mut DbConnection, names: &[&str]) -> Vec<i64> {
    let mut ids: Vec<i64> = Vec::new();
    for name in names {
        ids.push(insert_basic(conn, name, ids.last().copied()).expect("customer"));
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::each_backend;

    #[test]
    fn a_page_is_attached_at_once_and_settings_are_inherited() {
        each_backend(|c| {
            let g = crate::customers::groups::create_group(c, &crate::audit::Actor::system(), "Resellers").unwrap();
            let root = insert_basic(c, "Root", None).unwrap();
            let mut input = CustomerInput::named("Kid");
            input.parent_id = Some(root);
            input.groups = vec![g.name.clone()];
            let kid = create(c, input, "ops").unwrap();
            assert_eq!((kid.row.created_by.as_str(), kid.groups.clone()), ("ops", vec!["Resellers".to_string()]));
            let rows = vec![CustomerRow::get(c, kid.id()).unwrap(), CustomerRow::get(c, root).unwrap()];
            let both = Customer::attach_all(c, rows).unwrap();
            assert_eq!(both[0].breadcrumb, vec![Crumb { id: root, name: "Root".into() }]);
            assert!(both[1].breadcrumb.is_empty() && both[1].groups.is_empty());
            assert_eq!(effective_app_settings(c, kid.id()).unwrap(), AppSettings::default());
            let mut i = Customer::get(c, root).unwrap().input();
            i.override_app_settings = true;
            i.app_settings.page_title = Some("Brand".into());
            update(c, root, i, "ops").unwrap();
            assert_eq!(effective_app_settings(c, kid.id()).unwrap().page_title.as_deref(), Some("Brand"));
            assert!(matches!(update(c, 999_999, CustomerInput::named("X"), "ops"), Err(AppError::NotFound)));
        });
    }
}
