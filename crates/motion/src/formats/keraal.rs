//! KERAAL Kinect v2 (25 joints, metres, camera frame, y up) and Vicon/ART (17 rigid targets,
//! millimetres, z up) text importers. Rows are space-separated with a trailing space and CRLF;
//! the orientation quaternions are read and ignored.

use crate::formats::uiprmd::z_up_mm;
use crate::formats::{ParseError, Sep, numeric_rows};
use crate::geom::V3;
use crate::skeleton::{Frame, Joint};

/// Common joints from KERAAL Kinect joint indices.
const KINECT_MAP: [(Joint, usize); 19] = [
    (Joint::Head, 3),
    (Joint::Neck, 2),
    (Joint::MidSpine, 1),
    (Joint::Pelvis, 0),
    (Joint::LeftShoulder, 4),
    (Joint::LeftElbow, 5),
    (Joint::LeftWrist, 6),
    (Joint::RightShoulder, 8),
    (Joint::RightElbow, 9),
    (Joint::RightWrist, 10),
    (Joint::LeftHip, 12),
    (Joint::LeftKnee, 13),
    (Joint::LeftAnkle, 14),
    (Joint::LeftFoot, 15),
    (Joint::RightHip, 16),
    (Joint::RightKnee, 17),
    (Joint::RightAnkle, 18),
    (Joint::RightFoot, 19),
    (Joint::C7, 20),
];

/// Parses a KERAAL Kinect text.
pub(crate) fn parse_kinect(text: &str, fps: f64) -> Result<Vec<Frame>, ParseError> {
    let mut frames = Vec::new();
    numeric_rows(text, Sep::Whitespace, 175, "25 joints × x, y, z, qx, qy, qz, qw", |_, v| {
        let mut f = Frame::empty(frames.len() as f64 / fps);
        for (joint, k) in KINECT_MAP {
            let p = V3::new(v[7 * k], v[7 * k + 1], v[7 * k + 2]);
            if p != V3::default() {
                f.set(joint, p, 1.0);
            }
        }
        // SpineShoulder is the base of the neck, not C7; keep it only as the neck fallback.
        f.joints[Joint::C7.index()].conf = 0.0;
        frames.push(f);
        Ok(())
    })?;
    Ok(frames)
}

/// Parses a KERAAL Vicon/ART text. The targets sit on segments, not on joints, so elbows,
/// knees, ankles and hips are estimated (confidence 0.5): elbow = mean of the arm and forearm
/// targets, knee = mean of thigh and tibia, ankle = tibia-to-foot midpoint, hips = pelvis
/// target ± half the horizontal thigh-to-thigh vector.
pub(crate) fn parse_vicon(text: &str, fps: f64) -> Result<Vec<Frame>, ParseError> {
    let mut frames = Vec::new();
    numeric_rows(text, Sep::Whitespace, 119, "17 targets × x, y, z, qx, qy, qz, qw", |_, v| {
        let t = |k: usize| z_up_mm(v[7 * k], v[7 * k + 1], v[7 * k + 2]);
        let mut f = Frame::empty(frames.len() as f64 / fps);
        let (r_forearm, l_forearm, r_arm, l_arm) = (t(0), t(1), t(2), t(3));
        let (r_thigh, l_thigh, r_tibia, l_tibia) = (t(5), t(6), t(15), t(16));
        let pelvis = t(13);
        f.set(Joint::Head, t(14), 1.0);
        f.set(Joint::MidSpine, t(4), 1.0);
        f.set(Joint::Pelvis, pelvis, 1.0);
        f.set(Joint::RightShoulder, t(7), 1.0);
        f.set(Joint::LeftShoulder, t(8), 1.0);
        f.set(Joint::RightElbow, r_arm.mid(r_forearm), 0.5);
        f.set(Joint::LeftElbow, l_arm.mid(l_forearm), 0.5);
        f.set(Joint::RightWrist, t(9), 0.8);
        f.set(Joint::LeftWrist, t(10), 0.8);
        let half = l_thigh.sub(r_thigh).reject(V3::UP).scale(0.5);
        f.set(Joint::LeftHip, pelvis.add(half), 0.5);
        f.set(Joint::RightHip, pelvis.sub(half), 0.5);
        f.set(Joint::RightKnee, r_thigh.mid(r_tibia), 0.5);
        f.set(Joint::LeftKnee, l_thigh.mid(l_tibia), 0.5);
        f.set(Joint::RightAnkle, r_tibia.mid(t(11)), 0.5);
        f.set(Joint::LeftAnkle, l_tibia.mid(t(12)), 0.5);
        f.set(Joint::RightFoot, t(11), 0.8);
        f.set(Joint::LeftFoot, t(12), 0.8);
        f.derive_missing();
        frames.push(f);
        Ok(())
    })?;
    Ok(frames)
}
