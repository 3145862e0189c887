//! Sign-in with e-mail and password: per-address rate limiting, per-account lockout, audit.

use std::net::IpAddr;

use physio_store::AuditOutcome;

use super::{
    SignInOutcome,
    password::{DUMMY_HASH, verify_password},
    session::open_session,
    two_step::after_password,
};
use crate::{
    error::ApiError,
    state::{Actor, AppState},
};

/// Checks a password and opens a session (or, when the user has a second step or the clinic
/// requires one, a pending sign-in: `auth::two_step`), with per-address rate limiting and
/// per-account lockout. Every attempt is audited.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    ip: IpAddr,
    request_id: Option<&str>,
) -> Result<SignInOutcome, ApiError> {
    let anonymous = Actor { request_id, ..Actor::default() };
    if let Err(e) = state.check_login_rate(ip) {
        state.metrics().logins.with_label_values(&["rate_limited"]).inc();
        state.audit(anonymous, "login", "session", None, AuditOutcome::Denied).await?;
        return Err(e);
    }
    let store = state.store();
    let now = state.now();
    let creds = store.credentials(email).await?;
    let hash = creds.as_ref().map_or_else(|| DUMMY_HASH.clone(), |c| c.password_hash.clone());
    let pw = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
        .await
        .map_err(|e| ApiError::Internal(format!("password check: {e}")))?;
    let failed = || ApiError::invalid("password", "the e-mail address or password is incorrect");
    let Some(c) = creds else {
        state.metrics().logins.with_label_values(&["failed"]).inc();
        state.audit(anonymous, "login", "session", None, AuditOutcome::Failed).await?;
        return Err(failed());
    };
    let actor = Actor {
        clinic_id: Some(c.user.clinic_id),
        user_id: Some(c.user.id),
        role: Some(c.user.role),
        request_id,
    };
    let locked = |until: time::OffsetDateTime| {
        let minutes = ((until - now).whole_seconds() + 59) / 60;
        ApiError::TooManyRequests {
            message: format!(
                "this account is locked after too many failed sign-ins; try again in {minutes} minute{}",
                if minutes == 1 { "" } else { "s" }
            ),
            retry_after_secs: (until - now).whole_seconds(),
        }
    };
    if let Some(until) = c.locked_until.filter(|t| *t > now) {
        state.metrics().logins.with_label_values(&["locked"]).inc();
        state.audit(actor, "login", "session", None, AuditOutcome::Denied).await?;
        return Err(locked(until));
    }
    let event = |outcome| actor.event(now, "login", "session", None, outcome);
    if !ok || !c.user.active {
        state.metrics().logins.with_label_values(&["failed"]).inc();
        let mut tx = store.begin().await?;
        let mut lock = None;
        if !ok {
            let policy = state.config().login;
            lock = tx
                .record_login_failure(c.user.id, now, policy.max_failures, policy.lockout)
                .await?;
        }
        tx.append_audit(&event(AuditOutcome::Failed)).await?;
        tx.commit().await?;
        return Err(lock.map_or_else(failed, locked));
    }
    let mut tx = store.begin().await?;
    tx.record_login_success(c.user.id).await?;
    if let Some(pending) = after_password(state, &mut tx, &c.user).await? {
        // The password was right; the session waits for the second step.
        let e = actor.event(now, "login", "pending_sign_in", None, AuditOutcome::Success);
        tx.append_audit(&e).await?;
        tx.commit().await?;
        return Ok(SignInOutcome::SecondStep(pending));
    }
    let signed_in = open_session(state, &mut tx, c.user).await?;
    tx.append_audit(&event(AuditOutcome::Success)).await?;
    tx.commit().await?;
    state.metrics().logins.with_label_values(&["success"]).inc();
    Ok(SignInOutcome::SignedIn(signed_in))
}
