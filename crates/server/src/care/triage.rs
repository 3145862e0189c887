//! Triage decisions: storing what the rules decided, and a clinician's review of it.

use physio_clinic::{
    intake::CheckedIntake,
    review::{ReviewForm, check_review},
    triage::TriageDecision,
};
use physio_store::{Role, StoreError, TriageRecord};
use uuid::Uuid;

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

/// The stored form of a triage decision. It waits for a clinician unless the rules placed the
/// patient in exercise care and nothing else flagged it, so an unexpected tier fails closed.
pub fn new_triage(
    clinic_id: Uuid,
    episode_id: Uuid,
    trigger: &str,
    decision: &TriageDecision,
    flag: bool,
) -> Result<physio_store::NewTriage, ApiError> {
    let needs_review = decision.needs_clinician_review() || flag;
    Ok(physio_store::NewTriage {
        clinic_id,
        episode_id,
        trigger: trigger.to_owned(),
        tier: decision.tier,
        proposed_pathway: if needs_review {
            None
        } else {
            decision.pathway.map(|p| p.as_str().to_owned())
        },
        decision: decision.clone(),
        needs_review,
    })
}

/// Runs triage on a checked intake.
pub fn decide(intake: &CheckedIntake) -> TriageDecision {
    physio_clinic::triage::triage(intake)
}

/// Triage decisions of the patient's latest episode, newest first, read on their behalf.
pub async fn history(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<Vec<TriageRecord>, ApiError> {
    let mut act = Act::new(state, p, "read", "triage");
    let r = async {
        act.patient(patient_id).await?;
        let store = act.store();
        match store.episodes(p.user.clinic_id, patient_id).await?.into_iter().next() {
            Some(ep) => Ok(store.triage_history(p.user.clinic_id, ep.id).await?),
            None => Ok(vec![]),
        }
    }
    .await;
    act.finish(r).await
}

/// A clinician's review of a triage decision, as submitted.
#[derive(Debug, Clone, Default)]
pub struct Review {
    /// The tier settled on, by its name.
    pub final_tier: String,
    /// Required when the tier changes: why.
    pub note: Option<String>,
    /// The pathway to start when the final tier is exercise care.
    pub pathway: Option<String>,
}

/// Confirms or overrides a triage decision (clinicians on the patient's care team).
pub async fn review(
    state: &AppState,
    p: &Principal,
    triage_id: Uuid,
    req: &Review,
) -> Result<TriageRecord, ApiError> {
    let mut act = Act::new(state, p, "review", "triage");
    let r = async {
        act.require_role(Role::Clinician, "only a clinician can review a triage decision")?;
        let t = match act.store().triage_record(p.user.clinic_id, triage_id).await {
            Ok(t) => t,
            Err(StoreError::NotFound(_)) => return Err(ApiError::NotFound("triage decision")),
            Err(e) => return Err(e.into()),
        };
        act.patient(t.patient_id).await?;
        let form = ReviewForm {
            final_tier: &req.final_tier,
            note: req.note.as_deref(),
            pathway: req.pathway.as_deref(),
        };
        let review = check_review(t.tier, &form).map_err(|refused| match refused.first() {
            Some(problem) => ApiError::invalid(problem.field.as_str(), problem.message.clone()),
            None => ApiError::invalid("final_tier", refused.to_string()),
        })?;
        if t.review.is_some() {
            return Err(ApiError::Conflict(
                "this triage decision has already been reviewed".into(),
            ));
        }
        let now = act.now();
        // A pathway started here takes the surgery facts from the intake, as one started at
        // the intake does.
        let surgery =
            match (review.pathway, act.store().intake(p.user.clinic_id, t.episode_id).await?) {
                (Some(_), Some(intake)) => {
                    physio_clinic::intake::Intake::from_json(&intake.answers.to_string())
                        .map(|i| crate::care::intake::surgery_facts(&i))
                        .unwrap_or_default()
                }
                _ => (None, None),
            };
        let tx = act.tx().await?;
        let record = tx
            .review_triage(
                p.user.clinic_id,
                triage_id,
                p.user.id,
                review.final_tier,
                review.note.as_deref(),
                review.pathway.map(|pw| pw.as_str()),
                now,
            )
            .await?;
        if let Some(pathway) = review.pathway {
            let (date, limit) = surgery;
            tx.set_pathway(p.user.clinic_id, t.episode_id, pathway.as_str(), date, limit).await?;
        }
        Ok(record)
    }
    .await;
    act.finish(r).await
}
