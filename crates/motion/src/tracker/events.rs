//! What the tracker reports: events after each frame, a completed repetition's metrics, the
//! set of form errors it failed, and the end-of-session summary.

use serde::Serialize;

use crate::exercises::{FORM_ERRORS, FormError};
use crate::kinematics::Side;
use crate::skeleton::JointSet;

/// A set of form errors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ErrorSet(pub u16);

impl ErrorSet {
    /// Adds an error.
    pub fn insert(&mut self, e: FormError) {
        self.0 |= 1 << (e as u16);
    }
    /// Whether the set holds an error.
    pub fn contains(self, e: FormError) -> bool {
        self.0 & (1 << (e as u16)) != 0
    }
    /// True when empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The errors, in `FormError::ALL` order.
    pub fn iter(self) -> impl Iterator<Item = FormError> {
        FormError::ALL.into_iter().filter(move |e| self.contains(*e))
    }
}

impl Serialize for ErrorSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// Metrics of one completed repetition.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct RepMetrics {
    /// 1-based repetition number.
    pub index: u32,
    /// Last moment at rest before the movement (s).
    pub start_s: f64,
    /// Moment the movement returned near rest (s).
    pub end_s: f64,
    /// Time of the peak (s).
    pub peak_time_s: f64,
    /// Primary channel at the peak (degrees; signed channel value).
    pub peak_deg: f32,
    /// Excursion of the movement signal from the start level to the peak (degrees).
    pub rom_deg: f32,
    /// `end_s − start_s`.
    pub duration_s: f64,
    /// Longest continuous time near the peak (s).
    pub held_s: f64,
    /// The moving side, for one-sided exercises.
    pub side: Option<Side>,
    /// True when no check failed.
    pub correct: bool,
    /// The checks it failed.
    pub errors: ErrorSet,
    /// What each of the exercise's compensation checks measured, in the spec's order (`NaN`,
    /// serialised as null, where it had no reading or the spec has fewer checks).
    pub checks: [f32; 8],
    /// Each of the exercise's position bands' reading at the peak, likewise.
    pub bands: [f32; 4],
}

/// What the tracker reports after a frame.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A repetition began (at `t`, the last moment at rest).
    RepStarted {
        /// 1-based repetition number.
        index: u32,
        /// Start time (s).
        t: f64,
    },
    /// A repetition ended.
    RepCompleted(RepMetrics),
    /// A form check failed during the current repetition (once per check and repetition).
    FormWarning {
        /// Time (s).
        t: f64,
        /// The failed check.
        error: FormError,
        /// The measured value (degrees or percent of trunk length).
        value: f32,
    },
    /// Progress of a hold (every half second, and when the target is reached).
    HoldProgress {
        /// Time (s).
        t: f64,
        /// Held so far (s).
        held_s: f64,
        /// Target (s).
        target_s: f64,
    },
    /// The movement could not be measured for `LOST_AFTER_S`: the joints it needs that the
    /// source does not see (empty when they are seen but give no plausible angle).
    SignalLost {
        /// Time (s).
        t: f64,
        /// The joints the exercise's movement needs that were missing in the last frame.
        joints: JointSet,
    },
    /// The movement can be measured again after `SignalLost`.
    SignalFound {
        /// Time (s).
        t: f64,
    },
    /// The set's target number of repetitions was reached.
    SetComplete {
        /// Time (s).
        t: f64,
        /// Repetitions counted.
        reps: u32,
    },
}

/// End-of-session summary.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// Exercise id.
    pub exercise: &'static str,
    /// Repetitions counted.
    pub reps: u32,
    /// Repetitions with no failed check.
    pub correct_reps: u32,
    /// Mean excursion of the repetitions (degrees).
    pub mean_rom_deg: f32,
    /// Frames received.
    pub frames: u64,
    /// Frames ignored (time not increasing).
    pub ignored_frames: u64,
    /// Frames where the primary signal was unavailable.
    pub frames_without_signal: u64,
    /// Frames with a quality flag (held joint, outlier, gap, glitch).
    pub flagged_frames: u64,
    /// First to last frame (s).
    pub duration_s: f64,
    /// How many repetitions failed each check, in `FormError::ALL` order.
    pub error_counts: [u32; FORM_ERRORS],
}
