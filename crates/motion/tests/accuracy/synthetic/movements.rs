//! What each synthetic exercise looks like: the pose a set rests in between repetitions, the
//! end of one repetition (for the left side, or a bend or turn one way), the tempo, and which
//! sensor would see it. Poses are figure poses (`physio_motion::figure`), so each movement is
//! described by the same joint angles the kinematics measures; they follow the exercise
//! library's instructions and figures (crates/clinic/library), not the tracker's thresholds.
//!
//! Tempos are a controlled pace for an older person following the instructions ("slowly",
//! "about two seconds"): seconds to the end position, held there, and back, before the
//! person-to-person variation of ±10 % per repetition (`take`).

use physio_motion::figure::{Arm, Base, Leg, Pose};

/// Which sensor the take imitates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// BlazePose world landmarks from a browser webcam: no mid-spine, neck or pelvis joints
    /// (the importer derives the last two), origin at the centre of the hips.
    Webcam,
    /// A depth camera (Kinect-like): every joint including the mid-spine, in room coordinates.
    /// Only for the cat–camel, whose spine curve a webcam cannot see.
    DepthCamera,
}

/// How the repetitions of a set use the two sides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sides {
    /// Both sides together (or a midline movement done one way).
    Both,
    /// One limb for the whole set ("do all of them, then the other side"); the side is drawn
    /// per take.
    One,
    /// Alternately to the left and to the right (side bends, trunk turns).
    Alternate,
}

/// One exercise's synthetic movement.
pub(crate) struct Movement {
    /// The exercise spec id (`physio_motion::exercises`).
    pub(crate) id: &'static str,
    /// Where the person is after walking in (standing) or getting down (floor and chair): the
    /// settling blends from here to `start`.
    pub(crate) ready: fn() -> Pose,
    /// The position the set rests in between repetitions.
    pub(crate) start: fn() -> Pose,
    /// The end of one repetition (left side, or bending or turning one way).
    pub(crate) end: fn() -> Pose,
    /// The person walks into view before the set and out after it (standing exercises).
    pub(crate) walks: bool,
    pub(crate) sides: Sides,
    pub(crate) source: Source,
    /// Seconds to the end position, held there, and back.
    pub(crate) rise_s: f64,
    pub(crate) hold_s: f64,
    pub(crate) return_s: f64,
    /// Rest between repetitions: shortest and longest (s), drawn uniformly.
    pub(crate) rest_s: (f64, f64),
}

fn standing() -> Pose {
    Pose::new(Base::Standing)
}

fn arm(elevation: f32, plane: f32, rotation: f32, elbow: f32) -> Arm {
    Arm { elevation, plane, rotation, elbow }
}

fn leg(flexion: f32, abduction: f32, knee: f32) -> Leg {
    Leg { flexion, abduction, knee, ankle: None }
}

/// Sitting on a chair, thighs level and shins upright.
fn sitting() -> Pose {
    Pose {
        left_leg: leg(90.0, 0.0, 90.0),
        right_leg: leg(90.0, 0.0, 90.0),
        ..Pose::new(Base::Sitting)
    }
}

fn sitting_arms_crossed() -> Pose {
    let crossed = arm(45.0, 130.0, -80.0, 115.0);
    Pose { left_arm: crossed, right_arm: crossed, ..sitting() }
}

fn sitting_hands_on_thighs() -> Pose {
    let hands = arm(15.0, 90.0, 0.0, 75.0);
    Pose { left_arm: hands, right_arm: hands, ..sitting() }
}

/// On hands and knees: hands under the shoulders, knees under the hips, back flat.
fn four_point() -> Pose {
    let a = arm(90.0, 90.0, 0.0, 0.0);
    let l = leg(90.0, 0.0, 90.0);
    Pose { left_arm: a, right_arm: a, left_leg: l, right_leg: l, ..Pose::new(Base::FourPoint) }
}

/// Lying face down, forehead down, arms resting on the floor at `elevation` (135: a Y, 90: a
/// T).
fn prone(elevation: f32, plane: f32) -> Pose {
    let a = arm(elevation, plane, 0.0, 0.0);
    Pose { left_arm: a, right_arm: a, neck_flexion: -12.0, ..Pose::new(Base::Prone) }
}

/// The left-right mirror image of a pose: limbs swapped, bends and turns the other way.
pub(crate) fn mirror(p: &Pose) -> Pose {
    Pose {
        side_lean: -p.side_lean,
        trunk_side_bend: -p.trunk_side_bend,
        trunk_rotation: -p.trunk_rotation,
        head_turn: -p.head_turn,
        head_tilt: -p.head_tilt,
        left_arm: p.right_arm,
        right_arm: p.left_arm,
        left_leg: p.right_leg,
        right_leg: p.left_leg,
        ..p.clone()
    }
}

/// Every exercise without a real recording of a whole set (and thoracic rotation and the
/// trunk side bend, whose KERAAL takes hold one movement to each side only).
pub(crate) const MOVEMENTS: [Movement; 13] = [
    // Knee lift as if stepping over a low box: hip 70°, knee 80°.
    Movement {
        id: "hurdle-step",
        ready: standing,
        start: standing,
        end: || Pose { left_leg: leg(70.0, 0.0, 80.0), ..standing() },
        walks: true,
        sides: Sides::One,
        source: Source::Webcam,
        rise_s: 1.2,
        hold_s: 0.3,
        return_s: 1.2,
        rest_s: (1.0, 2.0),
    },
    // From a split stance, both knees bend to about 95° (the library's figure).
    Movement {
        id: "inline-lunge",
        ready: standing,
        start: || Pose {
            left_leg: leg(28.0, 0.0, 0.0),
            right_leg: leg(-28.0, 0.0, 0.0),
            ..standing()
        },
        end: || Pose {
            left_leg: leg(85.0, 0.0, 95.0),
            right_leg: Leg { ankle: Some(-5.0), ..leg(-4.0, 0.0, 95.0) },
            ..standing()
        },
        walks: true,
        sides: Sides::One,
        source: Source::Webcam,
        rise_s: 1.5,
        hold_s: 0.3,
        return_s: 1.5,
        rest_s: (1.0, 2.0),
    },
    // From a wide stance, one knee bends to 75° with the hips pushed back (the library's
    // figure), the other leg straight.
    Movement {
        id: "side-lunge",
        ready: standing,
        start: || Pose {
            left_leg: leg(0.0, 28.0, 0.0),
            right_leg: leg(0.0, 28.0, 0.0),
            ..standing()
        },
        end: || Pose {
            lean: 20.0,
            left_leg: leg(45.0, 20.0, 75.0),
            right_leg: leg(6.0, 42.0, 0.0),
            ..standing()
        },
        walks: true,
        sides: Sides::One,
        source: Source::Webcam,
        rise_s: 1.5,
        hold_s: 0.3,
        return_s: 1.5,
        rest_s: (1.0, 2.0),
    },
    // Holding a chair with the other hand, the straight leg lifts 40° forward.
    Movement {
        id: "straight-leg-raise",
        ready: standing,
        start: || Pose { right_arm: arm(15.0, 10.0, 0.0, 10.0), ..standing() },
        end: || Pose {
            right_arm: arm(15.0, 10.0, 0.0, 10.0),
            left_leg: Leg { ankle: Some(0.0), ..leg(40.0, 0.0, 0.0) },
            ..standing()
        },
        walks: true,
        sides: Sides::One,
        source: Source::Webcam,
        rise_s: 1.0,
        hold_s: 0.3,
        return_s: 1.2,
        rest_s: (1.0, 2.0),
    },
    // Seated, arms crossed, the shoulders turn 35° against the hips, to each side in turn.
    Movement {
        id: "thoracic-rotation",
        ready: sitting_arms_crossed,
        start: sitting_arms_crossed,
        end: || Pose { trunk_rotation: 35.0, ..sitting_arms_crossed() },
        walks: false,
        sides: Sides::Alternate,
        source: Source::Webcam,
        rise_s: 1.5,
        hold_s: 0.5,
        return_s: 1.5,
        rest_s: (0.8, 1.5),
    },
    // Back to the wall, arms slide from a W (elevation 90°, elbows 90°) up to 155°.
    Movement {
        id: "wall-angel",
        ready: standing,
        start: || {
            let w = arm(90.0, 0.0, 90.0, 90.0);
            Pose { left_arm: w, right_arm: w, ..standing() }
        },
        end: || {
            let up = arm(155.0, 0.0, 90.0, 15.0);
            Pose { left_arm: up, right_arm: up, ..standing() }
        },
        walks: true,
        sides: Sides::Both,
        source: Source::Webcam,
        rise_s: 2.0,
        hold_s: 1.0,
        return_s: 2.0,
        rest_s: (1.0, 2.0),
    },
    // Both straight arms forward and up to 160°.
    Movement {
        id: "arm-raise",
        ready: standing,
        start: standing,
        end: || Pose {
            left_arm: arm(160.0, 90.0, 0.0, 0.0),
            right_arm: arm(160.0, 90.0, 0.0, 0.0),
            ..standing()
        },
        walks: true,
        sides: Sides::Both,
        source: Source::Webcam,
        rise_s: 1.5,
        hold_s: 0.5,
        return_s: 1.5,
        rest_s: (1.0, 2.0),
    },
    // Seated, the head glides 5 cm straight back (from 2 cm forward to 3 cm back) and is held
    // there for the prescribed 5 s.
    Movement {
        id: "chin-tuck",
        ready: || Pose { chin_glide: 2.0, ..sitting_hands_on_thighs() },
        start: || Pose { chin_glide: 2.0, ..sitting_hands_on_thighs() },
        end: || Pose { chin_glide: -3.0, ..sitting_hands_on_thighs() },
        walks: false,
        sides: Sides::Both,
        source: Source::Webcam,
        rise_s: 1.0,
        hold_s: 5.5,
        return_s: 1.0,
        rest_s: (1.5, 3.0),
    },
    // On hands and knees from a flat back: each round rounds the back (+20°) and lets it dip
    // (−15°), about two seconds each way as the instructions say; the dip is where it rests.
    Movement {
        id: "cat-camel",
        ready: four_point,
        start: || Pose { spine_curve: -15.0, ..four_point() },
        end: || Pose { spine_curve: 20.0, neck_flexion: 20.0, ..four_point() },
        walks: false,
        sides: Sides::Both,
        source: Source::DepthCamera,
        rise_s: 2.0,
        hold_s: 0.5,
        return_s: 2.0,
        rest_s: (0.3, 0.8),
    },
    // Standing, the trunk bends 25° to one side, then the other.
    Movement {
        id: "trunk-side-bend",
        ready: standing,
        start: standing,
        end: || Pose { trunk_side_bend: 25.0, ..standing() },
        walks: true,
        sides: Sides::Alternate,
        source: Source::Webcam,
        rise_s: 1.5,
        hold_s: 0.5,
        return_s: 1.5,
        rest_s: (0.8, 1.5),
    },
    // Face down, arms in a Y lift 19° toward the ceiling and hold the prescribed 2 s.
    Movement {
        id: "prone-y-raise",
        ready: || prone(135.0, 4.0),
        start: || prone(135.0, 4.0),
        end: || prone(135.0, -15.0),
        walks: false,
        sides: Sides::Both,
        source: Source::Webcam,
        rise_s: 1.0,
        hold_s: 2.5,
        return_s: 1.0,
        rest_s: (1.5, 2.5),
    },
    // Face down, arms in a T, likewise.
    Movement {
        id: "prone-t-raise",
        ready: || prone(90.0, 4.0),
        start: || prone(90.0, 4.0),
        end: || prone(90.0, -15.0),
        walks: false,
        sides: Sides::Both,
        source: Source::Webcam,
        rise_s: 1.0,
        hold_s: 2.5,
        return_s: 1.0,
        rest_s: (1.5, 2.5),
    },
    // One straight arm forward and up to 160°.
    Movement {
        id: "shoulder-flexion",
        ready: standing,
        start: standing,
        end: || Pose { left_arm: arm(160.0, 90.0, 0.0, 0.0), ..standing() },
        walks: true,
        sides: Sides::One,
        source: Source::Webcam,
        rise_s: 1.5,
        hold_s: 0.5,
        return_s: 1.5,
        rest_s: (1.0, 2.0),
    },
];
