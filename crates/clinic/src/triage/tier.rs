//! How urgently a patient needs a clinician.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::wire::{UnknownName, parse_name};

/// How urgently a patient needs a clinician, lowest first so that `max` picks the most urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// No warning signs: exercise-based care on the pathway chosen for the patient.
    Exercise,
    /// Refer for a spine-surgery opinion; not urgent.
    Specialist,
    /// A medical review the same day.
    Urgent,
    /// Go to an emergency department now.
    Emergency,
}

impl Tier {
    /// Every tier, lowest first.
    pub const ALL: [Tier; 4] = [Tier::Exercise, Tier::Specialist, Tier::Urgent, Tier::Emergency];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Exercise => "exercise",
            Tier::Specialist => "specialist",
            Tier::Urgent => "urgent",
            Tier::Emergency => "emergency",
        }
    }

    /// Whether a decision on this tier waits for a clinician: every tier but exercise care.
    pub fn needs_clinician_review(self) -> bool {
        self != Tier::Exercise
    }

    /// Whether exercise (camera sessions, programmes) must pause until a clinician has reviewed a
    /// decision on this tier. The same tiers as [`Tier::needs_clinician_review`]: nothing above
    /// exercise care may carry on exercising on the platform's word alone.
    pub fn pauses_exercise(self) -> bool {
        self.needs_clinician_review()
    }

    /// What the patient should do, first thing on the page.
    pub fn patient_action(self) -> &'static str {
        match self {
            Tier::Emergency => {
                "Go to an emergency department now, or call an ambulance. Do not drive yourself. \
                 Do not start or continue your exercises. Show the staff these reasons."
            }
            Tier::Urgent => {
                "You need to see a doctor today. Your care team has been told and will contact \
                 you. Pause your exercises until a clinician has spoken with you. If you get \
                 worse before then, go to an emergency department."
            }
            Tier::Specialist => {
                "We suggest an appointment with a spine surgeon for their opinion. This is not \
                 an emergency. Your physiotherapist will talk it through with you and help \
                 arrange it."
            }
            Tier::Exercise => {
                "Your answers did not show any warning signs. Your physiotherapist will check \
                 them and start your exercise programme."
            }
        }
    }

    /// What the clinician should do.
    pub fn clinician_action(self) -> &'static str {
        match self {
            Tier::Emergency => {
                "Stop the programme. Contact the patient now to make sure they are on their way \
                 to an emergency department, and alert the on-call clinician."
            }
            Tier::Urgent => {
                "Hold the programme. Call the patient today (within 24 hours at most) and \
                 arrange a same-day medical review."
            }
            Tier::Specialist => {
                "Review the reasons and discuss a referral for a spine-surgery opinion. Decide \
                 whether exercise may continue meanwhile."
            }
            Tier::Exercise => {
                "Confirm the pathway and phase at the first assessment and record milestones as \
                 they are met."
            }
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Tier {
    type Err = UnknownName;

    /// Reads a wire name. An unknown or empty name is an error, never `exercise`: a caller that
    /// cannot read a stored tier must treat the decision as needing a clinician.
    fn from_str(text: &str) -> Result<Tier, UnknownName> {
        parse_name("tier", &Tier::ALL, Tier::as_str, text)
    }
}
