//! Password hashing and the rules a new password must meet.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};

use crate::error::ApiError;

/// Hashes a password with Argon2id (the crate's defaults: 19 MiB, 2 passes).
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("hashing password: {e}")))
}

pub(crate) fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

/// Rules every new password must meet; the message says how to fix it.
pub fn check_password_rules(password: &str) -> Result<(), ApiError> {
    if password.chars().count() < 10 {
        return Err(ApiError::invalid("password", "use a password of at least 10 characters"));
    }
    if password.len() > 256 {
        return Err(ApiError::invalid("password", "use a password of at most 256 characters"));
    }
    Ok(())
}

/// A fixed hash to verify against when the e-mail is unknown, so a wrong e-mail takes as long
/// as a wrong password and response times do not reveal which accounts exist.
pub(crate) static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("not the password of anyone").unwrap_or_default());
