//! The glitch guard: rejects implausible channel values and impossible jumps, holding the last
//! good value briefly, and wraps angle differences into a half turn.

use crate::kinematics::{Angles, Channel};
use crate::tracker::Tracker;

/// Angular speed above which a channel value is a tracking glitch (degrees per second).
const MAX_RATE: f32 = 1000.0;

impl Tracker {
    /// Rejects implausible values and glitches, holding the last good value briefly. Returns
    /// the channels it replaced (bit per channel index).
    pub(super) fn guard_angles(&mut self, a: &mut Angles, t: f64) -> u32 {
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
}

/// Wraps an angle difference into [−180, 180). Differences of two angles lie within ±720°, so
/// a few steps of 360° do it without `fmod` (a hot path: every channel of every frame).
pub(super) fn wrap(d: f32) -> f32 {
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

#[cfg(test)]
mod tests {
    use crate::tracker::guard::wrap;

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
}
