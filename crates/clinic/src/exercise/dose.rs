//! How much of an exercise, how often: sets, repetitions or holds or minutes, rest, side, days
//! of the week and times a day, with an optional load and effort target. The limits are wide
//! enough for any home programme and narrow enough to catch a slip of the keyboard.

use serde::{Deserialize, Serialize};

use crate::exercise::Problem;
use crate::exercise::tag::{Side, Weekday};

/// Most sets in one session.
pub const MAX_SETS: u8 = 10;
/// Most repetitions (or holds) in one set.
pub const MAX_REPS: u16 = 50;
/// Longest hold, in seconds (stretches in older adults are held up to 60 s).
pub const MAX_HOLD_S: u16 = 120;
/// Longest timed exercise, in minutes (a walk).
pub const MAX_MINUTES: u16 = 60;
/// Longest rest between sets, in seconds.
pub const MAX_REST_S: u16 = 600;
/// Most sessions of one exercise in a day.
pub const MAX_TIMES_PER_DAY: u8 = 6;
/// Longest load description.
pub const MAX_LOAD_CHARS: usize = 80;

/// A dose. Exactly one of three shapes: repetitions (`reps`), holds (`hold_s`, with `reps`
/// holds per set, one when absent), or a timed exercise (`minutes`, such as a walk).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dose {
    /// Sets per session, 1 to 10.
    #[schemars(range(min = 1, max = MAX_SETS))]
    pub sets: u8,
    /// Repetitions per set (or holds per set when `hold_s` is given), 1 to 50.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = MAX_REPS))]
    pub reps: Option<u16>,
    /// Seconds to hold each repetition, 1 to 120.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = MAX_HOLD_S))]
    pub hold_s: Option<u16>,
    /// Minutes, for a timed exercise such as walking, 1 to 60.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = MAX_MINUTES))]
    pub minutes: Option<u16>,
    /// Rest between sets, in seconds, 0 to 600.
    #[schemars(range(max = MAX_REST_S))]
    pub rest_s: u16,
    /// Which side.
    pub side: Side,
    /// The days of the week it is done on (at least one, no repeats).
    #[schemars(length(min = 1, max = 7), extend("uniqueItems" = true))]
    pub days: Vec<Weekday>,
    /// Sessions a day, 1 to 6.
    #[schemars(range(min = 1, max = MAX_TIMES_PER_DAY))]
    pub times_per_day: u8,
    /// The load, in words ("a light band", "2 kg"), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1, max = MAX_LOAD_CHARS))]
    pub load: Option<String>,
    /// How hard it should feel, 0 (nothing) to 10 (maximal), when it matters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(max = 10))]
    pub effort: Option<u8>,
}

impl Dose {
    /// Every problem with this dose; `at` prefixes each field name (`items[2].dose`).
    pub fn problems(&self, at: &str) -> Vec<Problem> {
        let mut out = Vec::new();
        let mut bad = |field: &str, message: String| {
            out.push(Problem { field: format!("{at}.{field}"), message });
        };
        if !(1..=MAX_SETS).contains(&self.sets) {
            bad("sets", format!("enter from 1 to {MAX_SETS} sets"));
        }
        match (self.reps, self.hold_s, self.minutes) {
            (_, _, Some(_)) if self.reps.is_some() || self.hold_s.is_some() => bad(
                "minutes",
                "give minutes for a timed exercise, or repetitions or holds, not both".to_owned(),
            ),
            (None, None, None) => {
                bad("reps", "enter the repetitions, a hold in seconds, or minutes".to_owned());
            }
            _ => {}
        }
        if let Some(reps) = self.reps
            && !(1..=MAX_REPS).contains(&reps)
        {
            bad("reps", format!("enter from 1 to {MAX_REPS} repetitions"));
        }
        if let Some(hold) = self.hold_s
            && !(1..=MAX_HOLD_S).contains(&hold)
        {
            bad("hold_s", format!("enter a hold from 1 to {MAX_HOLD_S} seconds"));
        }
        if let Some(minutes) = self.minutes
            && !(1..=MAX_MINUTES).contains(&minutes)
        {
            bad("minutes", format!("enter from 1 to {MAX_MINUTES} minutes"));
        }
        if self.rest_s > MAX_REST_S {
            bad("rest_s", format!("enter a rest from 0 to {MAX_REST_S} seconds"));
        }
        if self.days.is_empty() {
            bad("days", "choose at least one day of the week".to_owned());
        } else if (1..self.days.len()).any(|i| self.days[..i].contains(&self.days[i])) {
            bad("days", "name each day once".to_owned());
        }
        if !(1..=MAX_TIMES_PER_DAY).contains(&self.times_per_day) {
            bad("times_per_day", format!("enter from 1 to {MAX_TIMES_PER_DAY} times a day"));
        }
        if let Some(load) = &self.load
            && (load.trim().is_empty() || load.chars().count() > MAX_LOAD_CHARS)
        {
            bad(
                "load",
                format!("describe the load in 1 to {MAX_LOAD_CHARS} characters, or leave it out"),
            );
        }
        if let Some(effort) = self.effort
            && effort > 10
        {
            bad("effort", "enter an effort from 0 (nothing) to 10 (maximal)".to_owned());
        }
        out
    }

    /// The days in week order, whatever order they were given in.
    pub fn days_in_order(&self) -> Vec<Weekday> {
        Weekday::ALL.iter().copied().filter(|d| self.days.contains(d)).collect()
    }

    /// What to do in one session, in plain words: "3 sets of 10", "hold for 30 seconds, 3
    /// times", "10 minutes".
    pub fn amount_text(&self) -> String {
        // One set reads as a count ("10 times"); several as sets ("3 sets of 10").
        let sets = |reps: u16| match self.sets {
            1 => times(u32::from(reps)),
            n => format!("{n} sets of {reps}"),
        };
        let mut text = match (self.reps, self.hold_s, self.minutes) {
            (_, _, Some(m)) => plural(u32::from(m), "minute"),
            (reps, Some(hold), None) => {
                let held = format!("hold for {}", plural(u32::from(hold), "second"));
                match (reps.unwrap_or(1), self.sets) {
                    (1, 1) => held,
                    (1, n) => format!("{held}, {}", times(u32::from(n))),
                    (r, _) => format!("{}, {held} each time", sets(r)),
                }
            }
            (Some(reps), None, None) => sets(reps),
            (None, None, None) => String::new(),
        };
        match self.side {
            Side::Both => {}
            Side::Left => text.push_str(", left side"),
            Side::Right => text.push_str(", right side"),
            Side::Alternating => text.push_str(" on each side"),
        }
        text
    }

    /// When, in plain words: "twice a day, Monday, Wednesday and Friday", "once a day, every
    /// day".
    pub fn schedule_text(&self) -> String {
        let per_day = match self.times_per_day {
            1 => "once a day".to_owned(),
            2 => "twice a day".to_owned(),
            n => format!("{n} times a day"),
        };
        let days = self.days_in_order();
        let days = match days.len() {
            7 => "every day".to_owned(),
            5 if !days.contains(&Weekday::Saturday) && !days.contains(&Weekday::Sunday) => {
                "Monday to Friday".to_owned()
            }
            _ => join_and(&days.iter().map(|d| d.label()).collect::<Vec<_>>()),
        };
        format!("{per_day}, {days}")
    }

    /// The whole dose in plain words: "3 sets of 10, twice a day, Monday, Wednesday and Friday".
    pub fn patient_text(&self) -> String {
        format!("{}, {}", self.amount_text(), self.schedule_text())
    }

    /// Extra details for the patient: rest, load and effort, when they apply.
    pub fn details_text(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.rest_s > 0 && self.sets > 1 {
            out.push(format!(
                "Rest for {} between sets.",
                plural(u32::from(self.rest_s), "second")
            ));
        }
        if let Some(load) = &self.load {
            out.push(format!("Use {load}."));
        }
        if let Some(effort) = self.effort {
            out.push(format!(
                "It should feel like {effort} out of 10 effort ({}).",
                effort_words(effort)
            ));
        }
        out
    }
}

fn effort_words(effort: u8) -> &'static str {
    match effort {
        0 => "no effort at all",
        1..=2 => "easy",
        3..=4 => "moderate",
        5..=6 => "hard",
        7..=8 => "very hard",
        _ => "as hard as you can",
    }
}

fn plural(n: u32, unit: &str) -> String {
    if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") }
}

fn times(n: u32) -> String {
    match n {
        1 => "once".to_owned(),
        2 => "twice".to_owned(),
        n => format!("{n} times"),
    }
}

/// "a", "a and b", "a, b and c".
pub(crate) fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dose() -> Dose {
        Dose {
            sets: 3,
            reps: Some(10),
            hold_s: None,
            minutes: None,
            rest_s: 30,
            side: Side::Both,
            days: vec![Weekday::Friday, Weekday::Monday, Weekday::Wednesday],
            times_per_day: 2,
            load: None,
            effort: None,
        }
    }

    #[test]
    fn plain_words() {
        assert_eq!(
            dose().patient_text(),
            "3 sets of 10, twice a day, Monday, Wednesday and Friday"
        );
        let hold = Dose {
            sets: 1,
            reps: Some(10),
            hold_s: Some(5),
            days: Weekday::ALL.to_vec(),
            times_per_day: 1,
            ..dose()
        };
        assert_eq!(
            hold.patient_text(),
            "10 times, hold for 5 seconds each time, once a day, every day"
        );
        let plank = Dose { reps: None, hold_s: Some(30), side: Side::Alternating, ..dose() };
        assert_eq!(plank.amount_text(), "hold for 30 seconds, 3 times on each side");
        let walk = Dose { sets: 1, reps: None, minutes: Some(15), ..dose() };
        assert_eq!(walk.amount_text(), "15 minutes");
    }

    #[test]
    fn limits_name_the_field() {
        assert!(dose().problems("dose").is_empty());
        let fields = |d: Dose| d.problems("dose").into_iter().map(|p| p.field).collect::<Vec<_>>();
        assert_eq!(fields(Dose { sets: 0, ..dose() }), ["dose.sets"]);
        assert_eq!(fields(Dose { reps: Some(500), ..dose() }), ["dose.reps"]);
        assert_eq!(fields(Dose { reps: None, hold_s: Some(3 * 3600), ..dose() }), ["dose.hold_s"]);
        assert_eq!(fields(Dose { reps: Some(50), ..dose() }), Vec::<String>::new());
        assert_eq!(fields(Dose { reps: Some(51), ..dose() }), ["dose.reps"]);
        assert_eq!(fields(Dose { reps: None, ..dose() }), ["dose.reps"]);
        assert_eq!(fields(Dose { minutes: Some(10), ..dose() }), ["dose.minutes"]);
        assert_eq!(fields(Dose { days: vec![], ..dose() }), ["dose.days"]);
        assert_eq!(
            fields(Dose { days: vec![Weekday::Monday, Weekday::Monday], ..dose() }),
            ["dose.days"]
        );
        assert_eq!(fields(Dose { times_per_day: 7, ..dose() }), ["dose.times_per_day"]);
        assert_eq!(fields(Dose { effort: Some(11), ..dose() }), ["dose.effort"]);
        assert_eq!(fields(Dose { rest_s: 601, ..dose() }), ["dose.rest_s"]);
    }
}
