//! Exercise figures as data: a start and an end pose of the common skeleton, described by
//! joint angles, from which the figure's joints are placed by forward kinematics.

use serde::{Deserialize, Serialize};

/// The side the figure is drawn from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FigureView {
    /// Seen from the person's left side.
    Side,
    /// Seen from the front.
    Front,
}

/// How the body rests on the floor or a chair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// On the feet.
    Standing,
    /// On a chair.
    Sitting,
    /// Lying on the back.
    Supine,
    /// Lying face down.
    Prone,
    /// Lying on the left side.
    SideLying,
    /// On hands and knees.
    FourPoint,
}

/// A pose: the base and joint angles in degrees (0 = the base's neutral position).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pose {
    /// How the body rests.
    pub base: Base,
    /// Forward bend of the trunk (negative arches back).
    #[serde(default)]
    pub trunk_flexion: f32,
}

/// An exercise figure: start and end positions, seen from one side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// Where it is seen from.
    pub view: FigureView,
    /// The starting position.
    pub start: Pose,
    /// The end of the movement.
    pub end: Pose,
}
