//! actix-session's `SessionStore` over the `sessions` table.
//!
//! The cookie carries only a random 256-bit key; the table stores its SHA-256, so a copy of the
//! database does not hand out live sessions. Idle expiry is `expires_at` (extended on every
//! request), absolute expiry is `created_at + max` (a login creates a fresh row).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration as CookieDuration;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::sessions::{hash_key, keys, random_token};
use crate::db::schema::sessions;
use crate::db::{DbConnection, Pool};

/// A session whose state did not change is touched (idle expiry pushed back) at most this often.
pub const TOUCH_EVERY: chrono::Duration = chrono::Duration::seconds(60);
/// Sessions whose last touch this node remembers; forgotten all at once beyond this many.
const SEEN_CAPACITY: usize = 100_000;

#[derive(Clone)]
pub struct DbSessionStore {
    pool: Pool,
    max_age: Duration,
    /// When each session (by stored id) was last touched, as this node last read or wrote it:
    /// `update_ttl` writes only when that is older than [`TOUCH_EVERY`]. Read fresh from the
    /// row by every `load`, so a touch by another node counts too.
    seen: Arc<Mutex<HashMap<String, NaiveDateTime>>>,
}

impl DbSessionStore {
    pub fn new(pool: Pool, max_age: Duration) -> Self {
        DbSessionStore { pool, max_age, seen: Arc::new(Mutex::new(HashMap::new())) }
    }

    fn remember(&self, id: &str, at: NaiveDateTime) {
        if let Ok(mut seen) = self.seen.lock() {
            if seen.len() >= SEEN_CAPACITY {
                seen.clear();
            }
            seen.insert(id.to_string(), at);
        }
    }

    fn recently_touched(&self, id: &str, now: NaiveDateTime) -> bool {
        self.seen.lock().ok().and_then(|s| s.get(id).copied()).is_some_and(|t| now - t < TOUCH_EVERY)
    }
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = sessions)]
struct SessionRow {
    id: String,
    handle: String,
    user_id: Option<i64>,
    state: String,
    user_agent: Option<String>,
    ip: Option<String>,
    created_at: NaiveDateTime,
    last_seen_at: NaiveDateTime,
    expires_at: NaiveDateTime,
}

fn state_value<T: serde::de::DeserializeOwned>(state: &HashMap<String, String>, key: &str) -> Option<T> {
    state.get(key).and_then(|v| serde_json::from_str(v).ok())
}

fn ttl_to_chrono(ttl: &CookieDuration) -> chrono::Duration {
    chrono::Duration::seconds(ttl.whole_seconds().max(1))
}

fn row_from_state(
    id: String,
    state: &HashMap<String, String>,
    ttl: &CookieDuration,
) -> Result<SessionRow, serde_json::Error> {
    let now = crate::now();
    Ok(SessionRow {
        id,
        handle: state_value::<String>(state, keys::HANDLE).unwrap_or_else(|| random_token(12)),
        user_id: state_value::<i64>(state, keys::USER_ID),
        state: serde_json::to_string(state)?,
        user_agent: state_value::<String>(state, keys::USER_AGENT).map(|s| s.chars().take(300).collect()),
        ip: state_value::<String>(state, keys::IP),
        created_at: now,
        last_seen_at: now,
        expires_at: now + ttl_to_chrono(ttl),
    })
}

async fn blocking<T: Send + 'static>(
    pool: &Pool,
    f: impl FnOnce(&mut DbConnection) -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    let pool = pool.clone();
    actix_web::web::block(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await?
}

fn insert_new(
    conn: &mut DbConnection,
    state: &HashMap<String, String>,
    ttl: &CookieDuration,
) -> anyhow::Result<String> {
    let key = random_token(32);
    let row = row_from_state(hash_key(&key), state, ttl)?;
    diesel::insert_into(sessions::table).values(&row).execute(conn)?;
    Ok(key)
}

impl SessionStore for DbSessionStore {
    async fn load(&self, session_key: &SessionKey) -> Result<Option<HashMap<String, String>>, LoadError> {
        let id = hash_key(session_key.as_ref());
        let oldest = crate::now() - chrono::Duration::from_std(self.max_age).unwrap_or_default();
        let read = |key: String| {
            blocking(&self.pool, move |conn| {
                Ok(sessions::table
                    .filter(sessions::id.eq(key))
                    .filter(sessions::expires_at.gt(crate::now()))
                    .filter(sessions::created_at.gt(oldest))
                    .select((sessions::state, sessions::last_seen_at))
                    .first::<(String, NaiveDateTime)>(conn)
                    .optional()?)
            })
        };
        // Read once more when the statement failed (the connection it failed on is tested, and
        // dropped if it lost its server, before it is handed out again): after a database
        // restart the page then loads instead of failing.
        let row: Option<(String, NaiveDateTime)> = match read(id.clone()).await {
            Ok(row) => row,
            // A statement failed (not the pool's wait for a connection, which is not repeated).
            Err(e) if e.downcast_ref::<diesel::result::Error>().is_some() => {
                read(id.clone()).await.map_err(LoadError::Other)?
            }
            Err(e) => return Err(LoadError::Other(e)),
        };
        match row {
            None => Ok(None),
            Some((s, seen)) => {
                self.remember(&id, seen);
                serde_json::from_str(&s).map(Some).map_err(|e| LoadError::Deserialization(e.into()))
            }
        }
    }

    async fn save(
        &self,
        session_state: HashMap<String, String>,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, SaveError> {
        let ttl = *ttl;
        let key =
            blocking(&self.pool, move |conn| insert_new(conn, &session_state, &ttl)).await.map_err(SaveError::Other)?;
        SessionKey::try_from(key).map_err(|e| SaveError::Other(e.into()))
    }

    async fn update(
        &self,
        session_key: SessionKey,
        mut session_state: HashMap<String, String>,
        ttl: &CookieDuration,
    ) -> Result<SessionKey, UpdateError> {
        let ttl = *ttl;
        let id = hash_key(session_key.as_ref());
        let oldest = crate::now() - chrono::Duration::from_std(self.max_age).unwrap_or_default();
        let new_key = blocking(&self.pool, move |conn| {
            let row = row_from_state(id.clone(), &session_state, &ttl)?;
            let n = diesel::update(
                sessions::table
                    .filter(sessions::id.eq(&id))
                    .filter(sessions::expires_at.gt(crate::now()))
                    .filter(sessions::created_at.gt(oldest)),
            )
            .set((
                sessions::state.eq(&row.state),
                sessions::user_id.eq(row.user_id),
                sessions::handle.eq(&row.handle),
                sessions::user_agent.eq(&row.user_agent),
                sessions::ip.eq(&row.ip),
                sessions::last_seen_at.eq(row.last_seen_at),
                sessions::expires_at.eq(row.expires_at),
            ))
            .execute(conn)?;
            if n == 1 {
                return Ok(None);
            }
            // The row was ended meanwhile (logout elsewhere, password change, expiry): never
            // resurrect the login, keep only what an anonymous visitor may have.
            session_state.retain(|k, _| k == keys::CSRF || k == keys::FLASH);
            Ok(Some(insert_new(conn, &session_state, &ttl)?))
        })
        .await
        .map_err(UpdateError::Other)?;
        match new_key {
            None => Ok(session_key),
            Some(k) => SessionKey::try_from(k).map_err(|e| UpdateError::Other(e.into())),
        }
    }

    /// Pushes the idle expiry back — at most once per [`TOUCH_EVERY`] per session, so that reading
    /// pages writes (almost) nothing.
    async fn update_ttl(&self, session_key: &SessionKey, ttl: &CookieDuration) -> Result<(), anyhow::Error> {
        let id = hash_key(session_key.as_ref());
        let now = crate::now();
        if self.recently_touched(&id, now) {
            return Ok(());
        }
        let ttl = ttl_to_chrono(ttl);
        let key = id.clone();
        blocking(&self.pool, move |conn| {
            diesel::update(sessions::table.filter(sessions::id.eq(key)).filter(sessions::expires_at.gt(now)))
                .set((sessions::last_seen_at.eq(now), sessions::expires_at.eq(now + ttl)))
                .execute(conn)?;
            Ok(())
        })
        .await?;
        self.remember(&id, now);
        Ok(())
    }

    async fn delete(&self, session_key: &SessionKey) -> Result<(), anyhow::Error> {
        let id = hash_key(session_key.as_ref());
        blocking(&self.pool, move |conn| {
            diesel::delete(sessions::table.filter(sessions::id.eq(id))).execute(conn)?;
            Ok(())
        })
        .await
    }
}
