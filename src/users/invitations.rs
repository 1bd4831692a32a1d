//! Portal users created by staff or customer administrators: with an initial password, or with
//! an invitation link valid for 7 days through which the person sets their own password.

use diesel::prelude::*;

use crate::audit::{self, Actor};
use crate::auth::password;
use crate::auth::sessions::{hash_key, random_token};
use crate::config::Config;
use crate::db::DbConnection;
use crate::db::schema::{invitations, users};
use crate::error::{AppError, AppResult, FieldError};
use crate::users::model::{Role, UserRow, validate_email};
use crate::users::{NewUser, User, UserKind};

pub const VALID_DAYS: i64 = 7;

pub struct NewPortalUser {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: String,
    /// An initial password; without one an invitation link is made.
    pub password: Option<String>,
}

/// The URL the portal is reached at, for links.
pub fn base_url(config: &Config, req: &actix_web::HttpRequest) -> String {
    match &config.public_url {
        Some(u) => u.clone(),
        None => {
            let ci = req.connection_info();
            format!("{}://{}", ci.scheme(), ci.host())
        }
    }
}

fn validate(n: &NewPortalUser, kind: UserKind) -> Result<(String, Role), AppError> {
    let mut e = Vec::new();
    let email = match validate_email(&n.email) {
        Ok(v) => v,
        Err(m) => {
            e.push(FieldError::new("email", m));
            String::new()
        }
    };
    let role = Role::parse(kind, n.role.trim());
    if role.is_none() {
        let allowed = if kind == UserKind::Staff { "admin, manager" } else { "administrator, developer, user" };
        e.push(FieldError::new("role", format!("Choose a role: {allowed}.")));
    }
    for (f, v) in [("firstName", &n.first_name), ("lastName", &n.last_name)] {
        if v.trim().chars().count() > 100 {
            e.push(FieldError::new(f, "At most 100 characters."));
        }
    }
    if let Some(p) = &n.password
        && let Err(m) = password::check_policy(p)
    {
        e.push(FieldError::new("password", m));
    }
    match (e.is_empty(), role) {
        (true, Some(r)) => Ok((email, r)),
        _ => Err(AppError::Unprocessable(e[0].message.clone(), e)),
    }
}

/// Makes a fresh invitation for a user (older ones stop working); returns its URL.
pub fn invite(conn: &mut DbConnection, user_id: i64, base: &str) -> AppResult<String> {
    diesel::delete(invitations::table.filter(invitations::user_id.eq(user_id))).execute(conn)?;
    let token = random_token(32);
    let now = crate::now();
    diesel::insert_into(invitations::table)
        .values((
            invitations::user_id.eq(user_id),
            invitations::token_hash.eq(hash_key(&token)),
            invitations::expires_at.eq(now + chrono::Duration::days(VALID_DAYS)),
            invitations::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(format!("{base}/invitation/{token}"))
}

/// Creates a user of a customer (or a staff member when `customer` is None). Returns the id
/// and, when no password was given, the invitation URL. Call inside a transaction.
pub fn create_user(
    conn: &mut DbConnection,
    customer: Option<i64>,
    n: NewPortalUser,
    actor: &Actor,
    ip: Option<&str>,
    base: &str,
) -> AppResult<(i64, Option<String>)> {
    let kind = if customer.is_some() { UserKind::Customer } else { UserKind::Staff };
    let (email, role) = validate(&n, kind)?;
    let mut nu = NewUser::new(&email, role, customer);
    nu.first_name = n.first_name.trim().into();
    nu.last_name = n.last_name.trim().into();
    if let Some(p) = &n.password {
        nu.password_hash = Some(password::hash_blocking(p)?);
    }
    let id = nu.insert(conn)?;
    let invitation = if n.password.is_none() { Some(invite(conn, id, base)?) } else { None };
    audit::record(
        conn,
        actor,
        "user.create",
        "user",
        Some(id.to_string()),
        audit::diff(None, Some(&serde_json::json!({"email": email, "role": role.as_str(), "customerId": customer}))),
    )?;
    Ok((id, invitation))
}

pub fn create_portal_user(
    conn: &mut DbConnection,
    customer: i64,
    n: NewPortalUser,
    actor: &Actor,
    ip: Option<&str>,
    base: &str,
) -> AppResult<(i64, Option<String>)> {
    create_user(conn, Some(customer), n, actor, ip, base)
}

/// The users of a customer, each with whether an invitation is still open.
pub fn list_with_state(conn: &mut DbConnection, customer: i64) -> AppResult<Vec<(User, bool)>> {
    let users = User::list_for_customer(conn, customer)?;
    with_state(conn, users)
}

pub fn with_state(conn: &mut DbConnection, users: Vec<User>) -> AppResult<Vec<(User, bool)>> {
    let now = crate::now();
    let open: Vec<i64> = invitations::table
        .filter(invitations::used_at.is_null())
        .filter(invitations::expires_at.gt(now))
        .select(invitations::user_id)
        .load(conn)?;
    Ok(users
        .into_iter()
        .map(|u| {
            let pending = u.password_hash.is_none() && open.contains(&u.id);
            (u, pending)
        })
        .collect())
}

/// The user an invitation token belongs to, if it is still valid.
pub fn find_open(conn: &mut DbConnection, token: &str) -> AppResult<Option<User>> {
    let now = crate::now();
    let row: Option<UserRow> = invitations::table
        .inner_join(users::table)
        .filter(invitations::token_hash.eq(hash_key(token)))
        .filter(invitations::used_at.is_null())
        .filter(invitations::expires_at.gt(now))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    row.map(User::try_from).transpose()
}

/// Sets the password through an invitation and closes it. Call inside a transaction.
pub fn accept(conn: &mut DbConnection, token: &str, hash: &str) -> AppResult<User> {
    let user = find_open(conn, token)?.ok_or(AppError::NotFound)?;
    User::set_password_hash(conn, user.id, hash)?;
    diesel::update(invitations::table.filter(invitations::token_hash.eq(hash_key(token))))
        .set(invitations::used_at.eq(crate::now()))
        .execute(conn)?;
    crate::auth::sessions::end_user_sessions(conn, user.id, None)?;
    audit::record(
        conn,
        &Actor::user(&user, None),
        "user.invitation_accepted",
        "user",
        Some(user.id.to_string()),
        None,
    )?;
    Ok(user)
}
