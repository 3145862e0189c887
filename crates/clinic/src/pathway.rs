//! Care pathways, their phases, the milestones that open each phase, and the precautions in force.
//!
//! A pathway is chosen from the intake ([`select`]): conservative care by region, prehab while an
//! operation is booked, or a post-operative pathway per procedure. Post-operative phases open on
//! weeks since surgery *and* milestones the physiotherapist records (clinical.md §5, §8.6): the
//! weeks say when a phase may open, the milestones say the patient is ready. A clinician may
//! override the phase with a recorded reason; the override is an input here, storage is elsewhere.
//! Precautions that are tied to time since surgery stay in force whatever the phase, because the
//! tissue heals on the calendar, not on our labels.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::intake::{CheckedIntake, MAX_LIFTING_LIMIT_KG, Procedure, Region, Surgery};

/// After this many weeks a post-operative protocol is over; a new intake goes to conservative care.
pub const POST_OP_PROTOCOL_WEEKS: u16 = 52;
/// The longest override reason we store; the reason is shown next to the phase.
pub const MAX_OVERRIDE_REASON_CHARS: usize = 500;

/// A care pathway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pathway {
    /// Exercise-based care for neck pain.
    ConservativeCervical,
    /// Exercise-based care for upper and middle back pain.
    ConservativeThoracic,
    /// Exercise-based care for low back pain.
    ConservativeLumbar,
    /// Preparation for a booked operation.
    Prehab,
    /// Recovery after a discectomy or decompression (laminectomy).
    PostOpDiscectomyOrDecompression,
    /// Recovery after a spinal fusion.
    PostOpFusion,
    /// Recovery after kyphoplasty or vertebroplasty.
    PostOpVertebralAugmentation,
}

impl Pathway {
    /// Every pathway.
    pub const ALL: [Pathway; 7] = [
        Pathway::ConservativeCervical,
        Pathway::ConservativeThoracic,
        Pathway::ConservativeLumbar,
        Pathway::Prehab,
        Pathway::PostOpDiscectomyOrDecompression,
        Pathway::PostOpFusion,
        Pathway::PostOpVertebralAugmentation,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Pathway::ConservativeCervical => "conservative_cervical",
            Pathway::ConservativeThoracic => "conservative_thoracic",
            Pathway::ConservativeLumbar => "conservative_lumbar",
            Pathway::Prehab => "prehab",
            Pathway::PostOpDiscectomyOrDecompression => "post_op_discectomy_or_decompression",
            Pathway::PostOpFusion => "post_op_fusion",
            Pathway::PostOpVertebralAugmentation => "post_op_vertebral_augmentation",
        }
    }

    /// The conservative pathway for a region.
    pub fn conservative(region: Region) -> Pathway {
        match region {
            Region::Cervical => Pathway::ConservativeCervical,
            Region::Thoracic => Pathway::ConservativeThoracic,
            Region::Lumbar => Pathway::ConservativeLumbar,
        }
    }

    /// The post-operative pathway for a procedure.
    pub fn post_op(procedure: Procedure) -> Pathway {
        match procedure {
            Procedure::DiscectomyOrDecompression => Pathway::PostOpDiscectomyOrDecompression,
            Procedure::Fusion => Pathway::PostOpFusion,
            Procedure::VertebralAugmentation => Pathway::PostOpVertebralAugmentation,
        }
    }

    /// The procedure a post-operative pathway follows.
    pub fn procedure(self) -> Option<Procedure> {
        match self {
            Pathway::PostOpDiscectomyOrDecompression => Some(Procedure::DiscectomyOrDecompression),
            Pathway::PostOpFusion => Some(Procedure::Fusion),
            Pathway::PostOpVertebralAugmentation => Some(Procedure::VertebralAugmentation),
            _ => None,
        }
    }

    /// The phases of this pathway, in order.
    pub fn phases(self) -> &'static [Phase] {
        match self.procedure() {
            Some(_) => &[Phase::Early, Phase::Rehabilitation, Phase::LongTerm],
            None if self == Pathway::Prehab => &[Phase::Prehab],
            None => &[Phase::ActiveCare],
        }
    }
}

impl fmt::Display for Pathway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A phase of a pathway.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// The single phase of a conservative pathway.
    ActiveCare,
    /// The single phase of prehab.
    Prehab,
    /// After surgery: protect and walk (from week 0).
    Early,
    /// After surgery: guided strengthening (from about week 4 to 6).
    Rehabilitation,
    /// After surgery: back to full function (from week 12 to about 12 months).
    LongTerm,
}

impl Phase {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::ActiveCare => "active_care",
            Phase::Prehab => "prehab",
            Phase::Early => "early",
            Phase::Rehabilitation => "rehabilitation",
            Phase::LongTerm => "long_term",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Phase::ActiveCare => "active care",
            Phase::Prehab => "prehab",
            Phase::Early => "early",
            Phase::Rehabilitation => "rehabilitation",
            Phase::LongTerm => "long-term",
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something the physiotherapist confirms before a phase may open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    /// The wound has healed.
    WoundHealed,
    /// Walks about 30 minutes a day.
    #[serde(rename = "walks_30_minutes")]
    Walks30Minutes,
    /// Does the home programme without help.
    IndependentHomeProgramme,
    /// Manages 15 minutes of exercise plus 15–30 minutes of cardio.
    ToleratesExerciseAndCardio,
    /// Stands on one leg for more than 10 seconds.
    #[serde(rename = "single_leg_stance_10s")]
    SingleLegStance10s,
    /// Has had the surgeon's post-operative review.
    SurgeonReviewDone,
    /// The surgeon has cleared bending forward.
    SurgeonClearedFlexion,
    /// The physiotherapist judges trunk control good enough for side bending and rotation.
    GoodTrunkControl,
}

impl Milestone {
    /// Every milestone.
    pub const ALL: [Milestone; 8] = [
        Milestone::WoundHealed,
        Milestone::Walks30Minutes,
        Milestone::IndependentHomeProgramme,
        Milestone::ToleratesExerciseAndCardio,
        Milestone::SingleLegStance10s,
        Milestone::SurgeonReviewDone,
        Milestone::SurgeonClearedFlexion,
        Milestone::GoodTrunkControl,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Milestone::WoundHealed => "wound_healed",
            Milestone::Walks30Minutes => "walks_30_minutes",
            Milestone::IndependentHomeProgramme => "independent_home_programme",
            Milestone::ToleratesExerciseAndCardio => "tolerates_exercise_and_cardio",
            Milestone::SingleLegStance10s => "single_leg_stance_10s",
            Milestone::SurgeonReviewDone => "surgeon_review_done",
            Milestone::SurgeonClearedFlexion => "surgeon_cleared_flexion",
            Milestone::GoodTrunkControl => "good_trunk_control",
        }
    }

    /// The milestone as the end of a sentence ("… ends as soon as the wound has healed").
    pub fn as_clause(self) -> &'static str {
        match self {
            Milestone::WoundHealed => "the wound has healed",
            Milestone::Walks30Minutes => "you walk for about 30 minutes every day",
            Milestone::IndependentHomeProgramme => "you do your home programme without help",
            Milestone::ToleratesExerciseAndCardio => {
                "you manage 15 minutes of exercise plus 15 to 30 minutes of cardio"
            }
            Milestone::SingleLegStance10s => "you can stand on one leg for more than 10 seconds",
            Milestone::SurgeonReviewDone => "you have had your surgeon's review",
            Milestone::SurgeonClearedFlexion => "your surgeon clears bending forward",
            Milestone::GoodTrunkControl => "your physiotherapist confirms good trunk control",
        }
    }

    /// What the physiotherapist confirms, in plain words.
    pub fn description(self) -> &'static str {
        match self {
            Milestone::WoundHealed => "The wound has healed.",
            Milestone::Walks30Minutes => "Walks for about 30 minutes every day.",
            Milestone::IndependentHomeProgramme => "Does the home exercise programme without help.",
            Milestone::ToleratesExerciseAndCardio => {
                "Manages 15 minutes of exercise plus 15 to 30 minutes of cardio."
            }
            Milestone::SingleLegStance10s => "Stands on one leg for more than 10 seconds.",
            Milestone::SurgeonReviewDone => {
                "Has had the surgeon's review (usually at 4 to 6 weeks)."
            }
            Milestone::SurgeonClearedFlexion => "The surgeon has cleared bending forward.",
            Milestone::GoodTrunkControl => "The physiotherapist confirms good trunk control.",
        }
    }
}

/// One post-operative phase: when it may open and what it is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stage {
    /// The phase.
    pub phase: Phase,
    /// The earliest week after surgery (completed weeks) at which it may open.
    pub from_week: u16,
    /// What must be confirmed before it opens.
    pub entry_milestones: &'static [Milestone],
    /// What the phase is about, for the patient.
    pub focus: &'static str,
}

/// The phases of the post-operative pathway for `procedure`, in order (clinical.md §5).
pub fn stages(procedure: Procedure) -> &'static [Stage] {
    match procedure {
        Procedure::Fusion => FUSION,
        Procedure::DiscectomyOrDecompression => DECOMPRESSION,
        Procedure::VertebralAugmentation => AUGMENTATION,
    }
}

// Early ends at week 6 after fusion (§5 table). After decompression and vertebral augmentation
// the sources start physiotherapy at "weeks 4–6" and gate it on the surgeon (review; clearance to
// bend), so rehabilitation may open from week 4 once that milestone is in; the time-bound
// precautions below still run to week 6.
const FUSION: &[Stage] = &[
    Stage {
        phase: Phase::Early,
        from_week: 0,
        entry_milestones: &[],
        focus: "Protect the fusion and keep moving: walk every day, building up to about 30 \
                minutes by week 6, and do gentle tightening exercises for the tummy muscles and \
                ankle pumps.",
    },
    Stage {
        phase: Phase::Rehabilitation,
        from_week: 6,
        entry_milestones: &[Milestone::WoundHealed, Milestone::Walks30Minutes],
        focus: "Build trunk control, moving from supported to upright exercises (such as dead \
                bug, wall squat and four-point kneeling), practise bending at the hips instead of \
                the back, and work on balance.",
    },
    Stage {
        phase: Phase::LongTerm,
        from_week: 12,
        entry_milestones: &[
            Milestone::IndependentHomeProgramme,
            Milestone::ToleratesExerciseAndCardio,
            Milestone::SingleLegStance10s,
        ],
        focus: "Return to everyday and work activities with functional and strength training. \
                Full activity usually comes back around six months after surgery.",
    },
];

const DECOMPRESSION: &[Stage] = &[
    Stage {
        phase: Phase::Early,
        from_week: 0,
        entry_milestones: &[],
        focus: "Walk little and often, adding a few minutes every few days, and start gentle \
                core exercises from week 2.",
    },
    Stage {
        phase: Phase::Rehabilitation,
        from_week: 4,
        entry_milestones: &[Milestone::WoundHealed, Milestone::SurgeonReviewDone],
        focus: "Physiotherapy to bring back mobility, strength and fitness.",
    },
    Stage {
        phase: Phase::LongTerm,
        from_week: 12,
        entry_milestones: &[Milestone::IndependentHomeProgramme],
        focus: "Keep up strength and fitness on your own as your usual routine returns.",
    },
];

const AUGMENTATION: &[Stage] = &[
    Stage {
        phase: Phase::Early,
        from_week: 0,
        entry_milestones: &[],
        focus: "Walk every day and ease back into daily tasks; they usually feel easier within \
                the first week.",
    },
    Stage {
        phase: Phase::Rehabilitation,
        from_week: 4,
        entry_milestones: &[Milestone::SurgeonClearedFlexion],
        focus: "Gentle strengthening, posture and aerobic exercise, and looking after bone \
                health while the bone heals over about three months.",
    },
    Stage {
        phase: Phase::LongTerm,
        from_week: 12,
        entry_milestones: &[Milestone::IndependentHomeProgramme],
        focus: "Keep strengthening your back for the long term: people who keep exercising after \
                this operation go much longer before another fracture.",
    },
];

const PREHAB_FOCUS: &str = "Get stronger and fitter before the operation: strength work, daily \
    walking, and help with any worries about moving. People who prepare this way tend to move \
    better by the time of surgery.";

const CONSERVATIVE_FOCUS: &str = "Exercise-based care: graded movement, strength and advice, \
    adjusted to your pain week by week. Most back pain improves this way without surgery.";

/// What a precaution says to the patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Instruction {
    /// A fixed sentence.
    Fixed(&'static str),
    /// The surgeon's lifting limit, filled in from [`PathwayInputs::lifting_limit_kg`].
    LiftingLimit,
}

/// A post-operative precaution and when it is in force.
///
/// It is active while the patient is in one of `phases` *or* before `until_week`, unless the
/// `lifted_by` milestone has been confirmed (the surgeon's word ends it early).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PrecautionRule {
    /// Stable id, unique within a procedure.
    pub id: &'static str,
    /// The operation it follows.
    pub procedure: Procedure,
    /// Phases in which it applies.
    pub phases: &'static [Phase],
    /// It applies before this many completed weeks after surgery, whatever the phase; 0 for none.
    pub until_week: u16,
    /// A milestone that ends it.
    pub lifted_by: Option<Milestone>,
    /// What the patient should do.
    pub instruction: Instruction,
    /// Why, for the patient.
    pub why: &'static str,
    /// Where it comes from.
    pub source: &'static str,
}

/// Every post-operative precaution, by procedure (clinical.md §5).
pub fn precaution_rules() -> &'static [PrecautionRule] {
    PRECAUTIONS
}

const LIFTING_WHY: &str = "Surgeons set different lifting limits, so we follow the one your \
    surgeon gave you rather than a general number.";

const PRECAUTIONS: &[PrecautionRule] = &[
    PrecautionRule {
        id: "neutral_spine",
        procedure: Procedure::Fusion,
        phases: &[Phase::Early],
        until_week: 6,
        lifted_by: None,
        instruction: Instruction::Fixed(
            "Keep your back in its natural, straight position. To get in or out of bed, roll \
             onto your side in one piece, like a log. Wear your brace if your surgeon gave you \
             one.",
        ),
        why: "In the first weeks the bones have only started to join; keeping the spine still \
              as you move protects the fusion.",
        source: "clinical.md §5, fusion weeks 0–6",
    },
    PrecautionRule {
        id: "sitting_limit",
        procedure: Procedure::Fusion,
        phases: &[Phase::Early],
        until_week: 6,
        lifted_by: None,
        instruction: Instruction::Fixed(
            "Sit for no longer than 15 to 30 minutes at a time, then get up and move.",
        ),
        why: "Long spells of sitting load and stiffen the healing spine; short spells with \
              walking in between are easier on it.",
        source: "clinical.md §5, fusion weeks 0–6",
    },
    PrecautionRule {
        id: "no_bending_lifting_twisting",
        procedure: Procedure::Fusion,
        phases: &[Phase::Early, Phase::Rehabilitation],
        until_week: 12,
        lifted_by: None,
        instruction: Instruction::Fixed("Do not bend forward, twist, or lift with your back."),
        why: "Bending, twisting and lifting strain the fused levels most while the bone is \
              still knitting together.",
        source: "clinical.md §5, BLT precautions",
    },
    PrecautionRule {
        id: "lifting_limit",
        procedure: Procedure::Fusion,
        phases: &[Phase::Early, Phase::Rehabilitation],
        until_week: 12,
        lifted_by: None,
        instruction: Instruction::LiftingLimit,
        why: LIFTING_WHY,
        source: "clinical.md §5, lifting limits are surgeon-set",
    },
    PrecautionRule {
        id: "no_overhead_reaching",
        procedure: Procedure::Fusion,
        phases: &[],
        until_week: 12,
        lifted_by: None,
        instruction: Instruction::Fixed(
            "Do not reach above your head, for example to a high shelf.",
        ),
        why: "Reaching overhead arches the back and loads the fusion; after a fusion it waits \
              until week 12.",
        source: "clinical.md §5, fusion weeks 6–12",
    },
    PrecautionRule {
        id: "no_end_range",
        procedure: Procedure::Fusion,
        phases: &[],
        until_week: 26,
        lifted_by: None,
        instruction: Instruction::Fixed(
            "Stop each movement before the very end of your range; do not push into a full \
             stretch.",
        ),
        why: "Full activity usually returns about six months after a fusion; until then, \
              staying short of the end of the range keeps the load on the spine moderate.",
        source: "clinical.md §5, fusion after week 12",
    },
    PrecautionRule {
        id: "side_bend_and_rotation_gated",
        procedure: Procedure::Fusion,
        phases: &[Phase::LongTerm],
        until_week: 0,
        lifted_by: Some(Milestone::GoodTrunkControl),
        instruction: Instruction::Fixed(
            "Add bending to the side and turning movements only once your physiotherapist says \
             your trunk control is good.",
        ),
        why: "Side bending and turning come back last, when the muscles around the spine can \
              control them.",
        source: "clinical.md §5, fusion after week 12",
    },
    PrecautionRule {
        id: "no_bending_lifting_twisting_pushing",
        procedure: Procedure::DiscectomyOrDecompression,
        phases: &[Phase::Early],
        until_week: 6,
        lifted_by: None,
        instruction: Instruction::Fixed("Do not bend, twist, push or lift."),
        why: "These movements raise the pressure on the operated level while it heals.",
        source: "clinical.md §5, laminectomy/discectomy weeks 0–6",
    },
    PrecautionRule {
        id: "lifting_limit",
        procedure: Procedure::DiscectomyOrDecompression,
        phases: &[Phase::Early],
        until_week: 6,
        lifted_by: None,
        instruction: Instruction::LiftingLimit,
        why: LIFTING_WHY,
        source: "clinical.md §5, lifting limits are surgeon-set",
    },
    PrecautionRule {
        id: "sitting_limit",
        procedure: Procedure::DiscectomyOrDecompression,
        phases: &[Phase::Early],
        until_week: 6,
        lifted_by: None,
        instruction: Instruction::Fixed(
            "Keep each spell of sitting to 20 to 30 minutes, about four times a day, and walk \
             in between.",
        ),
        why: "Sitting loads the spine more than standing or walking; short spells let it heal.",
        source: "clinical.md §5, laminectomy/discectomy weeks 0–6",
    },
    PrecautionRule {
        id: "wound_watch",
        procedure: Procedure::DiscectomyOrDecompression,
        phases: &[Phase::Early],
        until_week: 6,
        lifted_by: None,
        instruction: Instruction::Fixed(
            "Call your surgical team the same day if your temperature goes above 38 °C or the \
             wound pain keeps getting worse.",
        ),
        why: "These can be early signs of a wound infection, which is easiest to treat when it \
              is caught early.",
        source: "clinical.md §5, laminectomy/discectomy weeks 0–6",
    },
    PrecautionRule {
        id: "no_flexion",
        procedure: Procedure::VertebralAugmentation,
        phases: &[Phase::Early],
        until_week: 4,
        lifted_by: Some(Milestone::SurgeonClearedFlexion),
        instruction: Instruction::Fixed("Do not bend forward until your surgeon says you may."),
        why: "Bending forward presses hardest on the front of the vertebrae, where the fracture \
              was. It usually waits four to six weeks.",
        source: "clinical.md §5, kypho-/vertebroplasty weeks 0–6",
    },
    PrecautionRule {
        id: "no_lifting_twisting",
        procedure: Procedure::VertebralAugmentation,
        phases: &[Phase::Early],
        until_week: 6,
        lifted_by: None,
        instruction: Instruction::Fixed("Do not lift with your back or twist it."),
        why: "The cement sets within minutes, but the bone around it takes about three months \
              to heal; lifting and twisting load it most.",
        source: "clinical.md §5, kypho-/vertebroplasty weeks 0–6",
    },
    PrecautionRule {
        id: "lifting_limit",
        procedure: Procedure::VertebralAugmentation,
        phases: &[Phase::Early],
        until_week: 6,
        lifted_by: None,
        instruction: Instruction::LiftingLimit,
        why: LIFTING_WHY,
        source: "clinical.md §5, lifting limits are surgeon-set",
    },
];

impl PrecautionRule {
    /// When the precaution applies, in words generated from the rule itself.
    pub fn applies_until(&self) -> String {
        let phases = self.phases.iter().map(|p| p.label()).collect::<Vec<_>>().join(" or ");
        let mut text = match (phases.is_empty(), self.until_week) {
            (true, 0) => "always".to_owned(),
            (true, week) => format!("until week {week} after surgery"),
            (false, 0) => format!("during the {phases} phase"),
            (false, week) => {
                format!(
                    "during the {phases} phase, and in any case until week {week} after surgery"
                )
            }
        };
        if let Some(milestone) = self.lifted_by {
            text.push_str(&format!("; ends as soon as {}", milestone.as_clause()));
        }
        text
    }

    fn is_active(&self, phase: Phase, week: u16, met: &BTreeSet<Milestone>) -> bool {
        let lifted = self.lifted_by.is_some_and(|m| met.contains(&m));
        (self.phases.contains(&phase) || week < self.until_week) && !lifted
    }
}

/// What `current_phase` needs besides dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathwayInputs {
    /// The pathway the patient is on.
    pub pathway: Pathway,
    /// The surgeon's lifting limit in kilograms, if recorded.
    #[serde(default)]
    pub lifting_limit_kg: Option<f64>,
    /// Milestones the physiotherapist has confirmed.
    #[serde(default)]
    pub milestones_met: Vec<Milestone>,
}

/// A clinician's decision to put the patient in a phase the rules would not choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// The phase chosen.
    pub phase: Phase,
    /// Why, in the clinician's words.
    pub reason: String,
    /// Who decided (a name or user id).
    pub by: String,
}

/// Where a patient is on a pathway today, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseStatus {
    /// The pathway.
    pub pathway: Pathway,
    /// The phase in effect (the override's, when there is one).
    pub phase: Phase,
    /// The phase weeks and milestones alone give; differs from `phase` only under an override.
    pub rules_phase: Phase,
    /// Completed weeks since surgery, on post-operative pathways.
    pub week: Option<u16>,
    /// Completed weeks until the operation, on prehab when the date is known.
    pub weeks_until_surgery: Option<u16>,
    /// What the phase is about, for the patient.
    pub focus: &'static str,
    /// Precautions in force, each with its own explanation.
    pub active_precautions: Vec<ActivePrecaution>,
    /// What would open the next phase; `None` in the last (or only) phase.
    pub next_phase_unlock: Option<Unlock>,
    /// The override in effect, if any.
    pub overridden_by: Option<Override>,
}

/// A precaution in force today.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActivePrecaution {
    /// The rule's id.
    pub id: &'static str,
    /// What to do, for the patient.
    pub instruction: String,
    /// Why, for the patient.
    pub why: &'static str,
    /// When it ends.
    pub applies_until: String,
    /// Something a clinician must do, such as recording a missing lifting limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clinician_note: Option<&'static str>,
}

/// What opens the next phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unlock {
    /// The next phase.
    pub phase: Phase,
    /// The earliest week (completed weeks since surgery) it may open.
    pub from_week: u16,
    /// Weeks still to wait; 0 once the week is reached.
    pub weeks_to_go: u16,
    /// Each milestone it needs and whether it is met.
    pub milestones: Vec<MilestoneProgress>,
    /// Whether both the week and every milestone are met. It can be true while the phase has
    /// not changed only under an override that holds the patient back.
    pub ready: bool,
}

/// One milestone and whether it is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MilestoneProgress {
    /// The milestone.
    pub milestone: Milestone,
    /// What it means.
    pub description: &'static str,
    /// Whether the physiotherapist has confirmed it.
    pub met: bool,
}

/// Why a phase could not be worked out.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PathwayError {
    /// A post-operative pathway needs the operation date.
    #[error("surgery_date: the {pathway} pathway needs the date of the operation")]
    MissingSurgeryDate {
        /// The pathway.
        pathway: Pathway,
    },
    /// A post-operative pathway with an operation still to come.
    #[error("surgery_date: {date} is after today ({today}); use the prehab pathway until then")]
    SurgeryInFuture {
        /// The date given.
        date: Date,
        /// Today.
        today: Date,
    },
    /// Prehab for an operation whose date has passed.
    #[error("surgery_date: {date} is before today ({today}); record the operation as done")]
    SurgeryDatePassed {
        /// The date given.
        date: Date,
        /// Today.
        today: Date,
    },
    /// The lifting limit is not a usable number of kilograms.
    #[error("lifting_limit_kg: {value} is not a limit from 0 to 50 kg")]
    InvalidLiftingLimit {
        /// The value given.
        value: f64,
    },
    /// The override names a phase this pathway does not have.
    #[error("override.phase: the {pathway} pathway has no {phase} phase")]
    PhaseNotInPathway {
        /// The phase asked for.
        phase: Phase,
        /// The pathway.
        pathway: Pathway,
    },
    /// The override lacks a reason or an author, or the reason is too long.
    #[error("override.{field}: {problem}")]
    InvalidOverride {
        /// `reason` or `by`.
        field: &'static str,
        /// What is wrong.
        problem: &'static str,
    },
}

/// The pathway an intake starts on. Surgery decides first: an operation done within the last
/// [`POST_OP_PROTOCOL_WEEKS`] weeks gives its post-operative pathway, a booked one gives prehab.
/// Otherwise (no operation, only recommended, or long past) the main region picks the
/// conservative pathway.
pub fn select(intake: &CheckedIntake) -> Pathway {
    match intake.intake().surgery {
        Surgery::Done { procedure, date }
            if weeks_between(date, intake.as_of()) < POST_OP_PROTOCOL_WEEKS =>
        {
            Pathway::post_op(procedure)
        }
        Surgery::Scheduled { .. } => Pathway::Prehab,
        _ => Pathway::conservative(intake.primary_region()),
    }
}

/// The phase status for an intake's own pathway, with no milestones confirmed yet. The dates
/// were checked with the intake, so this cannot fail.
pub fn intake_status(intake: &CheckedIntake) -> PhaseStatus {
    let pathway = select(intake);
    let today = intake.as_of();
    let timing = match intake.intake().surgery {
        Surgery::Done { date, .. } if pathway.procedure().is_some() => {
            Timing::SinceSurgery(weeks_between(date, today))
        }
        Surgery::Scheduled { date, .. } => Timing::UntilSurgery(Some(weeks_between(today, date))),
        _ => Timing::None,
    };
    build(pathway, timing, intake.intake().lifting_limit_kg, &BTreeSet::new(), None)
}

/// Where a patient stands today on `inputs.pathway`.
///
/// `surgery_date` is the operation's date: required on post-operative pathways (and not after
/// `today`), optional on prehab (and not before `today`), ignored on conservative pathways.
pub fn current_phase(
    inputs: &PathwayInputs,
    surgery_date: Option<Date>,
    today: Date,
    override_: Option<&Override>,
) -> Result<PhaseStatus, PathwayError> {
    let pathway = inputs.pathway;
    if let Some(value) = inputs.lifting_limit_kg
        && !(value.is_finite() && (0.0..=MAX_LIFTING_LIMIT_KG).contains(&value))
    {
        return Err(PathwayError::InvalidLiftingLimit { value });
    }
    let timing = match (pathway.procedure(), pathway == Pathway::Prehab, surgery_date) {
        (Some(_), _, None) => return Err(PathwayError::MissingSurgeryDate { pathway }),
        (Some(_), _, Some(date)) if date > today => {
            return Err(PathwayError::SurgeryInFuture { date, today });
        }
        (Some(_), _, Some(date)) => Timing::SinceSurgery(weeks_between(date, today)),
        (None, true, Some(date)) if date < today => {
            return Err(PathwayError::SurgeryDatePassed { date, today });
        }
        (None, true, date) => Timing::UntilSurgery(date.map(|d| weeks_between(today, d))),
        (None, false, _) => Timing::None,
    };
    if let Some(o) = override_ {
        if !pathway.phases().contains(&o.phase) {
            return Err(PathwayError::PhaseNotInPathway { phase: o.phase, pathway });
        }
        if o.reason.trim().is_empty() {
            return Err(PathwayError::InvalidOverride {
                field: "reason",
                problem: "record why the phase is overridden",
            });
        }
        if o.reason.chars().count() > MAX_OVERRIDE_REASON_CHARS {
            return Err(PathwayError::InvalidOverride {
                field: "reason",
                problem: "keep the reason to 500 characters or fewer",
            });
        }
        if o.by.trim().is_empty() {
            return Err(PathwayError::InvalidOverride {
                field: "by",
                problem: "record who overrode the phase",
            });
        }
    }
    let met: BTreeSet<Milestone> = inputs.milestones_met.iter().copied().collect();
    Ok(build(pathway, timing, inputs.lifting_limit_kg, &met, override_))
}

enum Timing {
    SinceSurgery(u16),
    UntilSurgery(Option<u16>),
    None,
}

/// Assembles a status from checked inputs; infallible so triage can use it directly.
fn build(
    pathway: Pathway,
    timing: Timing,
    lifting_limit_kg: Option<f64>,
    met: &BTreeSet<Milestone>,
    override_: Option<&Override>,
) -> PhaseStatus {
    let Some(procedure) = pathway.procedure() else {
        let (phase, focus, weeks_until) = match timing {
            Timing::UntilSurgery(weeks) => (Phase::Prehab, PREHAB_FOCUS, weeks),
            _ => (Phase::ActiveCare, CONSERVATIVE_FOCUS, None),
        };
        return PhaseStatus {
            pathway,
            phase,
            rules_phase: phase,
            week: None,
            weeks_until_surgery: weeks_until,
            focus,
            active_precautions: Vec::new(),
            next_phase_unlock: None,
            overridden_by: override_.cloned(),
        };
    };
    let week = match timing {
        Timing::SinceSurgery(week) => week,
        _ => 0,
    };
    let stages = stages(procedure);

    // Phases open in order: the next one opens only when its week is reached and its milestones
    // are met, so a patient never skips a phase whose milestones were never confirmed.
    let mut index = 0;
    while let Some(next) = stages.get(index + 1) {
        if week >= next.from_week && next.entry_milestones.iter().all(|m| met.contains(m)) {
            index += 1;
        } else {
            break;
        }
    }
    let rules_phase = stages.get(index).map_or(Phase::Early, |s| s.phase);
    let phase = override_.map_or(rules_phase, |o| o.phase);
    let current = stages.iter().position(|s| s.phase == phase).unwrap_or(index);

    let next_phase_unlock = stages.get(current + 1).map(|next| {
        let milestones: Vec<MilestoneProgress> = next
            .entry_milestones
            .iter()
            .map(|&m| MilestoneProgress {
                milestone: m,
                description: m.description(),
                met: met.contains(&m),
            })
            .collect();
        let weeks_to_go = next.from_week.saturating_sub(week);
        let ready = weeks_to_go == 0 && milestones.iter().all(|m| m.met);
        Unlock { phase: next.phase, from_week: next.from_week, weeks_to_go, milestones, ready }
    });

    let active_precautions = PRECAUTIONS
        .iter()
        .filter(|rule| rule.procedure == procedure && rule.is_active(phase, week, met))
        .map(|rule| activate(rule, lifting_limit_kg))
        .collect();

    PhaseStatus {
        pathway,
        phase,
        rules_phase,
        week: Some(week),
        weeks_until_surgery: None,
        focus: stages.get(current).map_or("", |s| s.focus),
        active_precautions,
        next_phase_unlock,
        overridden_by: override_.cloned(),
    }
}

fn activate(rule: &PrecautionRule, lifting_limit_kg: Option<f64>) -> ActivePrecaution {
    // The limit is the surgeon's number or nothing: there is deliberately no default, because a
    // made-up number shown as if it were the surgeon's would be worse than a prompt to ask.
    let (instruction, clinician_note) = match (rule.instruction, lifting_limit_kg) {
        (Instruction::Fixed(text), _) => (text.to_owned(), None),
        (Instruction::LiftingLimit, Some(kg)) => {
            (format!("Lift nothing heavier than {kg} kg, the limit your surgeon set."), None)
        }
        (Instruction::LiftingLimit, None) => (
            "We do not have your surgeon's lifting limit yet. Until we do, lift only light \
             things and ask your surgical team what your limit is."
                .to_owned(),
            Some("No surgeon-set lifting limit is recorded. Ask the surgical team and record it."),
        ),
    };
    ActivePrecaution {
        id: rule.id,
        instruction,
        why: rule.why,
        applies_until: rule.applies_until(),
        clinician_note,
    }
}

/// Completed weeks from `from` to `to`, 0 if `to` is earlier, saturating at `u16::MAX`.
fn weeks_between(from: Date, to: Date) -> u16 {
    let days = (to - from).whole_days().max(0);
    u16::try_from(days / 7).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2025 - 06 - 02);

    fn inputs(pathway: Pathway, met: &[Milestone]) -> PathwayInputs {
        PathwayInputs { pathway, lifting_limit_kg: Some(2.5), milestones_met: met.to_vec() }
    }

    fn weeks_ago(weeks: i64) -> Date {
        TODAY - time::Duration::weeks(weeks)
    }

    fn status(pathway: Pathway, weeks: i64, met: &[Milestone]) -> PhaseStatus {
        current_phase(&inputs(pathway, met), Some(weeks_ago(weeks)), TODAY, None).expect("status")
    }

    fn precaution_ids(s: &PhaseStatus) -> Vec<&'static str> {
        s.active_precautions.iter().map(|p| p.id).collect()
    }

    const FUSION_EARLY_EXIT: &[Milestone] = &[Milestone::WoundHealed, Milestone::Walks30Minutes];
    const ALL_MET: &[Milestone] = &Milestone::ALL;

    #[test]
    fn fusion_phases_follow_weeks_and_milestones() {
        assert_eq!(status(Pathway::PostOpFusion, 2, ALL_MET).phase, Phase::Early);
        // Week 6 reached, milestones not confirmed: stay in early and say what is missing.
        let held = status(Pathway::PostOpFusion, 7, &[Milestone::WoundHealed]);
        assert_eq!(held.phase, Phase::Early);
        let unlock = held.next_phase_unlock.expect("unlock");
        assert_eq!(
            (unlock.phase, unlock.weeks_to_go, unlock.ready),
            (Phase::Rehabilitation, 0, false)
        );
        assert_eq!(unlock.milestones.iter().filter(|m| !m.met).count(), 1);

        assert_eq!(
            status(Pathway::PostOpFusion, 6, FUSION_EARLY_EXIT).phase,
            Phase::Rehabilitation
        );
        assert_eq!(
            status(Pathway::PostOpFusion, 13, FUSION_EARLY_EXIT).phase,
            Phase::Rehabilitation
        );
        let long = status(Pathway::PostOpFusion, 12, ALL_MET);
        assert_eq!((long.phase, long.next_phase_unlock), (Phase::LongTerm, None));
    }

    #[test]
    fn early_phase_reports_weeks_to_go() {
        let s = status(Pathway::PostOpFusion, 2, &[]);
        assert_eq!(s.week, Some(2));
        assert_eq!(s.next_phase_unlock.map(|u| u.weeks_to_go), Some(4));
    }

    #[test]
    fn fusion_precautions_by_week() {
        assert_eq!(
            precaution_ids(&status(Pathway::PostOpFusion, 1, &[])),
            vec![
                "neutral_spine",
                "sitting_limit",
                "no_bending_lifting_twisting",
                "lifting_limit",
                "no_overhead_reaching",
                "no_end_range"
            ]
        );
        assert_eq!(
            precaution_ids(&status(Pathway::PostOpFusion, 8, FUSION_EARLY_EXIT)),
            vec![
                "no_bending_lifting_twisting",
                "lifting_limit",
                "no_overhead_reaching",
                "no_end_range"
            ]
        );
        let long_term = &[
            Milestone::WoundHealed,
            Milestone::Walks30Minutes,
            Milestone::IndependentHomeProgramme,
            Milestone::ToleratesExerciseAndCardio,
            Milestone::SingleLegStance10s,
        ];
        assert_eq!(
            precaution_ids(&status(Pathway::PostOpFusion, 13, long_term)),
            vec!["no_end_range", "side_bend_and_rotation_gated"]
        );
        assert!(precaution_ids(&status(Pathway::PostOpFusion, 30, ALL_MET)).is_empty());
    }

    #[test]
    fn overhead_reaching_stays_banned_before_week_12_even_under_override() {
        let o = Override {
            phase: Phase::LongTerm,
            reason: "Athlete, fast progress".into(),
            by: "PT Lee".into(),
        };
        let s = current_phase(
            &inputs(Pathway::PostOpFusion, ALL_MET),
            Some(weeks_ago(10)),
            TODAY,
            Some(&o),
        )
        .expect("status");
        assert_eq!((s.phase, s.rules_phase), (Phase::LongTerm, Phase::Rehabilitation));
        assert!(precaution_ids(&s).contains(&"no_overhead_reaching"));
        assert_eq!(s.overridden_by, Some(o));
    }

    #[test]
    fn augmentation_flexion_waits_for_the_surgeon() {
        let s = status(Pathway::PostOpVertebralAugmentation, 5, &[]);
        assert_eq!(s.phase, Phase::Early);
        assert!(precaution_ids(&s).contains(&"no_flexion"));
        let cleared =
            status(Pathway::PostOpVertebralAugmentation, 5, &[Milestone::SurgeonClearedFlexion]);
        assert_eq!(cleared.phase, Phase::Rehabilitation);
        // Flexion is cleared, but lifting and twisting wait until week 6.
        assert_eq!(precaution_ids(&cleared), vec!["no_lifting_twisting", "lifting_limit"]);
    }

    #[test]
    fn decompression_rehab_opens_after_surgeon_review() {
        let met = &[Milestone::WoundHealed, Milestone::SurgeonReviewDone];
        let s = status(Pathway::PostOpDiscectomyOrDecompression, 4, met);
        assert_eq!(s.phase, Phase::Rehabilitation);
        assert!(precaution_ids(&s).contains(&"no_bending_lifting_twisting_pushing"));
        assert!(
            precaution_ids(&status(Pathway::PostOpDiscectomyOrDecompression, 6, met)).is_empty()
        );
    }

    #[test]
    fn lifting_limit_is_the_surgeons_number_or_a_prompt() {
        let s = status(Pathway::PostOpFusion, 1, &[]);
        let limit = s.active_precautions.iter().find(|p| p.id == "lifting_limit").expect("limit");
        assert!(limit.instruction.contains("2.5 kg"), "{}", limit.instruction);
        let none = PathwayInputs { lifting_limit_kg: None, ..inputs(Pathway::PostOpFusion, &[]) };
        let s = current_phase(&none, Some(weeks_ago(1)), TODAY, None).expect("status");
        let limit = s.active_precautions.iter().find(|p| p.id == "lifting_limit").expect("limit");
        assert!(limit.clinician_note.is_some());
        assert!(!limit.instruction.chars().any(|c| c.is_ascii_digit()), "no invented number");
    }

    #[test]
    fn errors_name_the_problem() {
        let fusion = inputs(Pathway::PostOpFusion, &[]);
        assert!(matches!(
            current_phase(&fusion, None, TODAY, None),
            Err(PathwayError::MissingSurgeryDate { .. })
        ));
        assert!(matches!(
            current_phase(&fusion, Some(date!(2025 - 06 - 03)), TODAY, None),
            Err(PathwayError::SurgeryInFuture { .. })
        ));
        assert!(matches!(
            current_phase(&inputs(Pathway::Prehab, &[]), Some(date!(2025 - 06 - 01)), TODAY, None),
            Err(PathwayError::SurgeryDatePassed { .. })
        ));
        let bad_limit = PathwayInputs { lifting_limit_kg: Some(f64::NAN), ..fusion.clone() };
        assert!(matches!(
            current_phase(&bad_limit, Some(TODAY), TODAY, None),
            Err(PathwayError::InvalidLiftingLimit { .. })
        ));
        let wrong_phase = Override { phase: Phase::Prehab, reason: "x".into(), by: "y".into() };
        assert!(matches!(
            current_phase(&fusion, Some(TODAY), TODAY, Some(&wrong_phase)),
            Err(PathwayError::PhaseNotInPathway { .. })
        ));
        let no_reason = Override { phase: Phase::Early, reason: " ".into(), by: "y".into() };
        assert!(matches!(
            current_phase(&fusion, Some(TODAY), TODAY, Some(&no_reason)),
            Err(PathwayError::InvalidOverride { field: "reason", .. })
        ));
    }

    #[test]
    fn prehab_and_conservative_have_one_phase() {
        let prehab =
            current_phase(&inputs(Pathway::Prehab, &[]), Some(date!(2025 - 07 - 14)), TODAY, None)
                .expect("status");
        assert_eq!((prehab.phase, prehab.weeks_until_surgery), (Phase::Prehab, Some(6)));
        let lumbar = current_phase(&inputs(Pathway::ConservativeLumbar, &[]), None, TODAY, None)
            .expect("status");
        assert_eq!((lumbar.phase, lumbar.next_phase_unlock), (Phase::ActiveCare, None));
    }

    #[test]
    fn every_pathway_phase_has_a_stage_and_ids_are_unique_per_procedure() {
        for procedure in Procedure::ALL {
            let phases: Vec<Phase> = stages(procedure).iter().map(|s| s.phase).collect();
            assert_eq!(phases, Pathway::post_op(procedure).phases());
            let mut ids = BTreeSet::new();
            for rule in PRECAUTIONS.iter().filter(|r| r.procedure == procedure) {
                assert!(ids.insert(rule.id), "duplicate precaution {} for {procedure:?}", rule.id);
            }
        }
    }

    #[test]
    fn applies_until_reads_from_the_rule() {
        let text: Vec<String> = PRECAUTIONS.iter().map(PrecautionRule::applies_until).collect();
        assert!(text.contains(&"until week 12 after surgery".to_owned()));
        assert!(
            text.iter()
                .any(|t| t.starts_with("during the early phase, and in any case until week 4"))
        );
    }

    proptest::proptest! {
        #[test]
        fn phase_never_goes_backwards_with_time(
            weeks in 0i64..80,
            mask in 0u8..=255,
            procedure in proptest::sample::select(Procedure::ALL.to_vec()),
        ) {
            let met: Vec<Milestone> = Milestone::ALL
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, m)| *m)
                .collect();
            let pathway = Pathway::post_op(procedure);
            let now = status(pathway, weeks, &met);
            let later = status(pathway, weeks + 1, &met);
            let order = |p: Phase| pathway.phases().iter().position(|q| *q == p);
            proptest::prop_assert!(order(later.phase) >= order(now.phase));
        }
    }
}
