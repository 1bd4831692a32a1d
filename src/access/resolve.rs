//! The effective access profile of a customer (SPEC §3): its own assignment; else the nearest
//! ancestor's; else the default profile; else none. A request of a customer's portal takes it
//! from [`Contexts`], checked against the database's access epoch on every request, so a change
//! takes effect at once on every node.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use diesel::prelude::*;

use crate::access::catalog::Perm;
use crate::access::grants::Grants;
use crate::customers::model::{CustomerRow, app_settings_in};
use crate::customers::settings::AppSettings;
use crate::customers::tree::Chains;
use crate::db::DbConnection;
use crate::db::schema::{access_epoch, access_profile_permissions, access_profiles};
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
pub fn customer_context(conn: &mut DbConnection, customer_id: i64) -> AppResult<CustomerSide> {
    let row = CustomerRow::get(conn, customer_id)?;
    let chains = Chains::of_row(conn, &row)?;
    let effective = effective_in(conn, &chains, customer_id)?;
    let settings = app_settings_in(conn, &row, &chains)?;
    Ok(CustomerSide { row, effective, settings })
}

/// What [`customer_context`] reads.
#[derive(Debug, Clone)]
pub struct CustomerSide {
    pub row: CustomerRow,
    pub effective: Effective,
    pub settings: AppSettings,
}

/// How many contexts a node keeps. When full, those kept under an older epoch (which no request
/// can use again) are forgotten first; only when all are current are they all forgotten.
const CONTEXTS_CAPACITY: usize = 10_000;

/// The customer contexts this node has read, each with the access epoch it was read under.
///
/// The epoch (`access_epoch.n`) takes a new value, never one taken before, in the same
/// transaction as every change to customers, access profiles or their permissions (triggers,
/// see the migrations `access_epoch*`), and each request reads it in the same query as its
/// user. A context is taken from here only when it was read under the epoch the request has
/// just read; else it is read again, and kept only when the epoch read after it is still the
/// one before it (no change committed in between: the context is the data of that epoch). A
/// change therefore bites on the next request on every node, as if nothing were kept, while a
/// portal request spends no query on its customer. Values are random rather than counted so
/// that an epoch that goes back (a failover that loses the last commits, a restored backup)
/// never meets a context kept under a value it takes again.
pub struct Contexts {
    kept: Mutex<HashMap<i64, (i64, Arc<CustomerSide>)>>,
    capacity: usize,
}

impl Default for Contexts {
    fn default() -> Contexts {
        Contexts::with_capacity(CONTEXTS_CAPACITY)
    }
}

impl Contexts {
    fn with_capacity(capacity: usize) -> Contexts {
        Contexts { kept: Mutex::default(), capacity: capacity.max(1) }
    }

    /// The customer's context as of `epoch`, which the caller read from the database before
    /// (none: it could not be read, and the context is read and not kept).
    pub fn get(&self, conn: &mut DbConnection, customer_id: i64, epoch: Option<i64>) -> AppResult<Arc<CustomerSide>> {
        let Some(epoch) = epoch else {
            return Ok(Arc::new(customer_context(conn, customer_id)?));
        };
        if let Some(side) = self.known(customer_id, epoch) {
            return Ok(side);
        }
        let side = Arc::new(customer_context(conn, customer_id)?);
        if self::epoch(conn).ok() == Some(epoch)
            && let Ok(mut all) = self.kept.lock()
        {
            if all.len() >= self.capacity && !all.contains_key(&customer_id) {
                all.retain(|_, (e, _)| *e == epoch);
                if all.len() >= self.capacity {
                    all.clear();
                }
            }
            all.insert(customer_id, (epoch, side.clone()));
        }
        Ok(side)
    }

    fn known(&self, customer_id: i64, epoch: i64) -> Option<Arc<CustomerSide>> {
        let all = self.kept.lock().ok()?;
        all.get(&customer_id).filter(|(e, _)| *e == epoch).map(|(_, side)| side.clone())
    }
}

/// The access epoch now (see [`Contexts`]).
pub fn epoch(conn: &mut DbConnection) -> AppResult<i64> {
    Ok(access_epoch::table.find(1i64).select(access_epoch::n).first(conn)?)
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;

    use super::*;
    use crate::customers::model::insert_basic;
    use crate::db::schema::customers;
    use crate::db::testing::{each_backend, each_backend_pool};
    use crate::profiles::Profile;
    use crate::profiles::model::{RawProfile, validate};

    fn profile(c: &mut DbConnection, name: &str, keys: &[&str]) -> i64 {
        let raw = RawProfile {
            name: name.into(),
            availability: "all".into(),
            permissions: keys.iter().map(|k| k.to_string()).collect(),
            ..Default::default()
        };
        Profile::create(c, &validate(&raw).unwrap()).unwrap().id
    }

    fn add_key(c: &mut DbConnection, profile: i64, key: &str) {
        diesel::insert_into(access_profile_permissions::table)
            .values((access_profile_permissions::profile_id.eq(profile), access_profile_permissions::perm.eq(key)))
            .execute(c)
            .unwrap();
    }

    fn drop_key(c: &mut DbConnection, profile: i64, key: &str) {
        let gone = access_profile_permissions::table
            .filter(access_profile_permissions::profile_id.eq(profile))
            .filter(access_profile_permissions::perm.eq(key));
        assert_eq!(diesel::delete(gone).execute(c).unwrap(), 1);
    }

    /// Every kind of change a customer's context is made of, written straight to the tables (as
    /// a migration or another tool might): the epoch moves, and the context asked for under
    /// the new epoch shows the change, while the one kept under the old epoch is the old one.
    #[test]
    fn contexts_follow_every_change_they_are_made_of() {
        each_backend(|c| {
            let contexts = Contexts::default();
            let parent = insert_basic(c, "Parent", None).unwrap();
            let kid = insert_basic(c, "Kid", Some(parent)).unwrap();
            let own = profile(c, "Own", &["outgoing_cdrs", "incoming_cdrs"]);
            let inherited = profile(c, "Inherited", &["account"]);
            let fallback = profile(c, "Fallback", &["invoices"]);
            let set = |c: &mut DbConnection, id: i64, p: Option<i64>| {
                diesel::update(customers::table.find(id)).set(customers::access_profile_id.eq(p)).execute(c).unwrap();
            };
            set(c, kid, Some(own));
            set(c, parent, Some(inherited));

            let mut before = epoch(c).unwrap();
            let first = contexts.get(c, kid, Some(before)).unwrap();
            assert!(first.effective.grants.has(Perm::IncomingCdrs));
            assert!(
                Arc::ptr_eq(&first, &contexts.get(c, kid, Some(before)).unwrap()),
                "the same epoch reads nothing again"
            );
            let mut step = |c: &mut DbConnection, what: &str, change: &dyn Fn(&mut DbConnection)| {
                let old = contexts.get(c, kid, Some(before)).unwrap();
                let moved = moves(c);
                change(c);
                let now = epoch(c).unwrap();
                assert!(now != before && moves(c) > moved, "{what}: the epoch moves ({before} → {now})");
                assert!(
                    Arc::ptr_eq(&old, &contexts.get(c, kid, Some(before)).unwrap()),
                    "{what}: kept under the old epoch"
                );
                before = now;
                let new = contexts.get(c, kid, Some(now)).unwrap();
                assert!(
                    Arc::ptr_eq(&new, &contexts.get(c, kid, Some(now)).unwrap()),
                    "{what}: kept under the new epoch"
                );
                new
            };

            let s = step(c, "a key dropped", &|c| drop_key(c, own, "incoming_cdrs"));
            assert!(!s.effective.grants.has(Perm::IncomingCdrs) && s.effective.grants.has(Perm::OutgoingCdrs));
            let s = step(c, "the profile disabled", &|c| {
                diesel::update(access_profiles::table.find(own))
                    .set(access_profiles::availability.eq("disabled"))
                    .execute(c)
                    .unwrap();
            });
            assert!(s.effective.disabled && !s.effective.grants.has(Perm::OutgoingCdrs));
            let s = step(c, "the own assignment removed", &|c| set(c, kid, None));
            assert_eq!(s.effective.source, Source::Inherited { from_customer: parent });
            assert!(s.effective.grants.has(Perm::Account));
            let s = step(c, "a key added up the hierarchy", &|c| add_key(c, inherited, "payments"));
            assert!(s.effective.grants.has(Perm::Payments));
            let s = step(c, "the parent's assignment removed", &|c| set(c, parent, None));
            assert_eq!((s.effective.source, s.effective.profile_id), (Source::None, None));
            let s = step(c, "a default profile marked", &|c| {
                diesel::update(access_profiles::table.find(fallback))
                    .set(access_profiles::is_default.eq(true))
                    .execute(c)
                    .unwrap();
            });
            assert_eq!((s.effective.source, s.effective.profile_id), (Source::Default, Some(fallback)));
            let s = step(c, "the parent's app settings", &|c| {
                diesel::update(customers::table.find(parent))
                    .set((
                        customers::override_app_settings.eq(true),
                        customers::app_settings.eq(r#"{"pageTitle":"Parent Portal"}"#),
                    ))
                    .execute(c)
                    .unwrap();
            });
            assert_eq!(s.settings.page_title.as_deref(), Some("Parent Portal"));
            let s = step(c, "the customer renamed", &|c| {
                diesel::update(customers::table.find(kid)).set(customers::name.eq("Kid Ltd")).execute(c).unwrap();
            });
            assert_eq!(s.row.name, "Kid Ltd");
            let s = step(c, "the default profile deleted", &|c| {
                diesel::delete(access_profiles::table.find(fallback)).execute(c).unwrap();
            });
            assert_eq!(s.effective.source, Source::None);
            let s = step(c, "a default profile inserted", &|c| {
                let now = crate::now();
                diesel::insert_into(access_profiles::table)
                    .values((
                        access_profiles::name.eq("New default"),
                        access_profiles::description.eq(""),
                        access_profiles::availability.eq("all"),
                        access_profiles::is_default.eq(true),
                        access_profiles::version.eq(1i64),
                        access_profiles::created_at.eq(now),
                        access_profiles::updated_at.eq(now),
                    ))
                    .execute(c)
                    .unwrap();
            });
            assert_eq!(
                (s.effective.source, s.effective.profile_name.as_deref()),
                (Source::Default, Some("New default"))
            );
            let newer = s.effective.profile_id.unwrap();
            add_key(c, newer, "account");
            let s = step(c, "a key changed in place", &|c| {
                let key = access_profile_permissions::table
                    .filter(access_profile_permissions::profile_id.eq(newer))
                    .filter(access_profile_permissions::perm.eq("account"));
                diesel::update(key).set(access_profile_permissions::perm.eq("payments")).execute(c).unwrap();
            });
            assert!(s.effective.grants.has(Perm::Payments) && !s.effective.grants.has(Perm::Account));
            let other = std::cell::Cell::new(0);
            step(c, "a customer added", &|c| {
                other.set(insert_basic(c, "Other parent", None).unwrap());
            });
            set(c, other.get(), Some(own));
            let s = step(c, "moved under another parent", &|c| {
                diesel::update(customers::table.find(kid))
                    .set(customers::parent_id.eq(other.get()))
                    .execute(c)
                    .unwrap();
            });
            assert_eq!(s.effective.source, Source::Inherited { from_customer: other.get() });
            step(c, "a customer deleted", &|c| {
                diesel::delete(customers::table.find(parent)).execute(c).unwrap();
            });
        });
    }

    fn moves(c: &mut DbConnection) -> i64 {
        access_epoch::table.find(1i64).select(access_epoch::moves).first(c).unwrap()
    }

    /// An epoch set back (as a failover that loses the last commits, or a restored backup, does)
    /// moves on to a value it has never had, so no context kept under a later value comes back.
    #[test]
    fn epoch_values_are_not_taken_again() {
        each_backend(|c| {
            let first = epoch(c).unwrap();
            let a = insert_basic(c, "A", None).unwrap();
            let second = epoch(c).unwrap();
            diesel::update(access_epoch::table.find(1i64)).set(access_epoch::n.eq(first)).execute(c).unwrap();
            diesel::update(customers::table.find(a)).set(customers::name.eq("A2")).execute(c).unwrap();
            let third = epoch(c).unwrap();
            assert!(third != first && third != second, "{first} → {second}, set back, → {third}");
        });
    }

    /// Without the epoch's row nobody is locked out: the person is found, and their customer's
    /// context is read for each request and kept for none.
    #[test]
    fn without_an_epoch_nothing_is_kept() {
        each_backend(|c| {
            let customer = insert_basic(c, "A", None).unwrap();
            let user =
                crate::users::User::for_tests(c, "ann@a.example", crate::users::model::Role::User, Some(customer));
            diesel::delete(access_epoch::table).execute(c).unwrap();
            let (found, epoch) = crate::users::User::find_with_epoch(c, user.id).unwrap().expect("still found");
            assert_eq!((found.id, epoch), (user.id, None));
            let contexts = Contexts::default();
            let one = contexts.get(c, customer, None).unwrap();
            assert_eq!(one.row.id, customer);
            assert!(!Arc::ptr_eq(&one, &contexts.get(c, customer, None).unwrap()), "read again, not kept");
        });
    }

    /// A full cache forgets the contexts of older epochs first: the current ones stay kept.
    #[test]
    fn a_full_cache_forgets_older_epochs_first() {
        each_backend(|c| {
            let (a, b, d) = (
                insert_basic(c, "A", None).unwrap(),
                insert_basic(c, "B", None).unwrap(),
                insert_basic(c, "D", None).unwrap(),
            );
            let contexts = Contexts::with_capacity(2);
            let old = epoch(c).unwrap();
            contexts.get(c, a, Some(old)).unwrap();
            contexts.get(c, b, Some(old)).unwrap();
            diesel::update(customers::table.find(d)).set(customers::name.eq("D2")).execute(c).unwrap();
            let now = epoch(c).unwrap();
            let a_now = contexts.get(c, a, Some(now)).unwrap();
            let d_now = contexts.get(c, d, Some(now)).unwrap();
            assert_eq!(d_now.row.name, "D2");
            assert!(Arc::ptr_eq(&a_now, &contexts.get(c, a, Some(now)).unwrap()), "the current A stays kept");
            assert!(Arc::ptr_eq(&d_now, &contexts.get(c, d, Some(now)).unwrap()), "D is kept");
            // Full of current contexts: a third one makes room by forgetting them all.
            let b_now = contexts.get(c, b, Some(now)).unwrap();
            assert!(Arc::ptr_eq(&b_now, &contexts.get(c, b, Some(now)).unwrap()), "B is kept");
            assert!(!Arc::ptr_eq(&a_now, &contexts.get(c, a, Some(now)).unwrap()), "A was forgotten");
        });
    }

    /// A context read while a change commits is not kept under the epoch read before it.
    #[test]
    fn a_context_read_across_a_change_is_not_kept() {
        each_backend(|c| {
            let customer = insert_basic(c, "A", None).unwrap();
            let stale = epoch(c).unwrap();
            diesel::update(customers::table.find(customer)).set(customers::name.eq("A2")).execute(c).unwrap();
            let contexts = Contexts::default();
            let one = contexts.get(c, customer, Some(stale)).unwrap();
            assert_eq!(one.row.name, "A2", "read as it is now");
            assert!(
                !Arc::ptr_eq(&one, &contexts.get(c, customer, Some(stale)).unwrap()),
                "not kept under the old epoch"
            );
        });
    }

    /// The epoch moves when the change commits, not before (a reader in between sees the old
    /// data under the old epoch), and on PostgreSQL once for a transaction of many changes.
    #[test]
    fn the_epoch_moves_with_the_commit() {
        each_backend_pool(|pool| async move {
            let (mut writer, mut reader) = (pool.get().unwrap(), pool.get().unwrap());
            let a = insert_basic(&mut writer, "A", None).unwrap();
            let b = insert_basic(&mut writer, "B", None).unwrap();
            let p = profile(&mut writer, "P", &["outgoing_cdrs", "incoming_cdrs"]);
            let (before, moved) = (epoch(&mut reader).unwrap(), moves(&mut reader));
            crate::db::write_tx(&mut writer, |w| {
                for id in [a, b] {
                    diesel::update(customers::table.find(id)).set(customers::access_profile_id.eq(p)).execute(w)?;
                }
                drop_key(w, p, "incoming_cdrs");
                assert_eq!(epoch(&mut reader).unwrap(), before, "nothing moves before the commit");
                let side = Contexts::default().get(&mut reader, a, Some(before)).unwrap();
                assert_eq!(side.effective.profile_id, None, "the reader sees the old data");
                Ok(())
            })
            .unwrap();
            assert_ne!(epoch(&mut reader).unwrap(), before);
            let after = moves(&mut reader);
            match &**reader {
                DbConnection::Postgresql(_) => assert_eq!(after, moved + 1, "one transaction, one move"),
                DbConnection::Sqlite(_) => assert!(after > moved),
            }
        });
    }
}
