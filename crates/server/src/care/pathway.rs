//! The care pathway of an episode: where the patient is today, and the clinician's decisions
//! about it (pathway and surgery facts, milestones met, a phase override, discharge). The
//! rules are `physio_clinic::pathway`; the clinician decides.

use physio_clinic::pathway::{
    Milestone, Override, Pathway, PathwayError, PathwayInputs, Phase, PhaseStatus, current_phase,
};
use physio_store::{Episode, StoreError};
use serde_json::json;
use time::Date;
use uuid::Uuid;

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

fn parse<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(json!(s)).ok()
}

/// Why the phase cannot be worked out, in words a clinician reads, and the form field that
/// would fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathwayProblem {
    /// `surgery_date`, `lifting_limit_kg`, `phase` or `reason`.
    pub field: &'static str,
    pub message: String,
}

impl std::fmt::Display for PathwayProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

fn words(s: &str) -> String {
    s.replace('_', " ")
}

fn day(d: Date) -> String {
    format!("{} {} {}", d.day(), d.month(), d.year())
}

/// The rules' error as a clinician reads it (the rules name fields and wire names).
fn plain(e: &PathwayError) -> PathwayProblem {
    let (field, message) = match e {
        PathwayError::MissingSurgeryDate { pathway } => (
            "surgery_date",
            format!(
                "enter the date of the operation: the {} pathway needs it",
                words(pathway.as_str())
            ),
        ),
        PathwayError::SurgeryInFuture { date, .. } => (
            "surgery_date",
            format!(
                "the operation on {} has not happened yet: choose the prehab pathway until then, \
                 or correct the date",
                day(*date)
            ),
        ),
        PathwayError::SurgeryDatePassed { date, .. } => (
            "surgery_date",
            format!(
                "the operation date {} has passed: choose the pathway for after the operation, \
                 or correct the date",
                day(*date)
            ),
        ),
        PathwayError::InvalidLiftingLimit { .. } => {
            ("lifting_limit_kg", "enter a lifting limit from 0 to 50 kilograms".to_owned())
        }
        PathwayError::PhaseNotInPathway { phase, pathway } => (
            "phase",
            format!(
                "the {} pathway has no {} phase: choose one of its phases",
                words(pathway.as_str()),
                words(phase.as_str())
            ),
        ),
        PathwayError::InvalidOverride { .. } => {
            ("reason", "say why you are overriding the phase (up to 500 characters)".to_owned())
        }
    };
    PathwayProblem { field, message }
}

/// The phase the rules give today, with the clinician's override applied; an error explains
/// what is missing (for example the surgery date on a post-operative pathway).
pub fn phase_status(ep: &Episode, today: Date) -> Option<Result<PhaseStatus, PathwayProblem>> {
    let pathway: Pathway = parse(ep.pathway.as_deref()?)?;
    let inputs = PathwayInputs {
        pathway,
        lifting_limit_kg: ep.lifting_limit_kg,
        milestones_met: ep.milestones.iter().filter_map(|m| parse(m)).collect(),
    };
    let over = ep.phase_override.as_ref().and_then(|o| {
        Some(Override { phase: parse(&o.phase)?, reason: o.reason.clone(), by: o.by.to_string() })
    });
    Some(current_phase(&inputs, ep.surgery_date, today, over.as_ref()).map_err(|e| plain(&e)))
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
            Some(Err(e)) => Err(ApiError::invalid("pathway", e.message)),
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

/// An episode as a clinician on the care team opens it to change it (the discharge page, a
/// form that came back): read on the patient's behalf and audited.
pub async fn episode_to_change(
    state: &AppState,
    p: &Principal,
    episode_id: Uuid,
) -> Result<Episode, ApiError> {
    let mut act = Act::new(state, p, "read", "episode");
    let r = clinician_episode(&mut act, episode_id).await;
    act.finish(r).await
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
                ApiError::invalid(
                    "surgery_date",
                    "enter the date of the operation as year-month-day, like 2026-11-02",
                )
            })?),
        };
        let lifting = match choice.lifting_limit_kg.trim() {
            "" => None,
            v => Some(
                v.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && (0.0..=50.0).contains(x))
                    .ok_or_else(|| {
                        ApiError::invalid(
                            "lifting_limit_kg",
                            "enter the limit in kilograms, from 0 to 50, like 5 or 7.5",
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
            return Err(ApiError::invalid(e.field, e.message));
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
                ApiError::invalid("milestone", "choose the milestones met from the list")
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
        let phases = phases_of(&ep);
        if phases.is_empty() {
            return Err(ApiError::invalid("phase", "choose a pathway first: its phases follow"));
        }
        let phase: Phase = parse(phase.trim())
            .filter(|ph| phases.contains(ph))
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
            return Err(ApiError::invalid(e.field, e.message));
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
