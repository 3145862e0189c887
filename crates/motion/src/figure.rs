//! Exercise figures as data: a start and an end pose of the common skeleton, described by
//! joint angles, from which the figure's joints are placed by forward kinematics
//! ([`pose_frame`]) and drawn as 2-D strokes ([`sketch`]) seen from one side ([`project`]).
//!
//! A pose lists only what differs from the anatomical zero of its joints (standing upright,
//! arms hanging, legs straight): every angle is in degrees and defaults to 0. Angles are the
//! same ones the kinematics measures (`crate::kinematics`), so a figure can be checked against
//! the exercise's motion specification: the drawing and the tracker agree on what the
//! movement is.

mod body;
mod rotation;
mod sketch;

use serde::{Deserialize, Serialize};

use crate::geom::V3;
use crate::skeleton::{Frame, JOINT_COUNT};

pub use self::sketch::{Ink, P2, Shape, Sketch, Stroke};

/// Where the figure is seen from. Cameras are fixed in the world; the base turns the body in
/// it (see [`Base`]), so a lying person is seen from the side too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FigureView {
    /// From the left of a standing person (who faces the left of the picture). Lying on the
    /// back or front, or on hands and knees, the person's left side faces the viewer; lying
    /// on the side, the person faces the viewer.
    Side,
    /// Facing a standing or sitting person. On hands and knees or lying face down, the view
    /// from the head end.
    Front,
    /// Three-quarter view from above: the side view's camera turned 40° toward the front and
    /// raised 30°, for movements across the body on the floor (thread the needle, arms out
    /// to the side lying face down) that the level views see end-on. Drawn on a mat.
    Oblique,
    /// From the ceiling, the picture's right where the side view's is (a person lying on the
    /// back or side has the head at the right, as seen from the side): for movements along
    /// the floor (the open book). Drawn on a mat.
    Above,
}

/// How the body rests on the floor or a chair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Base {
    /// On the feet.
    Standing,
    /// On a chair of standard height (the chair is drawn under the hips).
    Sitting,
    /// Lying on the back.
    Supine,
    /// Lying face down.
    Prone,
    /// Lying on the left side.
    SideLying,
    /// On hands and knees: the body is turned as lying face down; the pose bends the hips,
    /// knees and shoulders to 90° to kneel.
    FourPoint,
}

/// One arm. The upper arm's direction is given as the kinematics measures it: how far it is
/// raised (`elevation`) and in which direction (`plane`), so shoulder flexion is `plane` 90,
/// abduction `plane` 0, extension `plane` −90, and scaption `plane` 30–45.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Arm {
    /// Upper arm raised from hanging at the side: 0 at the side, 90 level, 180 overhead.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub elevation: f32,
    /// Direction it is raised in, about the trunk's long axis: 0 out to the side, 90 straight
    /// ahead, −90 straight back, above 90 across the body.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub plane: f32,
    /// Rotation of the upper arm, external positive; at 0 a bent elbow points the forearm
    /// forward when the arm hangs at the side.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rotation: f32,
    /// Elbow flexion (0 straight).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub elbow: f32,
}

/// One leg.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Leg {
    /// Hip flexion: the thigh forward of the pelvis (negative: extension, behind).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub flexion: f32,
    /// Hip abduction: the thigh out to the side.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub abduction: f32,
    /// Knee flexion (0 straight).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub knee: f32,
    /// Ankle dorsiflexion against the shin (negative points the foot). Absent, the foot rests
    /// as it usually does in the base: flat on the floor standing, sitting and lying on the
    /// back with the knee bent; at a right angle to the shin lying on the back or side with
    /// the knee straight; pointed lying face down and kneeling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ankle: Option<f32>,
}

/// An object drawn with the figure, in the same line style.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Prop {
    /// A chair: under the hips when sitting, just behind the legs when standing.
    Chair,
    /// A chair beside the person, its backrest under the right hand, to hold for balance.
    ChairToHold,
    /// A wall touching the back.
    Wall,
    /// A rolled towel across the floor under the middle of the back.
    TowelRoll,
    /// An exercise band from the hands to a fixed point ahead, at chest height.
    Band,
    /// A step under the left foot, as high as the foot is lifted.
    Step,
}

/// A body region marked as working hard (short strokes around it): the only change an
/// isometric exercise shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// The buttocks.
    Buttocks,
    /// The belly.
    Belly,
    /// The front of the left thigh.
    LeftThigh,
    /// The front of the right thigh.
    RightThigh,
    /// Between the shoulder blades.
    ShoulderBlades,
}

/// A pose: the base, then joint angles in degrees (0 = anatomical zero).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pose {
    /// How the body rests.
    pub base: Base,
    /// The whole body leans forward about the hip line (negative: backward), the legs
    /// following their hip angles: a hip hinge leans the body and flexes the hips as much.
    /// The body rests on its lowest points, so lying on the back a backward lean lifts the
    /// pelvis (a bridge), and on the knees it tips the trunk.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub lean: f32,
    /// The whole body leans toward its right. Lying on the left side, this lifts the hips off
    /// the floor (a side plank).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub side_lean: f32,
    /// Forward bend of the trunk on the pelvis (negative: backward, the back arching).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub trunk_flexion: f32,
    /// Side bend of the trunk on the pelvis, toward the right positive.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub trunk_side_bend: f32,
    /// Rotation of the shoulders against the pelvis, turning left positive.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub trunk_rotation: f32,
    /// Curve of the spine between the low back and the upper back, rounding positive and
    /// arching negative, without changing the trunk's overall direction.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub spine_curve: f32,
    /// The shoulder blades drawn back (negative: forward), in centimetres.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub shoulders_back: f32,
    /// Forward bend of the neck, the head with it (negative: backward).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub neck_flexion: f32,
    /// Nod of the head on the neck, chin down positive.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub head_nod: f32,
    /// Head turned to the left positive.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub head_turn: f32,
    /// Head tilted, the ear toward the right shoulder positive.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub head_tilt: f32,
    /// The head glides forward (negative: back, a chin tuck) without nodding, in centimetres.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub chin_glide: f32,
    /// The left arm.
    #[serde(default, skip_serializing_if = "Arm::is_rest")]
    pub left_arm: Arm,
    /// The right arm.
    #[serde(default, skip_serializing_if = "Arm::is_rest")]
    pub right_arm: Arm,
    /// The left leg.
    #[serde(default, skip_serializing_if = "Leg::is_rest")]
    pub left_leg: Leg,
    /// The right leg.
    #[serde(default, skip_serializing_if = "Leg::is_rest")]
    pub right_leg: Leg,
    /// Draws the outline of the belly, risen this many centimetres (negative: drawn in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub belly: Option<f32>,
    /// Draws the outline of the lower ribs, widened this many centimetres to each side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ribs: Option<f32>,
    /// Objects drawn with the figure besides the floor, which is always drawn (but from
    /// above).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub props: Vec<Prop>,
    /// Regions marked as working.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tense: Vec<Region>,
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

fn is_zero(v: &f32) -> bool {
    *v == 0.0
}

impl Arm {
    fn is_rest(&self) -> bool {
        *self == Arm::default()
    }
}

impl Leg {
    fn is_rest(&self) -> bool {
        *self == Leg::default()
    }
}

impl Pose {
    /// The anatomical zero on a base: every angle 0, nothing drawn besides the body.
    pub fn new(base: Base) -> Pose {
        Pose {
            base,
            lean: 0.0,
            side_lean: 0.0,
            trunk_flexion: 0.0,
            trunk_side_bend: 0.0,
            trunk_rotation: 0.0,
            spine_curve: 0.0,
            shoulders_back: 0.0,
            neck_flexion: 0.0,
            head_nod: 0.0,
            head_turn: 0.0,
            head_tilt: 0.0,
            chin_glide: 0.0,
            left_arm: Arm::default(),
            right_arm: Arm::default(),
            left_leg: Leg::default(),
            right_leg: Leg::default(),
            belly: None,
            ribs: None,
            props: Vec::new(),
            tense: Vec::new(),
        }
    }
}

/// The joints of a pose, in metres, y up, resting on its base: the lowest point of the body
/// on the floor (y = 0), the supporting feet (or, lying and kneeling, the pelvis) over the
/// origin. A standing person faces +z with the left toward +x. Every joint has confidence 1.
pub fn pose_frame(pose: &Pose) -> Frame {
    body::Body::blend(pose, pose, 0.0).frame()
}

/// The joints of a frame seen from `view`: x to the right of the picture and y up, in
/// metres (an orthographic projection, so the side and front views show true heights).
pub fn project(frame: &Frame, view: FigureView) -> [P2; JOINT_COUNT] {
    frame.joints.map(|p| to_screen(p.p, view))
}

/// The camera of a view: the picture's right, its up, and the direction toward the viewer.
fn camera(view: FigureView) -> (V3, V3, V3) {
    // Turned from +x (the side view) toward +z (the front view), and raised above level.
    let (yaw, pitch): (f32, f32) = match view {
        FigureView::Side => (0.0, 0.0),
        FigureView::Front => (90.0, 0.0),
        FigureView::Oblique => (40.0, 30.0),
        FigureView::Above => (0.0, 90.0),
    };
    let (sy, cy) = yaw.to_radians().sin_cos();
    let (sp, cp) = pitch.to_radians().sin_cos();
    // Exact zeros at the axes, so the side and front views are exact projections.
    let snap = |v: f32| if v.abs() < 1e-6 { 0.0 } else { v };
    let toward = V3::new(snap(cp * cy), snap(sp), snap(cp * sy));
    let right = V3::new(snap(sy), 0.0, snap(-cy));
    let up = toward.cross(right);
    (right, up, toward)
}

/// One point seen from `view` (see [`project`]).
pub fn to_screen(p: V3, view: FigureView) -> P2 {
    let (right, up, _) = camera(view);
    P2 { x: p.dot(right), y: p.dot(up) }
}

/// How far a point is toward the viewer of `view` (larger is nearer).
pub fn depth(p: V3, view: FigureView) -> f32 {
    p.dot(toward_viewer(view))
}

/// The direction toward the viewer of `view`.
pub(crate) fn toward_viewer(view: FigureView) -> V3 {
    camera(view).2
}

/// Whether the floor is seen edge-on (a line at y = 0 in the picture); otherwise the figure
/// is drawn on a mat.
pub fn floor_is_a_line(view: FigureView) -> bool {
    matches!(view, FigureView::Side | FigureView::Front)
}

/// The figure drawn at `t` of its movement (0 the start, 1 the end; between, the joint angles
/// are interpolated, so limbs swing rather than slide). The strokes come in the same order
/// and with the same number of points for every `t` of one figure, so they can be animated
/// point by point.
pub fn sketch(figure: &Figure, t: f32) -> Sketch {
    sketch::draw(figure, t)
}

#[cfg(test)]
mod tests;
