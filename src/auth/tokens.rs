//! Personal API tokens: `ptk_` + 256 random bits, stored as SHA-256, shown once.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::sessions::{hash_key, random_token};
use crate::db::DbConnection;
use crate::db::schema::api_tokens;
use crate::error::{AppError, AppResult};

pub const PREFIX: &str = "ptk_";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub token_hash: String,
    pub hint: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
}

impl ApiToken {
    /// Creates a token; returns its row id and the secret, which is never stored.
    pub fn create(conn: &mut DbConnection, user_id: i64, name: &str) -> AppResult<(i64, String)> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::field("name", "Give the token a name of 1 to 100 characters."));
        }
        let secret = format!("{PREFIX}{}", random_token(32));
        let hash = hash_key(&secret);
        let hint = format!("{}…{}", &secret[..8], &secret[secret.len() - 4..]);
        diesel::insert_into(api_tokens::table)
            .values((
                api_tokens::user_id.eq(user_id),
                api_tokens::name.eq(name),
                api_tokens::token_hash.eq(&hash),
                api_tokens::hint.eq(hint),
                api_tokens::created_at.eq(crate::now()),
            ))
            .execute(conn)?;
        let id = api_tokens::table.filter(api_tokens::token_hash.eq(&hash)).select(api_tokens::id).first(conn)?;
        Ok((id, secret))
    }

    /// Finds the user id of a presented token and records its use.
    pub fn authenticate(conn: &mut DbConnection, secret: &str) -> AppResult<Option<i64>> {
        if !secret.starts_with(PREFIX) || secret.len() > 200 {
            return Ok(None);
        }
        let hash = hash_key(secret);
        let found: Option<(i64, i64, Option<NaiveDateTime>)> = api_tokens::table
            .filter(api_tokens::token_hash.eq(&hash))
            .select((api_tokens::id, api_tokens::user_id, api_tokens::last_used_at))
            .first(conn)
            .optional()?;
        let Some((id, user_id, last)) = found else {
            return Ok(None);
        };
        let now = crate::now();
        // Record use at most once a minute per token to keep reads cheap.
        if last.is_none_or(|t| now - t > chrono::Duration::minutes(1)) {
            diesel::update(api_tokens::table.find(id)).set(api_tokens::last_used_at.eq(now)).execute(conn)?;
        }
        Ok(Some(user_id))
    }

    pub fn list_for_user(conn: &mut DbConnection, user_id: i64) -> AppResult<Vec<ApiToken>> {
        Ok(api_tokens::table
            .filter(api_tokens::user_id.eq(user_id))
            .order(api_tokens::created_at.desc())
            .select(ApiToken::as_select())
            .load(conn)?)
    }

    /// Revokes one of the user's tokens; false when the user has no such token.
    pub fn revoke(conn: &mut DbConnection, user_id: i64, id: i64) -> AppResult<bool> {
        let n = diesel::delete(api_tokens::table.filter(api_tokens::id.eq(id)).filter(api_tokens::user_id.eq(user_id)))
            .execute(conn)?;
        Ok(n > 0)
    }

    pub fn revoke_all(conn: &mut DbConnection, user_id: i64) -> AppResult<usize> {
        Ok(diesel::delete(api_tokens::table.filter(api_tokens::user_id.eq(user_id))).execute(conn)?)
    }
}
