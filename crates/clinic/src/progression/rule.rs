//! The rule table, as data: each rule's condition and proposal in words, and its source. The
//! thresholds are constants here so the table, the code and the documentation say the same.

use crate::day::pain;
use crate::exercise::tag::vocabulary;

/// Pain during an exercise above this (0–10) is a breach: the pain-monitoring model's limit
/// ("≤ 5/10 during is acceptable"), the same limit that stops an exercise in a session.
pub const PAIN_DURING_MAX: u8 = pain::EXERCISE_LIMIT;
/// Next-morning pain more than this above the patient's usual level is a breach (the
/// pain-monitoring model asks that pain settles by the next morning; the margin of one point
/// is a platform choice that allows for the scale's own noise).
pub const MORNING_MARGIN: u8 = 1;
/// Below this share of correct repetitions, form comes first (platform choice).
pub const FORM_CORRECT_MIN: f32 = 0.6;
/// Below this share of the target range, form comes first (platform choice).
pub const FORM_RANGE_MIN: f32 = 0.7;
/// Below this share of the planned sessions in the last 7 days there is too little to judge
/// (platform choice, after Joint Academy's 80 % adherence definition).
pub const ADHERENCE_MIN: f32 = 0.5;
/// Below this share of the prescribed work done in a session there is too little to judge.
pub const DONE_MIN: f32 = 0.8;
/// Effort at or below this (0–10; 5 = hard) leaves room to progress.
pub const READY_EFFORT_MAX: u8 = 5;
/// At least this share of correct repetitions to progress a tracked exercise.
pub const READY_CORRECT_MIN: f32 = 0.8;
/// Sessions in a row that must all be ready (the NSCA "2-for-2" rule).
pub const READY_RUN: usize = 2;
/// A second pain breach within this many days alerts the clinician.
pub const BREACH_WINDOW_DAYS: i64 = 7;

vocabulary!(
    /// A rule of the table.
    Rule, "progression rule", {
        /// A red flag, pre-session pain of 8 or more, or a flare: the session is stopped and
        /// the care team alerted (the session's pain check does it; nothing is proposed).
        Safety => "safety", "Safety";
        /// Pain during above 5/10, or next-morning pain above usual by more than one point.
        PainBreach => "pain_breach", "Pain breach";
        /// A tracked exercise done with too few correct repetitions or too little range.
        Form => "form", "Form";
        /// Too few sessions lately, or too little of the prescribed work done.
        NotEnoughData => "not_enough_data", "Not enough data";
        /// Two sessions in a row within every limit.
        Ready => "ready", "Ready to progress";
        /// None of the above.
        Otherwise => "otherwise", "No change";
    }
);

vocabulary!(
    /// What a rule proposes for an exercise.
    Proposal, "proposal", {
        /// One step up the exercise's ladder.
        Progress => "progress", "Progress one step";
        /// Keep the prescription as it is.
        Hold => "hold", "Keep as it is";
        /// One step down.
        Regress => "regress", "Regress one step";
    }
);

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Row {
    /// The rule.
    pub rule: Rule,
    /// When it holds.
    pub condition: &'static str,
    /// What it proposes.
    pub proposal: &'static str,
    /// Where the rule and its thresholds come from.
    pub source: &'static str,
}

/// The table, in the order it is read.
pub const TABLE: [Row; 6] = [
    Row {
        rule: Rule::Safety,
        condition: "a red-flag answer, pain of 8 or more before the session, or pain 3 or more \
                    above the usual level",
        proposal: "the session is blocked or stopped and the care team alerted at once; no \
                   change is proposed",
        source: "clinical.md §8 (session gates, red-flag triage)",
    },
    Row {
        rule: Rule::PainBreach,
        condition: "pain during the exercise above 5/10, or pain the next morning more than one \
                    point above the usual level",
        proposal: "regress one step; a second breach within 7 days also alerts the clinician",
        source: "the pain-monitoring model (Silbernagel et al.; clinical.md §6); the one-point \
                 margin is a platform choice",
    },
    Row {
        rule: Rule::Form,
        condition: "tracked with the camera: under 60 % of repetitions correct, or under 70 % of \
                    the target range reached",
        proposal: "keep the dose and show the form cue; the second session in a row: regress one \
                   step",
        source: "platform choice (programmes.md §3, R2)",
    },
    Row {
        rule: Rule::NotEnoughData,
        condition: "fewer than half the planned sessions done in the last 7 days, or under 80 % \
                    of the prescribed work done in this session",
        proposal: "keep the dose: never progress on missing data",
        source: "platform choice, after Joint Academy's 80 % adherence (programmes.md §3, R3)",
    },
    Row {
        rule: Rule::Ready,
        condition: "in two sessions in a row: pain during 5/10 or less, settled by the next \
                    morning, effort 5/10 or less, all the prescribed work done, and (untracked or \
                    at least 80 % of repetitions correct)",
        proposal: "progress one step",
        source: "the pain-monitoring model with the NSCA 2-for-2 rule (programmes.md §3, R4)",
    },
    Row {
        rule: Rule::Otherwise,
        condition: "none of the above",
        proposal: "keep the dose",
        source: "—",
    },
];

impl Rule {
    /// The rule's row of the table.
    pub fn row(self) -> &'static Row {
        TABLE.iter().find(|r| r.rule == self).unwrap_or(&TABLE[TABLE.len() - 1])
    }
}
