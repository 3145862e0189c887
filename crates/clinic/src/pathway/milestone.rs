//! What the physiotherapist confirms before a phase may open.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::wire::{UnknownName, parse_name};

/// Something the physiotherapist confirms before a phase may open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// The wound has healed.
    WoundHealed,
    /// Walks about 30 minutes a day.
    #[serde(rename = "walks_30_minutes")]
    Walks30Minutes,
    /// Does the home programme without help.
    IndependentHomeProgramme,
    /// Manages 15 minutes of exercise plus 15–30 minutes of cardio.
    ToleratesExerciseAndCardio,
    /// Stands on one leg for more than 10 seconds.
    #[serde(rename = "single_leg_stance_10s")]
    SingleLegStance10s,
    /// Has had the surgeon's post-operative review.
    SurgeonReviewDone,
    /// The surgeon has cleared bending forward.
    SurgeonClearedFlexion,
    /// The physiotherapist judges trunk control good enough for side bending and rotation.
    GoodTrunkControl,
}

impl Milestone {
    /// Every milestone.
    pub const ALL: [Milestone; 8] = [
        Milestone::WoundHealed,
        Milestone::Walks30Minutes,
        Milestone::IndependentHomeProgramme,
        Milestone::ToleratesExerciseAndCardio,
        Milestone::SingleLegStance10s,
        Milestone::SurgeonReviewDone,
        Milestone::SurgeonClearedFlexion,
        Milestone::GoodTrunkControl,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Milestone::WoundHealed => "wound_healed",
            Milestone::Walks30Minutes => "walks_30_minutes",
            Milestone::IndependentHomeProgramme => "independent_home_programme",
            Milestone::ToleratesExerciseAndCardio => "tolerates_exercise_and_cardio",
            Milestone::SingleLegStance10s => "single_leg_stance_10s",
            Milestone::SurgeonReviewDone => "surgeon_review_done",
            Milestone::SurgeonClearedFlexion => "surgeon_cleared_flexion",
            Milestone::GoodTrunkControl => "good_trunk_control",
        }
    }

    /// The milestone as the end of a sentence ("… ends as soon as the wound has healed").
    pub fn as_clause(self) -> &'static str {
        match self {
            Milestone::WoundHealed => "the wound has healed",
            Milestone::Walks30Minutes => "you walk for about 30 minutes every day",
            Milestone::IndependentHomeProgramme => "you do your home programme without help",
            Milestone::ToleratesExerciseAndCardio => {
                "you manage 15 minutes of exercise plus 15 to 30 minutes of cardio"
            }
            Milestone::SingleLegStance10s => "you can stand on one leg for more than 10 seconds",
            Milestone::SurgeonReviewDone => "you have had your surgeon's review",
            Milestone::SurgeonClearedFlexion => "your surgeon clears bending forward",
            Milestone::GoodTrunkControl => "your physiotherapist confirms good trunk control",
        }
    }

    /// What the physiotherapist confirms, in plain words.
    pub fn description(self) -> &'static str {
        match self {
            Milestone::WoundHealed => "The wound has healed.",
            Milestone::Walks30Minutes => "Walks for about 30 minutes every day.",
            Milestone::IndependentHomeProgramme => "Does the home exercise programme without help.",
            Milestone::ToleratesExerciseAndCardio => {
                "Manages 15 minutes of exercise plus 15 to 30 minutes of cardio."
            }
            Milestone::SingleLegStance10s => "Stands on one leg for more than 10 seconds.",
            Milestone::SurgeonReviewDone => {
                "Has had the surgeon's review (usually at 4 to 6 weeks)."
            }
            Milestone::SurgeonClearedFlexion => "The surgeon has cleared bending forward.",
            Milestone::GoodTrunkControl => "The physiotherapist confirms good trunk control.",
        }
    }
}

impl fmt::Display for Milestone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Milestone {
    type Err = UnknownName;

    /// Reads a wire name; an unknown name is an error, never a default.
    fn from_str(text: &str) -> Result<Milestone, UnknownName> {
        parse_name("milestone", &Milestone::ALL, Milestone::as_str, text)
    }
}
