//! When the movement cannot be measured: which of the joints it needs the source does not see,
//! counted per joint for the session, and told once it has lasted `LOST_AFTER_S` (and again
//! when the movement can be measured once more), so that nobody is left looking at a count
//! that silently stopped.

use crate::kinematics::CONFIDENCE_GATE;
use crate::skeleton::{Frame, JOINT_COUNT, Joint, JointSet};
use crate::tracker::{Event, Tracker};

/// How long the movement must be unmeasurable before it is reported (s): long enough that a
/// joint lost for a few frames (a hand passing in front of a knee) says nothing, short enough
/// that a patient who stepped out of view hears about it before their next repetition.
pub(super) const LOST_AFTER_S: f64 = 1.0;

/// What the tracker knows about the visibility of the joints the movement needs.
#[derive(Clone, Copy)]
pub(super) struct Visibility {
    /// The joints the primary signal is computed from, on both sides.
    pub(super) needed: JointSet,
    /// Frames in which each needed joint was missing while the movement could not be measured.
    pub(super) missing: [u32; JOINT_COUNT],
    /// When the movement was last measurable (or the first frame arrived).
    pub(super) seen_t: Option<f64>,
    /// `SignalLost` was reported and `SignalFound` not yet.
    pub(super) lost: bool,
}

impl Visibility {
    pub(super) fn new(needed: u32) -> Visibility {
        Visibility {
            needed: JointSet(needed),
            missing: [0; JOINT_COUNT],
            seen_t: None,
            lost: false,
        }
    }
}

impl Tracker {
    /// A frame in which the movement could be measured.
    pub(super) fn seen(&mut self, t: f64) {
        let v = &mut self.visibility;
        v.seen_t = Some(t);
        if v.lost {
            v.lost = false;
            self.events.push(Event::SignalFound { t });
        }
    }

    /// A frame in which it could not: counts the needed joints that are missing, and reports
    /// them once the movement has been unmeasurable for `LOST_AFTER_S`.
    pub(super) fn unseen(&mut self, f: &Frame, t: f64) {
        let v = &mut self.visibility;
        let mut joints = JointSet(0);
        for j in v.needed.iter() {
            let p = f.get(j);
            if !(p.conf >= CONFIDENCE_GATE && p.p.is_finite()) {
                joints.0 |= 1 << j.index();
                v.missing[j.index()] += 1;
            }
        }
        let since = *v.seen_t.get_or_insert(t);
        if !v.lost && t - since >= LOST_AFTER_S {
            v.lost = true;
            self.events.push(Event::SignalLost { t, joints });
        }
    }

    /// Per joint (`Joint::index`), the frames in which it was missing while the movement could
    /// not be measured.
    pub fn missing_frames(&self) -> [(Joint, u32); JOINT_COUNT] {
        std::array::from_fn(|k| (Joint::ALL[k], self.visibility.missing[k]))
    }
}
