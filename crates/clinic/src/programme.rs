//! Prescribed programmes: the exercises a clinician gives one patient, each with its dose,
//! dates, a note and (when tracked) a target range and whether camera counting that is not yet
//! validated is offered ([`camera`]); the checks a programme passes before it is
//! saved (doses, dates, ranges, and the precautions in force); what changed between two
//! versions; and the templates a programme starts from.
//!
//! Precautions gate the programme ([`gate`]): an exercise tagged with a movement an active
//! precaution rules out is refused, naming the precaution, unless the clinician records an
//! override reason. The override covers the precautions in force when it was given; a later
//! precaution (a phase change, a new date) flags the exercise again.

pub mod camera;
pub mod check;
pub mod diff;
pub mod gate;
pub mod item;
pub mod template;
#[cfg(test)]
mod tests;

pub use self::camera::{Camera, camera};
pub use self::check::{Checked, Warning, check};
pub use self::diff::{Change, diff};
pub use self::gate::{Conflict, conflicts, flags};
pub use self::item::{Item, Override, RangeTarget};
pub use self::template::{Template, TemplateItem};

/// Above this many exercises a programme earns a warning: long programmes are done less.
pub const ADVISED_MAX_EXERCISES: usize = 6;
/// Most exercises in one programme.
pub const MAX_EXERCISES: usize = 20;
/// Longest note to the patient, override reason or change reason.
pub const MAX_TEXT_CHARS: usize = 500;
