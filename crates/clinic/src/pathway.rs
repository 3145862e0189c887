//! Care pathways, their phases, the milestones that open each phase, and the precautions in force.
//!
//! A pathway is chosen from the intake ([`select`]): conservative care by region, prehab while an
//! operation is booked, or a post-operative pathway per procedure. Post-operative phases open on
//! weeks since surgery *and* milestones the physiotherapist records (clinical.md §5, §8.6): the
//! weeks say when a phase may open, the milestones say the patient is ready. A clinician may
//! override the phase with a recorded reason; the override is an input here, storage is elsewhere.
//! Precautions that are tied to time since surgery stay in force whatever the phase, because the
//! tissue heals on the calendar, not on our labels.

pub mod milestone;
pub mod pathways;
pub mod phase;
pub mod precaution;
pub mod select;
pub mod stage;
pub mod status;
#[cfg(test)]
mod tests;

// One file per concept; the items are also named here so `pathway::Pathway` keeps working.
pub use self::milestone::Milestone;
pub use self::pathways::Pathway;
pub use self::phase::Phase;
pub use self::precaution::{ActivePrecaution, Instruction, PrecautionRule, precaution_rules};
pub use self::select::{intake_status, select};
pub use self::stage::{Stage, stages};
pub use self::status::{
    MilestoneProgress, Override, PathwayError, PathwayInputs, PhaseStatus, Unlock, current_phase,
};

/// After this many weeks a post-operative protocol is over; a new intake goes to conservative care.
pub const POST_OP_PROTOCOL_WEEKS: u16 = 52;
/// The longest override reason we store; the reason is shown next to the phase.
pub const MAX_OVERRIDE_REASON_CHARS: usize = 500;
