//! A person's calibrated range (and usual compensations) that repetitions are judged against.

use serde::Serialize;

use crate::exercises::Direction;
use crate::tracker::signal::map_value;

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
    pub(super) fn range(self, direction: Direction) -> f32 {
        match direction {
            Direction::AwayFromRest => (self.peak - self.rest).abs(),
            d => (map_value(d, self.peak) - map_value(d, self.rest)).abs(),
        }
    }
}
