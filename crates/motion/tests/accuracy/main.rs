//! Accuracy of the motion engine on the shared UI-PRMD recordings: repetition count,
//! boundaries, correct/incorrect agreement and peak angles, per movement. Prints the table
//! written into docs/motion-accuracy.md. Skips (with a message) when the data folder is
//! missing, except under CI.

#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::disallowed_macros,
    reason = "the harness reads the shared recordings and prints the table; the crate itself does no IO (clippy.toml)"
)]

mod data;
mod dump;
mod keraal;
mod synthetic;

use std::path::Path;

use data::{Sensor, Set, load_set, root};
use physio_motion::analysis::{Mode as Counting, analyze_with};
use physio_motion::exercises;
use physio_motion::tracker::{Calibration, TrackerConfig};

const MOVEMENTS: [(u32, &str); 6] = [
    (1, "deep-squat"),
    (5, "sit-to-stand"),
    (7, "shoulder-abduction"),
    (8, "shoulder-extension"),
    (9, "shoulder-rotation"),
    (10, "shoulder-scaption"),
];

#[derive(Default)]
struct Tally {
    sets: u32,
    exact: u32,
    off_by_one: u32,
    worse: u32,
    boundary_errors: Vec<f64>,
    /// [truth correct][predicted correct]
    confusion: [[u32; 2]; 2],
    peaks: Vec<(bool, f32)>,
}

struct Outcome {
    /// The calibration this set gives as a reference set.
    calibration: Option<Calibration>,
    count: u32,
    boundary_errors: Vec<f64>,
    labels: Vec<bool>,
    peaks: Vec<f32>,
    errors: Vec<String>,
}

/// How repetitions are judged.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Default settings: range judged against the person's recent repetitions in the set.
    SelfCalibrated,
    /// Range judged against a calibration from the same person's *correct* set of the same
    /// movement and sensor (a supervised reference session, as a clinic would record it).
    Reference,
    /// Likewise, from the first five repetitions of the correct set only, so that half of the
    /// correct repetitions are judged against a reference they took no part in.
    FirstFive,
}

fn run(set: &Set, exercise: &str, calibration: Option<Calibration>, counting: Counting) -> Outcome {
    let rec = set.recording();
    let config = TrackerConfig { calibration, ..TrackerConfig::DEFAULT };
    let a = analyze_with(exercise, &rec.frames, config, counting).expect("measurable");
    let truth: Vec<f64> = set.boundaries.iter().map(|&i| i as f64 / rec.fps).collect();
    // Over every set, not only those counted exactly: each true boundary to the nearest
    // detected one, and each detected boundary to the nearest true one, so that a missed
    // repetition and an extra one both show as boundary error.
    let detected: Vec<f64> =
        a.reps.iter().map(|r| r.start_s).chain(a.reps.last().map(|r| r.end_s)).collect();
    let nearest =
        |x: f64, among: &[f64]| among.iter().map(|y| (x - y).abs()).fold(f64::INFINITY, f64::min);
    let mut boundary_errors: Vec<f64> = truth.iter().map(|&x| nearest(x, &detected)).collect();
    boundary_errors.extend(detected.iter().map(|&x| nearest(x, &truth)));
    boundary_errors.retain(|e| e.is_finite());
    // Pair each detected repetition with the true one containing its peak.
    let labels = a.reps.iter().map(|r| r.correct).collect();
    let errors = a.reps.iter().flat_map(|r| r.errors.iter().map(|e| e.name().to_owned())).collect();
    Outcome {
        calibration: Calibration::from_reps(
            exercises::find(exercise).expect("known exercise").direction,
            a.reps.iter().map(|r| (r.peak_deg, r.rom_deg, r.checks, r.bands)),
        ),
        count: a.rep_count,
        boundary_errors,
        labels,
        peaks: a.reps.iter().map(|r| r.peak_deg).collect(),
        errors,
    }
}

#[test]
fn uiprmd_accuracy() {
    let Some(root) = root() else { return };
    // The targets, for live counting (what patients get) and offline: boundaries within
    // 0.3 s (median over every set), the count exact on 95 % of sets and never off by more than
    // one, in every judging mode; 85 % label agreement against the person's reference
    // (docs/motion-accuracy.md). Self-calibrated agreement (68 %) has a floor just under
    // today's level so that a regression fails.
    for counting in [Counting::Live, Counting::Offline] {
        let all = evaluate(&root, Mode::SelfCalibrated, counting);
        let boundary = median(&all.boundary_errors);
        assert!(boundary <= 0.3, "{counting:?}: median boundary error {boundary:.3} s");
        let agree = agreement(&all);
        assert!(agree >= 0.66, "{counting:?}: label agreement {:.0} %", agree * 100.0);
        let five = evaluate(&root, Mode::FirstFive, counting);
        let cal = evaluate(&root, Mode::Reference, counting);
        for (mode, t) in
            [("self-calibrated", &all), ("calibrated on five", &five), ("calibrated", &cal)]
        {
            let exact = f64::from(t.exact) / f64::from(t.sets);
            assert!(
                exact >= 0.95,
                "{counting:?}, {mode}: exact rep count on {:.0} % of sets",
                exact * 100.0
            );
            assert_eq!(t.worse, 0, "{counting:?}, {mode}: sets off by more than one");
        }
        for (mode, t) in [("calibrated on five", &five), ("calibrated", &cal)] {
            let agree = agreement(t);
            assert!(agree >= 0.85, "{counting:?}, {mode}: label agreement {:.0} %", agree * 100.0);
        }
    }
}

fn agreement(t: &Tally) -> f64 {
    let c = t.confusion;
    f64::from(c[0][0] + c[1][1]) / f64::from(c[0][0] + c[0][1] + c[1][0] + c[1][1]).max(1.0)
}

/// Runs every set in one mode, prints the per-movement table and returns the overall tally.
fn evaluate(root: &Path, mode: Mode, counting: Counting) -> Tally {
    let mut rows = Vec::new();
    let mut all = Tally::default();
    // Development subjects s01–s02 and the held-out subject s03 (the rules were developed
    // looking at s01–s02; s03 checks that they carry over).
    let mut by_group = [Tally::default(), Tally::default()];
    for (m, exercise) in MOVEMENTS {
        for sensor in [Sensor::Kinect, Sensor::Vicon] {
            let mut t = Tally::default();
            for subject in 1..=3 {
                let mut calibration = None;
                for correct in [true, false] {
                    let Some(set) = load_set(root, m, subject, sensor, correct) else { continue };
                    if correct && mode != Mode::SelfCalibrated {
                        let mut reference = Set { texts: set.texts.clone(), ..set.clone() };
                        if mode == Mode::FirstFive {
                            let per_rep = reference.texts.len() / 10;
                            reference.texts.truncate(5 * per_rep);
                            reference.boundaries.truncate(6);
                        }
                        // A reference is a whole supervised set, stored as such: offline.
                        calibration =
                            run(&reference, exercise, None, Counting::Offline).calibration;
                    }
                    let o = run(&set, exercise, calibration, counting);
                    let g = &mut by_group[usize::from(subject == 3)];
                    for t in [&mut t, g] {
                        t.sets += 1;
                        match o.count.abs_diff(10) {
                            0 => t.exact += 1,
                            1 => t.off_by_one += 1,
                            _ => t.worse += 1,
                        }
                        for &l in &o.labels {
                            t.confusion[correct as usize][l as usize] += 1;
                        }
                    }
                    if o.count.abs_diff(10) > 1 {
                        eprintln!(
                            "m{m:02} s{subject:02} {sensor:?} correct={correct}: {} reps",
                            o.count
                        );
                    }
                    by_group[usize::from(subject == 3)]
                        .boundary_errors
                        .extend(o.boundary_errors.iter().copied());
                    t.boundary_errors.extend(o.boundary_errors);
                    if std::env::var("ACCURACY_VERBOSE").is_ok() {
                        eprintln!(
                            "m{m:02} s{subject:02} {sensor:?} correct={correct}: {:?}",
                            o.errors
                        );
                    }
                    t.peaks.extend(o.peaks.into_iter().map(|p| (correct, p)));
                }
            }
            if t.sets == 0 {
                continue;
            }
            rows.push(row(m, exercise, sensor, &t));
            all.sets += t.sets;
            all.exact += t.exact;
            all.off_by_one += t.off_by_one;
            all.worse += t.worse;
            all.boundary_errors.extend(t.boundary_errors.iter().copied());
            for i in 0..2 {
                for j in 0..2 {
                    all.confusion[i][j] += t.confusion[i][j];
                }
            }
        }
    }
    println!(
        "\n{} ({counting:?} counting)\n",
        match mode {
            Mode::SelfCalibrated => "Self-calibrated (default settings):",
            Mode::Reference => "Calibrated to the person's correct set:",
            Mode::FirstFive =>
                "Calibrated to the first five repetitions of the person's correct set:",
        }
    );
    println!(
        "| movement | sensor | sets | count exact | off by 1 | off by >1 | median boundary error (s) | labels agree | truth C→pred C/I | truth I→pred C/I | peak (correct) | peak (incorrect) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    for r in &rows {
        println!("{r}");
    }
    println!("{}", row(0, "all", Sensor::Kinect, &all).replace("| Kinect |", "| both |"));
    for (name, t) in [("s01–s02 (development)", &by_group[0]), ("s03 (held out)", &by_group[1])] {
        println!("{}", row(0, name, Sensor::Kinect, t).replace("| Kinect |", "| both |"));
    }
    assert!(all.sets > 0);
    all
}

fn median(xs: &[f64]) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() { f64::NAN } else { v[v.len() / 2] }
}

fn range(peaks: &[(bool, f32)], correct: bool) -> String {
    let v: Vec<f32> = peaks.iter().filter(|p| p.0 == correct).map(|p| p.1).collect();
    if v.is_empty() {
        return "–".into();
    }
    let lo = v.iter().copied().fold(f32::INFINITY, f32::min);
    let hi = v.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    format!("{lo:.0}–{hi:.0}")
}

fn row(m: u32, exercise: &str, sensor: Sensor, t: &Tally) -> String {
    let c = t.confusion;
    let total = c[0][0] + c[0][1] + c[1][0] + c[1][1];
    let agree =
        if total > 0 { 100.0 * (c[0][0] + c[1][1]) as f64 / total as f64 } else { f64::NAN };
    let name = if m > 0 { format!("m{m:02} {exercise}") } else { exercise.to_owned() };
    format!(
        "| {name} | {sensor:?} | {} | {} | {} | {} | {:.2} | {agree:.0} % | {}/{} | {}/{} | {} | {} |",
        t.sets,
        t.exact,
        t.off_by_one,
        t.worse,
        median(&t.boundary_errors),
        c[1][1],
        c[1][0],
        c[0][1],
        c[0][0],
        range(&t.peaks, true),
        range(&t.peaks, false),
    )
}

/// Tempo bounds against measured repetitions: every repetition of the shared correct sets, live,
/// lasts at least its exercise's `min_rep_s` (so none of them is called too fast), and the
/// table of docs/motion-accuracy.md ("Tempo") is printed.
#[test]
fn no_correct_repetition_is_called_too_fast() {
    let Some(root) = root() else { return };
    println!(
        "\n| exercise | min_rep_s | reps measured | shortest (s) | median (s) | longest (s) | correct reps called too fast |"
    );
    println!("|---|---|---|---|---|---|---|");
    let mut flagged = Vec::new();
    for (m, exercise) in MOVEMENTS {
        let spec = exercises::find(exercise).expect("known exercise");
        let mut durations = Vec::new();
        let mut too_fast = 0;
        for sensor in [Sensor::Kinect, Sensor::Vicon] {
            for subject in 1..=3 {
                for correct in [true, false] {
                    let Some(set) = load_set(&root, m, subject, sensor, correct) else { continue };
                    let rec = set.recording();
                    let a =
                        analyze_with(exercise, &rec.frames, TrackerConfig::DEFAULT, Counting::Live)
                            .expect("measurable");
                    for r in &a.reps {
                        durations.push(r.duration_s);
                        let fast = r.errors.contains(physio_motion::exercises::FormError::TooFast);
                        if correct && fast {
                            too_fast += 1;
                            flagged.push(format!(
                                "m{m:02} s{subject:02} {sensor:?}: {:.2} s at {:.1} s",
                                r.duration_s, r.motion_start_s
                            ));
                        }
                    }
                }
            }
        }
        durations.sort_by(f64::total_cmp);
        let at = |q: f64| durations[((durations.len() - 1) as f64 * q) as usize];
        println!(
            "| {exercise} | {:.1} | {} | {:.2} | {:.2} | {:.2} | {too_fast} |",
            spec.min_rep_s,
            durations.len(),
            at(0.0),
            at(0.5),
            at(1.0)
        );
    }
    assert!(flagged.is_empty(), "correct repetitions called too fast: {flagged:?}");
}

/// The figures each exercise declares (`exercises::validation`, shown in `physio analyze
/// --list` and the exercise library) are the ones measured here, live and self-calibrated as a
/// patient is counted (agreement: against the person's reference set): a change of the engine
/// that moves them fails until the table says so.
#[test]
fn declared_validation_figures_are_the_measured_ones() {
    let Some(root) = root() else { return };
    let mut wrong = Vec::new();
    for (m, exercise) in MOVEMENTS {
        let (mut sets, mut exact, mut off_by_one) = (0, 0, 0);
        let mut boundaries = Vec::new();
        let mut confusion = [[0u32; 2]; 2];
        for sensor in [Sensor::Kinect, Sensor::Vicon] {
            for subject in 1..=3 {
                let mut calibration = None;
                for correct in [true, false] {
                    let Some(set) = load_set(&root, m, subject, sensor, correct) else { continue };
                    let o = run(&set, exercise, None, Counting::Live);
                    sets += 1;
                    match o.count.abs_diff(10) {
                        0 => exact += 1,
                        1 => off_by_one += 1,
                        _ => {}
                    }
                    boundaries.extend(o.boundary_errors);
                    if correct {
                        calibration = run(&set, exercise, None, Counting::Offline).calibration;
                    }
                    let judged = run(&set, exercise, calibration, Counting::Live);
                    for l in judged.labels {
                        confusion[usize::from(correct)][usize::from(l)] += 1;
                    }
                }
            }
        }
        let c = confusion;
        let agreement =
            f64::from(c[0][0] + c[1][1]) * 100.0 / f64::from(c[0][0] + c[0][1] + c[1][0] + c[1][1]);
        let measured = (
            sets,
            exact,
            off_by_one,
            format!("{:.2}", median(&boundaries)),
            Some(agreement.round() as u32),
        );
        let v = exercises::find(exercise).expect("known exercise").validation();
        let declared = (
            v.sets,
            v.exact,
            v.off_by_one,
            v.median_boundary_s.map_or("none".into(), |b| format!("{b:.2}")),
            v.label_agreement_pct,
        );
        if measured != declared {
            wrong.push(format!("{exercise}: declared {declared:?}, measured {measured:?}"));
        }
    }
    assert!(wrong.is_empty(), "exercises::validation is out of date:\n{}", wrong.join("\n"));
}
