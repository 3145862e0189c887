//! Bounded audit of the refusals anyone can provoke without signing in: wrong passwords,
//! unknown e-mail addresses, throttled sign-ins, missing CSRF tokens, foreign origins and
//! requests without valid credentials. One audit record each would let a stranger grow the
//! audit trail, which is never pruned, by hundreds of rows a second. Instead each refusal is
//! counted per kind, source and five-minute window (`refusal_counts`), and the audit trail gets
//! one record at a window's first refusal of that kind from that source: at most
//! `Refusal::ALL.len()` records per source per window, however many requests are refused.

use std::net::IpAddr;

use physio_store::AuditOutcome;
use time::{Duration, OffsetDateTime};

use crate::{
    error::ApiError,
    proxy::source_key,
    state::{Actor, AppState},
};

/// How long one count runs.
pub const WINDOW: Duration = Duration::minutes(5);

/// What was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A wrong password for an account that exists, or the right one for a deactivated account.
    SignInFailed,
    /// An e-mail address no account has. Answered exactly like `SignInFailed`; only the count
    /// tells them apart.
    SignInUnknownEmail,
    /// A sign-in not tried because its source or its (e-mail address, source) must wait.
    SignInThrottled,
    /// A state change with a session cookie but without the session's CSRF token.
    Csrf,
    /// A state change whose `Origin` is another site.
    ForeignOrigin,
    /// A request without a valid session or API token (401).
    Unauthenticated,
}

impl Refusal {
    pub const ALL: [Refusal; 6] = [
        Refusal::SignInFailed,
        Refusal::SignInUnknownEmail,
        Refusal::SignInThrottled,
        Refusal::Csrf,
        Refusal::ForeignOrigin,
        Refusal::Unauthenticated,
    ];

    /// The name counts are kept under.
    pub fn kind(self) -> &'static str {
        match self {
            Refusal::SignInFailed => "sign_in_failed",
            Refusal::SignInUnknownEmail => "sign_in_unknown_email",
            Refusal::SignInThrottled => "sign_in_throttled",
            Refusal::Csrf => "csrf",
            Refusal::ForeignOrigin => "foreign_origin",
            Refusal::Unauthenticated => "unauthenticated",
        }
    }

    /// The audit record's action, resource and outcome.
    fn audited_as(self) -> (&'static str, &'static str, AuditOutcome) {
        match self {
            Refusal::SignInFailed => ("login", "session", AuditOutcome::Failed),
            Refusal::SignInUnknownEmail => ("login", "session", AuditOutcome::NotFound),
            Refusal::SignInThrottled => ("login", "session", AuditOutcome::Denied),
            Refusal::Csrf => ("csrf_check", "request", AuditOutcome::Denied),
            Refusal::ForeignOrigin => ("origin_check", "request", AuditOutcome::Denied),
            Refusal::Unauthenticated => ("authenticate", "request", AuditOutcome::Denied),
        }
    }
}

/// The start of the window `at` falls in.
pub fn window_of(at: OffsetDateTime) -> OffsetDateTime {
    let secs = WINDOW.whole_seconds();
    let start = at.unix_timestamp().div_euclid(secs) * secs;
    OffsetDateTime::from_unix_timestamp(start).unwrap_or(at)
}

/// Counts `refusal` from `ip`; the window's first of its kind from that source is also
/// appended to the audit trail, in the same transaction. The record names no account: it
/// stands for every refusal of the window, whoever they were aimed at.
pub async fn record(
    state: &AppState,
    refusal: Refusal,
    ip: IpAddr,
    request_id: Option<&str>,
) -> Result<(), ApiError> {
    let now = state.now();
    let mut tx = state.store().begin().await?;
    let n = tx.count_refusal(refusal.kind(), &source_key(ip), window_of(now), now).await?;
    if n == 1 {
        let (action, resource, outcome) = refusal.audited_as();
        let actor = Actor { request_id, ..Actor::default() };
        tx.append_audit(&actor.event(now, action, resource, None, outcome)).await?;
    }
    tx.commit().await?;
    if n == 1 {
        state.metrics().audit_records.inc();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn windows_start_on_the_five_minutes() {
        assert_eq!(window_of(datetime!(2026-11-25 09:04:59 UTC)), datetime!(2026-11-25 09:00 UTC));
        assert_eq!(window_of(datetime!(2026-11-25 09:05:00 UTC)), datetime!(2026-11-25 09:05 UTC));
    }
}
