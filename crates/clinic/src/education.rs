//! Education lessons: short lessons in our own words (why movement helps, pain and damage,
//! pacing, sleep and sitting, work, what to expect after each operation, the red flags), which
//! of them a patient gets and which one is "this week's", the reading-level measure every lesson
//! is held to, and the checks a clinic's own lessons pass before they are stored.
//!
//! The built-in lessons are data (`crates/clinic/library/lessons.json`); a clinic adds its own
//! in the same format through [`catalogue::parse_import`], all or nothing.

pub mod assign;
pub mod catalogue;
pub mod lesson;
pub mod reading;
#[cfg(test)]
mod tests;

pub use self::assign::{CareContext, assigned, this_week};
pub use self::lesson::{Lesson, LessonFigure};
