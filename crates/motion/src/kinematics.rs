//! Joint angles, left and right, in body-fixed frames built from the hips and shoulders, so
//! camera placement does not matter for 3-D sources.
//!
//! Frames: the thorax frame has its up axis `T` along pelvis-centre → shoulder-centre, its right
//! axis along the shoulder line (orthogonalised) and forward `T × right`. The pelvis frame uses
//! world up and the horizontal hip line. All angles are degrees; an angle whose joints are
//! missing (confidence below the gate) or whose geometry is degenerate is `None`.

use serde::Serialize;

use crate::geom::{V3, angle_deg, signed_angle_deg};
use crate::skeleton::{Frame, Joint};

/// Body side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The person's left.
    Left,
    /// The person's right.
    Right,
}

/// A measured signal. Units are degrees except `ShoulderHike*` (percent of trunk length).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Angle between the upper arm and the trunk's downward axis (0 at rest, 180 overhead).
    ShoulderElevationLeft,
    /// See `ShoulderElevationLeft`.
    ShoulderElevationRight,
    /// Plane of elevation: 0 = frontal (abduction), 90 = sagittal forward (flexion),
    /// scaption ≈ 30–45; undefined below 20° of elevation.
    ShoulderPlaneLeft,
    /// See `ShoulderPlaneLeft`.
    ShoulderPlaneRight,
    /// Upper arm in the sagittal plane: forward positive (flexion), backward negative.
    ShoulderFlexionLeft,
    /// See `ShoulderFlexionLeft`.
    ShoulderFlexionRight,
    /// Backward arm angle in the sagittal plane (the negative of flexion).
    ShoulderExtensionLeft,
    /// See `ShoulderExtensionLeft`.
    ShoulderExtensionRight,
    /// Forearm rotation about the upper arm, external positive, 0 = forearm forward; needs the
    /// elbow bent at least 45°.
    ShoulderRotationLeft,
    /// See `ShoulderRotationLeft`.
    ShoulderRotationRight,
    /// Elbow flexion (0 = straight).
    ElbowFlexionLeft,
    /// See `ElbowFlexionLeft`.
    ElbowFlexionRight,
    /// Angle between thigh and the trunk's downward axis (0 standing, 90 sitting).
    HipFlexionLeft,
    /// See `HipFlexionLeft`.
    HipFlexionRight,
    /// Knee flexion (0 = straight; 180 − the interior hip–knee–ankle angle).
    KneeFlexionLeft,
    /// See `KneeFlexionLeft`.
    KneeFlexionRight,
    /// Trunk (pelvis centre → shoulder centre) against vertical, forward positive.
    TrunkFlexion,
    /// Trunk against vertical in the frontal plane, toward the right positive.
    TrunkSideLean,
    /// Shoulder line against hip line about the vertical, turning left positive.
    ThoracicRotation,
    /// Heading of the hip line about the vertical (absolute; compare within a session).
    PelvisYaw,
    /// Head (ears, else head) ahead of the shoulder centre, as an angle from the trunk axis in
    /// the sagittal plane; a chin tuck lowers it.
    HeadForward,
    /// Nose below the ear line, as a pitch angle (nodding raises it); needs nose and ears.
    HeadPitch,
    /// Spine curvature pelvis → mid-spine → neck, flexion positive; needs a mid-spine joint.
    SpineFlexion,
    /// Shoulder height above the pelvis along the trunk, percent of trunk length.
    ShoulderHikeLeft,
    /// See `ShoulderHikeLeft`.
    ShoulderHikeRight,
    /// Shoulder → wrist direction above the horizontal (prone raises).
    ArmLiftLeft,
    /// See `ArmLiftLeft`.
    ArmLiftRight,
}

/// Number of channels.
pub const CHANNELS: usize = 27;

impl Channel {
    /// Every channel, in index order.
    pub const ALL: [Channel; CHANNELS] = [
        Channel::ShoulderElevationLeft,
        Channel::ShoulderElevationRight,
        Channel::ShoulderPlaneLeft,
        Channel::ShoulderPlaneRight,
        Channel::ShoulderFlexionLeft,
        Channel::ShoulderFlexionRight,
        Channel::ShoulderExtensionLeft,
        Channel::ShoulderExtensionRight,
        Channel::ShoulderRotationLeft,
        Channel::ShoulderRotationRight,
        Channel::ElbowFlexionLeft,
        Channel::ElbowFlexionRight,
        Channel::HipFlexionLeft,
        Channel::HipFlexionRight,
        Channel::KneeFlexionLeft,
        Channel::KneeFlexionRight,
        Channel::TrunkFlexion,
        Channel::TrunkSideLean,
        Channel::ThoracicRotation,
        Channel::PelvisYaw,
        Channel::HeadForward,
        Channel::HeadPitch,
        Channel::SpineFlexion,
        Channel::ShoulderHikeLeft,
        Channel::ShoulderHikeRight,
        Channel::ArmLiftLeft,
        Channel::ArmLiftRight,
    ];

    /// Index into `Angles::values`.
    pub const fn index(self) -> usize {
        self as usize
    }

    /// What the channel measures, in words a clinician setting a target range can use.
    pub const fn describe(self) -> &'static str {
        use Channel as C;
        match self {
            C::ShoulderElevationLeft | C::ShoulderElevationRight => {
                "arm elevation: 0° with the arm at the side, 180° overhead"
            }
            C::ShoulderPlaneLeft | C::ShoulderPlaneRight => {
                "plane of arm elevation: 0° out to the side, 90° straight ahead"
            }
            C::ShoulderFlexionLeft | C::ShoulderFlexionRight => {
                "arm angle forward, seen from the side: 0° at the side, 180° overhead"
            }
            C::ShoulderExtensionLeft | C::ShoulderExtensionRight => {
                "arm angle backward, seen from the side: 0° at the side"
            }
            C::ShoulderRotationLeft | C::ShoulderRotationRight => {
                "forearm turn with the elbow bent: 0° pointing forward, outward positive"
            }
            C::ElbowFlexionLeft | C::ElbowFlexionRight => "elbow bend: 0° straight",
            C::HipFlexionLeft | C::HipFlexionRight => "thigh angle: 0° standing, 90° sitting",
            C::KneeFlexionLeft | C::KneeFlexionRight => "knee bend: 0° straight",
            C::TrunkFlexion => "trunk lean forward from upright",
            C::TrunkSideLean => "trunk lean to the side from upright, to the right positive",
            C::ThoracicRotation => {
                "shoulder line turned against the hip line, to the left positive"
            }
            C::PelvisYaw => "direction the pelvis faces",
            C::HeadForward => "head ahead of the shoulders, as an angle from the trunk line",
            C::HeadPitch => "head nod: nose below the line of the ears",
            C::SpineFlexion => "spine curve from pelvis to mid-back to neck, rounding positive",
            C::ShoulderHikeLeft | C::ShoulderHikeRight => {
                "shoulder height above the pelvis, in % of trunk length"
            }
            C::ArmLiftLeft | C::ArmLiftRight => "arm above the horizontal",
        }
    }

    /// The other side's channel, or itself for a midline channel.
    pub const fn mirror(self) -> Channel {
        use Channel as C;
        match self {
            C::ShoulderElevationLeft => C::ShoulderElevationRight,
            C::ShoulderElevationRight => C::ShoulderElevationLeft,
            C::ShoulderPlaneLeft => C::ShoulderPlaneRight,
            C::ShoulderPlaneRight => C::ShoulderPlaneLeft,
            C::ShoulderFlexionLeft => C::ShoulderFlexionRight,
            C::ShoulderFlexionRight => C::ShoulderFlexionLeft,
            C::ShoulderExtensionLeft => C::ShoulderExtensionRight,
            C::ShoulderExtensionRight => C::ShoulderExtensionLeft,
            C::ShoulderRotationLeft => C::ShoulderRotationRight,
            C::ShoulderRotationRight => C::ShoulderRotationLeft,
            C::ElbowFlexionLeft => C::ElbowFlexionRight,
            C::ElbowFlexionRight => C::ElbowFlexionLeft,
            C::HipFlexionLeft => C::HipFlexionRight,
            C::HipFlexionRight => C::HipFlexionLeft,
            C::KneeFlexionLeft => C::KneeFlexionRight,
            C::KneeFlexionRight => C::KneeFlexionLeft,
            C::ShoulderHikeLeft => C::ShoulderHikeRight,
            C::ShoulderHikeRight => C::ShoulderHikeLeft,
            C::ArmLiftLeft => C::ArmLiftRight,
            C::ArmLiftRight => C::ArmLiftLeft,
            other => other,
        }
    }

    /// Physiologically possible range; values outside are tracking failures (for example the
    /// Kinect knee collapsing at squat depth) and are rejected as outliers.
    pub const fn plausible(self) -> (f32, f32) {
        use Channel as C;
        match self {
            C::KneeFlexionLeft | C::KneeFlexionRight => (-15.0, 160.0),
            C::ElbowFlexionLeft | C::ElbowFlexionRight => (-15.0, 165.0),
            C::HipFlexionLeft | C::HipFlexionRight => (0.0, 150.0),
            C::ShoulderHikeLeft | C::ShoulderHikeRight => (50.0, 150.0),
            _ => (-360.0, 360.0),
        }
    }
}

/// The value of every channel in one frame (`NaN` = unavailable).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Angles {
    /// Values indexed by `Channel::index`.
    pub values: [f32; CHANNELS],
}

impl Angles {
    /// All channels unavailable.
    pub const UNAVAILABLE: Angles = Angles { values: [f32::NAN; CHANNELS] };

    /// One channel, `None` when unavailable.
    pub fn get(&self, c: Channel) -> Option<f32> {
        let v = self.values[c.index()];
        v.is_finite().then_some(v)
    }
}

/// Confidence below which a joint is treated as missing.
pub const CONFIDENCE_GATE: f32 = 0.5;

/// A set of channels, a bit per `Channel::index`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChannelSet(pub u32);

impl ChannelSet {
    /// Every channel.
    pub const ALL: ChannelSet = ChannelSet((1 << CHANNELS) - 1);

    /// Adds a channel.
    pub fn insert(&mut self, c: Channel) {
        self.0 |= 1 << c.index();
    }
    /// Whether the set holds a channel.
    pub fn contains(self, c: Channel) -> bool {
        self.0 & (1 << c.index()) != 0
    }
}

/// The joints the channels in `want` are computed from (bit per `Joint::index`), besides the
/// shoulders and hips that every trunk-frame channel needs.
pub fn joints_read(want: ChannelSet) -> u32 {
    use Channel as C;
    use Joint as J;
    let mut m = [J::LeftShoulder, J::RightShoulder, J::LeftHip, J::RightHip]
        .iter()
        .fold(0u32, |m, j| m | 1 << j.index());
    for c in Channel::ALL.into_iter().filter(|&c| want.contains(c)) {
        // Left variants come first; a midline channel is its own mirror.
        let left = c.index() <= c.mirror().index();
        let (elbow, wrist, knee, ankle) = if left {
            (J::LeftElbow, J::LeftWrist, J::LeftKnee, J::LeftAnkle)
        } else {
            (J::RightElbow, J::RightWrist, J::RightKnee, J::RightAnkle)
        };
        let joints: &[J] = match c {
            C::ShoulderElevationLeft
            | C::ShoulderElevationRight
            | C::ShoulderPlaneLeft
            | C::ShoulderPlaneRight
            | C::ShoulderFlexionLeft
            | C::ShoulderFlexionRight
            | C::ShoulderExtensionLeft
            | C::ShoulderExtensionRight
            | C::ShoulderRotationLeft
            | C::ShoulderRotationRight
            | C::ElbowFlexionLeft
            | C::ElbowFlexionRight => &[elbow, wrist],
            C::ArmLiftLeft | C::ArmLiftRight => &[wrist],
            C::HipFlexionLeft | C::HipFlexionRight => &[knee],
            C::KneeFlexionLeft | C::KneeFlexionRight => &[knee, ankle],
            C::HeadForward | C::HeadPitch => &[J::LeftEar, J::RightEar, J::Head],
            C::SpineFlexion => &[J::MidSpine, J::Neck],
            _ => &[],
        };
        m = joints.iter().fold(m, |m, j| m | 1 << j.index());
    }
    m
}

/// Computes every channel of one (conditioned) frame.
pub fn angles(frame: &Frame) -> Angles {
    angles_of(frame, ChannelSet::ALL)
}

/// Computes the channels in `want` (the others stay unavailable): a tracker asks only for the
/// channels its exercise reads, which saves most of the trigonometry.
pub fn angles_of(frame: &Frame, want: ChannelSet) -> Angles {
    let mut out = Angles::UNAVAILABLE;
    let j = |k: Joint| {
        let p = frame.get(k);
        (p.conf >= CONFIDENCE_GATE && p.p.is_finite()).then_some(p.p)
    };
    let w = |c: Channel| want.contains(c);
    let mut set = |c: Channel, v: f32| out.values[c.index()] = v;

    let (Some(sl), Some(sr), Some(hl), Some(hr)) =
        (j(Joint::LeftShoulder), j(Joint::RightShoulder), j(Joint::LeftHip), j(Joint::RightHip))
    else {
        // Without the trunk only the inner-joint angles are defined.
        inner_angles(&j, want, &mut set);
        return out;
    };
    let mid_s = sl.mid(sr);
    let mid_h = hl.mid(hr);
    let trunk = mid_s.sub(mid_h);
    let trunk_len = trunk.norm();
    let Some(t_up) = trunk.unit() else {
        inner_angles(&j, want, &mut set);
        return out;
    };
    let down = t_up.scale(-1.0);
    let t_right = sr.sub(sl).reject(t_up).unit();
    let t_fwd = t_right.map(|r| t_up.cross(r));
    let p_right = hr.sub(hl).reject(V3::UP).unit();
    let p_fwd = p_right.map(|r| V3::UP.cross(r));

    inner_angles(&j, want, &mut set);

    if let (Some(pr), Some(pf)) = (p_right, p_fwd) {
        if w(Channel::TrunkFlexion) {
            set(Channel::TrunkFlexion, t_up.dot(pf).atan2(t_up.dot(V3::UP)).to_degrees());
        }
        if w(Channel::TrunkSideLean) {
            set(Channel::TrunkSideLean, t_up.dot(pr).atan2(t_up.dot(V3::UP)).to_degrees());
        }
        if w(Channel::PelvisYaw) {
            set(Channel::PelvisYaw, signed_angle_deg(V3::new(1.0, 0.0, 0.0), pr, V3::UP));
        }
        if w(Channel::ThoracicRotation) {
            set(Channel::ThoracicRotation, signed_angle_deg(pr, sr.sub(sl), V3::UP));
        }
    }

    for (side, sh, el, wr, hip) in [
        (Side::Left, sl, j(Joint::LeftElbow), j(Joint::LeftWrist), hl),
        (Side::Right, sr, j(Joint::RightElbow), j(Joint::RightWrist), hr),
    ] {
        let c = |l: Channel| if side == Side::Left { l } else { l.mirror() };
        if w(c(Channel::ShoulderHikeLeft)) {
            let hike = 100.0 * sh.sub(mid_h).dot(t_up) / trunk_len.max(1e-6);
            set(c(Channel::ShoulderHikeLeft), hike);
        }
        if w(c(Channel::ArmLiftLeft))
            && let Some(wrist) = wr
            && let Some(u) = wrist.sub(sh).unit()
        {
            set(c(Channel::ArmLiftLeft), u.dot(V3::UP).clamp(-1.0, 1.0).asin().to_degrees());
        }
        let lateral = t_right.map(|r| if side == Side::Left { r.scale(-1.0) } else { r });
        let arm_channels = [
            Channel::ShoulderElevationLeft,
            Channel::ShoulderPlaneLeft,
            Channel::ShoulderFlexionLeft,
            Channel::ShoulderExtensionLeft,
            Channel::ShoulderRotationLeft,
        ];
        if let Some(e) = el.filter(|_| arm_channels.iter().any(|&a| w(c(a)))) {
            let arm = e.sub(sh);
            let elevation = angle_deg(arm, down);
            set(c(Channel::ShoulderElevationLeft), elevation);
            if let (Some(f), Some(lat)) = (t_fwd, lateral) {
                if elevation >= 20.0 {
                    set(c(Channel::ShoulderPlaneLeft), arm.dot(f).atan2(arm.dot(lat)).to_degrees());
                }
                let flex = arm.dot(f).atan2(arm.dot(down)).to_degrees();
                set(c(Channel::ShoulderFlexionLeft), flex);
                set(c(Channel::ShoulderExtensionLeft), -flex);
                if w(c(Channel::ShoulderRotationLeft))
                    && let (Some(wrist), Some(u)) = (wr, arm.unit())
                {
                    let fore = wrist.sub(e);
                    if angle_deg(arm, fore) >= 45.0
                        && let Some(reference) = f.reject(u).unit()
                    {
                        let ext = u.cross(reference);
                        let ext = if side == Side::Left { ext.scale(-1.0) } else { ext };
                        set(
                            c(Channel::ShoulderRotationLeft),
                            fore.dot(ext).atan2(fore.dot(reference)).to_degrees(),
                        );
                    }
                }
            }
        }
        if w(c(Channel::HipFlexionLeft))
            && let Some(k) = j(if side == Side::Left { Joint::LeftKnee } else { Joint::RightKnee })
        {
            set(c(Channel::HipFlexionLeft), angle_deg(k.sub(hip), down));
        }
    }

    if let (Some(f), Some(r)) = (t_fwd, t_right) {
        let head = match (j(Joint::LeftEar), j(Joint::RightEar)) {
            (Some(a), Some(b)) => Some(a.mid(b)),
            _ => j(Joint::Head),
        };
        if let Some(h) = head.filter(|_| w(Channel::HeadForward)) {
            let v = h.sub(mid_s);
            set(Channel::HeadForward, v.dot(f).atan2(v.dot(t_up)).to_degrees());
        }
        if w(Channel::HeadPitch)
            && let (Some(a), Some(b), Some(nose)) =
                (j(Joint::LeftEar), j(Joint::RightEar), j(Joint::Head))
        {
            let v = nose.sub(a.mid(b));
            if v.norm() > 0.3 * a.sub(b).norm() {
                set(Channel::HeadPitch, (-v.dot(t_up)).atan2(v.dot(f)).to_degrees());
            }
        }
        if w(Channel::SpineFlexion)
            && let (Some(ms), Some(neck)) = (j(Joint::MidSpine), j(Joint::Neck))
        {
            let lower = ms.sub(mid_h);
            let upper = neck.sub(ms);
            // Flexion positive: the upper segment turns forward, which (y up, right-handed) is a
            // turn about the person's *left* axis.
            set(Channel::SpineFlexion, signed_angle_deg(lower, upper, r.scale(-1.0)));
        }
    }
    out
}

/// Elbow and knee flexion: need only the three joints of the limb.
fn inner_angles(
    j: &impl Fn(Joint) -> Option<V3>,
    want: ChannelSet,
    set: &mut impl FnMut(Channel, f32),
) {
    let limbs = [
        (Channel::ElbowFlexionLeft, Joint::LeftShoulder, Joint::LeftElbow, Joint::LeftWrist),
        (Channel::ElbowFlexionRight, Joint::RightShoulder, Joint::RightElbow, Joint::RightWrist),
        (Channel::KneeFlexionLeft, Joint::LeftHip, Joint::LeftKnee, Joint::LeftAnkle),
        (Channel::KneeFlexionRight, Joint::RightHip, Joint::RightKnee, Joint::RightAnkle),
    ];
    for (c, a, b, d) in limbs {
        if want.contains(c)
            && let (Some(a), Some(b), Some(d)) = (j(a), j(b), j(d))
        {
            set(c, angle_deg(b.sub(a), d.sub(b)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A standing person facing +z (y up, right = −x), arms down.
    pub(crate) fn standing() -> Frame {
        let mut f = Frame::empty(0.0);
        let put = |f: &mut Frame, j: Joint, x: f32, y: f32, z: f32| f.set(j, V3::new(x, y, z), 1.0);
        put(&mut f, Joint::LeftShoulder, 0.2, 1.4, 0.0);
        put(&mut f, Joint::RightShoulder, -0.2, 1.4, 0.0);
        put(&mut f, Joint::LeftElbow, 0.2, 1.1, 0.0);
        put(&mut f, Joint::RightElbow, -0.2, 1.1, 0.0);
        put(&mut f, Joint::LeftWrist, 0.2, 0.85, 0.0);
        put(&mut f, Joint::RightWrist, -0.2, 0.85, 0.0);
        put(&mut f, Joint::LeftHip, 0.1, 0.9, 0.0);
        put(&mut f, Joint::RightHip, -0.1, 0.9, 0.0);
        put(&mut f, Joint::LeftKnee, 0.1, 0.5, 0.0);
        put(&mut f, Joint::RightKnee, -0.1, 0.5, 0.0);
        put(&mut f, Joint::LeftAnkle, 0.1, 0.1, 0.0);
        put(&mut f, Joint::RightAnkle, -0.1, 0.1, 0.0);
        put(&mut f, Joint::Head, 0.0, 1.6, 0.1);
        f
    }

    fn close(a: Option<f32>, b: f32) -> bool {
        a.is_some_and(|a| (a - b).abs() < 0.5)
    }

    #[test]
    fn standing_is_neutral() {
        let a = angles(&standing());
        assert!(close(a.get(Channel::ShoulderElevationRight), 0.0));
        assert!(close(a.get(Channel::KneeFlexionLeft), 0.0));
        assert!(close(a.get(Channel::TrunkFlexion), 0.0));
        assert!(close(a.get(Channel::ThoracicRotation), 0.0));
        assert!(a.get(Channel::ShoulderPlaneRight).is_none());
    }

    #[test]
    fn a_back_rounding_forward_is_positive_spine_flexion() {
        // Mid-spine above the hips; the neck 20° forward of the line through them (+z).
        let mut f = standing();
        f.set(Joint::MidSpine, V3::new(0.0, 1.15, 0.0), 1.0);
        let (s, c) = 20f32.to_radians().sin_cos();
        f.set(Joint::Neck, V3::new(0.0, 1.15 + 0.25 * c, 0.25 * s), 1.0);
        let flexion = angles(&f).get(Channel::SpineFlexion);
        assert!(close(flexion, 20.0), "{flexion:?}");
        f.set(Joint::Neck, V3::new(0.0, 1.15 + 0.25 * c, -0.25 * s), 1.0);
        assert!(close(angles(&f).get(Channel::SpineFlexion), -20.0));
    }

    #[test]
    fn arm_planes_and_rotation() {
        // Right arm abducted to horizontal (toward −x).
        let mut f = standing();
        f.set(Joint::RightElbow, V3::new(-0.5, 1.4, 0.0), 1.0);
        f.set(Joint::RightWrist, V3::new(-0.75, 1.4, 0.0), 1.0);
        let a = angles(&f);
        assert!(close(a.get(Channel::ShoulderElevationRight), 90.0));
        assert!(close(a.get(Channel::ShoulderPlaneRight), 0.0));
        // Left arm forward flexed to horizontal (+z).
        f.set(Joint::LeftElbow, V3::new(0.2, 1.4, 0.3), 1.0);
        f.set(Joint::LeftWrist, V3::new(0.2, 1.4, 0.55), 1.0);
        let a = angles(&f);
        assert!(close(a.get(Channel::ShoulderPlaneLeft), 90.0));
        assert!(close(a.get(Channel::ShoulderFlexionLeft), 90.0));
        // Right elbow at the side bent 90°, forearm forward then turned outward (−x).
        let mut f = standing();
        f.set(Joint::RightWrist, V3::new(-0.2, 1.1, 0.25), 1.0);
        assert!(close(angles(&f).get(Channel::ShoulderRotationRight), 0.0));
        f.set(Joint::RightWrist, V3::new(-0.45, 1.1, 0.0), 1.0);
        assert!(close(angles(&f).get(Channel::ShoulderRotationRight), 90.0));
        // Left forearm turned outward (+x) is external too.
        f.set(Joint::LeftWrist, V3::new(0.45, 1.1, 0.0), 1.0);
        assert!(close(angles(&f).get(Channel::ShoulderRotationLeft), 90.0));
    }

    #[test]
    fn trunk_angles() {
        let mut f = standing();
        // Lean the shoulders forward (+z) by 45°.
        for (j, x) in [(Joint::LeftShoulder, 0.2), (Joint::RightShoulder, -0.2)] {
            f.set(j, V3::new(x, 1.4, 0.5), 1.0);
        }
        let a = angles(&f);
        assert!(close(a.get(Channel::TrunkFlexion), 45.0));
        assert!(close(a.get(Channel::TrunkSideLean), 0.0));
        // Turn the shoulders left (counter-clockwise from above): right shoulder comes forward.
        let mut f = standing();
        f.set(Joint::LeftShoulder, V3::new(0.17, 1.4, -0.1), 1.0);
        f.set(Joint::RightShoulder, V3::new(-0.17, 1.4, 0.1), 1.0);
        assert!(angles(&f).get(Channel::ThoracicRotation).is_some_and(|r| r > 25.0));
    }

    #[test]
    fn missing_joints_are_unavailable() {
        let a = angles(&Frame::empty(0.0));
        assert!(a.values.iter().all(|v| v.is_nan()));
    }
}
