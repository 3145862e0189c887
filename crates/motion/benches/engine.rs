//! Throughput of the motion engine on one core, per frame: the full analysis
//! (`tracker::Tracker::push`: conditioning filter, kinematics, repetition state, form checks),
//! and, separately, decoding a live message (JSON and the compact binary encoding).
//!
//! The frames are a real recording (UI-PRMD Kinect m07 s01 correct e01–e10, ten takes of
//! shoulder abduction) written in the live format by `to_json_lines` and decoded again with
//! `decode_frame`, so they are exactly what a camera session delivers to the server. When the
//! shared data is missing a synthetic arm raise stands in (the output says which).
//!
//! Run: `cargo bench -p physio-motion --bench engine`. Results: docs/benchmarks.md.

#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_types,
    clippy::disallowed_macros,
    reason = "the benchmark reads the shared recording and reports; the crate itself does no IO (clippy.toml)"
)]

use std::{hint::black_box, io::Read, path::Path};

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use physio_motion::{
    exercises,
    formats::blazepose::{decode_binary_frame, decode_frame, to_json_lines},
    skeleton::{Frame, Space},
    tracker::{Tracker, TrackerConfig},
};

/// The shared data folder, as seen from this crate.
const DATA: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/ui-prmd/correct/kinect");

criterion_group!(benches, engine);
criterion_main!(benches);

fn engine(c: &mut Criterion) {
    let (source, lines) = match recorded_lines() {
        Some(lines) => ("UI-PRMD m07 s01 e01-e10", lines),
        None => ("synthetic (shared data missing)", synthetic_lines()),
    };
    // The live header of `to_json_lines` declares a square image: aspect 1.
    let frames: Vec<Frame> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| decode_frame(l, 1.0, Space::World, i + 1).expect("our own export decodes"))
        .collect();
    let binary: Vec<Vec<u8>> = lines.iter().map(|l| binary_message(l)).collect();
    let spec = exercises::find("shoulder-abduction").expect("a known exercise");
    let n = frames.len() as u64;
    eprintln!("engine bench: {n} frames from {source}");

    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(n));
    // One pass = a fresh tracker (as a new session) fed the whole recording; the tracker's
    // construction is outside the timing.
    g.bench_function("tracker_push", |b| {
        b.iter_batched_ref(
            || Tracker::new(spec, TrackerConfig::DEFAULT),
            |t| {
                let mut events = 0usize;
                for f in &frames {
                    events += t.push(black_box(f)).len();
                }
                events
            },
            BatchSize::SmallInput,
        );
    });
    g.bench_function("decode_json_frame", |b| {
        b.iter(|| {
            for (i, l) in lines.iter().enumerate() {
                let _ = black_box(decode_frame(black_box(l), 1.0, Space::World, i + 1));
            }
        });
    });
    g.bench_function("decode_binary_frame", |b| {
        b.iter(|| {
            for (i, bytes) in binary.iter().enumerate() {
                let _ = black_box(decode_binary_frame(black_box(bytes), 1.0, Space::World, i + 1));
            }
        });
    });
    // What the server's live loop does before `decode_frame`: it parses every text message
    // into a `serde_json::Value` to look for `type` and `format` (crates/server/src/live.rs).
    g.bench_function("server_prescan_json_value", |b| {
        b.iter(|| {
            for l in &lines {
                let _ = black_box(serde_json::from_str::<serde_json::Value>(black_box(l)));
            }
        });
    });
    // The engine's part of one live JSON frame on the server: decode, then analyse.
    g.bench_function("decode_json_and_push", |b| {
        b.iter_batched_ref(
            || Tracker::new(spec, TrackerConfig::DEFAULT),
            |t| {
                let mut events = 0usize;
                for (i, l) in lines.iter().enumerate() {
                    if let Ok(f) = decode_frame(black_box(l), 1.0, Space::World, i + 1) {
                        events += t.push(&f).len();
                    }
                }
                events
            },
            BatchSize::SmallInput,
        );
    });
    g.finish();
}

/// The frame lines (no header) of the ten m07 s01 takes in the live format, or `None` when a
/// file is missing or unreadable.
fn recorded_lines() -> Option<Vec<String>> {
    let dir = Path::new(DATA);
    let mut texts = vec![];
    for e in 1..=10 {
        texts.push(gunzip(&dir.join(format!("positions/m07_s01_e{e:02}_positions.txt.gz")))?);
        texts.push(gunzip(&dir.join(format!("angles/m07_s01_e{e:02}_angles.txt.gz")))?);
    }
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let rec = physio_motion::parse(physio_motion::Format::UiprmdKinect, &texts).ok()?;
    Some(to_json_lines(&rec).lines().skip(1).map(str::to_owned).collect())
}

fn gunzip(path: &Path) -> Option<String> {
    let mut s = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).ok()?).read_to_string(&mut s).ok()?;
    Some(s)
}

/// Twenty slow sideways raises of the right arm in the live format, 30 frames per second,
/// world landmarks in metres (MediaPipe axes: y down).
fn synthetic_lines() -> Vec<String> {
    (0..600)
        .map(|i| {
            let t = f64::from(i) / 30.0;
            let a = (t * std::f64::consts::PI / 3.0).sin().abs() * 1.4;
            let mut w = [[0.0f64, 0.0, 0.0, 0.9]; 33];
            w[0] = [0.0, -0.65, 0.0, 0.9];
            w[7] = [0.07, -0.62, 0.05, 0.9];
            w[8] = [-0.07, -0.62, 0.05, 0.9];
            w[11] = [0.18, -0.45, 0.0, 0.9];
            w[12] = [-0.18, -0.45, 0.0, 0.9];
            w[13] = [0.2, -0.2, 0.0, 0.9];
            w[15] = [0.2, 0.05, 0.0, 0.9];
            w[14] = [-0.18 - 0.28 * a.sin(), -0.45 + 0.28 * a.cos(), 0.0, 0.9];
            w[16] = [-0.18 - 0.55 * a.sin(), -0.45 + 0.55 * a.cos(), 0.0, 0.9];
            w[23] = [0.1, 0.0, 0.0, 0.9];
            w[24] = [-0.1, 0.0, 0.0, 0.9];
            w[25] = [0.1, 0.42, 0.0, 0.9];
            w[26] = [-0.1, 0.42, 0.0, 0.9];
            w[27] = [0.1, 0.84, 0.0, 0.9];
            w[28] = [-0.1, 0.84, 0.0, 0.9];
            w[31] = [0.1, 0.88, -0.12, 0.9];
            w[32] = [-0.1, 0.88, -0.12, 0.9];
            let rows = |scale: f64, shift: f64| {
                w.iter()
                    .map(|r| {
                        let (x, y, z) = (r[0] * scale + shift, r[1] * scale + shift, r[2] * scale);
                        format!("[{x:.4},{y:.4},{z:.4},{}]", r[3])
                    })
                    .collect::<Vec<_>>()
                    .join(",")
            };
            format!(
                "{{\"t\":{t:.4},\"landmarks\":[{}],\"world\":[{}]}}",
                rows(0.4, 0.5),
                rows(1.0, 0.0)
            )
        })
        .collect()
}

/// A JSON frame line in the compact binary encoding (docs/live-sessions.md), image and world
/// landmarks both, as a client sends it for a metric session.
fn binary_message(line: &str) -> Vec<u8> {
    let v: serde_json::Value = serde_json::from_str(line).expect("a frame line");
    let mut b = v["t"].as_f64().expect("t").to_le_bytes().to_vec();
    b.push(1);
    b.push(33);
    for block in ["landmarks", "world"] {
        for row in v[block].as_array().expect("landmark rows") {
            for c in row.as_array().expect("a landmark") {
                b.extend_from_slice(&(c.as_f64().expect("a number") as f32).to_le_bytes());
            }
        }
    }
    b
}
