//! Walking is not exercise: while both hips swing in opposite directions at once (one leg
//! forward as the other goes back), one way and then the other within a stride, the person
//! is walking (into view, away after the set,
//! stepping around), and no repetition starts; one under way is dropped. Walking always has a
//! leg nearly straight under the body (the stance leg), so a depth sensor losing the hips at
//! the bottom of a squat or on a chair, with both knees bent, is not taken for it. No exercise in
//! `exercises` moves the two hips against each other: squats, lunges and sit-to-stand flex
//! both together, and one-legged raises keep the standing hip still.

use crate::kinematics::{Angles, Channel};
use crate::tracker::{Event, Ignored, Tracker};

/// The hips' flexion is compared over this interval (s): long enough that sensor noise does
/// not look like speed, short enough to see each step.
const LAG_S: f64 = 0.2;
/// Each hip must be moving at least this fast (degrees per second) for the pair to be
/// walking: at a slow walk the hips swing about ±18° at 0.9 Hz, about 100°/s at the fastest.
const SPEED: f32 = 40.0;
/// After the last sign of walking, repetitions may start again after this long (s): a step
/// takes about half a second, and the stride's turning points are slow.
const CLEAR_S: f64 = 1.0;
/// Frames kept to look back `LAG_S` (enough at 60 frames per second).
const RING: usize = 16;
/// In a walk the stance knee is bent less than this (degrees; about 20° at most in a normal
/// gait, a little more with the sensor's noise).
const STANCE_KNEE: f32 = 30.0;
/// Both ways (left leg forward, then right) within this long (s) is a stride; one way alone is
/// a depth sensor losing a hip for a moment, which happens at the bottom of a squat.
const STRIDE_S: f64 = 1.5;

/// Recent hip flexion, left and right, with times.
#[derive(Clone, Copy)]
pub(super) struct Gait {
    ring: [(f64, f32, f32); RING],
    next: usize,
    /// When each hip was last seen swinging forward while the other went back.
    forward_t: [f64; 2],
    /// When walking was last seen, and first; when the current (or last) walk began.
    pub(super) seen_t: f64,
    pub(super) first_t: Option<f64>,
    bout_t: f64,
}

impl Gait {
    pub(super) fn new() -> Gait {
        Gait {
            ring: [(f64::NEG_INFINITY, f32::NAN, f32::NAN); RING],
            next: 0,
            forward_t: [f64::NEG_INFINITY; 2],
            seen_t: f64::NEG_INFINITY,
            first_t: None,
            bout_t: f64::NEG_INFINITY,
        }
    }
}

impl Tracker {
    /// Follows the hips; true while walking, or within `CLEAR_S` of it.
    pub(super) fn walking(&mut self, a: &Angles, t: f64) -> bool {
        let g = &mut self.gait;
        let (l, r) = (a.get(Channel::HipFlexionLeft), a.get(Channel::HipFlexionRight));
        let knees = [Channel::KneeFlexionLeft, Channel::KneeFlexionRight].map(|c| a.get(c));
        let stance = knees.iter().flatten().any(|&k| k < STANCE_KNEE);
        if let (Some(l), Some(r)) = (l, r) {
            // The newest sample at least `LAG_S` old.
            let old = g.ring.iter().filter(|x| t - x.0 >= LAG_S).max_by(|x, y| x.0.total_cmp(&y.0));
            if let Some(&(t0, l0, r0)) = old
                && t - t0 <= 2.0 * LAG_S
            {
                let dt = (t - t0) as f32;
                let (vl, vr) = ((l - l0) / dt, (r - r0) / dt);
                if stance && vl * vr < 0.0 && vl.abs().min(vr.abs()) >= SPEED {
                    g.forward_t[usize::from(vr > 0.0)] = t;
                    if g.forward_t.iter().all(|&f| t - f <= STRIDE_S) {
                        let first_step = g.forward_t[0].min(g.forward_t[1]);
                        if t - g.seen_t >= CLEAR_S {
                            g.bout_t = first_step;
                        }
                        g.seen_t = t;
                        g.first_t.get_or_insert(first_step);
                    }
                }
            }
            g.ring[g.next] = (t, l, r);
            g.next = (g.next + 1) % RING;
        }
        t - g.seen_t < CLEAR_S
    }

    /// When the person was first seen walking (the first step of that walk).
    pub fn first_walking_t(&self) -> Option<f64> {
        self.gait.first_t
    }

    /// The walk the person is on as of the last frame: when its first step began, and when
    /// walking was last seen (`None` when they are not walking).
    pub fn walk(&self) -> Option<(f64, f64)> {
        let g = &self.gait;
        let last = self.first_t? + self.summary.duration_s;
        (last - g.seen_t < CLEAR_S).then_some((g.bout_t, g.seen_t))
    }

    /// Walking during a repetition: it was a step, not a repetition.
    pub(super) fn drop_for_walking(&mut self, s: f32, a: &Angles, t: f64) {
        if let Some(act) = self.active.take() {
            self.events.push(Event::MovementIgnored {
                start_s: act.start_t,
                end_s: t,
                reason: Ignored::Walking,
            });
        }
        self.pattern.reset();
        (self.valley, self.rest_t, self.rest_angles) = (Some(s), t, *a);
        // Walking, then turning and settling into place: nothing counts until they hold still.
        self.unsettled = Some((t, s));
    }
}
