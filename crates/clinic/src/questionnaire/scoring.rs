//! Scoring: checked answers in; a headline score, its band, sub-scores and clinician alerts out.
//!
//! Every answer is first checked against the built-in definition (the allowed options, scale or
//! hours), then against the instrument's rules for skipped items; any problem is an error that
//! names the item. No input produces a guessed score.

use std::fmt;

use serde::{Serialize, Serializer};

use super::{
    definition::{Instrument, Response},
    instrument::{InstrumentId, UnknownInstrument},
};

/// Fewest sections that must be answered for an ODI or NDI score: at most two may be skipped.
///
/// Each skipped ODI section shrinks the denominator, and each skipped NDI section is filled with
/// the mean of the others, so a score from few sections rests on little evidence. Eight of ten
/// keeps the score close to what the full form would give while tolerating one or two sections
/// a patient declines (sex life is the usual one).
pub(super) const MIN_ANSWERED_SECTIONS: usize = 8;

/// WPAI asks about the last seven days, so no count of hours can exceed a week.
const HOURS_IN_A_WEEK: f64 = 168.0;

/// Scores one completed questionnaire.
///
/// `answers` holds one entry per item, in the definition's order: the chosen option's value,
/// the rating, or the hours, as a number; `None` for an item left unanswered. For PSFS it holds
/// one rating per patient-named activity (3 to 5 of them).
pub fn score(instrument: InstrumentId, answers: &[Option<f64>]) -> Result<ScoreResult, ScoreError> {
    let form = Form::new(instrument);
    form.check_count(answers.len())?;
    for (index, answer) in answers.iter().enumerate() {
        if let Some(value) = *answer {
            form.check_value(index, value)?;
        }
    }
    match instrument {
        InstrumentId::Nprs => score_nprs(&form, answers),
        InstrumentId::Odi => score_odi(&form, answers),
        InstrumentId::Ndi => score_ndi(&form, answers),
        InstrumentId::Psfs => score_psfs(&form, answers),
        InstrumentId::Phq9 => score_phq9(&form, answers),
        InstrumentId::Gad7 => score_gad7(&form, answers),
        InstrumentId::Wpai => score_wpai(&form, answers),
        InstrumentId::Pgic => score_pgic(&form, answers),
        InstrumentId::StartBack => score_start_back(&form, answers),
        InstrumentId::Satisfaction => score_satisfaction(&form, answers),
    }
}

impl Instrument {
    /// Scores answers to this instrument; the same as [`score`] with its id. A clinic's
    /// wording has the built-in scoring shape, so it scores identically.
    pub fn score(&self, answers: &[Option<f64>]) -> Result<ScoreResult, ScoreError> {
        score(self.id(), answers)
    }
}

/// The outcome of scoring one questionnaire.
///
/// Serialises as `{"instrument", "score", "band"?, "subscores"?, "alerts"}`; whole-number scores
/// are written as JSON integers. Scores are not rounded: display rounding is the caller's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreResult {
    /// Which instrument was scored.
    pub instrument: InstrumentId,
    /// The headline number, on the scale given by [`InstrumentId::scale`].
    #[serde(serialize_with = "whole_as_integer")]
    pub score: f64,
    /// The severity or risk band, for instruments that have bands.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub band: Option<Band>,
    /// The parts behind the headline number, for instruments that have them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subscores: Option<Subscores>,
    /// Findings a clinician must act on, whatever the score. Empty when there are none.
    pub alerts: Vec<Alert>,
}

impl ScoreResult {
    /// For PGIC: whether the patient rated themselves much or very much better. `None` for
    /// other instruments.
    pub fn responder(&self) -> Option<bool> {
        match self.subscores {
            Some(Subscores::Pgic { responder }) => Some(responder),
            _ => None,
        }
    }
}

/// A severity or risk band. Serialised as its id, e.g. `"moderately_severe"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// No symptoms: NPRS 0, NDI below 5.
    None,
    /// ODI up to 20 %; PHQ-9 and GAD-7 0–4.
    Minimal,
    /// NPRS 1–3; NDI 5 to under 15; PHQ-9 and GAD-7 5–9.
    Mild,
    /// NPRS 4–6; ODI over 20 to 40 %; NDI 15 to under 25; PHQ-9 and GAD-7 10–14.
    Moderate,
    /// PHQ-9 15–19.
    ModeratelySevere,
    /// NPRS 7–10; ODI over 40 to 60 %; NDI 25 to under 35; PHQ-9 20–27; GAD-7 15–21.
    Severe,
    /// ODI over 60 to 80 %: pain affects every part of life.
    Crippled,
    /// ODI over 80 %: bed-bound, or the symptoms may be overstated.
    BedBound,
    /// NDI 35 and over.
    Complete,
    /// STarT Back low risk.
    Low,
    /// STarT Back medium risk.
    Medium,
    /// STarT Back high risk.
    High,
    /// PGIC 1–2: much or very much better.
    Responder,
    /// PGIC 3–7.
    NonResponder,
}

impl Band {
    /// The id used in JSON and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Band::None => "none",
            Band::Minimal => "minimal",
            Band::Mild => "mild",
            Band::Moderate => "moderate",
            Band::ModeratelySevere => "moderately_severe",
            Band::Severe => "severe",
            Band::Crippled => "crippled",
            Band::BedBound => "bed_bound",
            Band::Complete => "complete",
            Band::Low => "low",
            Band::Medium => "medium",
            Band::High => "high",
            Band::Responder => "responder",
            Band::NonResponder => "non_responder",
        }
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The parts behind a headline score. Serialised as a plain object of the variant's fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Subscores {
    /// ODI: the percentage is `points / possible_points × 100`.
    Odi {
        /// Sections with an answer (8–10).
        answered_sections: u8,
        /// Sum of the answered sections.
        points: u32,
        /// 5 × answered sections.
        possible_points: u32,
    },
    /// NDI: the headline is `points` scaled up to all ten sections.
    Ndi {
        /// Sections with an answer (8–10).
        answered_sections: u8,
        /// Sum of the answered sections, before filling in skipped ones.
        points: u32,
        /// The headline score as a percentage of 50 (headline × 2).
        #[serde(serialize_with = "whole_as_integer")]
        percent: f64,
    },
    /// PSFS: how many activities the mean is over.
    Psfs {
        /// 3–5.
        activities: u8,
    },
    /// GAD-7: whether the total reaches the screening threshold of 10.
    Gad7 {
        /// Total ≥ 10.
        positive_screen: bool,
    },
    /// WPAI: the four percentages.
    Wpai(WpaiScores),
    /// STarT Back: the two sums the risk group is read from.
    StartBack {
        /// Items 1–9 scored (0–9); the same as the headline score.
        total: u8,
        /// Items 5–9 scored (0–5).
        psychosocial: u8,
    },
    /// PGIC: whether the rating counts as a response to care.
    Pgic {
        /// Rated 1 (very much better) or 2 (much better).
        responder: bool,
    },
}

/// The WPAI percentages (0–100). Work scores are `None` when the patient is not in paid work,
/// or when the hours give them no meaning (no hours worked or missed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WpaiScores {
    /// Answer 1.
    pub employed: bool,
    /// Work time missed because of the problem: Q2 / (Q2 + Q4).
    #[serde(serialize_with = "opt_whole_as_integer")]
    pub absenteeism: Option<f64>,
    /// Impairment while working: Q5 / 10. `None` when no hours were worked.
    #[serde(serialize_with = "opt_whole_as_integer")]
    pub presenteeism: Option<f64>,
    /// Absenteeism plus presenteeism over the hours not missed.
    #[serde(serialize_with = "opt_whole_as_integer")]
    pub overall_work_impairment: Option<f64>,
    /// Impairment in daily activities: Q6 / 10. Also the headline score.
    #[serde(serialize_with = "whole_as_integer")]
    pub activity_impairment: f64,
}

/// Something a clinician must see regardless of the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// Stable code, for routing and de-duplication.
    pub code: AlertCode,
    /// Plain-language explanation for the clinician.
    pub message: String,
}

/// The kinds of alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum AlertCode {
    /// PHQ-9 item 9 (thoughts of death or self-harm) answered above 0.
    #[serde(rename = "phq9_item9")]
    Phq9Item9,
}

/// How many answers an instrument takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerCount {
    /// Fewest.
    pub min: usize,
    /// Most.
    pub max: usize,
}

impl fmt::Display for AnswerCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.min, self.max) {
            (1, 1) => f.write_str("1 answer"),
            (min, max) if min == max => write!(f, "{min} answers"),
            (min, max) => write!(f, "{min} to {max} answers"),
        }
    }
}

/// Why answers could not be scored. Each message names the item (id and 1-based position)
/// where one is at fault, and says what is allowed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScoreError {
    /// The instrument id is not known; the message lists the valid ones.
    #[error(transparent)]
    UnknownInstrument(#[from] UnknownInstrument),
    /// The JSON input is not `{"answers": [...]}`.
    #[error(
        "input is not valid: {message}; expected {{\"answers\": [...]}} with one number or null per item"
    )]
    Input {
        /// What is wrong, with the line and column where the parser gives them.
        message: String,
    },
    /// Fewer answers than items. A skipped item still needs its place, as `null`.
    #[error(
        "{instrument} expects {expected}, got {got}: answer {next_position} \
         (item `{next_item}`) is missing; {}", too_few_hint(*expected)
    )]
    TooFewAnswers {
        /// Which instrument.
        instrument: InstrumentId,
        /// How many it takes.
        expected: AnswerCount,
        /// How many arrived.
        got: usize,
        /// The first position with no answer.
        next_position: usize,
        /// The item at that position.
        next_item: String,
    },
    /// More answers than items.
    #[error(
        "{instrument} expects {expected}, got {got}: answers after number {} have no \
         item", expected.max
    )]
    TooManyAnswers {
        /// Which instrument.
        instrument: InstrumentId,
        /// How many it takes.
        expected: AnswerCount,
        /// How many arrived.
        got: usize,
    },
    /// One answer is not allowed.
    #[error("{instrument} answer {position} (item `{item}`): {problem}; allowed: {allowed}")]
    InvalidAnswer {
        /// Which instrument.
        instrument: InstrumentId,
        /// 1-based position in the answers.
        position: usize,
        /// The item's id (PSFS: `activity_<n>`).
        item: String,
        /// What is wrong.
        problem: AnswerProblem,
        /// What the item accepts.
        allowed: String,
    },
    /// Too many sections skipped to give a trustworthy score (ODI, NDI).
    #[error(
        "{instrument} needs at least {required} of its {total} sections answered, but {missing} \
         are missing: {missing_items}"
    )]
    TooFewAnswered {
        /// Which instrument.
        instrument: InstrumentId,
        /// Fewest answered sections accepted.
        required: usize,
        /// Sections on the form.
        total: usize,
        /// How many have no answer.
        missing: usize,
        /// Their positions and ids, e.g. ``2 (`personal_care`), 8 (`sex_life`)``.
        missing_items: String,
    },
    /// The result could not be turned into JSON. Not expected with these types; reported
    /// rather than hidden.
    #[error("could not serialise the result: {message}")]
    Output {
        /// The serialiser's message.
        message: String,
    },
}

/// A fixed list of items keeps every place, skipped or not; a repeated item (PSFS) has no
/// places to keep, only a minimum number of entries.
fn too_few_hint(expected: AnswerCount) -> String {
    if expected.min == expected.max {
        "send null for an unanswered item".to_owned()
    } else {
        format!("send at least {} ratings", expected.min)
    }
}

/// What is wrong with one answer.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerProblem {
    /// No answer where one is required.
    Missing {
        /// Why it is required here, when that depends on another answer.
        because: Option<String>,
    },
    /// Not a number (JSON input only): a string, boolean, array or object.
    NotANumber {
        /// What was found, e.g. "a string".
        found: &'static str,
    },
    /// NaN or infinite.
    NotFinite,
    /// A fraction where a whole number is required.
    NotInteger {
        /// The answer given.
        value: f64,
    },
    /// Outside the allowed range or not one of the options.
    OutOfRange {
        /// The answer given.
        value: f64,
    },
    /// An answer where the skip rules say there must be none.
    MustBeEmpty {
        /// Which earlier answer rules it out.
        because: String,
    },
    /// Allowed on its own, but impossible together with other answers.
    Inconsistent {
        /// What does not fit.
        reason: String,
    },
}

impl fmt::Display for AnswerProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnswerProblem::Missing { because: None } => {
                f.write_str("no answer, but this item must be answered")
            }
            AnswerProblem::Missing { because: Some(why) } => {
                write!(f, "no answer, but this item must be answered because {why}")
            }
            AnswerProblem::NotANumber { found } => {
                write!(f, "expected a number or null, found {found}")
            }
            AnswerProblem::NotFinite => f.write_str("the answer is not a finite number"),
            AnswerProblem::NotInteger { value } => write!(f, "{value} is not a whole number"),
            AnswerProblem::OutOfRange { value } => write!(f, "{value} is not an allowed answer"),
            AnswerProblem::MustBeEmpty { because } => {
                write!(f, "must be null (not asked) because {because}")
            }
            AnswerProblem::Inconsistent { reason } => f.write_str(reason),
        }
    }
}

/// The definition an answer list is checked against, with helpers that build item-naming
/// errors. Always the built-in definition: a clinic's wording has the same shape by
/// construction.
pub(super) struct Form {
    instrument: InstrumentId,
    definition: &'static Instrument,
}

impl Form {
    pub(super) fn new(instrument: InstrumentId) -> Form {
        Form { instrument, definition: Instrument::builtin(instrument) }
    }

    pub(super) fn expected_count(&self) -> AnswerCount {
        match self.definition.repeat() {
            Some(r) => AnswerCount { min: r.min, max: r.max },
            None => {
                let n = self.definition.items().len();
                AnswerCount { min: n, max: n }
            }
        }
    }

    pub(super) fn check_count(&self, got: usize) -> Result<(), ScoreError> {
        let expected = self.expected_count();
        if got < expected.min {
            return Err(ScoreError::TooFewAnswers {
                instrument: self.instrument,
                expected,
                got,
                next_position: got + 1,
                next_item: self.item_id(got),
            });
        }
        if got > expected.max {
            return Err(ScoreError::TooManyAnswers { instrument: self.instrument, expected, got });
        }
        Ok(())
    }

    /// The id an error shows for the answer at `index` (0-based). A PSFS entry is named after
    /// its activity number, since the patient names the activities.
    pub(super) fn item_id(&self, index: usize) -> String {
        let items = self.definition.items();
        match (self.definition.repeat(), items.first()) {
            (Some(_), Some(item)) => format!("{}_{}", item.id, index + 1),
            _ => items.get(index).map_or_else(|| "none".to_owned(), |item| item.id.clone()),
        }
    }

    fn response(&self, index: usize) -> Option<&'static Response> {
        let items = self.definition.items();
        let item =
            if self.definition.repeat().is_some() { items.first() } else { items.get(index) };
        item.map(|item| &item.response)
    }

    /// What the item at `index` accepts, in words.
    pub(super) fn allowed(&self, index: usize) -> String {
        let values = match self.response(index) {
            Some(Response::Options(options)) => {
                let values: Vec<String> =
                    options.iter().map(|o| format!("{} ({})", o.value, o.label)).collect();
                format!("one of {}", values.join(", "))
            }
            Some(Response::Scale(s)) => format!("a whole number from {} to {}", s.min, s.max),
            Some(Response::Hours(h)) => format!("a number of hours from 0 to {}", h.max),
            None => "nothing: there is no item here".to_owned(),
        };
        match self.instrument {
            InstrumentId::Odi | InstrumentId::Ndi => {
                format!("{values}, or null to skip the section")
            }
            _ => values,
        }
    }

    pub(super) fn invalid(&self, index: usize, problem: AnswerProblem) -> ScoreError {
        let allowed = match problem {
            AnswerProblem::MustBeEmpty { .. } => "null".to_owned(),
            _ => self.allowed(index),
        };
        ScoreError::InvalidAnswer {
            instrument: self.instrument,
            position: index + 1,
            item: self.item_id(index),
            problem,
            allowed,
        }
    }

    /// Checks one answer against its item's options, scale or hour limit.
    pub(super) fn check_value(&self, index: usize, value: f64) -> Result<(), ScoreError> {
        let problem = if !value.is_finite() {
            Some(AnswerProblem::NotFinite)
        } else {
            match self.response(index) {
                Some(Response::Options(options)) => {
                    if value.fract() != 0.0 {
                        Some(AnswerProblem::NotInteger { value })
                    } else if !options.iter().any(|o| f64::from(o.value) == value) {
                        Some(AnswerProblem::OutOfRange { value })
                    } else {
                        None
                    }
                }
                Some(Response::Scale(s)) => {
                    if value.fract() != 0.0 {
                        Some(AnswerProblem::NotInteger { value })
                    } else if value < f64::from(s.min) || value > f64::from(s.max) {
                        Some(AnswerProblem::OutOfRange { value })
                    } else {
                        None
                    }
                }
                Some(Response::Hours(h)) => {
                    // Fractions are fine: "7.5 hours" is a normal answer.
                    if value < 0.0 || value > f64::from(h.max) {
                        Some(AnswerProblem::OutOfRange { value })
                    } else {
                        None
                    }
                }
                // Counted before values are checked, so every index has an item.
                None => Some(AnswerProblem::OutOfRange { value }),
            }
        };
        match problem {
            Some(problem) => Err(self.invalid(index, problem)),
            None => Ok(()),
        }
    }

    fn required(&self, answers: &[Option<f64>], index: usize) -> Result<f64, ScoreError> {
        self.required_because(answers, index, None)
    }

    fn required_because(
        &self,
        answers: &[Option<f64>],
        index: usize,
        because: Option<String>,
    ) -> Result<f64, ScoreError> {
        answers
            .get(index)
            .copied()
            .flatten()
            .ok_or_else(|| self.invalid(index, AnswerProblem::Missing { because }))
    }

    /// Every answer, for instruments where none may be skipped. Values are whole and in range
    /// by now (checked in `score`), so the conversion to points is exact.
    fn all_points(&self, answers: &[Option<f64>]) -> Result<Vec<u32>, ScoreError> {
        (0..answers.len()).map(|i| self.required(answers, i).map(to_points)).collect()
    }

    /// The answered sections of ODI or NDI as `(points, answered)`, or an error listing the
    /// skipped ones when too many are missing.
    fn sections(&self, answers: &[Option<f64>]) -> Result<(u32, usize), ScoreError> {
        let missing: Vec<usize> =
            answers.iter().enumerate().filter(|(_, a)| a.is_none()).map(|(i, _)| i).collect();
        let answered = answers.len() - missing.len();
        if answered < MIN_ANSWERED_SECTIONS {
            let names: Vec<String> =
                missing.iter().map(|&i| format!("{} (`{}`)", i + 1, self.item_id(i))).collect();
            return Err(ScoreError::TooFewAnswered {
                instrument: self.instrument,
                required: MIN_ANSWERED_SECTIONS,
                total: answers.len(),
                missing: missing.len(),
                missing_items: names.join(", "),
            });
        }
        let points = answers.iter().flatten().map(|&v| to_points(v)).sum();
        Ok((points, answered))
    }

    fn option_label(&self, index: usize, value: f64) -> &'static str {
        match self.response(index) {
            Some(Response::Options(options)) => options
                .iter()
                .find(|o| f64::from(o.value) == value)
                .map_or("", |o| o.label.as_str()),
            _ => "",
        }
    }
}

/// A checked option or scale value as points. Checked values are whole numbers from 0 up, so
/// the cast is exact.
fn to_points(value: f64) -> u32 {
    value as u32
}

fn result(instrument: InstrumentId, score: f64, band: Option<Band>) -> ScoreResult {
    ScoreResult { instrument, score, band, subscores: None, alerts: Vec::new() }
}

fn score_nprs(form: &Form, answers: &[Option<f64>]) -> Result<ScoreResult, ScoreError> {
    let pain = form.required(answers, 0)?;
    let band = match to_points(pain) {
        0 => Band::None,
        1..=3 => Band::Mild,
        4..=6 => Band::Moderate,
        _ => Band::Severe,
    };
    Ok(result(InstrumentId::Nprs, pain, Some(band)))
}

fn score_odi(form: &Form, answers: &[Option<f64>]) -> Result<ScoreResult, ScoreError> {
    let (points, answered) = form.sections(answers)?;
    let possible = 5 * answered as u32;
    // Integer numerator over integer denominator: exact whenever the true value is whole, so
    // a score of exactly 20 % is not pushed over a band edge by rounding.
    let percent = f64::from(points * 100) / f64::from(possible);
    let band = if percent <= 20.0 {
        Band::Minimal
    } else if percent <= 40.0 {
        Band::Moderate
    } else if percent <= 60.0 {
        Band::Severe
    } else if percent <= 80.0 {
        Band::Crippled
    } else {
        Band::BedBound
    };
    Ok(ScoreResult {
        subscores: Some(Subscores::Odi {
            answered_sections: answered as u8,
            points,
            possible_points: possible,
        }),
        ..result(InstrumentId::Odi, percent, Some(band))
    })
}

fn score_ndi(form: &Form, answers: &[Option<f64>]) -> Result<ScoreResult, ScoreError> {
    let (points, answered) = form.sections(answers)?;
    // Each skipped section counts as the mean of the answered ones, which keeps the score on
    // the 0–50 scale that the bands and the 5-point MCID are defined on.
    let total = f64::from(points * 10) / answered as f64;
    let band = if total < 5.0 {
        Band::None
    } else if total < 15.0 {
        Band::Mild
    } else if total < 25.0 {
        Band::Moderate
    } else if total < 35.0 {
        Band::Severe
    } else {
        Band::Complete
    };
    Ok(ScoreResult {
        subscores: Some(Subscores::Ndi {
            answered_sections: answered as u8,
            points,
            percent: total * 2.0,
        }),
        ..result(InstrumentId::Ndi, total, Some(band))
    })
}

fn score_psfs(form: &Form, answers: &[Option<f64>]) -> Result<ScoreResult, ScoreError> {
    let ratings = form.all_points(answers)?;
    let mean = f64::from(ratings.iter().sum::<u32>()) / ratings.len() as f64;
    Ok(ScoreResult {
        subscores: Some(Subscores::Psfs { activities: ratings.len() as u8 }),
        ..result(InstrumentId::Psfs, mean, None)
    })
}

fn score_phq9(form: &Form, answers: &[Option<f64>]) -> Result<ScoreResult, ScoreError> {
    let points = form.all_points(answers)?;
    let total: u32 = points.iter().sum();
    let band = match total {
        0..=4 => Band::Minimal,
        5..=9 => Band::Mild,
        10..=14 => Band::Moderate,
        15..=19 => Band::ModeratelySevere,
        _ => Band::Severe,
    };
    let mut alerts = Vec::new();
    // Item 9 asks about thoughts of death or self-harm. Any frequency above "never" needs a
    // clinician to assess risk promptly, even when the total is low.
    const ITEM_9: usize = 8;
    if let Some(&frequency) = points.get(ITEM_9).filter(|&&p| p > 0) {
        let label = form.option_label(ITEM_9, f64::from(frequency));
        alerts.push(Alert {
            code: AlertCode::Phq9Item9,
            message: format!(
                "The patient reported thoughts of death or of harming themselves (PHQ-9 item 9 \
                 answered {frequency}, \"{label}\"). Contact the patient today to assess their \
                 safety, following the clinic's suicide-risk procedure; do not wait for the next \
                 scheduled review."
            ),
        });
    }
    Ok(ScoreResult { alerts, ..result(InstrumentId::Phq9, f64::from(total), Some(band)) })
}

fn score_gad7(form: &Form, answers: &[Option<f64>]) -> Result<ScoreResult, ScoreError> {
    let total: u32 = form.all_points(answers)?.iter().sum();
    let band = match total {
        0..=4 => Band::Minimal,
        5..=9 => Band::Mild,
        10..=14 => Band::Moderate,
        _ => Band::Severe,
    };
    Ok(ScoreResult {
        subscores: Some(Subscores::Gad7 { positive_screen: total >= 10 }),
        ..result(InstrumentId::Gad7, f64::from(total), Some(band))
    })
}

fn score_wpai(form: &Form, answers: &[Option<f64>]) -> Result<ScoreResult, ScoreError> {
    const EMPLOYED: usize = 0;
    const MISSED_PROBLEM: usize = 1;
    const MISSED_OTHER: usize = 2;
    const WORKED: usize = 3;
    const WORK_IMPACT: usize = 4;
    const ACTIVITY_IMPACT: usize = 5;

    let employed = form.required(answers, EMPLOYED)? == 1.0;
    let answer = |i: usize| answers.get(i).copied().flatten();
    let work = if employed {
        let because = || Some("answer 1 (`employed`) is 1 (in paid work)".to_owned());
        let missed = form.required_because(answers, MISSED_PROBLEM, because())?;
        let other = form.required_because(answers, MISSED_OTHER, because())?;
        let worked = form.required_because(answers, WORKED, because())?;
        if missed + other + worked > HOURS_IN_A_WEEK {
            return Err(form.invalid(
                WORKED,
                AnswerProblem::Inconsistent {
                    reason: format!(
                        "answers 2 to 4 add up to {} hours, more than the 168 hours in a week",
                        missed + other + worked
                    ),
                },
            ));
        }
        // With no hours worked there is no work to rate, so the instrument skips question 5.
        let impact = if worked > 0.0 {
            let because = "answer 4 (`hours_worked`) is more than 0".to_owned();
            Some(form.required_because(answers, WORK_IMPACT, Some(because))?)
        } else if answer(WORK_IMPACT).is_some() {
            return Err(form.invalid(
                WORK_IMPACT,
                AnswerProblem::MustBeEmpty {
                    because: "answer 4 (`hours_worked`) is 0: there was no work to rate".into(),
                },
            ));
        } else {
            None
        };
        Some((missed, worked, impact))
    } else {
        for i in MISSED_PROBLEM..=WORK_IMPACT {
            if answer(i).is_some() {
                let because = "answer 1 (`employed`) is 0 (not in paid work)".to_owned();
                return Err(form.invalid(i, AnswerProblem::MustBeEmpty { because }));
            }
        }
        None
    };
    let activity = form.required(answers, ACTIVITY_IMPACT)? * 10.0;

    // The published formulas, worked in percentages rather than fractions so that a 0–10
    // rating becomes an exact percentage (3 → 30, not 30.000000000000004). Absenteeism needs
    // hours to divide by: a week with none worked and none missed (all holiday, say) has no
    // work scores.
    let (absenteeism, presenteeism, overall) = match work {
        Some((missed, worked, impact)) => {
            let absenteeism = (missed + worked > 0.0).then(|| 100.0 * missed / (missed + worked));
            let presenteeism = impact.map(|i| i * 10.0);
            // When no hours were worked, absenteeism is 100 % and there is no presenteeism.
            let overall = absenteeism.map(|a| a + (100.0 - a) * impact.unwrap_or(0.0) / 10.0);
            (absenteeism, presenteeism, overall)
        }
        None => (None, None, None),
    };
    Ok(ScoreResult {
        subscores: Some(Subscores::Wpai(WpaiScores {
            employed,
            absenteeism,
            presenteeism,
            overall_work_impairment: overall,
            activity_impairment: activity,
        })),
        ..result(InstrumentId::Wpai, activity, None)
    })
}

fn score_pgic(form: &Form, answers: &[Option<f64>]) -> Result<ScoreResult, ScoreError> {
    let rating = form.required(answers, 0)?;
    // 1 = very much better, 2 = much better: the usual definition of a responder.
    let responder = rating <= 2.0;
    let band = if responder { Band::Responder } else { Band::NonResponder };
    Ok(ScoreResult {
        subscores: Some(Subscores::Pgic { responder }),
        ..result(InstrumentId::Pgic, rating, Some(band))
    })
}

fn score_start_back(form: &Form, answers: &[Option<f64>]) -> Result<ScoreResult, ScoreError> {
    let answers = form.all_points(answers)?;
    // Items 1–8 are agree (1) / disagree (0). Item 9 is rated 0–4 and counts only when the
    // pain bothers the patient "very" (3) or "extremely" (4).
    let scored: Vec<u8> = answers
        .iter()
        .enumerate()
        .map(|(i, &a)| u8::from(if i == 8 { a >= 3 } else { a >= 1 }))
        .collect();
    let total: u8 = scored.iter().sum();
    let psychosocial: u8 = scored.iter().skip(4).sum();
    let band = if total <= 3 {
        Band::Low
    } else if psychosocial <= 3 {
        Band::Medium
    } else {
        Band::High
    };
    Ok(ScoreResult {
        subscores: Some(Subscores::StartBack { total, psychosocial }),
        ..result(InstrumentId::StartBack, f64::from(total), Some(band))
    })
}

fn score_satisfaction(form: &Form, answers: &[Option<f64>]) -> Result<ScoreResult, ScoreError> {
    let rating = form.required(answers, 0)?;
    Ok(result(InstrumentId::Satisfaction, rating, None))
}

/// Writes whole numbers as JSON integers (`32`, not `32.0`), so the CLI output reads naturally.
fn whole_as_integer<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
    // Within ±2^53 every whole f64 converts to i64 exactly.
    if value.fract() == 0.0 && value.abs() <= 9_007_199_254_740_992.0 {
        serializer.serialize_i64(*value as i64)
    } else {
        serializer.serialize_f64(*value)
    }
}

fn opt_whole_as_integer<S: Serializer>(
    value: &Option<f64>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) => whole_as_integer(v, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests;
