//! The second factor (SPEC §14): TOTP of RFC 6238 (SHA-1, 6 digits, 30-second steps) with 10
//! single-use recovery codes stored as SHA-256. A code is accepted for the current step or one
//! step either side (clock drift), and never twice: the newest accepted step is kept and only a
//! later one passes, in one conditional `UPDATE` (two parallel uses of one code: one wins).

use base64::Engine;
use diesel::prelude::*;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::audit::{self, Actor};
use crate::auth::sessions::hash_key;
use crate::db::schema::{recovery_codes, user_totp};
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult};

pub const ISSUER: &str = "Portico";
pub const RECOVERY_CODES: usize = 10;
const STEP: u64 = 30;

/// A fresh random secret (160 bits), base32 without padding, as authenticator apps take it.
pub fn new_secret() -> String {
    match Secret::generate_secret().to_encoded() {
        Secret::Encoded(s) => s,
        Secret::Raw(_) => unreachable!("to_encoded answers the encoded form"),
    }
}

fn totp(secret: &str, account: &str) -> AppResult<TOTP> {
    let bytes = Secret::Encoded(secret.to_string())
        .to_bytes()
        .map_err(|e| AppError::internal(anyhow::anyhow!("stored TOTP secret is not base32: {e:?}")))?;
    TOTP::new(Algorithm::SHA1, 6, 1, STEP, bytes, Some(ISSUER.to_string()), account.to_string())
        .map_err(|e| AppError::internal(anyhow::anyhow!("TOTP secret refused: {e}")))
}

/// The code of `secret` at the Unix time `at` (for tests and the enrolment check).
pub fn code_at(secret: &str, at: u64) -> AppResult<String> {
    Ok(totp(secret, "x")?.generate(at))
}

/// The `otpauth://` URL an authenticator app scans.
pub fn otpauth_url(secret: &str, account: &str) -> AppResult<String> {
    Ok(totp(secret, account)?.get_url())
}

/// The QR code of the `otpauth://` URL as an SVG `data:` URI (an `<img src>`: the CSP allows
/// `img-src data:`, and an image carries no script or style into the page).
pub fn qr_data_uri(secret: &str, account: &str) -> AppResult<String> {
    let url = otpauth_url(secret, account)?;
    let code = qrcode::QrCode::new(url.as_bytes()).map_err(|e| AppError::internal(anyhow::anyhow!("QR code: {e}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(220, 220)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    Ok(format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(svg)))
}

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn digits(code: &str) -> Option<String> {
    let d: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    (d.len() == 6 && d.chars().all(|c| c.is_ascii_digit())).then_some(d)
}

fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The step (of now −1, 0, +1) whose code `code` is, if any.
fn matching_step(secret: &str, code: &str) -> AppResult<Option<i64>> {
    let Some(code) = digits(code) else { return Ok(None) };
    let t = totp(secret, "x")?;
    let now = unix_now() / STEP;
    for step in [now.saturating_sub(1), now, now + 1] {
        if same(&t.generate(step * STEP), &code) {
            return Ok(Some(step as i64));
        }
    }
    Ok(None)
}

/// Whether the person has a second factor.
pub fn is_enabled(c: &mut DbConnection, user_id: i64) -> AppResult<bool> {
    Ok(user_totp::table.find(user_id).select(user_totp::user_id).first::<i64>(c).optional()?.is_some())
}

/// How a presented code was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    Totp,
    Recovery,
    Wrong,
}

fn normalize_recovery(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

/// Checks and uses up a code of `user_id`: a current TOTP code (not used before) or an unused
/// recovery code. Cheap (no password hashing); call it inside the attempt's transaction.
pub fn use_code(c: &mut DbConnection, user_id: i64, code: &str) -> AppResult<Code> {
    let code = code.trim();
    if code.is_empty() || code.len() > 64 {
        return Ok(Code::Wrong);
    }
    let secret: Option<String> = user_totp::table.find(user_id).select(user_totp::secret).first(c).optional()?;
    let Some(secret) = secret else { return Ok(Code::Wrong) };
    if let Some(step) = matching_step(&secret, code)? {
        let taken = diesel::update(user_totp::table.find(user_id).filter(user_totp::last_step.lt(step)))
            .set(user_totp::last_step.eq(step))
            .execute(c)?;
        return Ok(if taken == 1 { Code::Totp } else { Code::Wrong });
    }
    let hash = hash_key(&normalize_recovery(code));
    let used = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(user_id))
            .filter(recovery_codes::code_hash.eq(hash))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(Some(crate::now())))
    .execute(c)?;
    Ok(if used == 1 { Code::Recovery } else { Code::Wrong })
}

/// Ten fresh recovery codes, `xxxxx-xxxxx` (about 50 bits each).
fn fresh_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    (0..RECOVERY_CODES)
        .map(|_| {
            // 256 is a multiple of 32: every letter is equally likely.
            let chars: Vec<char> =
                (0..10).map(|_| ALPHABET[usize::from(rand::random::<u8>()) % ALPHABET.len()] as char).collect();
            format!("{}-{}", chars[..5].iter().collect::<String>(), chars[5..].iter().collect::<String>())
        })
        .collect()
}

/// Turns the second factor on with `secret` once `code` proves the person's app has it;
/// answers the 10 recovery codes (shown once; only their hashes are kept).
pub fn enable(c: &mut DbConnection, actor: &Actor, user_id: i64, secret: &str, code: &str) -> AppResult<Vec<String>> {
    let Some(step) = matching_step(secret, code)? else {
        return Err(AppError::field("code", "That code is not right. Enter the current code from your app."));
    };
    write_tx(c, |c| {
        if is_enabled(c, user_id)? {
            return Err(AppError::conflict("A second factor is already set up."));
        }
        diesel::insert_into(user_totp::table)
            .values((
                user_totp::user_id.eq(user_id),
                user_totp::secret.eq(secret),
                user_totp::last_step.eq(step),
                user_totp::enabled_at.eq(crate::now()),
            ))
            .execute(c)?;
        let codes = replace_recovery_codes(c, user_id)?;
        audit::record(c, actor, "2fa.enable", "user", Some(user_id.to_string()), None)?;
        Ok(codes)
    })
}

fn replace_recovery_codes(c: &mut DbConnection, user_id: i64) -> AppResult<Vec<String>> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id))).execute(c)?;
    let codes = fresh_recovery_codes();
    for code in &codes {
        diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::user_id.eq(user_id),
                recovery_codes::code_hash.eq(hash_key(&normalize_recovery(code))),
            ))
            .execute(c)?;
    }
    Ok(codes)
}

fn remove(c: &mut DbConnection, user_id: i64) -> AppResult<bool> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id))).execute(c)?;
    Ok(diesel::delete(user_totp::table.find(user_id)).execute(c)? == 1)
}

/// The person turns their second factor off (the caller checked their password or a code).
pub fn disable(c: &mut DbConnection, actor: &Actor, user_id: i64) -> AppResult<()> {
    write_tx(c, |c| {
        if !remove(c, user_id)? {
            return Err(AppError::conflict("No second factor is set up."));
        }
        audit::record(c, actor, "2fa.disable", "user", Some(user_id.to_string()), None)
    })
}

/// A staff admin removes a person's second factor (lost phone): audited, every session of the
/// person ends, and they are told by e-mail.
pub fn reset(c: &mut DbConnection, actor: &Actor, user: &crate::users::User) -> AppResult<()> {
    write_tx(c, |c| {
        if !remove(c, user.id)? {
            return Err(AppError::conflict("This person has no second factor."));
        }
        crate::auth::sessions::end_user_sessions(c, user.id, None)?;
        crate::mail::messages::second_factor_reset(c, user)?;
        audit::record(c, actor, "2fa.reset", "user", Some(user.id.to_string()), None)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::testing::{audit_rows, each_backend};
    use crate::users::User;
    use crate::users::model::Role;

    #[test]
    fn enrol_use_codes_once_and_disable() {
        each_backend(|c| {
            let ann = User::for_tests(c, "ann@acme.example", Role::Admin, None);
            let actor = Actor::user(&ann, None);
            let secret = new_secret();
            assert!(enable(c, &actor, ann.id, &secret, "000000x").is_err());
            let now = unix_now();
            let codes = enable(c, &actor, ann.id, &secret, &code_at(&secret, now - STEP).unwrap()).unwrap();
            assert_eq!(codes.len(), 10);
            assert!(is_enabled(c, ann.id).unwrap());
            // The code of the step used for enrolment is spent; the current one works once.
            assert_eq!(use_code(c, ann.id, &code_at(&secret, now - STEP).unwrap()).unwrap(), Code::Wrong);
            assert_eq!(use_code(c, ann.id, &code_at(&secret, now).unwrap()).unwrap(), Code::Totp);
            assert_eq!(use_code(c, ann.id, &code_at(&secret, now).unwrap()).unwrap(), Code::Wrong);
            assert_eq!(use_code(c, ann.id, &codes[3].to_uppercase()).unwrap(), Code::Recovery);
            assert_eq!(use_code(c, ann.id, &codes[3]).unwrap(), Code::Wrong);
            let stored: Vec<String> = recovery_codes::table.select(recovery_codes::code_hash).load(c).unwrap();
            assert!(stored.iter().all(|h| !codes.contains(h)), "only hashes are stored");
            disable(c, &actor, ann.id).unwrap();
            assert!(!is_enabled(c, ann.id).unwrap());
            assert_eq!(audit_rows(c, "2fa.enable").len(), 1);
            assert_eq!(audit_rows(c, "2fa.disable").len(), 1);
            assert!(qr_data_uri(&secret, "ann@acme.example").unwrap().starts_with("data:image/svg+xml;base64,"));
        });
    }
}
