//! What the programme asks for on a day and in a week.
//!
//! A day has as many sessions as the most "times a day" of the exercises due that day; session
//! `n` holds the exercises due at least `n` times that day. So chin tucks twice a day and a
//! walk once a day make two sessions: the first with both, the second with the chin tucks.

use time::{Date, Duration};

use crate::exercise::tag::Weekday;
use crate::programme::Item;

/// Whether `item` is due on `day`: in force, and on that day of the week.
fn due_on(item: &Item, day: Date) -> bool {
    item.active_on(day) && item.dose.days.contains(&Weekday::of(day))
}

/// How many sessions the programme asks for on `day` (0 on a rest day).
pub fn sessions_on(items: &[Item], day: Date) -> u8 {
    items.iter().filter(|i| due_on(i, day)).map(|i| i.dose.times_per_day).max().unwrap_or(0)
}

/// The positions in `items` of the exercises due in session `n` (from 1) of `day`, in the
/// programme's order.
pub fn due_in(items: &[Item], day: Date, n: u8) -> Vec<usize> {
    items
        .iter()
        .enumerate()
        .filter(|(_, i)| due_on(i, day) && i.dose.times_per_day >= n)
        .map(|(k, _)| k)
        .collect()
}

/// The Monday that starts the week holding `day`.
pub fn week_start(day: Date) -> Date {
    day - Duration::days(i64::from(day.weekday().number_days_from_monday()))
}

/// Sessions done in a week against the sessions the programme asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct WeekCount {
    /// The Monday of the week.
    pub monday: Date,
    /// Sessions with at least one exercise done.
    pub done: u32,
    /// Sessions the programme asked for that week.
    pub planned: u32,
}

impl WeekCount {
    /// Counts the week starting `monday`: the plan from `items` (as prescribed now), and `done`
    /// as given.
    pub fn of(items: &[Item], monday: Date, done: u32) -> WeekCount {
        let planned =
            (0..7).map(|d| u32::from(sessions_on(items, monday + Duration::days(d)))).sum();
        WeekCount { monday, done, planned }
    }

    /// What the patient reads: encouraging, never a telling-off. Sessions done beyond the plan
    /// count as done; a week with nothing planned says so.
    pub fn patient_text(&self) -> String {
        let sessions =
            |n: u32| if n == 1 { "1 session".to_owned() } else { format!("{n} sessions") };
        match (self.done, self.planned) {
            (_, 0) => "There are no exercise sessions planned this week.".to_owned(),
            (0, p) => format!("This week's plan is {}. Every session helps.", sessions(p)),
            (d, p) if d >= p => {
                format!("You have done {} this week: the whole plan. Well done.", sessions(d))
            }
            (d, p) => format!("You have done {d} of {p} sessions this week. Keep going."),
        }
    }
}
