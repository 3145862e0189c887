//! Contacts between a patient and their care team (a message, a phone call, a video call, an
//! in-person visit): what a valid entry in the contact log is, the week it counts in, the weekly
//! target and how it reads, and the patient's phone number (docs/contacts.md).
//!
//! Pure: the moment to check against and the clinic's time zone are arguments.

use jiff::{civil, tz::TimeZone};
use time::{Date, Duration, OffsetDateTime};

use crate::{
    exercise::{Problem, tag::vocabulary},
    reminder::TimeOfDay,
};

/// Contacts a week the care team aims for. The reference programme promises at least two
/// contacts a week by chat, phone, e-mail or video, and its therapists average about three
/// (../shared/reference/clinical.md §8, "at least 2 PT contacts per week"; Sword Health).
pub const TARGET_PER_WEEK: u32 = 2;

/// The longest call or visit, in minutes. A first assessment in person takes 60 to 90 minutes
/// and a long group class two hours; anything over four hours is a typing slip (300 for 30).
pub const MAX_MINUTES: u16 = 240;

/// How far back a contact may be logged, in days on the clinic's calendar (today and the 30
/// days before it). A contact is logged on the day or soon after,
/// while it is remembered; a month covers a clinician's leave, and an older date is more likely
/// the wrong month than a late entry.
pub const MAX_DAYS_BACK: i64 = 30;

/// The longest note, in characters: what was discussed and agreed in a few sentences.
pub const MAX_NOTE_CHARS: usize = 500;

/// How far ahead of the server's clock a given moment may be: a device whose clock runs a few
/// seconds fast, logging a call that has just ended.
pub const CLOCK_ALLOWANCE: Duration = Duration::minutes(1);

vocabulary!(
    /// How the care team was in touch with the patient.
    ContactKind, "contact kind", {
        /// A written message (the platform's messages, e-mail, a text).
        Message => "message", "Message";
        PhoneCall => "phone_call", "Phone call";
        VideoCall => "video_call", "Video call";
        /// The patient came in, or was visited.
        InPerson => "in_person", "In-person visit";
    }
);

impl ContactKind {
    /// Whether it lasts a length of time: a call or a visit does, a message does not.
    pub fn has_duration(self) -> bool {
        self != ContactKind::Message
    }
}

/// When the contact happened, as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When<'a> {
    /// Now (nothing given).
    Now,
    /// An exact moment (an API client's `occurred_at`).
    At(OffsetDateTime),
    /// A date and a time as typed, on the clinic's clock: `2026-11-25` and `14:30`.
    Local { date: &'a str, time: &'a str },
}

/// A contact as given: each field still as sent, so every problem can be named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContactInput<'a> {
    /// The kind's wire name (`phone_call`).
    pub kind: &'a str,
    pub when: When<'a>,
    /// Whole minutes, as typed; empty for a message.
    pub minutes: &'a str,
    pub note: &'a str,
}

/// A contact that passed [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedContact {
    pub kind: ContactKind,
    /// When it happened, in whole seconds.
    pub at: OffsetDateTime,
    /// `Some` exactly when the kind has a duration.
    pub minutes: Option<u16>,
    /// Trimmed; `None` when empty (allowed for a message only).
    pub note: Option<String>,
}

/// The field names problems use: `kind`, `occurred_at` (for [`When::At`]), `date` and `time`
/// (for [`When::Local`]), `duration_minutes`, `note`.
pub const FIELDS: [&str; 6] = ["kind", "occurred_at", "date", "time", "duration_minutes", "note"];

/// Checks a contact against the rules of docs/contacts.md: a known kind; a moment no later
/// than `now` (give or take [`CLOCK_ALLOWANCE`]) and on a date at most [`MAX_DAYS_BACK`] days
/// before today on the clinic's calendar;
/// 1 to [`MAX_MINUTES`] minutes for a call or visit and none for a message; a note for a call or
/// visit, at most [`MAX_NOTE_CHARS`] characters. Every problem names its field and says how to
/// put it right.
pub fn check(
    input: &ContactInput<'_>,
    zone: &TimeZone,
    now: OffsetDateTime,
) -> Result<CheckedContact, Vec<Problem>> {
    let mut problems = vec![];
    let mut problem = |field: &str, message: String| {
        problems.push(Problem { field: field.to_owned(), message });
    };

    let kind_text = input.kind.trim();
    let kind = match kind_text.parse::<ContactKind>() {
        Ok(k) => Some(k),
        Err(_) if kind_text.is_empty() => {
            problem("kind", "Choose the kind of contact".into());
            None
        }
        Err(_) => {
            problem(
                "kind",
                "Choose a message, a phone call, a video call or an in-person visit".into(),
            );
            None
        }
    };

    let at = match moment(&input.when, zone, now) {
        Ok(at) => Some(whole_seconds(at)),
        Err(p) => {
            problems.push(p);
            None
        }
    };
    let mut problem = |field: &str, message: String| {
        problems.push(Problem { field: field.to_owned(), message });
    };
    let earliest = local_date(zone, now) - Duration::days(MAX_DAYS_BACK);
    if let Some(at) = at {
        let (date_field, time_field) = match input.when {
            When::Local { .. } => ("date", "time"),
            When::Now | When::At(_) => ("occurred_at", "occurred_at"),
        };
        if at > now + CLOCK_ALLOWANCE {
            // On the form, a later day is the date's fault; a later hour today, the time's.
            let later_day = local_date(zone, at) > local_date(zone, now);
            let field = if later_day { date_field } else { time_field };
            problem(field, "The contact cannot be in the future: enter when it happened".into());
        } else if local_date(zone, at) < earliest {
            problem(
                date_field,
                format!(
                    "Log a contact within {MAX_DAYS_BACK} days: enter a date from {} on",
                    long_date(earliest)
                ),
            );
        }
    }

    let minutes_text = input.minutes.trim();
    let minutes = if kind == Some(ContactKind::Message) {
        if !minutes_text.is_empty() {
            problem(
                "duration_minutes",
                "A message has no length of time: leave minutes empty".into(),
            );
        }
        None
    } else if minutes_text.is_empty() {
        if kind.is_some() {
            problem(
                "duration_minutes",
                "Enter how long the call or visit took, in minutes, like 15".into(),
            );
        }
        None
    } else {
        match minutes_text.parse::<i64>() {
            Ok(m) if (1..=i64::from(MAX_MINUTES)).contains(&m) => u16::try_from(m).ok(),
            Ok(_) => {
                problem("duration_minutes", format!("Enter minutes from 1 to {MAX_MINUTES}"));
                None
            }
            Err(_) => {
                problem("duration_minutes", "Enter the minutes as a whole number, like 15".into());
                None
            }
        }
    };

    let note = input.note.replace("\r\n", "\n");
    let note = note.trim();
    let chars = note.chars().count();
    if chars > MAX_NOTE_CHARS {
        problem(
            "note",
            format!("Keep the note to {MAX_NOTE_CHARS} characters or fewer (it has {chars})"),
        );
    } else if note.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        problem("note", "Write the note as plain text".into());
    } else if note.is_empty() && kind.is_some_and(ContactKind::has_duration) {
        problem("note", "Write a short note of what you talked about".into());
    }

    match (kind, at) {
        (Some(kind), Some(at)) if problems.is_empty() => Ok(CheckedContact {
            kind,
            at,
            minutes: if kind.has_duration() { minutes } else { None },
            note: (!note.is_empty()).then(|| note.to_owned()),
        }),
        _ => Err(problems),
    }
}

/// The moment given, before the range check; a problem names the field at fault.
fn moment(
    when: &When<'_>,
    zone: &TimeZone,
    now: OffsetDateTime,
) -> Result<OffsetDateTime, Problem> {
    let problem = |field: &str, message: &str| Problem {
        field: field.to_owned(),
        message: message.to_owned(),
    };
    match *when {
        When::Now => Ok(now),
        When::At(at) => Ok(at),
        When::Local { date, time } => {
            let date = date.trim();
            let Some(day) = parse_date(date) else {
                return Err(if date.is_empty() {
                    problem("date", "Enter the date of the contact")
                } else {
                    problem("date", "Enter a real date, like 2026-11-25")
                });
            };
            let time = time.trim();
            let Some(t) = TimeOfDay::parse(time) else {
                return Err(if time.is_empty() {
                    problem("time", "Enter the time of the contact, like 14:30")
                } else {
                    problem("time", "Enter a time like 09:15 or 14:30")
                });
            };
            wall_clock(zone, day, t.hour(), t.minute())
                .ok_or_else(|| problem("date", "Enter a real date, like 2026-11-25"))
        }
    }
}

/// A date as `2026-11-25` (what a browser's date field sends).
fn parse_date(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, format).ok()
}

/// The moment a clock on the wall in `zone` shows `hour:minute` on `day`. A time the spring
/// change skips is taken as the same length of time after it, and a time the autumn change
/// repeats as its first occurrence (jiff's "compatible" rule, as reminders use).
fn wall_clock(zone: &TimeZone, day: Date, hour: u8, minute: u8) -> Option<OffsetDateTime> {
    let d = civil::date(
        i16::try_from(day.year()).ok()?,
        i8::try_from(u8::from(day.month())).ok()?,
        i8::try_from(day.day()).ok()?,
    );
    let local = d.at(i8::try_from(hour).ok()?, i8::try_from(minute).ok()?, 0, 0);
    let ts = zone.to_ambiguous_timestamp(local).compatible().ok()?;
    OffsetDateTime::from_unix_timestamp(ts.as_second()).ok()
}

/// The date a clock on the wall in `zone` shows at `t`.
pub fn local_date(zone: &TimeZone, t: OffsetDateTime) -> Date {
    let Ok(ts) = jiff::Timestamp::from_second(t.unix_timestamp()) else { return t.date() };
    let d = zone.to_datetime(ts).date();
    time::Month::try_from(d.month().unsigned_abs())
        .ok()
        .and_then(|m| Date::from_calendar_date(i32::from(d.year()), m, d.day().unsigned_abs()).ok())
        .unwrap_or_else(|| t.date())
}

/// `t` without its fraction of a second.
fn whole_seconds(t: OffsetDateTime) -> OffsetDateTime {
    t.replace_nanosecond(0).unwrap_or(t)
}

/// "25 November 2026".
fn long_date(d: Date) -> String {
    format!("{} {} {}", d.day(), d.month(), d.year())
}

/// When the week holding `now` began: midnight at the start of Monday on the clinic's clock
/// (the same Monday-start week as the patient's sessions, `day::plan::week_start`).
pub fn week_start(zone: &TimeZone, now: OffsetDateTime) -> OffsetDateTime {
    let monday = crate::day::plan::week_start(local_date(zone, now));
    wall_clock(zone, monday, 0, 0).unwrap_or(now)
}

/// Contacts this week against the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct WeekContacts {
    /// Contacts logged from Monday on.
    pub count: u32,
    /// [`TARGET_PER_WEEK`].
    pub target: u32,
}

impl WeekContacts {
    pub fn new(count: u32) -> WeekContacts {
        WeekContacts { count, target: TARGET_PER_WEEK }
    }

    /// Counts the contacts in the week holding `now`: from its Monday's midnight on the clinic's
    /// clock, up to now.
    pub fn of(
        at: impl IntoIterator<Item = OffsetDateTime>,
        zone: &TimeZone,
        now: OffsetDateTime,
    ) -> WeekContacts {
        let since = week_start(zone, now);
        let count = at.into_iter().filter(|t| *t >= since && *t <= now + CLOCK_ALLOWANCE).count();
        WeekContacts::new(u32::try_from(count).unwrap_or(u32::MAX))
    }

    /// Whether the week has had the contacts it aims for.
    pub fn met(self) -> bool {
        self.count >= self.target
    }

    /// In plain words: "1 of 2 this week"; once met, "3 this week (target 2 met)".
    pub fn text(self) -> String {
        if self.met() && self.count > self.target {
            format!("{} this week (target {} met)", self.count, self.target)
        } else {
            format!("{} of {} this week", self.count, self.target)
        }
    }
}

/// Most digits a phone number may have: the international format allows 15 after the country
/// code; 20 leaves room for an international call prefix such as 00 or 011.
pub const PHONE_MAX_DIGITS: usize = 20;
/// Fewest digits: the shortest subscriber numbers in use (some small countries) have six.
pub const PHONE_MIN_DIGITS: usize = 6;
/// Longest phone number as written, separators included.
pub const PHONE_MAX_CHARS: usize = 32;

/// Checks a phone number as typed. `Ok(None)` when it is empty (the number is cleared);
/// otherwise the number as it will be shown, trimmed with single spaces. It may hold digits,
/// spaces, `-`, brackets and a leading `+`, with 6 to 20 digits. The error says how to put it
/// right.
pub fn check_phone(text: &str) -> Result<Option<String>, String> {
    let shown = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if shown.is_empty() {
        return Ok(None);
    }
    if shown.chars().count() > PHONE_MAX_CHARS {
        return Err(format!(
            "Enter the phone number in {PHONE_MAX_CHARS} characters or fewer, like +1 416 555 0142"
        ));
    }
    if !shown.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')')) {
        return Err("Enter the phone number with digits, spaces, dashes and brackets only, like \
             (416) 555-0142 or +1 416 555 0142"
            .into());
    }
    if shown.char_indices().any(|(i, c)| c == '+' && i != 0) {
        return Err("Put + only at the start of the number, like +1 416 555 0142".into());
    }
    let digits = shown.chars().filter(char::is_ascii_digit).count();
    if !(PHONE_MIN_DIGITS..=PHONE_MAX_DIGITS).contains(&digits) {
        return Err(format!(
            "Enter a phone number with {PHONE_MIN_DIGITS} to {PHONE_MAX_DIGITS} digits (this one \
             has {digits})"
        ));
    }
    Ok(Some(shown))
}

/// The `tel:` address of a checked number: its digits, with the leading `+` if it has one
/// ("(416) 555-0142" → "tel:4165550142", "+1 416 555 0142" → "tel:+14165550142").
pub fn tel_uri(phone: &str) -> String {
    let plus = if phone.trim_start().starts_with('+') { "+" } else { "" };
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    format!("tel:{plus}{digits}")
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    fn london() -> TimeZone {
        TimeZone::get("Europe/London").unwrap()
    }

    fn input<'a>(
        kind: &'a str,
        when: When<'a>,
        minutes: &'a str,
        note: &'a str,
    ) -> ContactInput<'a> {
        ContactInput { kind, when, minutes, note }
    }

    fn fields(r: Result<CheckedContact, Vec<Problem>>) -> Vec<String> {
        r.expect_err("refused").into_iter().map(|p| p.field).collect()
    }

    // Wednesday 25 November 2026, 14:05:30 in London (GMT, the same as UTC).
    const NOW: OffsetDateTime = datetime!(2026-11-25 14:05:30.250 UTC);

    #[test]
    fn a_call_typed_on_the_clinic_clock_is_checked_and_kept_to_the_second() {
        let when = When::Local { date: "2026-11-25", time: "13:40" };
        let c = check(
            &input("phone_call", when, " 20 ", "  Talked about pacing.\r\n  "),
            &london(),
            NOW,
        )
        .unwrap();
        assert_eq!(c.kind, ContactKind::PhoneCall);
        assert_eq!(c.at, datetime!(2026-11-25 13:40 UTC));
        assert_eq!(c.minutes, Some(20));
        assert_eq!(c.note.as_deref(), Some("Talked about pacing."));
        // In summer the clinic's clock is an hour ahead of UTC.
        let summer = datetime!(2026-07-15 12:00 UTC);
        let when = When::Local { date: "2026-07-15", time: "09:00" };
        let c = check(&input("video_call", when, "30", "Check-in"), &london(), summer).unwrap();
        assert_eq!(c.at, datetime!(2026-07-15 08:00 UTC));
        // Now: the moment without its fraction of a second.
        let c = check(&input("message", When::Now, "", ""), &london(), NOW).unwrap();
        assert_eq!(c.at, datetime!(2026-11-25 14:05:30 UTC));
        assert_eq!((c.minutes, c.note), (None, None));
    }

    #[test]
    fn the_future_is_refused_at_the_field_that_makes_it_so() {
        let z = london();
        let later_today = When::Local { date: "2026-11-25", time: "14:07" };
        assert_eq!(fields(check(&input("phone_call", later_today, "5", "x"), &z, NOW)), ["time"]);
        let tomorrow = When::Local { date: "2026-11-26", time: "08:00" };
        assert_eq!(fields(check(&input("phone_call", tomorrow, "5", "x"), &z, NOW)), ["date"]);
        let ahead = When::At(NOW + Duration::minutes(2));
        assert_eq!(fields(check(&input("message", ahead, "", ""), &z, NOW)), ["occurred_at"]);
        // The current minute is not the future, and a device clock a little fast is allowed.
        let this_minute = When::Local { date: "2026-11-25", time: "14:05" };
        assert!(check(&input("phone_call", this_minute, "5", "x"), &z, NOW).is_ok());
        let fast = When::At(NOW + CLOCK_ALLOWANCE);
        assert!(check(&input("message", fast, "", ""), &z, NOW).is_ok());
        let too_fast = When::At(NOW + CLOCK_ALLOWANCE + Duration::seconds(1));
        assert!(check(&input("message", too_fast, "", ""), &z, NOW).is_err());
    }

    #[test]
    fn a_contact_may_be_logged_up_to_thirty_days_back() {
        let z = london();
        // Counted in days on the clinic's calendar: from 26 October, the whole day.
        let edge = When::At(datetime!(2026-10-26 00:00 UTC));
        assert!(check(&input("message", edge, "", ""), &z, NOW).is_ok());
        let older = When::At(datetime!(2026-10-25 23:59:59 UTC));
        let problems = check(&input("message", older, "", ""), &z, NOW).unwrap_err();
        assert_eq!(problems[0].field, "occurred_at");
        assert!(problems[0].message.contains("26 October 2026"), "{}", problems[0].message);
        let typed = When::Local { date: "2026-10-25", time: "23:00" };
        assert_eq!(fields(check(&input("phone_call", typed, "5", "x"), &z, NOW)), ["date"]);
        let typed = When::Local { date: "2026-10-26", time: "00:00" };
        assert!(check(&input("phone_call", typed, "5", "x"), &z, NOW).is_ok());
        // A clinic far west of UTC counts its own days.
        let la = TimeZone::get("America/Los_Angeles").unwrap();
        let edge = When::At(datetime!(2026-10-26 07:00 UTC)); // 26 October, 00:00 in LA
        assert!(check(&input("message", edge, "", ""), &la, NOW).is_ok());
        let before = When::At(datetime!(2026-10-26 06:59 UTC));
        assert!(check(&input("message", before, "", ""), &la, NOW).is_err());
    }

    #[test]
    fn minutes_are_whole_and_from_1_to_240_for_calls_and_visits_and_absent_for_messages() {
        let z = london();
        let ok = |m: &str| check(&input("in_person", When::Now, m, "Reviewed"), &z, NOW);
        assert_eq!(ok("1").unwrap().minutes, Some(1));
        assert_eq!(ok("240").unwrap().minutes, Some(MAX_MINUTES));
        for bad in ["0", "241", "-5", "15.5", "a quarter hour", ""] {
            assert_eq!(fields(ok(bad)), ["duration_minutes"], "{bad:?}");
        }
        let message = check(&input("message", When::Now, "10", ""), &z, NOW);
        assert_eq!(fields(message), ["duration_minutes"]);
    }

    #[test]
    fn calls_and_visits_need_a_short_note_and_messages_do_not() {
        let z = london();
        assert_eq!(fields(check(&input("phone_call", When::Now, "10", "  "), &z, NOW)), ["note"]);
        assert!(check(&input("message", When::Now, "", ""), &z, NOW).is_ok());
        let long = "a".repeat(MAX_NOTE_CHARS + 1);
        let problems = check(&input("message", When::Now, "", &long), &z, NOW).unwrap_err();
        assert!(problems[0].message.contains("501"), "{}", problems[0].message);
        let exact = "é".repeat(MAX_NOTE_CHARS);
        assert!(check(&input("message", When::Now, "", &exact), &z, NOW).is_ok());
        let control = check(&input("message", When::Now, "", "bell\u{7}"), &z, NOW);
        assert_eq!(fields(control), ["note"]);
        // Lines are kept.
        let c = check(&input("phone_call", When::Now, "5", "One\nTwo"), &z, NOW).unwrap();
        assert_eq!(c.note.as_deref(), Some("One\nTwo"));
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let z = london();
        let when = When::Local { date: "25/11/2026", time: "" };
        assert_eq!(
            fields(check(&input("", when, "lots", ""), &z, NOW)),
            ["kind", "date", "duration_minutes"]
        );
        let when = When::Local { date: "2026-11-25", time: "25:00" };
        assert_eq!(fields(check(&input("fax", when, "5", ""), &z, NOW)), ["kind", "time"]);
        assert!(FIELDS.contains(&"duration_minutes"));
        assert_eq!(ContactKind::ALL.len(), 4);
        assert_eq!(ContactKind::InPerson.label(), "In-person visit");
        assert_eq!("video_call".parse::<ContactKind>(), Ok(ContactKind::VideoCall));
    }

    #[test]
    fn the_week_starts_at_monday_midnight_on_the_clinic_clock() {
        let z = london();
        // Wednesday 25 November 2026: the week began on Monday the 23rd at 00:00 GMT.
        assert_eq!(week_start(&z, NOW), datetime!(2026-11-23 00:00 UTC));
        // In summer, Monday's midnight in London is 23:00 UTC on the Sunday.
        assert_eq!(
            week_start(&z, datetime!(2026-07-15 12:00 UTC)),
            datetime!(2026-07-12 23:00 UTC)
        );
        // Sunday 23:30 UTC in summer is already Monday 00:30 in London: a new week.
        assert_eq!(
            week_start(&z, datetime!(2026-07-12 23:30 UTC)),
            datetime!(2026-07-12 23:00 UTC)
        );
        // Monday 00:00 itself starts the week; a second before belongs to the week before.
        let monday = datetime!(2026-11-23 00:00 UTC);
        assert_eq!(week_start(&z, monday), monday);
        assert_eq!(week_start(&z, monday - Duration::seconds(1)), datetime!(2026-11-16 00:00 UTC));
        // Far west: Monday midnight in Los Angeles is 08:00 UTC.
        let la = TimeZone::get("America/Los_Angeles").unwrap();
        assert_eq!(
            week_start(&la, datetime!(2026-11-23 07:59 UTC)),
            datetime!(2026-11-16 08:00 UTC)
        );
        assert_eq!(
            week_start(&la, datetime!(2026-11-23 08:00 UTC)),
            datetime!(2026-11-23 08:00 UTC)
        );
    }

    #[test]
    fn contacts_this_week_count_from_monday_and_read_in_plain_words() {
        let z = london();
        let monday = datetime!(2026-11-23 00:00 UTC);
        let times = [
            monday - Duration::seconds(1), // last week
            monday,                        // this week
            datetime!(2026-11-24 10:00 UTC),
        ];
        let week = WeekContacts::of(times, &z, NOW);
        assert_eq!(week, WeekContacts { count: 2, target: TARGET_PER_WEEK });
        assert!(week.met());
        assert_eq!(week.text(), "2 of 2 this week");
        assert_eq!(WeekContacts::of([monday], &z, NOW).text(), "1 of 2 this week");
        assert!(!WeekContacts::new(1).met());
        assert_eq!(WeekContacts::new(0).text(), "0 of 2 this week");
        assert_eq!(WeekContacts::new(3).text(), "3 this week (target 2 met)");
        // On Monday morning last week's contacts no longer count.
        let next_monday = datetime!(2026-11-30 09:00 UTC);
        assert_eq!(WeekContacts::of(times, &z, next_monday).count, 0);
    }

    #[test]
    fn phone_numbers_hold_digits_and_separators_with_6_to_20_digits() {
        assert_eq!(check_phone("  (416)   555-0142 "), Ok(Some("(416) 555-0142".to_owned())));
        assert_eq!(check_phone("+44 20 7946 0000"), Ok(Some("+44 20 7946 0000".to_owned())));
        assert_eq!(check_phone("   "), Ok(None), "empty clears it");
        assert_eq!(check_phone("123456"), Ok(Some("123456".to_owned())));
        assert_eq!(check_phone("1".repeat(20).as_str()).map(|p| p.map(|p| p.len())), Ok(Some(20)));
        assert!(check_phone("12345").unwrap_err().contains("has 5"));
        assert!(check_phone(&"1".repeat(21)).unwrap_err().contains("has 21"));
        assert!(check_phone("416 555 0142 ext 3").unwrap_err().contains("digits, spaces"));
        assert!(check_phone("416.555.0142").is_err());
        assert!(check_phone("1+416 555 0142").unwrap_err().contains("only at the start"));
        assert!(check_phone(&format!("{}1", "1 ".repeat(16))).unwrap_err().contains("32"));
        assert_eq!(tel_uri("(416) 555-0142"), "tel:4165550142");
        assert_eq!(tel_uri("+1 416 555 0142"), "tel:+14165550142");
    }
}
