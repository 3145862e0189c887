//! Alerts for the care team: every kind there is, how urgent each is, its deadline in the
//! clinic's time zone, what the clinician should do, the note that closes one, and the
//! conditions Physio checks on its own (no session lately, a follow-up overdue, an unread
//! message) (docs/alerts.md).
//!
//! Pure: the moment an alert is raised, the clinic's time zone and "now" are arguments. Time
//! zones are jiff's, as in [`crate::reminder`].

use std::{fmt, str::FromStr};

use jiff::{civil, tz::TimeZone};
use serde::Serialize;
use time::{Date, Duration, OffsetDateTime};

use crate::checkin::{CheckInFlag, CheckInOutcome};
use crate::safety::SafetyAlert;
use crate::schedule::Due;
use crate::triage::Tier;
use crate::wire::{UnknownName, parse_name};

/// What an alert is about. Stored by its wire name ([`AlertKind::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertKind {
    /// An intake answer fired an emergency rule before the intake was sent.
    IntakeEmergency,
    /// Triage on a check-in proposes a higher tier than a clinician last confirmed.
    TriageTier,
    /// A warning sign not reported before, at a check-in.
    NewWarningSign,
    /// Pain of [`crate::checkin::HIGH_PAIN`] or more (check-in, before or after a session).
    HighPain,
    /// Pain 3 or more above the baseline or the usual level (a flare).
    PainRise,
    /// PHQ-9 item 9 (thoughts of death or self-harm) answered above 0.
    Phq9Item9,
    /// A second breach of the agreed pain limit within 7 days (the progression engine).
    PainBreach,
    /// No guided session for [`NO_SESSION_DAYS`] days while a programme is in force.
    NoSession,
    /// No guided session for [`DROPOUT_DAYS`] days while a programme is in force.
    LikelyDropout,
    /// Programme changes proposed by Physio wait for the clinician's decision.
    ProposalsWaiting,
    /// A follow-up questionnaire has been due for more than [`REASSESSMENT_GRACE_DAYS`] days.
    ReassessmentDue,
    /// A patient's message has waited for a clinician for more than a working day.
    UnreadMessage,
}

/// How fast an alert must be dealt with. Ordered most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// At once: the deadline is the moment it was raised.
    Emergency,
    /// By the end of the same day in the clinic's time zone.
    Urgent,
    /// By the end of the next working day (Monday to Friday).
    Routine,
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::Emergency, Urgency::Urgent, Urgency::Routine];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Emergency => "emergency",
            Urgency::Urgent => "urgent",
            Urgency::Routine => "routine",
        }
    }

    /// The word on the inbox's tag.
    pub fn label(self) -> &'static str {
        match self {
            Urgency::Emergency => "Emergency",
            Urgency::Urgent => "Urgent",
            Urgency::Routine => "Routine",
        }
    }

    /// The urgency of a triage alert: an emergency tier is an emergency, any other higher tier
    /// is urgent.
    pub fn of_tier(tier: Tier) -> Urgency {
        if tier == Tier::Emergency { Urgency::Emergency } else { Urgency::Urgent }
    }
}

impl fmt::Display for Urgency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Urgency {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_name("urgency", &Urgency::ALL, Urgency::as_str, s)
    }
}

impl AlertKind {
    pub const ALL: [AlertKind; 12] = [
        AlertKind::IntakeEmergency,
        AlertKind::TriageTier,
        AlertKind::NewWarningSign,
        AlertKind::HighPain,
        AlertKind::PainRise,
        AlertKind::Phq9Item9,
        AlertKind::PainBreach,
        AlertKind::NoSession,
        AlertKind::LikelyDropout,
        AlertKind::ProposalsWaiting,
        AlertKind::ReassessmentDue,
        AlertKind::UnreadMessage,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::IntakeEmergency => "intake_emergency",
            AlertKind::TriageTier => "triage_tier",
            AlertKind::NewWarningSign => "new_warning_sign",
            AlertKind::HighPain => "high_pain",
            AlertKind::PainRise => "pain_rise",
            AlertKind::Phq9Item9 => "phq9_item9",
            AlertKind::PainBreach => "pain_breach",
            AlertKind::NoSession => "no_session",
            AlertKind::LikelyDropout => "likely_dropout",
            AlertKind::ProposalsWaiting => "proposals_waiting",
            AlertKind::ReassessmentDue => "reassessment_due",
            AlertKind::UnreadMessage => "unread_message",
        }
    }

    /// How urgent an alert of this kind is, unless the one raising it says otherwise (a
    /// triage alert proposing emergency care is an emergency: [`Urgency::of_tier`]).
    pub fn urgency(self) -> Urgency {
        match self {
            AlertKind::IntakeEmergency => Urgency::Emergency,
            AlertKind::TriageTier
            | AlertKind::NewWarningSign
            | AlertKind::HighPain
            | AlertKind::PainRise
            | AlertKind::Phq9Item9 => Urgency::Urgent,
            AlertKind::PainBreach
            | AlertKind::NoSession
            | AlertKind::LikelyDropout
            | AlertKind::ProposalsWaiting
            | AlertKind::ReassessmentDue
            | AlertKind::UnreadMessage => Urgency::Routine,
        }
    }

    /// The title staff read in the inbox.
    pub fn title(self) -> &'static str {
        match self {
            AlertKind::IntakeEmergency => "Emergency answer during the intake",
            AlertKind::TriageTier => "Check-in: triage proposes more care",
            AlertKind::NewWarningSign => "Check-in: new warning sign",
            AlertKind::HighPain => "Pain of 8 or more",
            AlertKind::PainRise => "Pain flare: 3 or more above usual",
            AlertKind::Phq9Item9 => "PHQ-9: thoughts of death or self-harm",
            AlertKind::PainBreach => "Pain limit passed twice in 7 days",
            AlertKind::NoSession => "No exercise session for 3 days",
            AlertKind::LikelyDropout => "Likely dropout: no session for 14 days",
            AlertKind::ProposalsWaiting => "Programme changes wait for you",
            AlertKind::ReassessmentDue => "Follow-up questionnaires overdue",
            AlertKind::UnreadMessage => "Message not read for a working day",
        }
    }

    /// What the clinician should do, in one sentence.
    pub fn to_do(self) -> &'static str {
        match self {
            AlertKind::IntakeEmergency => {
                "Call the patient now: check they have gone to an emergency department."
            }
            AlertKind::TriageTier => {
                "Review the check-in answers and call the patient today about the care proposed."
            }
            AlertKind::NewWarningSign => "Call the patient today to ask about the warning sign.",
            AlertKind::HighPain | AlertKind::PainRise => {
                "Call the patient today about their pain; exercise stays paused until you close \
                 this alert."
            }
            AlertKind::Phq9Item9 => {
                "Call the patient today and follow your clinic's procedure for risk of self-harm."
            }
            AlertKind::PainBreach => {
                "Review the programme: lower the dose or change the exercises that hurt."
            }
            AlertKind::NoSession => "Contact the patient to ask how they are getting on.",
            AlertKind::LikelyDropout => {
                "Call the patient: ask what stops them, then adjust the programme or discharge."
            }
            AlertKind::ProposalsWaiting => {
                "Open the patient's programme and accept or decline the proposed changes."
            }
            AlertKind::ReassessmentDue => {
                "Remind the patient to fill in their follow-up questionnaires."
            }
            AlertKind::UnreadMessage => "Read the patient's message and answer it.",
        }
    }

    /// Whether dealing with it means contacting the patient (the inbox then shows how).
    pub fn contact_patient(self) -> bool {
        !matches!(
            self,
            AlertKind::PainBreach | AlertKind::ProposalsWaiting | AlertKind::UnreadMessage
        )
    }

    /// The safety alert it is, when an open one pauses exercise ([`crate::safety`]).
    pub fn safety(self) -> Option<SafetyAlert> {
        SafetyAlert::from_kind(self.as_str())
    }

    /// Whether Physio raises and closes it on its own, from a condition it checks
    /// periodically; only one such alert of a kind is open for a patient at a time.
    pub fn is_condition(self) -> bool {
        matches!(
            self,
            AlertKind::NoSession
                | AlertKind::LikelyDropout
                | AlertKind::ProposalsWaiting
                | AlertKind::ReassessmentDue
                | AlertKind::UnreadMessage
        )
    }
}

impl fmt::Display for AlertKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AlertKind {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_name("alert kind", &AlertKind::ALL, AlertKind::as_str, s)
    }
}

impl From<SafetyAlert> for AlertKind {
    fn from(a: SafetyAlert) -> Self {
        match a {
            SafetyAlert::IntakeEmergency => AlertKind::IntakeEmergency,
            SafetyAlert::HigherTier => AlertKind::TriageTier,
            SafetyAlert::NewWarningSign => AlertKind::NewWarningSign,
            SafetyAlert::HighPain => AlertKind::HighPain,
            SafetyAlert::PainRise => AlertKind::PainRise,
        }
    }
}

/// An alert about to be raised: its kind, urgency and what the care team reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAlert {
    pub kind: AlertKind,
    pub urgency: Urgency,
    pub message: String,
}

impl NewAlert {
    /// An alert at its kind's urgency.
    pub fn new(kind: AlertKind, message: impl Into<String>) -> NewAlert {
        NewAlert { kind, urgency: kind.urgency(), message: message.into() }
    }

    /// The one alert a check-in raises, when it flagged anything: coded by its most serious
    /// flag, as urgent as the highest tier it proposes.
    pub fn from_check_in(outcome: &CheckInOutcome) -> Option<NewAlert> {
        let alert = outcome.care_team_alert()?;
        let kind = match alert.code {
            "triage_tier" => AlertKind::TriageTier,
            "new_warning_sign" => AlertKind::NewWarningSign,
            "high_pain" => AlertKind::HighPain,
            _ => AlertKind::PainRise,
        };
        let tier = outcome.flags.iter().find_map(|f| match f {
            CheckInFlag::HigherTier { tier } => Some(*tier),
            _ => None,
        });
        let urgency = tier.map_or(kind.urgency(), |t| Urgency::of_tier(t).min(kind.urgency()));
        Some(NewAlert { kind, urgency, message: alert.message })
    }
}

/// Whether a local date is a working day: Monday to Friday. Public holidays are not known to
/// Physio and count as working days.
pub fn is_working_day(d: civil::Date) -> bool {
    !matches!(d.weekday(), civil::Weekday::Saturday | civil::Weekday::Sunday)
}

/// The first working day after `d`.
pub fn next_working_day(d: civil::Date) -> civil::Date {
    let mut day = d;
    loop {
        day = day.tomorrow().unwrap_or(day);
        if is_working_day(day) || day == civil::Date::MAX {
            return day;
        }
    }
}

fn timestamp(t: OffsetDateTime) -> jiff::Timestamp {
    jiff::Timestamp::from_second(t.unix_timestamp()).unwrap_or(jiff::Timestamp::UNIX_EPOCH)
}

fn from_timestamp(t: jiff::Timestamp) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(t.as_second()).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The local date of a moment in `zone`.
pub fn local_date(t: OffsetDateTime, zone: &TimeZone) -> civil::Date {
    zone.to_datetime(timestamp(t)).date()
}

/// The end of a local day: the first moment of the next one (a day that daylight saving
/// shortens or lengthens ends when its clock says midnight).
pub fn end_of_day(d: civil::Date, zone: &TimeZone) -> OffsetDateTime {
    let next = d.tomorrow().unwrap_or(d);
    let at = zone
        .to_ambiguous_timestamp(next.to_datetime(civil::Time::midnight()))
        .compatible()
        .unwrap_or(jiff::Timestamp::MAX);
    from_timestamp(at)
}

/// An alert's deadline: emergency at once (the moment it was raised), urgent by the end of that
/// day, routine by the end of the next working day, the days as the clinic's clock shows them.
pub fn due_at(urgency: Urgency, raised: OffsetDateTime, zone: &TimeZone) -> OffsetDateTime {
    let day = local_date(raised, zone);
    match urgency {
        Urgency::Emergency => raised,
        Urgency::Urgent => end_of_day(day, zone),
        Urgency::Routine => end_of_day(next_working_day(day), zone),
    }
}

/// Whether an open alert's deadline has passed.
pub fn overdue(due_at: OffsetDateTime, now: OffsetDateTime) -> bool {
    now > due_at
}

/// The deadline in words for the inbox: "At once", "By the end of today", "By the end of
/// tomorrow", or "By the end of Monday 14 December".
pub fn deadline_words(
    urgency: Urgency,
    due_at: OffsetDateTime,
    now: OffsetDateTime,
    zone: &TimeZone,
) -> String {
    if urgency == Urgency::Emergency {
        return "At once".to_owned();
    }
    // The day that ends at the deadline: the local date of the moment just before it.
    let day = local_date(due_at - Duration::seconds(1), zone);
    let today = local_date(now, zone);
    if day == today {
        "By the end of today".to_owned()
    } else if Some(day) == today.tomorrow().ok() {
        "By the end of tomorrow".to_owned()
    } else {
        format!("By the end of {}", day_words(day))
    }
}

/// "Monday 14 December".
pub fn day_words(d: civil::Date) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let weekday = match d.weekday() {
        civil::Weekday::Monday => "Monday",
        civil::Weekday::Tuesday => "Tuesday",
        civil::Weekday::Wednesday => "Wednesday",
        civil::Weekday::Thursday => "Thursday",
        civil::Weekday::Friday => "Friday",
        civil::Weekday::Saturday => "Saturday",
        civil::Weekday::Sunday => "Sunday",
    };
    let month = MONTHS[usize::from(d.month().unsigned_abs()).saturating_sub(1) % 12];
    format!("{weekday} {} {month}", d.day())
}

/// Longest closing note, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// Checks the note that closes an alert: what was done, 1 to [`MAX_NOTE_CHARS`] characters
/// once trimmed. The error says how to put it right.
pub fn check_close_note(note: &str) -> Result<String, String> {
    let note = note.trim();
    if note.is_empty() {
        return Err("Enter a short note of what was done, such as \"Phoned the patient\"".into());
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(format!("Keep the note to {MAX_NOTE_CHARS} characters or fewer"));
    }
    Ok(note.to_owned())
}

/// Days without a guided session before [`AlertKind::NoSession`] is raised.
pub const NO_SESSION_DAYS: i64 = 3;
/// Days without a guided session before [`AlertKind::LikelyDropout`] is raised instead.
pub const DROPOUT_DAYS: i64 = 14;
/// Days a follow-up questionnaire may wait after its week comes before
/// [`AlertKind::ReassessmentDue`] is raised.
pub const REASSESSMENT_GRACE_DAYS: i64 = 7;

/// How long a patient with a programme in force has gone without a guided session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inactivity {
    /// [`NO_SESSION_DAYS`] days or more, fewer than [`DROPOUT_DAYS`].
    NoSession { days: i64 },
    /// [`DROPOUT_DAYS`] days or more.
    LikelyDropout { days: i64 },
}

impl Inactivity {
    /// The alert it raises.
    pub fn kind(self) -> AlertKind {
        match self {
            Inactivity::NoSession { .. } => AlertKind::NoSession,
            Inactivity::LikelyDropout { .. } => AlertKind::LikelyDropout,
        }
    }

    /// What the care team reads.
    pub fn message(self, since: Date) -> String {
        match self {
            Inactivity::NoSession { days } | Inactivity::LikelyDropout { days } => format!(
                "No guided exercise session for {days} days (the last active day was {} {} {}).",
                since.day(),
                since.month(),
                since.year()
            ),
        }
    }
}

/// The gap since `last_active` (the day of the last guided session in which an exercise was
/// done, or the day the programme came into force if later), counted in whole local days up
/// to `today`: 3 to 13 days is [`Inactivity::NoSession`], 14 or more
/// [`Inactivity::LikelyDropout`]. A session on Monday, none since: no session on Thursday.
pub fn inactivity(last_active: Date, today: Date) -> Option<Inactivity> {
    let days = (today - last_active).whole_days();
    if days >= DROPOUT_DAYS {
        Some(Inactivity::LikelyDropout { days })
    } else if days >= NO_SESSION_DAYS {
        Some(Inactivity::NoSession { days })
    } else {
        None
    }
}

/// The overdue follow-up, if any: a follow-up (not the baseline nor the discharge set) from
/// `due` (as [`crate::schedule::due_now`] lists it) whose week came at least
/// [`REASSESSMENT_GRACE_DAYS`] days before `today`. Returns its time point, the day it came
/// and the questionnaires still missing.
pub fn overdue_follow_up(due: &[Due], today: Date) -> Option<(String, Date, Vec<&'static str>)> {
    let late = |d: &&Due| {
        d.timepoint.starts_with("week_")
            && today - d.since >= Duration::days(REASSESSMENT_GRACE_DAYS)
    };
    let first = due.iter().find(late)?;
    let missing = due
        .iter()
        .filter(|d| d.timepoint == first.timepoint)
        .map(|d| d.instrument.as_str())
        .collect();
    Some((first.timepoint.clone(), first.since, missing))
}

/// The moment a message sent at `sent_at` has waited a working day: the same time on the next
/// working day when it was sent on a working day, else the end of the first working day after
/// it (a message from Saturday waits until the end of Monday).
pub fn one_working_day_after(sent_at: OffsetDateTime, zone: &TimeZone) -> OffsetDateTime {
    let local = zone.to_datetime(timestamp(sent_at));
    let day = local.date();
    if !is_working_day(day) {
        return end_of_day(next_working_day(day), zone);
    }
    let next = next_working_day(day).to_datetime(local.time());
    let at = zone.to_ambiguous_timestamp(next).compatible().unwrap_or(jiff::Timestamp::MAX);
    from_timestamp(at)
}

/// [`AlertKind::UnreadMessage`]'s condition: a patient's message no clinician has read has
/// waited more than a working day ([`one_working_day_after`]).
pub fn unread_message_overdue(
    sent_at: OffsetDateTime,
    read: bool,
    now: OffsetDateTime,
    zone: &TimeZone,
) -> bool {
    !read && now > one_working_day_after(sent_at, zone)
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;
    use crate::questionnaire::InstrumentId;

    fn tz(name: &str) -> TimeZone {
        jiff::tz::TimeZoneDatabase::bundled().get(name).unwrap()
    }

    #[test]
    fn kinds_and_urgencies_round_trip_and_unknown_names_fail() {
        for k in AlertKind::ALL {
            assert_eq!(k.as_str().parse::<AlertKind>(), Ok(k));
            assert!(!k.title().is_empty() && k.to_do().ends_with('.'), "{k}");
        }
        for u in Urgency::ALL {
            assert_eq!(u.as_str().parse::<Urgency>(), Ok(u));
        }
        let e = "test".parse::<AlertKind>().unwrap_err();
        assert_eq!(e.expected.len(), 12);
        assert!("Urgent".parse::<Urgency>().is_err());
        // Every safety alert is a kind, and reads back as the same safety alert.
        for k in ["intake_emergency", "triage_tier", "new_warning_sign", "high_pain", "pain_rise"] {
            let kind: AlertKind = k.parse().unwrap();
            let safety = kind.safety().unwrap();
            assert_eq!(AlertKind::from(safety), kind);
        }
        assert_eq!(AlertKind::Phq9Item9.safety(), None);
        assert_eq!(AlertKind::NoSession.safety(), None);
        assert!(Urgency::Emergency < Urgency::Urgent && Urgency::Urgent < Urgency::Routine);
        assert_eq!(AlertKind::IntakeEmergency.urgency(), Urgency::Emergency);
        assert_eq!(AlertKind::Phq9Item9.urgency(), Urgency::Urgent);
        assert_eq!(AlertKind::LikelyDropout.urgency(), Urgency::Routine);
        assert_eq!(Urgency::of_tier(Tier::Emergency), Urgency::Emergency);
        assert_eq!(Urgency::of_tier(Tier::Urgent), Urgency::Urgent);
    }

    #[test]
    fn deadlines_at_the_boundaries() {
        let london = tz("Europe/London");
        let chicago = tz("America/Chicago");
        use Urgency::*;
        let cases: &[(&TimeZone, Urgency, OffsetDateTime, OffsetDateTime)] = &[
            // Emergency: at once.
            (&london, Emergency, datetime!(2026-12-04 18:30 UTC), datetime!(2026-12-04 18:30 UTC)),
            // Urgent: the end of the same local day, even a minute before midnight.
            (&london, Urgent, datetime!(2026-12-08 09:00 UTC), datetime!(2026-12-09 00:00 UTC)),
            (&london, Urgent, datetime!(2026-12-08 23:59 UTC), datetime!(2026-12-09 00:00 UTC)),
            // Chicago: 23:30 UTC on the 8th is still the afternoon of the 8th there.
            (&chicago, Urgent, datetime!(2026-12-08 23:30 UTC), datetime!(2026-12-09 06:00 UTC)),
            // Routine: Friday evening → the end of Monday; Saturday and Sunday too.
            (&london, Routine, datetime!(2026-12-04 18:30 UTC), datetime!(2026-12-08 00:00 UTC)),
            (&london, Routine, datetime!(2026-12-05 10:00 UTC), datetime!(2026-12-08 00:00 UTC)),
            (&london, Routine, datetime!(2026-12-06 23:59 UTC), datetime!(2026-12-08 00:00 UTC)),
            // Monday → the end of Tuesday; Thursday 23:59 → the end of Friday.
            (&london, Routine, datetime!(2026-12-07 08:00 UTC), datetime!(2026-12-09 00:00 UTC)),
            (&london, Routine, datetime!(2026-12-10 23:59 UTC), datetime!(2026-12-12 00:00 UTC)),
            // The day clocks go forward in London (29 March 2026) has 23 hours: it ends at
            // 23:00 UTC; the day they go back (25 October 2026) has 25 and ends at 00:00 UTC.
            (&london, Urgent, datetime!(2026-03-29 00:30 UTC), datetime!(2026-03-29 23:00 UTC)),
            (&london, Urgent, datetime!(2026-10-25 00:30 UTC), datetime!(2026-10-26 00:00 UTC)),
            // Friday 27 March → Monday 30 March, in summer time: ends at 23:00 UTC.
            (&london, Routine, datetime!(2026-03-27 12:00 UTC), datetime!(2026-03-30 23:00 UTC)),
        ];
        for (zone, urgency, raised, want) in cases {
            assert_eq!(due_at(*urgency, *raised, zone), *want, "{urgency:?} raised {raised}");
        }
        assert!(!overdue(datetime!(2026-12-09 00:00 UTC), datetime!(2026-12-09 00:00 UTC)));
        assert!(overdue(datetime!(2026-12-09 00:00 UTC), datetime!(2026-12-09 00:00:01 UTC)));
    }

    #[test]
    fn deadlines_in_words() {
        let london = tz("Europe/London");
        let now = datetime!(2026-12-08 10:00 UTC);
        let words = |u, raised| deadline_words(u, due_at(u, raised, &london), now, &london);
        assert_eq!(words(Urgency::Emergency, now), "At once");
        assert_eq!(words(Urgency::Urgent, now), "By the end of today");
        assert_eq!(words(Urgency::Routine, now), "By the end of tomorrow");
        assert_eq!(
            words(Urgency::Routine, datetime!(2026-12-04 18:30 UTC)),
            "By the end of Monday 7 December"
        );
        assert_eq!(day_words(civil::date(2026, 12, 14)), "Monday 14 December");
    }

    #[test]
    fn close_notes_are_required_and_short() {
        assert_eq!(
            check_close_note("  Phoned, pain settling  "),
            Ok("Phoned, pain settling".into())
        );
        assert!(check_close_note("   ").unwrap_err().contains("Enter a short note"));
        assert!(check_close_note(&"x".repeat(500)).is_ok());
        assert!(check_close_note(&"x".repeat(501)).unwrap_err().contains("500"));
        assert!(check_close_note(&"é".repeat(500)).is_ok(), "characters, not bytes");
    }

    #[test]
    fn inactivity_counts_whole_days() {
        let monday = date!(2026 - 12 - 07);
        let cases = [
            (0, None),
            (2, None),
            (3, Some(Inactivity::NoSession { days: 3 })),
            (13, Some(Inactivity::NoSession { days: 13 })),
            (14, Some(Inactivity::LikelyDropout { days: 14 })),
            (40, Some(Inactivity::LikelyDropout { days: 40 })),
        ];
        for (days, want) in cases {
            assert_eq!(inactivity(monday, monday + Duration::days(days)), want, "{days}");
        }
        let m = Inactivity::NoSession { days: 3 }.message(monday);
        assert!(m.contains("3 days") && m.contains("7 December 2026"), "{m}");
    }

    #[test]
    fn follow_ups_are_overdue_after_a_week() {
        let since = date!(2026 - 12 - 01);
        let due = |instrument, timepoint: &str| Due {
            instrument,
            timepoint: timepoint.to_owned(),
            since,
        };
        let list = vec![
            due(InstrumentId::Phq9, "baseline"),
            due(InstrumentId::Nprs, "week_4"),
            due(InstrumentId::Odi, "week_4"),
        ];
        assert_eq!(overdue_follow_up(&list, since + Duration::days(6)), None);
        let (timepoint, day, missing) =
            overdue_follow_up(&list, since + Duration::days(7)).unwrap();
        assert_eq!((timepoint.as_str(), day, missing), ("week_4", since, vec!["nprs", "odi"]));
        // The baseline is not a follow-up; the discharge set is not either.
        assert_eq!(overdue_follow_up(&list[..1], since + Duration::days(30)), None);
        assert_eq!(
            overdue_follow_up(&[due(InstrumentId::Nprs, "discharge")], since + Duration::days(30)),
            None
        );
    }

    #[test]
    fn unread_messages_wait_one_working_day() {
        let london = tz("Europe/London");
        let cases = [
            // Monday 10:00 → Tuesday 10:00.
            (datetime!(2026-12-07 10:00 UTC), datetime!(2026-12-08 10:00 UTC)),
            // Friday 15:00 → Monday 15:00.
            (datetime!(2026-12-04 15:00 UTC), datetime!(2026-12-07 15:00 UTC)),
            // Saturday → the end of Monday.
            (datetime!(2026-12-05 11:00 UTC), datetime!(2026-12-08 00:00 UTC)),
        ];
        for (sent, limit) in cases {
            assert_eq!(one_working_day_after(sent, &london), limit, "{sent}");
            assert!(!unread_message_overdue(sent, false, limit, &london));
            assert!(unread_message_overdue(sent, false, limit + Duration::minutes(1), &london));
            assert!(!unread_message_overdue(sent, true, limit + Duration::days(9), &london));
        }
    }
}
