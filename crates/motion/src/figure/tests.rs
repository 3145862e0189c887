//! Tests of the figure model: the forward kinematics agrees with the kinematics' channels, and
//! bodies rest on the floor.

use super::*;
use crate::kinematics::{Channel, angles};

fn channel(pose: &Pose, c: Channel) -> f32 {
    angles(&pose_frame(pose)).get(c).unwrap_or(f32::NAN)
}

#[test]
fn standing_is_upright_on_the_floor() {
    let f = pose_frame(&Pose::new(Base::Standing));
    let lowest = f.joints.iter().map(|p| p.p.y).fold(f32::INFINITY, f32::min);
    assert!(lowest.abs() < 0.01, "{lowest}");
    let head = f.get(crate::skeleton::Joint::Head).p.y;
    assert!((1.55..1.75).contains(&head), "{head}");
    for c in [Channel::TrunkFlexion, Channel::KneeFlexionLeft, Channel::ShoulderElevationRight] {
        assert!(channel(&Pose::new(Base::Standing), c).abs() < 1.0, "{c:?}");
    }
}
