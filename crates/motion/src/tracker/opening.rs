//! A recording that begins part-way through a repetition (`TrackerConfig::may_start_mid_rep`):
//! following how it began, and counting that first descent as a repetition.

use crate::exercises::SideRule;
use crate::kinematics::{Angles, Side};
use crate::tracker::repetition::Active;
use crate::tracker::signal::map_value;
use crate::tracker::{ENTER, EXIT, Event, REST, Tracker};

/// How the recording began, per side (left, right; `Midline` and `Both` use the first): the
/// first value of the primary channel mapped by the direction, the highest value while it
/// rose from there, the raw value at that peak, and the lowest value since, with the time and
/// angles of a frame at most `EXIT` of the range above it (where a repetition would end).
/// `first` is `NaN` until the side is seen.
#[derive(Clone, Copy)]
pub(super) struct Opening {
    pub(super) first: f32,
    pub(super) peak: f32,
    pub(super) peak_raw: f32,
    pub(super) low: f32,
    pub(super) low_t: f64,
    pub(super) low_angles: Angles,
    /// The value at `low_t`.
    pub(super) mark: f32,
}

impl Tracker {
    /// Follows how the recording began (`TrackerConfig::may_start_mid_rep`), per side.
    pub(super) fn watch_opening(&mut self, a: &Angles, t: f64) {
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
    pub(super) fn close_opening(&mut self) {
        let Some(opening) = self.opening.take() else { return };
        if self.gait.seen_t.is_finite() {
            // The recording began with the person walking in, not part-way through a repetition.
            return;
        }
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
            still_since: o.low_t,
            still_level: o.low,
            still_angles: o.low_angles,
            pause: None,
        };
        self.complete(act, o.low_t, o.low, &o.low_angles);
    }
}
