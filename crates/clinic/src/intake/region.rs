//! The parts of the spine a patient can say hurt.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A part of the spine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// Neck.
    Cervical,
    /// Upper and middle back.
    Thoracic,
    /// Lower back.
    Lumbar,
}

impl Region {
    /// Every region, in head-to-tail order.
    pub const ALL: [Region; 3] = [Region::Cervical, Region::Thoracic, Region::Lumbar];

    /// The choice on the form, answering "Where is your pain?".
    pub fn patient_label(self) -> &'static str {
        match self {
            Region::Cervical => "Neck",
            Region::Thoracic => "Middle or upper back",
            Region::Lumbar => "Lower back",
        }
    }

    /// Where that is, in plain words.
    pub fn help(self) -> Option<&'static str> {
        Some(match self {
            Region::Cervical => "From the base of your skull down to the top of your shoulders.",
            Region::Thoracic => "Between your shoulder blades, down to the bottom of your ribs.",
            Region::Lumbar => "Below your ribs, down to the top of your buttocks.",
        })
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Cervical => "cervical",
            Region::Thoracic => "thoracic",
            Region::Lumbar => "lumbar",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
