//! What triage proposes, in a form that can be stored and read back typed.

use serde::{Deserialize, Serialize};

use crate::pathway::{Pathway, Phase, PhaseStatus};
use crate::triage::{Tier, UnknownAnswer};

/// One rule that fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// The rule's id.
    pub rule: String,
    /// The tier the rule proposes.
    pub tier: Tier,
    /// Why, for the patient.
    pub reason: String,
    /// What the clinician should consider.
    pub clinician_note: String,
    /// The parts of the intake that made the rule fire.
    pub because: Vec<String>,
}

/// Whether a screen found anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScreenResult {
    /// None of the screen's rules fired.
    Clear,
    /// At least one did; see the reasons.
    Flagged,
}

/// A screen that was run, reported even when it found nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenOutcome {
    /// The screen's id.
    pub screen: String,
    /// What it found.
    pub result: ScreenResult,
    /// What was checked and what it found, for the patient.
    pub reason: String,
}

/// What triage proposes for an intake.
///
/// It serializes to the JSON documented in docs/triage.md and deserializes from it, so a stored
/// decision is read back typed. Reading fails closed: a missing or unknown `tier` is an error, and
/// whether a clinician must review is worked out again from the tier as well as the stored flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TriageDecision {
    /// The highest tier of any rule that fired; `exercise` when none did.
    pub tier: Tier,
    /// What the patient should do now.
    pub action: String,
    /// What the clinician should do.
    pub clinician_action: String,
    /// Every rule that fired, highest tier first, table order within a tier.
    #[serde(default)]
    pub reasons: Vec<Reason>,
    /// The screens run, with their outcome.
    #[serde(default)]
    pub screens: Vec<ScreenOutcome>,
    /// Answers the patient was not sure of, and how the rules treated each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unknowns: Vec<UnknownAnswer>,
    /// The pathway, on the exercise tier only: above it, care waits for a clinician.
    pub pathway: Option<Pathway>,
    /// The phase on that pathway, on the exercise tier only.
    pub phase: Option<Phase>,
    /// The whole phase status on the exercise tier: week, focus, precautions in force (each
    /// with its explanation) and what would open the next phase.
    pub phase_status: Option<PhaseStatus>,
    /// Whether the rules asked for a clinician. Read it through
    /// [`TriageDecision::needs_clinician_review`], which also fails closed on the tier.
    #[serde(rename = "needs_clinician_review", default)]
    review: bool,
}

impl TriageDecision {
    /// Assembles a decision; the patient's and the clinician's actions follow from the tier.
    pub(crate) fn new(
        tier: Tier,
        reasons: Vec<Reason>,
        screens: Vec<ScreenOutcome>,
        unknowns: Vec<UnknownAnswer>,
        phase_status: Option<PhaseStatus>,
        review: bool,
    ) -> TriageDecision {
        TriageDecision {
            tier,
            action: tier.patient_action().to_owned(),
            clinician_action: tier.clinician_action().to_owned(),
            reasons,
            screens,
            unknowns,
            pathway: phase_status.as_ref().map(|s| s.pathway),
            phase: phase_status.as_ref().map(|s| s.phase),
            phase_status,
            review,
        }
    }

    /// Whether a clinician must review the decision before care goes on: always above the
    /// exercise tier, and on the exercise tier whenever a rule asked for it. A stored decision
    /// whose flag was lost still needs review when its tier says so.
    pub fn needs_clinician_review(&self) -> bool {
        self.review || self.tier.needs_clinician_review()
    }
}
