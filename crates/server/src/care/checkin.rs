//! The weekly check-in: today's pain and red-flag answers re-run triage on the intake. High
//! pain, a rise in pain or a new red flag stops exercise and tells the care team.

use physio_clinic::{
    intake::PainScore,
    questionnaire::InstrumentId,
    triage::{RetriageTrigger, Tier},
};
use physio_store::{EpisodeStatus, NewResponse, Role, TriageRecord};
use serde_json::{Map, Value, json};

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

/// Pain at or above this (0–10) at a check-in stops exercise until a clinician has looked.
pub const PAIN_STOP: u8 = 8;

/// What a check-in found.
#[derive(Debug, Clone)]
pub struct CheckedIn {
    pub triage: TriageRecord,
    /// Pain before: the latest on record (NPRS, else the intake's).
    pub before: u8,
    /// Pain now.
    pub now: u8,
    /// Alerts sent to the care team (kind, message); any alert pauses exercise.
    pub alerts: Vec<(String, String)>,
}

impl CheckedIn {
    /// Whether the patient must stop exercising until a clinician has looked.
    pub fn stops_exercise(&self) -> bool {
        !self.alerts.is_empty()
    }
}

/// A patient checks in with `update`: today's answers in the intake's own fields (`pain_now`,
/// `symptoms`). It is recorded with the triage it produced, an NPRS score, and any alerts, in
/// one transaction.
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
        let mut document = intake.answers.as_object().cloned().unwrap_or_default();
        let nprs = store.responses(clinic, p.user.id, Some(InstrumentId::Nprs.as_str())).await?;
        let before = nprs
            .last()
            .map(|r| r.score.round().clamp(0.0, 10.0) as u8)
            .or_else(|| document.get("pain_now").and_then(Value::as_u64).map(|v| v.min(10) as u8))
            .unwrap_or(0);
        document.extend(update);
        let pain_now = document
            .get("pain_now")
            .and_then(Value::as_u64)
            .filter(|v| *v <= 10)
            .ok_or_else(|| ApiError::invalid("pain_now", "choose a number from 0 to 10"))?
            as u8;
        let document = Value::Object(document);
        let checked = physio_clinic::intake::parse(&document.to_string(), now.date())
            .map_err(|e| ApiError::invalid("check_in", e.to_string()))?;
        let decision = crate::care::triage::decide(&checked);
        let days = store
            .triage_history(clinic, ep.id)
            .await?
            .first()
            .map_or(0, |t| (now - t.decided_at).whole_days().max(0) as u32);
        let (Ok(from), Ok(to)) = (PainScore::new(before), PainScore::new(pain_now)) else {
            return Err(ApiError::invalid("pain_now", "choose a number from 0 to 10"));
        };
        let triggers = physio_clinic::triage::retriage_due(from, to, days);
        let pain_rise = triggers.iter().any(|t| matches!(t, RetriageTrigger::PainRise { .. }));
        // One alert per check-in, named by its most serious finding, listing them all.
        let mut findings = vec![];
        let mut kind = None;
        if decision.tier > Tier::Exercise {
            let why: Vec<&str> = decision.reasons.iter().map(|r| r.rule).collect();
            findings.push(format!(
                "the answers triage to the {} tier ({})",
                decision.tier.as_str(),
                why.join(", ")
            ));
            kind = kind.or(Some("red_flag"));
        }
        if pain_now >= PAIN_STOP {
            findings.push(format!("pain was {pain_now} out of 10"));
            kind = kind.or(Some("pain_high"));
        }
        if pain_rise {
            findings.push(format!("pain rose from {before} to {pain_now} out of 10"));
            kind = kind.or(Some("pain_rise"));
        }
        let alerts: Vec<(String, String)> = kind
            .map(|k| (k.to_owned(), format!("Weekly check-in: {}.", findings.join("; "))))
            .into_iter()
            .collect();
        let trigger = if pain_rise { "pain_rise" } else { "weekly_checkin" };
        let mut triage =
            crate::care::triage::new_triage(clinic, ep.id, trigger, &decision, !alerts.is_empty())?;
        // A check-in never moves the pathway; the clinician does.
        triage.proposed_pathway = None;
        let score =
            physio_clinic::questionnaire::score(InstrumentId::Nprs, &[Some(f64::from(pain_now))])
                .map_err(|e| ApiError::Internal(format!("nprs: {e}")))?;
        let response = NewResponse {
            clinic_id: clinic,
            episode_id: ep.id,
            instrument: InstrumentId::Nprs.as_str().into(),
            timepoint: "check_in".into(),
            answers: json!({ "answers": [pain_now] }),
            result: serde_json::to_value(&score).unwrap_or(Value::Null),
            score: f64::from(pain_now),
        };
        let tx = act.tx().await?;
        let triage = tx.record_triage(&triage, now).await?;
        tx.add_response(&response, &alerts, now).await?;
        Ok(CheckedIn { triage, before, now: pain_now, alerts })
    }
    .await;
    act.finish(r).await
}
