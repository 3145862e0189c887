//! A repetition in progress: it starts when the signal rises `ENTER` of the reference range
//! above the valley, is followed through its peak (form checks and hold) and ends back near
//! its start, at a trough before the next one, or not at all when it lasts too long.

use crate::exercises::Measure;
use crate::kinematics::{Angles, Side};
use crate::tracker::channels::read;
use crate::tracker::guard::wrap;
use crate::tracker::{ENTER, EXIT, Event, REST, Tracker};

#[derive(Clone, Copy)]
pub(super) struct Active {
    pub(super) index: u32,
    pub(super) start_t: f64,
    pub(super) s_start: f32,
    pub(super) start_angles: Angles,
    pub(super) peak_s: f32,
    pub(super) peak_t: f64,
    pub(super) peak_raw: f32,
    pub(super) side: Option<Side>,
    pub(super) peak_bands: [f32; 4],
    /// Per asymmetry check, the highest value each side (left, right) reached.
    pub(super) side_peaks: [[f32; 2]; 8],
    pub(super) dev: [f32; 8],
    pub(super) warned: u16,
    pub(super) hold_since: Option<f64>,
    pub(super) held: f64,
    pub(super) hold_reported: u32,
    /// Lowest signal since the peak, when, and the angles there.
    pub(super) trough_s: f32,
    pub(super) trough_t: f64,
    pub(super) trough_angles: Angles,
    /// Begun before the recording did (`TrackerConfig::may_start_mid_rep`): only its range is
    /// judged.
    pub(super) partial: bool,
}

impl Tracker {
    pub(super) fn idle(&mut self, s: f32, raw: f32, side: Option<Side>, a: &Angles, t: f64) {
        if self.follow_swings(s, raw, side, a, t) {
            return;
        }
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
            self.pattern.hold_candidate();
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

    pub(super) fn moving(&mut self, s: f32, raw: f32, side: Option<Side>, a: &Angles, t: f64) {
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
            self.pattern.reset();
            self.valley = Some(s);
            self.rest_t = t;
        } else {
            self.active = Some(act);
        }
    }
}
