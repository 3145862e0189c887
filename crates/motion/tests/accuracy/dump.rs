//! Developer aid: with `ACCURACY_DUMP=<dir>`, writes the conditioned channels of every set as
//! CSV (one file per set, plus the truth boundaries) for offline exploration.

use std::fmt::Write as _;

use physio_motion::filter::{Conditioner, FilterConfig};
use physio_motion::kinematics::{Channel, angles};

use crate::data::{Sensor, load_set, root};

#[test]
fn dump_channels() {
    let Ok(dir) = std::env::var("ACCURACY_DUMP") else { return };
    let Some(root) = root() else { return };
    for m in [1, 5, 7, 8, 9, 10] {
        for sensor in [Sensor::Kinect, Sensor::Vicon] {
            for subject in 1..=3 {
                for correct in [true, false] {
                    let Some(set) = load_set(&root, m, subject, sensor, correct) else { continue };
                    let rec = set.recording();
                    let mut c = Conditioner::new(FilterConfig::DEFAULT);
                    let mut out = String::from("t");
                    for ch in Channel::ALL {
                        write!(out, ",{ch:?}").unwrap();
                    }
                    out.push('\n');
                    for f in &rec.frames {
                        let Some((g, _)) = c.push(f) else { continue };
                        let a = angles(g);
                        write!(out, "{:.4}", g.t).unwrap();
                        for v in a.values {
                            write!(out, ",{v:.2}").unwrap();
                        }
                        out.push('\n');
                    }
                    let name = format!(
                        "{dir}/m{m:02}_s{subject:02}_{}_{}",
                        if sensor == Sensor::Kinect { "K" } else { "V" },
                        if correct { "c" } else { "i" }
                    );
                    std::fs::write(format!("{name}.csv"), out).unwrap();
                    let b: Vec<String> = set
                        .boundaries
                        .iter()
                        .map(|&i| format!("{:.4}", i as f64 / rec.fps))
                        .collect();
                    std::fs::write(format!("{name}.b"), b.join(",")).unwrap();
                }
            }
        }
    }
}

/// Developer aid: with `ACCURACY_REPS=m08` (a movement), prints the detected repetitions of
/// every set of that movement next to the truth boundaries.
#[test]
fn print_reps() {
    let Ok(which) = std::env::var("ACCURACY_REPS") else { return };
    let Some(root) = root() else { return };
    let (m, exercise) = crate::MOVEMENTS
        .iter()
        .find(|(m, _)| format!("m{m:02}") == which)
        .copied()
        .expect("movement");
    for sensor in [Sensor::Kinect, Sensor::Vicon] {
        for subject in 1..=3 {
            for correct in [true, false] {
                let Some(set) = load_set(&root, m, subject, sensor, correct) else { continue };
                let rec = set.recording();
                let a = physio_motion::analyze(exercise, &rec.frames).expect("exercise");
                let b: Vec<String> =
                    set.boundaries.iter().map(|&i| format!("{:.1}", i as f64 / rec.fps)).collect();
                println!(
                    "m{m:02} s{subject:02} {sensor:?} correct={correct}: truth {}",
                    b.join(" ")
                );
                for r in &a.reps {
                    println!(
                        "  {:6.2}-{:6.2} (motion {:6.2}-{:6.2}) peak {:6.1} rom {:5.1} {} {:?}",
                        r.start_s,
                        r.end_s,
                        r.motion_start_s,
                        r.motion_end_s,
                        r.peak_deg,
                        r.rom_deg,
                        if r.correct { "C" } else { "I" },
                        r.errors.iter().map(|e| e.name()).collect::<Vec<_>>()
                    );
                }
            }
        }
    }
}
