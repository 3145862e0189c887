//! Who may see which patient. Every route that touches a patient goes through here, and every
//! decision, allowed or refused, is audited.

use physio_store::{AuditOutcome, Role, StoreError, User};
use uuid::Uuid;

use crate::{auth::Principal, error::ApiError, state::AppState};

/// Returns the patient if `p` may access them, auditing `action` on `resource` either way.
///
/// A patient may access only themselves; a clinician, patients on whose care team they are; an
/// admin, any patient of their clinic. Another clinic's patient is "not found", so ids cannot be
/// probed across clinics; a patient of the same clinic outside one's remit is "forbidden".
pub async fn patient_access(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    action: &str,
    resource: &str,
) -> Result<User, ApiError> {
    let refuse = |outcome: AuditOutcome, err: ApiError| async move {
        state.audit(p.actor(), action, resource, Some(patient_id), outcome).await?;
        Err(err)
    };
    let patient = match state.store().patient(p.user.clinic_id, patient_id).await {
        Ok(u) => u,
        Err(StoreError::NotFound(_)) => {
            return refuse(AuditOutcome::NotFound, ApiError::NotFound("patient")).await;
        }
        Err(e) => return Err(e.into()),
    };
    let allowed = match p.role() {
        Role::Patient => p.user.id == patient_id,
        Role::Clinician => state.store().on_care_team(p.user.id, patient_id).await?,
        Role::Admin => true,
    };
    if !allowed {
        let msg = "you are not on this patient's care team";
        return refuse(AuditOutcome::Denied, ApiError::Forbidden(msg.into())).await;
    }
    state.audit(p.actor(), action, resource, Some(patient_id), AuditOutcome::Success).await?;
    Ok(patient)
}

/// Refuses unless `p` is an admin, auditing the refusal.
pub async fn require_admin(
    state: &AppState,
    p: &Principal,
    action: &str,
    resource: &str,
) -> Result<(), ApiError> {
    if p.role() == Role::Admin {
        return Ok(());
    }
    state.audit(p.actor(), action, resource, None, AuditOutcome::Denied).await?;
    Err(ApiError::forbidden())
}
