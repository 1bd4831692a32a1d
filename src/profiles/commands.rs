//! The commands that change access profiles (SPEC §3): create, update with optimistic
//! concurrency, the in-place toggle of one box or one group, delete. Each validates, writes and
//! records its audit row (with the before/after diff) in one transaction; a stale `version`
//! changes nothing at all.

use crate::access::{Group, Perm};
use crate::audit::{self, Actor};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, FieldError};
use crate::profiles::model::{RawProfile, UpdateError, validate};
use crate::profiles::{Profile, ProfileInput};

fn invalid(errors: Vec<FieldError>) -> AppError {
    let msg = errors.first().map(|e| e.message.clone()).unwrap_or_else(|| "invalid input".into());
    AppError::Unprocessable(msg, errors)
}

/// Creates a profile; unknown permission keys and other bad fields are refused (422, each
/// field named).
pub fn create(c: &mut DbConnection, actor: &Actor, raw: &RawProfile) -> AppResult<Profile> {
    let input = validate(raw).map_err(invalid)?;
    write_tx(c, |c| {
        let p = Profile::create(c, &input)?;
        let diff = audit::diff(None, Some(&p.to_json()));
        audit::record(c, actor, "profile.create", "access_profile", Some(p.id.to_string()), diff)?;
        Ok(p)
    })
}

/// Replaces a profile read at `version`. A stale version is refused with what is stored now
/// ([`UpdateError::Stale`], a 409), before the input is even looked at.
pub fn update(
    c: &mut DbConnection,
    actor: &Actor,
    id: i64,
    version: i64,
    raw: &RawProfile,
) -> Result<Profile, UpdateError> {
    save(c, actor, id, version, |_| validate(raw).map_err(invalid))
}

/// One in-place change of the permission boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toggle {
    /// One box on or off; off also clears every box below it.
    Key(Perm, bool),
    /// A group's "select all" or "none".
    Group(Group, bool),
}

impl Toggle {
    /// The box of a catalog key; an unknown key is refused (422, field `permissions`).
    pub fn key(key: &str, on: bool) -> AppResult<Toggle> {
        let p = Perm::from_key(key)
            .ok_or_else(|| AppError::field("permissions", format!("Unknown permission key: {key}.")))?;
        Ok(Toggle::Key(p, on))
    }

    /// The boxes of a catalog group, by its slug.
    pub fn group(slug: &str, on: bool) -> AppResult<Toggle> {
        let g =
            Group::ALL.into_iter().find(|g| g.slug() == slug).ok_or_else(|| AppError::bad_request("unknown group"))?;
        Ok(Toggle::Group(g, on))
    }

    fn apply(self, perms: &mut Vec<Perm>) {
        let changes: Vec<(Perm, bool)> = match self {
            Toggle::Key(p, on) => vec![(p, on)],
            Toggle::Group(g, on) => g.perms().map(|p| (p, on)).collect(),
        };
        for (perm, on) in changes {
            if on {
                if !perms.contains(&perm) {
                    perms.push(perm);
                }
            } else {
                perms.retain(|x| *x != perm && !descends_from(*x, perm));
            }
        }
        perms.sort_by_key(|x| Perm::ALL.iter().position(|y| y == x));
    }
}

fn descends_from(p: Perm, ancestor: Perm) -> bool {
    let mut cur = p.parent();
    while let Some(x) = cur {
        if x == ancestor {
            return true;
        }
        cur = x.parent();
    }
    false
}

/// Saves one toggle into a profile read at `version` (the htmx single-box save); audited as
/// `profile.update` with the permissions' before and after.
pub fn toggle(c: &mut DbConnection, actor: &Actor, id: i64, version: i64, t: Toggle) -> Result<Profile, UpdateError> {
    save(c, actor, id, version, |before| {
        let mut input = before.input();
        t.apply(&mut input.permissions);
        Ok(input)
    })
}

/// The versioned save of [`update`] and [`toggle`]: the new fields come from `make`, given
/// the stored profile. A stale version rolls everything back.
fn save(
    c: &mut DbConnection,
    actor: &Actor,
    id: i64,
    version: i64,
    make: impl FnOnce(&Profile) -> AppResult<ProfileInput>,
) -> Result<Profile, UpdateError> {
    let mut stale: Option<Profile> = None;
    let saved = write_tx(c, |c| {
        let before = Profile::get(c, id)?;
        if before.version != version {
            stale = Some(before);
            return Err(AppError::conflict("stale version"));
        }
        let input = make(&before)?;
        match Profile::update(c, id, version, &input) {
            Ok(after) => {
                let diff = audit::diff(Some(&before.to_json()), Some(&after.to_json()));
                audit::record(c, actor, "profile.update", "access_profile", Some(id.to_string()), diff)?;
                Ok(after)
            }
            Err(UpdateError::Stale(now)) => {
                stale = Some(*now);
                Err(AppError::conflict("stale version"))
            }
            Err(UpdateError::Other(e)) => Err(e),
        }
    });
    saved.map_err(|e| match stale {
        Some(p) => UpdateError::Stale(Box::new(p)),
        None => UpdateError::Other(e),
    })
}

/// Deletes a profile no customer holds; refused (409, with the number of holders) otherwise.
pub fn delete(c: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<Profile> {
    write_tx(c, |c| {
        let p = Profile::delete(c, id)?;
        let diff = audit::diff(Some(&p.to_json()), None);
        audit::record(c, actor, "profile.delete", "access_profile", Some(id.to_string()), diff)?;
        Ok(p)
    })
}

/// The form of a copy of `source` named `name` (clone): the same fields and boxes, never the
/// default.
pub fn copy_draft(source: &Profile, name: &str) -> RawProfile {
    let mut raw = RawProfile::from(&source.input());
    raw.name = name.chars().take(200).collect();
    raw.is_default = false;
    raw
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::db::schema::{access_profiles, customers};
    use crate::db::testing::{audit_rows, each_backend};

    fn raw(name: &str, keys: &[&str]) -> RawProfile {
        RawProfile {
            name: name.into(),
            availability: "all".into(),
            permissions: keys.iter().map(|k| k.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_field() {
        each_backend(|c| {
            let e = create(c, &Actor::system(), &raw("Typo", &["account", "acount"])).unwrap_err();
            assert!(matches!(e, AppError::Unprocessable(..)));
            assert_eq!(e.details()[0].field, "permissions");
            assert!(e.details()[0].message.contains("acount"));
            assert!(Profile::find_by_name(c, "Typo").unwrap().is_none());
            assert!(audit_rows(c, "profile.create").is_empty());
            let p = create(c, &Actor::system(), &raw("Gold", &["account"])).unwrap();
            assert_eq!(audit_rows(c, "profile.create")[0].1.as_ref().unwrap()["name"], json!({"after": "Gold"}));
            assert_eq!(p.version, 1);
        });
    }

    #[test]
    fn a_stale_version_is_409_and_writes_nothing() {
        each_backend(|c| {
            let actor = Actor::system();
            let p = create(c, &actor, &raw("Gold", &["account"])).unwrap();
            let saved = update(c, &actor, p.id, 1, &raw("Gold", &["account", "invoices"])).unwrap();
            assert_eq!(saved.version, 2);
            // A stale save that would also make it the default: not even the other defaults move.
            let other = create(c, &actor, &RawProfile { is_default: true, ..raw("Silver", &[]) }).unwrap();
            let mut late = raw("Platinum", &[]);
            late.is_default = true;
            match update(c, &actor, p.id, 1, &late) {
                Err(UpdateError::Stale(now)) => assert_eq!((now.version, now.name.as_str()), (2, "Gold")),
                other => panic!("expected a stale version, got {other:?}"),
            }
            let e: AppError = toggle(c, &actor, p.id, 1, Toggle::key("payments", true).unwrap()).unwrap_err().into();
            assert!(matches!(e, AppError::Conflict(..)));
            assert_eq!(e.details()[0].field, "version");
            assert_eq!(Profile::get(c, p.id).unwrap().version, 2);
            assert!(Profile::get(c, other.id).unwrap().is_default, "nothing written");
            assert_eq!(audit_rows(c, "profile.update").len(), 1, "nothing audited");
        });
    }

    #[test]
    fn a_toggle_writes_the_permission_diff() {
        each_backend(|c| {
            let actor = Actor::system();
            let p = create(c, &actor, &raw("Gold", &["account", "payments", "payments_cryptomus"])).unwrap();
            let after = toggle(c, &actor, p.id, 1, Toggle::key("payments", false).unwrap()).unwrap();
            assert_eq!(after.permissions, vec![Perm::Account], "a parent takes its children along");
            let rows = audit_rows(c, "profile.update");
            assert_eq!(
                rows[0].1,
                Some(json!({"permissions": {
                    "before": ["account", "payments", "payments_cryptomus"],
                    "after": ["account"],
                }}))
            );
            let after = toggle(c, &actor, p.id, 2, Toggle::group("billing", true).unwrap()).unwrap();
            assert!(after.has(Perm::Invoices) && after.has(Perm::PaymentsCryptomus) && after.version == 3);
            assert!(Toggle::key("nope", true).is_err() && Toggle::group("nope", true).is_err());
        });
    }

    #[test]
    fn a_held_profile_is_not_deleted() {
        each_backend(|c| {
            let actor = Actor::system();
            let p = create(c, &actor, &raw("Held", &["account"])).unwrap();
            let held = crate::customers::model::insert_basic(c, "One", None).unwrap();
            diesel::update(customers::table.find(held)).set(customers::access_profile_id.eq(p.id)).execute(c).unwrap();
            let e = delete(c, &actor, p.id).unwrap_err();
            assert!(matches!(e, AppError::Conflict(..)));
            assert_eq!((e.details()[0].field.as_str(), e.details()[0].message.as_str()), ("holders", "1"));
            assert!(Profile::find(c, p.id).unwrap().is_some());
            diesel::update(customers::table.find(held))
                .set(customers::access_profile_id.eq(None::<i64>))
                .execute(c)
                .unwrap();
            delete(c, &actor, p.id).unwrap();
            assert_eq!(audit_rows(c, "profile.delete")[0].0, Some(p.id.to_string()));
            assert!(Profile::find(c, p.id).unwrap().is_none());
        });
    }

    #[test]
    fn a_failure_after_the_write_rolls_everything_back() {
        each_backend(|c| {
            let actor = Actor::system();
            let p = create(c, &actor, &raw("Gold", &["account"])).unwrap();
            // The audit row cannot be written: the change before it must go too.
            c.batch_execute("DROP TABLE audit_log").unwrap();
            assert!(update(c, &actor, p.id, 1, &raw("Renamed", &["invoices"])).is_err());
            let (name, version): (String, i64) = access_profiles::table
                .find(p.id)
                .select((access_profiles::name, access_profiles::version))
                .first(c)
                .unwrap();
            assert_eq!((name.as_str(), version), ("Gold", 1));
            assert_eq!(Profile::get(c, p.id).unwrap().permissions, vec![Perm::Account]);
        });
    }
}
