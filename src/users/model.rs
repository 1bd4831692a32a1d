use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::DbConnection;
use crate::db::paging::{self, Page, Window};
use crate::db::schema::{access_epoch, users};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UserKind {
    Staff,
    Customer,
}

/// Roles of SPEC §1. Staff: `admin`, `manager`. Customer users: `administrator`, `developer`, `user`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Manager,
    Administrator,
    Developer,
    User,
}

impl Role {
    pub fn parse(kind: UserKind, s: &str) -> Option<Role> {
        match (kind, s) {
            (UserKind::Staff, "admin") => Some(Role::Admin),
            (UserKind::Staff, "manager") => Some(Role::Manager),
            (UserKind::Customer, "administrator") => Some(Role::Administrator),
            (UserKind::Customer, "developer") => Some(Role::Developer),
            (UserKind::Customer, "user") => Some(Role::User),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Administrator => "administrator",
            Role::Developer => "developer",
            Role::User => "user",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrator (staff)",
            Role::Manager => "Manager (staff)",
            Role::Administrator => "Administrator",
            Role::Developer => "Developer",
            Role::User => "User",
        }
    }
    pub const CUSTOMER_ROLES: [Role; 3] = [Role::Administrator, Role::Developer, Role::User];
    pub const STAFF_ROLES: [Role; 2] = [Role::Admin, Role::Manager];
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    #[diesel(embed)]
    pub data: NewUser,
}

/// A user as the application sees it (kind and role parsed).
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub kind: UserKind,
    pub role: Role,
    pub customer_id: Option<i64>,
    pub first_name: String,
    pub last_name: String,
    pub password_hash: Option<String>,
    pub disabled: bool,
    pub lang: String,
    pub time_zone: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl TryFrom<UserRow> for User {
    type Error = AppError;
    fn try_from(UserRow { id, data: r }: UserRow) -> AppResult<User> {
        let kind = match r.kind.as_str() {
            "staff" => UserKind::Staff,
            "customer" => UserKind::Customer,
            other => {
                return Err(AppError::internal(anyhow::anyhow!("user {id} has unknown kind {other}")));
            }
        };
        let role = Role::parse(kind, &r.role)
            .ok_or_else(|| AppError::internal(anyhow::anyhow!("user {id} has unknown role {}", r.role)))?;
        Ok(User {
            id,
            email: r.email,
            kind,
            role,
            customer_id: r.customer_id,
            first_name: r.first_name,
            last_name: r.last_name,
            password_hash: r.password_hash,
            disabled: r.disabled,
            lang: r.lang,
            time_zone: r.time_zone,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

impl User {
    pub fn is_staff(&self) -> bool {
        self.kind == UserKind::Staff
    }
    pub fn display_name(&self) -> String {
        let n = format!("{} {}", self.first_name, self.last_name).trim().to_string();
        if n.is_empty() { self.email.clone() } else { n }
    }
    /// The label written to the audit log for this person.
    pub fn audit_label(&self) -> String {
        self.email.clone()
    }

    pub fn find(conn: &mut DbConnection, id: i64) -> AppResult<Option<User>> {
        users::table.find(id).select(UserRow::as_select()).first(conn).optional()?.map(User::try_from).transpose()
    }

    /// [`User::find`], with the access epoch now read in the same query (see
    /// `access::resolve::Contexts`); no epoch when its row is missing (then nothing is cached).
    pub fn find_with_epoch(conn: &mut DbConnection, id: i64) -> AppResult<Option<(User, Option<i64>)>> {
        let found: Option<(UserRow, Option<i64>)> = users::table
            .left_join(access_epoch::table.on(access_epoch::id.eq(1i64)))
            .filter(users::id.eq(id))
            .select((UserRow::as_select(), access_epoch::n.nullable()))
            .first(conn)
            .optional()?;
        found.map(|(row, epoch)| Ok((User::try_from(row)?, epoch))).transpose()
    }

    pub fn find_by_email(conn: &mut DbConnection, email: &str) -> AppResult<Option<User>> {
        users::table
            .filter(users::email.eq(normalize_email(email)))
            .select(UserRow::as_select())
            .first(conn)
            .optional()?
            .map(User::try_from)
            .transpose()
    }

    pub fn set_password_hash(conn: &mut DbConnection, id: i64, hash: &str) -> AppResult<()> {
        diesel::update(users::table.find(id))
            .set((users::password_hash.eq(hash), users::updated_at.eq(crate::now())))
            .execute(conn)?;
        Ok(())
    }

    /// Removes the password (a reset: the person chooses a new one through an invitation).
    pub fn clear_password(conn: &mut DbConnection, id: i64) -> AppResult<()> {
        diesel::update(users::table.find(id))
            .set((users::password_hash.eq(None::<String>), users::updated_at.eq(crate::now())))
            .execute(conn)?;
        Ok(())
    }

    pub fn set_settings(conn: &mut DbConnection, id: i64, lang: &str, time_zone: &str) -> AppResult<()> {
        diesel::update(users::table.find(id))
            .set((users::lang.eq(lang), users::time_zone.eq(time_zone), users::updated_at.eq(crate::now())))
            .execute(conn)?;
        Ok(())
    }

    pub fn set_names(conn: &mut DbConnection, id: i64, first: &str, last: &str) -> AppResult<()> {
        diesel::update(users::table.find(id))
            .set((users::first_name.eq(first), users::last_name.eq(last), users::updated_at.eq(crate::now())))
            .execute(conn)?;
        Ok(())
    }

    pub fn set_disabled(conn: &mut DbConnection, id: i64, disabled: bool) -> AppResult<()> {
        diesel::update(users::table.find(id))
            .set((users::disabled.eq(disabled), users::updated_at.eq(crate::now())))
            .execute(conn)?;
        if disabled {
            crate::auth::sessions::end_user_sessions(conn, id, None)?;
            crate::auth::tokens::ApiToken::revoke_all(conn, id)?;
        }
        Ok(())
    }

    pub fn list_for_customer(conn: &mut DbConnection, customer_id: i64) -> AppResult<Vec<User>> {
        User::list_where(conn, Some(customer_id))
    }

    pub fn list_staff(conn: &mut DbConnection) -> AppResult<Vec<User>> {
        User::list_where(conn, None)
    }

    /// The users of a customer, or (`None`) the staff, by e-mail address.
    fn list_where(conn: &mut DbConnection, customer_id: Option<i64>) -> AppResult<Vec<User>> {
        let q = users::table.order(users::email.asc()).select(UserRow::as_select()).into_boxed();
        let q = match customer_id {
            Some(c) => q.filter(users::customer_id.eq(c)),
            None => q.filter(users::kind.eq("staff")),
        };
        q.load(conn)?.into_iter().map(User::try_from).collect()
    }

    /// A person of `role` (staff, or a user of `customer`), as the unit tests make them.
    #[cfg(test)]
    pub(crate) fn for_tests(conn: &mut DbConnection, email: &str, role: Role, customer: Option<i64>) -> User {
        let id = NewUser::new(email, role, customer).insert(conn).expect("insert a user");
        User::find(conn, id).expect("read it").expect("it exists")
    }

    /// How many customer users there are (the admin dashboard).
    pub fn count_customer_users(conn: &mut DbConnection) -> AppResult<i64> {
        Ok(users::table.filter(users::kind.eq("customer")).count().get_result(conn)?)
    }
}

pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Checks an e-mail address for the obvious mistakes; returns the normalised form.
pub fn validate_email(email: &str) -> Result<String, String> {
    let e = normalize_email(email);
    if e.is_empty() {
        return Err("Enter an e-mail address.".into());
    }
    if e.len() > 254 {
        return Err("The e-mail address is longer than 254 characters.".into());
    }
    let Some((local, domain)) = e.split_once('@') else {
        return Err("The e-mail address needs an @.".into());
    };
    if local.is_empty()
        || domain.is_empty()
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
    {
        return Err("That does not look like an e-mail address.".into());
    }
    if e.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("The e-mail address cannot contain spaces.".into());
    }
    Ok(e)
}

/// A user's stored fields (everything but the id): what is inserted, and what a row holds.
#[derive(Debug, Clone, Insertable, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub email: String,
    pub kind: String,
    pub role: String,
    pub customer_id: Option<i64>,
    pub first_name: String,
    pub last_name: String,
    pub password_hash: Option<String>,
    pub disabled: bool,
    pub lang: String,
    pub time_zone: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl NewUser {
    pub fn new(email: &str, role: Role, customer_id: Option<i64>) -> NewUser {
        let now = crate::now();
        let kind = if matches!(role, Role::Admin | Role::Manager) { "staff" } else { "customer" };
        NewUser {
            email: normalize_email(email),
            kind: kind.into(),
            role: role.as_str().into(),
            customer_id,
            first_name: String::new(),
            last_name: String::new(),
            password_hash: None,
            disabled: false,
            lang: String::new(),
            time_zone: "UTC".into(),
            created_at: now,
            updated_at: now,
        }
    }

    pub fn insert(&self, conn: &mut DbConnection) -> AppResult<i64> {
        let id = crate::with_conn!(conn, |c| diesel::insert_into(users::table)
            .values(self)
            .returning(users::id)
            .get_result(c))
        .map_err(email_taken)?;
        Ok(id)
    }
}

/// A unique violation on the address is a field error.
fn email_taken(e: diesel::result::Error) -> AppError {
    match e {
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
            AppError::field("email", "A user with this e-mail address already exists.")
        }
        other => other.into(),
    }
}

/// Sort orders of a customer's user list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserSort {
    Id,
    Email,
    CreatedAt,
}

impl User {
    /// One page of a customer's users (`ids` empty: all of them).
    pub fn page_of_customer(
        conn: &mut DbConnection,
        customer_id: i64,
        ids: &[i64],
        sort: (UserSort, bool),
        w: Window,
        with_total: bool,
    ) -> AppResult<Page<User>> {
        let build = || {
            let mut q =
                users::table.filter(users::customer_id.eq(customer_id)).select(UserRow::as_select()).into_boxed();
            if !ids.is_empty() {
                q = q.filter(users::id.eq_any(ids.to_vec()));
            }
            let asc = sort.1;
            match sort.0 {
                UserSort::Id => crate::order_by!(q, asc, users::id),
                UserSort::Email => crate::order_by!(q, asc, users::email, users::id),
                UserSort::CreatedAt => crate::order_by!(q, asc, users::created_at, users::id),
            }
        };
        let page: Page<UserRow> = paging::page(conn, build, w, with_total)?;
        Ok(Page { rows: page.rows.into_iter().map(User::try_from).collect::<AppResult<_>>()?, total: page.total })
    }

    /// Changes the e-mail address (already validated); a taken address is a field error.
    pub fn set_email(conn: &mut DbConnection, id: i64, email: &str) -> AppResult<()> {
        diesel::update(users::table.find(id))
            .set((users::email.eq(normalize_email(email)), users::updated_at.eq(crate::now())))
            .execute(conn)
            .map_err(email_taken)?;
        Ok(())
    }

    pub fn set_role(conn: &mut DbConnection, id: i64, role: Role) -> AppResult<()> {
        diesel::update(users::table.find(id))
            .set((users::role.eq(role.as_str()), users::updated_at.eq(crate::now())))
            .execute(conn)?;
        Ok(())
    }

    /// Deletes a user; their sessions, tokens and invitations go with them.
    pub fn delete(conn: &mut DbConnection, id: i64) -> AppResult<()> {
        crate::auth::sessions::end_user_sessions(conn, id, None)?;
        diesel::delete(users::table.find(id)).execute(conn)?;
        Ok(())
    }
}
