//! The closed set of instruments Physio scores, named by the ids used in URLs, files and the CLI.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// One of the outcome instruments Physio knows how to score.
///
/// The set is closed on purpose: scoring is code, so a new instrument needs code and tests,
/// not just a data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InstrumentId {
    /// Numeric Pain Rating Scale, 0–10.
    Nprs,
    /// Oswestry Disability Index 2.1a, percentage.
    Odi,
    /// Neck Disability Index, points out of 50.
    Ndi,
    /// Patient-Specific Functional Scale, mean of 3–5 activities.
    Psfs,
    /// Patient Health Questionnaire-9, 0–27.
    Phq9,
    /// Generalised Anxiety Disorder-7, 0–21.
    Gad7,
    /// Work Productivity and Activity Impairment (specific health problem), percentages.
    Wpai,
    /// Patient Global Impression of Change, 1–7.
    Pgic,
    /// STarT Back Screening Tool, 0–9 with a risk group.
    #[serde(rename = "startback")]
    StartBack,
    /// Satisfaction with care, 0–10.
    Satisfaction,
}

/// The ids in [`InstrumentId::ALL`] order, for messages; a test keeps the two in step.
const VALID_IDS: &str = "nprs, odi, ndi, psfs, phq9, gad7, wpai, pgic, startback, satisfaction";

impl InstrumentId {
    /// Every instrument, in the order the built-in definitions are listed.
    pub const ALL: [InstrumentId; 10] = [
        InstrumentId::Nprs,
        InstrumentId::Odi,
        InstrumentId::Ndi,
        InstrumentId::Psfs,
        InstrumentId::Phq9,
        InstrumentId::Gad7,
        InstrumentId::Wpai,
        InstrumentId::Pgic,
        InstrumentId::StartBack,
        InstrumentId::Satisfaction,
    ];

    /// The id as written in definition files, URLs and `physio score <instrument>`.
    pub fn as_str(self) -> &'static str {
        match self {
            InstrumentId::Nprs => "nprs",
            InstrumentId::Odi => "odi",
            InstrumentId::Ndi => "ndi",
            InstrumentId::Psfs => "psfs",
            InstrumentId::Phq9 => "phq9",
            InstrumentId::Gad7 => "gad7",
            InstrumentId::Wpai => "wpai",
            InstrumentId::Pgic => "pgic",
            InstrumentId::StartBack => "startback",
            InstrumentId::Satisfaction => "satisfaction",
        }
    }

    /// The range and unit of the headline score this instrument produces.
    pub fn scale(self) -> ScoreScale {
        let (min, max, unit) = match self {
            InstrumentId::Nprs => (0.0, 10.0, ScoreUnit::Points),
            InstrumentId::Odi => (0.0, 100.0, ScoreUnit::Percent),
            InstrumentId::Ndi => (0.0, 50.0, ScoreUnit::Points),
            InstrumentId::Psfs => (0.0, 10.0, ScoreUnit::Mean),
            InstrumentId::Phq9 => (0.0, 27.0, ScoreUnit::Points),
            InstrumentId::Gad7 => (0.0, 21.0, ScoreUnit::Points),
            InstrumentId::Wpai => (0.0, 100.0, ScoreUnit::Percent),
            InstrumentId::Pgic => (1.0, 7.0, ScoreUnit::Rating),
            InstrumentId::StartBack => (0.0, 9.0, ScoreUnit::Points),
            InstrumentId::Satisfaction => (0.0, 10.0, ScoreUnit::Points),
        };
        ScoreScale { min, max, unit }
    }

    /// Position in [`InstrumentId::ALL`]; the built-in definitions are stored in that order.
    pub(super) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for InstrumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for InstrumentId {
    type Err = UnknownInstrument;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        InstrumentId::ALL
            .into_iter()
            .find(|id| id.as_str() == s)
            .ok_or_else(|| UnknownInstrument { given: s.to_owned() })
    }
}

/// An instrument id that is not one of [`InstrumentId::ALL`]; the message lists the valid ids.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown instrument {given:?}; valid instruments are: {VALID_IDS}")]
pub struct UnknownInstrument {
    /// What the caller asked for.
    pub given: String,
}

/// Where a headline score can fall, and what kind of number it is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScoreScale {
    /// Lowest possible score.
    pub min: f64,
    /// Highest possible score.
    pub max: f64,
    /// What the number means.
    pub unit: ScoreUnit,
}

/// The kind of number a headline score is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreUnit {
    /// A count of points (a total, or a single rating).
    Points,
    /// A percentage, 0–100.
    Percent,
    /// The mean of several ratings.
    Mean,
    /// A position on an ordered scale of categories (PGIC).
    Rating,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_all_is_in_declaration_order() {
        for (i, id) in InstrumentId::ALL.into_iter().enumerate() {
            assert_eq!(id.index(), i);
            assert_eq!(id.as_str().parse::<InstrumentId>(), Ok(id));
            assert_eq!(serde_json::to_value(id).unwrap(), serde_json::json!(id.as_str()));
        }
    }

    #[test]
    fn unknown_id_lists_every_valid_id() {
        let listed: Vec<&str> = InstrumentId::ALL.iter().map(|id| id.as_str()).collect();
        assert_eq!(VALID_IDS, listed.join(", "));
        let err = "oswestry".parse::<InstrumentId>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown instrument \"oswestry\"; valid instruments are: nprs, odi, ndi, psfs, \
             phq9, gad7, wpai, pgic, startback, satisfaction"
        );
    }

    #[test]
    fn ids_are_case_sensitive() {
        // Ids are identifiers, not prose: accepting "ODI" here would let two spellings of one
        // instrument reach storage.
        assert!("ODI".parse::<InstrumentId>().is_err());
    }
}
