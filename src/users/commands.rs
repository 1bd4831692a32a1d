//! The commands that change people: create (with an initial password or an invitation), change
//! role, disable and enable, reset the password, replace and delete a customer's user. Each
//! validates, writes and records its audit row in one transaction; passwords arrive already
//! hashed (hashing never runs inside a transaction: see [`NewUserInput::check`] and
//! [`CheckedNewUser::hashed`]). A person's own account is [`crate::users::account`].

use serde_json::{Value, json};

use crate::audit::{self, Actor};
use crate::auth::password;
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, FieldError};
use crate::users::account::{check_name, check_settings, invalid};
use crate::users::invitations;
use crate::users::model::{Role, validate_email};
use crate::users::{NewUser, User, UserKind};

/// A new person as a form or the API gives it (forms post these very field names).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct NewUserInput {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: String,
    /// An initial password; without one (or with a blank one) an invitation link is made.
    #[serde(deserialize_with = "blank_is_none")]
    pub password: Option<String>,
}

fn blank_is_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v: Option<String> = serde::Deserialize::deserialize(d)?;
    Ok(v.filter(|p| !p.is_empty()))
}

/// A new person whose fields passed every check that needs no database.
#[derive(Debug, Clone)]
pub struct CheckedNewUser {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    password: Option<String>,
    /// Language and time zone, when given (else the defaults of a new user).
    settings: Option<(String, String)>,
    disabled: bool,
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
        let mut name = |field: &str, v: &str| check_name(field, v).map_err(|f| e.push(f)).unwrap_or_default();
        let (first_name, last_name) = (name("firstName", &self.first_name), name("lastName", &self.last_name));
        if let Some(p) = &self.password
            && let Err(m) = password::check_policy(p)
        {
            e.push(FieldError::new("password", m));
        }
        match (e.is_empty(), role) {
            (true, Some(role)) => Ok(CheckedNewUser {
                email,
                first_name,
                last_name,
                role,
                password: self.password,
                settings: None,
                disabled: false,
            }),
            _ => Err(invalid(e)),
        }
    }
}

impl CheckedNewUser {
    /// Starts the person with this language and time zone (checked as their own settings are).
    pub fn with_settings(self, lang: &str, time_zone: &str) -> AppResult<CheckedNewUser> {
        let e = check_settings(lang, time_zone);
        if !e.is_empty() {
            return Err(invalid(e));
        }
        Ok(CheckedNewUser { settings: Some((lang.to_string(), time_zone.to_string())), ..self })
    }

    /// Creates the person disabled (audited as `user.disable` right after `user.create`).
    pub fn disabled(self, disabled: bool) -> CheckedNewUser {
        CheckedNewUser { disabled, ..self }
    }

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
        if let Some((lang, zone)) = &u.settings {
            (nu.lang, nu.time_zone) = (lang.clone(), zone.clone());
        }
        let id = nu.insert(c)?;
        let invitation = if nu.password_hash.is_none() { Some(invitations::invite(c, id)?) } else { None };
        let after = json!({"email": u.email, "role": u.role.as_str(), "customerId": customer});
        audit::record(c, actor, "user.create", "user", Some(id.to_string()), audit::diff(None, Some(&after)))?;
        if u.disabled {
            set_disabled(c, actor, customer, id, true)?;
        }
        let user = User::find(c, id)?.ok_or(AppError::NotFound)?;
        // The invitation is also mailed to the person (the link is still shown to whoever made it).
        if let Some(token) = invitation.as_deref().filter(|_| !user.disabled) {
            crate::mail::messages::invitation(c, &user, token)?;
        }
        Ok(Created { user, invitation })
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
        let diff = json!({"role": {"before": before.role.as_str(), "after": role.as_str()}});
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
        let diff = json!({"disabled": {"before": before.disabled, "after": disabled}});
        audit::record(c, actor, action, "user", Some(id.to_string()), Some(diff))?;
        get_of(c, customer, id)
    })
}

/// Resets a person's password: the old one stops working, their sessions end, and a fresh
/// invitation lets them choose a new one. Returns the invitation token.
pub fn reset_password(c: &mut DbConnection, actor: &Actor, customer: Option<i64>, id: i64) -> AppResult<String> {
    write_tx(c, |c| {
        let user = get_of(c, customer, id)?;
        User::clear_password(c, id)?;
        crate::auth::sessions::end_user_sessions(c, id, None)?;
        let token = invitations::invite(c, id)?;
        if !user.disabled {
            crate::mail::messages::invitation(c, &user, &token)?;
        }
        audit::record(c, actor, "user.password_reset", "user", Some(id.to_string()), None)?;
        Ok(token)
    })
}

/// A user of some customer (staff and unknown ids are not found), with whether their
/// invitation is still open.
pub fn get_customer_user(c: &mut DbConnection, id: i64) -> AppResult<(User, bool)> {
    let u = User::find(c, id)?.filter(|u| !u.is_staff() && u.customer_id.is_some()).ok_or(AppError::NotFound)?;
    invitations::with_state(c, vec![u])?.pop().ok_or(AppError::NotFound)
}

/// What the audit log keeps of a person.
fn snapshot(u: &User) -> Value {
    json!({
        "email": u.email, "firstName": u.first_name, "lastName": u.last_name,
        "role": u.role.as_str(), "disabled": u.disabled, "lang": u.lang, "timeZone": u.time_zone,
    })
}

/// A customer's user as a whole: what `PUT /api/v1/users/{id}` stores.
#[derive(Debug, Clone)]
pub struct UserUpdate {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// A customer role.
    pub role: Role,
    /// Disabling ends the person's sessions and revokes their API tokens.
    pub disabled: bool,
    pub lang: String,
    pub time_zone: String,
}

/// Replaces a customer's user. A role change is audited as `user.role`, disabling as
/// `user.disable` / `user.enable` (as [`set_role`] and [`set_disabled`] do), the other fields
/// as `user.update`.
pub fn update(c: &mut DbConnection, actor: &Actor, id: i64, input: &UserUpdate) -> AppResult<(User, bool)> {
    write_tx(c, |c| {
        let (before, _) = get_customer_user(c, id)?;
        let mut e = check_settings(&input.lang, &input.time_zone);
        let email = validate_email(&input.email).map_err(|m| e.push(FieldError::new("email", m))).unwrap_or_default();
        let mut name = |field: &str, v: &str| check_name(field, v).map_err(|f| e.push(f)).unwrap_or_default();
        let (first, last) = (name("firstName", &input.first_name), name("lastName", &input.last_name));
        if !e.is_empty() {
            return Err(invalid(e));
        }
        if email != before.email {
            User::set_email(c, id, &email)?;
        }
        User::set_names(c, id, &first, &last)?;
        User::set_settings(c, id, &input.lang, &input.time_zone)?;
        if input.role != before.role {
            set_role(c, actor, before.customer_id, id, input.role)?;
        }
        if input.disabled != before.disabled {
            set_disabled(c, actor, before.customer_id, id, input.disabled)?;
        }
        let (after, pending) = get_customer_user(c, id)?;
        let (mut was, mut now) = (snapshot(&before), snapshot(&after));
        for k in ["role", "disabled"] {
            was.as_object_mut().map(|o| o.remove(k));
            now.as_object_mut().map(|o| o.remove(k));
        }
        audit::record(c, actor, "user.update", "user", Some(id.to_string()), audit::diff(Some(&was), Some(&now)))?;
        Ok((after, pending))
    })
}

/// Deletes a customer's user; their sessions, tokens and invitations end with them.
pub fn delete(c: &mut DbConnection, actor: &Actor, id: i64) -> AppResult<User> {
    write_tx(c, |c| {
        let (u, _) = get_customer_user(c, id)?;
        let mut before = snapshot(&u);
        before["customerId"] = json!(u.customer_id);
        User::delete(c, id)?;
        audit::record(c, actor, "user.delete", "user", Some(id.to_string()), audit::diff(Some(&before), None))?;
        Ok(u)
    })
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;

    use super::*;
    use crate::db::testing::{audit_rows, each_backend};

    fn input(email: &str) -> NewUserInput {
        NewUserInput { email: email.into(), role: "user".into(), ..Default::default() }
    }

    fn replace(u: &User) -> UserUpdate {
        UserUpdate {
            email: u.email.clone(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            role: u.role,
            disabled: u.disabled,
            lang: u.lang.clone(),
            time_zone: u.time_zone.clone(),
        }
    }

    /// A customer and its user ann@acme.example (role user, invited).
    fn ann(c: &mut DbConnection) -> (i64, User) {
        let cid = crate::customers::model::insert_basic(c, "Acme", None).unwrap();
        let ready = ReadyNewUser::hashed_blocking(input("ann@acme.example").check(UserKind::Customer).unwrap());
        (cid, create(c, &Actor::system(), Some(cid), ready.unwrap()).unwrap().user)
    }

    #[test]
    fn a_new_user_starts_with_settings_and_disabled() {
        each_backend(|c| {
            let cid = crate::customers::model::insert_basic(c, "Acme", None).unwrap();
            let checked = input("Ann@Acme.example").check(UserKind::Customer).unwrap();
            let checked = checked.with_settings("de", "Europe/Berlin").unwrap().disabled(true);
            let made = create(c, &Actor::system(), Some(cid), ReadyNewUser::hashed_blocking(checked).unwrap()).unwrap();
            assert!(made.invitation.is_some(), "no password: an invitation");
            let u = made.user;
            assert_eq!((u.email.as_str(), u.lang.as_str(), u.disabled), ("ann@acme.example", "de", true));
            let created = &audit_rows(c, "user.create")[0].1;
            assert_eq!(
                created,
                &Some(json!({"email": {"after": "ann@acme.example"}, "role": {"after": "user"},
                "customerId": {"after": cid}}))
            );
            assert_eq!(audit_rows(c, "user.disable").len(), 1);
            let e = input("x@acme.example").check(UserKind::Customer).unwrap().with_settings("fr", "Mars/Base");
            let fields: Vec<String> = e.unwrap_err().details().iter().map(|d| d.field.clone()).collect();
            assert_eq!(fields, vec!["lang", "timeZone"]);
            let e = NewUserInput { first_name: "x".repeat(101), ..input("bad") }.check(UserKind::Customer);
            let fields: Vec<String> = e.unwrap_err().details().iter().map(|d| d.field.clone()).collect();
            assert_eq!(fields, vec!["email", "firstName"]);
        });
    }

    #[test]
    fn a_replace_audits_role_disable_and_the_rest() {
        each_backend(|c| {
            let (cid, ann) = ann(c);
            let mut change = replace(&ann);
            change.role = Role::Administrator;
            change.disabled = true;
            change.last_name = " Lovelace ".into();
            let (after, pending) = update(c, &Actor::system(), ann.id, &change).unwrap();
            assert_eq!(
                (after.role, after.disabled, after.last_name.as_str(), pending),
                (Role::Administrator, true, "Lovelace", true)
            );
            let id = Some(ann.id.to_string());
            assert_eq!(
                audit_rows(c, "user.role"),
                vec![(id.clone(), Some(json!({"role": {"before": "user", "after": "administrator"}})))]
            );
            assert_eq!(
                audit_rows(c, "user.disable"),
                vec![(id.clone(), Some(json!({"disabled": {"before": false, "after": true}})))]
            );
            assert_eq!(
                audit_rows(c, "user.update"),
                vec![(id.clone(), Some(json!({"lastName": {"before": "", "after": "Lovelace"}})))]
            );
            // Every field is checked at once; nothing is written.
            let bad = UserUpdate { email: "nope".into(), lang: "xx".into(), ..replace(&after) };
            let fields: Vec<String> = update(c, &Actor::system(), ann.id, &bad)
                .unwrap_err()
                .details()
                .iter()
                .map(|d| d.field.clone())
                .collect();
            assert_eq!(fields, vec!["lang", "email"]);
            assert_eq!(audit_rows(c, "user.update").len(), 1);
            // Staff are not reachable as a customer's user.
            let staff = User::for_tests(c, "root@op.example", Role::Admin, None).id;
            assert!(matches!(update(c, &Actor::system(), staff, &change), Err(AppError::NotFound)));
            assert!(matches!(delete(c, &Actor::system(), staff), Err(AppError::NotFound)));
            delete(c, &Actor::system(), ann.id).unwrap();
            let gone = &audit_rows(c, "user.delete")[0].1.clone().unwrap();
            assert_eq!(
                (gone["email"]["before"].clone(), gone["customerId"]["before"].clone()),
                (json!("ann@acme.example"), json!(cid))
            );
            assert!(User::find(c, ann.id).unwrap().is_none());
        });
    }

    #[test]
    fn a_failure_after_the_writes_rolls_the_replace_back() {
        each_backend(|c| {
            let (_, ann) = ann(c);
            c.batch_execute("DROP TABLE audit_log").unwrap();
            let change = UserUpdate { email: "new@acme.example".into(), role: Role::Developer, ..replace(&ann) };
            assert!(update(c, &Actor::system(), ann.id, &change).is_err());
            let now = User::find(c, ann.id).unwrap().unwrap();
            assert_eq!((now.email.as_str(), now.role), ("ann@acme.example", Role::User), "nothing left behind");
        });
    }
}
