//! A completed repetition: its verdict (range, bands, compensation checks, speed, hold), its
//! metrics and the summary's tally, and what it teaches the reference range.

use crate::exercises::{Direction, FormError};
use crate::kinematics::Angles;
use crate::tracker::repetition::Active;
use crate::tracker::signal::map_value;
use crate::tracker::{ErrorSet, Event, HISTORY, MDC_DEG, RepMetrics, Tracker};

/// Without a calibration, a repetition whose excursion is below this fraction of the person's
/// recent repetitions is too little range.
const RELATIVE_RANGE: f32 = 0.75;
/// With a calibration, a repetition whose excursion falls short of the calibrated range by more
/// than this fraction of it, and by more than `MDC_DEG`, is too little range.
const CALIBRATED_SHORTFALL: f32 = 0.1;

impl Tracker {
    pub(super) fn complete(&mut self, act: Active, t: f64, s: f32, a: &Angles) {
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
        if !act.partial {
            self.count_candidate(rom);
        }
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
