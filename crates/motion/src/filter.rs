//! Signal conditioning before the angles: confidence gating, position outlier rejection,
//! bones that do not stretch (the shoulder and hip lines), a causal One-Euro filter per joint
//! coordinate, and tolerance of dropped frames.
//!
//! Lag: the One-Euro filter is a first-order low-pass whose cutoff rises with speed. At rest
//! its time constant is `1 / (2π · min_cutoff_hz)` (≈ 0.11 s at the default 1.5 Hz); during a
//! movement at 1 m/s the cutoff is `1.5 + 0.8 · 1 = 2.3` Hz (≈ 0.07 s). Nothing here looks
//! ahead, and nothing allocates after `Conditioner::new`.

use crate::geom::V3;
use crate::skeleton::{Frame, JOINT_COUNT, Joint, Point};

/// Filter settings. `FilterConfig::DEFAULT` suits 25–120 frames/s.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FilterConfig {
    /// One-Euro minimum cutoff (Hz).
    pub min_cutoff_hz: f32,
    /// One-Euro speed coefficient (Hz per unit/s).
    pub beta: f32,
    /// Cutoff for the speed estimate (Hz).
    pub d_cutoff_hz: f32,
    /// Joints below this confidence are treated as missing.
    pub min_confidence: f32,
    /// How long a missing or rejected joint keeps its last good position (s).
    pub max_hold_s: f32,
    /// A gap between frames longer than this restarts the filters (s).
    pub reset_gap_s: f32,
    /// A joint moving faster than this many trunk lengths per second is an outlier.
    pub max_speed_trunks_per_s: f32,
}

impl FilterConfig {
    /// Default settings.
    pub const DEFAULT: FilterConfig = FilterConfig {
        min_cutoff_hz: 1.5,
        beta: 0.8,
        d_cutoff_hz: 1.0,
        min_confidence: 0.5,
        max_hold_s: 0.3,
        reset_gap_s: 0.5,
        max_speed_trunks_per_s: 12.0,
    };
}

/// Quality flags of one conditioned frame (a bit set).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Quality(pub u8);

impl Quality {
    /// Some joint was below the confidence gate and its last position was held.
    pub const HELD: u8 = 1;
    /// Some joint jumped implausibly fast and was rejected.
    pub const OUTLIER: u8 = 2;
    /// The frame followed a gap longer than `reset_gap_s`; the filters restarted.
    pub const GAP: u8 = 4;
    /// Some joint was missing for longer than `max_hold_s`.
    pub const MISSING: u8 = 8;
    /// Whether a flag is set.
    pub fn has(self, flag: u8) -> bool {
        self.0 & flag != 0
    }
}

#[derive(Clone, Copy, Default)]
struct JointState {
    x: V3,
    dx: V3,
    /// Time of the last accepted sample.
    last_good: f64,
    live: bool,
    /// Consecutive rejected samples (an outlier that persists is accepted as re-acquisition).
    rejected: u8,
}

/// The joint pairs whose distance is a bone that cannot change from one frame to the next:
/// the shoulder line and the hip line, which set the trunk's frame (a depth sensor seeing the
/// body side-on can throw one shoulder 20 cm forward in a frame, turning every arm angle).
const PAIRS: [(Joint, Joint); 2] =
    [(Joint::LeftShoulder, Joint::RightShoulder), (Joint::LeftHip, Joint::RightHip)];
/// A pair's distance changing by more than this share between frames is a tracking error.
const STRETCH: f32 = 0.25;
/// How long (s) a pair may stay "stretched" before the new distance is believed (the first
/// one was the error, or the body turned while the sensor lost it).
const STRETCH_HOLD_S: f64 = 1.0;

/// Per-session conditioner: feed raw frames, read conditioned frames.
pub struct Conditioner {
    cfg: FilterConfig,
    /// Per `PAIRS` entry: since when it has been stretched (`None`: it is not).
    stretched: [Option<f64>; 2],
    /// The joints conditioned (bit per `Joint::index`); the others stay unavailable.
    used: u32,
    last_t: Option<f64>,
    joints: [JointState; JOINT_COUNT],
    out: Frame,
}

fn alpha(cutoff_hz: f32, dt: f32) -> f32 {
    let tau = 1.0 / (std::f32::consts::TAU * cutoff_hz.max(1e-3));
    1.0 / (1.0 + tau / dt)
}

impl Conditioner {
    /// A conditioner with the given settings.
    pub fn new(cfg: FilterConfig) -> Conditioner {
        Conditioner::for_joints(cfg, u32::MAX)
    }

    /// A conditioner of only the joints in `used` (bit per `Joint::index`; the shoulders and
    /// hips, which set the outlier scale, are always conditioned). A tracker passes the joints
    /// its exercise's channels read, so nothing is spent filtering the others.
    pub fn for_joints(cfg: FilterConfig, used: u32) -> Conditioner {
        let trunk = [Joint::LeftShoulder, Joint::RightShoulder, Joint::LeftHip, Joint::RightHip];
        Conditioner {
            cfg,
            used: trunk.iter().fold(used, |m, j| m | 1 << j.index()),
            last_t: None,
            joints: [JointState::default(); JOINT_COUNT],
            out: Frame::empty(0.0),
            stretched: [None; 2],
        }
    }

    /// A pair whose distance jumped (`STRETCH`) has the joint that moved more put back where
    /// it was relative to the other, until `STRETCH_HOLD_S` has passed.
    fn unstretch(&mut self, frame: &Frame, t: f64) -> Frame {
        let mut frame = *frame;
        for (k, (a, b)) in PAIRS.into_iter().enumerate() {
            let (sa, sb) = (self.joints[a.index()], self.joints[b.index()]);
            let (ra, rb) = (frame.get(a), frame.get(b));
            let seen = |p: Point| p.conf >= self.cfg.min_confidence && p.p.is_finite();
            if !(sa.live && sb.live && seen(ra) && seen(rb)) {
                self.stretched[k] = None;
                continue;
            }
            let was = sa.x.sub(sb.x).norm();
            let now = ra.p.sub(rb.p).norm();
            if was <= 0.0 || (now - was).abs() <= STRETCH * was {
                self.stretched[k] = None;
                continue;
            }
            let since = *self.stretched[k].get_or_insert(t);
            if t - since > STRETCH_HOLD_S {
                continue;
            }
            let offset = sa.x.sub(sb.x);
            if ra.p.sub(sa.x).norm() >= rb.p.sub(sb.x).norm() {
                frame.set(a, rb.p.add(offset), ra.conf);
            } else {
                frame.set(b, ra.p.sub(offset), rb.conf);
            }
        }
        frame
    }

    /// Conditions one frame. Frames whose time does not increase return `None` (ignored).
    pub fn push(&mut self, frame: &Frame) -> Option<(&Frame, Quality)> {
        let t = frame.t;
        if !t.is_finite() {
            return None;
        }
        let mut q = Quality::default();
        let dt = match self.last_t {
            Some(last) if t <= last => return None,
            Some(last) => t - last,
            None => 0.0,
        };
        if self.last_t.is_some() && dt > self.cfg.reset_gap_s as f64 {
            q.0 |= Quality::GAP;
            for j in &mut self.joints {
                j.live = false;
            }
        }
        self.last_t = Some(t);
        let frame = &self.unstretch(frame, t);
        let trunk = self.trunk_length();
        let max_step = self.cfg.max_speed_trunks_per_s * trunk * dt as f32 + 0.05 * trunk;
        let (a_d, dtf) = (alpha(self.cfg.d_cutoff_hz, dt as f32), dt as f32);
        self.out.t = t;
        for (k, (state, raw)) in self.joints.iter_mut().zip(frame.joints.iter()).enumerate() {
            if self.used & (1 << k) == 0 {
                continue;
            }
            let good = raw.conf >= self.cfg.min_confidence && raw.p.is_finite();
            let fresh = good && (!state.live || dtf <= 0.0);
            if fresh {
                *state = JointState {
                    x: raw.p,
                    dx: V3::default(),
                    last_good: t,
                    live: true,
                    rejected: 0,
                };
            } else if good {
                let step = raw.p.sub(state.x).norm();
                if step > max_step && state.rejected < 3 && trunk > 0.0 {
                    state.rejected += 1;
                    q.0 |= Quality::OUTLIER;
                } else {
                    let dx_raw = raw.p.sub(state.x).scale(1.0 / dtf);
                    state.dx = state.dx.add(dx_raw.sub(state.dx).scale(a_d));
                    let cutoff = self.cfg.min_cutoff_hz + self.cfg.beta * state.dx.norm();
                    state.x = state.x.add(raw.p.sub(state.x).scale(alpha(cutoff, dtf)));
                    state.last_good = t;
                    state.rejected = 0;
                }
            } else if state.live {
                q.0 |= Quality::HELD;
            }
            let held_for = (t - state.last_good) as f32;
            let conf = if !state.live {
                0.0
            } else if held_for > self.cfg.max_hold_s {
                q.0 |= Quality::MISSING;
                0.0
            } else {
                raw.conf.max(self.cfg.min_confidence)
            };
            self.out.joints[k] = Point { p: state.x, conf };
        }
        Some((&self.out, q))
    }

    /// Current trunk length (shoulder centre to hip centre), 0 when unknown.
    fn trunk_length(&self) -> f32 {
        let g = |j: Joint| self.joints[j.index()];
        let js = [
            g(Joint::LeftShoulder),
            g(Joint::RightShoulder),
            g(Joint::LeftHip),
            g(Joint::RightHip),
        ];
        if js.iter().all(|j| j.live) {
            js[0].x.mid(js[1].x).sub(js[2].x.mid(js[3].x)).norm()
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(t: f64, x: f32) -> Frame {
        let mut f = Frame::empty(t);
        f.set(Joint::LeftShoulder, V3::new(0.2, 1.4, 0.0), 1.0);
        f.set(Joint::RightShoulder, V3::new(-0.2, 1.4, 0.0), 1.0);
        f.set(Joint::LeftHip, V3::new(0.1, 0.9, 0.0), 1.0);
        f.set(Joint::RightHip, V3::new(-0.1, 0.9, 0.0), 1.0);
        f.set(Joint::RightWrist, V3::new(x, 1.0, 0.0), 1.0);
        f
    }

    #[test]
    fn smooths_rejects_and_tolerates_gaps() {
        let mut c = Conditioner::new(FilterConfig::DEFAULT);
        assert!(c.push(&frame(0.0, 0.0)).is_some());
        // A 3 m jump in one frame is rejected.
        let (f, q) = c.push(&frame(1.0 / 30.0, 3.0)).unwrap();
        assert!(q.has(Quality::OUTLIER));
        assert!(f.get(Joint::RightWrist).p.x.abs() < 1e-6);
        // Time going backwards is ignored.
        assert!(c.push(&frame(0.0, 0.0)).is_none());
        // A small step is followed partially (low-pass).
        let (f, _) = c.push(&frame(2.0 / 30.0, 0.05)).unwrap();
        let x = f.get(Joint::RightWrist).p.x;
        assert!(x > 0.0 && x < 0.05);
        // After a long gap the filter restarts at the new position.
        let (f, q) = c.push(&frame(5.0, 0.3)).unwrap();
        assert!(q.has(Quality::GAP));
        assert!((f.get(Joint::RightWrist).p.x - 0.3).abs() < 1e-6);
        // A missing joint is held briefly, then dropped.
        let mut g = frame(5.0 + 1.0 / 30.0, 0.3);
        g.joints[Joint::RightWrist.index()].conf = 0.1;
        let (f, q) = c.push(&g).unwrap();
        assert!(q.has(Quality::HELD) && f.get(Joint::RightWrist).conf > 0.0);
        g.t = 6.0;
        let (f, _) = c.push(&g).unwrap();
        assert_eq!(f.get(Joint::RightWrist).conf, 0.0);
    }
}
