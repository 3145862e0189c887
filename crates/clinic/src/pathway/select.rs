//! Which pathway an intake starts on.

use std::collections::BTreeSet;

use crate::intake::{CheckedIntake, Surgery};
use crate::pathway::status::{Timing, build, weeks_between};
use crate::pathway::{POST_OP_PROTOCOL_WEEKS, Pathway, PhaseStatus};

/// The pathway an intake starts on. Surgery decides first: an operation done within the last
/// [`POST_OP_PROTOCOL_WEEKS`] weeks gives its post-operative pathway, a booked one gives prehab.
/// Otherwise (no operation, only recommended, or long past) the main region picks the
/// conservative pathway.
pub fn select(intake: &CheckedIntake) -> Pathway {
    match intake.intake().surgery {
        Surgery::Done { procedure, date }
            if weeks_between(date, intake.as_of()) < POST_OP_PROTOCOL_WEEKS =>
        {
            Pathway::post_op(procedure)
        }
        Surgery::Scheduled { .. } => Pathway::Prehab,
        _ => Pathway::conservative(intake.primary_region()),
    }
}

/// The phase status for an intake's own pathway, with no milestones confirmed yet. The dates
/// were checked with the intake, so this cannot fail.
pub fn intake_status(intake: &CheckedIntake) -> PhaseStatus {
    let pathway = select(intake);
    let today = intake.as_of();
    let timing = match intake.intake().surgery {
        Surgery::Done { date, .. } if pathway.procedure().is_some() => {
            Timing::SinceSurgery(weeks_between(date, today))
        }
        Surgery::Scheduled { date, .. } => Timing::UntilSurgery(Some(weeks_between(today, date))),
        _ => Timing::None,
    };
    build(pathway, timing, intake.intake().lifting_limit_kg, &BTreeSet::new(), None)
}
