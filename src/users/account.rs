//! A person's own account, the same for the portal profile page, the staff "my account" page
//! and the API: names, language and time zone, password; and, for customer administrators, the
//! company profile. Each command validates, writes and records its audit row in one
//! transaction; a new password arrives hashed ([`check_password_change`] runs argon2 before).

use serde_json::json;

use crate::audit::{self, Actor};
use crate::auth::password::{self, Hashed, NewPassword};
use crate::customers::commands::CompanyChange;
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, FieldError};
use crate::users::User;

/// The language settings offered: the browser's choice (stored as the empty string), then
/// each language under its own name.
pub const LANGUAGES: [(&str, &str); 4] = [("", ""), ("en", "English"), ("de", "Deutsch"), ("ru", "Русский")];

/// Passwords longer than this are not even verified.
const LONGEST_TRIED: usize = 1024;

/// Field problems as one 422.
pub fn invalid(errors: Vec<FieldError>) -> AppError {
    let msg = errors.first().map(|e| e.message.clone()).unwrap_or_else(|| "invalid input".into());
    AppError::Unprocessable(msg, errors)
}

/// A first or last name: trimmed, at most 100 characters, no control characters (but tabs
/// and line breaks).
pub fn check_name(field: &str, value: &str) -> Result<String, FieldError> {
    let v = value.trim();
    if v.chars().count() > 100 {
        return Err(FieldError::new(field, "Enter at most 100 characters."));
    }
    if v.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(FieldError::new(field, "Control characters are not allowed."));
    }
    Ok(v.to_string())
}

/// A language setting: one of [`LANGUAGES`].
pub fn check_lang(lang: &str) -> Result<String, FieldError> {
    match LANGUAGES.iter().any(|(code, _)| *code == lang) {
        true => Ok(lang.to_string()),
        false => Err(FieldError::new("lang", "Choose one of the offered languages.")),
    }
}

/// An IANA time zone.
pub fn check_time_zone(zone: &str) -> Result<String, FieldError> {
    match zone.parse::<chrono_tz::Tz>() {
        Ok(_) => Ok(zone.to_string()),
        Err(_) => Err(FieldError::new("timeZone", "Choose a time zone from the list (for example Europe/Berlin).")),
    }
}

/// A language setting and an IANA time zone: the problems of both.
pub fn check_settings(lang: &str, time_zone: &str) -> Vec<FieldError> {
    [check_lang(lang).err(), check_time_zone(time_zone).err()].into_iter().flatten().collect()
}

fn get(c: &mut DbConnection, id: i64) -> AppResult<User> {
    User::find(c, id)?.ok_or(AppError::NotFound)
}

/// A change of two of the person's own fields, audited as `action` with the fields' before
/// and after (named `keys`, as the API names them); `new` picks the new values from the stored
/// person and checks them, `write` stores them.
fn own_pair(
    c: &mut DbConnection,
    actor: &Actor,
    (id, action, keys): (i64, &str, [&str; 2]),
    new: impl FnOnce(&User) -> (Result<String, FieldError>, Result<String, FieldError>),
    write: impl FnOnce(&mut DbConnection, &str, &str) -> AppResult<()>,
    old: impl FnOnce(&User) -> (String, String),
) -> AppResult<User> {
    write_tx(c, |c| {
        let before = get(c, id)?;
        let (a, b) = match new(&before) {
            (Ok(a), Ok(b)) => (a, b),
            (a, b) => return Err(invalid([a.err(), b.err()].into_iter().flatten().collect())),
        };
        write(c, &a, &b)?;
        let (was_a, was_b) = old(&before);
        let diff = audit::diff(Some(&json!({keys[0]: was_a, keys[1]: was_b})), Some(&json!({keys[0]: a, keys[1]: b})));
        audit::record(c, actor, action, "user", Some(id.to_string()), diff)?;
        get(c, id)
    })
}

/// Changes a person's (first, last) names; an absent one stays as it is.
pub fn set_names(c: &mut DbConnection, actor: &Actor, id: i64, names: (Option<&str>, Option<&str>)) -> AppResult<User> {
    own_pair(
        c,
        actor,
        (id, "user.update", ["firstName", "lastName"]),
        |u| {
            let first = check_name("firstName", names.0.unwrap_or(&u.first_name));
            (first, check_name("lastName", names.1.unwrap_or(&u.last_name)))
        },
        |c, first, last| User::set_names(c, id, first, last),
        |u| (u.first_name.clone(), u.last_name.clone()),
    )
}

/// Changes a person's (language, time zone); an absent one stays as it is.
pub fn set_settings(
    c: &mut DbConnection,
    actor: &Actor,
    id: i64,
    new: (Option<&str>, Option<&str>),
) -> AppResult<User> {
    own_pair(
        c,
        actor,
        (id, "user.settings", ["lang", "timeZone"]),
        |u| (check_lang(new.0.unwrap_or(&u.lang)), check_time_zone(new.1.unwrap_or(&u.time_zone))),
        |c, lang, zone| User::set_settings(c, id, lang, zone),
        |u| (u.lang.clone(), u.time_zone.clone()),
    )
}

/// Checks a password change of `user` (the current password, the new one's policy and its
/// repetition: every problem at once) and hashes the new one, off the async workers.
pub async fn check_password_change(user: &User, current: String, new: &str, confirm: &str) -> AppResult<Hashed> {
    let mut e = Vec::new();
    let next = NewPassword::check(new, confirm, "The two new passwords differ.").map_err(|f| e.push(f)).ok();
    let right =
        current.len() <= LONGEST_TRIED && password::verify(current, user.password_hash.clone()).await.unwrap_or(false);
    if !right {
        e.push(FieldError::new("currentPassword", "The current password is not right."));
    }
    match next {
        Some(next) if e.is_empty() => next.hashed().await,
        _ => Err(invalid(e)),
    }
}

/// Stores a person's new password and ends every session of theirs (the caller renews its own
/// under a new id). Answers how many sessions ended.
pub fn change_password(c: &mut DbConnection, actor: &Actor, id: i64, hash: &Hashed) -> AppResult<usize> {
    write_tx(c, |c| {
        get(c, id)?;
        User::set_password_hash(c, id, hash.as_str())?;
        let ended = crate::auth::sessions::end_user_sessions(c, id, None)?;
        let diff = json!({"sessionsEnded": ended});
        audit::record(c, actor, "user.password_changed", "user", Some(id.to_string()), Some(diff))?;
        Ok(ended)
    })
}

/// `PUT /api/v1/profile`: the company profile and the person's names at once, all or nothing.
pub fn update_profile(
    c: &mut DbConnection,
    actor: &Actor,
    (user, customer): (i64, i64),
    company: CompanyChange,
    names: (Option<&str>, Option<&str>),
) -> AppResult<()> {
    write_tx(c, |c| {
        crate::customers::commands::update_company(c, actor, customer, company)?;
        if names.0.is_some() || names.1.is_some() {
            set_names(c, actor, user, names)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{audit_rows, each_backend};
    use crate::users::model::Role;

    fn person(c: &mut DbConnection) -> User {
        User::for_tests(c, "ann@acme.example", Role::Admin, None)
    }

    #[test]
    fn names_and_settings_are_checked_and_audited() {
        each_backend(|c| {
            let ann = person(c);
            let actor = Actor::user(&ann, Some("192.0.2.7".into()));
            let u = set_names(c, &actor, ann.id, (Some(" Ann "), None)).unwrap();
            assert_eq!((u.first_name.as_str(), u.last_name.as_str()), ("Ann", ""));
            let rows = audit_rows(c, "user.update");
            assert_eq!(
                rows,
                vec![(Some(ann.id.to_string()), Some(json!({"firstName": {"before": "", "after": "Ann"}})))]
            );
            let long = "x".repeat(101);
            let e = set_names(c, &actor, ann.id, (Some(&long), Some("a\u{7}b"))).unwrap_err();
            let fields: Vec<&str> = e.details().iter().map(|d| d.field.as_str()).collect();
            assert_eq!(fields, vec!["firstName", "lastName"]);
            assert_eq!(audit_rows(c, "user.update").len(), 1, "a refused change is not audited");
            let u = set_settings(c, &actor, ann.id, (Some("de"), Some("Europe/Berlin"))).unwrap();
            assert_eq!((u.lang.as_str(), u.time_zone.as_str()), ("de", "Europe/Berlin"));
            let e = set_settings(c, &actor, ann.id, (Some("DE"), Some("Mars/Base"))).unwrap_err();
            let fields: Vec<&str> = e.details().iter().map(|d| d.field.as_str()).collect();
            assert_eq!(fields, vec!["lang", "timeZone"]);
            let u = set_settings(c, &actor, ann.id, (None, Some("UTC"))).unwrap();
            assert_eq!((u.lang.as_str(), u.time_zone.as_str()), ("de", "UTC"), "an absent field stays");
            assert_eq!(audit_rows(c, "user.settings").len(), 2);
        });
    }

    #[test]
    fn a_password_change_ends_the_other_sessions() {
        each_backend(|c| {
            use diesel::prelude::*;

            use crate::db::schema::sessions;
            let ann = person(c);
            for handle in ["a", "b"] {
                diesel::insert_into(sessions::table)
                    .values((
                        sessions::id.eq(format!("id-{handle}")),
                        sessions::user_id.eq(ann.id),
                        sessions::handle.eq(handle),
                        sessions::state.eq("{}"),
                        sessions::created_at.eq(crate::now()),
                        sessions::last_seen_at.eq(crate::now()),
                        sessions::expires_at.eq(crate::now() + chrono::Duration::hours(1)),
                    ))
                    .execute(c)
                    .unwrap();
            }
            let hash = Hashed::for_tests(&password::hash_blocking("a much better passphrase").unwrap());
            assert_eq!(change_password(c, &Actor::user(&ann, None), ann.id, &hash).unwrap(), 2);
            let left: i64 = sessions::table.filter(sessions::user_id.eq(ann.id)).count().get_result(c).unwrap();
            assert_eq!(left, 0);
            let stored = User::find(c, ann.id).unwrap().unwrap().password_hash.unwrap();
            assert!(password::verify_blocking("a much better passphrase", Some(&stored)));
            assert_eq!(audit_rows(c, "user.password_changed")[0].1, Some(json!({"sessionsEnded": 2})));
        });
    }
}
