//! Alerts for the care team (a PHQ-9 item 9 answer, a pain rise, a red flag at check-in), and
//! a clinician acknowledging one.

use physio_store::{Alert, Role, StoreError};
use uuid::Uuid;

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

/// Open alerts about a patient (staff only), read on their behalf.
pub async fn open(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<Vec<Alert>, ApiError> {
    let mut act = Act::new(state, p, "read", "alert");
    let r = async {
        act.about(patient_id);
        if p.role() == Role::Patient {
            return Err(ApiError::Forbidden("alerts are for the care team".into()));
        }
        act.patient(patient_id).await?;
        Ok(act.store().alerts(p.user.clinic_id, Some(patient_id), false).await?)
    }
    .await;
    act.finish(r).await
}

/// Marks an alert as seen and acted on (clinicians on the patient's care team).
pub async fn acknowledge(
    state: &AppState,
    p: &Principal,
    alert_id: Uuid,
) -> Result<Alert, ApiError> {
    let mut act = Act::new(state, p, "acknowledge", "alert");
    let r = async {
        act.require_role(Role::Clinician, "only a clinician can acknowledge an alert")?;
        let alert = match act.store().alert(p.user.clinic_id, alert_id).await {
            Ok(a) if a.acknowledged_at.is_none() => a,
            Ok(_) | Err(StoreError::NotFound(_)) => return Err(ApiError::NotFound("open alert")),
            Err(e) => return Err(e.into()),
        };
        act.patient(alert.patient_id).await?;
        let now = act.now();
        act.tx().await?.acknowledge_alert(p.user.clinic_id, alert_id, p.user.id, now).await?;
        Ok(Alert { acknowledged_by: Some(p.user.id), acknowledged_at: Some(now), ..alert })
    }
    .await;
    act.finish(r).await
}
