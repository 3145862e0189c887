//! Tests of the figure model: a pose's angles are the angles the kinematics measures on the
//! posed skeleton (so figures can be checked against exercise specifications), bodies rest on
//! the floor, and sketches keep their shape while they move.

use super::*;
use crate::kinematics::{Channel, angles};
use crate::skeleton::Joint;

fn channel(pose: &Pose, c: Channel) -> f32 {
    angles(&pose_frame(pose)).get(c).unwrap_or(f32::NAN)
}

fn near(pose: &Pose, c: Channel, want: f32) {
    let got = channel(pose, c);
    assert!((got - want).abs() < 1.0, "{c:?}: {got} (want {want}) for {pose:?}");
}

fn standing() -> Pose {
    Pose::new(Base::Standing)
}

#[test]
fn standing_is_upright_on_the_floor() {
    let f = pose_frame(&standing());
    let lowest = f.joints.iter().map(|p| p.p.y).fold(f32::INFINITY, f32::min);
    assert!(lowest.abs() < 0.01, "{lowest}");
    let head = f.get(Joint::Head).p.y;
    assert!((1.55..1.75).contains(&head), "{head}");
    for c in [Channel::TrunkFlexion, Channel::KneeFlexionLeft, Channel::ShoulderElevationRight] {
        near(&standing(), c, 0.0);
    }
    // Facing +z with the left toward +x, as the kinematics expects.
    assert!(f.get(Joint::LeftShoulder).p.x > f.get(Joint::RightShoulder).p.x);
    assert!(f.get(Joint::Head).p.z > f.get(Joint::Neck).p.z);
}

#[test]
fn arm_angles_are_the_kinematics_angles() {
    for (elevation, plane) in [(150.0, 0.0), (90.0, 90.0), (100.0, 35.0), (45.0, -90.0)] {
        let mut p = standing();
        p.left_arm = Arm { elevation, plane, ..Arm::default() };
        p.right_arm = Arm { elevation, plane, ..Arm::default() };
        for c in [Channel::ShoulderElevationLeft, Channel::ShoulderElevationRight] {
            near(&p, c, elevation);
        }
        for c in [Channel::ShoulderPlaneLeft, Channel::ShoulderPlaneRight] {
            near(&p, c, plane);
        }
    }
    let mut p = standing();
    p.left_arm = Arm { elevation: 50.0, plane: -90.0, ..Arm::default() };
    near(&p, Channel::ShoulderExtensionLeft, 50.0);
    for rotation in [-60.0, 0.0, 70.0] {
        let bent = Arm { rotation, elbow: 90.0, ..Arm::default() };
        let mut p = standing();
        (p.left_arm, p.right_arm) = (bent, bent);
        near(&p, Channel::ShoulderRotationLeft, rotation);
        near(&p, Channel::ShoulderRotationRight, rotation);
        near(&p, Channel::ElbowFlexionLeft, 90.0);
    }
}

#[test]
fn leg_and_trunk_angles_are_the_kinematics_angles() {
    let mut p = standing();
    p.left_leg = Leg { flexion: 80.0, knee: 90.0, ..Leg::default() };
    near(&p, Channel::HipFlexionLeft, 80.0);
    near(&p, Channel::KneeFlexionLeft, 90.0);
    near(&p, Channel::HipFlexionRight, 0.0);

    // A hip hinge: the body leans, the hips flex as much, the thighs stay upright.
    let mut p = standing();
    p.lean = 45.0;
    p.left_leg.flexion = 45.0;
    p.right_leg.flexion = 45.0;
    near(&p, Channel::TrunkFlexion, 45.0);
    near(&p, Channel::HipFlexionLeft, 45.0);
    let f = pose_frame(&p);
    let thigh = f.get(Joint::LeftKnee).p.sub(f.get(Joint::LeftHip).p);
    assert!(thigh.z.abs() < 0.01, "{thigh:?}");

    let mut p = standing();
    p.trunk_flexion = 30.0;
    near(&p, Channel::TrunkFlexion, 30.0);
    let mut p = standing();
    p.trunk_side_bend = -25.0;
    near(&p, Channel::TrunkSideLean, -25.0);
    let mut p = standing();
    p.trunk_rotation = 40.0;
    near(&p, Channel::ThoracicRotation, 40.0);
    // The pelvis yaw is a heading (compared within a session): the pelvis has not turned.
    near(&p, Channel::PelvisYaw, channel(&standing(), Channel::PelvisYaw));
}

#[test]
fn a_chin_glide_moves_the_head_without_nodding() {
    let mut back = standing();
    back.chin_glide = -4.0;
    let fwd = channel(&standing(), Channel::HeadForward);
    assert!(channel(&back, Channel::HeadForward) < fwd - 5.0);
    near(&back, Channel::HeadPitch, channel(&standing(), Channel::HeadPitch));
    let mut nod = standing();
    nod.head_nod = 20.0;
    near(&nod, Channel::HeadForward, fwd);
    near(&nod, Channel::HeadPitch, channel(&standing(), Channel::HeadPitch) + 20.0);
}

#[test]
fn bodies_rest_on_their_base() {
    for base in [Base::Supine, Base::Prone, Base::SideLying] {
        let f = pose_frame(&Pose::new(base));
        let ys: Vec<f32> = f.joints.iter().map(|p| p.p.y).collect();
        let (low, high) =
            ys.iter().fold((f32::INFINITY, f32::MIN), |(l, h), &y| (l.min(y), h.max(y)));
        assert!(low > -0.01 && high < 0.5, "{base:?}: joints from {low} to {high} m");
    }
    // Sitting on a chair of standard height, the feet on the floor.
    let mut sit = Pose::new(Base::Sitting);
    sit.left_leg = Leg { flexion: 90.0, knee: 90.0, ..Leg::default() };
    sit.right_leg = sit.left_leg;
    let f = pose_frame(&sit);
    assert!((0.45..0.55).contains(&f.get(Joint::Pelvis).p.y));
    assert!(f.get(Joint::LeftFoot).p.y.abs() < 0.01);
}

#[test]
fn views_project_as_described() {
    let f = pose_frame(&standing());
    let side = project(&f, FigureView::Side);
    // From the left the person faces the left of the picture.
    assert!(side[Joint::Head.index()].x < side[Joint::Neck.index()].x);
    let front = project(&f, FigureView::Front);
    // Facing the viewer, the person's left is on the picture's right.
    assert!(front[Joint::LeftShoulder.index()].x > front[Joint::RightShoulder.index()].x);
    assert!((side[Joint::Head.index()].y - f.get(Joint::Head).p.y).abs() < 1e-6);
}

#[test]
fn a_sketch_keeps_its_strokes_while_it_moves() {
    let mut end = Pose::new(Base::Sitting);
    end.left_leg = Leg { flexion: 90.0, knee: 90.0, ..Leg::default() };
    end.right_leg = end.left_leg;
    end.props = vec![Prop::Chair];
    end.tense = vec![Region::Belly];
    let mut start = standing();
    start.props = vec![Prop::Chair];
    let fig = Figure { view: FigureView::Side, start, end };
    let shape = |s: &Sketch| {
        s.strokes
            .iter()
            .map(|k| match &k.shape {
                Shape::Line(ps) => ps.len(),
                Shape::Circle { .. } => 0,
            })
            .collect::<Vec<_>>()
    };
    let first = shape(&sketch(&fig, 0.0));
    for t in [0.25, 0.5, 1.0] {
        assert_eq!(shape(&sketch(&fig, t)), first, "at {t}");
    }
    // The chair stands still; the mark shows at the end only.
    let (a, b) = (sketch(&fig, 0.0), sketch(&fig, 1.0));
    let chair = |s: &Sketch| s.strokes.iter().find(|k| k.ink == Ink::Prop).map(|k| k.shape.clone());
    assert_eq!(chair(&a), chair(&b));
    assert!(a.strokes.iter().any(|k| k.opacity == 0.0));
    assert!(b.strokes.iter().all(|k| k.opacity == 1.0));
}
