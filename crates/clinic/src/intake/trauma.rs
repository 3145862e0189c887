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
}

impl Trauma {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Trauma::None => "none",
            Trauma::Minor => "minor",
            Trauma::Major => "major",
        }
    }
}
