//! An episode of care and the states it moves through: intake, awaiting a clinician's review,
//! active care, discharged. Which moves are allowed is decided here, once; the store records
//! them and refuses any other.
//!
//! The discharge window lives here too: for [`DISCHARGE_WINDOW_DAYS`] days after discharge the
//! episode still collects its discharge questionnaires.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::wire::{UnknownName, parse_name};

/// Days after discharge during which the discharge questionnaires stay due. A platform choice:
/// long enough for a patient to answer after a last appointment, short enough that the answers
/// still describe the end of care.
pub const DISCHARGE_WINDOW_DAYS: i64 = 30;

/// Where an episode of care stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EpisodeStatus {
    /// The patient is filling in the intake.
    Intake,
    /// A decision waits for a clinician (a tier above exercise care, a rule asking for review,
    /// or a check-in that raised a flag). Exercise is paused meanwhile.
    AwaitingReview,
    /// On a pathway, exercising.
    Active,
    /// Care has ended. Final: a new episode starts with a new intake.
    Discharged,
}

/// What happens to an episode; each event moves it along one allowed transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpisodeEvent {
    /// The patient sent the intake and triage decided whether a clinician must review it.
    IntakeSubmitted {
        /// From [`crate::triage::TriageDecision::needs_clinician_review`].
        needs_review: bool,
    },
    /// A later triage or check-in raised something a clinician must see.
    FlaggedForReview,
    /// A clinician reviewed the decision waiting for them.
    Reviewed,
    /// A clinician ended care.
    Discharged,
}

/// A move the rules do not allow, in words a form can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TransitionRefused {
    /// Where the episode was.
    pub from: EpisodeStatus,
    /// What was tried.
    pub event: EpisodeEvent,
    /// Why it is refused.
    pub message: &'static str,
}

impl EpisodeStatus {
    /// Every status, in the order an episode meets them.
    pub const ALL: [EpisodeStatus; 4] = [
        EpisodeStatus::Intake,
        EpisodeStatus::AwaitingReview,
        EpisodeStatus::Active,
        EpisodeStatus::Discharged,
    ];

    /// The wire name, as the store keeps it.
    pub fn as_str(self) -> &'static str {
        match self {
            EpisodeStatus::Intake => "intake",
            EpisodeStatus::AwaitingReview => "awaiting_review",
            EpisodeStatus::Active => "active",
            EpisodeStatus::Discharged => "discharged",
        }
    }

    /// The status after `event`, or why the event is not allowed now.
    ///
    /// | From | Event | To |
    /// |---|---|---|
    /// | intake | intake submitted, needs review | awaiting review |
    /// | intake | intake submitted, no review | active |
    /// | active, awaiting review | flagged for review | awaiting review |
    /// | awaiting review | reviewed | active |
    /// | intake, awaiting review, active | discharged | discharged |
    pub fn after(self, event: EpisodeEvent) -> Result<EpisodeStatus, TransitionRefused> {
        use EpisodeEvent as E;
        use EpisodeStatus as S;
        let refuse = |message| Err(TransitionRefused { from: self, event, message });
        match (self, event) {
            (S::Intake, E::IntakeSubmitted { needs_review: true }) => Ok(S::AwaitingReview),
            (S::Intake, E::IntakeSubmitted { needs_review: false }) => Ok(S::Active),
            (_, E::IntakeSubmitted { .. }) => refuse("The intake has already been sent."),
            (S::Active | S::AwaitingReview, E::FlaggedForReview) => Ok(S::AwaitingReview),
            (S::Intake, E::FlaggedForReview) => {
                refuse("The intake has not been sent yet, so there is nothing to review.")
            }
            (S::AwaitingReview, E::Reviewed) => Ok(S::Active),
            (S::Intake | S::Active, E::Reviewed) => {
                refuse("Nothing in this episode is waiting for a review.")
            }
            (S::Intake | S::AwaitingReview | S::Active, E::Discharged) => Ok(S::Discharged),
            (S::Discharged, _) => refuse("This episode has been discharged."),
        }
    }

    /// Whether some event moves an episode from `self` to `to`.
    pub fn can_become(self, to: EpisodeStatus) -> bool {
        [
            EpisodeEvent::IntakeSubmitted { needs_review: true },
            EpisodeEvent::IntakeSubmitted { needs_review: false },
            EpisodeEvent::FlaggedForReview,
            EpisodeEvent::Reviewed,
            EpisodeEvent::Discharged,
        ]
        .into_iter()
        .any(|event| self.after(event) == Ok(to))
    }

    /// Whether the patient may exercise on the platform now: only on active care. While a
    /// decision waits for a clinician, exercise is paused.
    pub fn exercise_allowed(self) -> bool {
        self == EpisodeStatus::Active
    }

    /// Whether the episode's questionnaires may be asked and answered on `today`: once the
    /// intake is sent and while care goes on, and after discharge within the discharge window.
    /// `discharged_on` is the day of discharge (ignored unless discharged; a discharged episode
    /// without a date is treated as outside the window).
    pub fn questionnaires_open(self, discharged_on: Option<Date>, today: Date) -> bool {
        match self {
            EpisodeStatus::Intake => false,
            EpisodeStatus::AwaitingReview | EpisodeStatus::Active => true,
            EpisodeStatus::Discharged => {
                discharged_on.is_some_and(|day| discharge_window_open(day, today))
            }
        }
    }
}

/// Whether the discharge questionnaires are still due on `today` for care that ended on
/// `discharged_on`: from the day of discharge for [`DISCHARGE_WINDOW_DAYS`] days.
pub fn discharge_window_open(discharged_on: Date, today: Date) -> bool {
    let days = (today - discharged_on).whole_days();
    (0..DISCHARGE_WINDOW_DAYS).contains(&days)
}

impl fmt::Display for EpisodeStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for EpisodeStatus {
    type Err = UnknownName;

    /// Reads a stored status; an unknown one is an error.
    fn from_str(text: &str) -> Result<EpisodeStatus, UnknownName> {
        parse_name("episode status", &EpisodeStatus::ALL, EpisodeStatus::as_str, text)
    }
}

#[cfg(test)]
mod tests {
    use time::Duration;
    use time::macros::date;

    use super::*;
    use EpisodeStatus::{Active, AwaitingReview, Discharged, Intake};

    #[test]
    fn transitions_follow_the_table() {
        let review = EpisodeEvent::IntakeSubmitted { needs_review: true };
        let no_review = EpisodeEvent::IntakeSubmitted { needs_review: false };
        let cases: &[(EpisodeStatus, EpisodeEvent, Option<EpisodeStatus>)] = &[
            (Intake, review, Some(AwaitingReview)),
            (Intake, no_review, Some(Active)),
            (Active, no_review, None),
            (AwaitingReview, review, None),
            (Intake, EpisodeEvent::FlaggedForReview, None),
            (Active, EpisodeEvent::FlaggedForReview, Some(AwaitingReview)),
            (AwaitingReview, EpisodeEvent::FlaggedForReview, Some(AwaitingReview)),
            (AwaitingReview, EpisodeEvent::Reviewed, Some(Active)),
            (Active, EpisodeEvent::Reviewed, None),
            (Intake, EpisodeEvent::Reviewed, None),
            (Intake, EpisodeEvent::Discharged, Some(Discharged)),
            (Active, EpisodeEvent::Discharged, Some(Discharged)),
            (AwaitingReview, EpisodeEvent::Discharged, Some(Discharged)),
            (Discharged, EpisodeEvent::Discharged, None),
            (Discharged, EpisodeEvent::FlaggedForReview, None),
            (Discharged, EpisodeEvent::Reviewed, None),
            (Discharged, no_review, None),
        ];
        for (from, event, to) in cases {
            let got = from.after(*event);
            assert_eq!(got.ok(), *to, "{from} + {event:?}");
            if let Err(refused) = got {
                assert!(!refused.message.is_empty());
            }
        }
        assert!(Intake.can_become(Active) && !Active.can_become(Intake));
        assert!(!Discharged.can_become(Active) && !Discharged.can_become(Discharged));
        assert!(EpisodeStatus::ALL.iter().all(|s| !s.can_become(Intake)), "intake is only a start");
    }

    #[test]
    fn only_active_care_allows_exercise() {
        let allowed: Vec<EpisodeStatus> =
            EpisodeStatus::ALL.into_iter().filter(|s| s.exercise_allowed()).collect();
        assert_eq!(allowed, vec![Active]);
    }

    #[test]
    fn discharge_window_is_thirty_days_from_the_day_of_discharge() {
        let day = date!(2026 - 11 - 20);
        let cases: &[(i64, bool)] = &[(-1, false), (0, true), (1, true), (29, true), (30, false)];
        for (after, open) in cases {
            let today = day + Duration::days(*after);
            assert_eq!(discharge_window_open(day, today), *open, "{after} days after");
            assert_eq!(Discharged.questionnaires_open(Some(day), today), *open, "{after}");
        }
        assert!(!Discharged.questionnaires_open(None, day));
        assert!(!Intake.questionnaires_open(None, day));
        assert!(
            Active.questionnaires_open(None, day) && AwaitingReview.questionnaires_open(None, day)
        );
    }
}
