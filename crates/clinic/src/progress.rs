//! How a patient is getting on, told to the patient: which scores their progress page charts,
//! the band of change too small to count around their first score, one plain sentence per
//! measure, and the exercises that have moved up their ladder.
//!
//! The verdicts are [`crate::questionnaire::classify_change`]'s, so the patient and their
//! clinician read the same rule; only the words differ.

pub mod ladder;
pub mod summary;

use crate::questionnaire::InstrumentId;

/// The measures a patient's progress page charts, in the order it shows them: pain first,
/// then what it stops them doing. Each has a published meaningful change; the mood
/// questionnaires are left to the clinician, who can put their scores in context.
pub const MEASURES: [InstrumentId; 4] =
    [InstrumentId::Nprs, InstrumentId::Odi, InstrumentId::Ndi, InstrumentId::Psfs];
