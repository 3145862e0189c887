//! Interpolating two figure poses joint angle by joint angle, so limbs swing between
//! positions rather than slide (and a fraction above 1 carries a movement a little further,
//! which is how a repetition's range varies).

use physio_motion::figure::{Arm, Leg, Pose};

fn mix(a: f32, b: f32, t: f32) -> f32 {
    a + (b - a) * t
}

fn mix_arm(a: Arm, b: Arm, t: f32) -> Arm {
    Arm {
        elevation: mix(a.elevation, b.elevation, t).max(0.0),
        plane: mix(a.plane, b.plane, t),
        rotation: mix(a.rotation, b.rotation, t),
        elbow: mix(a.elbow, b.elbow, t).max(0.0),
    }
}

fn mix_leg(a: Leg, b: Leg, t: f32) -> Leg {
    Leg {
        flexion: mix(a.flexion, b.flexion, t),
        abduction: mix(a.abduction, b.abduction, t),
        knee: mix(a.knee, b.knee, t).max(0.0),
        ankle: match (a.ankle, b.ankle) {
            (Some(x), Some(y)) => Some(mix(x, y, t)),
            (x, y) => x.or(y),
        },
    }
}

/// The pose a fraction `t` of the way from `a` to `b` (on `a`'s base; `t` may exceed 1).
pub(crate) fn blend(a: &Pose, b: &Pose, t: f32) -> Pose {
    let m = |f: fn(&Pose) -> f32| mix(f(a), f(b), t);
    Pose {
        lean: m(|p| p.lean),
        side_lean: m(|p| p.side_lean),
        trunk_flexion: m(|p| p.trunk_flexion),
        trunk_side_bend: m(|p| p.trunk_side_bend),
        trunk_rotation: m(|p| p.trunk_rotation),
        spine_curve: m(|p| p.spine_curve),
        shoulders_back: m(|p| p.shoulders_back),
        neck_flexion: m(|p| p.neck_flexion),
        head_nod: m(|p| p.head_nod),
        head_turn: m(|p| p.head_turn),
        head_tilt: m(|p| p.head_tilt),
        chin_glide: m(|p| p.chin_glide),
        left_arm: mix_arm(a.left_arm, b.left_arm, t),
        right_arm: mix_arm(a.right_arm, b.right_arm, t),
        left_leg: mix_leg(a.left_leg, b.left_leg, t),
        right_leg: mix_leg(a.right_leg, b.right_leg, t),
        ..Pose::new(a.base)
    }
}
