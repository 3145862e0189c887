//! What became of a decision: noted (nothing to decide), waiting for the clinician, or decided.

use crate::exercise::tag::vocabulary;

vocabulary!(
    /// Where a decision of the progression rules stands.
    Status, "proposal status", {
        /// A decision to keep the dose, or a change with no step left to take: recorded for
        /// the clinician to read, nothing to decide.
        Noted => "noted", "Noted";
        /// A change waiting for the clinician.
        Waiting => "waiting", "Waiting";
        /// Accepted as proposed: a new programme version.
        Accepted => "accepted", "Accepted";
        /// Accepted with the clinician's changes: a new programme version.
        Edited => "edited", "Accepted with changes";
        /// Turned down, with the clinician's reason.
        Rejected => "rejected", "Rejected";
        /// Applied automatically, within the limits the clinician allowed.
        Applied => "applied", "Applied automatically";
        /// A later decision about the same exercise took its place before anyone decided.
        Superseded => "superseded", "Replaced by a later proposal";
    }
);

impl Status {
    /// Whether it changed the programme.
    pub fn changed_programme(self) -> bool {
        matches!(self, Status::Accepted | Status::Edited | Status::Applied)
    }
}
