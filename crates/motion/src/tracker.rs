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

use serde::Serialize;

use crate::exercises::{Direction, ExerciseSpec, FORM_ERRORS, FormError, Measure, SideRule, Which};
use crate::filter::{Conditioner, FilterConfig};
use crate::kinematics::{Angles, CHANNELS, Channel, ChannelSet, Side, angles_of, joints_read};
use crate::skeleton::Frame;

/// Fraction of the reference range above the valley that starts a repetition.
const ENTER: f32 = 0.4;
/// Fraction of the reference range above the start level that ends a repetition.
const EXIT: f32 = 0.25;
/// Fraction of the reference range above the valley that counts as rest.
const REST: f32 = 0.15;
/// Without a calibration, a repetition whose excursion is below this fraction of the person's
/// recent repetitions is too little range.
const RELATIVE_RANGE: f32 = 0.75;
/// With a calibration, a repetition whose excursion falls short of the calibrated range by more
/// than this fraction of it, and by more than `MDC_DEG`, is too little range.
const CALIBRATED_SHORTFALL: f32 = 0.1;
/// Smallest shortfall that counts (degrees): about the minimal detectable change of a
/// goniometer measurement of a large joint, so that measurement noise and the ordinary spread
/// of a person's good repetitions are not called short.
pub(crate) const MDC_DEG: f32 = 10.0;
/// Angular speed above which a channel value is a tracking glitch (degrees per second).
const MAX_RATE: f32 = 1000.0;
/// How many recent repetitions calibrate the reference range.
const HISTORY: usize = 5;
/// In a one-sided exercise, how long the side that did the last repetition must rest before
/// the other side may start one (s): switching sides takes a pause, a tracking glitch of the
/// resting arm does not.
const SWITCH_REST_S: f64 = 3.0;

/// A person's calibrated range for the primary channel (channel units), from a supervised
/// reference set (`Calibration::from_reps`) or a clinician's target. Repetitions are judged
/// against it (too little range when they fall short by more than a tenth of it); counting
/// still follows what the person does, so a weaker day is counted, and flagged.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Calibration {
    /// Value at rest.
    pub rest: f32,
    /// Value at the target end position.
    pub peak: f32,
    /// The person's usual reading of each compensation check of the exercise (spec order;
    /// `NaN` = none): a check then fails only beyond it plus `MDC_DEG` (degrees, or points of
    /// the check's percentage), instead of at the generic limit. What a supervised reference
    /// set showed is this person's accepted way of moving.
    pub checks: [f32; 8],
    /// The person's usual position in each of the exercise's bands at the peak, and how far
    /// their reference repetitions spread from it (`NaN` = none): the band is then that
    /// position ± (spread + `MDC_DEG`).
    pub bands: [[f32; 2]; 4],
}

impl Calibration {
    /// A target range only (no compensation baselines).
    pub fn range_only(rest: f32, peak: f32) -> Calibration {
        Calibration { rest, peak, checks: [f32::NAN; 8], bands: [[f32::NAN; 2]; 4] }
    }

    /// The calibration a reference set gives: the median rest and peak of its repetitions
    /// (peak, excursion and check readings as `RepMetrics` report them), and the median of
    /// each check's readings. `None` without repetitions.
    pub fn from_reps(
        direction: Direction,
        reps: impl IntoIterator<Item = (f32, f32, [f32; 8], [f32; 4])>,
    ) -> Option<Calibration> {
        let mut peaks = Vec::new();
        let mut rests = Vec::new();
        let mut checks: [Vec<f32>; 8] = Default::default();
        let mut bands: [Vec<f32>; 4] = Default::default();
        for (peak, rom, values, positions) in reps {
            let readings = checks.iter_mut().zip(values).chain(bands.iter_mut().zip(positions));
            for (list, v) in readings {
                if v.is_finite() {
                    list.push(v);
                }
            }
            if !(peak.is_finite() && rom.is_finite()) {
                continue;
            }
            // Back from the movement signal to the channel: the rest is `rom` before the peak.
            let rest = match direction {
                Direction::Increase => peak - rom,
                Direction::Decrease => peak + rom,
                Direction::Magnitude => peak.signum() * (peak.abs() - rom),
                // The rest value lives in the tracker; only the excursion carries over.
                Direction::AwayFromRest => {
                    peaks.push(rom);
                    rests.push(0.0);
                    continue;
                }
            };
            peaks.push(peak);
            rests.push(rest);
        }
        let mid = |v: &mut Vec<f32>| {
            v.sort_by(f32::total_cmp);
            v.get(v.len() / 2).copied().unwrap_or(f32::NAN)
        };
        (!peaks.is_empty()).then(|| Calibration {
            rest: mid(&mut rests),
            peak: mid(&mut peaks),
            checks: checks.map(|mut v| mid(&mut v)),
            bands: bands.map(|mut v| {
                let m = mid(&mut v);
                [m, v.iter().map(|x| (x - m).abs()).fold(0.0, f32::max)]
            }),
        })
    }

    /// The calibrated excursion in movement-signal units.
    fn range(self, direction: Direction) -> f32 {
        match direction {
            Direction::AwayFromRest => (self.peak - self.rest).abs(),
            d => (map_value(d, self.peak) - map_value(d, self.rest)).abs(),
        }
    }
}

/// Session settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrackerConfig {
    /// Conditioning filter.
    pub filter: FilterConfig,
    /// Calibrated range; `None` self-calibrates from the person's repetitions.
    pub calibration: Option<Calibration>,
    /// Repetitions in a set (emits `SetComplete`); `None` for no set target.
    pub target_reps: Option<u32>,
    /// Starting counting range (movement-signal units), instead of the calibration or the
    /// spec's nominal range; the offline analysis passes the range the person showed over the
    /// whole recording, so their first repetitions are counted on their own scale.
    pub initial_range: Option<f32>,
    /// The recording may begin part-way through a repetition (some motion-capture takes do):
    /// when it begins well above the rest it then comes down to, that descent is counted as a
    /// repetition (range judged; form, duration and hold are not, as their start was not
    /// seen). Off for live sessions, which begin at rest with the calibration step.
    pub may_start_mid_rep: bool,
}

impl TrackerConfig {
    /// Default filter, self-calibration, no set target.
    pub const DEFAULT: TrackerConfig = TrackerConfig {
        filter: FilterConfig::DEFAULT,
        calibration: None,
        target_reps: None,
        initial_range: None,
        may_start_mid_rep: false,
    };
}

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

#[derive(Clone, Copy)]
struct Active {
    index: u32,
    start_t: f64,
    s_start: f32,
    start_angles: Angles,
    peak_s: f32,
    peak_t: f64,
    peak_raw: f32,
    side: Option<Side>,
    peak_bands: [f32; 4],
    /// Per asymmetry check, the highest value each side (left, right) reached.
    side_peaks: [[f32; 2]; 8],
    dev: [f32; 8],
    warned: u16,
    hold_since: Option<f64>,
    held: f64,
    hold_reported: u32,
    /// Lowest signal since the peak, when, and the angles there.
    trough_s: f32,
    trough_t: f64,
    trough_angles: Angles,
    /// Begun before the recording did (`TrackerConfig::may_start_mid_rep`): only its range is
    /// judged.
    partial: bool,
}

/// How the recording began, per side (left, right; `Midline` and `Both` use the first): the
/// first value of the primary channel mapped by the direction, the highest value while it
/// rose from there, the raw value at that peak, and the lowest value since, with the time and
/// angles of a frame at most `EXIT` of the range above it (where a repetition would end).
/// `first` is `NaN` until the side is seen.
#[derive(Clone, Copy)]
struct Opening {
    first: f32,
    peak: f32,
    peak_raw: f32,
    low: f32,
    low_t: f64,
    low_angles: Angles,
    /// The value at `low_t`.
    mark: f32,
}

/// The per-session tracker.
pub struct Tracker {
    spec: &'static ExerciseSpec,
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
}

impl Tracker {
    /// A tracker for one exercise session.
    pub fn new(spec: &'static ExerciseSpec, cfg: TrackerConfig) -> Tracker {
        let calibrated =
            cfg.calibration.map(|c| c.range(spec.direction)).filter(|r| r.is_finite() && *r > 1.0);
        let initial = cfg.initial_range.filter(|r| r.is_finite() && *r > 1.0);
        let reference = initial.or(calibrated).unwrap_or(spec.nominal_rom);
        Tracker {
            spec,
            cfg,
            cond: Conditioner::for_joints(cfg.filter, joints_read(channels_read(spec))),
            events: Vec::with_capacity(8),
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
        }
    }

    /// The exercise being tracked.
    pub fn spec(&self) -> &'static ExerciseSpec {
        self.spec
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
            return &self.events;
        };
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

    /// Rejects implausible values and glitches, holding the last good value briefly. Returns
    /// the channels it replaced (bit per channel index).
    fn guard_angles(&mut self, a: &mut Angles, t: f64) -> u32 {
        let mut held = 0;
        for c in Channel::ALL {
            let i = c.index();
            if !self.want.contains(c) {
                continue;
            }
            let v = a.values[i];
            let (last, last_t) = self.guard[i];
            let (lo, hi) = c.plausible();
            let dt = (t - last_t) as f32;
            let ok = v.is_finite()
                && v >= lo
                && v <= hi
                && (!last.is_finite()
                    || dt > 0.3
                    || (wrap(v - last)).abs() <= MAX_RATE * dt.max(1e-3) + 5.0);
            if ok {
                self.guard[i] = (v, t);
            } else if v.is_finite() || last.is_finite() {
                held |= 1 << i;
                a.values[i] = if last.is_finite() && dt <= 0.3 { last } else { f32::NAN };
            }
        }
        held
    }

    /// The movement signal, the raw primary value behind it, and the moving side.
    fn signal(&mut self, a: &Angles, t: f64) -> Option<(f32, f32, Option<Side>)> {
        let spec = self.spec;
        let p = spec.primary;
        let dir = spec.direction;
        if dir == Direction::AwayFromRest {
            // The rest value of each side is the mean of its first half second in view.
            for (k, c) in [p, p.mirror()].into_iter().enumerate() {
                if let Some(v) = a.get(c) {
                    let (sum, n, until) = &mut self.rest_raw[k];
                    if t <= *until.get_or_insert(t + 0.5) {
                        *sum += v;
                        *n += 1;
                    }
                }
            }
        }
        let rest = |k: usize| {
            let (sum, n, _) = self.rest_raw[k];
            if n > 0 { sum / n as f32 } else { f32::NAN }
        };
        let either = spec.side == SideRule::Either;
        let mut map = |v: f32, k: usize| match dir {
            Direction::AwayFromRest => wrap(v - rest(k)).abs(),
            // One-sided exercises measure each side from its own lowest value so far, so that
            // the moving side is the one that moves (resting arms need not hang alike: a depth
            // sensor often sees the far arm some degrees off) and a change of side does not
            // make the signal jump.
            d if either => {
                let m = map_value(d, v);
                let low = &mut self.low[k];
                *low = low.min(m);
                m - *low
            }
            d => map_value(d, v),
        };
        match spec.side {
            SideRule::Midline => a.get(p).map(|v| (map(v, 0), v, None)),
            SideRule::Both => match (a.get(p), a.get(p.mirror())) {
                (Some(l), Some(r)) => {
                    let s = 0.5 * (map(l, 0) + map(r, 1));
                    s.is_finite().then_some((s, 0.5 * (l + r), None))
                }
                _ => None,
            },
            SideRule::Either => {
                let l = a.get(p).map(|v| (map(v, 0), v, Some(Side::Left)));
                let r = a.get(p.mirror()).map(|v| (map(v, 1), v, Some(Side::Right)));
                let (l, r) = (l.filter(|x| x.0.is_finite()), r.filter(|x| x.0.is_finite()));
                // During a repetition its side is kept (before the first repetition, the side of
                // its peak so far: the other side takes over only by going higher). At rest the side that did most repetitions
                // keeps the lead until it has rested `SWITCH_REST_S`, so a tracking glitch of
                // the resting arm cannot start a repetition.
                let value = |side: Side| match side {
                    Side::Left => l,
                    Side::Right => r,
                };
                let locked = match (self.active, self.lead()) {
                    (Some(act), lead) => act.side.filter(|&side| {
                        let other = if side == Side::Left { r } else { l };
                        lead.is_some() || other.is_none_or(|o| o.0 <= act.peak_s)
                    }),
                    (None, Some(side)) => {
                        let band = self.valley.map(|v| v + REST * self.reference);
                        let rest = value(side).zip(band).is_some_and(|(x, b)| x.0 <= b);
                        if !rest {
                            self.lead_moved_t = t;
                        }
                        (!rest || t - self.lead_moved_t < SWITCH_REST_S).then_some(side)
                    }
                    (None, None) => None,
                };
                match (l, r) {
                    (Some(l), Some(r)) => Some(match locked {
                        Some(side) => value(side).unwrap_or(l),
                        None => {
                            if r.0 > l.0 {
                                r
                            } else {
                                l
                            }
                        }
                    }),
                    (l, r) => l.or(r),
                }
            }
        }
    }

    /// The side with most repetitions (ties go to the side of the last one).
    fn lead(&self) -> Option<Side> {
        let [l, r] = self.side_reps;
        match l.cmp(&r) {
            std::cmp::Ordering::Greater => Some(Side::Left),
            std::cmp::Ordering::Less => Some(Side::Right),
            std::cmp::Ordering::Equal => self.last_side,
        }
    }

    fn idle(&mut self, s: f32, raw: f32, side: Option<Side>, a: &Angles, t: f64) {
        let valley = match self.valley {
            Some(v) if v <= s => v,
            _ => {
                self.valley = Some(s);
                s
            }
        };
        let r = self.reference;
        if s <= valley + REST * r {
            self.rest_t = t;
            self.rest_angles = *a;
        }
        if s >= valley + ENTER * r {
            if self.opening.is_some() {
                // The descent the recording began with is a repetition before this one.
                let rest = (self.valley, self.rest_t, self.rest_angles);
                self.close_opening();
                (self.valley, self.rest_t, self.rest_angles) = rest;
            }
            let index = self.summary.reps + 1;
            let start_angles = if self.rest_angles.values.iter().any(|v| v.is_finite()) {
                self.rest_angles
            } else {
                *a
            };
            self.active = Some(Active {
                index,
                start_t: self.rest_t.min(t),
                s_start: valley,
                start_angles,
                peak_s: s,
                peak_t: t,
                peak_raw: raw,
                side,
                peak_bands: [f32::NAN; 4],
                side_peaks: [[f32::NEG_INFINITY; 2]; 8],
                dev: [f32::NEG_INFINITY; 8],
                warned: 0,
                hold_since: None,
                held: 0.0,
                hold_reported: 0,
                trough_s: s,
                trough_t: t,
                trough_angles: *a,
                partial: false,
            });
            self.events.push(Event::RepStarted { index, t: self.rest_t.min(t) });
            self.moving(s, raw, side, a, t);
        }
    }

    fn moving(&mut self, s: f32, raw: f32, side: Option<Side>, a: &Angles, t: f64) {
        let spec = self.spec;
        let Some(mut act) = self.active else { return };
        if s > act.peak_s {
            act.peak_s = s;
            act.peak_t = t;
            act.peak_raw = raw;
            act.side = side;
            act.trough_s = s;
            for (k, b) in spec.bands.iter().take(4).enumerate() {
                act.peak_bands[k] = read(a, b.which, side);
            }
        }
        for (k, c) in spec.checks.iter().take(8).enumerate() {
            if let Measure::Asymmetry(ch) = c.measure {
                // Each side's own peak: the sides need not peak in the same frame. Once the
                // guard has had to repair either side in this repetition, the sensor has lost
                // that joint and the comparison gives no verdict.
                let mask = 1 << ch.index() | 1 << ch.mirror().index();
                if self.held & mask != 0 {
                    act.side_peaks[k] = [f32::INFINITY, f32::NAN];
                }
                for (j, ch) in [ch, ch.mirror()].into_iter().enumerate() {
                    if let Some(v) = a.get(ch) {
                        // NaN stays NaN (`f32::max` would drop it): no verdict.
                        let p = &mut act.side_peaks[k][j];
                        *p = if p.is_nan() { *p } else { p.max(v) };
                    }
                }
            }
            let m = match c.measure {
                Measure::Deviation(w) => {
                    wrap(read(a, w, act.side) - read(&act.start_angles, w, act.side)).abs()
                }
                Measure::Rise(w) => read(a, w, act.side) - read(&act.start_angles, w, act.side),
                Measure::Fall(w) => read(&act.start_angles, w, act.side) - read(a, w, act.side),
                Measure::Asymmetry(_) => {
                    // Against the reference range while the repetition is still small, so the
                    // first frames of a rise (one side a frame ahead) are not a verdict.
                    let [l, r] = act.side_peaks[k];
                    100.0 * (l - r).abs() / (act.peak_s - act.s_start).max(self.reference)
                }
            };
            if m.is_finite() && m > act.dev[k] {
                act.dev[k] = m;
            }
            if m > self.limits[k] && act.warned & (1 << k) == 0 {
                act.warned |= 1 << k;
                self.events.push(Event::FormWarning { t, error: c.error, value: m });
            }
        }
        let excursion = act.peak_s - act.s_start;
        if spec.hold_s > 0.0 {
            if s >= act.s_start + 0.8 * excursion && excursion >= ENTER * self.reference {
                let since = *act.hold_since.get_or_insert(t);
                let held = t - since;
                act.held = act.held.max(held);
                let step = (held / 0.5) as u32;
                if step > act.hold_reported
                    || (held >= spec.hold_s as f64 && act.hold_reported < u32::MAX)
                {
                    act.hold_reported = if held >= spec.hold_s as f64 { u32::MAX } else { step };
                    self.events.push(Event::HoldProgress {
                        t,
                        held_s: held,
                        target_s: spec.hold_s as f64,
                    });
                }
            } else {
                act.hold_since = None;
            }
        }
        if s < act.trough_s {
            act.trough_s = s;
            act.trough_t = t;
            act.trough_angles = *a;
        }
        let exit = act.s_start + (EXIT * self.reference).min(0.5 * excursion);
        if s <= exit {
            self.active = None;
            self.complete(act, t, s, a);
        } else if act.peak_s - act.trough_s >= 0.5 * excursion
            && s - act.trough_s >= ENTER * self.reference
        {
            // Back more than halfway, then up again by a repetition's start: the person began
            // the next repetition without coming all the way down (fatigue does this). The
            // repetition ends at the trough and the next one starts there.
            self.active = None;
            let (trough_t, trough_s, trough_angles) =
                (act.trough_t, act.trough_s, act.trough_angles);
            self.complete(act, trough_t, trough_s, &trough_angles);
            self.idle(s, raw, side, a, t);
        } else if t - act.start_t > spec.max_rep_s as f64 {
            // Too long to be one repetition: give up on it and look for rest again.
            self.active = None;
            self.valley = Some(s);
            self.rest_t = t;
        } else {
            self.active = Some(act);
        }
    }

    /// Follows how the recording began (`TrackerConfig::may_start_mid_rep`), per side.
    fn watch_opening(&mut self, a: &Angles, t: f64) {
        let spec = self.spec;
        let (p, d) = (spec.primary, spec.direction);
        let tracks = match spec.side {
            SideRule::Either => [a.get(p), a.get(p.mirror())],
            SideRule::Midline => [a.get(p), None],
            SideRule::Both => [a.get(p).zip(a.get(p.mirror())).map(|(l, r)| 0.5 * (l + r)), None],
        };
        let (rise, settle) = (REST * self.reference, EXIT * self.reference);
        let Some(opening) = self.opening.as_mut() else { return };
        for (o, v) in opening.iter_mut().zip(tracks) {
            let Some(v) = v.filter(|v| v.is_finite()) else { continue };
            let m = map_value(d, v);
            if o.first.is_nan() {
                let (low, low_t, low_angles, mark) = (m, t, *a, m);
                *o = Opening { first: m, peak: m, peak_raw: v, low, low_t, low_angles, mark };
            } else if m > o.peak && o.peak - o.low <= rise {
                // Still rising from where it began: the peak moves, the descent restarts.
                (o.peak, o.peak_raw, o.low, o.mark, o.low_t, o.low_angles) = (m, v, m, m, t, *a);
            } else if m < o.low {
                o.low = m;
                // The descent ends once it is within `settle` of its lowest value, not where a
                // filtered signal last crept lower.
                if o.mark - m > settle {
                    (o.mark, o.low_t, o.low_angles) = (m, t, *a);
                }
            }
        }
    }

    /// Counts the descent the recording began with as a repetition when it began at least a
    /// repetition's start threshold above the rest it came down to; stops following it.
    fn close_opening(&mut self) {
        let Some(opening) = self.opening.take() else { return };
        let descent = |o: &Opening| o.first - o.low;
        let Some((k, o)) = opening
            .iter()
            .enumerate()
            .filter(|(_, o)| descent(o).is_finite())
            .max_by(|x, y| descent(x.1).total_cmp(&descent(y.1)))
        else {
            return;
        };
        if descent(o) < ENTER * self.reference {
            return;
        }
        let side = (self.spec.side == SideRule::Either).then_some(if k == 0 {
            Side::Left
        } else {
            Side::Right
        });
        let index = self.summary.reps + 1;
        let start_t = self.first_t.unwrap_or(o.low_t);
        self.events.push(Event::RepStarted { index, t: start_t });
        let act = Active {
            index,
            start_t,
            s_start: o.low,
            start_angles: o.low_angles,
            peak_s: o.peak,
            peak_t: start_t,
            peak_raw: o.peak_raw,
            side,
            peak_bands: [f32::NAN; 4],
            side_peaks: [[f32::NAN; 2]; 8],
            dev: [f32::NEG_INFINITY; 8],
            warned: 0,
            hold_since: None,
            held: 0.0,
            hold_reported: 0,
            trough_s: o.low,
            trough_t: o.low_t,
            trough_angles: o.low_angles,
            partial: true,
        };
        self.complete(act, o.low_t, o.low, &o.low_angles);
    }

    fn complete(&mut self, act: Active, t: f64, s: f32, a: &Angles) {
        let spec = self.spec;
        let rom = act.peak_s - act.s_start;
        let mut errors = ErrorSet::default();
        // Reach and limit are channel values (except away from rest, where the signal is the
        // distance from rest itself).
        let peak = match spec.direction {
            Direction::AwayFromRest => act.peak_s,
            d => map_value(d, act.peak_raw),
        };
        if let Some(reach) = spec.reach
            && peak < map_value(spec.direction, reach)
        {
            errors.insert(FormError::TooLittleRange);
        }
        let short = match self.calibrated {
            Some(range) => rom < range - (CALIBRATED_SHORTFALL * range).max(MDC_DEG),
            None => self.n_roms > 0 && rom < RELATIVE_RANGE * self.reference,
        };
        if short {
            errors.insert(FormError::TooLittleRange);
        }
        if let Some(limit) = spec.limit
            && peak > map_value(spec.direction, limit)
        {
            errors.insert(FormError::BeyondMaxRange);
        }
        for (k, b) in spec.bands.iter().take(4).enumerate() {
            let v = act.peak_bands[k];
            // With the person's reference, a position band is their usual position, widened by
            // their own spread in the reference and `MDC_DEG`. (A band that is a minimum reach
            // stays as it is: range is judged against the calibrated range.)
            let (min, max) = match self.cfg.calibration.map(|c| c.bands[k]) {
                Some([mid, spread]) if mid.is_finite() && b.error != FormError::TooLittleRange => {
                    (mid - spread - MDC_DEG, mid + spread + MDC_DEG)
                }
                _ => (b.min, b.max),
            };
            if v.is_finite() && (v < min || v > max) {
                errors.insert(b.error);
            }
        }
        for (k, c) in spec.checks.iter().take(8).enumerate() {
            if act.dev[k] > self.limits[k] {
                errors.insert(c.error);
            }
        }
        let duration = t - act.start_t;
        if duration < spec.min_rep_s as f64 && !act.partial {
            errors.insert(FormError::TooFast);
        }
        if spec.hold_s > 0.0 && act.held < spec.hold_s as f64 && !act.partial {
            errors.insert(FormError::HoldTooShort);
        }
        let m = RepMetrics {
            index: act.index,
            start_s: act.start_t,
            end_s: t,
            peak_time_s: act.peak_t,
            peak_deg: act.peak_raw,
            rom_deg: rom,
            duration_s: duration,
            held_s: act.held,
            side: act.side,
            correct: errors.is_empty(),
            errors,
            checks: act.dev.map(|d| if d.is_finite() { d } else { f32::NAN }),
            bands: act.peak_bands,
        };
        self.summary.reps += 1;
        self.rom_sum += rom;
        if m.correct {
            self.summary.correct_reps += 1;
        }
        for (k, e) in FormError::ALL.iter().enumerate() {
            if errors.contains(*e) {
                self.summary.error_counts[k] += 1;
            }
        }
        self.roms[self.n_roms % HISTORY] = rom;
        self.n_roms += 1;
        self.reference = median(&self.roms[..self.n_roms.min(HISTORY)]).max(1.0);
        self.valley = Some(s);
        self.rest_t = t;
        self.rest_angles = *a;
        if let Some(side) = act.side {
            self.side_reps[side as usize] += 1;
            self.last_side = Some(side);
            self.lead_moved_t = t;
        }
        self.events.push(Event::RepCompleted(m));
        if self.cfg.target_reps == Some(self.summary.reps) {
            self.events.push(Event::SetComplete { t, reps: self.summary.reps });
        }
    }
}

/// The movement signal of a channel value under a direction (for `Magnitude`, |v|).
fn map_value(d: Direction, v: f32) -> f32 {
    match d {
        Direction::Increase | Direction::AwayFromRest => v,
        Direction::Decrease => -v,
        Direction::Magnitude => v.abs(),
    }
}

/// Wraps an angle difference into [−180, 180). Differences of two angles lie within ±720°, so
/// a few steps of 360° do it without `fmod` (a hot path: every channel of every frame).
fn wrap(d: f32) -> f32 {
    if !d.is_finite() || d.abs() > 1e4 {
        return if d.is_finite() { (d + 180.0).rem_euclid(360.0) - 180.0 } else { d };
    }
    let mut d = d;
    while d >= 180.0 {
        d -= 360.0;
    }
    while d < -180.0 {
        d += 360.0;
    }
    d
}

/// The channels a spec reads: its primary signal, its checks and bands, each on both sides.
fn channels_read(spec: &ExerciseSpec) -> ChannelSet {
    let mut set = ChannelSet(0);
    let mut add = |c: Channel| {
        set.insert(c);
        set.insert(c.mirror());
    };
    add(spec.primary);
    for b in spec.bands {
        match b.which {
            Which::Midline(c) | Which::Moving(c) | Which::EitherSide(c) => add(c),
        }
    }
    for c in spec.checks {
        match c.measure {
            Measure::Deviation(w) | Measure::Rise(w) | Measure::Fall(w) => match w {
                Which::Midline(c) | Which::Moving(c) | Which::EitherSide(c) => add(c),
            },
            Measure::Asymmetry(c) => add(c),
        }
    }
    set
}

/// Reads a check's channel for the moving side (`NaN` when unavailable).
fn read(a: &Angles, w: Which, side: Option<Side>) -> f32 {
    let v = |c: Channel| a.get(c).unwrap_or(f32::NAN);
    match (w, side) {
        (Which::Midline(c), _) => v(c),
        (Which::Moving(c), Some(Side::Left)) => v(c),
        (Which::Moving(c), Some(Side::Right)) => v(c.mirror()),
        (Which::Moving(c) | Which::EitherSide(c), _) => v(c).max(v(c.mirror())),
    }
}

/// Median of a short slice (copied into a fixed buffer; no allocation).
fn median(xs: &[f32]) -> f32 {
    let mut buf = [0.0f32; HISTORY];
    let n = xs.len().min(HISTORY);
    buf[..n].copy_from_slice(&xs[..n]);
    let b = &mut buf[..n];
    b.sort_by(f32::total_cmp);
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        b[n / 2]
    } else {
        0.5 * (b[n / 2 - 1] + b[n / 2])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exercises::find;
    use crate::geom::V3;
    use crate::skeleton::Joint;

    /// A person facing +z whose right arm abducts to `deg` (y up, right = −x).
    fn pose(t: f64, deg: f32) -> Frame {
        let mut f = Frame::empty(t);
        let put = |f: &mut Frame, j: Joint, x: f32, y: f32| f.set(j, V3::new(x, y, 0.0), 1.0);
        put(&mut f, Joint::LeftShoulder, 0.2, 1.4);
        put(&mut f, Joint::RightShoulder, -0.2, 1.4);
        put(&mut f, Joint::LeftElbow, 0.2, 1.1);
        put(&mut f, Joint::LeftWrist, 0.2, 0.85);
        put(&mut f, Joint::LeftHip, 0.1, 0.9);
        put(&mut f, Joint::RightHip, -0.1, 0.9);
        let (s, c) = deg.to_radians().sin_cos();
        put(&mut f, Joint::RightElbow, -0.2 - 0.3 * s, 1.4 - 0.3 * c);
        put(&mut f, Joint::RightWrist, -0.2 - 0.55 * s, 1.4 - 0.55 * c);
        f
    }

    #[test]
    fn counts_synthetic_abductions() {
        let spec = find("shoulder-abduction").unwrap();
        let mut tr =
            Tracker::new(spec, TrackerConfig { target_reps: Some(5), ..TrackerConfig::DEFAULT });
        let mut done = Vec::new();
        let mut set_complete = false;
        for i in 0..(30 * 20) {
            let t = i as f64 / 30.0;
            // 4 s per repetition: 10° → 150° → 10°, after 1 s of rest.
            let phase = ((t - 1.0).max(0.0) % 4.0) / 4.0;
            let deg = 10.0 + 140.0 * (std::f64::consts::PI * phase).sin().powi(2) as f32;
            for e in tr.push(&pose(t, deg)) {
                match e {
                    Event::RepCompleted(m) => done.push(*m),
                    Event::SetComplete { .. } => set_complete = true,
                    _ => {}
                }
            }
        }
        assert_eq!(done.len(), 4, "{done:?}");
        assert!(set_complete || done.len() < 5);
        for m in &done {
            assert!((m.peak_deg - 150.0).abs() < 5.0, "{m:?}");
            assert!(m.correct, "{m:?}");
            assert_eq!(m.side, Some(Side::Right));
        }
        let s = tr.finish();
        assert_eq!(s.reps, 4);
    }

    #[test]
    fn resting_arm_glitch_between_repetitions_is_not_counted() {
        let spec = find("shoulder-abduction").unwrap();
        let mut tr = Tracker::new(spec, TrackerConfig::DEFAULT);
        let mut reps = 0;
        for i in 0..(30 * 14) {
            let t = i as f64 / 30.0;
            // Right arm: 4 s repetitions (10° → 150° → 10°) with 1 s rest before each.
            let phase = (t % 5.0 - 1.0).max(0.0) / 4.0;
            let deg = 10.0 + 140.0 * (std::f64::consts::PI * phase).sin().powi(2) as f32;
            let mut f = pose(t, deg);
            // The resting left arm "jumps" to horizontal for 0.6 s during the second rest, as
            // a depth sensor's occluded arm does.
            if (5.2..5.8).contains(&t) {
                f.set(Joint::LeftElbow, V3::new(0.5, 1.4, 0.0), 1.0);
                f.set(Joint::LeftWrist, V3::new(0.75, 1.4, 0.0), 1.0);
            }
            reps += tr.push(&f).iter().filter(|e| matches!(e, Event::RepCompleted(_))).count();
        }
        assert_eq!(reps, 2);
    }

    /// Feeds `deg(t)` for `secs` at 30 Hz; returns the completed repetitions.
    fn run(tr: &mut Tracker, secs: f64, deg: impl Fn(f64) -> f32) -> Vec<RepMetrics> {
        let mut done = Vec::new();
        for i in 0..(30.0 * secs) as usize {
            let t = i as f64 / 30.0;
            for e in tr.push(&pose(t, deg(t))) {
                if let Event::RepCompleted(m) = e {
                    done.push(*m);
                }
            }
        }
        done
    }

    /// 4-s repetitions from `low` to `high` and back, after 1 s of rest.
    fn reps(t: f64, low: f32, high: f32) -> f32 {
        let phase = ((t - 1.0).max(0.0) % 4.0) / 4.0;
        low + (high - low) * (std::f64::consts::PI * phase).sin().powi(2) as f32
    }

    #[test]
    fn repetitions_that_stop_short_of_rest_are_still_counted_apart() {
        let spec = find("shoulder-abduction").unwrap();
        let mut tr = Tracker::new(spec, TrackerConfig::DEFAULT);
        // Three full repetitions, then the tired arm goes 60° → 150° → 60° without coming back
        // down: each of those is a repetition too, not one long one.
        let done =
            run(
                &mut tr,
                25.0,
                |t| if t < 13.0 { reps(t, 10.0, 150.0) } else { reps(t, 60.0, 150.0) },
            );
        assert_eq!(done.len(), 6, "{done:?}");
        for pair in done.windows(2) {
            assert!(pair[1].start_s >= pair[0].end_s - 1e-9, "{done:?}");
            assert!(pair[1].end_s - pair[1].start_s < 4.5, "{done:?}");
        }
    }

    #[test]
    fn a_recording_that_ends_on_the_way_back_counts_its_last_repetition() {
        let spec = find("shoulder-abduction").unwrap();
        // Two repetitions, then the third is cut off at 150° → 50° (on its way back).
        let mut tr = Tracker::new(spec, TrackerConfig::DEFAULT);
        assert_eq!(run(&mut tr, 12.3, |t| reps(t, 10.0, 150.0)).len(), 2);
        let last: Vec<Event> = tr.end().to_vec();
        assert!(matches!(last[..], [Event::RepCompleted(RepMetrics { index: 3, .. })]), "{last:?}");
        // Cut off at the peak, it is not a repetition yet.
        let mut tr = Tracker::new(spec, TrackerConfig::DEFAULT);
        assert_eq!(run(&mut tr, 11.0, |t| reps(t, 10.0, 150.0)).len(), 2);
        assert!(tr.end().is_empty());
        assert_eq!(tr.finish().reps, 2);
    }

    #[test]
    fn a_recording_that_begins_part_way_through_a_repetition_counts_it() {
        let spec = find("shoulder-abduction").unwrap();
        // The take begins with the arm at 100° on its way down (reaching rest in 0.7 s), then
        // two full repetitions.
        let deg = |t: f64| {
            if t < 0.7 {
                55.0 + 45.0 * (std::f64::consts::PI * t / 0.7).cos() as f32
            } else {
                reps(t - 0.7, 10.0, 150.0)
            }
        };
        let config = TrackerConfig { may_start_mid_rep: true, ..TrackerConfig::DEFAULT };
        let mut tr = Tracker::new(spec, config);
        let done = run(&mut tr, 10.0, deg);
        assert_eq!(done.len(), 3, "{done:?}");
        let first = done[0];
        assert_eq!((first.index, first.start_s), (1, 0.0), "{first:?}");
        assert!(
            (first.end_s - 0.7).abs() < 0.2 && (first.peak_deg - 100.0).abs() < 5.0,
            "{first:?}"
        );
        // Its start was not seen: it is not judged too fast.
        assert!(!first.errors.contains(FormError::TooFast), "{first:?}");
        // A live session begins at rest, after calibration: there the descent is not counted.
        let mut tr = Tracker::new(spec, TrackerConfig::DEFAULT);
        assert_eq!(run(&mut tr, 10.0, deg).len(), 2);
        // Nor is anything counted when the take begins at rest.
        let mut tr = Tracker::new(spec, config);
        assert_eq!(run(&mut tr, 9.3, |t| reps(t, 10.0, 150.0)).len(), 2);
    }

    #[test]
    fn one_sided_exercises_follow_the_arm_that_moves_even_below_the_resting_one() {
        let spec = find("shoulder-abduction").unwrap();
        // The resting left arm hangs out at 60°, higher than the right arm ever goes (10° → 50°).
        let config = TrackerConfig {
            calibration: Some(Calibration::range_only(10.0, 50.0)),
            ..TrackerConfig::DEFAULT
        };
        let mut tr = Tracker::new(spec, config);
        let mut done = Vec::new();
        for i in 0..(30 * 14) {
            let t = i as f64 / 30.0;
            let mut f = pose(t, reps(t, 10.0, 50.0));
            let (s, c) = 60f32.to_radians().sin_cos();
            f.set(Joint::LeftElbow, V3::new(0.2 + 0.3 * s, 1.4 - 0.3 * c, 0.0), 1.0);
            f.set(Joint::LeftWrist, V3::new(0.2 + 0.55 * s, 1.4 - 0.55 * c, 0.0), 1.0);
            for e in tr.push(&f) {
                if let Event::RepCompleted(m) = e {
                    done.push(*m);
                }
            }
        }
        assert_eq!(done.len(), 3, "{done:?}");
        assert!(done.iter().all(|m| m.side == Some(Side::Right)), "{done:?}");
    }

    #[test]
    fn a_calibration_judges_range_but_counting_follows_the_person() {
        let spec = find("shoulder-abduction").unwrap();
        let calibration = Some(Calibration::range_only(10.0, 150.0));
        // Self-calibrated, a uniformly reduced set (to 130°, past the instruction's 120°) looks
        // consistent with itself...
        let mut tr = Tracker::new(spec, TrackerConfig::DEFAULT);
        let done = run(&mut tr, 21.0, |t| reps(t, 10.0, 130.0));
        assert_eq!(done.len(), 5);
        assert!(done.iter().all(|m| m.correct), "{done:?}");
        // ...against the person's calibrated 10°–150°, every repetition is short, and still
        // counted.
        let mut tr = Tracker::new(spec, TrackerConfig { calibration, ..TrackerConfig::DEFAULT });
        let done = run(&mut tr, 21.0, |t| reps(t, 10.0, 130.0));
        assert_eq!(done.len(), 5);
        assert!(done.iter().all(|m| m.errors.contains(FormError::TooLittleRange)), "{done:?}");
        // A shortfall within measurement noise (145° of 150°) is not called short.
        let mut tr = Tracker::new(spec, TrackerConfig { calibration, ..TrackerConfig::DEFAULT });
        let done = run(&mut tr, 21.0, |t| reps(t, 10.0, 145.0));
        assert!(done.iter().all(|m| m.correct), "{done:?}");
        // The calibration a set gives is its median repetition.
        let c = Calibration::from_reps(
            spec.direction,
            done.iter().map(|m| (m.peak_deg, m.rom_deg, m.checks, m.bands)),
        );
        let c = c.unwrap();
        assert!((c.peak - 145.0).abs() < 3.0 && (c.rest - 10.0).abs() < 3.0, "{c:?}");
        assert_eq!(Calibration::from_reps(spec.direction, []), None);
    }

    #[test]
    fn angle_differences_wrap_into_a_half_turn() {
        for (d, want) in
            [(0.0, 0.0), (190.0, -170.0), (-190.0, 170.0), (540.0, -180.0), (179.5, 179.5)]
        {
            assert_eq!(wrap(d), want, "{d}");
        }
        assert!((wrap(1e6) - ((1e6f32 + 180.0).rem_euclid(360.0) - 180.0)).abs() < 1e-3);
        assert!(wrap(f32::NAN).is_nan());
    }

    #[test]
    fn a_tracker_computes_the_channels_its_exercise_reads() {
        let spec = find("shoulder-abduction").unwrap();
        let want = channels_read(spec);
        for c in [
            Channel::ShoulderElevationRight,
            Channel::ShoulderPlaneLeft,
            Channel::TrunkSideLean,
            Channel::ShoulderHikeRight,
            Channel::ElbowFlexionLeft,
        ] {
            assert!(want.contains(c), "{c:?}");
        }
        assert!(
            !want.contains(Channel::KneeFlexionLeft) && !want.contains(Channel::ThoracicRotation)
        );
        let f = pose(0.0, 70.0);
        let (all, some) = (crate::kinematics::angles(&f), angles_of(&f, want));
        for c in Channel::ALL.into_iter().filter(|&c| want.contains(c)) {
            assert_eq!(all.get(c), some.get(c), "{c:?}");
        }
        // What abduction does not read is not computed.
        for c in [Channel::ThoracicRotation, Channel::ArmLiftLeft] {
            assert!(all.get(c).is_some() && some.get(c).is_none(), "{c:?}");
        }
    }

    #[test]
    fn never_panics_on_odd_frames() {
        for spec in crate::exercises::EXERCISES.iter() {
            let mut tr = Tracker::new(spec, TrackerConfig::DEFAULT);
            let mut f = pose(0.0, 90.0);
            tr.push(&f);
            f.t = f64::NAN;
            tr.push(&f);
            f.t = -1.0;
            tr.push(&f);
            let mut g = Frame::empty(1.0);
            g.joints[0].p = V3::new(f32::NAN, f32::INFINITY, 0.0);
            g.joints[0].conf = 1.0;
            tr.push(&g);
            tr.push(&Frame::empty(1e300));
            let _ = tr.finish();
        }
    }
}
