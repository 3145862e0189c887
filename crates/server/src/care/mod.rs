//! The care layer: every action on a patient's care, and every read of it, written once.
//!
//! An action is an [`Act`]: it authorizes the caller, validates the request with `clinic`'s
//! rules, writes through one store transaction and appends its audit record to that same
//! transaction, recording the real outcome. `success` is written only together with the
//! change it describes; a refusal rolls back whatever was begun and records `denied`,
//! `not_found`, `invalid` or `failed` on its own. The API (`crate::api`) and the pages
//! (`crate::pages`) are thin adapters over these functions and never write to the store.
//!
//! The shape of every action:
//!
//! ```text
//! pub async fn review_triage(state, p, …) -> Result<TriageRecord, ApiError> {
//!     let mut act = Act::new(state, p, "review", "triage");
//!     let r = async { /* authorize, validate, act.tx().await?.write(…) */ }.await;
//!     act.finish(r).await
//! }
//! ```

pub mod access;
pub mod account;
pub mod alerts;
pub mod caseload;
pub mod checkin;
pub mod clinic;
pub mod contacts;
pub mod day;
pub mod intake;
pub mod lessons;
pub mod library;
pub mod messages;
pub mod operator;
pub mod oversight;
pub mod pathway;
pub mod programme;
pub mod progress;
pub mod progression;
pub mod questionnaires;
pub mod records;
pub mod references;
pub mod reminders;
pub mod rights;
pub mod safety;
pub mod sessions;
pub mod sso;
pub mod tokens;
pub mod triage;
pub mod two_step;
pub mod users;

use physio_store::{AuditOutcome, Role, Store, Tx};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{auth::Principal, error::ApiError, state::AppState};

/// One action in progress: who does what to which patient, and its transaction once begun.
pub struct Act<'a> {
    pub state: &'a AppState,
    pub p: &'a Principal,
    action: &'static str,
    resource: &'static str,
    patient: Option<Uuid>,
    tx: Option<Tx>,
}

impl<'a> Act<'a> {
    pub fn new(
        state: &'a AppState,
        p: &'a Principal,
        action: &'static str,
        resource: &'static str,
    ) -> Act<'a> {
        Act { state, p, action, resource, patient: None, tx: None }
    }

    /// Committed data, read outside this action's transaction.
    pub fn store(&self) -> &'a Store {
        self.state.store()
    }

    pub fn now(&self) -> OffsetDateTime {
        self.state.now()
    }

    /// The patient the audit record is about.
    pub fn about(&mut self, patient_id: Uuid) {
        self.patient = Some(patient_id);
    }

    /// This action's transaction, begun on first use. On SQLite this is where a writer waits
    /// its turn, so validation and reads come first.
    pub async fn tx(&mut self) -> Result<&mut Tx, ApiError> {
        let tx = match self.tx.take() {
            Some(tx) => tx,
            None => self.state.store().begin().await?,
        };
        Ok(self.tx.insert(tx))
    }

    /// Refuses unless the caller has `role`; `why` tells them who may.
    pub fn require_role(&self, role: Role, why: &str) -> Result<(), ApiError> {
        if self.p.role() == role { Ok(()) } else { Err(ApiError::Forbidden(why.to_owned())) }
    }

    /// Ends the action. On success the audit record joins the action's transaction and both
    /// commit together; on failure everything begun is rolled back and the refusal is
    /// recorded on its own.
    pub async fn finish<T>(self, r: Result<T, ApiError>) -> Result<T, ApiError> {
        let Act { state, p, action, resource, patient, tx } = self;
        let event = |outcome| p.actor().event(state.now(), action, resource, patient, outcome);
        match r {
            Ok(v) => {
                match tx {
                    Some(mut tx) => {
                        tx.append_audit(&event(AuditOutcome::Success)).await?;
                        tx.commit().await?;
                        state.metrics().audit_records.inc();
                    }
                    // A read: its record changes nothing else, so it joins the group commit.
                    None => state.append_audit(&event(AuditOutcome::Success)).await?,
                }
                Ok(v)
            }
            Err(e) => {
                // Roll back first: on SQLite the refusal's own transaction needs the writer's
                // turn this one holds. A failed rollback still ends the transaction.
                if let Some(tx) = tx {
                    let _ = tx.rollback().await;
                }
                state.append_audit(&event(outcome_of(&e))).await?;
                Err(e)
            }
        }
    }
}

/// What a refusal is recorded as.
fn outcome_of(e: &ApiError) -> AuditOutcome {
    match e {
        ApiError::Unauthorized | ApiError::Forbidden(_) => AuditOutcome::Denied,
        ApiError::NotFound(_) => AuditOutcome::NotFound,
        ApiError::BadRequest(_)
        | ApiError::Invalid { .. }
        | ApiError::Problems(_)
        | ApiError::PayloadTooLarge
        | ApiError::UnsupportedMediaType(_) => AuditOutcome::Invalid,
        ApiError::Conflict(_) | ApiError::TooManyRequests { .. } | ApiError::Internal(_) => {
            AuditOutcome::Failed
        }
    }
}
