//! Password hashing and the check every new password must pass.

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

/// The fewest characters a password may have.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The most: long enough for any passphrase or password manager (ASVS asks for at least 64).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// What to do instead, said with every refusal for being easy to guess.
const HOW: &str = "use three or four unrelated words, such as a short sentence only you would \
                   think of";

/// Checks a new password for the account of `name` and `email`: long enough, not too long,
/// not the name or e-mail address (or part of it), and hard to guess by zxcvbn's estimate
/// (common passwords, repeats, sequences, keyboard patterns, dictionary words and the account's
/// own details count against it). `field` is the form field the error names.
pub fn check_new_password(
    field: &'static str,
    password: &str,
    name: &str,
    email: &str,
) -> Result<(), ApiError> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(ApiError::invalid(
            field,
            format!("use a password of at least {MIN_PASSWORD_CHARS} characters: {HOW}"),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(ApiError::invalid(
            field,
            format!("use a password of at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    let lower = password.to_lowercase();
    let email = email.trim().to_lowercase();
    let local = email.split('@').next().unwrap_or_default();
    // The parts of the name and address someone who knows the person would try first.
    let own: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .chain(local.split(|c: char| !c.is_alphanumeric()))
        .chain([local, email.as_str()])
        .filter(|w| w.chars().count() >= 4)
        .collect();
    let name_lower = name.to_lowercase();
    if own.iter().any(|w| lower.contains(&w.to_lowercase()))
        || (!name_lower.trim().is_empty() && lower.contains(name_lower.trim()))
    {
        return Err(ApiError::invalid(
            field,
            format!("do not use your name or e-mail address in your password: {HOW}"),
        ));
    }
    let inputs: Vec<&str> = own.iter().copied().chain([name]).collect();
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if estimate.score() < zxcvbn::Score::Three {
        return Err(ApiError::invalid(field, format!("this password is too easy to guess: {HOW}")));
    }
    Ok(())
}

/// A fixed hash to verify against when the e-mail is unknown, so a wrong e-mail takes as long
/// as a wrong password and response times do not reveal which accounts exist.
pub(crate) static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("not the password of anyone").unwrap_or_default());

#[cfg(test)]
mod tests {
    use super::*;

    fn message(password: &str) -> Option<String> {
        check_new_password("password", password, "Pat Example", "pat.example@clinic.test")
            .err()
            .map(|e| e.detail().message)
    }

    #[test]
    fn common_repeated_and_own_passwords_are_refused_with_how_to_do_better() {
        for weak in [
            "password12",
            "password1234",
            "aaaaaaaaaaaa",
            "qwertyuiopas",
            "123456789012",
            "Password123!",
        ] {
            let m = message(weak).unwrap_or_else(|| panic!("{weak} was accepted"));
            assert!(m.contains("three or four unrelated words"), "{weak}: {m}");
        }
        for own in ["pat.example@clinic.test", "examplepat1234", "Pat Example 2026"] {
            let m = message(own).unwrap_or_else(|| panic!("{own} was accepted"));
            assert!(m.contains("name or e-mail"), "{own}: {m}");
        }
        assert!(message("short").unwrap().contains("at least 12"));
        assert!(message(&"ab1-".repeat(70)).unwrap().contains("at most 256"));
    }

    #[test]
    fn unrelated_words_pass() {
        for good in ["correct horse battery", "kettle orbit saffron ladder", "walk the dog at six"]
        {
            assert_eq!(message(good), None, "{good}");
        }
    }
}
