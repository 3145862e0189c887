//! The injury, if any, that came before the pain.

use serde::{Deserialize, Serialize};

/// The most serious injury before the pain began.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Trauma {
    /// No injury.
    None,
    /// A low-energy injury: a fall from standing height, a stumble, lifting something.
    Minor,
    /// A high-energy injury: a road accident, a fall from a height.
    Major,
    /// The patient cannot say (for example a fall they do not remember clearly). The rules
    /// count it as a minor injury, so thin bones still raise a suspected fracture.
    NotSure,
}

impl Trauma {
    /// Every answer, in the order the form offers them.
    pub const ALL: [Trauma; 4] = [Trauma::None, Trauma::Minor, Trauma::Major, Trauma::NotSure];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Trauma::None => "none",
            Trauma::Minor => "minor",
            Trauma::Major => "major",
            Trauma::NotSure => "not_sure",
        }
    }

    /// The choice on the form, answering "Did this pain start after a fall, accident or injury?".
    pub fn patient_label(self) -> &'static str {
        match self {
            Trauma::None => "No",
            Trauma::Minor => "Yes, a small one",
            Trauma::Major => "Yes, a serious one",
            Trauma::NotSure => "I'm not sure",
        }
    }

    /// A hint beside the choice, where one helps.
    pub fn help(self) -> Option<&'static str> {
        match self {
            Trauma::None => None,
            Trauma::Minor => {
                Some("For example a trip, a fall from standing, or lifting something heavy.")
            }
            Trauma::Major => {
                Some("For example a road accident, or a fall from a ladder or stairs.")
            }
            Trauma::NotSure => Some("For example a fall you do not remember clearly."),
        }
    }
}
