//! The phases a pathway moves through.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::wire::{UnknownName, parse_name};

/// A phase of a pathway.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// The single phase of a conservative pathway.
    ActiveCare,
    /// The single phase of prehab.
    Prehab,
    /// After surgery: protect and walk (from week 0).
    Early,
    /// After surgery: guided strengthening (from about week 4 to 6).
    Rehabilitation,
    /// After surgery: back to full function (from week 12 to about 12 months).
    LongTerm,
}

impl Phase {
    /// Every phase, in the order a patient meets them.
    pub const ALL: [Phase; 5] =
        [Phase::ActiveCare, Phase::Prehab, Phase::Early, Phase::Rehabilitation, Phase::LongTerm];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::ActiveCare => "active_care",
            Phase::Prehab => "prehab",
            Phase::Early => "early",
            Phase::Rehabilitation => "rehabilitation",
            Phase::LongTerm => "long_term",
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            Phase::ActiveCare => "active care",
            Phase::Prehab => "prehab",
            Phase::Early => "early",
            Phase::Rehabilitation => "rehabilitation",
            Phase::LongTerm => "long-term",
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Phase {
    type Err = UnknownName;

    /// Reads a wire name; an unknown name is an error, never a default.
    fn from_str(text: &str) -> Result<Phase, UnknownName> {
        parse_name("phase", &Phase::ALL, Phase::as_str, text)
    }
}
