//! What a sensor adds to a clean take. For a webcam's BlazePose world landmarks: only the
//! joints BlazePose has (no mid-spine or back of the neck; neck and pelvis derived from the
//! shoulders and hips, as the importer does), the origin at the centre of the hips. Then, for
//! every source:
//!
//! - jitter: independent Gaussian noise on every coordinate of every joint, σ = 1 cm per axis
//!   (1.7 cm in 3-D), frame by frame;
//! - confidence 0.95 on a visible joint;
//! - dropouts: on average one every three seconds, a joint (any visible one) is lost for 3 to
//!   8 frames (0.1–0.27 s): its confidence falls to 0.05–0.4 and its position scatters by
//!   5 cm per axis, as a landmark model guessing an occluded joint does.

use physio_motion::geom::V3;
use physio_motion::skeleton::{Frame, JOINT_COUNT, Joint};

use super::movements::Source;
use super::rng::Rng;
use super::take::FPS;

/// The noise model's numbers, for the tables.
pub(crate) const JITTER_M: f64 = 0.01;
const CONFIDENCE: f32 = 0.95;
pub(crate) const DROPOUTS_PER_S: f64 = 1.0 / 3.0;
const DROPOUT_FRAMES: (f64, f64) = (3.0, 9.0);
const DROPOUT_CONFIDENCE: (f64, f64) = (0.05, 0.4);
const DROPOUT_WANDER_M: f64 = 0.05;

/// Joints a webcam's BlazePose does not give.
const NOT_IN_BLAZEPOSE: [Joint; 4] = [Joint::MidSpine, Joint::Neck, Joint::Pelvis, Joint::C7];

fn jitter(rng: &mut Rng, sigma: f64) -> V3 {
    V3::new(
        (sigma * rng.gauss()) as f32,
        (sigma * rng.gauss()) as f32,
        (sigma * rng.gauss()) as f32,
    )
}

/// The take as the sensor reports it.
pub(crate) fn observe(clean: &[Frame], source: Source, seed: u64) -> Vec<Frame> {
    // A stream of its own, so the noise does not change when the movement draws more numbers.
    let mut rng = Rng::new(seed.wrapping_add(1 << 32));
    // Frames left in each joint's current dropout.
    let mut lost = [0u32; JOINT_COUNT];
    clean
        .iter()
        .map(|c| {
            let mut f = *c;
            if source == Source::Webcam {
                for j in NOT_IN_BLAZEPOSE {
                    f.joints[j.index()].conf = 0.0;
                }
                let hips = f.get(Joint::LeftHip).p.mid(f.get(Joint::RightHip).p);
                for p in f.joints.iter_mut() {
                    p.p = p.p.sub(hips);
                }
            }
            if rng.chance(DROPOUTS_PER_S / FPS) {
                let visible: Vec<usize> =
                    (0..JOINT_COUNT).filter(|&k| f.joints[k].conf > 0.0).collect();
                let k = visible[(rng.unit() * visible.len() as f64) as usize];
                lost[k] = rng.range(DROPOUT_FRAMES.0, DROPOUT_FRAMES.1) as u32;
            }
            for (k, p) in f.joints.iter_mut().enumerate() {
                if p.conf <= 0.0 {
                    continue;
                }
                p.p = p.p.add(jitter(&mut rng, JITTER_M));
                p.conf = CONFIDENCE;
                if lost[k] > 0 {
                    lost[k] -= 1;
                    p.p = p.p.add(jitter(&mut rng, DROPOUT_WANDER_M));
                    p.conf = rng.range(DROPOUT_CONFIDENCE.0, DROPOUT_CONFIDENCE.1) as f32;
                }
            }
            if source == Source::Webcam {
                f.derive_missing();
            }
            f
        })
        .collect()
}

/// The noise is what the tables say it is: σ 1 cm per axis on visible joints, and about one
/// dropout every three seconds (over every movement's take, each with its own seed, some
/// 850 s in all, for enough dropouts).
#[test]
fn synthetic_noise_matches_its_description() {
    use super::movements::MOVEMENTS;
    let (mut sum, mut n, mut low_frames, mut seconds) = (0.0f64, 0usize, 0usize, 0.0);
    for (seed, m) in (100..).zip(&MOVEMENTS) {
        let clean = super::take::take(m, seed).frames;
        let noisy = observe(&clean, Source::DepthCamera, seed);
        seconds += clean.len() as f64 / FPS;
        for (c, o) in clean.iter().zip(&noisy) {
            for (a, b) in c.joints.iter().zip(&o.joints) {
                if b.conf >= CONFIDENCE {
                    let d = b.p.sub(a.p);
                    sum += f64::from(d.x * d.x + d.y * d.y + d.z * d.z);
                    n += 3;
                } else {
                    low_frames += 1;
                }
            }
        }
    }
    let sigma = (sum / n as f64).sqrt();
    assert!((sigma - JITTER_M).abs() < 0.02 * JITTER_M, "jitter σ {sigma} m");
    // Each dropout lasts 3–8 frames (5.5 on average).
    let per_s = low_frames as f64 / 5.5 / seconds;
    println!(
        "noise over {seconds:.0} s: jitter σ {:.2} cm per axis, {per_s:.2} dropouts a second",
        sigma * 100.0
    );
    assert!((per_s - DROPOUTS_PER_S).abs() < 0.2 * DROPOUTS_PER_S, "{per_s} dropouts a second");
}
