//! Self-service password reset (SPEC §14). A request for an address always gets the same
//! answer; when the address belongs to an enabled person, a single-use link valid one hour is
//! mailed (its token stored as SHA-256). Requests are throttled per address and per client
//! address, counted before anything else. Setting the new password ends every session of the
//! person. Every step is audited.

use chrono::Duration;
use diesel::prelude::*;

use crate::audit::{self, Actor};
use crate::auth::password::Hashed;
use crate::auth::sessions::{hash_key, random_token};
use crate::auth::throttle;
use crate::db::schema::{password_resets, users};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult};
use crate::users::User;
use crate::users::model::UserRow;

pub fn valid_for() -> Duration {
    Duration::hours(1)
}
/// Reset mails per address within [`window`].
pub const PER_ADDRESS: i32 = 3;
/// Reset requests per client address within [`window`].
pub const PER_CLIENT: i32 = 20;
pub fn window() -> Duration {
    Duration::hours(1)
}

/// How a request was taken. The page is the same for `Requested` and `Ignored`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requested {
    /// Counted; a mail is on its way when the address is known (the caller cannot tell).
    Done,
    /// The client address sent too many requests: 429.
    TooMany,
}

/// Someone asks for a reset link for `email` from `ip`.
pub fn request(c: &mut DbConnection, email: &str, ip: Option<String>) -> AppResult<Requested> {
    let account = crate::auth::login::account_of(email);
    write_tx(c, |c| {
        let actor = Actor::anonymous(account.clone(), ip.clone());
        if let Some(ip) = &ip
            && throttle::count(c, &format!("reset-ip:{ip}"), window())? > PER_CLIENT
        {
            metrics::counter!("portico_password_reset_refused_total", "reason" => "address").increment(1);
            return Ok(Requested::TooMany);
        }
        // Counted for unknown addresses too: the limit tells nothing about who exists.
        if throttle::count(c, &format!("reset-addr:{account}"), window())? > PER_ADDRESS {
            audit::record(c, &actor, "password.reset_throttled", "user", None, None)?;
            return Ok(Requested::Done);
        }
        let user = User::find_by_email(c, &account)?.filter(|u| !u.disabled);
        let Some(user) = user else {
            audit::record(c, &actor, "password.reset_requested", "user", None, None)?;
            return Ok(Requested::Done);
        };
        let token = random_token(32);
        let now = crate::now();
        diesel::insert_into(password_resets::table)
            .values((
                password_resets::user_id.eq(user.id),
                password_resets::token_hash.eq(hash_key(&token)),
                password_resets::expires_at.eq(now + valid_for()),
                password_resets::created_at.eq(now),
            ))
            .execute(c)?;
        crate::mail::messages::password_reset(c, &user, &token)?;
        audit::record(c, &actor, "password.reset_requested", "user", Some(user.id.to_string()), None)?;
        Ok(Requested::Done)
    })
}

/// Whether a token has the shape of ours (anything else is not looked up).
pub fn well_formed(token: &str) -> bool {
    (20..=100).contains(&token.len()) && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The person a reset token belongs to while it is open (unused, not expired). Read only.
pub fn find_open(c: &mut DbConnection, token: &str) -> AppResult<Option<User>> {
    let row: Option<UserRow> = password_resets::table
        .inner_join(users::table)
        .filter(password_resets::token_hash.eq(hash_key(token)))
        .filter(password_resets::used_at.is_null())
        .filter(password_resets::expires_at.gt(crate::now()))
        .filter(users::disabled.eq(false))
        .select(UserRow::as_select())
        .first(c)
        .optional()?;
    row.map(User::try_from).transpose()
}

/// Sets the new password through an open token: the token is used up (once, even when two
/// requests race), every other open link of the person stops working, every session of the
/// person ends and the sign-in count is cleared.
pub fn complete(c: &mut DbConnection, token: &str, hash: &Hashed, ip: Option<String>) -> AppResult<User> {
    write_tx(c, |c| {
        let now = crate::now();
        let Some(user) = find_open(c, token)? else {
            return Err(expired());
        };
        let taken = diesel::update(
            password_resets::table
                .filter(password_resets::token_hash.eq(hash_key(token)))
                .filter(password_resets::used_at.is_null()),
        )
        .set(password_resets::used_at.eq(Some(now)))
        .execute(c)?;
        if taken != 1 {
            return Err(expired());
        }
        diesel::update(
            password_resets::table
                .filter(password_resets::user_id.eq(user.id))
                .filter(password_resets::used_at.is_null()),
        )
        .set(password_resets::used_at.eq(Some(now)))
        .execute(c)?;
        User::set_password_hash(c, user.id, hash.as_str())?;
        let ended = crate::auth::sessions::end_user_sessions(c, user.id, None)?;
        throttle::reset(c, &crate::auth::login::account_of(&user.email))?;
        let actor = Actor::user(&user, ip);
        let diff = serde_json::json!({ "sessionsEnded": ended });
        audit::record(c, &actor, "password.reset", "user", Some(user.id.to_string()), Some(diff))?;
        Ok(user)
    })
}

fn expired() -> AppError {
    AppError::Unprocessable("This link has expired or was already used. Ask for a new one.".into(), vec![])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::schema::outbox;
    use crate::db::testing::{audit_rows, each_backend};
    use crate::users::model::Role;

    #[test]
    fn known_and_unknown_addresses_and_the_throttles() {
        each_backend(|c| {
            User::for_tests(c, "ann@acme.example", Role::Manager, None);
            let ip = || Some("192.0.2.5".to_string());
            assert_eq!(request(c, "nobody@acme.example", ip()).unwrap(), Requested::Done);
            assert_eq!(request(c, "Ann@acme.example", ip()).unwrap(), Requested::Done);
            let mails: Vec<(String, String)> = outbox::table.select((outbox::recipient, outbox::kind)).load(c).unwrap();
            assert_eq!(mails, vec![("ann@acme.example".to_string(), "password_reset".to_string())]);
            for _ in 0..PER_ADDRESS {
                request(c, "ann@acme.example", ip()).unwrap();
            }
            let n: i64 = outbox::table.count().get_result(c).unwrap();
            assert_eq!(n, i64::from(PER_ADDRESS), "no more mails to one address than its limit");
            assert_eq!(audit_rows(c, "password.reset_throttled").len(), 1);
            for _ in 0..(PER_CLIENT - 2 - PER_ADDRESS) {
                request(c, "x@acme.example", ip()).unwrap();
            }
            assert_eq!(request(c, "y@acme.example", ip()).unwrap(), Requested::TooMany);
            assert_eq!(request(c, "y@acme.example", Some("192.0.2.6".into())).unwrap(), Requested::Done);
        });
    }
}
