//! Loading the shared UI-PRMD and KERAAL recordings (gzip text) for the accuracy tests.

use std::io::Read;
use std::path::{Path, PathBuf};

/// The shared data folder, or `None` (after a message) when it is missing outside CI.
pub(crate) fn root() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    if dir.join("ui-prmd").is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("shared data folder {} is missing (required under CI)", dir.display());
    }
    skip(&format!("shared data folder {} not found", dir.display()));
    None
}

/// Says why a test is skipped: on stderr, and as a line `reason<TAB>test` appended to the file
/// `$PHYSIO_SKIP_LOG` names, when set (scripts/test lists those in its summary).
fn skip(reason: &str) {
    eprintln!("skipping: {reason}");
    let Some(log) = std::env::var_os("PHYSIO_SKIP_LOG") else { return };
    let test = std::thread::current().name().unwrap_or("?").to_owned();
    let line = format!("{reason}\t{}: {test}\n", env!("CARGO_PKG_NAME"));
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log)
        .unwrap_or_else(|e| panic!("PHYSIO_SKIP_LOG={}: {e}", log.display()));
    std::io::Write::write_all(&mut file, line.as_bytes()).expect("write PHYSIO_SKIP_LOG");
}

pub(crate) fn gunzip(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut s = String::new();
    flate2::read::GzDecoder::new(file)
        .read_to_string(&mut s)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    s
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sensor {
    Kinect,
    Vicon,
}

#[allow(dead_code, reason = "identifying fields kept for debugging output")]
#[derive(Clone)]
/// One 10-repetition set: the texts in `parse` order and the truth boundaries (frame indices).
pub(crate) struct Set {
    pub(crate) movement: u32,
    pub(crate) subject: u32,
    pub(crate) sensor: Sensor,
    pub(crate) correct: bool,
    pub(crate) texts: Vec<String>,
    /// Frame index of the start of each repetition, plus the total frame count at the end.
    pub(crate) boundaries: Vec<usize>,
}

impl Set {
    /// The set parsed as one recording.
    pub(crate) fn recording(&self) -> physio_motion::Recording {
        let texts: Vec<&str> = self.texts.iter().map(String::as_str).collect();
        let format = match self.sensor {
            Sensor::Kinect => physio_motion::Format::UiprmdKinect,
            Sensor::Vicon => physio_motion::Format::UiprmdVicon,
        };
        physio_motion::parse(format, &texts).expect("shared data parses")
    }
}

/// Loads a set, or `None` when its files are not in the subset.
pub(crate) fn load_set(
    root: &Path,
    movement: u32,
    subject: u32,
    sensor: Sensor,
    correct: bool,
) -> Option<Set> {
    let label = if correct { "correct" } else { "incorrect" };
    let suffix = if correct { "" } else { "_inc" };
    let sensor_dir = if sensor == Sensor::Kinect { "kinect" } else { "vicon" };
    let base = root.join("ui-prmd").join(label).join(sensor_dir);
    let mut texts = Vec::new();
    let mut boundaries = vec![0];
    for e in 1..=10 {
        let name =
            |kind: &str| format!("m{movement:02}_s{subject:02}_e{e:02}_{kind}{suffix}.txt.gz");
        let pos = base.join("positions").join(name("positions"));
        if !pos.is_file() {
            return None;
        }
        let p = gunzip(&pos);
        let rows = p.lines().filter(|l| !l.trim().is_empty()).count();
        texts.push(p);
        if sensor == Sensor::Kinect {
            texts.push(gunzip(&base.join("angles").join(name("angles"))));
        }
        boundaries.push(boundaries.last().copied().unwrap_or(0) + rows);
    }
    Some(Set { movement, subject, sensor, correct, texts, boundaries })
}
