//! The movement signal: the primary channel mapped by the exercise's direction and side rule,
//! and, for one-sided exercises, which side is moving and which side has the lead.

use crate::exercises::{Direction, SideRule};
use crate::kinematics::{Angles, Side};
use crate::tracker::guard::wrap;
use crate::tracker::{REST, Tracker};

/// In a one-sided exercise, how long the side that did the last repetition must rest before
/// the other side may start one (s): switching sides takes a pause, a tracking glitch of the
/// resting arm does not.
const SWITCH_REST_S: f64 = 3.0;

impl Tracker {
    /// The movement signal, the raw primary value behind it, and the moving side.
    pub(super) fn signal(&mut self, a: &Angles, t: f64) -> Option<(f32, f32, Option<Side>)> {
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
}

/// The movement signal of a channel value under a direction (for `Magnitude`, |v|).
pub(super) fn map_value(d: Direction, v: f32) -> f32 {
    match d {
        Direction::Increase | Direction::AwayFromRest => v,
        Direction::Decrease => -v,
        Direction::Magnitude => v.abs(),
    }
}
