//! The progression engine: after each session, for each exercise, a proposal to progress, hold
//! or regress, from a rule table read top to bottom (the first rule that holds wins), each
//! proposal with its rule, its inputs and a sentence for the clinician and for the patient.
//!
//! - [`rule`]: the table as data, with the thresholds and where each comes from;
//! - [`observe`]: what one session of one exercise showed (the rules' inputs);
//! - [`decide`]: the table applied to those inputs;
//! - [`status`]: what became of a decision (waiting, accepted, applied, …);
//! - [`step`]: one step along an exercise's ladder, up or down, within the patient's dose cap
//!   and never onto an exercise a precaution rules out.
//!
//! docs/progression.md states every rule with its source.

pub mod decide;
pub mod observe;
pub mod rule;
pub mod status;
pub mod step;

pub use decide::{Decision, decide};
pub use observe::{Adherence, Inputs, Morning, Observation, Tracked};
pub use rule::{Proposal, Rule, TABLE};
pub use status::Status;
pub use step::{Cap, Moved, Step, down, up};

#[cfg(test)]
mod tests;
