//! The exercise library: what an exercise is (instructions, default dose, position, the movement
//! tags precautions act on, its ladder of easier and harder variants, camera tracking, a figure
//! and the credit for every media item), the built-in library, and the checks an exercise must
//! pass before a clinic may add it.

pub mod dose;
#[cfg(test)]
mod figures;
pub mod library;
pub mod model;
pub mod tag;

pub use self::dose::Dose;
pub use self::model::{Credit, Exercise, Instructions, Licence, Media, MediaKind, Tracking};
pub use self::tag::{BodyRegion, Equipment, MovementTag, Position, Purpose, Side, Weekday};

use serde::{Deserialize, Serialize};

/// One problem with a value a person gave: the field (a path such as `items[2].dose.reps`) and
/// how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The field, as a path into what was sent.
    pub field: String,
    /// What is wrong and how to fix it, in words for the person who typed it.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}
