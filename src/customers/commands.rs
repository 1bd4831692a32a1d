//! The commands that change a customer, apart from its access profile (which needs the
//! profiles: `access::assignments`): create, delete, the company profile, the
//! numberlists it may manage, and the start of a staff preview of its portal. Each validates,
//! writes and records its audit row in one transaction.

use diesel::prelude::*;
use serde_json::json;

use crate::audit::{self, Actor};
use crate::customers::input::{CustomerInput, invalid};
use crate::customers::model::{self, Customer, CustomerRow};
use crate::customers::tree::direct_children;
use crate::db::schema::{access_profiles, customers};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult};

/// Creates a customer (without an access profile of its own), `createdBy` the actor.
pub fn create(c: &mut DbConnection, actor: &Actor, input: CustomerInput) -> AppResult<Customer> {
    write_tx(c, |c| {
        let cust = model::create(c, input, actor.label())?;
        let diff = audit::diff(None, Some(&cust.to_json()));
        audit::record(c, actor, "customer.create", "customer", Some(cust.id().to_string()), diff)?;
        Ok(cust)
    })
}

/// Deletes a customer (its users, accounts and codes go with it); refused (409) while it has
/// sub-customers or an access profile is made available to it alone.
pub fn delete(c: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<Customer> {
    write_tx(c, |c| {
        let cust = Customer::get(c, id)?;
        let kids = direct_children(c, id)?.len();
        if kids > 0 {
            return Err(AppError::conflict(format!(
                "The customer has {kids} sub-customer(s); move or delete them first."
            )));
        }
        // Checked here rather than left to the foreign key, whose error SQLite does not classify.
        let made_for: i64 = access_profiles::table.filter(access_profiles::customer_id.eq(id)).count().get_result(c)?;
        if made_for > 0 {
            return Err(AppError::conflict(format!(
                "{made_for} access profile(s) are made available to this customer; change or delete them first."
            )));
        }
        diesel::delete(customers::table.find(id)).execute(c)?;
        let diff = audit::diff(Some(&cust.to_json()), None);
        audit::record(c, actor, "customer.delete", "customer", Some(id.to_string()), diff)?;
        Ok(cust)
    })
}

/// A change of the company profile (SPEC §5/§8); `None` keeps what is stored.
#[derive(Debug, Clone, Default)]
pub struct CompanyChange {
    pub company_name: Option<String>,
    pub country_code: Option<String>,
    pub phone: Option<String>,
}

/// Changes the company profile of a customer (customer administrators: the portal's company
/// form and `PUT /api/v1/profile`). A change of nothing writes nothing.
pub fn update_company(c: &mut DbConnection, actor: &Actor, id: i64, change: CompanyChange) -> AppResult<Customer> {
    write_tx(c, |c| {
        let before = Customer::get(c, id)?;
        let CompanyChange { company_name, country_code, phone } = change;
        if company_name.is_none() && country_code.is_none() && phone.is_none() {
            return Ok(before);
        }
        let mut input = before.input();
        input.company_name = company_name.unwrap_or(input.company_name);
        input.country_code = country_code.unwrap_or(input.country_code);
        input.phone = phone.unwrap_or(input.phone);
        let e = input.check_company();
        if !e.is_empty() {
            return Err(invalid(e));
        }
        diesel::update(customers::table.find(id))
            .set((
                customers::company_name.eq(&input.company_name),
                customers::country_code.eq(&input.country_code),
                customers::phone.eq(&input.phone),
                customers::updated_at.eq(crate::now()),
                customers::last_modified_by.eq(actor.label()),
            ))
            .execute(c)?;
        let after = Customer::get(c, id)?;
        let diff = audit::diff(Some(&before.to_json()), Some(&after.to_json()));
        audit::record(c, actor, "customer.company_update", "customer", Some(id.to_string()), diff)?;
        Ok(after)
    })
}

/// Replaces the numberlists the customer may manage in its portal (SPEC §6); returns the ids
/// before and after.
pub fn set_numberlists(
    c: &mut DbConnection,
    actor: &Actor,
    id: i64,
    numberlists: &[i64],
) -> AppResult<(Vec<i64>, Vec<i64>)> {
    write_tx(c, |c| {
        CustomerRow::get(c, id)?;
        let (before, after) = crate::numberlists::set_allowed(c, id, numberlists)?;
        let diff = json!({"numberlists": {"before": before, "after": after}});
        audit::record(c, actor, "customer.numberlists", "customer", Some(id.to_string()), Some(diff))?;
        Ok((before, after))
    })
}

/// Records that a staff member starts a read-only preview of the customer's portal.
pub fn start_preview(c: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<()> {
    write_tx(c, |c| {
        CustomerRow::get(c, id)?;
        audit::record(c, actor, "customer.preview", "customer", Some(id.to_string()), None)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::model::insert_basic;
    use crate::db::testing::{audit_rows, each_backend};

    fn ops() -> Actor {
        Actor::anonymous("ops@op.example", Some("192.0.2.1".into()))
    }

    fn count(c: &mut DbConnection) -> i64 {
        customers::table.count().get_result(c).unwrap()
    }

    /// Admins replacing a customer's numberlists at the same moment: each edit is taken and
    /// the customer ends with exactly one edit's choice, never the union of two.
    #[test]
    fn concurrent_numberlist_edits_replace_each_other_whole() {
        use crate::db::schema::numberlist_customers;
        crate::db::testing::each_backend_pool(|pool| async move {
            let mut c = pool.get().unwrap();
            let customer = insert_basic(&mut c, "Acme", None).unwrap();
            let lists: Vec<i64> = (0..4)
                .map(|i| {
                    let r = serde_json::from_value(json!({"name": format!("List {i}"), "kind": "blocklist"})).unwrap();
                    crate::numberlists::numberlist_in(&mut c, r).unwrap()
                })
                .collect();
            drop(c);
            let choices = [vec![lists[0], lists[1]], vec![lists[2], lists[3]]];
            for _ in 0..10 {
                std::thread::scope(|s| {
                    for choice in &choices {
                        let pool = pool.clone();
                        s.spawn(move || {
                            let mut c = pool.get().unwrap();
                            set_numberlists(&mut c, &ops(), customer, choice).unwrap();
                        });
                    }
                });
                let mut c = pool.get().unwrap();
                let mut now: Vec<i64> = numberlist_customers::table
                    .filter(numberlist_customers::customer_id.eq(customer))
                    .select(numberlist_customers::numberlist_id)
                    .load(&mut **c)
                    .unwrap();
                now.sort();
                assert!(choices.contains(&now), "one edit's choice, not a mixture: {now:?}");
            }
        });
    }

    #[test]
    fn create_validates_writes_and_audits() {
        each_backend(|c| {
            let mut input = CustomerInput::named(" Acme ");
            input.country_code = "de".into();
            let cust = create(c, &ops(), input).unwrap();
            assert_eq!((cust.row.created_by.as_str(), cust.row.country_code.as_str()), ("ops@op.example", "DE"));
            let rows = audit_rows(c, "customer.create");
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].0, Some(cust.id().to_string()));
            let d = rows[0].1.clone().unwrap();
            assert_eq!(d["name"], json!({"after": "Acme"}));
            assert_eq!(d["createdBy"], json!({"after": "ops@op.example"}));
            // Invalid: nothing written, nothing audited; the field is named.
            let mut bad = CustomerInput::named("Other");
            bad.parent_id = Some(999_999);
            match create(c, &ops(), bad) {
                Err(AppError::Unprocessable(_, e)) => assert_eq!(e[0].field, "parentCustomerId"),
                other => panic!("{other:?}"),
            }
            assert!(matches!(create(c, &ops(), CustomerInput::named(" ")), Err(AppError::Unprocessable(..))));
            assert_eq!((count(c), audit_rows(c, "customer.create").len()), (1, 1));
        });
    }

    #[test]
    fn delete_is_refused_while_children_or_profiles_refer_to_it() {
        each_backend(|c| {
            let parent = insert_basic(c, "Parent", None).unwrap();
            let kid = insert_basic(c, "Kid", Some(parent)).unwrap();
            assert!(matches!(delete(c, &ops(), parent), Err(AppError::Conflict(..))));
            let now = crate::now();
            let made_for_kid = (
                access_profiles::name.eq("Kid only"),
                access_profiles::availability.eq("customer"),
                access_profiles::customer_id.eq(Some(kid)),
                access_profiles::created_at.eq(now),
                access_profiles::updated_at.eq(now),
            );
            diesel::insert_into(access_profiles::table).values(made_for_kid).execute(c).unwrap();
            assert!(matches!(delete(c, &ops(), kid), Err(AppError::Conflict(..))));
            assert!(audit_rows(c, "customer.delete").is_empty());
            diesel::delete(access_profiles::table).execute(c).unwrap();
            let gone = delete(c, &ops(), kid).unwrap();
            assert_eq!(gone.row.name, "Kid");
            let rows = audit_rows(c, "customer.delete");
            assert_eq!(rows[0].1.as_ref().unwrap()["name"], json!({"before": "Kid"}));
            assert!(matches!(delete(c, &ops(), kid), Err(AppError::NotFound)));
            assert_eq!(count(c), 1);
        });
    }

    #[test]
    fn company_changes_are_checked_and_audited() {
        each_backend(|c| {
            let id = insert_basic(c, "Acme", None).unwrap();
            let change = CompanyChange { phone: Some("+49 30 1".into()), ..Default::default() };
            let after = update_company(c, &ops(), id, change).unwrap();
            assert_eq!((after.row.phone.as_str(), after.row.last_modified_by.as_str()), ("+49 30 1", "ops@op.example"));
            let rows = audit_rows(c, "customer.company_update");
            assert_eq!(rows[0].1.as_ref().unwrap()["phone"], json!({"before": "", "after": "+49 30 1"}));
            let bad = CompanyChange { country_code: Some("Germany".into()), ..Default::default() };
            match update_company(c, &ops(), id, bad) {
                Err(AppError::Unprocessable(_, e)) => assert_eq!(e[0].field, "countryCode"),
                other => panic!("{other:?}"),
            }
            update_company(c, &ops(), id, CompanyChange::default()).unwrap();
            assert_eq!(audit_rows(c, "customer.company_update").len(), 1, "nothing changed, nothing audited");
            assert_eq!(Customer::get(c, id).unwrap().row.country_code, "");
        });
    }

    #[test]
    fn numberlists_and_previews_are_audited() {
        each_backend(|c| {
            let id = insert_basic(c, "Acme", None).unwrap();
            assert!(matches!(set_numberlists(c, &ops(), id, &[999_999]), Err(AppError::Unprocessable(..))));
            assert_eq!(set_numberlists(c, &ops(), id, &[]).unwrap(), (vec![], vec![]));
            let rows = audit_rows(c, "customer.numberlists");
            assert_eq!(rows, vec![(Some(id.to_string()), Some(json!({"numberlists": {"before": [], "after": []}})))]);
            start_preview(c, &ops(), id).unwrap();
            assert!(matches!(start_preview(c, &ops(), 999_999), Err(AppError::NotFound)));
            assert_eq!(audit_rows(c, "customer.preview"), vec![(Some(id.to_string()), None)]);
        });
    }
}
