//! The commands that need a customer and an access profile at once: assigning a profile to a
//! customer (it must be available to it), and creating or changing a customer together with its
//! own profile — a change that moves a customer must leave its profile available. They live
//! above `customers` and `profiles`, which know nothing of each other. Each validates, writes
//! and records its audit rows in one transaction.

use serde_json::{Value, json};

use crate::audit::{self, Actor};
use crate::customers::commands as customer_commands;
use crate::customers::model::{self as cm, Customer, CustomerInput, CustomerRow};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult};
use crate::profiles::Profile;

/// What a customer update does with the customer's own access profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnProfile {
    /// Keep it (it must still be available after the change).
    Keep,
    /// Assign this one, or none.
    Set(Option<i64>),
}

/// The profile `id` if it may be assigned to the customer.
fn available(c: &mut DbConnection, customer: i64, id: i64) -> AppResult<Profile> {
    let p = Profile::find(c, id)?
        .ok_or_else(|| AppError::field("accessProfileId", format!("There is no access profile {id}.")))?;
    if !p.available_to(c, customer)? {
        return Err(AppError::field(
            "accessProfileId",
            format!("The profile \"{}\" is not available to this customer ({}).", p.name, p.availability.label()),
        ));
    }
    Ok(p)
}

/// Assigns (or with `None` clears) the customer's own access profile; it must be available to
/// the customer (422 naming `accessProfileId`). Audited as `customer.assign_profile`.
pub fn assign_profile(c: &mut DbConnection, actor: &Actor, customer: i64, profile: Option<i64>) -> AppResult<()> {
    write_tx(c, |c| {
        let before = CustomerRow::get(c, customer)?.access_profile_id;
        if let Some(id) = profile {
            available(c, customer, id)?;
        }
        cm::set_profile(c, customer, profile, actor.label())?;
        let diff = audit::diff(Some(&json!({"accessProfileId": before})), Some(&json!({"accessProfileId": profile})));
        audit::record(c, actor, "customer.assign_profile", "customer", Some(customer.to_string()), diff)
    })
}

/// Creates a customer and, when given, assigns its own profile (`customer.create`, then
/// `customer.assign_profile`).
pub fn create_customer(
    c: &mut DbConnection,
    actor: &Actor,
    input: CustomerInput,
    profile: Option<i64>,
) -> AppResult<Customer> {
    write_tx(c, |c| {
        let cust = customer_commands::create(c, actor, input)?;
        if profile.is_none() {
            return Ok(cust);
        }
        assign_profile(c, actor, cust.id(), profile)?;
        Customer::get(c, cust.id())
    })
}

/// The customer's audit JSON without its profile, which has rows of its own.
fn without_profile(c: &Customer) -> Value {
    let mut v = c.to_json();
    if let Some(o) = v.as_object_mut() {
        o.remove("accessProfileId");
    }
    v
}

/// Replaces a customer's editable fields (`customer.update`, whose diff leaves the profile
/// out) and keeps or sets its own profile (`customer.assign_profile` when it changes). Refused
/// with nothing written when the profile it ends up with is not available to it at its new
/// place.
pub fn update_customer(
    c: &mut DbConnection,
    actor: &Actor,
    id: i64,
    input: CustomerInput,
    own: OwnProfile,
) -> AppResult<Customer> {
    write_tx(c, |c| {
        let before = Customer::get(c, id)?;
        let after = cm::update(c, id, input, actor.label())?;
        let diff = audit::diff(Some(&without_profile(&before)), Some(&without_profile(&after)));
        audit::record(c, actor, "customer.update", "customer", Some(id.to_string()), diff)?;
        let old = before.row.access_profile_id;
        match own {
            OwnProfile::Set(new) if new != old => {
                assign_profile(c, actor, id, new)?;
                Customer::get(c, id)
            }
            _ => {
                // The profile assigned for the customer's former place may no longer be available.
                if let Some(pid) = old
                    && let Some(p) = Profile::find(c, pid)?
                    && !p.available_to(c, id)?
                {
                    return Err(AppError::field(
                        "accessProfileId",
                        format!(
                            "The assigned profile \"{}\" is not available to the customer after this change.",
                            p.name
                        ),
                    ));
                }
                Ok(after)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;

    use super::*;
    use crate::customers::model::insert_basic;
    use crate::db::schema::{audit_log, customers};
    use crate::db::testing::{audit_rows, each_backend};
    use crate::profiles::model::{RawProfile, validate};

    fn ops() -> Actor {
        Actor::anonymous("ops@op.example", None)
    }

    /// A profile available to `customer` and its descendants only.
    fn made_for(c: &mut DbConnection, name: &str, customer: i64) -> i64 {
        let raw = RawProfile {
            name: name.into(),
            availability: "customer".into(),
            customer_id: Some(customer.to_string()),
            permissions: vec!["account".into()],
            ..Default::default()
        };
        Profile::create(c, &validate(&raw).unwrap()).unwrap().id
    }

    fn audit_count(c: &mut DbConnection) -> i64 {
        audit_log::table.count().get_result(c).unwrap()
    }

    fn field_of(r: AppResult<impl std::fmt::Debug>) -> String {
        match r {
            Err(AppError::Unprocessable(_, e)) => e[0].field.clone(),
            other => panic!("expected a 422, got {other:?}"),
        }
    }

    #[test]
    fn an_assignment_outside_availability_writes_nothing() {
        each_backend(|c| {
            let root = insert_basic(c, "Root", None).unwrap();
            let stranger = insert_basic(c, "Stranger", None).unwrap();
            let p = made_for(c, "Root only", root);
            let audited = audit_count(c);
            assert_eq!(field_of(assign_profile(c, &ops(), stranger, Some(p))), "accessProfileId");
            assert_eq!(field_of(assign_profile(c, &ops(), stranger, Some(999_999))), "accessProfileId");
            assert!(matches!(assign_profile(c, &ops(), 999_999, None), Err(AppError::NotFound)));
            let row = CustomerRow::get(c, stranger).unwrap();
            assert_eq!((row.access_profile_id, row.last_modified_by.as_str()), (None, "system"));
            assert_eq!(audit_count(c), audited);
            assign_profile(c, &ops(), root, Some(p)).unwrap();
            let row = CustomerRow::get(c, root).unwrap();
            assert_eq!((row.access_profile_id, row.last_modified_by.as_str()), (Some(p), "ops@op.example"));
            let rows = audit_rows(c, "customer.assign_profile");
            let diff = json!({"accessProfileId": {"before": null, "after": p}});
            assert_eq!(rows, vec![(Some(root.to_string()), Some(diff))]);
        });
    }

    #[test]
    fn create_with_a_profile_audits_both_rows() {
        each_backend(|c| {
            let root = insert_basic(c, "Root", None).unwrap();
            let p = made_for(c, "Root only", root);
            let mut input = CustomerInput::named("Kid");
            input.parent_id = Some(root);
            let kid = create_customer(c, &ops(), input, Some(p)).unwrap();
            assert_eq!((kid.row.access_profile_id, kid.row.created_by.as_str()), (Some(p), "ops@op.example"));
            assert_eq!(audit_rows(c, "customer.create").len(), 1);
            assert_eq!(audit_rows(c, "customer.assign_profile")[0].0, Some(kid.id().to_string()));
            // Not available at the top level: the customer is not created either.
            let n: i64 = customers::table.count().get_result(c).unwrap();
            assert_eq!(field_of(create_customer(c, &ops(), CustomerInput::named("Top"), Some(p))), "accessProfileId");
            assert_eq!(customers::table.count().get_result::<i64>(c).unwrap(), n);
            assert_eq!(audit_rows(c, "customer.create").len(), 1);
        });
    }

    #[test]
    fn updates_diff_without_the_profile_and_refuse_cycles() {
        each_backend(|c| {
            let a = insert_basic(c, "A", None).unwrap();
            let b = insert_basic(c, "B", Some(a)).unwrap();
            let p = made_for(c, "A only", a);
            let mut input = Customer::get(c, b).unwrap().input();
            input.name = "B2".into();
            let after = update_customer(c, &ops(), b, input, OwnProfile::Set(Some(p))).unwrap();
            assert_eq!((after.row.name.as_str(), after.row.access_profile_id), ("B2", Some(p)));
            let d = audit_rows(c, "customer.update")[0].1.clone().unwrap();
            assert_eq!(d["name"], json!({"before": "B", "after": "B2"}));
            assert_eq!(d["lastModifiedBy"], json!({"before": "system", "after": "ops@op.example"}));
            assert!(d.get("accessProfileId").is_none(), "the assignment has its own row: {d}");
            assert_eq!(audit_rows(c, "customer.assign_profile").len(), 1);
            // Placing A below its own child is refused, naming the field; nothing is written.
            let mut cycle = Customer::get(c, a).unwrap().input();
            cycle.parent_id = Some(b);
            assert_eq!(field_of(update_customer(c, &ops(), a, cycle, OwnProfile::Keep)), "parentCustomerId");
            assert_eq!(CustomerRow::get(c, a).unwrap().parent_id, None);
            assert_eq!(audit_rows(c, "customer.update").len(), 1);
            let unknown = update_customer(c, &ops(), 999_999, CustomerInput::named("X"), OwnProfile::Keep);
            assert!(matches!(unknown, Err(AppError::NotFound)));
        });
    }

    #[test]
    fn a_failure_after_the_write_rolls_everything_back() {
        each_backend(|c| {
            let a = insert_basic(c, "A", None).unwrap();
            let b = insert_basic(c, "B", Some(a)).unwrap();
            let elsewhere = insert_basic(c, "Elsewhere", None).unwrap();
            let p = made_for(c, "A only", a);
            assign_profile(c, &ops(), b, Some(p)).unwrap();
            let (row_before, audited) = (CustomerRow::get(c, b).unwrap(), audit_count(c));
            // Moving B out from under A: the update is written and audited, then the kept profile
            // turns out to be unavailable at the new place — so none of it stays.
            let mut moved = Customer::get(c, b).unwrap().input();
            moved.parent_id = Some(elsewhere);
            moved.name = "Moved".into();
            assert_eq!(field_of(update_customer(c, &ops(), b, moved.clone(), OwnProfile::Keep)), "accessProfileId");
            let row = CustomerRow::get(c, b).unwrap();
            assert_eq!((row.name.as_str(), row.parent_id, row.updated_at), ("B", Some(a), row_before.updated_at));
            assert_eq!(audit_count(c), audited);
            assert!(audit_rows(c, "customer.update").is_empty());
            // The same move with the profile cleared goes through.
            let after = update_customer(c, &ops(), b, moved, OwnProfile::Set(None)).unwrap();
            assert_eq!((after.row.parent_id, after.row.access_profile_id), (Some(elsewhere), None));
            assert_eq!(audit_rows(c, "customer.assign_profile").len(), 2);
        });
    }
}
