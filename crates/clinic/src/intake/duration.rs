//! How long the pain has lasted, in the patient's own unit.

use serde::{Deserialize, Serialize};

/// How long the pain has lasted, in the unit the patient chose: `{"days": 10}` or `{"weeks": 6}`.
///
/// Patients think in days for a new pain and in weeks for an old one; keeping their unit avoids
/// rounding their answer, and [`PainDuration::days`] gives one scale for rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PainDuration {
    /// A number of days.
    Days(u32),
    /// A number of weeks.
    Weeks(u32),
}

impl PainDuration {
    /// The duration in days, saturating rather than overflowing on absurd input.
    pub fn days(self) -> u32 {
        match self {
            PainDuration::Days(d) => d,
            PainDuration::Weeks(w) => w.saturating_mul(7),
        }
    }

    /// The duration in whole weeks, rounded down.
    pub fn whole_weeks(self) -> u32 {
        self.days() / 7
    }
}
