//! The channels an exercise reads, and reading a check's channel for the moving side.

use crate::exercises::{ExerciseSpec, Measure, Which};
use crate::kinematics::{Angles, Channel, ChannelSet, Side};

/// The channels a spec reads: its primary signal, its checks and bands, each on both sides.
pub(super) fn channels_read(spec: &ExerciseSpec) -> ChannelSet {
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
pub(super) fn read(a: &Angles, w: Which, side: Option<Side>) -> f32 {
    let v = |c: Channel| a.get(c).unwrap_or(f32::NAN);
    match (w, side) {
        (Which::Midline(c), _) => v(c),
        (Which::Moving(c), Some(Side::Left)) => v(c),
        (Which::Moving(c), Some(Side::Right)) => v(c.mirror()),
        (Which::Moving(c) | Which::EitherSide(c), _) => v(c).max(v(c.mirror())),
    }
}
