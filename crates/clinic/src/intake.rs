//! The intake: what a patient tells us before care starts, and the checks that make it usable.
//!
//! [`Intake`] is the wire form (JSON, snake_case names, unknown fields refused, see
//! `docs/intake.md`). [`Intake::check`] turns it into a [`CheckedIntake`], the only form that
//! triage and pathway selection accept, so no rule ever has to ask whether a pain score is in range
//! or a date makes sense. Every problem names the field it is about, and all problems are reported
//! together so a form can show them at once.

pub mod answer;
pub mod care;
pub mod check;
pub mod duration;
pub mod error;
pub mod history;
pub mod imaging;
pub mod json;
pub mod pain;
pub mod region;
pub mod surgery;
pub mod symptom;
#[cfg(test)]
mod tests;
pub mod trauma;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::Date;

// The parts live in one file per concept; their items are also named here, so
// `intake::Region` and `intake::region::Region` are the same type and older paths keep working.
pub use self::answer::{Answer, NOT_SURE};
pub use self::care::{CareHelped, ConservativeCare};
pub use self::check::CheckedIntake;
pub use self::duration::{DurationUnit, PainDuration};
pub use self::error::{FieldProblem, IntakeError};
pub use self::history::RiskFactor;
pub use self::imaging::{Finding, FindingKind, Imaging};
pub use self::pain::PainScore;
pub use self::region::Region;
pub use self::surgery::{Procedure, Surgery, SurgeryStatus};
pub use self::symptom::Symptom;
pub use self::trauma::Trauma;

/// The oldest age we accept. Anything above is a typing slip, not a patient.
pub const MAX_AGE_YEARS: u8 = 120;
/// The longest pain history we accept, in days (a little over a hundred years).
pub const MAX_DURATION_DAYS: u32 = 36_525;
/// The longest run of conservative care we accept, in weeks (ten years).
pub const MAX_CARE_WEEKS: u16 = 520;
/// The heaviest surgeon-set lifting limit we accept. Real limits are a few kilograms; a bigger
/// number is almost certainly pounds or a slip, and a wrong limit is a safety problem.
pub const MAX_LIFTING_LIMIT_KG: f64 = 50.0;
/// How many goals an intake may list, and how long each may be. Goals are shown on small screens.
pub const MAX_GOALS: usize = 10;
/// See [`MAX_GOALS`].
pub const MAX_GOAL_CHARS: usize = 200;
/// Questionnaire ids are short machine names such as `odi` or `nprs`.
pub const MAX_INSTRUMENT_ID_CHARS: usize = 64;

/// A patient's intake as it arrives over the wire. Check it with [`Intake::check`] before use.
///
/// Lists that answer a "tick all that apply" question (`history`, `symptoms`) are required, even
/// when empty: an empty list says "asked, none apply", while a missing one would hide a question
/// that was never asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intake {
    /// Where the pain is. The first entry is the main region; it picks the conservative pathway.
    pub regions: Vec<Region>,
    /// How long this episode of pain has lasted.
    pub duration: PainDuration,
    /// Pain right now, 0 (none) to 10 (worst imaginable), or "not sure".
    pub pain_now: Answer<u8>,
    /// Age in whole years. Give this or `date_of_birth`, not both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u8>,
    /// Date of birth; the age is worked out against the day of the check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<Date>,
    /// Past or present conditions and exposures that change what back pain may mean.
    pub history: Vec<RiskFactor>,
    /// The most serious injury that came before the pain.
    pub trauma: Trauma,
    /// Warning symptoms the patient has now. Empty when none apply.
    pub symptoms: Vec<Symptom>,
    /// Warning symptoms the patient is not sure about. Absent or empty when they were sure of
    /// every answer. A symptom is listed here or in `symptoms`, not both.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub symptoms_not_sure: Vec<Symptom>,
    /// Spine imaging done so far; absent or `null` when there has been none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imaging: Option<Imaging>,
    /// Non-surgical care tried for this episode (physiotherapy, exercise, medication).
    pub conservative_care: ConservativeCare,
    /// Where the patient stands with spine surgery.
    pub surgery: Surgery,
    /// The heaviest load the surgeon allows, in kilograms. Surgeons differ, so it is never
    /// assumed; post-operative precautions ask for it when it is missing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifting_limit_kg: Option<f64>,
    /// What the patient wants to get back to, in their own words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<String>,
    /// Baseline questionnaire answers keyed by instrument id. Kept opaque here: the questionnaire
    /// engine owns their shape and scoring.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub baseline: BTreeMap<String, Value>,
}

/// Parses and checks intake JSON in one step.
pub fn parse(input: &str, today: Date) -> Result<CheckedIntake, IntakeError> {
    Intake::from_json(input)?.check(today)
}
