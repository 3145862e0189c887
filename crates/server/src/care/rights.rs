//! The patient's rights over their record (docs/patient-rights.md): seeing who at the clinic
//! opened or changed it, downloading all of it, and having it erased on request by an admin,
//! with the erasure itself kept (who, when, why) but none of the data.

use physio_store::{AuditEvent, Erasure, Role};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

/// How far back the access log goes.
pub const ACCESS_LOG_DAYS: i64 = 90;

/// The most records the access log reads back, newest first.
const ACCESS_LOG_READ: i64 = 2000;

/// One time someone at the clinic opened or changed the patient's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Access {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The moment in the clinic's time zone, as people read it.
    pub when: String,
    /// The person's name, or "Someone who has left the clinic".
    pub who: String,
    /// `clinician` or `admin`.
    pub role: String,
    /// `viewed` or `changed`.
    pub kind: String,
    /// What part of the record, in plain words.
    pub what: String,
}

/// Who opened the patient's record in the last [`ACCESS_LOG_DAYS`] days, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccessLog {
    pub patient_id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
    pub entries: Vec<Access>,
}

/// Who may see a patient's access log and download their record: the patient, and an admin
/// handling their request. Their clinicians see the record itself, not this.
fn patient_or_admin(p: &Principal) -> Result<(), ApiError> {
    match p.role() {
        Role::Patient | Role::Admin => Ok(()),
        Role::Clinician => {
            Err(ApiError::Forbidden("only the patient or an admin may see this".into()))
        }
    }
}

/// The staff's successful reads and changes of the patient's record in the last 90 days.
pub async fn access_log(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<AccessLog, ApiError> {
    let mut act = Act::new(state, p, "read", "access_log");
    let r = async {
        act.about(patient_id);
        patient_or_admin(p)?;
        act.patient(patient_id).await?;
        build_access_log(state, p.user.clinic_id, patient_id, act.now()).await
    }
    .await;
    act.finish(r).await
}

async fn build_access_log(
    state: &AppState,
    clinic_id: Uuid,
    patient_id: Uuid,
    now: OffsetDateTime,
) -> Result<AccessLog, ApiError> {
    let since = now - Duration::days(ACCESS_LOG_DAYS);
    let store = state.store();
    let zone = crate::care::clinic::zone(state, clinic_id).await?;
    let staff = store.users(clinic_id, None).await?;
    let events = store.audit_events(clinic_id, Some(patient_id), ACCESS_LOG_READ).await?;
    let entries = events
        .iter()
        .filter(|e| e.at >= since && is_staff_access(e, patient_id))
        .map(|e| {
            let who = e
                .actor_id
                .and_then(|id| staff.iter().find(|u| u.id == id))
                .map_or_else(|| "Someone who has left the clinic".to_owned(), |u| u.name.clone());
            Access {
                at: e.at,
                when: zone.date_time(e.at),
                who,
                role: e.actor_role.clone().unwrap_or_default(),
                kind: if is_read(&e.action) { "viewed" } else { "changed" }.to_owned(),
                what: plain_resource(&e.resource),
            }
        })
        .collect();
    Ok(AccessLog { patient_id, since, entries })
}

/// A member of staff did something to this patient's record and it went through. The
/// patient's own actions and refusals are not "who opened my record".
fn is_staff_access(e: &AuditEvent, patient_id: Uuid) -> bool {
    e.outcome == "success"
        && e.actor_id != Some(patient_id)
        && matches!(e.actor_role.as_deref(), Some("clinician" | "admin"))
}

fn is_read(action: &str) -> bool {
    matches!(action, "read" | "list" | "export")
}

/// An audit resource name in words a patient reads: `questionnaire_responses` → "questionnaire
/// responses"; the few whose names say little get their own.
fn plain_resource(resource: &str) -> String {
    match resource {
        "patient" => "your record".to_owned(),
        "access_log" => "this list".to_owned(),
        "record" => "your whole record (download)".to_owned(),
        other => other.replace('_', " "),
    }
}

/// The patient's whole record as JSON: their account and every row the clinic holds about
/// them, and who opened it lately.
pub async fn export(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<serde_json::Value, ApiError> {
    let mut act = Act::new(state, p, "export", "record");
    let r = async {
        act.about(patient_id);
        patient_or_admin(p)?;
        act.patient(patient_id).await?;
        let now = act.now();
        let mut record = state.store().patient_export(p.user.clinic_id, patient_id).await?;
        let log = build_access_log(state, p.user.clinic_id, patient_id, now).await?;
        if let serde_json::Value::Object(m) = &mut record {
            m.insert("exported_at".into(), now.to_string().into());
            m.insert("access_log".into(), serde_json::to_value(&log.entries).unwrap_or_default());
        }
        Ok(record)
    }
    .await;
    act.finish(r).await
}

/// An admin's request to erase a patient.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EraseRequest {
    /// Why: the patient's request and how it reached the clinic. Kept with the erasure.
    pub reason: String,
    /// The patient's full name, typed again to confirm which record goes.
    pub confirm_name: String,
}

/// The erasure as kept: the patient's id, who erased them, when and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ErasureView {
    pub patient_id: Uuid,
    pub erased_by: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub erased_at: OffsetDateTime,
    pub reason: String,
}

impl From<Erasure> for ErasureView {
    fn from(e: Erasure) -> Self {
        ErasureView {
            patient_id: e.patient_id,
            erased_by: e.erased_by,
            erased_at: e.erased_at,
            reason: e.reason,
        }
    }
}

/// The longest reason kept.
const REASON_MAX: usize = 1000;

/// Erases a patient at their request (admins only): every row of their data is deleted in one
/// transaction with the erasure's record and its audit record. The audit trail keeps its
/// records about the patient's id (they hold no data), so the chain still verifies.
pub async fn erase(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    req: &EraseRequest,
) -> Result<ErasureView, ApiError> {
    let mut act = Act::new(state, p, "erase", "patient");
    let r = async {
        act.about(patient_id);
        act.require_role(Role::Admin, "only an admin may erase a patient")?;
        let patient = act.patient(patient_id).await?;
        let reason = req.reason.trim();
        if reason.is_empty() {
            return Err(ApiError::invalid(
                "reason",
                "Enter why the patient is being erased, for example \"patient's written request \
                 of 3 December\"",
            ));
        }
        if reason.chars().count() > REASON_MAX {
            return Err(ApiError::invalid(
                "reason",
                format!("Keep the reason to {REASON_MAX} characters or fewer"),
            ));
        }
        if !same_name(&req.confirm_name, &patient.name) {
            return Err(ApiError::invalid(
                "confirm_name",
                "Type the patient's full name exactly as shown, to confirm",
            ));
        }
        let now = act.now();
        let erasure = act
            .tx()
            .await?
            .erase_patient(p.user.clinic_id, patient_id, p.user.id, now, reason)
            .await?;
        Ok(ErasureView::from(erasure))
    }
    .await;
    act.finish(r).await
}

/// Names compared as people type them: case and runs of spaces do not matter.
fn same_name(typed: &str, name: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    !typed.trim().is_empty() && norm(typed) == norm(name)
}

/// A clinic's erasures, newest first (admins only).
pub async fn erasures(state: &AppState, p: &Principal) -> Result<Vec<ErasureView>, ApiError> {
    let act = Act::new(state, p, "list", "erasures");
    let r = async {
        act.require_role(Role::Admin, "only an admin may see erasures")?;
        let list = state.store().erasures(p.user.clinic_id).await?;
        Ok(list.into_iter().map(ErasureView::from).collect())
    }
    .await;
    act.finish(r).await
}

#[cfg(test)]
mod tests {
    use super::same_name;

    #[test]
    fn the_confirmation_ignores_case_and_spacing_only() {
        assert!(same_name(" maria  LOPEZ ", "Maria Lopez"));
        assert!(!same_name("Maria Lopes", "Maria Lopez"));
        assert!(!same_name("", ""));
    }
}
