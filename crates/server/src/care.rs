//! Care steps shared by the API and the pages, so both apply the same rules: which episode a
//! patient's questionnaires belong to and what is due, storing a scored answer with its alerts,
//! and turning a triage decision into the record the store keeps.

use physio_clinic::{
    questionnaire::{Instrument, InstrumentId, ScoreResult},
    schedule::Due,
};
use physio_store::{AuditOutcome, Episode, EpisodeStatus, NewResponse, NewTriage, ResponseRecord};
use serde_json::Value;
use uuid::Uuid;

use crate::{auth::Principal, error::ApiError, state::AppState};

/// The episode a patient's questionnaires belong to: the open one once its intake is sent,
/// else the last one if it was discharged in the past 30 days (its discharge questionnaires).
pub(crate) async fn questionnaire_episode(
    state: &AppState,
    p: &Principal,
) -> Result<Option<Episode>, ApiError> {
    let latest = state.store().episodes(p.user.clinic_id, p.user.id).await?.into_iter().next();
    Ok(latest.filter(|e| match e.status {
        EpisodeStatus::Intake => false,
        EpisodeStatus::Discharged => {
            e.discharged_at.is_some_and(|d| state.now() - d < time::Duration::days(30))
        }
        _ => true,
    }))
}

/// Neck pain is measured with the NDI rather than the ODI.
async fn neck_only(state: &AppState, ep: &Episode) -> Result<bool, ApiError> {
    let intake = state.store().intake(ep.clinic_id, ep.id).await?;
    let regions: Vec<String> = intake
        .and_then(|i| i.answers.get("regions").cloned())
        .and_then(|r| serde_json::from_value(r).ok())
        .unwrap_or_default();
    Ok(regions == ["cervical"])
}

/// What is due now in an episode: the clinic's reassessments, or the discharge set.
pub(crate) async fn due_in(state: &AppState, ep: &Episode) -> Result<Vec<Due>, ApiError> {
    let store = state.store();
    let done: Vec<(InstrumentId, String)> = store
        .responses(ep.clinic_id, ep.patient_id, None)
        .await?
        .into_iter()
        .filter(|r| r.episode_id == ep.id)
        .filter_map(|r| Some((r.instrument.parse().ok()?, r.timepoint)))
        .collect();
    let neck = neck_only(state, ep).await?;
    if let Some(discharged) = ep.discharged_at {
        return Ok(physio_clinic::schedule::due_at_discharge(discharged.date(), neck, &done));
    }
    let weeks = store.reassessment_weeks(ep.clinic_id).await?;
    Ok(physio_clinic::schedule::due(&weeks, ep.opened_at.date(), state.now().date(), neck, &done))
}

/// The clinic's wording when it loaded one, else Physio's own labels.
pub(crate) fn instrument(state: &AppState, id: InstrumentId) -> Instrument {
    state
        .wording()
        .iter()
        .find(|i| i.id() == id)
        .cloned()
        .unwrap_or_else(|| Instrument::builtin(id).clone())
}

/// Stores a scored questionnaire with the alerts it raised, audited. It is filed under the
/// requested time point only when that questionnaire is due then; otherwise as `adhoc`.
pub(crate) async fn record_response(
    state: &AppState,
    p: &Principal,
    ep: &Episode,
    result: &ScoreResult,
    answers: Value,
    requested_timepoint: &str,
) -> Result<(ResponseRecord, bool), ApiError> {
    let due = due_in(state, ep).await?;
    let timepoint = if due
        .iter()
        .any(|d| d.instrument == result.instrument && d.timepoint == requested_timepoint)
    {
        requested_timepoint.to_owned()
    } else {
        "adhoc".to_owned()
    };
    let alerts: Vec<(String, String)> = result
        .alerts
        .iter()
        .map(|a| {
            let v = serde_json::to_value(a).unwrap_or(Value::Null);
            (
                v["code"].as_str().unwrap_or("alert").to_owned(),
                v["message"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    let new = NewResponse {
        clinic_id: ep.clinic_id,
        episode_id: ep.id,
        instrument: result.instrument.as_str().to_owned(),
        timepoint,
        answers,
        result: serde_json::to_value(result).unwrap_or(Value::Null),
        score: result.score,
    };
    let r = state.store().add_response(&new, &alerts, state.now()).await?;
    state
        .audit(
            p.actor(),
            "create",
            "questionnaire_response",
            Some(ep.patient_id),
            AuditOutcome::Success,
        )
        .await?;
    Ok((r, !alerts.is_empty()))
}

/// The stored form of a triage decision. Every tier but exercise care waits for a clinician,
/// and so does anything the caller flags (a pain rise).
pub(crate) fn new_triage(
    clinic_id: Uuid,
    episode_id: Uuid,
    trigger: &str,
    decision: Value,
    flag: bool,
) -> NewTriage {
    let tier = decision.get("tier").and_then(Value::as_str).unwrap_or("exercise").to_owned();
    let rules_say = decision
        .get("needs_clinician_review")
        .and_then(Value::as_bool)
        .unwrap_or(tier != "exercise");
    NewTriage {
        clinic_id,
        episode_id,
        trigger: trigger.to_owned(),
        proposed_pathway: decision.get("pathway").and_then(Value::as_str).map(str::to_owned),
        tier,
        decision,
        needs_review: rules_say || flag,
    }
}
