//! Operations the command line performs on users: the same commands the pages call, as the
//! system.

use crate::audit::Actor;
use crate::auth::tokens;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::users::User;
use crate::users::commands::{self, NewUserInput, ReadyNewUser};
use crate::users::{UserKind, model::Role};

/// Creates a staff administrator; refuses a weak password or a taken e-mail address.
pub fn create_admin(conn: &mut DbConnection, email: &str, pw: &str) -> AppResult<i64> {
    let input = NewUserInput {
        email: email.to_string(),
        role: Role::Admin.as_str().to_string(),
        password: Some(pw.to_string()),
        ..Default::default()
    };
    let ready = ReadyNewUser::hashed_blocking(input.check(UserKind::Staff)?)?;
    Ok(commands::create(conn, &Actor::system(), None, ready)?.user.id)
}

/// Creates an API token for an existing, enabled user.
pub fn create_token(conn: &mut DbConnection, email: &str, name: &str) -> AppResult<String> {
    let user = User::find_by_email(conn, email)?
        .ok_or_else(|| AppError::field("email", format!("no user with e-mail {email}")))?;
    if user.disabled {
        return Err(AppError::field("email", "that user is disabled"));
    }
    Ok(tokens::issue(conn, &Actor::system(), &user, name)?.secret)
}
