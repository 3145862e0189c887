//! When triage must run again: every week, and on a pain rise.

use serde::Serialize;

use crate::intake::PainScore;
use crate::triage::{RETRIAGE_INTERVAL_DAYS, RETRIAGE_PAIN_RISE};

/// Why triage must run again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "trigger", rename_all = "snake_case")]
pub enum RetriageTrigger {
    /// A week or more has passed: the weekly check-in re-asks the red-flag questions.
    WeeklyCheckIn {
        /// Days since the last triage.
        days_since_last: u32,
    },
    /// Pain has risen by [`RETRIAGE_PAIN_RISE`] points or more since the last triage.
    PainRise {
        /// Pain at the last triage.
        from: u8,
        /// Pain now.
        to: u8,
    },
}

impl RetriageTrigger {
    /// The trigger in words, for the clinician's log and the patient's check-in screen.
    pub fn explanation(&self) -> String {
        match *self {
            RetriageTrigger::WeeklyCheckIn { days_since_last } => format!(
                "It has been {days_since_last} days since the last safety questions; we ask them \
                 again every week."
            ),
            RetriageTrigger::PainRise { from, to } => format!(
                "Pain has gone up from {from} to {to} out of 10. A rise of {RETRIAGE_PAIN_RISE} \
                 points or more means we ask the safety questions again."
            ),
        }
    }
}

/// Whether triage must run again, and every reason why; empty when it need not.
///
/// Pain falling or rising by less than [`RETRIAGE_PAIN_RISE`] never triggers it on its own; a
/// gap of [`RETRIAGE_INTERVAL_DAYS`] days or more always does.
pub fn retriage_due(
    last_pain: PainScore,
    new_pain: PainScore,
    days_since_last: u32,
) -> Vec<RetriageTrigger> {
    let mut triggers = Vec::new();
    let (from, to) = (last_pain.get(), new_pain.get());
    if to.saturating_sub(from) >= RETRIAGE_PAIN_RISE {
        triggers.push(RetriageTrigger::PainRise { from, to });
    }
    if days_since_last >= RETRIAGE_INTERVAL_DAYS {
        triggers.push(RetriageTrigger::WeeklyCheckIn { days_since_last });
    }
    triggers
}
