//! Exercise tracking specifications, as data: one `ExerciseSpec` per trackable exercise.
//!
//! Numbers come from the exercise instructions and clinical norms (clinical reference §6–§7),
//! not from fitting recordings: `reach` is the range the instruction asks for, `limit` a
//! range clearly beyond it, compensation limits are generic clinical tolerances (≈ 10° of
//! trunk motion; a shrug of 12 % of trunk length, above the shoulder's normal rise with
//! scapulohumeral rhythm). Repetition detection itself is relative to
//! the person's own calibrated range (see `tracker`).

pub mod validation;

use serde::Serialize;

use crate::exercises::validation::Validation;
use crate::kinematics::Channel;

/// Camera view the exercise needs when the source is a single camera.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Facing the camera.
    Front,
    /// Side-on to the camera.
    Side,
    /// Front or side both work.
    Any,
}

/// Which side(s) the primary signal is read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SideRule {
    /// A midline channel (trunk, head).
    Midline,
    /// Mean of left and right (bilateral movements).
    Both,
    /// Whichever side moves more (one limb at a time, either side).
    Either,
}

/// How the primary channel maps to the movement signal that rises during a repetition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The movement raises the channel.
    Increase,
    /// The movement lowers the channel.
    Decrease,
    /// The movement takes the channel away from zero, either way (rotation to both sides).
    Magnitude,
    /// The movement takes the channel away from its value at rest, either way.
    AwayFromRest,
}

/// A form error a repetition can fail on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FormError {
    /// The primary angle fell short of the target or of the person's calibrated range.
    TooLittleRange,
    /// The primary angle went past the exercise's maximum.
    BeyondMaxRange,
    /// The arm moved in the wrong plane (e.g. flexion instead of abduction).
    WrongPlane,
    /// The trunk leant sideways or forward to help the movement.
    TrunkLean,
    /// The trunk extended (lower back arched).
    LumbarArch,
    /// The shoulder was hiked (shrug).
    ShoulderHike,
    /// The pelvis turned with the trunk.
    PelvisRotation,
    /// Left and right differed at the peak.
    Asymmetry,
    /// The repetition was faster than the tempo allows.
    TooFast,
    /// The end position was not held long enough.
    HoldTooShort,
    /// The elbow bent during a straight-arm movement (or left its set angle).
    ElbowBent,
    /// The knee bent during a straight-leg movement.
    KneeBent,
    /// The head nodded instead of gliding back.
    HeadNod,
    /// The arm was not in the prescribed position (e.g. Y vs T).
    ArmPosition,
}

/// Number of `FormError` kinds.
pub const FORM_ERRORS: usize = 14;

impl FormError {
    /// Every kind, in bit order.
    pub const ALL: [FormError; FORM_ERRORS] = [
        FormError::TooLittleRange,
        FormError::BeyondMaxRange,
        FormError::WrongPlane,
        FormError::TrunkLean,
        FormError::LumbarArch,
        FormError::ShoulderHike,
        FormError::PelvisRotation,
        FormError::Asymmetry,
        FormError::TooFast,
        FormError::HoldTooShort,
        FormError::ElbowBent,
        FormError::KneeBent,
        FormError::HeadNod,
        FormError::ArmPosition,
    ];

    /// Stable snake_case name (as in the JSON output).
    pub const fn name(self) -> &'static str {
        match self {
            FormError::TooLittleRange => "too_little_range",
            FormError::BeyondMaxRange => "beyond_max_range",
            FormError::WrongPlane => "wrong_plane",
            FormError::TrunkLean => "trunk_lean",
            FormError::LumbarArch => "lumbar_arch",
            FormError::ShoulderHike => "shoulder_hike",
            FormError::PelvisRotation => "pelvis_rotation",
            FormError::Asymmetry => "asymmetry",
            FormError::TooFast => "too_fast",
            FormError::HoldTooShort => "hold_too_short",
            FormError::ElbowBent => "elbow_bent",
            FormError::KneeBent => "knee_bent",
            FormError::HeadNod => "head_nod",
            FormError::ArmPosition => "arm_position",
        }
    }
}

/// Which channel a check reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Which {
    /// This midline channel.
    Midline(Channel),
    /// The moving side's version of this (left) channel.
    Moving(Channel),
    /// The larger of the left and right versions of this (left) channel.
    EitherSide(Channel),
}

/// How a check turns a channel into a number compared with its limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Largest |value − value at repetition start| during the repetition.
    Deviation(Which),
    /// Largest (value − value at start): the channel must not rise by more than the limit.
    Rise(Which),
    /// Largest (value at start − value): the channel must not fall by more than the limit.
    Fall(Which),
    /// |left − right| of the highest value each side of this (left) channel reached during the
    /// repetition, as a percentage of the repetition's excursion.
    Asymmetry(Channel),
}

/// One form check: a measure that must stay at or below `limit`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Check {
    /// The error reported when the check fails.
    pub error: FormError,
    /// What is measured.
    pub measure: Measure,
    /// Largest allowed value (degrees, or percent of trunk length for shoulder hike).
    pub limit: f32,
}

/// A band a channel must be in at the peak of the repetition.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Band {
    /// The error reported outside the band.
    pub error: FormError,
    /// The channel (moving side).
    pub which: Which,
    /// Lowest allowed value.
    pub min: f32,
    /// Highest allowed value.
    pub max: f32,
}

/// How to track one exercise.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct ExerciseSpec {
    /// Stable id (`deep-squat`, ...).
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Camera view needed.
    pub view: View,
    /// True when the primary signal needs depth (3-D sources or BlazePose world landmarks).
    pub needs_depth: bool,
    /// Primary channel (the left variant for sided channels).
    pub primary: Channel,
    /// Side rule for the primary channel.
    pub side: SideRule,
    /// How the channel maps to the rising movement signal.
    pub direction: Direction,
    /// Typical excursion of one repetition (movement-signal units): the starting calibration
    /// until the person's own repetitions replace it.
    pub nominal_rom: f32,
    /// Range the instruction asks for, in channel units (for `Decrease`, the value to get
    /// down to; for `Magnitude`/`AwayFromRest`, the excursion): short of it is too little range.
    pub reach: Option<f32>,
    /// Range clearly beyond the instruction, same units: past it is beyond max range.
    pub limit: Option<f32>,
    /// Seconds to hold the end position (0 = no hold).
    pub hold_s: f32,
    /// Shortest acceptable repetition (s); faster is too fast.
    pub min_rep_s: f32,
    /// Longest repetition (s) before the tracker gives up on it.
    pub max_rep_s: f32,
    /// Position bands checked at the peak.
    pub bands: &'static [Band],
    /// Compensation checks.
    pub checks: &'static [Check],
}

use Channel as C;
use Measure as M;
use Which as W;

const fn check(error: FormError, measure: Measure, limit: f32) -> Check {
    Check { error, measure, limit }
}

const TRUNK_SIDE: Check =
    check(FormError::TrunkLean, M::Deviation(W::Midline(C::TrunkSideLean)), 10.0);
const TRUNK_FWD: Check =
    check(FormError::TrunkLean, M::Deviation(W::Midline(C::TrunkFlexion)), 15.0);
const ARCH: Check = check(FormError::LumbarArch, M::Fall(W::Midline(C::TrunkFlexion)), 10.0);
const HIKE: Check = check(FormError::ShoulderHike, M::Rise(W::Moving(C::ShoulderHikeLeft)), 12.0);
const HIKE_BOTH: Check =
    check(FormError::ShoulderHike, M::Rise(W::EitherSide(C::ShoulderHikeLeft)), 12.0);
const ELBOW: Check = check(FormError::ElbowBent, M::Rise(W::Moving(C::ElbowFlexionLeft)), 30.0);
const PELVIS: Check =
    check(FormError::PelvisRotation, M::Deviation(W::Midline(C::PelvisYaw)), 15.0);

const fn spec(
    id: &'static str,
    name: &'static str,
    view: View,
    primary: Channel,
    side: SideRule,
) -> ExerciseSpec {
    ExerciseSpec {
        id,
        name,
        view,
        needs_depth: false,
        primary,
        side,
        direction: Direction::Increase,
        nominal_rom: 60.0,
        reach: None,
        limit: None,
        hold_s: 0.0,
        min_rep_s: 1.0,
        max_rep_s: 30.0,
        bands: &[],
        checks: &[],
    }
}

/// Every exercise the engine can track.
pub static EXERCISES: [ExerciseSpec; 19] = [
    ExerciseSpec {
        nominal_rom: 90.0,
        reach: Some(90.0),
        checks: &[
            check(FormError::TrunkLean, M::Rise(W::Midline(C::TrunkFlexion)), 50.0),
            TRUNK_SIDE,
            check(FormError::Asymmetry, M::Asymmetry(C::KneeFlexionLeft), 25.0),
        ],
        ..spec("deep-squat", "Deep squat", View::Side, C::KneeFlexionLeft, SideRule::Both)
    },
    ExerciseSpec {
        nominal_rom: 45.0,
        reach: Some(45.0),
        checks: &[TRUNK_SIDE, TRUNK_FWD, PELVIS],
        ..spec("hurdle-step", "Hurdle step", View::Front, C::HipFlexionLeft, SideRule::Either)
    },
    ExerciseSpec {
        nominal_rom: 70.0,
        reach: Some(70.0),
        checks: &[TRUNK_SIDE, TRUNK_FWD],
        ..spec("inline-lunge", "Inline lunge", View::Side, C::KneeFlexionLeft, SideRule::Either)
    },
    ExerciseSpec {
        nominal_rom: 60.0,
        reach: Some(60.0),
        checks: &[check(FormError::TrunkLean, M::Rise(W::Midline(C::TrunkFlexion)), 45.0)],
        ..spec("side-lunge", "Side lunge", View::Front, C::KneeFlexionLeft, SideRule::Either)
    },
    ExerciseSpec {
        nominal_rom: 60.0,
        reach: Some(70.0),
        checks: &[
            TRUNK_SIDE,
            check(FormError::Asymmetry, M::Asymmetry(C::KneeFlexionLeft), 25.0),
            // Healthy adults lean the trunk about 44° ± 6° forward to rise from a chair (at
            // seat-off); more than two standard deviations beyond is a compensation.
            check(FormError::TrunkLean, M::Rise(W::Midline(C::TrunkFlexion)), 56.0),
        ],
        ..spec("sit-to-stand", "Sit to stand", View::Side, C::KneeFlexionLeft, SideRule::Both)
    },
    ExerciseSpec {
        nominal_rom: 40.0,
        reach: Some(30.0),
        checks: &[
            check(FormError::KneeBent, M::Rise(W::Moving(C::KneeFlexionLeft)), 20.0),
            TRUNK_SIDE,
            TRUNK_FWD,
        ],
        ..spec(
            "straight-leg-raise",
            "Standing straight-leg raise",
            View::Side,
            C::HipFlexionLeft,
            SideRule::Either,
        )
    },
    ExerciseSpec {
        nominal_rom: 100.0,
        reach: Some(120.0),
        bands: &[Band {
            error: FormError::WrongPlane,
            which: W::Moving(C::ShoulderPlaneLeft),
            min: -30.0,
            max: 60.0,
        }],
        checks: &[TRUNK_SIDE, HIKE, ELBOW],
        ..spec(
            "shoulder-abduction",
            "Standing shoulder abduction",
            View::Front,
            C::ShoulderElevationLeft,
            SideRule::Either,
        )
    },
    ExerciseSpec {
        nominal_rom: 40.0,
        // The arm must go back, not out: two thirds of the normal 60° of extension (AAOS), the
        // same share of the norm as abduction's 120° of 180°, measured in the sagittal plane.
        reach: Some(40.0),
        bands: &[Band {
            error: FormError::WrongPlane,
            which: W::Moving(C::ShoulderPlaneLeft),
            min: -180.0,
            max: -30.0,
        }],
        checks: &[TRUNK_FWD, HIKE, ELBOW],
        ..spec(
            "shoulder-extension",
            "Standing shoulder extension",
            View::Side,
            C::ShoulderExtensionLeft,
            SideRule::Either,
        )
    },
    ExerciseSpec {
        needs_depth: true,
        direction: Direction::Decrease,
        nominal_rom: 60.0,
        reach: Some(45.0),
        checks: &[
            check(FormError::ElbowBent, M::Deviation(W::Moving(C::ElbowFlexionLeft)), 30.0),
            TRUNK_SIDE,
            TRUNK_FWD,
        ],
        ..spec(
            "shoulder-rotation",
            "Shoulder internal–external rotation",
            View::Front,
            C::ShoulderRotationLeft,
            SideRule::Either,
        )
    },
    ExerciseSpec {
        nominal_rom: 80.0,
        reach: Some(75.0),
        limit: Some(120.0),
        bands: &[Band {
            error: FormError::WrongPlane,
            which: W::Moving(C::ShoulderPlaneLeft),
            min: 0.0,
            max: 75.0,
        }],
        checks: &[TRUNK_SIDE, HIKE, ELBOW],
        ..spec(
            "shoulder-scaption",
            "Standing shoulder scaption",
            View::Front,
            C::ShoulderElevationLeft,
            SideRule::Either,
        )
    },
    ExerciseSpec {
        needs_depth: true,
        direction: Direction::Magnitude,
        nominal_rom: 30.0,
        reach: Some(25.0),
        checks: &[PELVIS, TRUNK_SIDE, TRUNK_FWD],
        ..spec(
            "thoracic-rotation",
            "Seated or standing thoracic rotation",
            View::Front,
            C::ThoracicRotation,
            SideRule::Midline,
        )
    },
    ExerciseSpec {
        nominal_rom: 90.0,
        reach: Some(120.0),
        checks: &[ARCH, HIKE_BOTH],
        ..spec("wall-angel", "Wall angel", View::Front, C::ShoulderElevationLeft, SideRule::Both)
    },
    ExerciseSpec {
        nominal_rom: 100.0,
        reach: Some(140.0),
        checks: &[ARCH, HIKE_BOTH],
        ..spec(
            "arm-raise",
            "Overhead arm raise (flexion)",
            View::Side,
            C::ShoulderFlexionLeft,
            SideRule::Both,
        )
    },
    ExerciseSpec {
        direction: Direction::Decrease,
        nominal_rom: 10.0,
        hold_s: 5.0,
        checks: &[check(FormError::HeadNod, M::Deviation(W::Midline(C::HeadPitch)), 15.0)],
        ..spec("chin-tuck", "Chin tuck", View::Side, C::HeadForward, SideRule::Midline)
    },
    ExerciseSpec {
        nominal_rom: 20.0,
        min_rep_s: 3.0,
        ..spec("cat-camel", "Cat–camel", View::Side, C::SpineFlexion, SideRule::Midline)
    },
    ExerciseSpec {
        direction: Direction::Magnitude,
        nominal_rom: 20.0,
        reach: Some(15.0),
        checks: &[TRUNK_FWD, PELVIS],
        ..spec(
            "trunk-side-bend",
            "Standing trunk side bend",
            View::Front,
            C::TrunkSideLean,
            SideRule::Midline,
        )
    },
    ExerciseSpec {
        nominal_rom: 15.0,
        reach: Some(5.0),
        hold_s: 2.0,
        bands: &[Band {
            error: FormError::ArmPosition,
            which: W::Moving(C::ShoulderElevationLeft),
            min: 115.0,
            max: 160.0,
        }],
        checks: &[
            HIKE_BOTH,
            check(FormError::LumbarArch, M::Deviation(W::Midline(C::TrunkFlexion)), 10.0),
        ],
        ..spec("prone-y-raise", "Prone Y raise", View::Side, C::ArmLiftLeft, SideRule::Both)
    },
    ExerciseSpec {
        nominal_rom: 15.0,
        reach: Some(5.0),
        hold_s: 2.0,
        bands: &[Band {
            error: FormError::ArmPosition,
            which: W::Moving(C::ShoulderElevationLeft),
            min: 70.0,
            max: 110.0,
        }],
        checks: &[
            HIKE_BOTH,
            check(FormError::LumbarArch, M::Deviation(W::Midline(C::TrunkFlexion)), 10.0),
        ],
        ..spec("prone-t-raise", "Prone T raise", View::Side, C::ArmLiftLeft, SideRule::Both)
    },
    ExerciseSpec {
        nominal_rom: 100.0,
        reach: Some(140.0),
        checks: &[TRUNK_FWD, ARCH, HIKE],
        ..spec(
            "shoulder-flexion",
            "Standing shoulder flexion (one arm)",
            View::Side,
            C::ShoulderFlexionLeft,
            SideRule::Either,
        )
    },
];

impl ExerciseSpec {
    /// Whether a single browser camera can follow it: the spine-curve channel needs a
    /// mid-spine joint that BlazePose does not have (motion capture and depth cameras do).
    pub fn camera_can_track(&self) -> bool {
        self.primary != Channel::SpineFlexion
    }

    /// How its counting has been checked, with the figures ([`validation::VALIDATIONS`]).
    pub fn validation(&self) -> Validation {
        validation::of(self.id)
    }

    /// Whether its counting is validated on real recordings ([`Validation::validated`]).
    pub fn counting_validated(&self) -> bool {
        self.validation().validated()
    }
}

/// The spec with this id.
pub fn find(id: &str) -> Option<&'static ExerciseSpec> {
    EXERCISES.iter().find(|e| e.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_complete() {
        for (i, e) in EXERCISES.iter().enumerate() {
            assert!(EXERCISES[..i].iter().all(|o| o.id != e.id), "duplicate {}", e.id);
            assert!(e.nominal_rom > 0.0 && e.min_rep_s < e.max_rep_s);
        }
        for id in [
            "deep-squat",
            "hurdle-step",
            "inline-lunge",
            "side-lunge",
            "sit-to-stand",
            "straight-leg-raise",
            "shoulder-abduction",
            "shoulder-extension",
            "shoulder-rotation",
            "shoulder-scaption",
            "thoracic-rotation",
        ] {
            assert!(find(id).is_some(), "{id}");
        }
    }
}
