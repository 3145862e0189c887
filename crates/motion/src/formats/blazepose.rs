//! BlazePose (MediaPipe Pose, 33 landmarks) importers: our JSON Lines live-stream format
//! (docs/motion-formats.md) and the KERAAL JSON export.

use serde::Deserialize;

use crate::formats::ParseError;
use crate::geom::V3;
use crate::skeleton::{Frame, Joint, Space};

/// Number of BlazePose landmarks.
pub const LANDMARKS: usize = 33;

/// MediaPipe landmark index of each common joint that BlazePose observes.
const MAP: [(Joint, usize); 17] = [
    (Joint::Head, 0),
    (Joint::LeftEar, 7),
    (Joint::RightEar, 8),
    (Joint::LeftShoulder, 11),
    (Joint::RightShoulder, 12),
    (Joint::LeftElbow, 13),
    (Joint::RightElbow, 14),
    (Joint::LeftWrist, 15),
    (Joint::RightWrist, 16),
    (Joint::LeftHip, 23),
    (Joint::RightHip, 24),
    (Joint::LeftKnee, 25),
    (Joint::RightKnee, 26),
    (Joint::LeftAnkle, 27),
    (Joint::RightAnkle, 28),
    (Joint::LeftFoot, 31),
    (Joint::RightFoot, 32),
];

/// MediaPipe landmark names in index order (as written by the KERAAL export).
const NAMES: [&str; LANDMARKS] = [
    "Nose",
    "Left_eye_inner",
    "Left_eye",
    "Left_eye_outer",
    "Right_eye_inner",
    "Right_eye",
    "Right_eye_outer",
    "Left_ear",
    "Right_ear",
    "Mouth_left",
    "Mouth_right",
    "Left_shoulder",
    "Right_shoulder",
    "Left_elbow",
    "Right_elbow",
    "Left_wrist",
    "Right_wrist",
    "Left_pinky",
    "Right_pinky",
    "Left_index",
    "Right_index",
    "Left_thumb",
    "Right_thumb",
    "Left_hip",
    "Right_hip",
    "Left_knee",
    "Right_knee",
    "Left_ankle",
    "Right_ankle",
    "Left_heel",
    "Right_heel",
    "Left_foot_index",
    "Right_foot_index",
];

/// One line of the JSON Lines format: a header (first line only) or a frame.
#[derive(Deserialize)]
struct Line {
    format: Option<String>,
    image_width: Option<f64>,
    image_height: Option<f64>,
    t: Option<f64>,
    landmarks: Option<Vec<Vec<f64>>>,
    world: Option<Vec<Vec<f64>>>,
}

fn json_error(line_offset: usize, e: &serde_json::Error) -> ParseError {
    ParseError::new(line_offset + e.line().max(1), format!("invalid JSON: {e}"))
}

/// Converts 33 landmark rows to a frame. Image landmarks: x·aspect, −y, −z·aspect (image
/// heights, y up); world landmarks: x, −y, −z (metres, y up). Both stay right-handed.
fn landmarks_to_frame(
    t: f64,
    rows: &[Vec<f64>],
    scale_xz: f64,
    line: usize,
    field: &str,
) -> Result<Frame, ParseError> {
    if rows.len() != LANDMARKS {
        return Err(ParseError::new(
            line,
            format!("\"{field}\": expected {LANDMARKS} landmarks, found {}", rows.len()),
        ));
    }
    let mut f = Frame::empty(t);
    for (joint, k) in MAP {
        let r = &rows[k];
        if !(3..=5).contains(&r.len()) {
            return Err(ParseError::new(
                line,
                format!(
                    "\"{field}\" landmark {k}: expected [x, y, z] or [x, y, z, visibility], found {} values",
                    r.len()
                ),
            ));
        }
        let vis = r.get(3).copied().unwrap_or(1.0).clamp(0.0, 1.0);
        let p = V3::new((r[0] * scale_xz) as f32, -r[1] as f32, (-r[2] * scale_xz) as f32);
        f.set(joint, p, vis as f32);
    }
    f.derive_missing();
    Ok(f)
}

/// Decodes one frame line of the live format (a WebSocket message). `aspect` is the image
/// width over height; `space` chooses the image or the world landmarks (world must then be
/// present). `line` is used in errors.
pub fn decode_frame(
    json: &str,
    aspect: f64,
    space: Space,
    line: usize,
) -> Result<Frame, ParseError> {
    let l: Line = serde_json::from_str(json).map_err(|e| json_error(line - 1, &e))?;
    frame_from_line(l, aspect, space, line)
}

fn frame_from_line(l: Line, aspect: f64, space: Space, line: usize) -> Result<Frame, ParseError> {
    let Some(t) = l.t else {
        return Err(ParseError::new(line, "expected a frame with \"t\" (seconds)"));
    };
    if !t.is_finite() || t < 0.0 {
        return Err(ParseError::new(line, "\"t\" must be a non-negative number of seconds"));
    }
    match space {
        Space::World => match &l.world {
            Some(w) => landmarks_to_frame(t, w, 1.0, line, "world"),
            None => Err(ParseError::new(
                line,
                "expected \"world\" landmarks (the first frame had them)",
            )),
        },
        Space::Image => match &l.landmarks {
            Some(w) => landmarks_to_frame(t, w, aspect, line, "landmarks"),
            None => Err(ParseError::new(line, "expected \"landmarks\" (33 image landmarks)")),
        },
    }
}

/// Parses the JSON Lines format. Returns the frames and their space (world when the first
/// frame carries world landmarks).
pub(crate) fn parse_jsonl(text: &str, _fps: f64) -> Result<(Vec<Frame>, Space), ParseError> {
    let mut frames: Vec<Frame> = Vec::new();
    let mut aspect = 1.0;
    let mut space = None;
    let mut first = true;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let l: Line = serde_json::from_str(raw).map_err(|e| json_error(i, &e))?;
        if l.format.is_some() {
            if !first {
                return Err(ParseError::new(
                    line,
                    "a header line is allowed only as the first line",
                ));
            }
            first = false;
            if l.format.as_deref() != Some("physio-blazepose") {
                return Err(ParseError::new(line, "expected \"format\": \"physio-blazepose\""));
            }
            if let (Some(w), Some(h)) = (l.image_width, l.image_height) {
                if !(w > 0.0 && h > 0.0 && w.is_finite() && h.is_finite()) {
                    return Err(ParseError::new(
                        line,
                        "image_width and image_height must be positive",
                    ));
                }
                aspect = w / h;
            }
            continue;
        }
        first = false;
        let s = *space.get_or_insert(if l.world.is_some() { Space::World } else { Space::Image });
        let f = frame_from_line(l, aspect, s, line)?;
        if let Some(prev) = frames.last()
            && f.t <= prev.t
        {
            return Err(ParseError::new(
                line,
                format!("\"t\" must increase: {} after {}", f.t, prev.t),
            ));
        }
        frames.push(f);
    }
    if frames.is_empty() {
        return Err(ParseError::new(1, "empty input: expected at least one frame line"));
    }
    Ok((frames, space.unwrap_or(Space::Image)))
}

/// Parses a KERAAL BlazePose JSON file. Frames are ordered by their numeric key and timed at
/// `fps` (the keys count detected frames, not video frames). The export mirrored the image
/// before pose estimation, so x is flipped back and Left/Right swapped: the result is the
/// real person, right-handed.
pub(crate) fn parse_keraal(text: &str, fps: f64) -> Result<(Vec<Frame>, Space), ParseError> {
    #[derive(Deserialize)]
    struct File {
        positions: std::collections::BTreeMap<String, std::collections::BTreeMap<String, Vec<f64>>>,
    }
    if text.trim().is_empty() {
        return Err(ParseError::new(1, "empty input: expected a JSON object with \"positions\""));
    }
    let file: File = serde_json::from_str(text).map_err(|e| json_error(0, &e))?;
    let mut keyed = Vec::with_capacity(file.positions.len());
    for (key, marks) in file.positions {
        let k: f64 = key.parse().ok().filter(|k: &f64| k.is_finite()).ok_or_else(|| {
            ParseError::new(1, format!("frame key {key:?}: expected a number such as \"1.0\""))
        })?;
        keyed.push((k, key, marks));
    }
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut frames = Vec::with_capacity(keyed.len());
    for (n, (_, key, marks)) in keyed.into_iter().enumerate() {
        let mut rows: Vec<Vec<f64>> = Vec::with_capacity(LANDMARKS);
        for (k, name) in NAMES.iter().enumerate() {
            // Swap sides: the file's "Left_x" is the person's right.
            let swapped = swap_side(name);
            let Some(v) = marks.get(swapped.as_str()) else {
                return Err(ParseError::new(
                    1,
                    format!("frame {key:?}: missing landmark {swapped:?}"),
                ));
            };
            if v.len() != 3 || v.iter().any(|x| !x.is_finite()) {
                return Err(ParseError::new(
                    1,
                    format!("frame {key:?}, {swapped}: expected [x, y, z], found {v:?}"),
                ));
            }
            let _ = k;
            rows.push(vec![1.0 - v[0], v[1], v[2]]);
        }
        frames.push(landmarks_to_frame(n as f64 / fps, &rows, 1.0, 1, "positions")?);
    }
    if frames.is_empty() {
        return Err(ParseError::new(1, "empty input: \"positions\" holds no frames"));
    }
    Ok((frames, Space::Image))
}

fn swap_side(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("Left_") {
        format!("Right_{rest}")
    } else if let Some(rest) = name.strip_prefix("Right_") {
        format!("Left_{rest}")
    } else {
        name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame_line(t: f64) -> String {
        let lm: Vec<String> = (0..33).map(|i| format!("[0.{i:02},0.5,0.1,0.9]")).collect();
        format!("{{\"t\":{t},\"landmarks\":[{}]}}", lm.join(","))
    }

    #[test]
    fn jsonl_parses_and_checks() {
        let header =
            r#"{"format":"physio-blazepose","version":1,"image_width":640,"image_height":480}"#;
        let text = format!("{header}\n{}\n{}\n", frame_line(0.0), frame_line(0.04));
        let (frames, space) = parse_jsonl(&text, 30.0).unwrap();
        assert_eq!((frames.len(), space), (2, Space::Image));
        assert!((frames[0].get(Joint::LeftShoulder).p.x - 0.11 * 640.0 / 480.0).abs() < 1e-5);
        let e =
            parse_jsonl(&format!("{}\n{}\n", frame_line(1.0), frame_line(0.5)), 30.0).unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse_jsonl(&format!("{}\n{{\"t\":1,", frame_line(0.0)), 30.0).unwrap_err();
        assert_eq!(e.line, 2);
        let e =
            parse_jsonl(&format!("{}\n{{\"t\":1,\"landmarks\":[[1,2,3]]}}", frame_line(0.0)), 30.0)
                .unwrap_err();
        assert!(e.message.contains("expected 33 landmarks"), "{e}");
        assert!(parse_jsonl("\n\n", 30.0).is_err());
    }

    #[test]
    fn keraal_unmirrors() {
        let marks: Vec<String> = NAMES
            .iter()
            .map(|n| {
                let x = if n.starts_with("Left") { 0.6 } else { 0.4 };
                format!("\"{n}\": [{x}, 0.5, 0.0]")
            })
            .collect();
        let text = format!(
            "{{\"positions\": {{\"2.0\": {{{m}}}, \"10.0\": {{{m}}}}}}}",
            m = marks.join(",")
        );
        let (frames, _) = parse_keraal(&text, 30.0).unwrap();
        assert_eq!(frames.len(), 2);
        // File "Left" at x = 0.6 is the person's right; un-mirrored to x = 0.4.
        assert!((frames[0].get(Joint::RightShoulder).p.x - 0.4).abs() < 1e-6);
        assert!(parse_keraal("{\"positions\": {\"x\": {}}}", 30.0).is_err());
    }
}
