//! Analysis of a whole recording, in one of two modes. **Live** pushes the frames one at a time
//! through the `Tracker` exactly as a live session does (no second pass, no look-ahead, the
//! recording assumed to begin at rest) and ends it as a session ends. **Offline** uses what
//! only a whole recording offers: a first pass that finds the person's own range before
//! counting, and a repetition the recording began part-way through. Both then turn the
//! repetitions into a contiguous segmentation, splitting each rest between two repetitions at
//! its middle (a split a live session can make as soon as the next repetition starts), and
//! say when the movement could not be measured and which joints were missing.

use serde::Serialize;

use crate::exercises::{self, Direction, ExerciseSpec, SideRule, View};
use crate::kinematics::{Channel, Side};
use crate::skeleton::{Frame, JointSet};
use crate::tracker::{ErrorSet, Event, MDC_DEG, Summary, Tracker, TrackerConfig};

/// One repetition in an `Analysis`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Rep {
    /// Segment start (s): the middle of the rest before the repetition.
    pub start_s: f64,
    /// Segment end (s): the middle of the rest after it.
    pub end_s: f64,
    /// When the movement left rest (s).
    pub motion_start_s: f64,
    /// When the movement came back near rest (s).
    pub motion_end_s: f64,
    /// Primary channel at the peak (degrees).
    pub peak_deg: f32,
    /// Excursion from the start level to the peak (degrees).
    pub rom_deg: f32,
    /// Movement duration (s).
    pub duration_s: f64,
    /// Longest time held near the peak (s).
    pub held_s: f64,
    /// Moving side, for one-sided exercises.
    pub side: Option<Side>,
    /// True when no check failed.
    pub correct: bool,
    /// Failed checks.
    pub errors: ErrorSet,
    /// What each compensation check measured (as in `RepMetrics::checks`).
    pub checks: [f32; 8],
    /// Each position band's reading at the peak (as in `RepMetrics::bands`).
    pub bands: [f32; 4],
}

/// How a recording is analysed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Frame by frame through the live tracker, as a live session counts.
    Live,
    /// With the whole recording at hand (two passes; a first repetition already under way).
    Offline,
}

/// Something the reader of an analysis must know about its numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Warning {
    /// Stable code: `joints_missing`.
    pub code: &'static str,
    /// The joints concerned.
    pub joints: JointSet,
    /// Frames concerned.
    pub frames: u64,
    /// In words.
    pub message: String,
}

/// The result of `analyze`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Analysis {
    /// Exercise id.
    pub exercise: &'static str,
    /// How it was analysed.
    pub mode: Mode,
    /// Repetitions counted.
    pub rep_count: u32,
    /// Repetitions with no failed check.
    pub correct_count: u32,
    /// The repetitions.
    pub reps: Vec<Rep>,
    /// Session summary (frame counts, quality, error counts).
    pub summary: Summary,
    /// What limits the numbers above (joints the source did not see).
    pub warnings: Vec<Warning>,
}

/// Why a recording could not be analysed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    /// An unknown exercise id.
    #[error("unknown exercise {0:?}; `physio analyze --list` shows the known ids")]
    UnknownExercise(String),
    /// Not one frame gave the movement signal.
    #[error(
        "nothing could be measured: {exercise}'s movement ({channel}) needs {joints}, and the \
         recording never shows {missing}"
    )]
    NothingMeasurable {
        /// Exercise id.
        exercise: &'static str,
        /// The primary channel in words.
        channel: &'static str,
        /// Every joint the movement needs, in words.
        joints: String,
        /// The needed joints missing in most frames, in words ("nothing" when all were seen).
        missing: String,
    },
}

/// Analyses a recording offline with default settings.
pub fn analyze(exercise_id: &str, frames: &[Frame]) -> Result<Analysis, AnalysisError> {
    analyze_with(exercise_id, frames, TrackerConfig::DEFAULT, Mode::Offline)
}

/// `analyze` with explicit tracker settings and mode.
pub fn analyze_with(
    exercise_id: &str,
    frames: &[Frame],
    config: TrackerConfig,
    mode: Mode,
) -> Result<Analysis, AnalysisError> {
    let spec = exercises::find(exercise_id)
        .ok_or_else(|| AnalysisError::UnknownExercise(exercise_id.to_owned()))?;
    let config = match mode {
        Mode::Live => config,
        Mode::Offline => offline_config(spec, config, frames),
    };
    let mut tracker = Tracker::new(spec, config);
    let mut signal: Vec<(f64, f32)> = Vec::with_capacity(frames.len());
    let mut reps: Vec<Rep> = Vec::new();
    for f in frames.iter().map(Some).chain([None]) {
        let events = match f {
            Some(f) => tracker.push(f),
            None => tracker.end(),
        };
        for e in events {
            if let Event::RepCompleted(m) = e {
                reps.push(Rep {
                    start_s: m.start_s,
                    end_s: m.end_s,
                    motion_start_s: m.start_s,
                    motion_end_s: m.end_s,
                    peak_deg: m.peak_deg,
                    rom_deg: m.rom_deg,
                    duration_s: m.duration_s,
                    held_s: m.held_s,
                    side: m.side,
                    correct: m.correct,
                    errors: m.errors,
                    checks: m.checks,
                    bands: m.bands,
                });
            }
        }
        if let (Some(f), Some(s)) = (f, tracker.last_signal()) {
            signal.push((f.t, s));
        }
    }
    let reference = tracker.reference_range();
    segment(&mut reps, &signal, reference);
    let missing = tracker.missing_frames();
    let summary = tracker.finish();
    let warnings = visibility_warnings(spec, &summary, &missing)?;
    Ok(Analysis {
        exercise: spec.id,
        mode,
        rep_count: summary.reps,
        correct_count: summary.correct_reps,
        reps,
        summary,
        warnings,
    })
}

/// The movement could not be measured in more than this share of the frames: worth a warning
/// (a few lost frames are ordinary; a tenth of the set means repetitions may have been missed).
const UNMEASURED_WARN: f64 = 0.05;

/// Warnings (or, when no frame could be measured, the error) about joints the source did not
/// show while the movement could not be measured.
fn visibility_warnings(
    spec: &ExerciseSpec,
    summary: &Summary,
    missing: &[(crate::skeleton::Joint, u32)],
) -> Result<Vec<Warning>, AnalysisError> {
    let arrived = summary.frames - summary.ignored_frames;
    let lost = summary.frames_without_signal;
    let words = |set: JointSet| {
        let names: Vec<&str> = set.iter().map(|j| j.describe()).collect();
        match names.as_slice() {
            [] => "nothing".to_owned(),
            [one] => (*one).to_owned(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    };
    // The joints missing in at least half of the unmeasurable frames: the cause, not a joint
    // that flickered once.
    let mut joints = JointSet(0);
    for &(j, n) in missing {
        if n > 0 && 2 * u64::from(n) >= lost {
            joints.0 |= 1 << j.index();
        }
    }
    if arrived > 0 && lost == arrived {
        return Err(AnalysisError::NothingMeasurable {
            exercise: spec.id,
            channel: spec.primary.describe(),
            joints: words(needed_joints(spec)),
            missing: words(joints),
        });
    }
    if arrived == 0 || (lost as f64) <= UNMEASURED_WARN * arrived as f64 {
        return Ok(Vec::new());
    }
    let share = 100.0 * lost as f64 / arrived as f64;
    let cause = if joints.is_empty() {
        "the joints it needs were seen but gave no plausible angle".to_owned()
    } else {
        format!("{} not seen", words(joints))
    };
    Ok(vec![Warning {
        code: "joints_missing",
        joints,
        frames: lost,
        message: format!(
            "the movement ({}) could not be measured in {lost} of {arrived} frames \
             ({share:.0} %): {cause}; repetitions there are not counted",
            spec.primary.describe()
        ),
    }])
}

/// The joints the movement signal of `spec` is computed from, on both sides.
fn needed_joints(spec: &ExerciseSpec) -> JointSet {
    JointSet(crate::kinematics::joints_read(crate::tracker::primary_channels(spec)))
}

/// The offline settings: a recording may begin part-way through a repetition, and the first
/// pass over it sets the counting range.
fn offline_config(
    spec: &'static ExerciseSpec,
    config: TrackerConfig,
    frames: &[Frame],
) -> TrackerConfig {
    // A file may begin part-way through a repetition; a live session begins at rest.
    let mut config = TrackerConfig { may_start_mid_rep: true, ..config };
    if config.initial_range.is_none() {
        // Having the whole recording, count a second time starting from the range the person
        // showed (live, the calibration step plays this part): otherwise repetitions smaller
        // than the nominal range are missed until the first one is counted. Only a pattern
        // (three repetitions or more) sets the scale: one or two movements may be noise, and
        // counting smaller noise on their scale would make it worse.
        let uncalibrated = TrackerConfig { calibration: None, ..config };
        let first = count(spec, uncalibrated, frames);
        config.initial_range = if first.reps >= 3 {
            Some(first.range)
        } else if first.spread >= MDC_DEG && first.spread < first.range {
            // Every movement was smaller than the nominal range: count on the scale of what the
            // signal spans over the recording (a set is mostly repetitions).
            let again = count(
                spec,
                TrackerConfig { initial_range: Some(first.spread), ..uncalibrated },
                frames,
            );
            (again.reps >= 3).then_some(again.range)
        } else {
            None
        };
    }
    config
}

/// What one counting pass over a recording found.
struct Pass {
    /// Repetitions counted.
    reps: usize,
    /// The counting range the pass ended with (movement-signal units).
    range: f32,
    /// The movement signal's 5th-to-95th-percentile spread over the recording.
    spread: f32,
}

fn count(spec: &'static ExerciseSpec, config: TrackerConfig, frames: &[Frame]) -> Pass {
    let mut tracker = Tracker::new(spec, config);
    let mut reps = 0;
    let mut signal = Vec::with_capacity(frames.len());
    let completed =
        |events: &[Event]| events.iter().filter(|e| matches!(e, Event::RepCompleted(_))).count();
    for f in frames {
        reps += completed(tracker.push(f));
        signal.extend(tracker.last_signal());
    }
    reps += completed(tracker.end());
    signal.sort_by(f32::total_cmp);
    let at = |q: f32| signal.get((q * (signal.len().saturating_sub(1)) as f32) as usize).copied();
    let spread = at(0.95).zip(at(0.05)).map_or(0.0, |(hi, lo)| hi - lo);
    Pass { reps, range: tracker.reference_range(), spread }
}

/// Splits the rest between consecutive repetitions at its middle; the first and last
/// repetitions get half the median rest on their outer side (within the recording).
fn segment(reps: &mut [Rep], signal: &[(f64, f32)], reference: f32) {
    let (Some(first), Some(last)) = (signal.first(), signal.last()) else { return };
    let mut half_gaps = Vec::with_capacity(reps.len());
    for k in 0..reps.len().saturating_sub(1) {
        let (a, b) = (reps[k].motion_end_s, reps[k + 1].motion_start_s);
        let gap: Vec<&(f64, f32)> = signal.iter().filter(|(t, _)| *t >= a && *t <= b).collect();
        let low = gap.iter().map(|x| x.1).fold(f32::INFINITY, f32::min);
        let rest_start = gap.iter().find(|x| x.1 <= low + 0.15 * reference).map_or(a, |x| x.0);
        let mid = 0.5 * (rest_start + b);
        reps[k].end_s = mid;
        reps[k + 1].start_s = mid;
        half_gaps.push(mid - rest_start);
    }
    half_gaps.sort_by(f64::total_cmp);
    let half = half_gaps.get(half_gaps.len() / 2).copied().unwrap_or(0.0);
    if let Some(r) = reps.first_mut() {
        r.start_s = (r.motion_start_s - half).max(first.0);
    }
    if let Some(r) = reps.last_mut() {
        r.end_s = (r.motion_end_s + half).min(last.0);
    }
}

/// One line of the exercise list.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ExerciseInfo {
    /// Exercise id.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Camera view needed.
    pub view: View,
    /// Whether depth (3-D) is needed.
    pub needs_depth: bool,
    /// Primary channel (left variant for sided channels).
    pub primary: Channel,
    /// Side rule.
    pub side: SideRule,
    /// Direction of the movement on the primary channel.
    pub direction: Direction,
}

/// Every exercise id with its view and primary signal.
pub fn exercises() -> Vec<ExerciseInfo> {
    exercises::EXERCISES
        .iter()
        .map(|e| ExerciseInfo {
            id: e.id,
            name: e.name,
            view: e.view,
            needs_depth: e.needs_depth,
            primary: e.primary,
            side: e.side,
            direction: e.direction,
        })
        .collect()
}
