//! What the patient records in a session: per exercise, how much they did, pain during it and
//! effort (or that they skipped it, and why); at the end, pain, tiredness and whether they
//! stopped early; and the next morning, how their back felt compared with usual.

use serde::{Deserialize, Serialize};

use crate::day::pain::{self, During};
use crate::exercise::dose::{MAX_HOLD_S, MAX_MINUTES, MAX_REPS, MAX_SETS};
use crate::exercise::tag::vocabulary;
use crate::exercise::{Dose, Problem};
use crate::intake::PainScore;

vocabulary!(
    /// Why an exercise was skipped.
    SkipReason, "skip reason", {
        /// It hurt, or the patient expected it to.
        Pain => "pain", "It hurt or I thought it would";
        /// Too tired.
        Tired => "tired", "I was too tired";
        /// Not enough time.
        Time => "time", "I did not have time";
        /// Not sure how to do it.
        Unsure => "unsure", "I was not sure how to do it";
        /// Anything else.
        Other => "other", "Another reason";
    }
);

vocabulary!(
    /// Why a session ended before every exercise was done.
    StopReason, "reason for stopping", {
        /// Pain.
        Pain => "pain", "Pain";
        /// Tiredness.
        Tiredness => "tiredness", "Tiredness";
        /// Time.
        Time => "time", "I ran out of time";
        /// Anything else.
        Other => "other", "Another reason";
    }
);

/// Longest free-text note.
pub const MAX_NOTE_CHARS: usize = 300;

/// The words at the anchors of our 0–10 effort scale.
pub fn effort_words(effort: u8) -> &'static str {
    match effort {
        0 => "nothing at all",
        1..=2 => "very easy",
        3..=4 => "moderate",
        5..=6 => "hard",
        7..=9 => "very hard",
        _ => "as hard as I can",
    }
}

/// What the patient records about one exercise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExerciseLog {
    /// Sets done.
    #[serde(default)]
    pub sets_done: Option<u8>,
    /// Repetitions done in each set (or holds, for a held exercise).
    #[serde(default)]
    pub reps_done: Option<u16>,
    /// Seconds each hold lasted.
    #[serde(default)]
    pub hold_s_done: Option<u16>,
    /// Minutes, for a timed exercise.
    #[serde(default)]
    pub minutes_done: Option<u16>,
    /// Pain during the exercise, 0–10.
    #[serde(default)]
    pub pain_during: Option<u8>,
    /// Effort, 0 (nothing at all) to 10 (as hard as I can).
    #[serde(default)]
    pub effort: Option<u8>,
    /// Set when the exercise was skipped: why.
    #[serde(default)]
    pub skipped: Option<SkipReason>,
}

/// How an exercise went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome", content = "reason")]
pub enum Outcome {
    /// Done.
    Done,
    /// Done in part, then stopped because pain went above the limit.
    StoppedForPain,
    /// Not done.
    Skipped(SkipReason),
}

impl Outcome {
    /// Its wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::StoppedForPain => "stopped_for_pain",
            Outcome::Skipped(_) => "skipped",
        }
    }

    /// Reads it back from its wire name and the stored skip reason.
    pub fn parse(name: &str, reason: Option<&str>) -> Result<Outcome, crate::wire::UnknownName> {
        match (name, reason) {
            ("done", _) => Ok(Outcome::Done),
            ("stopped_for_pain", _) => Ok(Outcome::StoppedForPain),
            ("skipped", Some(r)) => Ok(Outcome::Skipped(r.parse()?)),
            _ => Err(crate::wire::UnknownName {
                kind: "exercise outcome",
                value: name.to_owned(),
                expected: vec!["done", "stopped_for_pain", "skipped"],
            }),
        }
    }

    /// Whether the exercise was (at least partly) done.
    pub fn counts_as_done(self) -> bool {
        !matches!(self, Outcome::Skipped(_))
    }
}

fn score(field: &str, value: Option<u8>, what: &str, out: &mut Vec<Problem>) {
    match value {
        Some(v) if v <= 10 => {}
        Some(_) => out.push(problem(field, &format!("give {what} as a number from 0 to 10"))),
        None => out.push(problem(field, &format!("choose {what}, from 0 to 10"))),
    }
}

fn problem(field: &str, message: &str) -> Problem {
    Problem { field: field.to_owned(), message: message.to_owned() }
}

fn amount<T: Into<u32> + Copy>(
    field: &str,
    value: Option<T>,
    max: u32,
    what: &str,
    out: &mut Vec<Problem>,
) {
    match value.map(Into::into) {
        Some(v) if v <= max => {}
        Some(_) => out.push(problem(field, &format!("{what} can be at most {max}"))),
        None => out.push(problem(field, &format!("enter how many {what} you did (0 if none)"))),
    }
}

impl ExerciseLog {
    /// Every problem with this record of an exercise prescribed as `dose`: a done exercise
    /// gives what its dose counts (sets; repetitions, holds and their seconds, or minutes),
    /// pain during it and effort; a skipped one gives only the reason.
    pub fn problems(&self, dose: &Dose) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.skipped.is_some() {
            return out;
        }
        if dose.minutes.is_some() {
            amount(
                "minutes_done",
                self.minutes_done,
                u32::from(MAX_MINUTES) * 2,
                "minutes",
                &mut out,
            );
        } else {
            amount("sets_done", self.sets_done, u32::from(MAX_SETS), "sets", &mut out);
            if dose.reps.is_some() || dose.hold_s.is_none() {
                let what = if dose.hold_s.is_some() { "holds" } else { "repetitions" };
                amount("reps_done", self.reps_done, u32::from(MAX_REPS) * 2, what, &mut out);
            }
            if dose.hold_s.is_some() {
                amount(
                    "hold_s_done",
                    self.hold_s_done,
                    u32::from(MAX_HOLD_S) * 2,
                    "seconds of holding",
                    &mut out,
                );
            }
        }
        score("pain_during", self.pain_during, "your pain during the exercise", &mut out);
        score("effort", self.effort, "how hard it felt", &mut out);
        out
    }

    /// How it went; call once [`ExerciseLog::problems`] is empty.
    pub fn outcome(&self) -> Outcome {
        if let Some(reason) = self.skipped {
            return Outcome::Skipped(reason);
        }
        let pain = self.pain_during.and_then(|p| PainScore::new(p).ok());
        match pain.map(pain::during) {
            Some(During::TooMuch) => Outcome::StoppedForPain,
            _ => Outcome::Done,
        }
    }
}

/// What the patient records at the end of a session.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Closing {
    /// Pain now, 0–10.
    #[serde(default)]
    pub pain_after: Option<u8>,
    /// How tired, 0 (not at all) to 10 (exhausted).
    #[serde(default)]
    pub fatigue: Option<u8>,
    /// Set when the session ended before every exercise was done: why.
    #[serde(default)]
    pub stopped_early: Option<StopReason>,
    /// More about why, in the patient's words (optional).
    #[serde(default)]
    pub note: Option<String>,
}

impl Closing {
    /// Every problem; `unfinished` says whether some exercises were not recorded, in which
    /// case the reason for stopping is needed.
    pub fn problems(&self, unfinished: bool) -> Vec<Problem> {
        let mut out = Vec::new();
        score("pain_after", self.pain_after, "your pain now", &mut out);
        score("fatigue", self.fatigue, "how tired you feel", &mut out);
        if unfinished && self.stopped_early.is_none() {
            out.push(problem("stopped_early", "choose why you are stopping before the end"));
        }
        if self.note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS) {
            out.push(problem(
                "note",
                &format!("keep the note to {MAX_NOTE_CHARS} characters or fewer"),
            ));
        }
        out
    }
}
