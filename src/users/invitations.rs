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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::password::{self, NewPassword};
    use crate::db::schema::audit_log;
    use crate::db::testing::each_backend;
    use crate::users::model::Role;

    #[test]
    fn accepting_records_the_persons_address() {
        each_backend(|c| {
            let id = User::for_tests(c, "ann@acme.example", Role::Admin, None).id;
            let token = invite(c, id).unwrap();
            assert!(NewPassword::check("short", "short", "differ").is_err());
            assert_eq!(
                NewPassword::check("long enough password", "other", "differ").unwrap_err().field,
                "confirmPassword"
            );
            let hash = Hashed::for_tests(&password::hash_blocking("long enough password").unwrap());
            let u = accept(c, &token, &hash, Some("192.0.2.4".into())).unwrap();
            assert_eq!(u.id, id);
            let (actor, ip): (Option<i64>, Option<String>) = audit_log::table
                .filter(audit_log::action.eq("user.invitation_accepted"))
                .select((audit_log::actor_id, audit_log::source_ip))
                .first(c)
                .unwrap();
            assert_eq!((actor, ip.as_deref()), (Some(id), Some("192.0.2.4")));
            assert!(matches!(accept(c, &token, &hash, None), Err(AppError::NotFound)), "used once");
        });
    }
}
