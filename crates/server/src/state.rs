//! What every handler shares: the store, the clock, the settings, metrics and the sign-in limiter.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use physio_store::{AuditOutcome, NewAuditEvent, Role, Store};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{clock::Clock, config::Config, error::ApiError, metrics::Metrics};

#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    clock: Arc<dyn Clock>,
    config: Config,
    metrics: Metrics,
    /// Failed sign-ins per source (`proxy::source_key`) in the last window. In memory, per
    /// process: it is a coarse guard against one source trying many addresses, and forgetting
    /// it at a restart gives an attacker one window's allowance more at most. The finer
    /// per-(e-mail address, source) count, which holds the growing waits, is in the database
    /// and so holds across restarts and processes.
    attempts: Mutex<HashMap<String, Vec<OffsetDateTime>>>,
    live: crate::live::Parked,
    audits: crate::audit_batch::AuditBatcher,
}

/// Who did something, for the audit trail.
#[derive(Debug, Clone, Copy, Default)]
pub struct Actor<'a> {
    pub clinic_id: Option<Uuid>,
    pub user_id: Option<Uuid>,
    pub role: Option<Role>,
    pub request_id: Option<&'a str>,
}

impl Actor<'_> {
    /// The audit record of this actor doing `action` to `resource`.
    pub fn event(
        &self,
        at: OffsetDateTime,
        action: &str,
        resource: &str,
        patient_id: Option<Uuid>,
        outcome: AuditOutcome,
    ) -> NewAuditEvent {
        NewAuditEvent {
            at,
            clinic_id: self.clinic_id,
            actor_id: self.user_id,
            actor_role: self.role,
            action: action.to_owned(),
            resource: resource.to_owned(),
            patient_id,
            outcome,
            request_id: self.request_id.map(str::to_owned),
        }
    }
}

impl AppState {
    pub fn new(store: Store, clock: Arc<dyn Clock>, config: Config) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                store,
                clock,
                config,
                metrics: Metrics::new(),
                attempts: Mutex::new(HashMap::new()),
                live: crate::live::Parked::default(),
                audits: crate::audit_batch::AuditBatcher::default(),
            }),
        }
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn now(&self) -> OffsetDateTime {
        self.inner.clock.now()
    }

    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Live exercise sessions waiting for their patient to reconnect.
    pub fn live(&self) -> &crate::live::Parked {
        &self.inner.live
    }

    /// Clinic-loaded questionnaire wording (empty when Physio's own labels are used).
    pub fn wording(&self) -> &[physio_clinic::questionnaire::Instrument] {
        &self.inner.config.wording
    }

    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// Records an event that changes nothing else (a sign-in, a refusal) in a transaction of
    /// its own. A failure here fails the request: patient data is not served or changed
    /// without a record of it. Changes are audited inside their own transaction instead
    /// (`care::Act`).
    pub async fn audit(
        &self,
        actor: Actor<'_>,
        action: &str,
        resource: &str,
        patient_id: Option<Uuid>,
        outcome: AuditOutcome,
    ) -> Result<(), ApiError> {
        self.append_audit(&actor.event(self.now(), action, resource, patient_id, outcome)).await
    }

    /// Appends one record that goes with no other change, durably, grouped with others
    /// waiting at the same moment (`audit_batch`).
    pub(crate) async fn append_audit(&self, event: &NewAuditEvent) -> Result<(), ApiError> {
        self.inner.audits.append(self.store(), event.clone()).await?;
        self.metrics().audit_records.inc();
        Ok(())
    }

    /// Takes one place in `source`'s allowance of failed sign-ins before the password is
    /// checked, so that attempts made at the same moment cannot all pass. Returns the place's
    /// time, for [`AppState::refund_sign_in`] when the attempt succeeds: only failures use up the
    /// allowance, so a clinic of many users behind one address is never shut out by its own
    /// sign-ins.
    pub fn reserve_sign_in(&self, source: &str) -> Result<OffsetDateTime, ApiError> {
        let policy = self.config().login;
        let now = self.now();
        let mut map = self.inner.attempts.lock().unwrap_or_else(|e| e.into_inner());
        // Forget sources whose failures have all aged out, so the map stays small.
        map.retain(|_, v| v.last().is_some_and(|t| now - *t < policy.window));
        let recent = map.entry(source.to_owned()).or_default();
        recent.retain(|t| now - *t < policy.window);
        if recent.len() >= policy.failures_per_window {
            let wait = policy.window - (now - recent[0]);
            return Err(ApiError::TooManyRequests {
                message: format!(
                    "too many tries from your internet connection; please wait {}, then try again",
                    crate::auth::wait_in_words(wait)
                ),
                retry_after_secs: wait.whole_seconds().max(1),
            });
        }
        recent.push(now);
        Ok(now)
    }

    /// Gives back the place [`AppState::reserve_sign_in`] took at `at`: the attempt succeeded,
    /// or was not tried.
    pub fn refund_sign_in(&self, source: &str, at: OffsetDateTime) {
        let mut map = self.inner.attempts.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(recent) = map.get_mut(source)
            && let Some(i) = recent.iter().position(|t| *t == at)
        {
            recent.remove(i);
        }
    }
}
