//! Signing in and out (SPEC §7): the per-account throttle, the password check off the async
//! workers, and the audit rows of every attempt (success, failure, the failure that starts a
//! lockout, an attempt refused while locked) and of every sign-out.

use crate::audit::{self, Actor};
use crate::auth::{password, throttle};
use crate::db::{DbConnection, Pool, write_tx};
use crate::error::AppResult;
use crate::users::User;
use crate::users::model::normalize_email;

/// Passwords longer than this are not hashed at all (they cannot be right: the policy stops
/// at 128 characters); the attempt still costs one dummy verification.
const LONGEST_TRIED: usize = 1024;

/// How an attempt ended.
#[derive(Debug)]
pub enum SignIn {
    /// The right password of an enabled person.
    Ok(User),
    /// Wrong password, unknown address or disabled person: all look the same.
    Failed,
    /// The account is locked after too many failures (even the right password is refused).
    Locked,
}

/// The throttle's key for an address: normalised, at most 254 characters.
fn account_of(email: &str) -> String {
    normalize_email(email).chars().take(254).collect()
}

/// One sign-in attempt from `ip`, with its audit rows.
pub async fn sign_in(pool: &Pool, email: &str, given: String, ip: Option<String>) -> AppResult<SignIn> {
    let account = account_of(email);
    let acc = account.clone();
    let (locked, user) = crate::db::run(pool, move |c| {
        let locked = throttle::is_locked(c, &acc)?;
        let user = if locked { None } else { User::find_by_email(c, &acc)? };
        Ok((locked, user))
    })
    .await?;
    let outcome = if locked {
        SignIn::Locked
    } else {
        let too_long = given.len() > LONGEST_TRIED;
        let hash = user.as_ref().and_then(|u| u.password_hash.clone());
        let ok = password::verify(if too_long { String::new() } else { given }, hash).await? && !too_long;
        match user {
            Some(u) if ok && !u.disabled => SignIn::Ok(u),
            _ => SignIn::Failed,
        }
    };
    let record = match &outcome {
        SignIn::Ok(u) => Attempt::Succeeded(Actor::user(u, ip)),
        SignIn::Failed => Attempt::Failed(Actor::anonymous(account.clone(), ip)),
        SignIn::Locked => Attempt::RefusedLocked(Actor::anonymous(account.clone(), ip)),
    };
    crate::db::run(pool, move |c| record_attempt(c, &account, record)).await?;
    Ok(outcome)
}

/// What an attempt writes.
#[derive(Debug, Clone)]
pub enum Attempt {
    Succeeded(Actor),
    Failed(Actor),
    RefusedLocked(Actor),
}

/// Records an attempt on `account`: a success clears the failure count; a failure counts (the
/// tenth within the window starts a lockout, audited as `login.lockout`).
pub fn record_attempt(c: &mut DbConnection, account: &str, attempt: Attempt) -> AppResult<()> {
    write_tx(c, |c| match &attempt {
        Attempt::Succeeded(actor) => {
            throttle::reset(c, account)?;
            let id = actor.user_id().map(|id| id.to_string());
            audit::record(c, actor, "login.success", "user", id, None)
        }
        Attempt::RefusedLocked(actor) => audit::record(c, actor, "login.refused_locked", "user", None, None),
        Attempt::Failed(actor) => {
            let started = throttle::record_failure(c, account)?;
            audit::record(c, actor, "login.failure", "user", None, None)?;
            if started {
                audit::record(c, actor, "login.lockout", "user", None, None)?;
            }
            Ok(())
        }
    })
}

/// Records a sign-out; answers where a customer's app settings send people afterwards.
pub fn sign_out(c: &mut DbConnection, actor: &Actor, user: &User) -> AppResult<Option<String>> {
    write_tx(c, |c| {
        audit::record(c, actor, "logout", "user", Some(user.id.to_string()), None)?;
        match user.customer_id {
            Some(customer) => Ok(crate::customers::model::effective_app_settings(c, customer)?.logout_url),
            None => Ok(None),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{audit_rows, each_backend};
    use crate::users::model::Role;

    #[test]
    fn failures_count_and_the_tenth_locks() {
        each_backend(|c| {
            let ann = User::for_tests(c, "ann@acme.example", Role::Admin, None);
            let uid = ann.id;
            let anon = Actor::anonymous("ann@acme.example", Some("192.0.2.1".into()));
            for _ in 0..throttle::MAX_FAILURES {
                record_attempt(c, "ann@acme.example", Attempt::Failed(anon.clone())).unwrap();
            }
            assert!(throttle::is_locked(c, "ann@acme.example").unwrap());
            assert_eq!(audit_rows(c, "login.failure").len(), 10);
            assert_eq!(audit_rows(c, "login.lockout").len(), 1);
            record_attempt(c, "ann@acme.example", Attempt::RefusedLocked(anon)).unwrap();
            assert_eq!(audit_rows(c, "login.refused_locked").len(), 1);
            record_attempt(c, "ann@acme.example", Attempt::Succeeded(Actor::user(&ann, None))).unwrap();
            assert!(!throttle::is_locked(c, "ann@acme.example").unwrap(), "a success clears the count");
            assert_eq!(audit_rows(c, "login.success"), vec![(Some(uid.to_string()), None)]);
            assert_eq!(sign_out(c, &Actor::user(&ann, None), &ann).unwrap(), None);
            assert_eq!(audit_rows(c, "logout").len(), 1);
        });
    }
}
