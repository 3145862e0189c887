//! Where a patient stands on a pathway today: phase, precautions in force and what opens the
//! next phase.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::intake::MAX_LIFTING_LIMIT_KG;
use crate::pathway::precaution::{PRECAUTIONS, activate};
use crate::pathway::stage::{CONSERVATIVE_FOCUS, PREHAB_FOCUS, stages};
use crate::pathway::{ActivePrecaution, MAX_OVERRIDE_REASON_CHARS, Milestone, Pathway, Phase};

/// What `current_phase` needs besides dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathwayInputs {
    /// The pathway the patient is on.
    pub pathway: Pathway,
    /// The surgeon's lifting limit in kilograms, if recorded.
    #[serde(default)]
    pub lifting_limit_kg: Option<f64>,
    /// Milestones the physiotherapist has confirmed.
    #[serde(default)]
    pub milestones_met: Vec<Milestone>,
}

/// A clinician's decision to put the patient in a phase the rules would not choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// The phase chosen.
    pub phase: Phase,
    /// Why, in the clinician's words.
    pub reason: String,
    /// Who decided (a name or user id).
    pub by: String,
}

/// Where a patient is on a pathway today, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseStatus {
    /// The pathway.
    pub pathway: Pathway,
    /// The phase in effect (the override's, when there is one).
    pub phase: Phase,
    /// The phase weeks and milestones alone give; differs from `phase` only under an override.
    pub rules_phase: Phase,
    /// Completed weeks since surgery, on post-operative pathways.
    pub week: Option<u16>,
    /// Completed weeks until the operation, on prehab when the date is known.
    pub weeks_until_surgery: Option<u16>,
    /// What the phase is about, for the patient.
    pub focus: String,
    /// Precautions in force, each with its own explanation.
    pub active_precautions: Vec<ActivePrecaution>,
    /// What would open the next phase; `None` in the last (or only) phase.
    pub next_phase_unlock: Option<Unlock>,
    /// The override in effect, if any.
    pub overridden_by: Option<Override>,
}

/// What opens the next phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unlock {
    /// The next phase.
    pub phase: Phase,
    /// The earliest week (completed weeks since surgery) it may open.
    pub from_week: u16,
    /// Weeks still to wait; 0 once the week is reached.
    pub weeks_to_go: u16,
    /// Each milestone it needs and whether it is met.
    pub milestones: Vec<MilestoneProgress>,
    /// Whether both the week and every milestone are met. It can be true while the phase has
    /// not changed only under an override that holds the patient back.
    pub ready: bool,
}

/// One milestone and whether it is met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneProgress {
    /// The milestone.
    pub milestone: Milestone,
    /// What it means.
    pub description: String,
    /// Whether the physiotherapist has confirmed it.
    pub met: bool,
}

/// Why a phase could not be worked out.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PathwayError {
    /// A post-operative pathway needs the operation date.
    #[error("surgery_date: the {pathway} pathway needs the date of the operation")]
    MissingSurgeryDate {
        /// The pathway.
        pathway: Pathway,
    },
    /// A post-operative pathway with an operation still to come.
    #[error("surgery_date: {date} is after today ({today}); use the prehab pathway until then")]
    SurgeryInFuture {
        /// The date given.
        date: Date,
        /// Today.
        today: Date,
    },
    /// Prehab for an operation whose date has passed.
    #[error("surgery_date: {date} is before today ({today}); record the operation as done")]
    SurgeryDatePassed {
        /// The date given.
        date: Date,
        /// Today.
        today: Date,
    },
    /// The lifting limit is not a usable number of kilograms.
    #[error("lifting_limit_kg: {value} is not a limit from 0 to 50 kg")]
    InvalidLiftingLimit {
        /// The value given.
        value: f64,
    },
    /// The override names a phase this pathway does not have.
    #[error("override.phase: the {pathway} pathway has no {phase} phase")]
    PhaseNotInPathway {
        /// The phase asked for.
        phase: Phase,
        /// The pathway.
        pathway: Pathway,
    },
    /// The override lacks a reason or an author, or the reason is too long.
    #[error("override.{field}: {problem}")]
    InvalidOverride {
        /// `reason` or `by`.
        field: &'static str,
        /// What is wrong.
        problem: &'static str,
    },
}

/// Where a patient stands today on `inputs.pathway`.
///
/// `surgery_date` is the operation's date: required on post-operative pathways (and not after
/// `today`), optional on prehab (and not before `today`), ignored on conservative pathways.
pub fn current_phase(
    inputs: &PathwayInputs,
    surgery_date: Option<Date>,
    today: Date,
    override_: Option<&Override>,
) -> Result<PhaseStatus, PathwayError> {
    let pathway = inputs.pathway;
    if let Some(value) = inputs.lifting_limit_kg
        && !(value.is_finite() && (0.0..=MAX_LIFTING_LIMIT_KG).contains(&value))
    {
        return Err(PathwayError::InvalidLiftingLimit { value });
    }
    let timing = match (pathway.procedure(), pathway == Pathway::Prehab, surgery_date) {
        (Some(_), _, None) => return Err(PathwayError::MissingSurgeryDate { pathway }),
        (Some(_), _, Some(date)) if date > today => {
            return Err(PathwayError::SurgeryInFuture { date, today });
        }
        (Some(_), _, Some(date)) => Timing::SinceSurgery(weeks_between(date, today)),
        (None, true, Some(date)) if date < today => {
            return Err(PathwayError::SurgeryDatePassed { date, today });
        }
        (None, true, date) => Timing::UntilSurgery(date.map(|d| weeks_between(today, d))),
        (None, false, _) => Timing::None,
    };
    if let Some(o) = override_ {
        if !pathway.phases().contains(&o.phase) {
            return Err(PathwayError::PhaseNotInPathway { phase: o.phase, pathway });
        }
        if o.reason.trim().is_empty() {
            return Err(PathwayError::InvalidOverride {
                field: "reason",
                problem: "record why the phase is overridden",
            });
        }
        if o.reason.chars().count() > MAX_OVERRIDE_REASON_CHARS {
            return Err(PathwayError::InvalidOverride {
                field: "reason",
                problem: "keep the reason to 500 characters or fewer",
            });
        }
        if o.by.trim().is_empty() {
            return Err(PathwayError::InvalidOverride {
                field: "by",
                problem: "record who overrode the phase",
            });
        }
    }
    let met: BTreeSet<Milestone> = inputs.milestones_met.iter().copied().collect();
    Ok(build(pathway, timing, inputs.lifting_limit_kg, &met, override_))
}

pub(crate) enum Timing {
    SinceSurgery(u16),
    UntilSurgery(Option<u16>),
    None,
}

/// Assembles a status from checked inputs; infallible so triage can use it directly.
pub(crate) fn build(
    pathway: Pathway,
    timing: Timing,
    lifting_limit_kg: Option<f64>,
    met: &BTreeSet<Milestone>,
    override_: Option<&Override>,
) -> PhaseStatus {
    let Some(procedure) = pathway.procedure() else {
        let (phase, focus, weeks_until) = match timing {
            Timing::UntilSurgery(weeks) => (Phase::Prehab, PREHAB_FOCUS, weeks),
            _ => (Phase::ActiveCare, CONSERVATIVE_FOCUS, None),
        };
        return PhaseStatus {
            pathway,
            phase,
            rules_phase: phase,
            week: None,
            weeks_until_surgery: weeks_until,
            focus: focus.to_owned(),
            active_precautions: Vec::new(),
            next_phase_unlock: None,
            overridden_by: override_.cloned(),
        };
    };
    let week = match timing {
        Timing::SinceSurgery(week) => week,
        _ => 0,
    };
    let stages = stages(procedure);

    // Phases open in order: the next one opens only when its week is reached and its milestones
    // are met, so a patient never skips a phase whose milestones were never confirmed.
    let mut index = 0;
    while let Some(next) = stages.get(index + 1) {
        if week >= next.from_week && next.entry_milestones.iter().all(|m| met.contains(m)) {
            index += 1;
        } else {
            break;
        }
    }
    let rules_phase = stages.get(index).map_or(Phase::Early, |s| s.phase);
    let phase = override_.map_or(rules_phase, |o| o.phase);
    let current = stages.iter().position(|s| s.phase == phase).unwrap_or(index);

    let next_phase_unlock = stages.get(current + 1).map(|next| {
        let milestones: Vec<MilestoneProgress> = next
            .entry_milestones
            .iter()
            .map(|&m| MilestoneProgress {
                milestone: m,
                description: m.description().to_owned(),
                met: met.contains(&m),
            })
            .collect();
        let weeks_to_go = next.from_week.saturating_sub(week);
        let ready = weeks_to_go == 0 && milestones.iter().all(|m| m.met);
        Unlock { phase: next.phase, from_week: next.from_week, weeks_to_go, milestones, ready }
    });

    let active_precautions = PRECAUTIONS
        .iter()
        .filter(|rule| rule.procedure == procedure && rule.is_active(phase, week, met))
        .map(|rule| activate(rule, lifting_limit_kg))
        .collect();

    PhaseStatus {
        pathway,
        phase,
        rules_phase,
        week: Some(week),
        weeks_until_surgery: None,
        focus: stages.get(current).map_or("", |s| s.focus).to_owned(),
        active_precautions,
        next_phase_unlock,
        overridden_by: override_.cloned(),
    }
}

/// Completed weeks from `from` to `to`, 0 if `to` is earlier, saturating at `u16::MAX`.
pub(crate) fn weeks_between(from: Date, to: Date) -> u16 {
    let days = (to - from).whole_days().max(0);
    u16::try_from(days / 7).unwrap_or(u16::MAX)
}
