//! The real recordings that check counting, for the table next to the synthetic takes: the
//! UI-PRMD sets (ten repetitions each; docs/motion-accuracy.md has their full scoring) and the
//! KERAAL takes that honestly serve an exercise. KERAAL's torso rotation (RTK) is one turn to
//! each side: thoracic rotation. Its flank stretch (ELK) is one arm overhead and the trunk bent
//! away from it, once to each side: the trunk side bend's primary signal (the trunk's lean in
//! the frontal plane, either way) moves as in a side bend, though the arm is held overhead
//! where the library's side bend lets the hand slide down the leg. Its "hiding face" (CTK),
//! both arms raised with the elbows bent to cover the face, is none of the exercises: the
//! arms stop near 110° with bent elbows, short of the straight-arm raises and unlike the wall
//! angel's slide, so it is not used.
//!
//! The KERAAL BlazePose files are image landmarks normalised per frame and mirrored (their
//! README), which distorts angles; like the torso-rotation test, only the Kinect and Vicon
//! takes are counted.

use physio_motion::{Format, parse};

use super::{Counted, live, offline};
use crate::data::{Sensor, load_set, root};

/// UI-PRMD movement numbers and the exercise each is.
const UIPRMD: [(u32, &str); 6] = [
    (1, "deep-squat"),
    (5, "sit-to-stand"),
    (7, "shoulder-abduction"),
    (8, "shoulder-extension"),
    (9, "shoulder-rotation"),
    (10, "shoulder-scaption"),
];

/// KERAAL exercise codes used, the exercise and the movements in one take.
const KERAAL: [(&str, &str, usize); 2] =
    [("RTK", "thoracic-rotation", 2), ("ELK", "trunk-side-bend", 2)];

/// Whether a real recording checks this exercise's counting.
pub(super) fn covers(id: &str) -> bool {
    UIPRMD.iter().any(|(_, e)| *e == id) || KERAAL.iter().any(|(_, e, _)| *e == id)
}

/// One KERAAL take's repetitions in both modes, with the peaks the offline analysis found.
fn keraal(
    code: &str,
    exercise: &str,
    format: Format,
    modality: &str,
) -> Option<(Vec<Counted>, Vec<Counted>, Vec<f32>)> {
    let root = root()?;
    let ext = if format == Format::KeraalBlazePose { "json" } else { "txt" };
    let path =
        root.join("keraal-sample").join(format!("G3-{modality}-{code}-P1T1-Unknown-C-0.{ext}"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rec = parse(format, &[text.as_str()]).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let peaks = physio_motion::analyze(exercise, &rec.frames)
        .expect("known exercise")
        .reps
        .iter()
        .map(|r| r.peak_deg)
        .collect();
    Some((offline(exercise, &rec.frames), live(exercise, &rec.frames), peaks))
}

#[test]
fn keraal_flank_stretch_counts_as_a_side_bend_each_way() {
    for (format, modality) in [(Format::KeraalKinect, "Kinect"), (Format::KeraalVicon, "Vicon")] {
        let Some((off, liv, peaks)) = keraal("ELK", "trunk-side-bend", format, modality) else {
            return;
        };
        assert_eq!(off.len(), 2, "{modality} offline: one bend each way, got {peaks:?}");
        assert_eq!(liv.len(), 2, "{modality} live: one bend each way");
        assert!(peaks[0].signum() != peaks[1].signum(), "{modality}: {peaks:?}");
        assert!(
            peaks.iter().all(|p| p.abs() >= 15.0),
            "{modality}: {peaks:?} short of the 15° reach"
        );
        assert!(off.iter().chain(&liv).all(|c| !c.too_fast), "{modality}: called too fast");
    }
}

/// Prints the real rows of the table (nothing when the shared data is missing).
pub(super) fn print_rows() {
    let Some(root) = root() else { return };
    println!("\nReal recordings:\n");
    println!("| exercise | source | repetitions done | offline count | live count |");
    println!("|---|---|---|---|---|");
    for (code, exercise, done) in KERAAL {
        for (format, modality) in [(Format::KeraalKinect, "Kinect"), (Format::KeraalVicon, "Vicon")]
        {
            let Some((off, liv, _)) = keraal(code, exercise, format, modality) else { return };
            println!(
                "| {exercise} | real: KERAAL {code}, one take, {modality} | {done} | {} | {} |",
                off.len(),
                liv.len()
            );
        }
    }
    for (m, exercise) in UIPRMD {
        let (mut sets, mut exact_off, mut exact_live, mut reps_off, mut reps_live) =
            (0, 0, 0, 0, 0);
        for sensor in [Sensor::Kinect, Sensor::Vicon] {
            for subject in 1..=3 {
                for correct in [true, false] {
                    let Some(set) = load_set(&root, m, subject, sensor, correct) else { continue };
                    let rec = set.recording();
                    let (o, l) =
                        (offline(exercise, &rec.frames).len(), live(exercise, &rec.frames).len());
                    sets += 1;
                    exact_off += usize::from(o == 10);
                    exact_live += usize::from(l == 10);
                    reps_off += o;
                    reps_live += l;
                }
            }
        }
        println!(
            "| {exercise} | real: UI-PRMD m{m:02}, {sets} sets (Kinect and Vicon, 3 subjects) | {} | {reps_off} (exact on {exact_off}/{sets} sets) | {reps_live} (exact on {exact_live}/{sets} sets) |",
            10 * sets
        );
    }
}
