//! Password hashing with argon2id (m=19456 KiB, t=2, p=1), always off the async workers and off
//! the database's blocking pool: on the hashing threads of [`crate::auth::hasher`].

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString, rand_core::OsRng};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{AppError, AppResult, FieldError};

pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 128;

fn hasher() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks the length policy; the message is shown next to the field.
pub fn check_policy(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if n < MIN_LEN {
        return Err(format!("The password needs at least {MIN_LEN} characters."));
    }
    if n > MAX_LEN {
        return Err(format!("The password can have at most {MAX_LEN} characters."));
    }
    Ok(())
}

/// Hashes synchronously. Call from a blocking context (CLI, `web::block`).
pub fn hash_blocking(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::internal(anyhow::anyhow!("password hashing failed: {e}")))
}

/// Verifies synchronously; a missing hash (invitation not accepted yet) verifies against a
/// dummy hash so that timing does not reveal which accounts exist.
pub fn verify_blocking(password: &str, hash: Option<&str>) -> bool {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_blocking("portico-dummy-password").unwrap_or_default());
    let (hash, real) = match hash {
        Some(h) => (h, true),
        None => (dummy.as_str(), false),
    };
    let ok = match PasswordHash::new(hash) {
        Ok(parsed) => verify_in_place(password.as_bytes(), &parsed).unwrap_or(false),
        Err(_) => false,
    };
    ok && real
}

thread_local! {
    /// The argon2 working memory of this thread (19 MiB), kept for the next verification: a
    /// fresh 19 MiB allocation per sign-in, freed on another thread's schedule, makes the
    /// allocator hold on to far more than it uses (a sign-in flood grew the process to ~500 MiB).
    static BLOCKS: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Recomputes a stored argon2 hash with this thread's reusable memory and compares it in
/// constant time. `None`: the stored hash is not an argon2 hash this build can check.
fn verify_in_place(password: &[u8], stored: &PasswordHash<'_>) -> Option<bool> {
    use argon2::password_hash::Output;
    let algorithm = Algorithm::try_from(stored.algorithm).ok()?;
    let version = stored.version.map(Version::try_from).transpose().ok()?.unwrap_or_default();
    let params = Params::try_from(stored).ok()?;
    let expected = stored.hash?;
    let mut salt = [0u8; 64];
    let salt = stored.salt?.decode_b64(&mut salt).ok()?;
    let mut out = vec![0u8; expected.len()];
    let need = params.block_count();
    let argon = Argon2::new(algorithm, version, params);
    BLOCKS.with_borrow_mut(|blocks| {
        if blocks.len() < need {
            blocks.resize(need, argon2::Block::default());
        }
        argon.hash_password_into_with_memory(password, salt, &mut out, &mut blocks[..need]).ok()
    })?;
    Some(Output::new(&out).ok()? == expected)
}

/// Hashes on the hashing threads (admitted or refused with 503, see [`crate::auth::hasher`]).
pub async fn hash(password: String) -> AppResult<String> {
    crate::auth::hasher::run(move || hash_blocking(&password)).await?
}

/// Verifies on the hashing threads (admitted or refused with 503).
pub async fn verify(password: String, hash: Option<String>) -> AppResult<bool> {
    crate::auth::hasher::run(move || verify_blocking(&password, hash.as_deref())).await
}

/// A password hash made by [`NewPassword::hashed`]: commands that store a password take one,
/// so that argon2 never runs inside a database transaction.
#[derive(Debug, Clone)]
pub struct Hashed(String);

impl Hashed {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    #[cfg(test)]
    pub(crate) fn for_tests(hash: &str) -> Hashed {
        Hashed(hash.to_string())
    }
}

/// A new password that passed the length policy and its confirmation.
#[derive(Debug, Clone)]
pub struct NewPassword(String);

impl NewPassword {
    /// Checks the policy (field `newPassword`) and that `confirm` repeats it (field
    /// `confirmPassword`, with the message `differ`).
    pub fn check(new: &str, confirm: &str, differ: &str) -> Result<NewPassword, FieldError> {
        check_policy(new).map_err(|m| FieldError::new("newPassword", m))?;
        if new != confirm {
            return Err(FieldError::new("confirmPassword", differ));
        }
        Ok(NewPassword(new.to_string()))
    }

    /// Hashes it off the async workers.
    pub async fn hashed(self) -> AppResult<Hashed> {
        Ok(Hashed(hash(self.0).await?))
    }
}

/// A random password for demo users and resets: 20 characters from an unambiguous alphabet.
pub fn generate() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let h = hash_blocking("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify_blocking("correct horse battery", Some(&h)));
        assert!(!verify_blocking("wrong horse battery", Some(&h)));
        assert!(!verify_blocking("anything", None));
        assert!(check_policy("short").is_err());
        assert!(check_policy(&"x".repeat(129)).is_err());
        assert!(check_policy("twelve chars").is_ok());
    }

    /// Hashes made with other parameters (older settings, argon2i/argon2d) still verify, before
    /// and after the thread's memory was sized for the larger default.
    #[test]
    fn other_parameters_verify_with_the_reused_memory() {
        use argon2::password_hash::PasswordHasher;
        for alg in [Algorithm::Argon2id, Algorithm::Argon2i, Algorithm::Argon2d] {
            let small = Argon2::new(alg, Version::V0x13, Params::new(1024, 1, 1, Some(24)).unwrap());
            let salt = SaltString::generate(&mut OsRng);
            let h = small.hash_password(b"an older passphrase", &salt).unwrap().to_string();
            assert!(verify_blocking("an older passphrase", Some(&h)), "{h}");
            assert!(!verify_blocking("an older passphrase!", Some(&h)), "{h}");
        }
        let h = hash_blocking("correct horse battery").unwrap();
        assert!(verify_blocking("correct horse battery", Some(&h)));
        assert!(!verify_blocking("correct horse battery", Some("$argon2id$v=19$m=19456,t=2,p=1$bm90LWEtaGFzaA")));
    }
}
