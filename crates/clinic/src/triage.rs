//! Red-flag triage: turns a checked intake into a proposed tier, with every reason, and decides
//! when triage must run again.
//!
//! The rules are a table ([`rules::rules`]) evaluated in full on every run: the tier is the
//! highest tier of any rule that fired, and every fired rule is reported, highest tier first, with
//! the reason for the patient, the note for the clinician and the parts of the intake that made
//! it fire. Triage proposes; a clinician reviews every tier above `exercise`, and every decision
//! in which any rule fired ([`TriageDecision::needs_clinician_review`]).

pub mod condition;
pub mod decision;
pub mod retriage;
pub mod rules;
pub mod so_far;
#[cfg(test)]
mod tests;
pub mod tier;
pub mod unknown;

use serde_json::Value;
use time::Date;

use crate::intake::{self, CheckedIntake, IntakeError};
use crate::pathway;

// One file per concept; the items are also named here so `triage::Tier` keeps working.
pub use self::decision::{Reason, ScreenOutcome, ScreenResult, TriageDecision};
pub use self::retriage::{RetriageTrigger, retriage_due};
pub use self::so_far::{AnswersSoFar, emergency_raised, emergency_so_far};
pub use self::tier::Tier;
pub use self::unknown::UnknownAnswer;

/// Days between routine re-triage runs: every weekly check-in (clinical.md §8.4).
pub const RETRIAGE_INTERVAL_DAYS: u32 = 7;
/// A pain rise of this many points or more since the last triage runs it again (§8.4).
pub const RETRIAGE_PAIN_RISE: u8 = 3;

/// Runs every rule and screen on a checked intake.
pub fn triage(intake: &CheckedIntake) -> TriageDecision {
    let mut reasons: Vec<Reason> = rules::rules()
        .iter()
        .filter(|rule| rule.condition.holds(intake))
        .map(|rule| Reason {
            rule: rule.id.to_owned(),
            tier: rule.tier,
            reason: rule.reason.to_owned(),
            clinician_note: rule.clinician_note.to_owned(),
            because: rule.condition.because(intake),
        })
        .collect();
    // Stable sort: table order is kept within a tier.
    reasons.sort_by_key(|r| std::cmp::Reverse(r.tier));
    let tier = reasons.first().map_or(Tier::Exercise, |r| r.tier);

    let screens = rules::screens()
        .iter()
        .filter(|screen| screen.applies_when.holds(intake))
        .map(|screen| {
            let flagged = reasons.iter().any(|r| screen.rules.contains(&r.rule.as_str()));
            ScreenOutcome {
                screen: screen.id.to_owned(),
                result: if flagged { ScreenResult::Flagged } else { ScreenResult::Clear },
                reason: if flagged { screen.flagged_reason } else { screen.clear_reason }
                    .to_owned(),
            }
        })
        .collect();

    // Above the exercise tier care waits for a clinician, so no pathway is proposed.
    let phase_status = (tier == Tier::Exercise).then(|| pathway::intake_status(intake));
    // Every rule that fired asks for a clinician, including the review rules that leave the tier
    // at exercise care.
    let review = !reasons.is_empty();

    let unknowns = unknown::unknown_answers(intake);
    TriageDecision::new(tier, reasons, screens, unknowns, phase_status, review)
}

/// Parses and checks intake JSON as of `today`, then triages it: the typed entry point for
/// callers that hold the intake as text. Store the result with serde; read it back with serde
/// as a [`TriageDecision`].
pub fn triage_text(input: &str, today: Date) -> Result<TriageDecision, IntakeError> {
    Ok(triage(&intake::parse(input, today)?))
}

/// The JSON entry point for `physio triage`: parses and checks intake JSON as of `today`, then
/// triages it. The value has `tier`, `action`, `clinician_action`, `reasons` (each with `rule`
/// and `reason`), `screens`, `pathway`, `phase`, `phase_status` and `needs_clinician_review`.
pub fn triage_json(input: &str, today: Date) -> Result<Value, IntakeError> {
    serde_json::to_value(triage_text(input, today)?)
        .map_err(|err| IntakeError::Encode { message: err.to_string() })
}
