//! Warning symptoms the intake and the weekly check-in ask about.

use serde::{Deserialize, Serialize};

/// Symptoms the intake asks about because they can point to something other than ordinary back
/// pain. Most are red flags; `weakness_in_one_limb` is not urgent but may need a specialist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Symptom {
    /// New numbness around the genitals, the back passage or the inner thighs.
    SaddleNumbness,
    /// A new change in bladder or bowel control or feeling.
    BladderOrBowelChange,
    /// Weakness or numbness in both legs.
    BothLegsWeakOrNumb,
    /// Weakness in an arm or leg that is getting worse or spreading.
    ProgressiveWeakness,
    /// Unsteady walking, or hands that have become clumsy.
    UnsteadyWalkingOrClumsyHands,
    /// Pain like a tight band around the chest or trunk.
    BandLikeChestPain,
    /// Numbness from a certain level of the body downwards.
    NumbnessBelowALevel,
    /// Fever, chills or sweats.
    FeverOrChills,
    /// Weight loss without trying.
    UnexplainedWeightLoss,
    /// Pain at night that changing position does not ease.
    NightPainNotEasedByPosition,
    /// Chest pain or breathlessness.
    ChestPainOrBreathlessness,
    /// Pain that stays the same whatever the patient does, moving or resting.
    PainNotAffectedByMovement,
    /// Stiffness that is marked in the morning and slow to wear off.
    MarkedMorningStiffness,
    /// Steady (not worsening) weakness in one arm or leg, such as a foot that catches.
    WeaknessInOneLimb,
}

impl Symptom {
    /// Every symptom, in the order the intake form asks about them.
    pub const ALL: [Symptom; 14] = [
        Symptom::SaddleNumbness,
        Symptom::BladderOrBowelChange,
        Symptom::BothLegsWeakOrNumb,
        Symptom::ProgressiveWeakness,
        Symptom::UnsteadyWalkingOrClumsyHands,
        Symptom::BandLikeChestPain,
        Symptom::NumbnessBelowALevel,
        Symptom::FeverOrChills,
        Symptom::UnexplainedWeightLoss,
        Symptom::NightPainNotEasedByPosition,
        Symptom::ChestPainOrBreathlessness,
        Symptom::PainNotAffectedByMovement,
        Symptom::MarkedMorningStiffness,
        Symptom::WeaknessInOneLimb,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Symptom::SaddleNumbness => "saddle_numbness",
            Symptom::BladderOrBowelChange => "bladder_or_bowel_change",
            Symptom::BothLegsWeakOrNumb => "both_legs_weak_or_numb",
            Symptom::ProgressiveWeakness => "progressive_weakness",
            Symptom::UnsteadyWalkingOrClumsyHands => "unsteady_walking_or_clumsy_hands",
            Symptom::BandLikeChestPain => "band_like_chest_pain",
            Symptom::NumbnessBelowALevel => "numbness_below_a_level",
            Symptom::FeverOrChills => "fever_or_chills",
            Symptom::UnexplainedWeightLoss => "unexplained_weight_loss",
            Symptom::NightPainNotEasedByPosition => "night_pain_not_eased_by_position",
            Symptom::ChestPainOrBreathlessness => "chest_pain_or_breathlessness",
            Symptom::PainNotAffectedByMovement => "pain_not_affected_by_movement",
            Symptom::MarkedMorningStiffness => "marked_morning_stiffness",
            Symptom::WeaknessInOneLimb => "weakness_in_one_limb",
        }
    }

    /// The symptom as the patient reads it on the form ("Do you have any of these now?").
    pub fn patient_label(self) -> &'static str {
        match self {
            Symptom::SaddleNumbness => {
                "Numbness or tingling between your legs or around your bottom"
            }
            Symptom::BladderOrBowelChange => "A new problem with your bladder or bowels",
            Symptom::BothLegsWeakOrNumb => "Weakness or numbness in both legs",
            Symptom::ProgressiveWeakness => "Weakness in an arm or leg that is getting worse",
            Symptom::UnsteadyWalkingOrClumsyHands => {
                "Unsteady walking, or hands that have become clumsy"
            }
            Symptom::BandLikeChestPain => {
                "Pain that wraps around your chest or body like a tight band"
            }
            Symptom::NumbnessBelowALevel => "Numbness in your body below a certain level",
            Symptom::FeverOrChills => "Fever, sweats or shivering",
            Symptom::UnexplainedWeightLoss => "Losing weight without trying",
            Symptom::NightPainNotEasedByPosition => {
                "Pain at night that does not ease, however you lie"
            }
            Symptom::ChestPainOrBreathlessness => {
                "Chest pain, or getting out of breath more easily than usual"
            }
            Symptom::PainNotAffectedByMovement => "Pain that stays the same whatever you do",
            Symptom::MarkedMorningStiffness => {
                "Stiffness in the morning that lasts more than half an hour"
            }
            Symptom::WeaknessInOneLimb => "Weakness in one arm or leg that is not getting worse",
        }
    }

    /// One line of help beside the symptom, where an example makes it clearer.
    pub fn help(self) -> Option<&'static str> {
        match self {
            Symptom::SaddleNumbness => Some(
                "The area that would touch a bicycle saddle. New numbness here needs a doctor straight away.",
            ),
            Symptom::BladderOrBowelChange => Some(
                "For example trouble starting to pass water, not feeling when your bladder is \
                 full, leaking, or not being able to hold your bowels.",
            ),
            Symptom::ProgressiveWeakness => Some(
                "For example a foot that drags a little more each day, or a grip that keeps getting weaker.",
            ),
            Symptom::UnsteadyWalkingOrClumsyHands => Some(
                "For example dropping things, or finding buttons or writing harder than before.",
            ),
            Symptom::NumbnessBelowALevel => Some("For example from your waist or chest downwards."),
            Symptom::FeverOrChills => Some(
                "Feeling hot and cold, or sweating at night, with no other reason such as a cold.",
            ),
            Symptom::UnexplainedWeightLoss => {
                Some("Losing weight over the last few months when you have not been trying to.")
            }
            Symptom::PainNotAffectedByMovement => {
                Some("Moving, resting or changing position makes no difference to it.")
            }
            Symptom::WeaknessInOneLimb => {
                Some("For example a foot that catches when you walk, or a weak grip in one hand.")
            }
            Symptom::BothLegsWeakOrNumb
            | Symptom::BandLikeChestPain
            | Symptom::NightPainNotEasedByPosition
            | Symptom::ChestPainOrBreathlessness
            | Symptom::MarkedMorningStiffness => None,
        }
    }

    /// A short clinical label, used when rules explain themselves.
    pub fn label(self) -> &'static str {
        match self {
            Symptom::SaddleNumbness => "saddle numbness",
            Symptom::BladderOrBowelChange => "new bladder or bowel change",
            Symptom::BothLegsWeakOrNumb => "weakness or numbness in both legs",
            Symptom::ProgressiveWeakness => "progressive weakness",
            Symptom::UnsteadyWalkingOrClumsyHands => "unsteady walking or clumsy hands",
            Symptom::BandLikeChestPain => "band-like chest pain",
            Symptom::NumbnessBelowALevel => "numbness below a level",
            Symptom::FeverOrChills => "fever or chills",
            Symptom::UnexplainedWeightLoss => "unexplained weight loss",
            Symptom::NightPainNotEasedByPosition => "night pain not eased by position",
            Symptom::ChestPainOrBreathlessness => "chest pain or breathlessness",
            Symptom::PainNotAffectedByMovement => "pain not affected by movement",
            Symptom::MarkedMorningStiffness => "marked morning stiffness",
            Symptom::WeaknessInOneLimb => "steady weakness in one limb",
        }
    }
}
