//! The effective access profile of a customer (SPEC §3): its own assignment; else the nearest
//! ancestor's; else the default profile; else none. Resolved from the database on every request,
//! so a change takes effect at once on every node.

use diesel::prelude::*;

use crate::access::catalog::Perm;
use crate::access::grants::Grants;
use crate::customers::model::ancestry;
use crate::db::DbConnection;
use crate::db::schema::{access_profile_permissions, access_profiles, customers};
use crate::error::AppResult;

#[derive(Debug, Clone, PartialEq, Eq)]
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

pub fn effective_profile_id(conn: &mut DbConnection, customer_id: i64) -> AppResult<Option<i64>> {
    Ok(locate(conn, customer_id)?.0)
}

fn locate(conn: &mut DbConnection, customer_id: i64) -> AppResult<(Option<i64>, Source)> {
    for cid in ancestry(conn, customer_id)? {
        let assigned: Option<i64> = customers::table.find(cid).select(customers::access_profile_id).first(conn)?;
        if let Some(p) = assigned {
            let source = if cid == customer_id { Source::Own } else { Source::Inherited { from_customer: cid } };
            return Ok((Some(p), source));
        }
    }
    let default: Option<i64> = access_profiles::table
        .filter(access_profiles::is_default.eq(true))
        .select(access_profiles::id)
        .first(conn)
        .optional()?;
    Ok(match default {
        Some(d) => (Some(d), Source::Default),
        None => (None, Source::None),
    })
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
