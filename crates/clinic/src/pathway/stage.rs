//! The post-operative phases of each procedure: when each may open and what it is about.

use crate::intake::Procedure;
use crate::pathway::{Milestone, Phase};

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

pub(crate) const PREHAB_FOCUS: &str = "Get stronger and fitter before the operation: strength work, daily \
    walking, and help with any worries about moving. People who prepare this way tend to move \
    better by the time of surgery.";

pub(crate) const CONSERVATIVE_FOCUS: &str = "Exercise-based care: graded movement, strength and advice, \
    adjusted to your pain week by week. Most back pain improves this way without surgery.";
