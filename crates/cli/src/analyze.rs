//! `physio analyze`: read recordings (plain or gzip), run the motion engine over them as one
//! continuous take, print the analysis as JSON.

use std::{io::Read, path::PathBuf};

use anyhow::Result;
use physio_motion::tracker::{Calibration, TrackerConfig};
use physio_motion::{Format, Mode};

use crate::BadInput;

/// Reads a file, un-gzipping it when it starts with the gzip magic bytes.
fn read_text(path: &PathBuf) -> Result<String, BadInput> {
    let bytes = std::fs::read(path).map_err(|e| BadInput(format!("{}: {e}", path.display())))?;
    let bytes = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .map_err(|e| BadInput(format!("{}: not a readable gzip file: {e}", path.display())))?;
        out
    } else {
        bytes
    };
    String::from_utf8(bytes).map_err(|_| BadInput(format!("{}: not UTF-8 text", path.display())))
}

/// Lists the exercises as JSON lines: id, view and primary signal.
pub(crate) fn list() -> Result<String> {
    let mut out = String::new();
    for e in physio_motion::exercises() {
        out.push_str(&serde_json::to_string(&e)?);
        out.push('\n');
    }
    Ok(out)
}

/// `--mode`: how the recording is counted.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub(crate) enum ModeArg {
    /// Frame by frame through the live tracker.
    Live,
    /// With the whole recording at hand.
    Offline,
}

impl From<ModeArg> for Mode {
    fn from(m: ModeArg) -> Mode {
        match m {
            ModeArg::Live => Mode::Live,
            ModeArg::Offline => Mode::Offline,
        }
    }
}

/// Analyses `files`; with `reference` files, judges the repetitions against the calibration
/// that the reference recording gives (printed as `calibration`). A reference is always
/// analysed offline: it is a whole supervised set, as a clinic stores it.
pub(crate) fn run(
    exercise: &str,
    format: &str,
    files: &[PathBuf],
    reference: &[PathBuf],
    mode: ModeArg,
) -> Result<String> {
    let Some(spec) = physio_motion::exercises::find(exercise) else {
        let ids: Vec<&str> = physio_motion::exercises().iter().map(|e| e.id).collect();
        let msg = format!("unknown exercise {exercise:?}; expected one of {}", ids.join(", "));
        return Err(BadInput(msg).into());
    };
    let calibration = if reference.is_empty() {
        None
    } else {
        let rec = read_recording(format, reference)?;
        let a = physio_motion::analyze(exercise, &rec.frames)
            .map_err(|e| BadInput(format!("the reference recording: {e}")))?;
        let c = Calibration::from_reps(
            spec.direction,
            a.reps.iter().map(|r| (r.peak_deg, r.rom_deg, r.checks, r.bands)),
        );
        let Some(c) = c else {
            let msg =
                "the reference recording has no repetition of this exercise to calibrate with";
            return Err(BadInput(msg.into()).into());
        };
        Some(c)
    };
    let recording = read_recording(format, files)?;
    let config = TrackerConfig { calibration, ..TrackerConfig::DEFAULT };
    let analysis =
        physio_motion::analysis::analyze_with(exercise, &recording.frames, config, mode.into())
            .map_err(|e| BadInput(e.to_string()))?;
    for w in &analysis.warnings {
        eprintln!("warning: {}", w.message);
    }
    let mut out = serde_json::to_value(&analysis)?;
    if let (Some(c), Some(obj)) = (calibration, out.as_object_mut()) {
        obj.insert("calibration".into(), serde_json::to_value(c)?);
    }
    // Rotation about the vertical needs depth; image landmarks carry only a rough guess of it,
    // so the numbers stand, flagged, rather than being refused.
    if spec.needs_depth
        && recording.space != physio_motion::skeleton::Space::World
        && let Some(obj) = out.as_object_mut()
    {
        let message = format!(
            "{exercise} needs depth (3-D landmarks: Kinect, Vicon or BlazePose world \
             landmarks); these image landmarks measure it only roughly, so its counts and angles \
             are unreliable"
        );
        eprintln!("warning: {message}");
        let warning = serde_json::json!({"code": "needs_depth", "joints": [], "frames": 0, "message": message});
        if let Some(serde_json::Value::Array(list)) = obj.get_mut("warnings") {
            list.push(warning);
        }
    }
    Ok(serde_json::to_string_pretty(&out)?)
}

/// `physio convert`: a 3-D recording rewritten in the live format, for replaying it through the
/// camera page.
pub(crate) fn convert(format: &str, to: &str, files: &[PathBuf]) -> Result<String> {
    if to != "blazepose-json" {
        let msg = format!("unknown output format {to:?}; only blazepose-json is written");
        return Err(BadInput(msg).into());
    }
    let recording = read_recording(format, files)?;
    if recording.space != physio_motion::skeleton::Space::World {
        let msg = "convert needs a 3-D recording (Kinect, Vicon or BlazePose world landmarks)";
        return Err(BadInput(msg.into()).into());
    }
    Ok(physio_motion::formats::blazepose::to_json_lines(&recording))
}

/// Reads files of one format, in order, as one recording.
fn read_recording(format: &str, files: &[PathBuf]) -> Result<physio_motion::Recording> {
    let format: Format = format.parse().map_err(BadInput)?;
    if files.is_empty() {
        return Err(BadInput("give at least one recording file".into()).into());
    }
    // Each file contributes its texts in order; for paired formats (UI-PRMD Kinect) the
    // companion file is found by name.
    let mut paths: Vec<PathBuf> = Vec::new();
    for f in files {
        paths.push(f.clone());
        if format.texts_per_file() == 2 {
            let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let companion = format.companion_name(name).ok_or_else(|| {
                let msg = format!(
                    "{}: expected a positions file (name containing _positions)",
                    f.display()
                );
                BadInput(msg)
            })?;
            // Next to the positions file, or in a sibling `angles` folder (UI-PRMD's layout).
            let beside = f.with_file_name(&companion);
            let sibling =
                f.parent().and_then(|d| d.parent()).map(|d| d.join("angles").join(&companion));
            let found = [Some(beside), sibling].into_iter().flatten().find(|p| p.exists());
            paths.push(found.ok_or_else(|| {
                let msg = format!(
                    "{}: no matching angles file {companion} beside it or in ../angles",
                    f.display()
                );
                BadInput(msg)
            })?);
        }
    }
    let texts = paths.iter().map(read_text).collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    physio_motion::parse(format, &refs).map_err(|e| {
        let file =
            paths.get(e.text).map_or_else(|| "input".to_owned(), |p| p.display().to_string());
        BadInput(format!("{file}: line {}: {}", e.line, e.message)).into()
    })
}
