//! The care pathway of an episode: where the patient is today, and the clinician's decisions
//! about it (pathway and surgery facts, milestones met, a phase override, discharge). The
//! rules are `physio_clinic::pathway`; the clinician decides.

use physio_clinic::pathway::{
    Milestone, Override, Pathway, PathwayInputs, Phase, PhaseStatus, current_phase,
};
use physio_store::{Episode, StoreError};
use serde_json::json;
use time::Date;
use uuid::Uuid;

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

fn parse<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(json!(s)).ok()
}

/// The phase the rules give today, with the clinician's override applied; an error explains
/// what is missing (for example the surgery date on a post-operative pathway).
pub fn phase_status(ep: &Episode, today: Date) -> Option<Result<PhaseStatus, String>> {
    let pathway: Pathway = parse(ep.pathway.as_deref()?)?;
    let inputs = PathwayInputs {
        pathway,
        lifting_limit_kg: ep.lifting_limit_kg,
        milestones_met: ep.milestones.iter().filter_map(|m| parse(m)).collect(),
    };
    let over = ep.phase_override.as_ref().and_then(|o| {
        Some(Override { phase: parse(&o.phase)?, reason: o.reason.clone(), by: o.by.to_string() })
    });
    Some(current_phase(&inputs, ep.surgery_date, today, over.as_ref()).map_err(|e| e.to_string()))
}

/// Where a patient is on their pathway today (`None` when no pathway is set), read on their
/// behalf and audited.
pub async fn status(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<Option<PhaseStatus>, ApiError> {
    let mut act = Act::new(state, p, "read", "pathway");
    let r = async {
        act.patient(patient_id).await?;
        let ep = act.store().open_episode_of(p.user.clinic_id, patient_id).await?;
        match ep.as_ref().and_then(|e| phase_status(e, act.now().date())) {
            None => Ok(None),
            Some(Ok(s)) => Ok(Some(s)),
            Some(Err(e)) => Err(ApiError::invalid("pathway", e)),
        }
    }
    .await;
    act.finish(r).await
}

/// The episode a clinician acts on, if they are on the patient's care team.
async fn clinician_episode(act: &mut Act<'_>, episode_id: Uuid) -> Result<Episode, ApiError> {
    act.require_role(
        physio_store::Role::Clinician,
        "only a clinician on the care team can change the pathway",
    )?;
    let ep = match act.store().episode(act.p.user.clinic_id, episode_id).await {
        Ok(e) => e,
        Err(StoreError::NotFound(_)) => return Err(ApiError::NotFound("episode")),
        Err(e) => return Err(e.into()),
    };
    act.patient(ep.patient_id).await?;
    Ok(ep)
}

/// A clinician's choice of pathway and the surgery facts it depends on, as typed in.
#[derive(Debug, Clone, Default)]
pub struct PathwayChoice {
    pub pathway: String,
    pub surgery_date: String,
    pub lifting_limit_kg: String,
}

/// Sets the pathway of an episode; refused when the combination does not make sense (a
/// post-operative pathway without its surgery date, for instance).
pub async fn set_pathway(
    state: &AppState,
    p: &Principal,
    episode_id: Uuid,
    choice: &PathwayChoice,
) -> Result<Episode, ApiError> {
    let mut act = Act::new(state, p, "update", "pathway");
    let r = async {
        let ep = clinician_episode(&mut act, episode_id).await?;
        let pathway: Pathway = parse(&choice.pathway)
            .ok_or_else(|| ApiError::invalid("pathway", "choose a pathway"))?;
        let fmt = time::macros::format_description!("[year]-[month]-[day]");
        let date = match choice.surgery_date.trim() {
            "" => None,
            d => Some(Date::parse(d, &fmt).map_err(|_| {
                ApiError::invalid("surgery_date", "enter the date like 2026-11-02")
            })?),
        };
        let lifting = match choice.lifting_limit_kg.trim() {
            "" => None,
            v => Some(
                v.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && (0.0..=100.0).contains(x))
                    .ok_or_else(|| {
                        ApiError::invalid(
                            "lifting_limit_kg",
                            "enter the limit in kilograms, from 0 to 100",
                        )
                    })?,
            ),
        };
        // Check the combination makes sense before storing it.
        let mut trial = ep.clone();
        trial.pathway = Some(pathway.as_str().to_owned());
        trial.surgery_date = date;
        trial.lifting_limit_kg = lifting;
        if let Some(Err(e)) = phase_status(&trial, act.now().date()) {
            return Err(ApiError::invalid("surgery_date", e));
        }
        let clinic = act.p.user.clinic_id;
        let tx = act.tx().await?;
        Ok(tx.set_pathway(clinic, ep.id, pathway.as_str(), date, lifting).await?)
    }
    .await;
    act.finish(r).await
}

/// Replaces the milestones recorded as met.
pub async fn set_milestones(
    state: &AppState,
    p: &Principal,
    episode_id: Uuid,
    milestones: &[String],
) -> Result<Episode, ApiError> {
    let mut act = Act::new(state, p, "update", "milestones");
    let r = async {
        let ep = clinician_episode(&mut act, episode_id).await?;
        let mut met: Vec<String> = vec![];
        for v in milestones {
            let m: Milestone = parse(v).ok_or_else(|| {
                ApiError::invalid("milestone", format!("{v:?} is not a milestone of this pathway"))
            })?;
            met.push(m.as_str().to_owned());
        }
        let clinic = act.p.user.clinic_id;
        Ok(act.tx().await?.set_milestones(clinic, ep.id, &met).await?)
    }
    .await;
    act.finish(r).await
}

/// Holds the patient in, or moves them to, a phase (with the reason), or clears the override
/// when `phase` is empty. Only the phases of the patient's pathway are accepted.
pub async fn set_phase(
    state: &AppState,
    p: &Principal,
    episode_id: Uuid,
    phase: &str,
    reason: &str,
) -> Result<Episode, ApiError> {
    let mut act = Act::new(state, p, "update", "phase");
    let r = async {
        let ep = clinician_episode(&mut act, episode_id).await?;
        let now = act.now();
        let clinic = act.p.user.clinic_id;
        let by = act.p.user.id;
        if phase.trim().is_empty() {
            return Ok(act.tx().await?.override_phase(clinic, ep.id, None, by, now).await?);
        }
        let phase: Phase = parse(phase.trim())
            .filter(|ph| phases_of(&ep).contains(ph))
            .ok_or_else(|| ApiError::invalid("phase", "choose one of this pathway's phases"))?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(ApiError::invalid(
                "reason",
                "say why you are overriding the phase (up to 500 characters)",
            ));
        }
        let mut trial = ep.clone();
        trial.phase_override = Some(physio_store::PhaseOverride {
            phase: phase.as_str().into(),
            reason: reason.into(),
            by,
            at: now,
        });
        if let Some(Err(e)) = phase_status(&trial, now.date()) {
            return Err(ApiError::invalid("phase", e));
        }
        let tx = act.tx().await?;
        Ok(tx.override_phase(clinic, ep.id, Some((phase.as_str(), reason)), by, now).await?)
    }
    .await;
    act.finish(r).await
}

/// The phases of the episode's pathway, in order (none when no pathway is set).
pub fn phases_of(ep: &Episode) -> Vec<Phase> {
    ep.pathway
        .as_deref()
        .and_then(parse::<Pathway>)
        .map(|pw| pw.phases().to_vec())
        .unwrap_or_default()
}

/// Ends the episode of care. The clinician must confirm and say why.
pub async fn discharge(
    state: &AppState,
    p: &Principal,
    episode_id: Uuid,
    confirmed: bool,
    reason: &str,
) -> Result<Episode, ApiError> {
    let mut act = Act::new(state, p, "discharge", "episode");
    let r = async {
        let ep = clinician_episode(&mut act, episode_id).await?;
        if !confirmed {
            return Err(ApiError::invalid("confirm", "tick the box to confirm the discharge"));
        }
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(ApiError::invalid(
                "reason",
                "say why the episode ends, for example goals met (up to 500 characters)",
            ));
        }
        let (clinic, now) = (act.p.user.clinic_id, act.now());
        Ok(act.tx().await?.discharge(clinic, ep.id, reason, now).await?)
    }
    .await;
    act.finish(r).await
}
