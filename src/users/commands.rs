//! The commands that change people: create (with an initial password or an invitation), change
//! role, disable and enable, reset the password. Each validates, writes and records its audit
//! row in one transaction; passwords arrive already hashed (hashing never runs inside a
//! transaction: see [`NewUserInput::check`] and [`CheckedNewUser::hashed`]).

use crate::audit::{self, Actor};
use crate::auth::password;
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, FieldError};
use crate::users::invitations;
use crate::users::model::{Role, validate_email};
use crate::users::{NewUser, User, UserKind};

/// A new person as a form or the API gives it.
#[derive(Debug, Clone, Default)]
pub struct NewUserInput {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: String,
    /// An initial password; without one an invitation link is made.
    pub password: Option<String>,
}

/// A new person whose fields passed every check that needs no database.
#[derive(Debug, Clone)]
pub struct CheckedNewUser {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    password: Option<String>,
}

/// A new person ready to be stored: the password (if any) is hashed.
#[derive(Debug, Clone)]
pub struct ReadyNewUser {
    user: CheckedNewUser,
    password_hash: Option<String>,
}

impl NewUserInput {
    /// Every field check at once (e-mail, role of `kind`, name lengths, password policy).
    pub fn check(self, kind: UserKind) -> AppResult<CheckedNewUser> {
        let mut e = Vec::new();
        let email = validate_email(&self.email).unwrap_or_else(|m| {
            e.push(FieldError::new("email", m));
            String::new()
        });
        let role = Role::parse(kind, self.role.trim());
        if role.is_none() {
            let allowed = if kind == UserKind::Staff { "admin, manager" } else { "administrator, developer, user" };
            e.push(FieldError::new("role", format!("Choose a role: {allowed}.")));
        }
        for (f, v) in [("firstName", &self.first_name), ("lastName", &self.last_name)] {
            if v.trim().chars().count() > 100 {
                e.push(FieldError::new(f, "At most 100 characters."));
            }
        }
        if let Some(p) = &self.password
            && let Err(m) = password::check_policy(p)
        {
            e.push(FieldError::new("password", m));
        }
        match (e.is_empty(), role) {
            (true, Some(role)) => Ok(CheckedNewUser {
                email,
                first_name: self.first_name.trim().into(),
                last_name: self.last_name.trim().into(),
                role,
                password: self.password,
            }),
            _ => Err(AppError::Unprocessable(e[0].message.clone(), e)),
        }
    }
}

impl CheckedNewUser {
    /// Hashes the initial password, if any (on the hashing threads, outside any transaction).
    pub async fn hashed(self) -> AppResult<ReadyNewUser> {
        let password_hash = match &self.password {
            Some(p) => Some(password::hash(p.clone()).await?),
            None => None,
        };
        Ok(ReadyNewUser { user: CheckedNewUser { password: None, ..self }, password_hash })
    }
}

impl ReadyNewUser {
    /// For the command line, which has no async runtime: hashes on the calling thread.
    pub fn hashed_blocking(user: CheckedNewUser) -> AppResult<ReadyNewUser> {
        let password_hash = user.password.as_deref().map(password::hash_blocking).transpose()?;
        Ok(ReadyNewUser { user: CheckedNewUser { password: None, ..user }, password_hash })
    }
}

/// A created person and, when no password was given, the token of their invitation.
#[derive(Debug, Clone)]
pub struct Created {
    pub user: User,
    pub invitation: Option<String>,
}

/// Creates a user of `customer`, or a staff member when `customer` is `None`.
pub fn create(c: &mut DbConnection, actor: &Actor, customer: Option<i64>, new: ReadyNewUser) -> AppResult<Created> {
    let u = new.user;
    write_tx(c, |c| {
        let mut nu = NewUser::new(&u.email, u.role, customer);
        nu.first_name = u.first_name.clone();
        nu.last_name = u.last_name.clone();
        nu.password_hash = new.password_hash.clone();
        let id = nu.insert(c)?;
        let invitation = if nu.password_hash.is_none() { Some(invitations::invite(c, id)?) } else { None };
        let after = serde_json::json!({"email": u.email, "role": u.role.as_str(), "customerId": customer});
        audit::record(c, actor, "user.create", "user", Some(id.to_string()), audit::diff(None, Some(&after)))?;
        Ok(Created { user: User::find(c, id)?.ok_or(AppError::NotFound)?, invitation })
    })
}

/// A person of `customer` (`None`: a staff member), else not found.
pub fn get_of(c: &mut DbConnection, customer: Option<i64>, id: i64) -> AppResult<User> {
    User::find(c, id)?
        .filter(|u| u.customer_id == customer && u.is_staff() == customer.is_none())
        .ok_or(AppError::NotFound)
}

/// Changes the role of a person (a customer role for customer users, a staff role for staff).
pub fn set_role(c: &mut DbConnection, actor: &Actor, customer: Option<i64>, id: i64, role: Role) -> AppResult<User> {
    write_tx(c, |c| {
        let before = get_of(c, customer, id)?;
        if Role::parse(before.kind, role.as_str()).is_none() {
            return Err(AppError::field("role", "That role is not one of this person's kind."));
        }
        User::set_role(c, id, role)?;
        let diff = serde_json::json!({"role": {"before": before.role.as_str(), "after": role.as_str()}});
        audit::record(c, actor, "user.role", "user", Some(id.to_string()), Some(diff))?;
        get_of(c, customer, id)
    })
}

/// Disables (ending their sessions and revoking their tokens) or enables a person.
pub fn set_disabled(
    c: &mut DbConnection,
    actor: &Actor,
    customer: Option<i64>,
    id: i64,
    disabled: bool,
) -> AppResult<User> {
    if disabled && actor.user_id() == Some(id) {
        return Err(AppError::Forbidden("You cannot disable yourself.".into()));
    }
    write_tx(c, |c| {
        let before = get_of(c, customer, id)?;
        User::set_disabled(c, id, disabled)?;
        let action = if disabled { "user.disable" } else { "user.enable" };
        let diff = serde_json::json!({"disabled": {"before": before.disabled, "after": disabled}});
        audit::record(c, actor, action, "user", Some(id.to_string()), Some(diff))?;
        get_of(c, customer, id)
    })
}

/// Resets a person's password: the old one stops working, their sessions end, and a fresh
/// invitation lets them choose a new one. Returns the invitation token.
pub fn reset_password(c: &mut DbConnection, actor: &Actor, customer: Option<i64>, id: i64) -> AppResult<String> {
    write_tx(c, |c| {
        get_of(c, customer, id)?;
        User::clear_password(c, id)?;
        crate::auth::sessions::end_user_sessions(c, id, None)?;
        let token = invitations::invite(c, id)?;
        audit::record(c, actor, "user.password_reset", "user", Some(id.to_string()), None)?;
        Ok(token)
    })
}
