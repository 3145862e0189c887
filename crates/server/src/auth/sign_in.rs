//! Sign-in with e-mail and password, without account lockout (docs/sign-in.md).
//!
//! Two limits slow guessing down, and neither tells whether an account exists:
//! - per source (`proxy::source_key`): `failures_per_window` failed sign-ins per window, any
//!   e-mail addresses (`AppState::reserve_sign_in`);
//! - per typed e-mail address and source: after `free_failures` failures, each further attempt
//!   must wait 1 s, 2 s, 4 s, ... up to `max_delay` after the one before. The count is keyed on
//!   the address as typed (hashed), never on an account, so an unknown address is throttled
//!   exactly like a known one; and on the source, so an attacker elsewhere never makes the
//!   account's owner wait.
//!
//! Both count an attempt when it starts and give it back when it succeeds: simultaneous
//! attempts cannot slip past the count, and successes never use up an allowance. Refusals are
//! audited in a bounded way (`refusals`); each success is audited one record each.

use std::net::IpAddr;

use physio_store::{AuditOutcome, SignInFailures};
use time::{Duration, OffsetDateTime};

use super::{
    SignInOutcome,
    password::{DUMMY_HASH, verify_password},
    session::open_session,
    sha256_hex,
    two_step::after_password,
};
use crate::{
    config::LoginPolicy,
    error::ApiError,
    proxy::source_key,
    refusals::{self, Refusal},
    state::{Actor, AppState},
};

/// Checks a password and opens a session (or, when the user has a second step or the clinic
/// requires one, a pending sign-in: `auth::two_step`), within the per-source and per-(e-mail
/// address, source) limits. A success is audited; refusals are counted (`refusals::record`).
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    ip: IpAddr,
    request_id: Option<&str>,
) -> Result<SignInOutcome, ApiError> {
    let source = source_key(ip);
    let place = match state.reserve_sign_in(&source) {
        Ok(place) => place,
        Err(e) => {
            state.metrics().logins.with_label_values(&["rate_limited"]).inc();
            refusals::record(state, Refusal::SignInThrottled, ip, request_id).await?;
            return Err(e);
        }
    };
    let key = email_key(email);
    if let Err(e) = reserve_attempt(state, &key, &source).await {
        state.refund_sign_in(&source, place);
        if matches!(e, ApiError::TooManyRequests { .. }) {
            state.metrics().logins.with_label_values(&["throttled"]).inc();
            refusals::record(state, Refusal::SignInThrottled, ip, request_id).await?;
        }
        return Err(e);
    }
    let store = state.store();
    let creds = store.credentials(email).await?;
    // An unknown address is checked against a dummy hash, so it takes as long as a known one.
    let hash = creds.as_ref().map_or_else(|| DUMMY_HASH.clone(), |c| c.password_hash.clone());
    let pw = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
        .await
        .map_err(|e| ApiError::Internal(format!("password check: {e}")))?;
    let refusal = match &creds {
        None => Some(Refusal::SignInUnknownEmail),
        Some(c) if !ok || !c.user.active => Some(Refusal::SignInFailed),
        Some(_) => None,
    };
    let (Some(c), None) = (creds, refusal) else {
        state.metrics().logins.with_label_values(&["failed"]).inc();
        refusals::record(state, refusal.unwrap_or(Refusal::SignInFailed), ip, request_id).await?;
        return Err(ApiError::invalid("password", "the e-mail address or password is incorrect"));
    };
    let actor = Actor {
        clinic_id: Some(c.user.clinic_id),
        user_id: Some(c.user.id),
        role: Some(c.user.role),
        request_id,
    };
    let mut tx = store.begin().await?;
    tx.clear_sign_in_failures(&key, &source).await?;
    if let Some(pending) = after_password(state, &mut tx, &c.user).await? {
        // The password was right; the session waits for the second step.
        let e = actor.event(state.now(), "login", "pending_sign_in", None, AuditOutcome::Success);
        tx.append_audit(&e).await?;
        tx.commit().await?;
        state.refund_sign_in(&source, place);
        return Ok(SignInOutcome::SecondStep(pending));
    }
    let signed_in = open_session(state, &mut tx, c.user).await?;
    tx.append_audit(&actor.event(state.now(), "login", "session", None, AuditOutcome::Success))
        .await?;
    tx.commit().await?;
    state.refund_sign_in(&source, place);
    state.metrics().logins.with_label_values(&["success"]).inc();
    Ok(SignInOutcome::SignedIn(signed_in))
}

/// The key failures are counted under for a typed address: the SHA-256 of the address as the
/// store looks it up (trimmed, lower case), whether or not an account has it. The hash keeps
/// addresses strangers typed out of the table.
fn email_key(email: &str) -> String {
    sha256_hex(&format!("sign-in\0{}", email.trim().to_lowercase()))
}

/// Counts an attempt for (`key`, `source`) before the password is checked, or refuses it
/// (429) if the count says it must wait. The count is read and written in one transaction
/// that holds it, so simultaneous attempts are counted one after the other.
async fn reserve_attempt(state: &AppState, key: &str, source: &str) -> Result<(), ApiError> {
    let policy = state.config().login;
    let now = state.now();
    let mut tx = state.store().begin().await?;
    let mut count = tx.lock_sign_in_failures(key, source, now).await?;
    if now - count.last_attempt_at >= policy.forget_after {
        count.failures = 0;
    }
    if let Some(wait) = wait_before_next(&policy, count, now) {
        tx.commit().await?;
        return Err(ApiError::TooManyRequests {
            message: format!(
                "too many tries with this e-mail address; please wait {}, then try again",
                wait_in_words(wait)
            ),
            retry_after_secs: wait.whole_seconds().max(1),
        });
    }
    let next = SignInFailures { failures: count.failures.saturating_add(1), last_attempt_at: now };
    tx.set_sign_in_failures(key, source, next).await?;
    // Counts untouched for a day are forgotten anyway; deleting them keeps the table small.
    tx.forget_sign_in_failures(now - policy.forget_after).await?;
    tx.commit().await?;
    Ok(())
}

/// How long the next attempt must still wait after `count.failures` failures, the newest at
/// `count.last_attempt_at`: nothing for the first `free_failures`, then 1 s, doubling with each
/// further failure, up to `max_delay`.
pub(crate) fn wait_before_next(
    policy: &LoginPolicy,
    count: SignInFailures,
    now: OffsetDateTime,
) -> Option<Duration> {
    let beyond = count.failures.checked_sub(policy.free_failures).filter(|n| *n >= 0)?;
    let delay = 2i64
        .checked_pow(beyond.unsigned_abs())
        .map_or(policy.max_delay, Duration::seconds)
        .min(policy.max_delay);
    let wait = count.last_attempt_at + delay - now;
    wait.is_positive().then_some(wait)
}

/// "40 seconds", "1 minute", "15 minutes": a wait in plain words, rounded up.
pub fn wait_in_words(wait: Duration) -> String {
    let secs = wait.whole_seconds().max(1);
    if secs < 60 {
        return format!("{secs} second{}", if secs == 1 { "" } else { "s" });
    }
    let minutes = (secs + 59) / 60;
    format!("{minutes} minute{}", if minutes == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn the_wait_doubles_after_the_free_failures_up_to_the_cap() {
        let policy = LoginPolicy::default();
        let at = datetime!(2026-11-25 09:00 UTC);
        let wait = |failures| {
            wait_before_next(&policy, SignInFailures { failures, last_attempt_at: at }, at)
                .map(|d| d.whole_seconds())
        };
        assert_eq!(wait(0), None);
        assert_eq!(wait(4), None);
        assert_eq!(wait(5), Some(1));
        assert_eq!(wait(6), Some(2));
        assert_eq!(wait(14), Some(512));
        assert_eq!(wait(15), Some(900));
        assert_eq!(wait(i32::MAX), Some(900));
        let later = SignInFailures { failures: 6, last_attempt_at: at };
        assert_eq!(wait_before_next(&policy, later, at + Duration::seconds(2)), None);
    }

    #[test]
    fn waits_read_in_plain_words() {
        assert_eq!(wait_in_words(Duration::seconds(1)), "1 second");
        assert_eq!(wait_in_words(Duration::seconds(40)), "40 seconds");
        assert_eq!(wait_in_words(Duration::seconds(60)), "1 minute");
        assert_eq!(wait_in_words(Duration::seconds(61)), "2 minutes");
    }
}
