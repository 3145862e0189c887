//! Questionnaires: which episode they belong to and what is due, and a patient's answer,
//! scored and stored with the alerts it raised.

use physio_clinic::{
    alert::{AlertKind, NewAlert},
    intake::Region,
    questionnaire::{AlertCode, Instrument, InstrumentId, ScoreResult},
    schedule::{Due, EpisodeDates},
};
use physio_store::{Episode, NewResponse, ResponseRecord, Role, Store};
use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

/// The episode a patient's questionnaires belong to: the latest, while its questionnaires are
/// open (`physio_clinic::episode`: once the intake is sent, and for the discharge window after
/// discharge).
pub async fn episode_of(
    store: &Store,
    clinic_id: Uuid,
    patient_id: Uuid,
    now: OffsetDateTime,
) -> Result<Option<Episode>, ApiError> {
    let latest = store.episodes(clinic_id, patient_id).await?.into_iter().next();
    Ok(latest
        .filter(|e| e.status.questionnaires_open(e.discharged_at.map(|d| d.date()), now.date())))
}

/// What is open now in an episode (`physio_clinic::schedule::due_now`); `Due::asked_on` says
/// which of it is put to the patient today.
pub async fn due_in(
    store: &Store,
    ep: &Episode,
    now: OffsetDateTime,
) -> Result<Vec<Due>, ApiError> {
    let done: Vec<(InstrumentId, String)> = store
        .responses(ep.clinic_id, ep.patient_id, None)
        .await?
        .into_iter()
        .filter(|r| r.episode_id == ep.id)
        .filter_map(|r| Some((r.instrument.parse().ok()?, r.timepoint)))
        .collect();
    let intake = store.intake(ep.clinic_id, ep.id).await?;
    let intake_sent = intake.as_ref().and_then(|i| i.submitted_at).map(|t| t.date());
    let regions: Vec<Region> = intake
        .and_then(|i| i.answers.get("regions").cloned())
        .and_then(|r| serde_json::from_value(r).ok())
        .unwrap_or_default();
    let weeks = store.reassessment_weeks(ep.clinic_id).await?;
    let dates = EpisodeDates {
        status: ep.status,
        opened: ep.opened_at.date(),
        intake_sent,
        discharged: ep.discharged_at.map(|d| d.date()),
        regions: &regions,
    };
    Ok(physio_clinic::schedule::due_now(&weeks, &dates, now.date(), &done))
}

/// The clinic's wording when it loaded one, else Physio's own labels.
pub fn instrument(state: &AppState, id: InstrumentId) -> Instrument {
    state
        .wording()
        .iter()
        .find(|i| i.id() == id)
        .cloned()
        .unwrap_or_else(|| Instrument::builtin(id).clone())
}

/// The care-team alerts a scored answer raises.
pub fn alerts_of(result: &ScoreResult) -> Vec<NewAlert> {
    result
        .alerts
        .iter()
        .map(|a| {
            let kind = match a.code {
                AlertCode::Phq9Item9 => AlertKind::Phq9Item9,
            };
            NewAlert::new(kind, a.message.clone())
        })
        .collect()
}

/// A patient's answers to one questionnaire, as submitted.
#[derive(Debug, Clone, Default)]
pub struct Answer {
    /// One entry per item in the instrument's order (PSFS: one rating per activity); `None`
    /// for a skipped item.
    pub answers: Vec<Option<f64>>,
    /// PSFS: the activities the patient named.
    pub activities: Option<Vec<String>>,
    /// The time point it answers (`baseline`, `week_4`, …); anything not due is `adhoc`.
    pub timepoint: String,
}

/// What answering did: the stored response, and whether it alerted the care team.
#[derive(Debug)]
pub struct Answered {
    pub response: ResponseRecord,
    pub alerted: bool,
}

/// A patient answers a questionnaire: it is scored, filed under the requested time point only
/// when that questionnaire is due then (otherwise `adhoc`), and stored with its alerts.
pub async fn answer(
    state: &AppState,
    p: &Principal,
    id: InstrumentId,
    req: &Answer,
) -> Result<Answered, ApiError> {
    let mut act = Act::new(state, p, "create", "questionnaire_response");
    let r = async {
        act.about(p.user.id);
        act.require_role(Role::Patient, "only patients answer questionnaires")?;
        let now = act.now();
        let Some(ep) = episode_of(act.store(), p.user.clinic_id, p.user.id, now).await? else {
            return Err(ApiError::Conflict("send your intake first".into()));
        };
        let result = instrument(state, id)
            .score(&req.answers)
            .map_err(|e| ApiError::invalid("answers", e.to_string()))?;
        let due = due_in(act.store(), &ep, now).await?;
        let timepoint = if due.iter().any(|d| d.instrument == id && d.timepoint == req.timepoint) {
            req.timepoint.clone()
        } else {
            "adhoc".to_owned()
        };
        let mut answers = serde_json::json!({ "answers": req.answers });
        if let Some(a) = &req.activities {
            answers["activities"] = serde_json::json!(a);
        }
        let alerts = alerts_of(&result);
        let new = NewResponse {
            clinic_id: ep.clinic_id,
            episode_id: ep.id,
            instrument: id.as_str().to_owned(),
            timepoint,
            answers,
            result: serde_json::to_value(&result).unwrap_or(Value::Null),
            score: result.score,
        };
        let zone = crate::care::clinic::zone(state, ep.clinic_id).await?;
        let response = act.tx().await?.add_response(&new, &alerts, zone.tz(), now).await?;
        Ok(Answered { response, alerted: !alerts.is_empty() })
    }
    .await;
    act.finish(r).await
}

/// When the care team phones a patient whose PHQ-9 answer raised the self-harm alert, as the
/// patient is told at once. A clinic setting would be better (clinics differ); until there is
/// one, this is the promise every clinic running Physio is asked to keep.
pub const CRISIS_CALL_BACK: &str =
    "Someone from your care team will phone you by the end of the next working day.";

/// The same-day rule: a pain score from 0 to 10 the patient gave today on the intake or a
/// weekly check-in answers the pain questionnaire (NPRS) when one is asked today, so they are
/// not asked the same question twice in a day. It is filed as their answer, through
/// [`answer`] (audited like any answer); nothing happens when no NPRS is asked today or the
/// patient was not sure of their pain.
pub async fn carry_pain_over(
    state: &AppState,
    p: &Principal,
    pain: Option<u8>,
) -> Result<Option<Answered>, ApiError> {
    let Some(pain) = pain.filter(|v| *v <= 10) else { return Ok(None) };
    let now = state.now();
    let Some(ep) = episode_of(state.store(), p.user.clinic_id, p.user.id, now).await? else {
        return Ok(None);
    };
    let due = due_in(state.store(), &ep, now).await?;
    let Some(nprs) =
        due.iter().find(|d| d.instrument == InstrumentId::Nprs && d.asked_on(now.date()))
    else {
        return Ok(None);
    };
    let req = Answer {
        answers: vec![Some(f64::from(pain))],
        activities: None,
        timepoint: nprs.timepoint.clone(),
    };
    answer(state, p, InstrumentId::Nprs, &req).await.map(Some)
}

/// A patient's questionnaire responses, oldest first, optionally of one instrument, read on
/// their behalf.
pub async fn responses(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    instrument: Option<&str>,
) -> Result<Vec<ResponseRecord>, ApiError> {
    let mut act = Act::new(state, p, "read", "questionnaire_response");
    let r = async {
        act.patient(patient_id).await?;
        Ok(act.store().responses(p.user.clinic_id, patient_id, instrument).await?)
    }
    .await;
    act.finish(r).await
}
