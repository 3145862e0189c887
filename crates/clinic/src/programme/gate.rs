//! Precautions gate exercises: which active precautions an exercise conflicts with, and which
//! items of a programme conflict with precautions their override does not cover.

use serde::{Deserialize, Serialize};

use crate::exercise::{Exercise, MovementTag};
use crate::pathway::ActivePrecaution;
use crate::programme::Item;

/// An exercise ruled out by a precaution in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// The precaution's id.
    pub precaution: String,
    /// What the precaution tells the patient.
    pub instruction: String,
    /// Why it is in force.
    pub why: String,
    /// The exercise's tags it rules out.
    pub tags: Vec<MovementTag>,
}

impl Conflict {
    /// For staff, as part of a sentence the caller ends: "it involves twisting, which the
    /// precaution “Do not bend forward, twist, or lift with your back” rules out: Bending,
    /// twisting and lifting strain the fused levels …" (no full stop of its own).
    pub fn explain(&self) -> String {
        let tags: Vec<&str> = self.tags.iter().map(|t| t.label()).collect();
        format!(
            "it involves {}, which the precaution \u{201c}{}\u{201d} rules out: {}",
            crate::exercise::dose::join_and(&tags),
            self.instruction.trim_end_matches('.'),
            self.why.trim_end_matches('.')
        )
    }
}

/// The active precautions `exercise` conflicts with.
pub fn conflicts(exercise: &Exercise, precautions: &[ActivePrecaution]) -> Vec<Conflict> {
    precautions
        .iter()
        .filter_map(|p| {
            let tags: Vec<MovementTag> =
                exercise.tags.iter().copied().filter(|t| p.forbids.contains(t)).collect();
            (!tags.is_empty()).then(|| Conflict {
                precaution: p.id.clone(),
                instruction: p.instruction.clone(),
                why: p.why.clone(),
                tags,
            })
        })
        .collect()
}

/// For each item (by index), the conflicts its override does not cover: after a phase change
/// or as the weeks pass, these are the exercises a clinician must look at again.
pub fn flags<'a>(
    items: &[Item],
    lookup: &dyn Fn(&str) -> Option<&'a Exercise>,
    precautions: &[ActivePrecaution],
) -> Vec<(usize, Vec<Conflict>)> {
    items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let exercise = lookup(&item.exercise)?;
            let covered = item.override_.as_ref().map(|o| o.precautions.as_slice()).unwrap_or(&[]);
            let open: Vec<Conflict> = conflicts(exercise, precautions)
                .into_iter()
                .filter(|c| !covered.contains(&c.precaution))
                .collect();
            (!open.is_empty()).then_some((index, open))
        })
        .collect()
}
