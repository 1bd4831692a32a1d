use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::customers;
use crate::error::AppResult;

/// Inserts a customer with just a name and parent; returns its id.
pub fn insert_basic(conn: &mut DbConnection, name: &str, parent: Option<i64>) -> AppResult<i64> {
    let now = crate::now();
    let marker = crate::auth::sessions::random_token(12);
    diesel::insert_into(customers::table)
        .values((
            customers::name.eq(name),
            customers::reference_id.eq(&marker),
            customers::parent_id.eq(parent),
            customers::created_at.eq(now),
            customers::updated_at.eq(now),
        ))
        .execute(conn)?;
    let id = customers::table.filter(customers::reference_id.eq(&marker)).select(customers::id).first(conn)?;
    diesel::update(customers::table.find(id)).set(customers::reference_id.eq(None::<String>)).execute(conn)?;
    Ok(id)
}
