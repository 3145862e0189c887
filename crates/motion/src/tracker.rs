//! The per-session engine: feed one frame at a time, get repetition and form events back.
//!
//! Repetitions are found by hysteresis on the movement signal `s` (the primary channel mapped
//! by the spec's side rule and direction) relative to the person's own range: a repetition
//! starts when `s` rises 40 % of the reference range above the lowest value since the last
//! repetition, and ends when it falls back to within 25 % of the range (or half its own
//! excursion). The reference range starts at the calibration when given, else at the spec's
//! nominal range, and then follows the person's repetitions (median of the last five), so a
//! weaker day is still counted; with a calibration, each repetition's range is judged against
//! it, else against the person's recent repetitions. For one-sided
//! exercises (`SideRule::Either`) the side that has done most repetitions keeps the lead while
//! it rests, and a repetition keeps its side once there is a lead: a depth sensor's occluded,
//! resting arm often "jumps" for a second, and that must neither start a repetition nor
//! stretch one. The lead passes to the other side after `SWITCH_REST_S` of rest (switching
//! sides takes a pause). Nothing here allocates after `Tracker::new`.
//!
//! A frame goes through `guard` (glitches), `signal` (the movement signal and the moving side),
//! `repetition` (or `opening`, when a recording begins part-way through one) and `judgement`
//! (a completed repetition's verdict); `events` is what comes out.

mod calibration;
mod channels;
mod config;
mod events;
mod guard;
mod judgement;
mod opening;
mod pattern;
mod repetition;
mod signal;
#[cfg(test)]
mod tests;
mod visibility;

pub use calibration::Calibration;
pub use config::TrackerConfig;
pub use events::{ErrorSet, Event, RepMetrics, Summary};

use crate::exercises::{Direction, ExerciseSpec, FORM_ERRORS};
use crate::filter::Conditioner;
use crate::kinematics::{Angles, CHANNELS, ChannelSet, Side, angles_of, joints_read};
use crate::skeleton::Frame;
use crate::tracker::channels::channels_read;
use crate::tracker::opening::Opening;
use crate::tracker::pattern::Pattern;
use crate::tracker::repetition::Active;
use crate::tracker::visibility::Visibility;

/// Fraction of the reference range above the valley that starts a repetition.
const ENTER: f32 = 0.4;
/// Fraction of the reference range above the start level that ends a repetition.
const EXIT: f32 = 0.25;
/// Fraction of the reference range above the valley that counts as rest.
const REST: f32 = 0.15;
/// Smallest shortfall that counts (degrees): about the minimal detectable change of a
/// goniometer measurement of a large joint, so that measurement noise and the ordinary spread
/// of a person's good repetitions are not called short.
pub(crate) const MDC_DEG: f32 = 10.0;
/// How many recent repetitions calibrate the reference range.
const HISTORY: usize = 5;

/// The primary channel on both sides: what the movement signal is computed from.
pub(crate) fn primary_channels(spec: &ExerciseSpec) -> ChannelSet {
    let mut set = ChannelSet(0);
    set.insert(spec.primary);
    set.insert(spec.primary.mirror());
    set
}

/// The per-session tracker.
pub struct Tracker {
    /// A copy: a prescription may set its own target and maximum range (`reach`, `limit`).
    spec: ExerciseSpec,
    cfg: TrackerConfig,
    cond: Conditioner,
    events: Vec<Event>,
    /// Last accepted value and time of each channel.
    guard: [(f32, f64); CHANNELS],
    /// Channels the guard replaced in the current frame (bit per channel index).
    held: u32,
    /// The channels the exercise reads (the others are not computed).
    want: ChannelSet,
    /// Away-from-rest exercises: each side's rest value of the primary channel, as the sum and
    /// count of its first half second in view, and when that half second ends.
    rest_raw: [(f32, u32, Option<f64>); 2],
    /// One-sided exercises: each side's lowest movement-signal value so far.
    low: [f32; 2],
    /// Until the first repetition starts, how the recording began (when it may begin part-way
    /// through a repetition).
    opening: Option<[Opening; 2]>,
    valley: Option<f32>,
    rest_t: f64,
    rest_angles: Angles,
    /// Counting reference range: the calibration, else the nominal range, until the person's
    /// own repetitions replace it.
    reference: f32,
    /// The calibrated range repetitions are judged against, when there is one.
    calibrated: Option<f32>,
    /// Each compensation check's limit: the spec's, or the person's reference plus `MDC_DEG`.
    limits: [f32; 8],
    roms: [f32; HISTORY],
    n_roms: usize,
    active: Option<Active>,
    last_signal: Option<f32>,
    /// One-sided exercises: repetitions completed per side (left, right), and when the side
    /// with most of them (the lead) last moved.
    side_reps: [u32; 2],
    lead_moved_t: f64,
    last_side: Option<Side>,
    summary: Summary,
    first_t: Option<f64>,
    rom_sum: f32,
    /// Which joints the movement needs, and which were missing when it could not be measured.
    visibility: Visibility,
    /// Swings too small to start a repetition, in case they are a smaller set.
    pattern: Pattern,
}

impl Tracker {
    /// A tracker for one exercise session.
    pub fn new(spec: &ExerciseSpec, cfg: TrackerConfig) -> Tracker {
        let calibrated =
            cfg.calibration.map(|c| c.range(spec.direction)).filter(|r| r.is_finite() && *r > 1.0);
        let initial = cfg.initial_range.filter(|r| r.is_finite() && *r > 1.0);
        let reference = initial.or(calibrated).unwrap_or(spec.nominal_rom);
        Tracker {
            spec: *spec,
            cfg,
            cond: Conditioner::for_joints(cfg.filter, joints_read(channels_read(spec))),
            // Room for a recount (`pattern`): two repetitions and their warnings at once.
            events: Vec::with_capacity(64),
            guard: [(f32::NAN, f64::NEG_INFINITY); CHANNELS],
            held: 0,
            want: channels_read(spec),
            limits: std::array::from_fn(|k| {
                let generic = spec.checks.get(k).map_or(f32::INFINITY, |c| c.limit);
                match cfg.calibration.map(|c| c.checks[k]) {
                    Some(b) if b.is_finite() => b.max(0.0) + MDC_DEG,
                    _ => generic,
                }
            }),
            rest_raw: [(0.0, 0, None); 2],
            low: [f32::INFINITY; 2],
            opening: (cfg.may_start_mid_rep && spec.direction != Direction::AwayFromRest)
                .then_some(
                    [Opening {
                        first: f32::NAN,
                        peak: f32::NAN,
                        peak_raw: f32::NAN,
                        low: f32::NAN,
                        low_t: 0.0,
                        low_angles: Angles::UNAVAILABLE,
                        mark: f32::NAN,
                    }; 2],
                ),
            valley: None,
            rest_t: 0.0,
            rest_angles: Angles::UNAVAILABLE,
            reference,
            calibrated,
            roms: [0.0; HISTORY],
            n_roms: 0,
            active: None,
            last_signal: None,
            side_reps: [0; 2],
            lead_moved_t: f64::NEG_INFINITY,
            last_side: None,
            summary: Summary {
                exercise: spec.id,
                reps: 0,
                correct_reps: 0,
                mean_rom_deg: 0.0,
                frames: 0,
                ignored_frames: 0,
                frames_without_signal: 0,
                flagged_frames: 0,
                duration_s: 0.0,
                error_counts: [0; FORM_ERRORS],
            },
            first_t: None,
            rom_sum: 0.0,
            visibility: Visibility::new(joints_read(primary_channels(spec))),
            pattern: Pattern::new(),
        }
    }

    /// The exercise being tracked.
    pub fn spec(&self) -> &ExerciseSpec {
        &self.spec
    }

    /// The movement signal of the last accepted frame (`None` when unavailable).
    pub fn last_signal(&self) -> Option<f32> {
        self.last_signal
    }

    /// The current reference range (movement-signal units).
    pub fn reference_range(&self) -> f32 {
        self.reference
    }

    /// Feeds one frame; returns the events it caused.
    pub fn push(&mut self, frame: &Frame) -> &[Event] {
        self.events.clear();
        self.summary.frames += 1;
        let Some((f, q)) = self.cond.push(frame) else {
            self.summary.ignored_frames += 1;
            self.last_signal = None;
            return &self.events;
        };
        let t = f.t;
        let mut a = angles_of(f, self.want);
        self.held = self.guard_angles(&mut a, t);
        if q.0 != 0 || self.held != 0 {
            self.summary.flagged_frames += 1;
        }
        self.first_t.get_or_insert(t);
        self.summary.duration_s = t - self.first_t.unwrap_or(t);
        if self.opening.is_some() {
            self.watch_opening(&a, t);
        }
        let Some((s, raw, side)) = self.signal(&a, t) else {
            self.summary.frames_without_signal += 1;
            self.last_signal = None;
            self.unseen(frame, t);
            return &self.events;
        };
        self.seen(t);
        self.last_signal = Some(s);
        match self.active {
            None => self.idle(s, raw, side, &a, t),
            Some(_) => self.moving(s, raw, side, &a, t),
        }
        &self.events
    }

    /// The recording has ended: a repetition that was on its way back (down from its peak by
    /// more than half its excursion) is completed at its lowest point since the peak; one that
    /// was not is left to `finish`, which drops it. Returns the events this caused.
    pub fn end(&mut self) -> &[Event] {
        self.events.clear();
        self.close_opening();
        if let Some(act) = self.active
            && act.peak_s - act.trough_s >= 0.5 * (act.peak_s - act.s_start)
        {
            self.active = None;
            let (t, s, a) = (act.trough_t, act.trough_s, act.trough_angles);
            self.complete(act, t, s, &a);
        }
        &self.events
    }

    /// Ends the session: returns the summary (a repetition still in progress is dropped).
    pub fn finish(&mut self) -> Summary {
        self.active = None;
        let mut s = self.summary;
        s.mean_rom_deg = if s.reps > 0 { self.rom_sum / s.reps as f32 } else { 0.0 };
        s
    }
}
