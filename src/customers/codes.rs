//! Access codes of a customer (SPEC §4): rows, queries, and the commands that add, change and
//! delete them. Their private parts never reach the audit log.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::audit::{self, Actor};
use crate::customers::accounts::owned_rows;
use crate::customers::input::invalid;
use crate::customers::model::CustomerRow;
use crate::db::schema::access_codes;
use crate::db::{DbConnection, write_tx};
use crate::error::{AppResult, FieldError};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = access_codes)]
pub struct AccessCode {
    pub id: i64,
    pub customer_id: i64,
    pub label: String,
    pub public_text: String,
    pub public_value: String,
    pub private_master: String,
    pub private_read: String,
    pub private_write: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

owned_rows!(AccessCode, access_codes, label);

#[derive(Debug, Clone, Default)]
pub struct AccessCodeInput {
    pub label: String,
    pub public_text: String,
    pub public_value: String,
    pub private_master: String,
    pub private_read: String,
    pub private_write: String,
}

impl AccessCodeInput {
    pub fn validate(mut self) -> Result<AccessCodeInput, Vec<FieldError>> {
        let mut e = Vec::new();
        self.label = self.label.trim().to_string();
        if self.label.is_empty() || self.label.chars().count() > 200 {
            e.push(FieldError::new("label", "Give the code a label of 1 to 200 characters."));
        }
        for (f, v) in [
            ("public.text", &self.public_text),
            ("public.value", &self.public_value),
            ("private.master", &self.private_master),
            ("private.read", &self.private_read),
            ("private.write", &self.private_write),
        ] {
            if v.chars().count() > 500 {
                e.push(FieldError::new(f, "At most 500 characters."));
            }
        }
        if e.is_empty() { Ok(self) } else { Err(e) }
    }
}

impl AccessCode {
    /// The JSON of SPEC §4; `private` only when the viewer may see it.
    pub fn to_json(&self, with_private: bool) -> Value {
        let mut v = json!({
            "id": self.id,
            "label": self.label,
            "public": {"text": self.public_text, "value": self.public_value},
        });
        if with_private {
            v["private"] =
                json!({"master": self.private_master, "read": self.private_read, "write": self.private_write});
        }
        v
    }

    /// What the audit log of a created or deleted code says.
    fn audit_json(&self) -> Value {
        json!({"label": self.label, "customerId": self.customer_id})
    }

    fn private(&self) -> (&str, &str, &str) {
        (&self.private_master, &self.private_read, &self.private_write)
    }

    /// Adds a code — the write alone, no audit row: [`create_code`] is the command; fixtures
    /// and the demo seed call this.
    pub fn create(conn: &mut DbConnection, customer_id: i64, a: &AccessCodeInput) -> AppResult<AccessCode> {
        let now = crate::now();
        let id: i64 = crate::with_conn!(conn, |c| diesel::insert_into(access_codes::table)
            .values((
                access_codes::customer_id.eq(customer_id),
                access_codes::label.eq(&a.label),
                access_codes::created_at.eq(now),
                access_codes::updated_at.eq(now),
            ))
            .returning(access_codes::id)
            .get_result(c))?;
        AccessCode::write(conn, id, a)
    }

    fn write(conn: &mut DbConnection, id: i64, a: &AccessCodeInput) -> AppResult<AccessCode> {
        diesel::update(access_codes::table.find(id))
            .set((
                access_codes::label.eq(&a.label),
                access_codes::public_text.eq(&a.public_text),
                access_codes::public_value.eq(&a.public_value),
                access_codes::private_master.eq(&a.private_master),
                access_codes::private_read.eq(&a.private_read),
                access_codes::private_write.eq(&a.private_write),
                access_codes::updated_at.eq(crate::now()),
            ))
            .execute(conn)?;
        AccessCode::get_in(conn, None, id)
    }
}

/// Adds an access code to a customer.
pub fn create_code(
    c: &mut DbConnection,
    actor: &Actor,
    customer: i64,
    input: AccessCodeInput,
) -> AppResult<AccessCode> {
    write_tx(c, |c| {
        CustomerRow::get(c, customer)?;
        let input = input.validate().map_err(invalid)?;
        let code = AccessCode::create(c, customer, &input)?;
        let diff = audit::diff(None, Some(&code.audit_json()));
        audit::record(c, actor, "access_code.create", "access_code", Some(code.id.to_string()), diff)?;
        Ok(code)
    })
}

/// Replaces an access code of the customer `scope` (`None`: of any customer). The audit row
/// says whether the private part changed, never what it is.
pub fn update_code(
    c: &mut DbConnection,
    actor: &Actor,
    scope: Option<i64>,
    id: i64,
    input: AccessCodeInput,
) -> AppResult<AccessCode> {
    write_tx(c, |c| {
        let before = AccessCode::get_in(c, scope, id)?;
        let input = input.validate().map_err(invalid)?;
        let after = AccessCode::write(c, id, &input)?;
        let seen = |a: &AccessCode| {
            json!({
                "label": a.label, "publicText": a.public_text, "publicValue": a.public_value,
                "privateChanged": a.private() != before.private(),
            })
        };
        let diff = audit::diff(Some(&seen(&before)), Some(&seen(&after)));
        audit::record(c, actor, "access_code.update", "access_code", Some(id.to_string()), diff)?;
        Ok(after)
    })
}

/// Deletes an access code of the customer `scope` (`None`: of any customer).
pub fn delete_code(c: &mut DbConnection, actor: &Actor, scope: Option<i64>, id: i64) -> AppResult<AccessCode> {
    write_tx(c, |c| {
        let gone = AccessCode::get_in(c, scope, id)?;
        AccessCode::remove(c, id)?;
        let diff = audit::diff(Some(&gone.audit_json()), None);
        audit::record(c, actor, "access_code.delete", "access_code", Some(id.to_string()), diff)?;
        Ok(gone)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customers::model::insert_basic;
    use crate::db::testing::{audit_rows, each_backend};
    use crate::error::AppError;

    fn code(label: &str, master: &str) -> AccessCodeInput {
        AccessCodeInput { label: label.into(), private_master: master.into(), ..Default::default() }
    }

    #[test]
    fn code_commands_write_and_audit_without_secrets() {
        each_backend(|c| {
            let actor = Actor::system();
            let acme = insert_basic(c, "Acme", None).unwrap();
            let other = insert_basic(c, "Other", None).unwrap();
            let made = create_code(c, &actor, acme, code(" Trunk ", "SECRET-1")).unwrap();
            assert_eq!((made.label.as_str(), made.private_master.as_str()), ("Trunk", "SECRET-1"));
            let rows = audit_rows(c, "access_code.create");
            let after = json!({"label": {"after": "Trunk"}, "customerId": {"after": acme}});
            assert_eq!(rows, vec![(Some(made.id.to_string()), Some(after))]);
            match create_code(c, &actor, acme, code("", "")) {
                Err(AppError::Unprocessable(_, e)) => assert_eq!(e[0].field, "label"),
                other => panic!("{other:?}"),
            }
            assert_eq!(AccessCode::for_customer(c, acme).unwrap().len(), 1);
            assert!(matches!(delete_code(c, &actor, Some(other), made.id), Err(AppError::NotFound)));
            update_code(c, &actor, None, made.id, code("Trunk", "SECRET-2")).unwrap();
            let d = audit_rows(c, "access_code.update")[0].1.clone().unwrap();
            assert_eq!(d, json!({"privateChanged": {"before": false, "after": true}}));
            assert!(!d.to_string().contains("SECRET"));
            delete_code(c, &actor, Some(acme), made.id).unwrap();
            assert!(AccessCode::find(c, made.id).unwrap().is_none());
            assert_eq!(audit_rows(c, "access_code.delete").len(), 1);
        });
    }
}
