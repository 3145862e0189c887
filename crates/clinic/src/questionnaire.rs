//! Outcome questionnaires: definitions as data, scoring as code, and meaningful change.
//!
//! - [`Instrument`]: a questionnaire's wording and allowed answers. The built-in definitions
//!   (`crates/clinic/questionnaires/*.json`, compiled in) carry only Physio's own words; a
//!   clinic with a licence supplies validated wording through
//!   [`Instrument::from_clinic_definition`], which must match the built-in scoring shape.
//! - [`score`]: answers (one number or `None` per item) to a [`ScoreResult`] with the headline
//!   score, band, sub-scores and alerts; [`score_json`] is the same for JSON text.
//! - [`classify_change`]: baseline and follow-up scores against the instrument's [`Mcid`].
//! - [`PatientText`] and [`Problem`]: how a questionnaire is put to a patient (a plain title,
//!   its size, one section per screen or not) and what to put right, in their words.
//!
//! Rules, thresholds and the choices made where the literature leaves room are described in
//! docs/questionnaires.md.

mod change;
mod definition;
mod instrument;
mod json;
mod patient;
mod scoring;

pub use change::{
    Change, ChangeAssessment, ChangeError, ChangeSize, Criterion, Direction, Mcid, classify_change,
    direction, mcid,
};
pub use definition::{
    AnswerOption, DefinitionError, Hours, Instrument, Item, Licence, Repeat, Response, Scale,
    Wording, instruments,
};
pub use instrument::{InstrumentId, ScoreScale, ScoreUnit, UnknownInstrument};
pub use json::score_json;
pub use patient::{MAX_CHOICES_ON_ONE_PAGE, PatientText, Problem};
pub use scoring::{
    Alert, AlertCode, AnswerCount, AnswerProblem, Band, ScoreError, ScoreResult, Subscores,
    WpaiScores, score,
};
