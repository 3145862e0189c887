//! Alerts for the care team (docs/alerts.md): a clinician's inbox, a patient's alert history,
//! and closing an alert with a note of what was done. Closing a safety alert lifts the pause
//! it put on exercise (`care::safety` counts only open ones). Alerts are raised by the actions
//! that find something (intake, check-in, questionnaires, the guided session) and by the
//! oversight sweep (`care::oversight`).

use physio_clinic::alert::check_close_note;
use physio_store::{Alert, AlertState, InboxAlert, Role, StoreError};
use uuid::Uuid;

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

/// Who may close an alert.
const CLINICIANS_CLOSE: &str = "only a clinician on the patient's care team can close an alert";

/// The caller's inbox: alerts about the patients whose care team they are on (clinicians).
/// Open ones come most urgent first, then by deadline.
pub async fn inbox(
    state: &AppState,
    p: &Principal,
    which: AlertState,
) -> Result<Vec<InboxAlert>, ApiError> {
    let act = Act::new(state, p, "read", "alert_inbox");
    let r = async {
        act.require_role(Role::Clinician, "the alert inbox is for clinicians")?;
        Ok(act.store().inbox(p.user.clinic_id, p.user.id, which).await?)
    }
    .await;
    act.finish(r).await
}

/// A patient's alerts, newest first: open ones, closed ones (with who closed each, when and
/// the note) or both. Staff only: the patient's clinicians and the clinic's admins.
pub async fn history(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    which: AlertState,
) -> Result<Vec<Alert>, ApiError> {
    let mut act = Act::new(state, p, "read", "alert");
    let r = async {
        act.about(patient_id);
        if p.role() == Role::Patient {
            return Err(ApiError::Forbidden("alerts are for the care team".into()));
        }
        act.patient(patient_id).await?;
        let all = act.store().alerts(p.user.clinic_id, Some(patient_id), true).await?;
        Ok(all
            .into_iter()
            .filter(|a| match which {
                AlertState::Open => a.is_open(),
                AlertState::Closed => !a.is_open(),
                AlertState::All => true,
            })
            .collect())
    }
    .await;
    act.finish(r).await
}

/// Closes an alert with a short note of what was done (1 to 500 characters, field `note`), by
/// a clinician on the patient's care team. A safety alert closed lifts its pause on exercise.
pub async fn close(
    state: &AppState,
    p: &Principal,
    alert_id: Uuid,
    note: &str,
) -> Result<Alert, ApiError> {
    let mut act = Act::new(state, p, "close", "alert");
    let r = async {
        act.require_role(Role::Clinician, CLINICIANS_CLOSE)?;
        let alert = match act.store().alert(p.user.clinic_id, alert_id).await {
            Ok(a) => a,
            Err(StoreError::NotFound(_)) => return Err(ApiError::NotFound("alert")),
            Err(e) => return Err(e.into()),
        };
        act.patient_as_clinician(alert.patient_id, CLINICIANS_CLOSE).await?;
        if !alert.is_open() {
            return Err(ApiError::Conflict("this alert is already closed".into()));
        }
        let note = check_close_note(note).map_err(|m| ApiError::invalid("note", m))?;
        let now = act.now();
        act.tx()
            .await?
            .close_alert(p.user.clinic_id, alert_id, Some(p.user.id), &note, now)
            .await?;
        Ok(Alert {
            closed_by: Some(p.user.id),
            closed_by_name: Some(p.user.name.clone()),
            closed_at: Some(physio_store::db_time(now)),
            close_note: Some(note),
            ..alert
        })
    }
    .await;
    act.finish(r).await
}

/// The count beside "Inbox" in a clinician's navigation: the open alerts of their care teams'
/// patients (proposals waiting are among them once the oversight sweep has raised theirs). Not
/// audited: it names no patient and runs on every page.
pub async fn nav_count(state: &AppState, p: &Principal) -> Result<Option<i64>, ApiError> {
    if p.role() != Role::Clinician {
        return Ok(None);
    }
    let open = state.store().inbox(p.user.clinic_id, p.user.id, AlertState::Open).await?;
    Ok(Some(i64::try_from(open.len()).unwrap_or(i64::MAX)))
}
