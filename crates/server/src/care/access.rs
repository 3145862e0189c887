//! Who may act on which patient: the one access rule, applied inside every care action.

use physio_store::{Role, StoreError, User};
use uuid::Uuid;

use crate::{care::Act, error::ApiError};

impl Act<'_> {
    /// Returns the patient if the caller may act on them, and makes them the subject of the
    /// action's audit record.
    ///
    /// A patient may act only on themselves; a clinician, on patients whose care team they are
    /// on; an admin, on any patient of their clinic. Another clinic's patient is "not found",
    /// so ids cannot be probed across clinics; a patient of the same clinic outside one's remit
    /// is "forbidden".
    pub async fn patient(&mut self, patient_id: Uuid) -> Result<User, ApiError> {
        self.about(patient_id);
        let p = self.p;
        let store = self.store();
        let patient = match store.patient(p.user.clinic_id, patient_id).await {
            Ok(u) => u,
            Err(StoreError::NotFound(_)) => return Err(ApiError::NotFound("patient")),
            Err(e) => return Err(e.into()),
        };
        let allowed = match p.role() {
            Role::Patient => p.user.id == patient_id,
            Role::Clinician => store.on_care_team(p.user.id, patient_id).await?,
            Role::Admin => true,
        };
        if !allowed {
            return Err(ApiError::Forbidden("you are not on this patient's care team".into()));
        }
        Ok(patient)
    }

    /// Like [`Act::patient`], but only the patient's clinicians may act (not the patient, and
    /// not an admin, whose role is accounts and access, not clinical decisions).
    pub async fn patient_as_clinician(
        &mut self,
        patient_id: Uuid,
        why: &str,
    ) -> Result<User, ApiError> {
        self.about(patient_id);
        self.require_role(Role::Clinician, why)?;
        self.patient(patient_id).await
    }
}
