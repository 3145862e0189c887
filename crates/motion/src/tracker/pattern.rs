//! A set smaller than the counting range: movements that never reach a repetition's start
//! threshold are followed as *swings* (a rise and a return of at least `floor`), and when two
//! swings in a row agree in size and take as long as a repetition can, the person is doing
//! repetitions on a smaller scale than expected: the counting range becomes theirs and the
//! frames since the first of the two are counted again on it, so that the first repetition of
//! a small set counts too (a second one like it is what tells a repetition from a fidget).
//! Likewise a swing just before a set's first counted repetition, when that repetition turns out
//! to be of the swing's size: the person began smaller (the set's first repetition often is).
//! One swing alone, or two that differ, are not counted.
//!
//! Live, this costs nothing until it happens; then the two repetitions arrive together.

use crate::kinematics::{Angles, Side};
use crate::tracker::{ENTER, EXIT, MDC_DEG, Tracker};

/// At most this many frames since the first swing are kept to count again (34 s at 30 frames
/// per second, 10 s at 100; about 140 KB per session); beyond it the swings are forgotten.
pub(super) const KEEP: usize = 1024;

/// Two swings agree in size when the smaller is at least this share of the larger.
const AGREE: f32 = 0.5;

/// One frame as the counting state machine sees it.
#[derive(Clone, Copy)]
pub(super) struct Sample {
    t: f64,
    s: f32,
    raw: f32,
    side: Option<Side>,
    a: Angles,
}

/// Swings since the last repetition.
pub(super) struct Pattern {
    /// Frames since the low before the previous swing (or since following began).
    kept: Vec<Sample>,
    /// The lowest signal since the last swing ended, and when.
    low: f32,
    low_t: f64,
    /// The highest signal of the swing under way (`NaN` when none is).
    high: f32,
    /// Size of the previous swing (`NaN` when none), and the index in `kept` of its low.
    previous: f32,
    previous_from: usize,
    /// Index in `kept` of the current low.
    low_at: usize,
    /// Counting the kept frames again: not following meanwhile.
    replaying: bool,
    /// While a repetition is under way: the swing just before it (index of its low in `kept`,
    /// index of the low after it, its size), counted too if the repetition agrees with it.
    candidate: Option<(usize, usize, f32)>,
}

impl Pattern {
    pub(super) fn new() -> Pattern {
        Pattern {
            kept: Vec::with_capacity(KEEP),
            low: f32::INFINITY,
            low_t: 0.0,
            high: f32::NAN,
            previous: f32::NAN,
            previous_from: 0,
            low_at: 0,
            replaying: false,
            candidate: None,
        }
    }

    /// A repetition started: keeps the swing before it, if any, until its size is known.
    pub(super) fn hold_candidate(&mut self) {
        if self.replaying {
            return;
        }
        if self.previous.is_finite() {
            // Keep the frames; nothing is added to them while the repetition is under way.
            self.candidate = Some((self.previous_from, self.low_at, self.previous));
            (self.previous, self.high) = (f32::NAN, f32::NAN);
        } else {
            self.reset();
        }
    }

    /// Forgets every swing (a repetition started, or the kept frames ran out).
    pub(super) fn reset(&mut self) {
        if self.replaying {
            return;
        }
        self.candidate = None;
        self.kept.clear();
        self.low = f32::INFINITY;
        self.high = f32::NAN;
        self.previous = f32::NAN;
        self.previous_from = 0;
        self.low_at = 0;
    }

    /// Drops the kept frames before index `from`.
    fn forget_before(&mut self, from: usize) {
        self.kept.drain(..from);
        self.low_at -= from.min(self.low_at);
        self.previous_from -= from.min(self.previous_from);
    }
}

impl Tracker {
    /// Follows the swings of an idle frame; when two agree, counts again from the first on the
    /// scale they show. Returns true when it did (the frame has been counted).
    pub(super) fn follow_swings(
        &mut self,
        s: f32,
        raw: f32,
        side: Option<Side>,
        a: &Angles,
        t: f64,
    ) -> bool {
        if self.pattern.replaying {
            return false;
        }
        // A swing must exceed the minimal detectable change (or, for small channels, a
        // repetition's own start threshold): smaller is noise. Once the person has shown their
        // own range in this set, it must also reach a repetition's exit level of it: a set that
        // shrinks (pain, fatigue) is followed, an arm swinging as they walk off is not.
        let mut floor = MDC_DEG.min(ENTER * self.reference);
        if self.n_roms >= 2 {
            floor = floor.max(EXIT * self.reference);
        }
        let p = &mut self.pattern;
        if p.kept.len() == KEEP {
            // Too long since the previous swing began for both to be repetitions.
            p.reset();
        }
        p.kept.push(Sample { t, s, raw, side, a: *a });
        let here = p.kept.len() - 1;
        if p.high.is_nan() {
            if s < p.low {
                (p.low, p.low_t, p.low_at) = (s, t, here);
            } else if s >= p.low + floor {
                p.high = s;
            }
            return false;
        }
        p.high = p.high.max(s);
        let size = p.high - p.low;
        if s > p.high - floor.max(0.5 * size) {
            return false;
        }
        // A swing ended: as long as a repetition may be, and agreeing with the one before?
        let duration = t - p.low_t;
        let plausible = duration >= 0.5 * f64::from(self.spec.min_rep_s)
            && duration <= f64::from(self.spec.max_rep_s);
        let agrees = p.previous.is_finite() && p.previous.min(size) >= AGREE * p.previous.max(size);
        if plausible && agrees {
            let scale = 0.5 * (p.previous + size);
            self.recount_from_previous_swing(scale);
            return true;
        }
        let p = &mut self.pattern;
        if plausible {
            // This swing becomes the previous one, kept from its low (`previous_from` 0).
            p.forget_before(p.low_at);
            p.previous = size;
            p.previous_from = 0;
        } else {
            p.previous = f32::NAN;
            p.forget_before(here);
        }
        (p.low, p.low_t, p.low_at, p.high) = (s, t, p.kept.len() - 1, f32::NAN);
        false
    }

    /// A repetition of excursion `rom` was completed: the swing before it, if it agrees in
    /// size, was a repetition too (counted now, after it; its times say it came first).
    pub(super) fn count_candidate(&mut self, rom: f32) {
        let Some((from, to, size)) = self.pattern.candidate.take() else { return };
        if self.pattern.replaying || size.min(rom) < AGREE * size.max(rom) {
            self.pattern.reset();
            return;
        }
        let kept = std::mem::take(&mut self.pattern.kept);
        let Some(&first) = kept.get(from) else {
            self.pattern.kept = kept;
            self.pattern.reset();
            return;
        };
        let after = (self.valley, self.rest_t, self.rest_angles, self.lead_moved_t);
        let (reference, counted) = (self.reference, self.summary.reps);
        self.pattern.replaying = true;
        self.reference = size.max(1.0);
        (self.valley, self.rest_t, self.rest_angles) = (Some(first.s), first.t, first.a);
        self.active = None;
        for x in kept.get(from..=to).unwrap_or_default() {
            match self.active {
                None => self.idle(x.s, x.raw, x.side, &x.a, x.t),
                Some(_) => self.moving(x.s, x.raw, x.side, &x.a, x.t),
            }
        }
        if let Some(act) = self.active.take()
            && act.peak_s - act.trough_s >= 0.5 * (act.peak_s - act.s_start)
        {
            let (t, s, a) = (act.trough_t, act.trough_s, act.trough_angles);
            self.complete(act, t, s, &a);
        }
        // Back to where the repetition that confirmed it left off (the counting range is
        // now the median of both, as `complete` set it; unchanged if the swing did not count).
        (self.valley, self.rest_t, self.rest_angles, self.lead_moved_t) = after;
        if self.summary.reps == counted {
            self.reference = reference;
        }
        self.pattern.replaying = false;
        self.pattern.kept = kept;
        self.pattern.reset();
    }

    /// Counts the kept frames again from the low before the previous swing, on `scale`.
    fn recount_from_previous_swing(&mut self, scale: f32) {
        let from = self.pattern.previous_from;
        let kept = std::mem::take(&mut self.pattern.kept);
        let Some(&first) = kept.get(from) else {
            self.pattern.kept = kept;
            self.pattern.reset();
            return;
        };
        self.pattern.replaying = true;
        self.reference = scale.max(1.0);
        (self.valley, self.rest_t, self.rest_angles) = (Some(first.s), first.t, first.a);
        for x in &kept[from..] {
            match self.active {
                None => self.idle(x.s, x.raw, x.side, &x.a, x.t),
                Some(_) => self.moving(x.s, x.raw, x.side, &x.a, x.t),
            }
        }
        self.pattern.replaying = false;
        self.pattern.kept = kept;
        self.pattern.reset();
    }
}
