//! The patient's day: which exercises are due in each session of a day, the pain check before
//! a session, what the patient records per exercise and at the end, the next-morning answer,
//! and how the week is going against the plan.
//!
//! The pain rules are clinical.md §6 (the pain-monitoring model) and §8.5 (session gates):
//! pain of [`pain::BLOCK_PAIN`] or more before a session, or [`pain::RISE`] points or more above
//! the patient's usual level, stops it and tells the care team; pain during an exercise above
//! [`pain::EXERCISE_LIMIT`] ends that exercise.

pub mod log;
pub mod pain;
pub mod plan;

#[cfg(test)]
mod tests;

pub use log::{Closing, ExerciseLog, Outcome, SkipReason, StopReason};
pub use pain::{Gate, SessionStop, Usual, UsualSource};
pub use plan::{WeekCount, due_in, sessions_on};
