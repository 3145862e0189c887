//! What one session of one exercise showed: the rules' inputs, gathered by the caller from the
//! session's record, the camera's summary and the next morning's answer.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::day::ExerciseLog;
use crate::exercise::Dose;

/// Camera tracking of the exercise in that session.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Tracked {
    /// Correct repetitions ÷ all repetitions counted (0 when none were counted).
    pub correct: f32,
    /// Mean range reached ÷ the target range, when a target is set.
    pub range: Option<f32>,
}

/// Pain the morning after, against the patient's usual level then.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Morning {
    /// Pain that morning, 0–10.
    pub pain: u8,
    /// The usual level (`crate::day::pain::usual`) when it was given.
    pub usual: u8,
}

impl Morning {
    /// More than [`super::rule::MORNING_MARGIN`] above usual.
    pub fn breach(self) -> bool {
        self.pain > self.usual.saturating_add(super::rule::MORNING_MARGIN)
    }
}

/// One session of one exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// The day of the session.
    pub day: Date,
    /// Pain during it, 0–10 (none when skipped).
    pub pain_during: Option<u8>,
    /// Effort, 0–10 (none when skipped).
    pub effort: Option<u8>,
    /// Share of the prescribed work done, 0 to 1.
    pub done: f32,
    /// Camera tracking, when the exercise was done with the camera.
    pub tracked: Option<Tracked>,
    /// The next morning's pain, once the patient has said it.
    pub morning: Option<Morning>,
}

impl Observation {
    /// Whether pain during or the next morning broke the pain-monitoring limits.
    pub fn pain_breach(&self) -> bool {
        self.pain_during.is_some_and(|p| p > super::rule::PAIN_DURING_MAX)
            || self.morning.is_some_and(Morning::breach)
    }

    /// What broke the pain limits, for staff: "pain during was 7/10 (the limit is 5/10)";
    /// empty when nothing did.
    pub fn breach_text(&self) -> String {
        use super::rule::{MORNING_MARGIN, PAIN_DURING_MAX};
        let mut parts = Vec::new();
        if let Some(p) = self.pain_during.filter(|p| *p > PAIN_DURING_MAX) {
            parts.push(format!("pain during was {p}/10 (the limit is {PAIN_DURING_MAX}/10)"));
        }
        if let Some(m) = self.morning.filter(|m| m.breach()) {
            parts.push(format!(
                "pain the next morning was {}/10 against a usual {}/10 (more than \
                 {MORNING_MARGIN} above)",
                m.pain, m.usual
            ));
        }
        parts.join(", and ")
    }

    /// Whether camera tracking showed too few correct repetitions or too little range.
    pub fn form_miss(&self) -> bool {
        self.tracked.is_some_and(|t| {
            t.correct < super::rule::FORM_CORRECT_MIN
                || t.range.is_some_and(|r| r < super::rule::FORM_RANGE_MIN)
        })
    }
}

/// Sessions done and planned over the last 7 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adherence {
    /// Sessions done (that count toward the week).
    pub done: u32,
    /// Sessions the programme planned.
    pub planned: u32,
}

impl Adherence {
    /// Done ÷ planned; a programme that planned nothing has nothing missing.
    pub fn share(self) -> f32 {
        if self.planned == 0 { 1.0 } else { self.done as f32 / self.planned as f32 }
    }
}

/// Everything the table reads for one exercise after one session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inputs {
    /// The session was blocked or stopped by the pain check, or exercise is paused by a red
    /// flag: the safety rule, already acted on.
    pub safety: bool,
    /// This session.
    pub latest: Observation,
    /// The session before it of the same exercise at the same prescription, if any.
    pub previous: Option<Observation>,
    /// The last 7 days.
    pub adherence: Adherence,
}

/// Share of the prescribed work a record shows done, 0 to 1: sets × repetitions (× seconds
/// held, for holds) or minutes, against the dose; a skipped exercise did none of it.
pub fn done_share(dose: &Dose, log: &ExerciseLog) -> f32 {
    if log.skipped.is_some() {
        return 0.0;
    }
    let sets = |n: Option<u8>| f32::from(n.unwrap_or(0));
    let (done, planned) = match (dose.minutes, dose.hold_s) {
        (Some(m), _) => (f32::from(log.minutes_done.unwrap_or(0)), f32::from(m)),
        (None, Some(hold)) => {
            let reps = f32::from(dose.reps.unwrap_or(1));
            let held = f32::from(log.hold_s_done.unwrap_or(0).min(hold));
            (
                sets(log.sets_done) * f32::from(log.reps_done.unwrap_or(1)) * held,
                f32::from(dose.sets) * reps * f32::from(hold),
            )
        }
        (None, None) => (
            sets(log.sets_done) * f32::from(log.reps_done.unwrap_or(0)),
            f32::from(dose.sets) * f32::from(dose.reps.unwrap_or(0)),
        ),
    };
    if planned <= 0.0 { 0.0 } else { (done / planned).clamp(0.0, 1.0) }
}
