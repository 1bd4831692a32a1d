//! The effective access profile of a customer (SPEC §3): its own assignment; else the nearest
//! ancestor's; else the default profile; else none. Resolved from the database on every request,
//! so a change takes effect at once on every node.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::access::catalog::Perm;
use crate::access::grants::Grants;
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
    Ok(ids
        .iter()
        .map(|&id| {
            let found = match chains.nearest_assignment(id) {
                Some((holder, p)) if holder == id => (Some(p), Source::Own),
                Some((holder, p)) => (Some(p), Source::Inherited { from_customer: holder }),
                None if default.is_some() => (default, Source::Default),
                None => (None, Source::None),
            };
            (id, found)
        })
        .collect())
}

fn locate(conn: &mut DbConnection, customer_id: i64) -> AppResult<(Option<i64>, Source)> {
    Ok(effective_ids(conn, &[customer_id])?.remove(&customer_id).unwrap_or((None, Source::None)))
}

pub fn effective_profile_id(conn: &mut DbConnection, customer_id: i64) -> AppResult<Option<i64>> {
    Ok(locate(conn, customer_id)?.0)
}

/// The effective profile and grants of a customer. A disabled profile grants nothing.
pub fn effective(conn: &mut DbConnection, customer_id: i64) -> AppResult<Effective> {
    let (profile_id, source) = locate(conn, customer_id)?;
    let Some(pid) = profile_id else {
        return Ok(Effective { profile_id: None, profile_name: None, source, disabled: false, grants: Grants::none() });
    };
    let (name, availability): (String, String) =
        access_profiles::table.find(pid).select((access_profiles::name, access_profiles::availability)).first(conn)?;
    let disabled = availability == "disabled";
    let grants = if disabled {
        Grants::none()
    } else {
        let keys: Vec<String> = access_profile_permissions::table
            .filter(access_profile_permissions::profile_id.eq(pid))
            .select(access_profile_permissions::perm)
            .load(conn)?;
        let perms: Vec<Perm> = keys.iter().filter_map(|k| Perm::from_key(k)).collect();
        Grants::effective(&perms)
    };
    Ok(Effective { profile_id: Some(pid), profile_name: Some(name), source, disabled, grants })
}
