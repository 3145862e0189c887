//! Conservative (non-surgical) care tried so far.

use serde::{Deserialize, Serialize};

/// Conservative (non-surgical) care so far: `{"weeks": 8, "helped": false}`, or `{"weeks": 0}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConservativeCare {
    /// Weeks of care tried for this episode; 0 when none.
    pub weeks: u16,
    /// Whether it helped. Required when `weeks` is above 0, absent when it is 0: with no care
    /// there is nothing to judge, and with care a missing answer would read as "not helped".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helped: Option<bool>,
}
