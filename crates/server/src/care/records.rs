//! Reading patient records: who may see which patient, each read audited.

use physio_store::{CareTeamMember, Episode, PatientFilter, Role, User};
use uuid::Uuid;

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

/// Opens a patient's record to read `resource`: authorizes and audits the read, then hands
/// back the patient. A page reads what it shows right after this, through the store.
pub async fn open(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    resource: &'static str,
) -> Result<User, ApiError> {
    let mut act = Act::new(state, p, "read", resource);
    let r = act.patient(patient_id).await;
    act.finish(r).await
}

/// Opens a patient's record for their care team's clinical work: like [`open`], but refused to
/// the patient themselves (alerts, triage review and reference ranges are the clinicians').
pub async fn open_as_staff(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    resource: &'static str,
) -> Result<User, ApiError> {
    let mut act = Act::new(state, p, "read", resource);
    let r = async {
        act.about(patient_id);
        if p.role() == Role::Patient {
            return Err(ApiError::Forbidden("this part of the record is for the care team".into()));
        }
        act.patient(patient_id).await
    }
    .await;
    act.finish(r).await
}

/// A patient and their care team.
pub async fn patient(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<(User, Vec<CareTeamMember>), ApiError> {
    let mut act = Act::new(state, p, "read", "patient");
    let r = async {
        let patient = act.patient(patient_id).await?;
        let team = act.store().care_teams(p.user.clinic_id, Some(patient_id)).await?;
        Ok((patient, team))
    }
    .await;
    act.finish(r).await
}

/// A patient's episodes of care, newest first.
pub async fn episodes(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<Vec<Episode>, ApiError> {
    let mut act = Act::new(state, p, "read", "episode");
    let r = async {
        act.patient(patient_id).await?;
        Ok(act.store().episodes(p.user.clinic_id, patient_id).await?)
    }
    .await;
    act.finish(r).await
}

/// Which patients to list.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Search in name, e-mail and summary.
    pub q: Option<String>,
    /// Only this clinician's patients (admins; a clinician always gets their own).
    pub clinician_id: Option<Uuid>,
    pub include_inactive: bool,
}

/// The patients a caller may list, with the clinic's care teams: a clinician's caseload, or
/// an admin's whole clinic. Audited as one record per list.
pub async fn list(
    state: &AppState,
    p: &Principal,
    q: &ListQuery,
) -> Result<(Vec<User>, Vec<CareTeamMember>), ApiError> {
    let act = Act::new(state, p, "list", "patient");
    let r = async {
        let clinician_id = match p.role() {
            Role::Clinician => {
                if q.clinician_id.is_some_and(|c| c != p.user.id) {
                    return Err(ApiError::Forbidden(
                        "clinicians can list only their own caseload".into(),
                    ));
                }
                Some(p.user.id)
            }
            Role::Admin => q.clinician_id,
            Role::Patient => return Err(ApiError::forbidden()),
        };
        let filter = PatientFilter {
            clinician_id,
            search: q.q.clone(),
            include_inactive: q.include_inactive,
        };
        let store = act.store();
        let patients = store.patients(p.user.clinic_id, &filter).await?;
        let teams = store.caseload_care_teams(p.user.clinic_id, clinician_id).await?;
        Ok((patients, teams))
    }
    .await;
    act.finish(r).await
}
