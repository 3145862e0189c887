//! The pain rules of a session: the check before it starts, and pain during an exercise.
//!
//! "Usual" pain is what this patient's pain usually is before a session: the median of their
//! last [`USUAL_WINDOW`] pre-session scores once there are at least [`USUAL_MIN_SESSIONS`] of
//! them (a median, so one bad day does not move it), and before that the check-in baseline
//! (the latest pain score they gave, else the intake's). A patient with no pain score at all has
//! no usual level yet, and only the absolute limit applies.

use serde::{Deserialize, Serialize};

use crate::checkin::{self, Baseline, BaselineSource};
use crate::intake::PainScore;
use crate::safety::SafetyAlert;

/// Pain before a session at or above this stops it (clinical.md §8.5).
pub const BLOCK_PAIN: u8 = checkin::HIGH_PAIN;
/// Pain before a session this many points or more above the usual level stops it (a flare).
pub const RISE: u8 = checkin::PAIN_RISE;
/// Pain during an exercise above this ends the exercise (the pain-monitoring model: up to 5 is
/// acceptable, above 5 is not).
pub const EXERCISE_LIMIT: u8 = 5;
/// How many recent pre-session scores the usual level is taken from.
pub const USUAL_WINDOW: usize = 7;
/// How many pre-session scores are needed before they, not the baseline, set the usual level.
pub const USUAL_MIN_SESSIONS: usize = 3;

/// Where the usual level came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum UsualSource {
    /// The median of this many recent pre-session scores.
    RecentSessions {
        /// How many scores.
        count: usize,
    },
    /// The check-in baseline.
    Baseline {
        /// Where the baseline came from.
        from: BaselineSource,
    },
}

/// The patient's usual pain before a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Usual {
    /// The level, 0–10.
    pub pain: u8,
    /// Where it came from.
    pub source: UsualSource,
}

/// The usual level from `recent` pre-session scores (newest first) and the check-in
/// `baseline`.
pub fn usual(recent: &[PainScore], baseline: Option<Baseline>) -> Option<Usual> {
    let recent: Vec<u8> = recent.iter().take(USUAL_WINDOW).map(|p| p.get()).collect();
    if recent.len() >= USUAL_MIN_SESSIONS {
        let mut sorted = recent.clone();
        sorted.sort_unstable();
        // The lower middle of an even count: the calmer of the two middle days.
        let pain = sorted[(sorted.len() - 1) / 2];
        return Some(Usual { pain, source: UsualSource::RecentSessions { count: recent.len() } });
    }
    baseline.map(|b| Usual { pain: b.pain.get(), source: UsualSource::Baseline { from: b.source } })
}

/// Why the check before a session stopped it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum SessionStop {
    /// Pain at or above [`BLOCK_PAIN`].
    HighPain {
        /// The pain given.
        pain: u8,
    },
    /// Pain [`RISE`] or more above the usual level.
    Flare {
        /// The pain given.
        pain: u8,
        /// The usual level.
        usual: u8,
    },
}

impl SessionStop {
    /// The care-team alert it raises; both pause exercise until a clinician has acknowledged
    /// it (`crate::safety`).
    pub fn alert(self) -> SafetyAlert {
        match self {
            SessionStop::HighPain { .. } => SafetyAlert::HighPain,
            SessionStop::Flare { .. } => SafetyAlert::PainRise,
        }
    }

    /// What the care team reads with the alert.
    pub fn staff_message(self) -> String {
        match self {
            SessionStop::HighPain { pain } => format!(
                "Pain {pain}/10 before an exercise session (the session stops at {BLOCK_PAIN} or \
                 more). The session was not started and exercise is paused until a clinician \
                 closes this alert."
            ),
            SessionStop::Flare { pain, usual } => format!(
                "Pain {pain}/10 before an exercise session, {} points above the usual {usual}/10 \
                 (the session stops at {RISE} or more above usual). The session was not started \
                 and exercise is paused until a clinician closes this alert.",
                pain - usual
            ),
        }
    }

    /// Why, in the patient's words.
    pub fn patient_reason(self) -> String {
        match self {
            SessionStop::HighPain { pain } => {
                format!(
                    "You told us your pain is {pain} out of 10. That is too high to exercise today."
                )
            }
            SessionStop::Flare { pain, usual } => format!(
                "You told us your pain is {pain} out of 10. It is usually about {usual}, so today \
                 is a flare-up. Exercising now could make it worse."
            ),
        }
    }
}

/// The answer to the check before a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "gate")]
pub enum Gate {
    /// The session may start.
    Go,
    /// The session stops before it starts.
    Stop(SessionStop),
}

/// The check before a session: the absolute limit first (it holds whatever the usual level),
/// then the flare rule against the usual level when there is one.
pub fn before_session(pain: PainScore, usual: Option<Usual>) -> Gate {
    let pain = pain.get();
    if pain >= BLOCK_PAIN {
        return Gate::Stop(SessionStop::HighPain { pain });
    }
    match usual {
        Some(u) if pain >= u.pain.saturating_add(RISE) => {
            Gate::Stop(SessionStop::Flare { pain, usual: u.pain })
        }
        _ => Gate::Go,
    }
}

/// How pain during an exercise is judged (the pain-monitoring model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum During {
    /// 0 to 3: safe.
    Safe,
    /// 4 or 5: acceptable, if it settles by the next morning.
    Acceptable,
    /// Above 5: too much; the exercise ends.
    TooMuch,
}

/// Judges pain during an exercise.
pub fn during(pain: PainScore) -> During {
    match pain.get() {
        0..=3 => During::Safe,
        4..=EXERCISE_LIMIT => During::Acceptable,
        _ => During::TooMuch,
    }
}
