//! Operations the command line performs on users.

use crate::audit::{self, Actor};
use crate::auth::password;
use crate::auth::tokens::ApiToken;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::users::model::{Role, validate_email};
use crate::users::{NewUser, User};

/// Creates a staff administrator; refuses a weak password or a taken e-mail address.
pub fn create_admin(conn: &mut DbConnection, email: &str, pw: &str) -> AppResult<i64> {
    let email = validate_email(email).map_err(|m| AppError::field("email", m))?;
    password::check_policy(pw).map_err(|m| AppError::field("password", m))?;
    let mut nu = NewUser::new(&email, Role::Admin, None);
    nu.password_hash = Some(password::hash_blocking(pw)?);
    let id = nu.insert(conn)?;
    audit::record(
        conn,
        &Actor::system(),
        "user.create",
        "user",
        Some(id.to_string()),
        audit::diff(None, Some(&serde_json::json!({"email": email, "role": "admin"}))),
    )?;
    Ok(id)
}

/// Creates an API token for an existing, enabled user.
pub fn create_token(conn: &mut DbConnection, email: &str, name: &str) -> AppResult<String> {
    let user = User::find_by_email(conn, email)?
        .ok_or_else(|| AppError::field("email", format!("no user with e-mail {email}")))?;
    if user.disabled {
        return Err(AppError::field("email", "that user is disabled"));
    }
    let (id, secret) = ApiToken::create(conn, user.id, name)?;
    audit::record(
        conn,
        &Actor::system(),
        "token.create",
        "api_token",
        Some(id.to_string()),
        Some(serde_json::json!({"user": {"after": user.email}, "name": {"after": name}})),
    )?;
    Ok(secret)
}
