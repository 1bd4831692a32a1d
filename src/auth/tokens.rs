//! Personal API tokens: `ptk_` + 256 random bits, stored as SHA-256, shown once. People create
//! and revoke their own ([`issue`], [`revoke`]); each is audited.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::audit::{self, Actor};
use crate::auth::sessions::{hash_key, random_token};
use crate::db::paging::{self, Page, Window};
use crate::db::schema::api_tokens;
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult};
use crate::users::User;

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
        let id = crate::with_conn!(conn, |c| diesel::insert_into(api_tokens::table)
            .values((
                api_tokens::user_id.eq(user_id),
                api_tokens::name.eq(name),
                api_tokens::token_hash.eq(&hash),
                api_tokens::hint.eq(&hint),
                api_tokens::created_at.eq(crate::now()),
            ))
            .returning(api_tokens::id)
            .get_result(c))?;
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

    /// A user's tokens, newest first.
    pub fn list_for_user(conn: &mut DbConnection, user_id: i64) -> AppResult<Vec<ApiToken>> {
        Ok(ApiToken::page_of_user(conn, user_id, &[], (TokenSort::CreatedAt, false), Window::new(0, i64::MAX), false)?
            .rows)
    }

    /// One window of a user's tokens (`ids` empty: all of them); a token never used sorts
    /// before every used one.
    pub fn page_of_user(
        conn: &mut DbConnection,
        user_id: i64,
        ids: &[i64],
        sort: (TokenSort, bool),
        w: Window,
        with_total: bool,
    ) -> AppResult<Page<ApiToken>> {
        use api_tokens as t;
        let build = || {
            let mut q = t::table.filter(t::user_id.eq(user_id)).select(ApiToken::as_select()).into_boxed();
            if !ids.is_empty() {
                q = q.filter(t::id.eq_any(ids.to_vec()));
            }
            let asc = sort.1;
            match sort.0 {
                TokenSort::Id => crate::order_by!(q, asc, t::id),
                TokenSort::Name => crate::order_by!(q, asc, t::name, t::id),
                TokenSort::CreatedAt => crate::order_by!(q, asc, t::created_at, t::id),
                TokenSort::LastUsedAt => {
                    crate::order_by!(q, asc, t::last_used_at.is_not_null(), t::last_used_at, t::id)
                }
            }
        };
        Ok(paging::page(conn, build, w, with_total)?)
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

/// Sort orders of a user's token list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSort {
    Id,
    Name,
    CreatedAt,
    LastUsedAt,
}

/// A token just made, with its secret (shown this once).
#[derive(Debug, Clone)]
pub struct Issued {
    pub token: ApiToken,
    pub secret: String,
}

/// Makes a personal API token for `owner` (a name of 1 to 100 characters).
pub fn issue(c: &mut DbConnection, actor: &Actor, owner: &User, name: &str) -> AppResult<Issued> {
    write_tx(c, |c| {
        let (id, secret) = ApiToken::create(c, owner.id, name)?;
        let token = api_tokens::table.find(id).select(ApiToken::as_select()).first(c)?;
        let diff = serde_json::json!({"user": {"after": owner.email}, "name": {"after": token.name}});
        audit::record(c, actor, "token.create", "api_token", Some(id.to_string()), Some(diff))?;
        Ok(Issued { token, secret })
    })
}

/// Revokes one of `user_id`'s tokens: it stops working at once. Someone else's token, or one
/// that is gone, is not found.
pub fn revoke(c: &mut DbConnection, actor: &Actor, user_id: i64, id: i64) -> AppResult<()> {
    write_tx(c, |c| {
        if !ApiToken::revoke(c, user_id, id)? {
            return Err(AppError::NotFound);
        }
        audit::record(c, actor, "token.revoke", "api_token", Some(id.to_string()), None)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{audit_rows, each_backend};
    use crate::users::model::Role;

    #[test]
    fn tokens_are_issued_listed_and_revoked_by_their_owner() {
        each_backend(|c| {
            let ann = User::for_tests(c, "ann@op.example", Role::Admin, None);
            let bob = User::for_tests(c, "bob@op.example", Role::Manager, None).id;
            let actor = Actor::user(&ann, Some("192.0.2.9".into()));
            assert!(matches!(issue(c, &actor, &ann, "  "), Err(AppError::Unprocessable(..))));
            let first = issue(c, &actor, &ann, " ci ").unwrap();
            assert!(first.secret.starts_with(PREFIX) && first.token.name == "ci");
            assert_eq!(ApiToken::authenticate(c, &first.secret).unwrap(), Some(ann.id));
            issue(c, &actor, &ann, "billing").unwrap();
            let rows = audit_rows(c, "token.create");
            assert_eq!(
                rows[0],
                (
                    Some(first.token.id.to_string()),
                    Some(serde_json::json!({
                "user": {"after": "ann@op.example"}, "name": {"after": "ci"}}))
                )
            );
            let page =
                ApiToken::page_of_user(c, ann.id, &[], (TokenSort::Name, false), Window::new(0, 1), true).unwrap();
            assert_eq!((page.rows[0].name.as_str(), page.total), ("ci", Some(2)));
            assert!(matches!(revoke(c, &actor, bob, first.token.id), Err(AppError::NotFound)), "not bob's");
            revoke(c, &actor, ann.id, first.token.id).unwrap();
            assert_eq!(ApiToken::authenticate(c, &first.secret).unwrap(), None);
            assert!(matches!(revoke(c, &actor, ann.id, first.token.id), Err(AppError::NotFound)), "gone");
            assert_eq!(audit_rows(c, "token.revoke"), vec![(Some(first.token.id.to_string()), None)]);
            assert_eq!(ApiToken::list_for_user(c, ann.id).unwrap().len(), 1);
        });
    }
}
