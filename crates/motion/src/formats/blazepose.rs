//! BlazePose (MediaPipe Pose, 33 landmarks) importers: our JSON Lines live-stream format
//! (docs/motion-formats.md) and the KERAAL JSON export.

use serde::Deserialize;

use crate::formats::ParseError;
use crate::geom::V3;
use crate::skeleton::{Frame, Joint, Recording, Space};

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
    landmarks: Option<Rows>,
    world: Option<Rows>,
}

/// A live frame when its landmarks are wanted in world space: the image block, if sent, is
/// skipped without converting its numbers (a frame is decoded many thousand times a second).
#[derive(Deserialize)]
struct WorldFrame {
    t: Option<f64>,
    world: Option<Rows>,
}

/// A live frame when its landmarks are wanted in image space; any world block is skipped.
#[derive(Deserialize)]
struct ImageFrame {
    t: Option<f64>,
    landmarks: Option<Rows>,
}

/// A block of landmark rows read without allocating: the first `LANDMARKS` rows, each with its
/// first four numbers (x, y, z, visibility). `n` counts every row sent and `lens` every number
/// of each kept row, so that a wrong shape is reported rather than guessed.
#[derive(Clone, Copy)]
struct Rows {
    rows: [[f64; 4]; LANDMARKS],
    lens: [u8; LANDMARKS],
    n: usize,
}

impl Rows {
    const EMPTY: Rows = Rows { rows: [[0.0; 4]; LANDMARKS], lens: [0; LANDMARKS], n: 0 };

    /// Rows from slices (for the importers that build them).
    fn push(&mut self, values: &[f64]) {
        if let Some(row) = self.rows.get_mut(self.n) {
            for (r, v) in row.iter_mut().zip(values) {
                *r = *v;
            }
            self.lens[self.n] = values.len().min(usize::from(u8::MAX)) as u8;
        }
        self.n += 1;
    }
}

impl<'de> Deserialize<'de> for Rows {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Rows, D::Error> {
        struct Block;
        impl<'de> serde::de::Visitor<'de> for Block {
            type Value = Rows;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array of landmarks")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Rows, A::Error> {
                let mut out = Rows::EMPTY;
                while out.n < LANDMARKS {
                    let Some(Row(values, len)) = seq.next_element()? else { return Ok(out) };
                    out.rows[out.n] = values;
                    out.lens[out.n] = len;
                    out.n += 1;
                }
                // Too many rows: count them for the error, without reading their numbers.
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    out.n += 1;
                }
                Ok(out)
            }
        }
        d.deserialize_seq(Block)
    }
}

/// One landmark row: its first four numbers, and how many it had (saturating).
struct Row([f64; 4], u8);

impl<'de> Deserialize<'de> for Row {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Row, D::Error> {
        struct Numbers;
        impl<'de> serde::de::Visitor<'de> for Numbers {
            type Value = Row;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a landmark [x, y, z] or [x, y, z, visibility]")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Row, A::Error> {
                let mut row = Row([0.0; 4], 0);
                while let Some(v) = seq.next_element::<f64>()? {
                    if let Some(slot) = row.0.get_mut(usize::from(row.1)) {
                        *slot = v;
                    }
                    row.1 = row.1.saturating_add(1);
                }
                Ok(row)
            }
        }
        d.deserialize_seq(Numbers)
    }
}

fn json_error(line_offset: usize, e: &serde_json::Error) -> ParseError {
    ParseError::new(line_offset + e.line().max(1), format!("invalid JSON: {e}"))
}

/// Converts 33 landmark rows to a frame. Image landmarks: x·aspect, −y, −z·aspect (image
/// heights, y up); world landmarks: x, −y, −z (metres, y up). Both stay right-handed.
fn landmarks_to_frame(
    t: f64,
    rows: &Rows,
    scale_xz: f64,
    line: usize,
    field: &str,
) -> Result<Frame, ParseError> {
    if rows.n != LANDMARKS {
        return Err(ParseError::new(
            line,
            format!("\"{field}\": expected {LANDMARKS} landmarks, found {}", rows.n),
        ));
    }
    let mut f = Frame::empty(t);
    for (joint, k) in MAP {
        let (r, len) = (&rows.rows[k], rows.lens[k]);
        if !(3..=5).contains(&len) {
            let found = if len == u8::MAX { "255 or more".to_owned() } else { len.to_string() };
            return Err(ParseError::new(
                line,
                format!(
                    "\"{field}\" landmark {k}: expected [x, y, z] or [x, y, z, visibility], found {found} values"
                ),
            ));
        }
        let vis = if len >= 4 { r[3] } else { 1.0 }.clamp(0.0, 1.0);
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
    let offset = line.saturating_sub(1);
    let (t, rows) = match space {
        Space::World => {
            let f: WorldFrame = serde_json::from_str(json).map_err(|e| json_error(offset, &e))?;
            (f.t, f.world)
        }
        Space::Image => {
            let f: ImageFrame = serde_json::from_str(json).map_err(|e| json_error(offset, &e))?;
            (f.t, f.landmarks)
        }
    };
    frame_of(t, rows.as_ref(), aspect, space, line)
}

fn frame_from_line(l: Line, aspect: f64, space: Space, line: usize) -> Result<Frame, ParseError> {
    let rows = match space {
        Space::World => l.world,
        Space::Image => l.landmarks,
    };
    frame_of(l.t, rows.as_ref(), aspect, space, line)
}

/// A frame from its time and the landmark block of its space.
fn frame_of(
    t: Option<f64>,
    rows: Option<&Rows>,
    aspect: f64,
    space: Space,
    line: usize,
) -> Result<Frame, ParseError> {
    let Some(t) = t else {
        return Err(ParseError::new(line, "expected a frame with \"t\" (seconds)"));
    };
    if !t.is_finite() || t < 0.0 {
        return Err(ParseError::new(line, "\"t\" must be a non-negative number of seconds"));
    }
    match (space, rows) {
        (Space::World, Some(w)) => landmarks_to_frame(t, w, 1.0, line, "world"),
        (Space::World, None) => {
            Err(ParseError::new(line, "expected \"world\" landmarks (the first frame had them)"))
        }
        (Space::Image, Some(w)) => landmarks_to_frame(t, w, aspect, line, "landmarks"),
        (Space::Image, None) => {
            Err(ParseError::new(line, "expected \"landmarks\" (33 image landmarks)"))
        }
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
        let mut rows = Rows::EMPTY;
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
            rows.push(&[1.0 - v[0], v[1], v[2]]);
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
    fn live_frames_read_only_their_space_and_name_a_wrong_shape() {
        let rows = |n: usize, row: &str| vec![row; n].join(",");
        let world = |block: &str| {
            format!(
                "{{\"t\":1.5,\"landmarks\":{block},\"world\":[{}]}}",
                rows(33, "[0.1,-0.5,0.2,0.8]")
            )
        };
        // World space skips the image block unread, whatever it holds.
        let f = decode_frame(&world("\"not read\""), 1.0, Space::World, 7).unwrap();
        assert_eq!(f.t, 1.5);
        let p = f.get(Joint::LeftShoulder);
        assert!(
            (p.p.x - 0.1).abs() < 1e-6 && (p.p.y - 0.5).abs() < 1e-6 && (p.p.z + 0.2).abs() < 1e-6
        );
        assert!((p.conf - 0.8).abs() < 1e-6);
        // Image space reads it, and says what is wrong with it.
        let e = decode_frame(&world("\"not read\""), 1.0, Space::Image, 7).unwrap_err();
        assert_eq!(e.line, 7);
        let cases = [
            (format!("[{}]", rows(34, "[1,2,3]")), "expected 33 landmarks, found 34"),
            (format!("[{}]", rows(32, "[1,2,3]")), "expected 33 landmarks, found 32"),
            (
                format!("[{}]", rows(33, "[1,2]")),
                "landmark 0: expected [x, y, z] or [x, y, z, visibility], found 2 values",
            ),
            (format!("[{}]", rows(33, "[1,2,3,4,5,6]")), "found 6 values"),
            (format!("[{}]", rows(33, "[1,\"2\",3]")), "invalid type: string"),
        ];
        for (block, message) in cases {
            let e = decode_frame(&world(&block), 1.0, Space::Image, 3).unwrap_err();
            assert!(e.message.contains(message), "{block}: {e}");
        }
        // Four numbers keep the visibility; three mean fully visible.
        let f =
            decode_frame(&world(&format!("[{}]", rows(33, "[0.5,0.5,0]"))), 2.0, Space::Image, 1)
                .unwrap();
        assert_eq!(f.get(Joint::LeftShoulder).conf, 1.0);
        assert!((f.get(Joint::LeftShoulder).p.x - 1.0).abs() < 1e-6, "x is scaled by the aspect");
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

/// Stand-ins for the landmarks our skeleton does not carry (eyes, mouth, hands, heels), so an
/// exported frame has all 33; they are written with visibility 0.
const FILL: [(usize, Joint); 16] = [
    (1, Joint::Head),
    (2, Joint::Head),
    (3, Joint::Head),
    (4, Joint::Head),
    (5, Joint::Head),
    (6, Joint::Head),
    (9, Joint::Head),
    (10, Joint::Head),
    (17, Joint::LeftWrist),
    (18, Joint::RightWrist),
    (19, Joint::LeftWrist),
    (20, Joint::RightWrist),
    (21, Joint::LeftWrist),
    (22, Joint::RightWrist),
    (29, Joint::LeftAnkle),
    (30, Joint::RightAnkle),
];

/// Writes a metric 3-D recording in the live format (`blazepose-json`, JSON Lines), so a
/// motion-capture take can be replayed through the same path as a camera: `world` holds the
/// joints hip-centred in MediaPipe's axes, `landmarks` a front-view projection for drawing.
pub fn to_json_lines(rec: &Recording) -> String {
    let mut out = String::from(
        "{\"format\":\"physio-blazepose\",\"version\":1,\"image_width\":1000,\"image_height\":1000}\n",
    );
    for f in &rec.frames {
        out.push_str(&encode_frame(f));
        out.push('\n');
    }
    out
}

/// One frame as a live-format message; see `to_json_lines`.
pub fn encode_frame(f: &Frame) -> String {
    let hips = [f.get(Joint::LeftHip), f.get(Joint::RightHip)];
    let centre = if hips.iter().all(|h| h.conf > 0.0) {
        V3::new(
            (hips[0].p.x + hips[1].p.x) / 2.0,
            (hips[0].p.y + hips[1].p.y) / 2.0,
            (hips[0].p.z + hips[1].p.z) / 2.0,
        )
    } else {
        f.get(Joint::Pelvis).p
    };
    let mut world = [[0.0f32; 4]; LANDMARKS];
    let mut place = |k: usize, j: Joint, known: bool| {
        let pt = f.get(j);
        let d = V3::new(pt.p.x - centre.x, pt.p.y - centre.y, pt.p.z - centre.z);
        // MediaPipe world axes: y down, z towards the camera's far side: the inverse of import.
        world[k] = [d.x, -d.y, -d.z, if known { pt.conf } else { 0.0 }];
    };
    for (j, k) in MAP {
        place(k, j, true);
    }
    for (k, j) in FILL {
        place(k, j, false);
    }
    let num = |v: f32| if v.is_finite() { format!("{:.4}", v) } else { "0".to_owned() };
    let row = |r: &[f32; 4]| format!("[{},{},{},{}]", num(r[0]), num(r[1]), num(r[2]), num(r[3]));
    // A 2.5 m tall window centred on the hips, seen from the front, for drawing only.
    let image = world.map(|r| [0.5 + r[0] / 2.5, 0.5 + r[1] / 2.5, r[2] / 2.5, r[3]]);
    format!(
        "{{\"t\":{:.4},\"landmarks\":[{}],\"world\":[{}]}}",
        f.t,
        image.iter().map(row).collect::<Vec<_>>().join(","),
        world.iter().map(row).collect::<Vec<_>>().join(",")
    )
}

#[cfg(test)]
mod export_tests {
    use super::*;
    use crate::skeleton::Recording;

    #[test]
    fn exported_frames_decode_to_the_same_joints() {
        let mut f = Frame::empty(1.5);
        for (i, (j, _)) in MAP.iter().enumerate() {
            f.set(*j, V3::new(i as f32 * 0.1, 1.0 + i as f32 * 0.05, -0.2 * i as f32), 1.0);
        }
        let rec = Recording { frames: vec![f], space: Space::World, fps: 30.0 };
        let text = to_json_lines(&rec);
        let line = text.lines().nth(1).unwrap();
        let back = decode_frame(line, 1.0, Space::World, 2).unwrap();
        assert!((back.t - 1.5).abs() < 1e-9);
        let centre_y = (f.get(Joint::LeftHip).p.y + f.get(Joint::RightHip).p.y) / 2.0;
        for (j, _) in MAP {
            let (a, b) = (f.get(j).p, back.get(j).p);
            assert!(
                (a.x - (b.x + (f.get(Joint::LeftHip).p.x + f.get(Joint::RightHip).p.x) / 2.0))
                    .abs()
                    < 1e-3,
                "{j:?} x"
            );
            assert!((a.y - (b.y + centre_y)).abs() < 1e-3, "{j:?} y");
        }
    }
}

/// Decodes one frame of the compact binary live encoding (docs/live-sessions.md): f64 `t`, a
/// flags byte (bit 0: world landmarks follow), a landmark count byte (33), then 4 × f32 per
/// landmark, all little-endian. `space` picks image or world landmarks as in `decode_frame`.
pub fn decode_binary_frame(
    bytes: &[u8],
    aspect: f64,
    space: Space,
    line: usize,
) -> Result<Frame, ParseError> {
    let err = |m: String| Err(ParseError::new(line, m));
    if bytes.len() < 10 {
        return err(format!(
            "binary frame of {} bytes is shorter than its 10-byte head",
            bytes.len()
        ));
    }
    let t = f64::from_le_bytes(bytes[0..8].try_into().unwrap_or_default());
    let (flags, n) = (bytes[8], usize::from(bytes[9]));
    if n != LANDMARKS {
        return err(format!("expected {LANDMARKS} landmarks, found {n}"));
    }
    let has_world = flags & 1 == 1;
    let want = 10 + n * 16 * if has_world { 2 } else { 1 };
    if bytes.len() != want {
        return err(format!("binary frame should be {want} bytes, found {}", bytes.len()));
    }
    if !t.is_finite() || t < 0.0 {
        return err("\"t\" must be a non-negative number of seconds".into());
    }
    let block = match space {
        Space::Image => 0,
        Space::World if has_world => 1,
        Space::World => return err("expected world landmarks (the first frame had them)".into()),
    };
    let mut rows = [[0.0f64; 4]; LANDMARKS];
    for (k, row) in rows.iter_mut().enumerate() {
        for (c, v) in row.iter_mut().enumerate() {
            let at = 10 + (block * n + k) * 16 + c * 4;
            let x = f32::from_le_bytes(bytes[at..at + 4].try_into().unwrap_or_default());
            if !x.is_finite() {
                return err(format!("landmark {k} holds a value that is not a finite number"));
            }
            *v = f64::from(x);
        }
    }
    let scale = if block == 0 { aspect } else { 1.0 };
    let mut f = Frame::empty(t);
    for (joint, k) in MAP {
        let r = rows[k];
        let p = V3::new((r[0] * scale) as f32, -r[1] as f32, (-r[2] * scale) as f32);
        f.set(joint, p, r[3].clamp(0.0, 1.0) as f32);
    }
    f.derive_missing();
    Ok(f)
}

/// Whether the first bytes of a binary frame announce world landmarks.
pub fn binary_frame_has_world(bytes: &[u8]) -> bool {
    bytes.get(8).is_some_and(|f| f & 1 == 1)
}

#[cfg(test)]
mod binary_tests {
    use super::*;

    fn encode(t: f64, rows: &[[f32; 4]], world: Option<&[[f32; 4]]>) -> Vec<u8> {
        let mut b = t.to_le_bytes().to_vec();
        b.push(u8::from(world.is_some()));
        b.push(rows.len() as u8);
        for r in rows.iter().chain(world.unwrap_or(&[]).iter()) {
            for v in r {
                b.extend_from_slice(&v.to_le_bytes());
            }
        }
        b
    }

    #[test]
    fn binary_and_json_frames_agree() {
        let rows: Vec<[f32; 4]> =
            (0..33).map(|k| [k as f32 / 40.0, 0.3 + k as f32 / 100.0, 0.01, 0.9]).collect();
        let json = format!(
            "{{\"t\": 2.5, \"landmarks\": [{}]}}",
            rows.iter()
                .map(|r| format!("[{},{},{},{}]", r[0], r[1], r[2], r[3]))
                .collect::<Vec<_>>()
                .join(",")
        );
        let a = decode_frame(&json, 1.5, Space::Image, 1).unwrap();
        let b = decode_binary_frame(&encode(2.5, &rows, None), 1.5, Space::Image, 1).unwrap();
        for j in Joint::ALL {
            let (p, q) = (a.get(j), b.get(j));
            assert!(
                (p.p.x - q.p.x).abs() < 1e-5 && (p.p.y - q.p.y).abs() < 1e-5 && p.conf == q.conf,
                "{j:?}"
            );
        }
        assert!(!binary_frame_has_world(&encode(2.5, &rows, None)));
        assert!(binary_frame_has_world(&encode(2.5, &rows, Some(&rows))));
    }

    #[test]
    fn malformed_binary_frames_are_errors_not_panics() {
        let rows = vec![[0.5f32, 0.5, 0.0, 1.0]; 33];
        let good = encode(1.0, &rows, None);
        assert!(decode_binary_frame(&good[..good.len() - 1], 1.0, Space::Image, 7).is_err());
        assert!(decode_binary_frame(&good[..5], 1.0, Space::Image, 7).is_err());
        assert!(
            decode_binary_frame(&encode(1.0, &rows[..31], None), 1.0, Space::Image, 7).is_err()
        );
        assert!(decode_binary_frame(&encode(f64::NAN, &rows, None), 1.0, Space::Image, 7).is_err());
        assert!(decode_binary_frame(&good, 1.0, Space::World, 7).is_err());
        let mut nan = rows;
        nan[3][1] = f32::NAN;
        let e = decode_binary_frame(&encode(1.0, &nan, None), 1.0, Space::Image, 7).unwrap_err();
        assert_eq!(e.line, 7);
    }
}
