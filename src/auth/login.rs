//! Signing in and out (SPEC §7, §12, §14): every attempt is counted (per account and per client
//! address, see [`throttle`]) BEFORE the password or code is checked, so no flood gets more
//! checks than the limits allow; the password check runs off the async workers; every attempt
//! leaves its audit row (success, failure, the failure that starts a lockout, an attempt refused
//! while locked, the first attempt refused for its address) and its metrics.
//!
//! Counting an attempt holds a database connection, and every attempt from one address waits
//! on the row lock of that address's counter. So that a flood of sign-ins cannot take the whole
//! pool (and every other page with it), at most [`counting_slots`] attempts count at once on a
//! node; the others wait for a slot without holding a connection, as long as any request may
//! wait for a connection (`PORTICO_DB_TIMEOUT_SECONDS`), and are then answered 503 with
//! `Retry-After`, nothing counted.

use std::sync::OnceLock;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::audit::{self, Actor};
use crate::auth::throttle::{self, Admission};
use crate::auth::{hasher, password, totp};
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
    /// The right password (and second factor) of an enabled person.
    Ok(User),
    /// The right password of a person with a second factor: the code is asked next.
    SecondFactor(User),
    /// Wrong password or code, unknown address or disabled person: all look the same.
    Failed,
    /// Refused before checking: the account is locked, or the client address is over its limit
    /// (even the right password is refused).
    Locked,
}

/// The throttle's key for an address: normalised, at most 254 characters.
pub fn account_of(email: &str) -> String {
    normalize_email(email).chars().take(254).collect()
}

/// How many sign-in attempts may count at once with a pool of `pool_size` connections: a
/// quarter of the pool, at least one.
pub fn counting_slots(pool_size: u32) -> usize {
    (pool_size as usize / 4).max(1)
}

/// Slots for counting attempts, and how long an attempt waits for one.
struct Counting {
    slots: Semaphore,
    wait: Duration,
}

impl Counting {
    fn new(slots: usize, wait: Duration) -> Counting {
        Counting { slots: Semaphore::new(slots), wait }
    }

    /// Runs `f` (the counting of an attempt) on the pool once a slot is free; 503 when none
    /// frees up in time (and `f` does not run).
    async fn run<T: Send + 'static>(
        &self,
        pool: &Pool,
        f: impl FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    ) -> AppResult<T> {
        let Some(_slot) = hasher::enter(&self.slots, self.wait).await else {
            metrics::counter!("portico_login_refused_total", "reason" => "busy").increment(1);
            return Err(hasher::busy());
        };
        crate::db::run(pool, f).await
    }
}

/// This process's counting slots.
static COUNTING: OnceLock<Counting> = OnceLock::new();

/// Sizes the counting slots for the configured pool, with the pool's connection timeout as
/// the wait (once per process; later calls keep the first).
pub fn init(pool_size: u32, wait: Duration) {
    let _ = COUNTING.get_or_init(|| Counting::new(counting_slots(pool_size), wait));
}

async fn counted<T: Send + 'static>(
    pool: &Pool,
    f: impl FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    COUNTING.get_or_init(|| Counting::new(counting_slots(10), Duration::from_secs(5))).run(pool, f).await
}

/// Counts the attempt and, when admitted, finds the person; records a refusal.
fn admit(
    c: &mut DbConnection,
    account: &str,
    actor: &Actor,
    ip_limit: u32,
) -> AppResult<Result<Option<(User, bool)>, ()>> {
    write_tx(c, |c| match throttle::admit(c, account, actor.ip.as_deref(), ip_limit)? {
        Admission::Admitted => {
            let user = User::find_by_email(c, account)?;
            let with_factor = match &user {
                Some(u) => totp::is_enabled(c, u.id)?,
                None => false,
            };
            Ok(Ok(user.map(|u| (u, with_factor))))
        }
        Admission::AccountLocked => {
            metrics::counter!("portico_login_refused_total", "reason" => "account").increment(1);
            audit::record(c, actor, "login.refused_locked", "user", None, None)?;
            Ok(Err(()))
        }
        Admission::AddressLimited { first } => {
            metrics::counter!("portico_login_refused_total", "reason" => "address").increment(1);
            // One row when an address crosses its limit, not one per refused request.
            if first {
                audit::record(c, actor, "login.address_limited", "address", actor.ip.clone(), None)?;
            }
            Ok(Err(()))
        }
    })
}

/// One password attempt from `ip`, with its audit rows.
pub async fn sign_in(pool: &Pool, email: &str, given: String, ip: Option<String>, ip_limit: u32) -> AppResult<SignIn> {
    let account = account_of(email);
    let anon = Actor::anonymous(account.clone(), ip.clone());
    let (acc, a) = (account.clone(), anon.clone());
    let admitted = counted(pool, move |c| admit(c, &acc, &a, ip_limit)).await?;
    let Ok(found) = admitted else { return Ok(SignIn::Locked) };
    let too_long = given.len() > LONGEST_TRIED;
    let hash = found.as_ref().and_then(|(u, _)| u.password_hash.clone());
    let ok = password::verify(if too_long { String::new() } else { given }, hash).await? && !too_long;
    let outcome = match found {
        Some((u, true)) if ok && !u.disabled => SignIn::SecondFactor(u),
        Some((u, false)) if ok && !u.disabled => SignIn::Ok(u),
        _ => SignIn::Failed,
    };
    let record = match &outcome {
        SignIn::Ok(u) => Attempt::Succeeded(Actor::user(u, ip)),
        SignIn::SecondFactor(u) => Attempt::PasswordOk(Actor::user(u, ip)),
        _ => Attempt::Failed(anon),
    };
    crate::db::run(pool, move |c| record_attempt(c, &account, record)).await?;
    Ok(outcome)
}

/// The second step of a sign-in with a second factor: `code` (a current TOTP code or an unused
/// recovery code) for the person whose password was right. Counted and throttled like a
/// password attempt; no hashing is involved, so it runs in one transaction.
pub async fn second_factor(
    pool: &Pool,
    user_id: i64,
    code: String,
    ip: Option<String>,
    ip_limit: u32,
) -> AppResult<SignIn> {
    counted(pool, move |c| {
        let Some(user) = User::find(c, user_id)?.filter(|u| !u.disabled) else { return Ok(SignIn::Failed) };
        let account = account_of(&user.email);
        let actor = Actor::user(&user, ip.clone());
        if admit(c, &account, &actor, ip_limit)?.is_err() {
            return Ok(SignIn::Locked);
        }
        write_tx(c, |c| {
            let used = totp::use_code(c, user.id, &code)?;
            if used == totp::Code::Wrong {
                failure(c, &account, &actor, "login.2fa_failure")?;
                return Ok(SignIn::Failed);
            }
            throttle::succeeded(c, &account, actor.ip.as_deref())?;
            let how = if used == totp::Code::Recovery { "recovery_code" } else { "totp" };
            let diff = serde_json::json!({ "secondFactor": how });
            audit::record(c, &actor, "login.success", "user", Some(user.id.to_string()), Some(diff))?;
            Ok(SignIn::Ok(user))
        })
    })
    .await
}

/// A signed-in person proves it is them (to remove their second factor): their current
/// password, or a code of their second factor. Counted and throttled like a sign-in.
pub async fn confirm_person(
    pool: &Pool,
    user: &User,
    password: String,
    code: String,
    ip: Option<String>,
    ip_limit: u32,
) -> AppResult<bool> {
    let account = account_of(&user.email);
    let actor = Actor::user(user, ip);
    let (acc, a) = (account.clone(), actor.clone());
    if counted(pool, move |c| admit(c, &acc, &a, ip_limit)).await?.is_err() {
        return Ok(false);
    }
    let ok = if !code.trim().is_empty() {
        let uid = user.id;
        crate::db::run(pool, move |c| Ok(totp::use_code(c, uid, &code)? != totp::Code::Wrong)).await?
    } else {
        let too_long = password.len() > LONGEST_TRIED;
        let hash = user.password_hash.clone();
        password::verify(if too_long { String::new() } else { password }, hash).await? && !too_long
    };
    crate::db::run(pool, move |c| {
        write_tx(c, |c| {
            if ok {
                throttle::succeeded(c, &account, actor.ip.as_deref())
            } else {
                failure(c, &account, &actor, "login.confirm_failure")
            }
        })
    })
    .await?;
    Ok(ok)
}

/// What an attempt writes.
#[derive(Debug, Clone)]
pub enum Attempt {
    Succeeded(Actor),
    /// The password was right; the second factor is still to come (the count stays until then).
    PasswordOk(Actor),
    Failed(Actor),
}

fn failure(c: &mut DbConnection, account: &str, actor: &Actor, action: &str) -> AppResult<()> {
    metrics::counter!("portico_login_failures_total").increment(1);
    audit::record(c, actor, action, "user", None, None)?;
    if throttle::failed(c, account)? {
        metrics::counter!("portico_login_lockouts_total").increment(1);
        audit::record(c, actor, "login.lockout", "user", None, None)?;
    }
    Ok(())
}

/// Records the outcome of an admitted attempt on `account`: a success clears the count; a
/// failure keeps it (the tenth within the window starts a lockout, audited as `login.lockout`).
pub fn record_attempt(c: &mut DbConnection, account: &str, attempt: Attempt) -> AppResult<()> {
    write_tx(c, |c| match &attempt {
        Attempt::Succeeded(actor) => {
            throttle::succeeded(c, account, actor.ip.as_deref())?;
            let id = actor.user_id().map(|id| id.to_string());
            audit::record(c, actor, "login.success", "user", id, None)
        }
        Attempt::PasswordOk(actor) => {
            // The address gets this attempt back; the account's count waits for the code.
            if let Some(ip) = actor.ip.as_deref() {
                throttle::uncount(c, &throttle::ip_key(ip))?;
            }
            let id = actor.user_id().map(|id| id.to_string());
            audit::record(c, actor, "login.password_ok", "user", id, None)
        }
        Attempt::Failed(actor) => failure(c, account, actor, "login.failure"),
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
    use diesel::prelude::*;

    use super::*;
    use crate::db::testing::{audit_rows, each_backend, each_backend_pool};
    use crate::users::model::Role;

    #[test]
    fn failures_count_and_the_tenth_locks() {
        each_backend(|c| {
            let ann = User::for_tests(c, "ann@acme.example", Role::Admin, None);
            let uid = ann.id;
            let anon = Actor::anonymous("ann@acme.example", Some("192.0.2.1".into()));
            for _ in 0..throttle::MAX_FAILURES {
                assert!(admit(c, "ann@acme.example", &anon, 50).unwrap().is_ok());
                record_attempt(c, "ann@acme.example", Attempt::Failed(anon.clone())).unwrap();
            }
            assert!(throttle::is_locked(c, "ann@acme.example").unwrap());
            assert_eq!(audit_rows(c, "login.failure").len(), 10);
            assert_eq!(audit_rows(c, "login.lockout").len(), 1);
            assert!(admit(c, "ann@acme.example", &anon, 50).unwrap().is_err());
            assert_eq!(audit_rows(c, "login.refused_locked").len(), 1);
            record_attempt(c, "ann@acme.example", Attempt::Succeeded(Actor::user(&ann, None))).unwrap();
            assert!(!throttle::is_locked(c, "ann@acme.example").unwrap(), "a success clears the count");
            assert_eq!(audit_rows(c, "login.success"), vec![(Some(uid.to_string()), None)]);
            assert_eq!(sign_out(c, &Actor::user(&ann, None), &ann).unwrap(), None);
            assert_eq!(audit_rows(c, "logout").len(), 1);
        });
    }

    /// Attempts count one slot at a time: parallel ones wait their turn (all counted), and one
    /// that finds no free slot within the wait is refused with 503 and counts nothing.
    #[test]
    fn attempts_wait_for_a_counting_slot_and_are_refused_beyond_the_wait() {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};

        use crate::error::AppError;

        each_backend_pool(|pool| async move {
            // A wait long enough for all six to count one after the other.
            let counting = Counting::new(1, Duration::from_secs(30));
            let (now, peak) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
            let attempts = (0..6).map(|i| {
                let (now, peak) = (now.clone(), peak.clone());
                counting.run(&pool, move |c| {
                    peak.fetch_max(now.fetch_add(1, Ordering::SeqCst) + 1, Ordering::SeqCst);
                    let account = format!("p{i}@acme.example");
                    let anon = Actor::anonymous(account.clone(), Some("192.0.2.7".into()));
                    let admitted = admit(c, &account, &anon, 50);
                    now.fetch_sub(1, Ordering::SeqCst);
                    admitted
                })
            });
            for done in futures_util::future::join_all(attempts).await {
                assert!(matches!(done, Ok(Ok(None))), "each unknown address counted and admitted");
            }
            assert_eq!(peak.load(Ordering::SeqCst), 1, "never two at once");
            let mut c = pool.get().unwrap();
            let counted: i32 = crate::db::schema::rate_counters::table
                .find(throttle::ip_key("192.0.2.7"))
                .select(crate::db::schema::rate_counters::count)
                .first(&mut **c)
                .unwrap();
            assert_eq!(counted, 6, "all six counted against the address");

            let short = Counting::new(1, Duration::from_millis(200));
            let held = short.slots.acquire().await.unwrap();
            let anon = Actor::anonymous("late@acme.example", Some("192.0.2.8".into()));
            let refused = short.run(&pool, move |c| admit(c, "late@acme.example", &anon, 50)).await;
            assert!(matches!(refused, Err(AppError::Unavailable(_))), "no slot within the wait: 503");
            drop(held);
            let rows: i64 = crate::db::schema::login_throttle::table
                .filter(crate::db::schema::login_throttle::account.eq("late@acme.example"))
                .count()
                .get_result(&mut **c)
                .unwrap();
            assert_eq!(rows, 0, "the refused attempt counted nothing");
        });
    }
}
