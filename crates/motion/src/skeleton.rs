//! The common skeleton every importer produces: named joints with a position and a confidence,
//! one `Frame` per sample, and a `Recording` (frames plus what is known about the source).
//!
//! Coordinates after import: right-handed, y up, in metres for 3-D sources; for image-only
//! sources (BlazePose without world landmarks) units are image heights and depth is MediaPipe's
//! rough relative z.

use serde::Serialize;

use crate::geom::V3;

/// Number of joints in the common skeleton.
pub const JOINT_COUNT: usize = 21;

/// A joint of the common skeleton. Sources that lack a joint leave its confidence at zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs, reason = "the names are the documentation")]
pub enum Joint {
    Head,
    LeftEar,
    RightEar,
    Neck,
    MidSpine,
    Pelvis,
    LeftShoulder,
    RightShoulder,
    LeftElbow,
    RightElbow,
    LeftWrist,
    RightWrist,
    LeftHip,
    RightHip,
    LeftKnee,
    RightKnee,
    LeftAnkle,
    RightAnkle,
    LeftFoot,
    RightFoot,
    /// The back of the neck (C7) where a marker system has it; else absent.
    C7,
}

impl Joint {
    /// Every joint, in index order.
    pub const ALL: [Joint; JOINT_COUNT] = [
        Joint::Head,
        Joint::LeftEar,
        Joint::RightEar,
        Joint::Neck,
        Joint::MidSpine,
        Joint::Pelvis,
        Joint::LeftShoulder,
        Joint::RightShoulder,
        Joint::LeftElbow,
        Joint::RightElbow,
        Joint::LeftWrist,
        Joint::RightWrist,
        Joint::LeftHip,
        Joint::RightHip,
        Joint::LeftKnee,
        Joint::RightKnee,
        Joint::LeftAnkle,
        Joint::RightAnkle,
        Joint::LeftFoot,
        Joint::RightFoot,
        Joint::C7,
    ];

    /// Index into `Frame::joints`.
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// A set of joints (bit per `Joint::index`); serialised as the list of their names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JointSet(pub u32);

impl JointSet {
    /// Whether the set holds a joint.
    pub fn contains(self, j: Joint) -> bool {
        self.0 & (1 << j.index()) != 0
    }
    /// True when empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The joints, in `Joint::ALL` order.
    pub fn iter(self) -> impl Iterator<Item = Joint> {
        Joint::ALL.into_iter().filter(move |j| self.contains(*j))
    }
}

impl Serialize for JointSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl Joint {
    /// The joint in plain words ("left knee").
    pub fn describe(self) -> &'static str {
        match self {
            Joint::Head => "head",
            Joint::LeftEar => "left ear",
            Joint::RightEar => "right ear",
            Joint::Neck => "neck",
            Joint::MidSpine => "mid spine",
            Joint::Pelvis => "pelvis",
            Joint::LeftShoulder => "left shoulder",
            Joint::RightShoulder => "right shoulder",
            Joint::LeftElbow => "left elbow",
            Joint::RightElbow => "right elbow",
            Joint::LeftWrist => "left wrist",
            Joint::RightWrist => "right wrist",
            Joint::LeftHip => "left hip",
            Joint::RightHip => "right hip",
            Joint::LeftKnee => "left knee",
            Joint::RightKnee => "right knee",
            Joint::LeftAnkle => "left ankle",
            Joint::RightAnkle => "right ankle",
            Joint::LeftFoot => "left foot",
            Joint::RightFoot => "right foot",
            Joint::C7 => "back of the neck (C7)",
        }
    }
}

/// One joint sample: position and confidence in `[0, 1]` (0 = not observed).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    /// Position (see the module docs for axes and units).
    pub p: V3,
    /// Confidence: the source's visibility score, 1 for motion capture, 0 when absent.
    pub conf: f32,
}

/// One skeleton sample at time `t` (seconds from the start of the recording).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Seconds since the start of the recording.
    pub t: f64,
    /// Joints indexed by `Joint::index`.
    pub joints: [Point; JOINT_COUNT],
}

impl Frame {
    /// A frame at time `t` with every joint absent.
    pub fn empty(t: f64) -> Frame {
        Frame { t, joints: [Point::default(); JOINT_COUNT] }
    }
    /// The sample of one joint.
    pub fn get(&self, j: Joint) -> Point {
        self.joints[j.index()]
    }
    /// Sets one joint.
    pub fn set(&mut self, j: Joint, p: V3, conf: f32) {
        self.joints[j.index()] = Point { p, conf };
    }
    /// Fills the derived joints (neck, pelvis) from shoulders and hips when the source lacks
    /// them, with the lower of the two confidences.
    pub fn derive_missing(&mut self) {
        let derive = |f: &mut Frame, target: Joint, a: Joint, b: Joint| {
            let (pa, pb) = (f.get(a), f.get(b));
            if f.get(target).conf <= 0.0 && pa.conf > 0.0 && pb.conf > 0.0 {
                f.set(target, pa.p.mid(pb.p), pa.conf.min(pb.conf));
            }
        };
        derive(self, Joint::Neck, Joint::LeftShoulder, Joint::RightShoulder);
        derive(self, Joint::Pelvis, Joint::LeftHip, Joint::RightHip);
    }
}

/// What the coordinates of a recording mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Space {
    /// Metric 3-D positions (motion capture, depth camera, BlazePose world landmarks).
    World,
    /// Image coordinates in image heights (y up after import) with MediaPipe's relative depth:
    /// good in the image plane, rough in depth.
    Image,
}

/// A parsed recording: frames in time order and what is known about the source.
#[derive(Clone, Debug, PartialEq)]
pub struct Recording {
    /// Frames in non-decreasing time order.
    pub frames: Vec<Frame>,
    /// Meaning of the coordinates.
    pub space: Space,
    /// Nominal frame rate of the source (declared or inferred), frames per second.
    pub fps: f64,
}
