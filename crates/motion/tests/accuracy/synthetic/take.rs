//! One synthetic take, noise-free: the person walks into view (standing exercises) or is
//! already down on the chair or mat, settles into the starting position, does a set of
//! repetitions with rests between them, fidgets, and (standing) walks away. Every frame is a
//! figure pose (`physio_motion::figure::pose_frame`) turned and placed in the room, at 30
//! frames a second, the rate of a webcam.
//!
//! The body: the figure's proportions, those of Drillis and Contini as fractions of height
//! (thigh 0.245, shank 0.246, upper arm 0.186, forearm 0.146, hip to neck 0.30, shoulders
//! 0.20 and hips 0.10 apart), scaled to a height drawn per take between 1.55 and 1.90 m.
//!
//! A repetition follows a minimum-jerk rise to its end position, a hold, and a minimum-jerk
//! return; its range is the movement's end pose scaled by a factor drawn between 0.9 and 1.1
//! and its timing by another, so no two repetitions are alike.

use physio_motion::figure::{Pose, pose_frame};
use physio_motion::geom::V3;
use physio_motion::skeleton::Frame;

use super::blend::blend;
use super::movements::{Movement, Sides, mirror};
use super::rng::Rng;

/// Frames per second.
pub(crate) const FPS: f64 = 30.0;
/// Repetitions in a set.
pub(crate) const REPS: usize = 10;

/// A stretch of the take, in seconds.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Window {
    pub(crate) start: f64,
    pub(crate) end: f64,
}

impl Window {
    /// Whether two windows overlap.
    pub(crate) fn overlaps(self, start: f64, end: f64) -> bool {
        start < self.end && end > self.start
    }
}

/// A take before the sensor's noise.
pub(crate) struct Take {
    pub(crate) frames: Vec<Frame>,
    /// The repetitions of the set, from leaving the rest position to being back in it.
    pub(crate) reps: Vec<Window>,
    /// What else happens, named: walking in, settling, fidgeting, walking away.
    pub(crate) other: Vec<(&'static str, Window)>,
}

/// The figure's height (m), which `pose_frame` builds every body at.
const FIGURE_HEIGHT: f32 = 1.75;
/// Walking: speed (m/s) and strides per second (108 steps a minute), a comfortable pace for
/// an older adult.
const WALK_SPEED: f32 = 0.8;
const STRIDE_HZ: f64 = 0.9;

/// Minimum-jerk position profile from 0 to 1 (Flash and Hogan): 10x³ − 15x⁴ + 6x⁵.
fn min_jerk(x: f64) -> f64 {
    let x = x.clamp(0.0, 1.0);
    x * x * x * (10.0 - 15.0 * x + 6.0 * x * x)
}

/// A quick there-and-back: 0 → 1 → 0 over `x` in [0, 1].
fn bump(x: f64) -> f64 {
    (std::f64::consts::PI * x.clamp(0.0, 1.0)).sin().powi(2)
}

/// Walking adds a gait to a standing pose: hips swing between 8° of extension and 28° of
/// flexion, the knee bends to 55° in swing, the arms swing 15° against the legs. `amount`
/// fades the gait in and out.
fn gait(p: &Pose, phase: f64, amount: f32) -> Pose {
    let mut p = p.clone();
    for (k, (l, a)) in [(&mut p.left_leg, &mut p.left_arm), (&mut p.right_leg, &mut p.right_arm)]
        .into_iter()
        .enumerate()
    {
        let ph = phase + std::f64::consts::PI * k as f64;
        l.flexion += amount * (10.0 + 18.0 * ph.sin() as f32);
        l.knee += amount * (5.0 + 50.0 * ph.cos().max(0.0).powi(2) as f32);
        let swing = -amount * 15.0 * ph.sin() as f32;
        a.elevation = swing.abs();
        a.plane = 90.0f32.copysign(swing);
        a.elbow += amount * 15.0;
    }
    p
}

/// Where the body is in the room: turned `yaw` degrees about the vertical (0 faces the
/// camera, +90 walks across it toward +x) and moved `x` metres along the room.
#[derive(Clone, Copy)]
struct Place {
    yaw: f32,
    x: f32,
}

struct Builder {
    rng: Rng,
    scale: f32,
    frames: Vec<Frame>,
    t: f64,
}

impl Builder {
    /// Emits the frames of a stretch of `secs`, posed by `at(seconds into the stretch)`.
    fn emit(&mut self, secs: f64, mut at: impl FnMut(f64) -> (Pose, Place)) -> Window {
        let start = self.t;
        let end = start + secs;
        loop {
            let ft = self.frames.len() as f64 / FPS;
            if ft >= end {
                break;
            }
            let (pose, place) = at(ft - start);
            let mut f = pose_frame(&pose);
            let (s, c) = place.yaw.to_radians().sin_cos();
            for j in f.joints.iter_mut() {
                let p = j.p.scale(self.scale);
                j.p = V3::new(p.x * c + p.z * s + place.x, p.y, -p.x * s + p.z * c);
            }
            f.t = ft;
            self.frames.push(f);
        }
        self.t = end;
        Window { start, end }
    }

    /// Small movements a person makes while standing or sitting still: the trunk sways 1°,
    /// the head turns a few degrees (looking at the screen).
    fn alive(p: &Pose, t: f64, seed: f64) -> Pose {
        let w = |hz: f64, off: f64| ((std::f64::consts::TAU * hz * t) + seed + off).sin() as f32;
        Pose {
            trunk_side_bend: p.trunk_side_bend + 1.0 * w(0.23, 0.0),
            trunk_flexion: p.trunk_flexion + 1.0 * w(0.17, 1.0),
            head_turn: p.head_turn + 5.0 * w(0.11, 2.0),
            ..p.clone()
        }
    }
}

/// Builds a take of `m` from `seed`.
pub(crate) fn take(m: &Movement, seed: u64) -> Take {
    let mut rng = Rng::new(seed);
    let height_m = rng.range(1.55, 1.90) as f32;
    let right = m.sides == Sides::One && rng.chance(0.5);
    let sway_seed = rng.range(0.0, 6.0);
    let (ready, mut start, mut end) = ((m.ready)(), (m.start)(), (m.end)());
    if right {
        (start, end) = (mirror(&start), mirror(&end));
    }
    let mut b = Builder { rng, scale: height_m / FIGURE_HEIGHT, frames: Vec::new(), t: 0.0 };
    let mut other = Vec::new();
    let face = Place { yaw: 0.0, x: 0.0 };

    if m.walks {
        // Into view from the side at walking pace, then a turn to face the camera as the
        // steps die away.
        let (walk, turn) = (3.0, 0.8);
        let from = -WALK_SPEED * walk as f32;
        let w = b.emit(walk + turn, |t| {
            let phase = std::f64::consts::TAU * STRIDE_HZ * t;
            let fade = (1.0 - ((t - walk) / turn).clamp(0.0, 1.0)) as f32;
            let turned = min_jerk((t - walk) / turn) as f32;
            let x = (from + WALK_SPEED * t as f32).min(0.0);
            (gait(&ready, phase, fade), Place { yaw: 90.0 * (1.0 - turned), x })
        });
        other.push(("walking in", w));
    }
    // Settling: into the starting position over a second, then still but alive.
    let settle = b.rng.range(2.0, 3.0);
    let w = b.emit(settle, |t| {
        (Builder::alive(&blend(&ready, &start, min_jerk(t / 1.2) as f32), t, sway_seed), face)
    });
    other.push(("settling", w));

    let mut reps = Vec::new();
    for k in 0..REPS {
        let amp = b.rng.range(0.9, 1.1) as f32;
        let pace = b.rng.range(0.9, 1.1);
        let (rise, hold, back) = (m.rise_s * pace, m.hold_s * pace, m.return_s * pace);
        let to = if m.sides == Sides::Alternate && k % 2 == 1 { mirror(&end) } else { end.clone() };
        let t0 = b.t;
        let w = b.emit(rise + hold + back, |t| {
            let x = if t < rise {
                min_jerk(t / rise)
            } else {
                1.0 - min_jerk((t - rise - hold) / back)
            };
            (Builder::alive(&blend(&start, &to, amp * x as f32), t0 + t, sway_seed), face)
        });
        reps.push(w);
        let rest = b.rng.range(m.rest_s.0, m.rest_s.1);
        let t0 = b.t;
        b.emit(rest, |t| (Builder::alive(&start, t0 + t, sway_seed), face));
    }

    // Fidgeting: a quick flick of the exercising limb to 45 % of the range and back in half a
    // second (shaking it out), a small 20 % movement over 0.8 s (adjusting), a look round and
    // a shift of weight; none of it a repetition.
    let flick_to =
        if m.sides == Sides::Alternate && b.rng.chance(0.5) { mirror(&end) } else { end };
    let t0 = b.t;
    let w = b.emit(5.0, |t| {
        let x = if (0.6..1.1).contains(&t) {
            0.45 * bump((t - 0.6) / 0.5)
        } else if (2.0..2.8).contains(&t) {
            0.2 * bump((t - 2.0) / 0.8)
        } else {
            0.0
        };
        let mut p = Builder::alive(&blend(&start, &flick_to, x as f32), t0 + t, sway_seed);
        p.head_turn += 30.0 * bump((t - 3.2) / 1.2) as f32;
        p.side_lean += 3.0 * bump((t - 3.5) / 1.5) as f32;
        (p, face)
    });
    other.push(("fidgeting", w));

    if m.walks {
        // Back to standing, a turn and away.
        let (turn, walk) = (0.8, 2.5);
        let end_start = start.clone();
        let w = b.emit(turn + walk, |t| {
            let phase = std::f64::consts::TAU * STRIDE_HZ * t;
            let fade = ((t / turn).clamp(0.0, 1.0)) as f32;
            let pose = blend(&end_start, &ready, min_jerk(t / 0.6) as f32);
            let x = -WALK_SPEED * (t - turn).max(0.0) as f32;
            (gait(&pose, phase, fade), Place { yaw: -90.0 * min_jerk(t / turn) as f32, x })
        });
        other.push(("walking away", w));
    }
    Take { frames: b.frames, reps, other }
}
