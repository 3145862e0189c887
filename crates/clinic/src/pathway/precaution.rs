//! Post-operative precautions and when each is in force.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::exercise::MovementTag;
use crate::intake::Procedure;
use crate::pathway::{Milestone, Phase};

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
    /// The kinds of exercise it rules out: an exercise tagged with any of them cannot be
    /// prescribed while it is in force, unless a clinician overrides with a reason.
    pub forbids: &'static [MovementTag],
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

use MovementTag as T;

// What each precaution rules out is our reading of its instruction: "keep the spine neutral"
// rules out every spinal movement, the end of any range and working against a load (the first
// six weeks after a fusion are for walking, isometrics and gentle tummy work, clinical.md §5); "do not bend, lift or twist" rules
// out flexion, rotation and lifting (and impact, which loads the spine as lifting does); the
// lifting limit rules out lifting exercises, whose load the surgeon's number governs.
pub(crate) const PRECAUTIONS: &[PrecautionRule] = &[
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
        forbids: &[
            T::Flexion,
            T::Extension,
            T::Rotation,
            T::SideBending,
            T::EndRange,
            T::Impact,
            T::Loaded,
        ],
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
        forbids: &[],
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
        forbids: &[T::Flexion, T::Rotation, T::Lifting, T::Impact],
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
        forbids: &[T::Lifting],
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
        forbids: &[T::Overhead],
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
        forbids: &[T::EndRange],
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
        forbids: &[T::SideBending, T::Rotation],
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
        forbids: &[T::Flexion, T::Rotation, T::Lifting, T::Pushing, T::Impact],
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
        forbids: &[T::Lifting],
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
        forbids: &[],
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
        forbids: &[],
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
        forbids: &[T::Flexion],
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
        forbids: &[T::Lifting, T::Rotation, T::Impact],
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
        forbids: &[T::Lifting],
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

    pub(crate) fn is_active(&self, phase: Phase, week: u16, met: &BTreeSet<Milestone>) -> bool {
        let lifted = self.lifted_by.is_some_and(|m| met.contains(&m));
        (self.phases.contains(&phase) || week < self.until_week) && !lifted
    }
}

/// A precaution in force today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivePrecaution {
    /// The rule's id.
    pub id: String,
    /// What to do, for the patient.
    pub instruction: String,
    /// Why, for the patient.
    pub why: String,
    /// When it ends.
    pub applies_until: String,
    /// The kinds of exercise it rules out.
    #[serde(default)]
    pub forbids: Vec<MovementTag>,
    /// Something a clinician must do, such as recording a missing lifting limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clinician_note: Option<String>,
}

pub(crate) fn activate(rule: &PrecautionRule, lifting_limit_kg: Option<f64>) -> ActivePrecaution {
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
            Some(
                "No surgeon-set lifting limit is recorded. Ask the surgical team and record it."
                    .to_owned(),
            ),
        ),
    };
    ActivePrecaution {
        id: rule.id.to_owned(),
        instruction,
        why: rule.why.to_owned(),
        applies_until: rule.applies_until(),
        forbids: rule.forbids.to_vec(),
        clinician_note,
    }
}
