//! One exercise of a programme as prescribed.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::exercise::Dose;

/// One prescribed exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The exercise's id in the clinic's library.
    pub exercise: String,
    /// How much and how often.
    pub dose: Dose,
    /// The first day.
    #[schemars(with = "String")]
    pub start: Date,
    /// The last day, if it ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub end: Option<Date>,
    /// A note from the therapist to the patient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For a tracked exercise: the range to reach and the most allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<RangeTarget>,
    /// A clinician's decision to prescribe it despite a precaution.
    #[serde(default, rename = "override", skip_serializing_if = "Option::is_none")]
    pub override_: Option<Override>,
    /// For a tracked exercise whose counting is not yet validated: the clinician chose to
    /// offer the patient camera counting for this prescription anyway (see
    /// [`crate::programme::camera()`]). Exercises whose counting is validated are always
    /// offered it, so the choice is kept only where it decides something.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub camera: bool,
}

/// The range of a tracked exercise, in degrees of its motion specification's primary angle:
/// repetitions short of `target` fall short, and those past `max` count as incorrect.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RangeTarget {
    /// The range to reach, in degrees.
    pub target_deg: f32,
    /// The most allowed, in degrees; at least the target.
    pub max_deg: f32,
}

/// A clinician's decision to prescribe an exercise that an active precaution rules out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// Why, in the clinician's words.
    pub reason: String,
    /// The precautions it was given against (filled in when the programme is checked).
    #[serde(default)]
    pub precautions: Vec<String>,
}

impl Item {
    /// Whether the item is in force on `day`.
    pub fn active_on(&self, day: Date) -> bool {
        self.start <= day && self.end.is_none_or(|end| day <= end)
    }
}
