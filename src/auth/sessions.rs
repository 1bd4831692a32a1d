//! Server-side sessions: rows in the `sessions` table (the actix-session store over them is
//! `http::session_store`). A person lists and ends their own sessions; a password change or a
//! disabled account ends them all.

use std::time::Duration;

use base64::Engine;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::audit::{self, Actor};
use crate::db::schema::sessions;
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult};

/// State keys this application keeps in a session.
pub mod keys {
    pub const USER_ID: &str = "uid";
    pub const HANDLE: &str = "sid";
    pub const CSRF: &str = "csrf";
    pub const FLASH: &str = "flash";
    pub const USER_AGENT: &str = "ua";
    pub const IP: &str = "ip";
    /// Whether the signed-in person has a second factor (for `PORTICO_REQUIRE_STAFF_2FA`).
    pub const SECOND_FACTOR: &str = "mfa";
    /// A half-done sign-in: the person whose password was right, waiting for the code.
    pub const PENDING_USER: &str = "mfa_user";
    /// When the password was given (Unix seconds): the code must follow within minutes.
    pub const PENDING_SINCE: &str = "mfa_since";
    pub const PENDING_NEXT: &str = "mfa_next";
    /// A secret shown on the enrolment page, until it is confirmed with a code.
    pub const TOTP_ENROL: &str = "mfa_enrol";
}

pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

pub fn hash_key(key: &str) -> String {
    let digest = Sha256::digest(key.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A session as listed to its owner.
#[derive(Debug, Clone, Queryable)]
pub struct SessionInfo {
    pub handle: String,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
}

pub fn list_user_sessions(conn: &mut DbConnection, user_id: i64, max_age: Duration) -> AppResult<Vec<SessionInfo>> {
    let now = crate::now();
    let oldest = now - chrono::Duration::from_std(max_age).unwrap_or_default();
    Ok(sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::expires_at.gt(now))
        .filter(sessions::created_at.gt(oldest))
        .order(sessions::last_seen_at.desc())
        .select((sessions::handle, sessions::user_agent, sessions::ip, sessions::created_at, sessions::last_seen_at))
        .load(conn)?)
}

/// Ends every session of a user, or every one but the session with handle `keep`.
pub fn end_user_sessions(conn: &mut DbConnection, user_id: i64, keep: Option<&str>) -> AppResult<usize> {
    let q = sessions::table.filter(sessions::user_id.eq(user_id));
    let n = match keep {
        Some(h) => diesel::delete(q.filter(sessions::handle.ne(h))).execute(conn)?,
        None => diesel::delete(q).execute(conn)?,
    };
    Ok(n)
}

/// Ends one session of a user by its handle. Returns false when there was none.
pub fn end_session(conn: &mut DbConnection, user_id: i64, handle: &str) -> AppResult<bool> {
    let n = diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id)).filter(sessions::handle.eq(handle)))
        .execute(conn)?;
    Ok(n > 0)
}

/// A person ends one of their own sessions (by its handle); someone else's, or one that is
/// gone, is not found.
pub fn end_own(c: &mut DbConnection, actor: &Actor, user_id: i64, handle: &str) -> AppResult<()> {
    write_tx(c, |c| {
        if !end_session(c, user_id, handle)? {
            return Err(AppError::NotFound);
        }
        audit::record(c, actor, "session.end", "user", Some(user_id.to_string()), None)
    })
}

/// Removes expired sessions and stale throttle rows. Run periodically by `serve`.
pub fn purge_expired(conn: &mut DbConnection, max_age: Duration) -> AppResult<usize> {
    let now = crate::now();
    let oldest = now - chrono::Duration::from_std(max_age).unwrap_or_default();
    let n = diesel::delete(sessions::table.filter(sessions::expires_at.le(now).or(sessions::created_at.le(oldest))))
        .execute(conn)?;
    crate::auth::throttle::purge_stale(conn)?;
    Ok(n)
}
