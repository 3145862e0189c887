//! Exercise reminders: the days and time a patient chose (and the habit they tie them to),
//! what a valid choice is, when the next reminder is due in the clinic's time zone, and what
//! happens to a reminder that could not be sent on time (docs/reminders.md).
//!
//! Pure: the moment to count from and the time zone are arguments. Time zones are jiff's (its
//! IANA database is data built into the binary, not a file read at run time).

use jiff::{civil, tz::TimeZone};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::exercise::{Problem, Weekday};

/// Longest habit text, in characters: "after breakfast", "when I take my tablets".
pub const MAX_HABIT_CHARS: usize = 60;

/// How late a reminder may still be sent. A reminder belongs to the moment the patient chose
/// ("8:00, after breakfast"); two hours covers a restart or a short outage on the same morning
/// or evening, while one held back longer would arrive at a time nobody chose, perhaps at
/// night, and the next reminder is never more than a week away (Today shows it meanwhile).
pub const LATE_LIMIT: Duration = Duration::hours(2);

/// A time of day to the minute, "08:00" on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay {
    hour: u8,
    minute: u8,
}

impl TimeOfDay {
    /// `None` unless 0 ≤ hour ≤ 23 and 0 ≤ minute ≤ 59.
    pub fn new(hour: u8, minute: u8) -> Option<TimeOfDay> {
        (hour < 24 && minute < 60).then_some(TimeOfDay { hour, minute })
    }

    pub fn hour(self) -> u8 {
        self.hour
    }

    pub fn minute(self) -> u8 {
        self.minute
    }

    /// Reads "08:00", "8:00" or "8.00" (the browser's time field sends "08:00").
    pub fn parse(text: &str) -> Option<TimeOfDay> {
        let (h, m) = text.trim().split_once([':', '.'])?;
        let digits = |s: &str, most: usize| {
            (!s.is_empty() && s.len() <= most && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u8>().ok())
                .flatten()
        };
        // Seconds (`08:00:00`) are accepted from clients that always send them, if zero.
        let (m, s) = m.split_once(':').unwrap_or((m, "00"));
        if m.len() != 2 || digits(s, 2) != Some(0) {
            return None;
        }
        TimeOfDay::new(digits(h, 2)?, digits(m, 2)?)
    }
}

/// "08:00".
impl std::fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        TimeOfDay::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("{text:?} is not a time like 08:00")))
    }
}

/// A patient's reminder plan, as checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The days, Monday first, each once. Never empty while the plan is on.
    pub days: Vec<Weekday>,
    /// The time on those days, in the clinic's time zone.
    pub time: TimeOfDay,
    /// What the patient ties the reminder to ("after breakfast"), if anything.
    pub habit: Option<String>,
    /// Off keeps the choice for later but sends and shows nothing.
    pub enabled: bool,
}

/// A plan as typed: each field still text, so that every problem can be named.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanInput<'a> {
    pub days: &'a [String],
    pub time: &'a str,
    pub habit: &'a str,
    pub enabled: bool,
}

/// Checks a plan as typed. Every problem names its field (`days`, `time`, `habit`) and says how
/// to put it right.
pub fn check(input: &PlanInput<'_>) -> Result<Plan, Vec<Problem>> {
    let mut problems = vec![];
    let mut problem = |field: &str, message: &str| {
        problems.push(Problem { field: field.to_owned(), message: message.to_owned() });
    };
    let mut days = vec![];
    for d in input.days {
        match d.trim().to_ascii_lowercase().parse::<Weekday>() {
            Ok(day) => days.push(day),
            Err(_) => {
                problem("days", "Choose days from Monday to Sunday");
                break;
            }
        }
    }
    let days: Vec<Weekday> = Weekday::ALL.iter().copied().filter(|d| days.contains(d)).collect();
    if input.enabled && days.is_empty() && input.days.is_empty() {
        problem("days", "Choose at least one day for your reminders");
    }
    let time = TimeOfDay::parse(input.time);
    if time.is_none() {
        let message = if input.time.trim().is_empty() {
            "Enter the time for your reminders, like 08:00"
        } else {
            "Enter a time like 08:00 or 18:30"
        };
        problem("time", message);
    }
    let habit = input.habit.trim();
    if habit.chars().count() > MAX_HABIT_CHARS {
        problem(
            "habit",
            &format!("Keep what it goes with to {MAX_HABIT_CHARS} characters or fewer"),
        );
    } else if habit.chars().any(char::is_control) {
        problem("habit", "Write what it goes with on one line");
    }
    match time {
        Some(time) if problems.is_empty() => Ok(Plan {
            days,
            time,
            habit: (!habit.is_empty()).then(|| habit.to_owned()),
            enabled: input.enabled,
        }),
        _ => Err(problems),
    }
}

/// A moment as jiff counts it, or `None` outside the years either library can hold.
fn timestamp(t: OffsetDateTime) -> Option<jiff::Timestamp> {
    jiff::Timestamp::from_second(t.unix_timestamp()).ok()
}

fn offset_date_time(t: jiff::Timestamp) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp(t.as_second()).ok()
}

fn weekday_of(d: civil::Date) -> Weekday {
    Weekday::ALL[usize::from(d.weekday().to_monday_zero_offset().unsigned_abs())]
}

impl Plan {
    /// The first reminder strictly after `after`: the chosen time on the next chosen day, as a
    /// clock on the wall in `zone` shows it, in UTC. `None` while the plan is off.
    ///
    /// Daylight saving: a time that a spring change skips (02:30 on the night clocks go
    /// forward) is taken as the same length of time after the change (03:30), and a time a
    /// change repeats (01:30 on the night clocks go back) as its first occurrence, so a
    /// reminder is never skipped and never sent twice.
    pub fn next_due(&self, zone: &TimeZone, after: OffsetDateTime) -> Option<OffsetDateTime> {
        if !self.enabled || self.days.is_empty() {
            return None;
        }
        let after_ts = timestamp(after)?;
        // From the day before (a far-behind zone's yesterday may still be ahead in UTC) to
        // eight days on: a week of days holds every chosen day.
        let mut day = zone.to_datetime(after_ts).date().yesterday().ok()?;
        for _ in 0..10 {
            if self.days.contains(&weekday_of(day)) {
                let local = day.at(self.time.hour as i8, self.time.minute as i8, 0, 0);
                let at = zone.to_ambiguous_timestamp(local).compatible().ok()?;
                if at > after_ts {
                    return offset_date_time(at);
                }
            }
            day = day.tomorrow().ok()?;
        }
        None
    }

    /// The chosen days in words: "every day", "Monday to Friday", "Monday, Wednesday and
    /// Friday".
    pub fn days_text(&self) -> String {
        let names: Vec<&str> = self.days.iter().map(|d| d.label()).collect();
        let weekdays = &Weekday::ALL[..5];
        match names.len() {
            7 => "every day".to_owned(),
            5 if self.days == weekdays => "Monday to Friday".to_owned(),
            0 => "no days".to_owned(),
            1 => names[0].to_owned(),
            n => format!("{} and {}", names[..n - 1].join(", "), names[n - 1]),
        }
    }
}

/// What to do with a reminder claimed at `now` that was due at `due`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Not due yet: leave it.
    Wait,
    /// Send it (on time, or late but within [`LATE_LIMIT`]).
    Send,
    /// Too late to be useful: record it as skipped and move on to the next one.
    Skip,
}

/// The missed-reminder rule: a reminder is sent once it is due and until [`LATE_LIMIT`] after;
/// later than that it is skipped, never sent.
pub fn delivery(due: OffsetDateTime, now: OffsetDateTime) -> Delivery {
    if now < due {
        Delivery::Wait
    } else if now - due <= LATE_LIMIT {
        Delivery::Send
    } else {
        Delivery::Skip
    }
}

/// Where to count the next reminder from: after the last one already planned (so none is
/// planned twice), after the plan last changed (so a new plan never reaches back before it
/// existed), and no earlier than [`LATE_LIMIT`] ago (so a long outage plans only reminders
/// that may still be sent, not every one it missed).
pub fn count_from(
    last_planned: Option<OffsetDateTime>,
    plan_changed: OffsetDateTime,
    now: OffsetDateTime,
) -> OffsetDateTime {
    let floor = plan_changed.max(now - LATE_LIMIT);
    last_planned.map_or(floor, |l| l.max(floor))
}

/// The next reminder in words, as the patient's clock shows it: "Thursday at 8:00, after
/// breakfast"; "Today at 18:30" and "Tomorrow at 8:00" when it is that close, "Next Thursday"
/// a week on.
pub fn describe(plan: &Plan, zone: &TimeZone, at: OffsetDateTime, now: OffsetDateTime) -> String {
    let (Some(at_ts), Some(now_ts)) = (timestamp(at), timestamp(now)) else {
        return String::new();
    };
    let (local, today) = (zone.to_datetime(at_ts), zone.to_datetime(now_ts).date());
    let day = if local.date() == today {
        "Today".to_owned()
    } else if today.tomorrow().ok() == Some(local.date()) {
        "Tomorrow".to_owned()
    } else if today.checked_add(jiff::Span::new().days(7)).ok() == Some(local.date()) {
        // A week today: "Thursday" alone would read as this very day.
        format!("Next {}", weekday_of(local.date()).label())
    } else {
        weekday_of(local.date()).label().to_owned()
    };
    let time = format!("{}:{:02}", local.hour(), local.minute());
    match &plan.habit {
        Some(h) => format!("{day} at {time}, {h}"),
        None => format!("{day} at {time}"),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    fn zone(name: &str) -> TimeZone {
        jiff::tz::TimeZoneDatabase::bundled().get(name).unwrap()
    }

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn plan(days: &[Weekday], hour: u8, minute: u8) -> Plan {
        Plan {
            days: days.to_vec(),
            time: TimeOfDay::new(hour, minute).unwrap(),
            habit: None,
            enabled: true,
        }
    }

    #[test]
    fn a_plan_as_typed_is_checked_field_by_field() {
        let days = strings(&["friday", "Monday", "monday"]);
        let p = check(&PlanInput {
            days: &days,
            time: "8:05",
            habit: "  after breakfast ",
            enabled: true,
        })
        .unwrap();
        assert_eq!(p.days, vec![Weekday::Monday, Weekday::Friday]);
        assert_eq!(p.time.to_string(), "08:05");
        assert_eq!(p.habit.as_deref(), Some("after breakfast"));

        let fields = |input: PlanInput<'_>| -> Vec<String> {
            check(&input).unwrap_err().into_iter().map(|p| p.field).collect()
        };
        let none: Vec<String> = vec![];
        assert_eq!(
            fields(PlanInput { days: &none, time: "08:00", habit: "", enabled: true }),
            ["days"]
        );
        let bad = strings(&["funday"]);
        let long = "x".repeat(MAX_HABIT_CHARS + 1);
        assert_eq!(
            fields(PlanInput { days: &bad, time: "25:00", habit: &long, enabled: true }),
            ["days", "time", "habit"]
        );
        for time in ["", "8", "8:5", "08:60", "24:00", "-1:00", "08:00:30", "eight"] {
            assert_eq!(fields(PlanInput { days: &days, time, habit: "", enabled: true }), ["time"]);
        }
        let two_lines = "after\nbreakfast";
        assert_eq!(
            fields(PlanInput { days: &days, time: "8.00", habit: two_lines, enabled: true }),
            ["habit"]
        );
        // Off, no day is needed: the time is kept for when it is turned on again.
        let off = check(&PlanInput { days: &none, time: "19:30", habit: "", enabled: false });
        assert_eq!(off.unwrap().next_due(&TimeZone::UTC, datetime!(2026-11-25 09:00 UTC)), None);
    }

    #[test]
    fn times_round_trip_on_the_wire() {
        let t = TimeOfDay::parse("07:30").unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"07:30\"");
        assert_eq!(serde_json::from_str::<TimeOfDay>("\"07:30:00\"").unwrap(), t);
        assert!(serde_json::from_str::<TimeOfDay>("\"7h30\"").is_err());
    }

    #[test]
    fn the_next_reminder_is_the_chosen_time_on_the_next_chosen_day() {
        // 25 November 2026 is a Wednesday.
        let p = plan(&[Weekday::Monday, Weekday::Thursday], 8, 0);
        let utc = TimeZone::UTC;
        assert_eq!(
            p.next_due(&utc, datetime!(2026-11-25 09:00 UTC)),
            Some(datetime!(2026-11-26 08:00 UTC))
        );
        // Strictly after: at the moment itself, the next one is the following Monday.
        assert_eq!(
            p.next_due(&utc, datetime!(2026-11-26 08:00 UTC)),
            Some(datetime!(2026-11-30 08:00 UTC))
        );
        assert_eq!(
            p.next_due(&utc, datetime!(2026-11-26 07:59:59 UTC)),
            Some(datetime!(2026-11-26 08:00 UTC))
        );
        // The clinic's wall clock: 08:00 in Paris is 07:00 UTC in winter, 06:00 in summer.
        let paris = zone("Europe/Paris");
        assert_eq!(
            p.next_due(&paris, datetime!(2026-11-25 09:00 UTC)),
            Some(datetime!(2026-11-26 07:00 UTC))
        );
        assert_eq!(
            p.next_due(&paris, datetime!(2026-07-01 00:00 UTC)),
            Some(datetime!(2026-07-02 06:00 UTC))
        );
        // Far behind UTC, the local day is still yesterday: Thursday 20:00 in Honolulu is
        // Friday 06:00 UTC, and is found from Friday 01:00 UTC.
        let late = plan(&[Weekday::Thursday], 20, 0);
        assert_eq!(
            late.next_due(&zone("Pacific/Honolulu"), datetime!(2026-11-27 01:00 UTC)),
            Some(datetime!(2026-11-27 06:00 UTC))
        );
        // One day a week: a week on.
        assert_eq!(
            late.next_due(&utc, datetime!(2026-11-26 20:00 UTC)),
            Some(datetime!(2026-12-03 20:00 UTC))
        );
    }

    #[test]
    fn daylight_saving_changes_neither_skip_nor_repeat_a_reminder() {
        let london = zone("Europe/London");
        let every_day = plan(Weekday::ALL, 1, 30);
        // Clocks go forward at 01:00 GMT on 29 March 2026: 01:30 does not exist that night and
        // is taken as 02:30 BST (01:30 UTC), an hour after the change began.
        assert_eq!(
            every_day.next_due(&london, datetime!(2026-03-28 23:00 UTC)),
            Some(datetime!(2026-03-29 01:30 UTC))
        );
        // The next day is ordinary summer time: 01:30 BST is 00:30 UTC.
        assert_eq!(
            every_day.next_due(&london, datetime!(2026-03-29 01:30 UTC)),
            Some(datetime!(2026-03-30 00:30 UTC))
        );
        // Clocks go back at 02:00 BST on 25 October 2026: 01:30 happens twice; the reminder
        // comes at the first (00:30 UTC) and not again at the second (01:30 UTC).
        let first = every_day.next_due(&london, datetime!(2026-10-24 23:00 UTC)).unwrap();
        assert_eq!(first, datetime!(2026-10-25 00:30 UTC));
        assert_eq!(every_day.next_due(&london, first), Some(datetime!(2026-10-26 01:30 UTC)));
        // A morning reminder keeps its wall-clock time across the change.
        let eight = plan(Weekday::ALL, 8, 0);
        assert_eq!(
            eight.next_due(&london, datetime!(2026-10-24 08:00 UTC)),
            Some(datetime!(2026-10-25 08:00 UTC))
        );
        assert_eq!(
            eight.next_due(&london, datetime!(2026-10-24 06:00 UTC)),
            Some(datetime!(2026-10-24 07:00 UTC))
        );
    }

    #[test]
    fn a_missed_reminder_is_sent_late_within_the_limit_and_skipped_after() {
        let due = datetime!(2026-11-26 08:00 UTC);
        assert_eq!(delivery(due, due - Duration::seconds(1)), Delivery::Wait);
        assert_eq!(delivery(due, due), Delivery::Send);
        assert_eq!(delivery(due, due + LATE_LIMIT), Delivery::Send);
        assert_eq!(delivery(due, due + LATE_LIMIT + Duration::seconds(1)), Delivery::Skip);
    }

    #[test]
    fn counting_resumes_after_the_last_planned_the_change_and_the_late_limit() {
        let now = datetime!(2026-11-30 12:00 UTC);
        let changed = datetime!(2026-11-01 09:00 UTC);
        // Down for days: count only from two hours ago.
        assert_eq!(
            count_from(Some(datetime!(2026-11-26 08:00 UTC)), changed, now),
            now - LATE_LIMIT
        );
        // Otherwise after the last one planned.
        let last = datetime!(2026-11-30 11:00 UTC);
        assert_eq!(count_from(Some(last), changed, now), last);
        // A plan changed just now counts from now: nothing earlier is sent for it.
        assert_eq!(count_from(Some(last), now, now), now);
        assert_eq!(count_from(None, changed, now), now - LATE_LIMIT);
    }

    #[test]
    fn the_next_reminder_reads_as_a_day_a_time_and_the_habit() {
        let mut p = plan(&[Weekday::Thursday], 8, 0);
        p.habit = Some("after breakfast".into());
        let now = datetime!(2026-11-24 09:00 UTC);
        let at = p.next_due(&TimeZone::UTC, now).unwrap();
        assert_eq!(describe(&p, &TimeZone::UTC, at, now), "Thursday at 8:00, after breakfast");
        assert_eq!(
            describe(&p, &TimeZone::UTC, at, datetime!(2026-11-25 09:00 UTC)),
            "Tomorrow at 8:00, after breakfast"
        );
        p.habit = None;
        assert_eq!(
            describe(&p, &TimeZone::UTC, at, datetime!(2026-11-26 06:00 UTC)),
            "Today at 8:00"
        );
        let week_on = p.next_due(&TimeZone::UTC, at).unwrap();
        assert_eq!(describe(&p, &TimeZone::UTC, week_on, at), "Next Thursday at 8:00");
        assert_eq!(p.days_text(), "Thursday");
        p.days = vec![Weekday::Monday, Weekday::Wednesday, Weekday::Friday];
        assert_eq!(p.days_text(), "Monday, Wednesday and Friday");
        p.days = Weekday::ALL[..5].to_vec();
        assert_eq!(p.days_text(), "Monday to Friday");
        p.days = Weekday::ALL.to_vec();
        assert_eq!(p.days_text(), "every day");
    }
}
