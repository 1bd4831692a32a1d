//! `portico demo`: fills an empty database with demonstration data.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{customers, users};
use crate::error::AppResult;
use crate::users::NewUser;
use crate::users::model::Role;

/// One login printed to the terminal.
pub struct DemoLogin {
    pub email: String,
    pub password: String,
    pub what: String,
}

fn ensure_user(
    conn: &mut DbConnection,
    email: &str,
    role: Role,
    customer: Option<i64>,
    first: &str,
    last: &str,
    what: &str,
) -> AppResult<DemoLogin> {
    let password = crate::auth::password::generate();
    let hash = crate::auth::password::hash_blocking(&password)?;
    match crate::users::User::find_by_email(conn, email)? {
        Some(u) => crate::users::User::set_password_hash(conn, u.id, &hash)?,
        None => {
            let mut nu = NewUser::new(email, role, customer);
            nu.first_name = first.into();
            nu.last_name = last.into();
            nu.password_hash = Some(hash);
            nu.insert(conn)?;
        }
    }
    Ok(DemoLogin { email: email.into(), password, what: what.into() })
}

fn ensure_customer(conn: &mut DbConnection, name: &str, reference: &str, parent: Option<i64>) -> AppResult<i64> {
    if let Some(id) =
        customers::table.filter(customers::reference_id.eq(reference)).select(customers::id).first(conn).optional()?
    {
        return Ok(id);
    }
    let now = crate::now();
    diesel::insert_into(customers::table)
        .values((
            customers::name.eq(name),
            customers::reference_id.eq(reference),
            customers::parent_id.eq(parent),
            customers::created_at.eq(now),
            customers::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(customers::table.filter(customers::reference_id.eq(reference)).select(customers::id).first(conn)?)
}

/// Creates the demo data when missing and gives every demo login a fresh password.
pub fn seed(conn: &mut DbConnection) -> AppResult<Vec<DemoLogin>> {
    let mut logins = Vec::new();
    logins.push(ensure_user(conn, "admin@portico.example", Role::Admin, None, "Ada", "Admin", "staff admin")?);
    let acme = ensure_customer(conn, "Acme Telecom", "ACME", None)?;
    logins.push(ensure_user(
        conn,
        "alice@acme.example",
        Role::Administrator,
        Some(acme),
        "Alice",
        "Anders",
        "Acme Telecom, administrator",
    )?);
    let existing: i64 = users::table.count().get_result(conn)?;
    tracing::debug!(users = existing, "demo data ready");
    Ok(logins)
}
