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
