//! The weekly check-in: today's pain and red-flag answers re-run triage on the intake. High
//! pain, a rise in pain or a new red flag stops exercise and tells the care team.

use physio_clinic::alert::NewAlert;
use physio_clinic::{
    checkin::{CheckIn, CheckInOutcome, assess},
    intake::PainScore,
    questionnaire::InstrumentId,
};
use physio_store::{EpisodeStatus, NewResponse, Role, TriageRecord};
use serde_json::{Map, Value, json};

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

/// What a check-in found.
#[derive(Debug, Clone)]
pub struct CheckedIn {
    pub triage: TriageRecord,
    /// The clinic's judgement: flags, whether exercise pauses, what to tell the patient.
    pub outcome: CheckInOutcome,
}

/// A patient checks in with `update`: today's answers in the intake's own fields (`pain_now`,
/// `symptoms`). Triage runs again on the intake with them; `physio_clinic::checkin` judges
/// the result. The triage record, an NPRS score (when the patient gave one) and one alert for
/// the care team (when anything was flagged) are written in one transaction.
pub async fn check_in(
    state: &AppState,
    p: &Principal,
    update: Map<String, Value>,
) -> Result<CheckedIn, ApiError> {
    let mut act = Act::new(state, p, "create", "check_in");
    let r = async {
        act.about(p.user.id);
        act.require_role(Role::Patient, "only patients check in")?;
        let store = act.store();
        let (clinic, now) = (p.user.clinic_id, act.now());
        let ep = match store.open_episode_of(clinic, p.user.id).await? {
            Some(ep) if ep.status != EpisodeStatus::Intake => ep,
            _ => return Err(ApiError::Conflict("send your intake first".into())),
        };
        let Some(intake) = store.intake(clinic, ep.id).await? else {
            return Err(ApiError::Conflict("send your intake first".into()));
        };
        let earlier = physio_clinic::intake::parse(&intake.answers.to_string(), now.date())
            .map_err(|e| ApiError::Internal(format!("the stored intake no longer reads: {e}")))?;
        let mut document = intake.answers.as_object().cloned().unwrap_or_default();
        document.extend(update);
        let today = physio_clinic::intake::parse(&Value::Object(document).to_string(), now.date())
            .map_err(|e| ApiError::invalid("pain_now", e.to_string()))?;
        let decision = crate::care::triage::decide(&today);
        let nprs = store.responses(clinic, p.user.id, Some(InstrumentId::Nprs.as_str())).await?;
        let latest_score =
            nprs.last().and_then(|r| PainScore::new(r.score.round().clamp(0.0, 10.0) as u8).ok());
        let history = store.triage_history(clinic, ep.id).await?;
        let confirmed_tier = history.iter().find_map(|t| t.review.as_ref()).map(|r| r.final_tier);
        let outcome = assess(&CheckIn {
            latest_score,
            intake_pain: earlier.pain_now(),
            pain_now: today.pain_now(),
            earlier_symptoms: &earlier.intake().symptoms,
            symptoms_now: &today.intake().symptoms,
            tier: decision.tier,
            confirmed_tier,
        });
        // One alert per check-in, named by its most serious flag, saying everything found.
        let alerts: Vec<NewAlert> = NewAlert::from_check_in(&outcome).into_iter().collect();
        let zone = crate::care::clinic::zone(state, clinic).await?;
        let mut triage = crate::care::triage::new_triage(
            clinic,
            ep.id,
            outcome.trigger.as_str(),
            &decision,
            outcome.pause_exercise,
        )?;
        // A check-in never moves the pathway; the clinician does.
        triage.proposed_pathway = None;
        let tx = act.tx().await?;
        let triage = tx.record_triage(&triage, now).await?;
        if let Some(pain) = outcome.pain_now {
            let score = physio_clinic::questionnaire::score(
                InstrumentId::Nprs,
                &[Some(f64::from(pain.get()))],
            )
            .map_err(|e| ApiError::Internal(format!("nprs: {e}")))?;
            let response = NewResponse {
                clinic_id: clinic,
                episode_id: ep.id,
                instrument: InstrumentId::Nprs.as_str().into(),
                timepoint: "check_in".into(),
                answers: json!({ "answers": [pain.get()] }),
                result: serde_json::to_value(&score).unwrap_or(Value::Null),
                score: f64::from(pain.get()),
            };
            tx.add_response(&response, &alerts, zone.tz(), now).await?;
        } else if !alerts.is_empty() {
            tx.add_alerts(clinic, p.user.id, &alerts, zone.tz(), now).await?;
        }
        Ok(CheckedIn { triage, outcome })
    }
    .await;
    act.finish(r).await
}
