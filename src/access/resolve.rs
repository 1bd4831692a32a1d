//! The effective access profile of a customer (SPEC §3): its own assignment; else the nearest
//! ancestor's; else the default profile; else none. Resolved from the database on every request,
//! so a change takes effect at once on every node.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::access::catalog::Perm;
use crate::access::grants::Grants;
use crate::customers::model::{CustomerRow, app_settings_in};
use crate::customers::settings::AppSettings;
use crate::customers::tree::Chains;
use crate::db::DbConnection;
use crate::db::schema::{access_profile_permissions, access_profiles};
use crate::error::AppResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Own,
    Inherited { from_customer: i64 },
    Default,
    None,
}

#[derive(Debug, Clone)]
pub struct Effective {
    pub profile_id: Option<i64>,
    pub profile_name: Option<String>,
    pub source: Source,
    pub disabled: bool,
    pub grants: Grants,
}

/// The default profile, if one is marked.
pub fn default_profile_id(conn: &mut DbConnection) -> AppResult<Option<i64>> {
    Ok(access_profiles::table
        .filter(access_profiles::is_default.eq(true))
        .select(access_profiles::id)
        .first(conn)
        .optional()?)
}

/// The profile in force for each of the customers, and where it comes from: a few queries for
/// any number of customers (one per level of their hierarchy, one for the default).
pub fn effective_ids(conn: &mut DbConnection, ids: &[i64]) -> AppResult<HashMap<i64, (Option<i64>, Source)>> {
    let chains = Chains::load(conn, ids)?;
    let default = default_profile_id(conn)?;
    ids.iter().map(|&id| Ok((id, locate_in(&chains, id, || Ok(default))?))).collect()
}

/// Where the customer's profile comes from, along its chain; the default profile is asked
/// for only when no customer up the chain holds one.
fn locate_in(
    chains: &Chains,
    id: i64,
    default: impl FnOnce() -> AppResult<Option<i64>>,
) -> AppResult<(Option<i64>, Source)> {
    Ok(match chains.nearest_assignment(id) {
        Some((holder, p)) if holder == id => (Some(p), Source::Own),
        Some((holder, p)) => (Some(p), Source::Inherited { from_customer: holder }),
        None => match default()? {
            Some(d) => (Some(d), Source::Default),
            None => (None, Source::None),
        },
    })
}

pub fn effective_profile_id(conn: &mut DbConnection, customer_id: i64) -> AppResult<Option<i64>> {
    let chains = Chains::load(conn, &[customer_id])?;
    Ok(locate_in(&chains, customer_id, || default_profile_id(conn))?.0)
}

/// The effective profile and grants of a customer. A disabled profile grants nothing.
pub fn effective(conn: &mut DbConnection, customer_id: i64) -> AppResult<Effective> {
    let chains = Chains::load(conn, &[customer_id])?;
    effective_in(conn, &chains, customer_id)
}

/// [`effective`] along a chain already read: one query for the profile with its
/// permissions (and one for the default profile when nothing up the chain holds one).
fn effective_in(conn: &mut DbConnection, chains: &Chains, customer_id: i64) -> AppResult<Effective> {
    let (profile_id, source) = locate_in(chains, customer_id, || default_profile_id(conn))?;
    let Some(pid) = profile_id else {
        return Ok(Effective { profile_id: None, profile_name: None, source, disabled: false, grants: Grants::none() });
    };
    let rows: Vec<(String, String, Option<String>)> = access_profiles::table
        .left_join(access_profile_permissions::table)
        .filter(access_profiles::id.eq(pid))
        .select((access_profiles::name, access_profiles::availability, access_profile_permissions::perm.nullable()))
        .load(conn)?;
    let Some((name, availability, _)) = rows.first().cloned() else {
        return Err(diesel::result::Error::NotFound.into());
    };
    let disabled = availability == "disabled";
    let grants = if disabled {
        Grants::none()
    } else {
        let perms: Vec<Perm> = rows.iter().filter_map(|r| r.2.as_deref().and_then(Perm::from_key)).collect();
        Grants::effective(&perms)
    };
    Ok(Effective { profile_id: Some(pid), profile_name: Some(name), source, disabled, grants })
}

/// What a request of a customer's portal needs about the customer: its row, its effective
/// profile and its effective app settings, read together (two queries for a customer at the
/// top of the hierarchy that holds its own profile).
pub fn customer_context(conn: &mut DbConnection, customer_id: i64) -> AppResult<(CustomerRow, Effective, AppSettings)> {
    let row = CustomerRow::get(conn, customer_id)?;
    let chains = Chains::of_row(conn, &row)?;
    let effective = effective_in(conn, &chains, customer_id)?;
    let settings = app_settings_in(conn, &row, &chains)?;
    Ok((row, effective, settings))
}
