//! One step along an exercise's ladder. Up: more repetitions (+2), then another set (+1), then a
//! longer hold (+5 s) or walk (+5 min), then the exercise's harder variant; each up to the
//! patient's dose cap. Down: the same steps undone in reverse order, never below the dose the
//! exercise was first prescribed at, and from there back to the easier variant it replaced.
//! A variant a precaution rules out is never proposed.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::exercise::tag::vocabulary;
use crate::exercise::{Dose, Exercise};
use crate::programme::Item;

/// Repetitions added (or taken away) by one step.
pub const REPS_STEP: u16 = 2;
/// Sets added by one step.
pub const SETS_STEP: u8 = 1;
/// Seconds of hold added by one step.
pub const HOLD_STEP_S: u16 = 5;
/// Minutes added to a timed exercise by one step.
pub const MINUTES_STEP: u16 = 5;

/// The most a patient's exercises may be stepped up to, set by their clinician. The defaults
/// are the reference ladder's tops: 12 repetitions, 3 sets, 30 s holds (programmes.md §3).
/// Minutes have no reference top; 30 is a platform choice (a half-hour walk).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Cap {
    /// Most repetitions (or holds) in a set.
    pub reps: u16,
    /// Most sets.
    pub sets: u8,
    /// Longest hold, in seconds.
    pub hold_s: u16,
    /// Longest timed exercise, in minutes.
    pub minutes: u16,
}

impl Default for Cap {
    fn default() -> Cap {
        Cap { reps: 12, sets: 3, hold_s: 30, minutes: 30 }
    }
}

impl Cap {
    /// Every problem with this cap, against the dose limits of the library.
    pub fn problems(&self) -> Vec<crate::exercise::Problem> {
        use crate::exercise::dose::{MAX_HOLD_S, MAX_MINUTES, MAX_REPS, MAX_SETS};
        let mut out = Vec::new();
        let mut check = |field: &str, ok: bool, message: String| {
            if !ok {
                out.push(crate::exercise::Problem { field: format!("cap.{field}"), message });
            }
        };
        check("reps", (1..=MAX_REPS).contains(&self.reps), format!("enter 1 to {MAX_REPS}"));
        check("sets", (1..=MAX_SETS).contains(&self.sets), format!("enter 1 to {MAX_SETS}"));
        check(
            "hold_s",
            (1..=MAX_HOLD_S).contains(&self.hold_s),
            format!("enter 1 to {MAX_HOLD_S} seconds"),
        );
        check(
            "minutes",
            (1..=MAX_MINUTES).contains(&self.minutes),
            format!("enter 1 to {MAX_MINUTES} minutes"),
        );
        out
    }
}

vocabulary!(
    /// A step along the ladder.
    Step, "ladder step", {
        /// Repetitions per set.
        Reps => "reps", "repetitions";
        /// Sets.
        Sets => "sets", "sets";
        /// Seconds held.
        Hold => "hold", "hold";
        /// Minutes of a timed exercise.
        Minutes => "minutes", "minutes";
        /// The harder variant.
        Harder => "harder", "harder variant";
        /// The easier variant.
        Easier => "easier", "easier variant";
    }
);

/// A step taken: which, and the item after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Moved {
    /// The step.
    pub step: Step,
    /// The prescription after the step.
    pub item: Item,
}

/// The ladder of a dose's shape, bottom step first: repetitions, then sets, then the hold, for
/// repetitions and holds; minutes for a timed exercise.
fn ladder(dose: &Dose) -> &'static [Step] {
    match (dose.minutes, dose.hold_s) {
        (Some(_), _) => &[Step::Minutes],
        (None, Some(_)) => &[Step::Reps, Step::Sets, Step::Hold],
        (None, None) => &[Step::Reps, Step::Sets],
    }
}

/// The item one step up: the first step of the ladder with room below the cap, else the first
/// harder variant that is in the library and that `allowed` lets through (at its library dose,
/// within the cap, on the same days and times a day, starting `today`).
pub fn up<'a>(
    item: &Item,
    cap: &Cap,
    find: &dyn Fn(&str) -> Option<&'a Exercise>,
    allowed: &dyn Fn(&Exercise) -> bool,
    today: Date,
) -> Option<Moved> {
    let d = &item.dose;
    for step in ladder(d) {
        let mut dose = d.clone();
        let moved = match step {
            Step::Reps => {
                let reps = d.reps.unwrap_or(1);
                (reps < cap.reps).then(|| dose.reps = Some((reps + REPS_STEP).min(cap.reps)))
            }
            Step::Sets => {
                (d.sets < cap.sets).then(|| dose.sets = (d.sets + SETS_STEP).min(cap.sets))
            }
            Step::Hold => d.hold_s.filter(|h| *h < cap.hold_s).map(|h| {
                dose.hold_s = Some((h + HOLD_STEP_S).min(cap.hold_s));
            }),
            Step::Minutes => d.minutes.filter(|m| *m < cap.minutes).map(|m| {
                dose.minutes = Some((m + MINUTES_STEP).min(cap.minutes));
            }),
            Step::Harder | Step::Easier => None,
        };
        if moved.is_some() {
            return Some(Moved { step: *step, item: Item { dose, ..item.clone() } });
        }
    }
    let current = find(&item.exercise)?;
    let harder = current.harder.iter().filter_map(|id| find(id)).find(|e| allowed(e))?;
    Some(Moved { step: Step::Harder, item: variant(item, harder, cap, today) })
}

/// The item one step down: the last step of the ladder above the `entry` dose (the dose the
/// exercise was first prescribed at) taken back, never below it; at the entry dose, `before`
/// (the easier exercise this one replaced, as it was last prescribed) if `allowed` lets it
/// through. `None`: nothing lower to go to.
pub fn down(
    item: &Item,
    entry: &Dose,
    before: Option<(&Item, &Exercise)>,
    allowed: &dyn Fn(&Exercise) -> bool,
    today: Date,
) -> Option<Moved> {
    let d = &item.dose;
    for step in ladder(d).iter().rev() {
        let mut dose = d.clone();
        let moved = match step {
            Step::Reps => match (d.reps, entry.reps) {
                (Some(now), Some(floor)) if now > floor => {
                    dose.reps = Some(now.saturating_sub(REPS_STEP).max(floor));
                    true
                }
                (Some(now), None) if now > 1 => {
                    dose.reps = Some(now.saturating_sub(REPS_STEP).max(1));
                    true
                }
                _ => false,
            },
            Step::Sets => {
                let floor = entry.sets.max(1);
                (d.sets > floor).then(|| dose.sets = (d.sets - SETS_STEP).max(floor)).is_some()
            }
            Step::Hold => match (d.hold_s, entry.hold_s) {
                (Some(now), Some(floor)) if now > floor => {
                    dose.hold_s = Some(now.saturating_sub(HOLD_STEP_S).max(floor));
                    true
                }
                _ => false,
            },
            Step::Minutes => match (d.minutes, entry.minutes) {
                (Some(now), Some(floor)) if now > floor => {
                    dose.minutes = Some(now.saturating_sub(MINUTES_STEP).max(floor));
                    true
                }
                _ => false,
            },
            Step::Harder | Step::Easier => false,
        };
        if moved {
            return Some(Moved { step: *step, item: Item { dose, ..item.clone() } });
        }
    }
    let (before, exercise) = before?;
    allowed(exercise).then(|| Moved {
        step: Step::Easier,
        item: Item {
            dose: Dose {
                days: d.days.clone(),
                times_per_day: d.times_per_day,
                ..before.dose.clone()
            },
            start: today,
            end: item.end,
            override_: None,
            ..before.clone()
        },
    })
}

/// `exercise` in place of `item`: its library dose within the cap, on the item's days and times
/// a day, from `today`.
fn variant(item: &Item, exercise: &Exercise, cap: &Cap, today: Date) -> Item {
    let lib = &exercise.dose;
    let dose = Dose {
        sets: lib.sets.min(cap.sets),
        reps: lib.reps.map(|r| r.min(cap.reps)),
        hold_s: lib.hold_s.map(|h| h.min(cap.hold_s)),
        minutes: lib.minutes.map(|m| m.min(cap.minutes)),
        days: item.dose.days.clone(),
        times_per_day: item.dose.times_per_day,
        ..lib.clone()
    };
    Item {
        exercise: exercise.id.clone(),
        dose,
        start: today,
        end: item.end,
        note: None,
        range: None,
        override_: None,
        // A different exercise: the clinician has not chosen camera counting for it.
        camera: false,
    }
}
