//! Whether a patient's exercise is paused right now: the facts from the record, judged by
//! `physio_clinic::safety`.

use physio_clinic::safety::{Pause, SafetyFacts, exercise_pause};
use physio_store::{Db, EpisodeStatus, User};

use crate::error::ApiError;

/// The pause in force for `patient`, if any. Reads only; the caller's action is audited.
pub async fn pause(store: &Db, patient: &User) -> Result<Option<Pause>, ApiError> {
    Ok(exercise_pause(&facts(store, patient).await?))
}

/// What the record says about the patient's safety now.
async fn facts(store: &Db, patient: &User) -> Result<SafetyFacts, ApiError> {
    let (clinic, id) = (patient.clinic_id, patient.id);
    let mut facts = SafetyFacts::default();
    if let Some(ep) = store.open_episode_of(clinic, id).await? {
        let history = store.triage_history(clinic, ep.id).await?;
        // Only the latest decision counts: a later triage (the next check-in) supersedes it.
        if let Some(latest) = history.first() {
            match &latest.review {
                None if latest.decision.needs_clinician_review()
                    || ep.status == EpisodeStatus::AwaitingReview =>
                {
                    facts.unreviewed = Some(latest.tier);
                }
                None => {}
                Some(r) => facts.reviewed = Some(r.final_tier),
            }
        }
    }
    facts.open_alerts = store
        .alerts(clinic, Some(id), false)
        .await?
        .iter()
        .filter_map(|a| a.kind.safety())
        .collect();
    Ok(facts)
}
