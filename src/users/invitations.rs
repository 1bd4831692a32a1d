//! Portal users created by staff or customer administrators: with an initial password, or with
//! an invitation link valid for 7 days through which the person sets their own password.

use diesel::prelude::*;

use crate::audit::{self, Actor};
use crate::auth::password::Hashed;
use crate::auth::sessions::{hash_key, random_token};
use crate::db::schema::{invitations, users};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult};
use crate::users::User;
use crate::users::model::UserRow;

pub const VALID_DAYS: i64 = 7;

/// Makes a fresh invitation for a user (older ones stop working); returns its token, from
/// which the edge builds the link (`/invitation/{token}`). Part of a command's transaction.
pub fn invite(conn: &mut DbConnection, user_id: i64) -> AppResult<String> {
    diesel::delete(invitations::table.filter(invitations::user_id.eq(user_id))).execute(conn)?;
    let token = random_token(32);
    let now = crate::now();
    diesel::insert_into(invitations::table)
        .values((
            invitations::user_id.eq(user_id),
            invitations::token_hash.eq(hash_key(&token)),
            invitations::expires_at.eq(now + chrono::Duration::days(VALID_DAYS)),
            invitations::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The users of a customer, each with whether an invitation is still open.
pub fn list_with_state(conn: &mut DbConnection, customer: i64) -> AppResult<Vec<(User, bool)>> {
    let users = User::list_for_customer(conn, customer)?;
    with_state(conn, users)
}

pub fn with_state(conn: &mut DbConnection, users: Vec<User>) -> AppResult<Vec<(User, bool)>> {
    let now = crate::now();
    let open: Vec<i64> = invitations::table
        .filter(invitations::used_at.is_null())
        .filter(invitations::expires_at.gt(now))
        .select(invitations::user_id)
        .load(conn)?;
    Ok(users
        .into_iter()
        .map(|u| {
            let pending = u.password_hash.is_none() && open.contains(&u.id);
            (u, pending)
        })
        .collect())
}

/// The user an invitation token belongs to, if it is still valid.
pub fn find_open(conn: &mut DbConnection, token: &str) -> AppResult<Option<User>> {
    let now = crate::now();
    let row: Option<UserRow> = invitations::table
        .inner_join(users::table)
        .filter(invitations::token_hash.eq(hash_key(token)))
        .filter(invitations::used_at.is_null())
        .filter(invitations::expires_at.gt(now))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    row.map(User::try_from).transpose()
}

/// The person sets their password through an invitation (from the address `ip`): it closes,
/// and any session of theirs ends.
pub fn accept(conn: &mut DbConnection, token: &str, hash: &Hashed, ip: Option<String>) -> AppResult<User> {
    write_tx(conn, |conn| {
        let user = find_open(conn, token)?.ok_or(AppError::NotFound)?;
        User::set_password_hash(conn, user.id, hash.as_str())?;
        diesel::update(invitations::table.filter(invitations::token_hash.eq(hash_key(token))))
            .set(invitations::used_at.eq(crate::now()))
            .execute(conn)?;
        crate::auth::sessions::end_user_sessions(conn, user.id, None)?;
        let actor = Actor::user(&user, ip);
        audit::record(conn, &actor, "user.invitation_accepted", "user", Some(user.id.to_string()), None)?;
        Ok(user)
    })
}
