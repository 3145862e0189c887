//! The caseload: the facts a clinician scans for each patient, the rule that says who needs
//! attention, how urgent each patient is, and the caseload's order and filters
//! (docs/caseload.md states every rule).
//!
//! The facts come from data the caller has read (alerts, the triage decision waiting for
//! review, the week's sessions against the plan, pain readings, the last session done, the
//! programme, the pathway and phase); today's date is an argument.

use std::cmp::Ordering;

use serde::Serialize;
use time::Date;

use crate::day::WeekCount;
use crate::pathway::{Pathway, Phase};
use crate::triage::Tier;
use crate::wire::{UnknownName, parse_name};

/// A pain change of this many points or more on the 0–10 scale is a real rise or fall: the
/// NPRS's minimal clinically important difference (`questionnaire::mcid`).
pub const TREND_POINTS: f64 = 2.0;
/// The trend compares the last reading with the readings of this many days before its day.
pub const TREND_WINDOW_DAYS: i64 = 7;
/// A trend is worked out only when the last reading is at most this many days old: an old
/// reading says nothing about how the patient is now.
pub const TREND_RECENT_DAYS: i64 = 14;
/// A programme in force with no guided session done for this many days needs attention.
pub const QUIET_DAYS: u32 = 3;

pub use crate::alert::AlertKind;

/// How serious an open alert is, for ordering: its urgency first (emergency, urgent, routine),
/// then its kind.
fn seriousness(k: AlertKind) -> (crate::alert::Urgency, AlertKind) {
    (k.urgency(), k)
}

/// Where a pain reading came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PainSource {
    /// The pain check before a guided session.
    SessionCheck,
    /// An NPRS score: a check-in or the pain questionnaire.
    Nprs,
}

/// One pain reading, 0–10, on a day in the clinic's time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PainReading {
    /// The day it was given.
    pub day: Date,
    /// Pain, 0–10.
    pub pain: u8,
    /// Where it came from.
    pub source: PainSource,
}

/// Which way pain is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Up by [`TREND_POINTS`] or more.
    Up,
    /// Down by [`TREND_POINTS`] or more.
    Down,
    /// Within [`TREND_POINTS`] either way.
    Steady,
}

/// The last reading against the median of the week before it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PainTrend {
    /// Last reading minus that median (a whole or half point).
    pub change: f64,
    /// Which way, by [`TREND_POINTS`].
    pub direction: Direction,
}

impl PainTrend {
    /// "up 2", "down 3.5", "steady".
    pub fn words(&self) -> String {
        let points = number(self.change.abs());
        match self.direction {
            Direction::Up => format!("up {points}"),
            Direction::Down => format!("down {points}"),
            Direction::Steady => "steady".to_owned(),
        }
    }
}

fn number(v: f64) -> String {
    if v.fract() == 0.0 { format!("{v:.0}") } else { format!("{v:.1}") }
}

fn median(values: &mut [u8]) -> Option<f64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(f64::from(values[n / 2])),
        _ => Some((f64::from(values[n / 2 - 1]) + f64::from(values[n / 2])) / 2.0),
    }
}

/// The pain trend: the last of `readings` (oldest first) against the median of the readings
/// from the [`TREND_WINDOW_DAYS`] days before the last one's day. `None` when there is no
/// reading, when the last one is more than [`TREND_RECENT_DAYS`] days before `today`, or when
/// the week before it has no reading.
pub fn pain_trend(readings: &[PainReading], today: Date) -> Option<PainTrend> {
    let last = readings.last()?;
    if (today - last.day).whole_days() > TREND_RECENT_DAYS {
        return None;
    }
    let from = last.day - time::Duration::days(TREND_WINDOW_DAYS);
    let mut before: Vec<u8> =
        readings.iter().filter(|r| r.day >= from && r.day < last.day).map(|r| r.pain).collect();
    let change = f64::from(last.pain) - median(&mut before)?;
    let direction = if change >= TREND_POINTS {
        Direction::Up
    } else if change <= -TREND_POINTS {
        Direction::Down
    } else {
        Direction::Steady
    };
    Some(PainTrend { change, direction })
}

/// The day the programme in force began: the first of the latest run of versions that
/// prescribe something. `versions` are (day made, whether it prescribes anything), oldest
/// first. `None` when there is no programme or the latest version stopped it.
pub fn programme_since(versions: &[(Date, bool)]) -> Option<Date> {
    let mut since = None;
    for &(day, prescribes) in versions {
        since = match (prescribes, since) {
            (false, _) => None,
            (true, None) => Some(day),
            (true, Some(d)) => Some(d),
        };
    }
    since
}

/// What a caller has read about one patient.
#[derive(Debug, Clone, Default)]
pub struct Inputs<'a> {
    /// The kinds of the patient's open alerts.
    pub alerts: &'a [AlertKind],
    /// The tier of the triage decision waiting for a clinician's review, if one is.
    pub review: Option<Tier>,
    /// This week's guided sessions against the plan, when the patient has had a programme.
    pub week: Option<WeekCount>,
    /// Pain readings, oldest first (at least the last one and the 3 weeks before today).
    pub readings: &'a [PainReading],
    /// The day of the last guided session with an exercise done.
    pub last_session: Option<Date>,
    /// The day the programme in force began ([`programme_since`]).
    pub programme_since: Option<Date>,
    /// The open episode's pathway.
    pub pathway: Option<Pathway>,
    /// The phase the pathway rules give today (with a clinician's override).
    pub phase: Option<Phase>,
    /// Progression proposals waiting for a clinician.
    pub proposals: u32,
    /// Contacts logged this week (messages, calls, visits; `crate::contact`).
    pub contacts_this_week: u32,
}

/// Why a patient needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Attention {
    /// At least one alert is open.
    Alert {
        /// How many.
        count: u32,
        /// The most serious.
        kind: AlertKind,
    },
    /// A triage decision waits for a clinician's review.
    Review {
        /// The tier the rules proposed.
        tier: Tier,
    },
    /// Pain is up by [`TREND_POINTS`] or more against the week before.
    PainUp,
    /// Progression proposals wait for a clinician's decision.
    Proposals {
        /// How many.
        count: u32,
    },
    /// A programme is in force and no session has been done for [`QUIET_DAYS`] days or more.
    NoSessions {
        /// Days since the last session done, or since the programme began.
        days: u32,
    },
}

/// How soon a patient needs a clinician, most urgent first (`Ord`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// An emergency: an emergency answer at intake, or a decision of emergency care waiting
    /// for review.
    Emergency,
    /// Any other open alert, or a decision of same-day care waiting for review.
    Urgent,
    /// A decision waiting for review (specialist opinion or exercise care).
    Review,
    /// Needs attention for another reason (pain up, no sessions).
    Attention,
    /// Nothing waiting.
    None,
}

/// One patient's facts, as the caseload shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Facts {
    /// Open alerts.
    pub open_alerts: u32,
    /// The most serious open alert.
    pub worst_alert: Option<AlertKind>,
    /// The tier of the triage decision waiting for review.
    pub review: Option<Tier>,
    /// This week's guided sessions done against the plan (up to today).
    pub week: Option<WeekCount>,
    /// The last pain reading.
    pub last_pain: Option<PainReading>,
    /// Its trend.
    pub trend: Option<PainTrend>,
    /// The day of the last guided session with an exercise done.
    pub last_session: Option<Date>,
    /// Days since then (`None`: never).
    pub days_since_session: Option<u32>,
    /// While a programme is in force: days without a session done (since the last one, or
    /// since the programme began).
    pub quiet_days: Option<u32>,
    /// The open episode's pathway.
    pub pathway: Option<Pathway>,
    /// Today's phase.
    pub phase: Option<Phase>,
    /// Progression proposals waiting.
    pub proposals: u32,
    /// Contacts this week.
    pub contacts_this_week: u32,
    /// Why the patient needs attention; empty when nothing does.
    pub attention: Vec<Attention>,
    /// How soon.
    pub urgency: Urgency,
}

fn days_between(from: Date, to: Date) -> u32 {
    u32::try_from((to - from).whole_days()).unwrap_or(0)
}

impl Facts {
    /// Works out the facts, the attention rule and the urgency from what was read.
    pub fn new(i: &Inputs<'_>, today: Date) -> Facts {
        let open_alerts = u32::try_from(i.alerts.len()).unwrap_or(u32::MAX);
        let worst_alert = i.alerts.iter().copied().min_by_key(|k| seriousness(*k));
        let trend = pain_trend(i.readings, today);
        let days_since_session = i.last_session.map(|d| days_between(d, today));
        let quiet_days = i
            .programme_since
            .map(|since| days_between(i.last_session.map_or(since, |d| d.max(since)), today));
        let mut attention = vec![];
        if let Some(kind) = worst_alert {
            attention.push(Attention::Alert { count: open_alerts, kind });
        }
        if let Some(tier) = i.review {
            attention.push(Attention::Review { tier });
        }
        if trend.is_some_and(|t| t.direction == Direction::Up) {
            attention.push(Attention::PainUp);
        }
        if i.proposals > 0 {
            attention.push(Attention::Proposals { count: i.proposals });
        }
        if let Some(days) = quiet_days.filter(|d| *d >= QUIET_DAYS) {
            attention.push(Attention::NoSessions { days });
        }
        let urgency = if worst_alert
            .is_some_and(|k| k.urgency() == crate::alert::Urgency::Emergency)
            || i.review == Some(Tier::Emergency)
        {
            Urgency::Emergency
        } else if worst_alert.is_some() || i.review == Some(Tier::Urgent) {
            Urgency::Urgent
        } else if i.review.is_some() {
            Urgency::Review
        } else if !attention.is_empty() {
            Urgency::Attention
        } else {
            Urgency::None
        };
        Facts {
            open_alerts,
            worst_alert,
            review: i.review,
            week: i.week,
            last_pain: i.readings.last().copied(),
            trend,
            last_session: i.last_session,
            days_since_session,
            quiet_days,
            pathway: i.pathway,
            phase: i.phase,
            proposals: i.proposals,
            contacts_this_week: i.contacts_this_week,
            attention,
            urgency,
        }
    }

    /// Whether the patient needs attention (the rule: any reason in [`Facts::attention`]).
    pub fn needs_attention(&self) -> bool {
        !self.attention.is_empty()
    }
}

/// A column the caseload can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// Who needs help first: urgency, then more open alerts, then name.
    Attention,
    /// Name.
    Name,
    /// Open alerts, then the most serious kind.
    Alerts,
    /// Sessions done this week as a share of those planned.
    Adherence,
    /// The last pain reading.
    Pain,
    /// The pain trend's change.
    Trend,
    /// Days since the last session done.
    LastSession,
    /// Progression proposals waiting.
    Proposals,
    /// Contacts this week.
    Contacts,
    /// Pathway.
    Pathway,
    /// Phase.
    Phase,
    /// The first clinician of the care team, by name.
    CareTeam,
}

impl SortKey {
    /// Every key, in the order the caseload's columns show them.
    pub const ALL: [SortKey; 12] = [
        SortKey::Attention,
        SortKey::Name,
        SortKey::Alerts,
        SortKey::Adherence,
        SortKey::Pain,
        SortKey::Trend,
        SortKey::LastSession,
        SortKey::Proposals,
        SortKey::Contacts,
        SortKey::Pathway,
        SortKey::Phase,
        SortKey::CareTeam,
    ];

    /// The wire name (`?sort=`).
    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Attention => "attention",
            SortKey::Name => "name",
            SortKey::Alerts => "alerts",
            SortKey::Adherence => "adherence",
            SortKey::Pain => "pain",
            SortKey::Trend => "trend",
            SortKey::LastSession => "last_session",
            SortKey::Proposals => "proposals",
            SortKey::Contacts => "contacts",
            SortKey::Pathway => "pathway",
            SortKey::Phase => "phase",
            SortKey::CareTeam => "care_team",
        }
    }
}

impl std::str::FromStr for SortKey {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<SortKey, UnknownName> {
        parse_name("sort column", &SortKey::ALL, SortKey::as_str, s)
    }
}

/// Ascending or descending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dir {
    /// Smallest first (for [`SortKey::Attention`]: the most urgent first).
    Asc,
    /// Largest first.
    Desc,
}

impl Dir {
    /// Both, ascending first.
    pub const ALL: [Dir; 2] = [Dir::Asc, Dir::Desc];

    /// The wire name (`?dir=`).
    pub fn as_str(self) -> &'static str {
        match self {
            Dir::Asc => "asc",
            Dir::Desc => "desc",
        }
    }

    /// The other direction.
    pub fn flip(self) -> Dir {
        match self {
            Dir::Asc => Dir::Desc,
            Dir::Desc => Dir::Asc,
        }
    }
}

impl std::str::FromStr for Dir {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Dir, UnknownName> {
        parse_name("sort direction", &Dir::ALL, Dir::as_str, s)
    }
}

/// The caseload's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Order {
    /// The column.
    pub key: SortKey,
    /// Which way.
    pub dir: Dir,
}

impl Default for Order {
    /// Who needs help first.
    fn default() -> Order {
        Order { key: SortKey::Attention, dir: Dir::Asc }
    }
}

/// A row of a caseload, as the rules here see it.
pub trait Entry {
    /// How a clinician is named in a filter.
    type Clinician: PartialEq;
    /// The patient's name.
    fn name(&self) -> &str;
    /// The facts.
    fn facts(&self) -> &Facts;
    /// The name of the care team's first clinician (the team in name order).
    fn first_clinician(&self) -> Option<&str>;
    /// Whether `clinician` is on the care team.
    fn has_clinician(&self, clinician: &Self::Clinician) -> bool;
}

/// Sessions done as a share of those planned, to compare: `None` when none were planned.
fn adherence(f: &Facts) -> Option<(u32, u32)> {
    f.week.filter(|w| w.planned > 0).map(|w| (w.done, w.planned))
}

fn cmp_share(a: (u32, u32), b: (u32, u32)) -> Ordering {
    (u64::from(a.0) * u64::from(b.1)).cmp(&(u64::from(b.0) * u64::from(a.1)))
}

fn position<T: PartialEq>(all: &[T], v: &T) -> usize {
    all.iter().position(|x| x == v).unwrap_or(usize::MAX)
}

/// Compares two values of a column in `dir`; a missing value comes last either way.
fn missing_last<T>(
    a: Option<T>,
    b: Option<T>,
    dir: Dir,
    cmp: impl Fn(&T, &T) -> Ordering,
) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => match dir {
            Dir::Asc => cmp(&a, &b),
            Dir::Desc => cmp(&b, &a),
        },
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn by_name(a: &str, b: &str) -> Ordering {
    a.to_lowercase().cmp(&b.to_lowercase()).then_with(|| a.cmp(b))
}

/// Who needs help first: urgency, then more open alerts, then name.
fn by_attention<E: Entry>(a: &E, b: &E) -> Ordering {
    let (fa, fb) = (a.facts(), b.facts());
    fa.urgency
        .cmp(&fb.urgency)
        .then_with(|| fb.open_alerts.cmp(&fa.open_alerts))
        .then_with(|| by_name(a.name(), b.name()))
}

/// Compares two rows by `order`. Ties, and rows missing the column's value (which come last
/// in either direction), fall back to who needs help first.
pub fn compare<E: Entry>(a: &E, b: &E, order: Order) -> Ordering {
    let (fa, fb) = (a.facts(), b.facts());
    let dir = order.dir;
    let primary = match order.key {
        SortKey::Attention => match dir {
            Dir::Asc => by_attention(a, b),
            Dir::Desc => by_attention(b, a),
        },
        SortKey::Name => missing_last(Some(a.name()), Some(b.name()), dir, |x, y| by_name(x, y)),
        SortKey::Alerts => missing_last(
            Some((fa.open_alerts, fa.worst_alert)),
            Some((fb.open_alerts, fb.worst_alert)),
            dir,
            // More alerts, or the same number with a more serious kind, is "more".
            |x, y| x.0.cmp(&y.0).then_with(|| y.1.cmp(&x.1)),
        ),
        SortKey::Adherence => {
            missing_last(adherence(fa), adherence(fb), dir, |x, y| cmp_share(*x, *y))
        }
        SortKey::Pain => {
            missing_last(fa.last_pain.map(|p| p.pain), fb.last_pain.map(|p| p.pain), dir, Ord::cmp)
        }
        SortKey::Trend => {
            missing_last(fa.trend.map(|t| t.change), fb.trend.map(|t| t.change), dir, |x, y| {
                x.total_cmp(y)
            })
        }
        SortKey::LastSession => {
            missing_last(fa.days_since_session, fb.days_since_session, dir, Ord::cmp)
        }
        SortKey::Proposals => missing_last(Some(fa.proposals), Some(fb.proposals), dir, Ord::cmp),
        SortKey::Contacts => {
            missing_last(Some(fa.contacts_this_week), Some(fb.contacts_this_week), dir, Ord::cmp)
        }
        SortKey::Pathway => missing_last(fa.pathway, fb.pathway, dir, |x, y| {
            position(&Pathway::ALL, x).cmp(&position(&Pathway::ALL, y))
        }),
        SortKey::Phase => missing_last(fa.phase, fb.phase, dir, |x, y| {
            position(&Phase::ALL, x).cmp(&position(&Phase::ALL, y))
        }),
        SortKey::CareTeam => {
            missing_last(a.first_clinician(), b.first_clinician(), dir, |x, y| by_name(x, y))
        }
    };
    primary.then_with(|| by_attention(a, b))
}

/// Sorts a caseload by `order` (a stable sort).
pub fn sort<E: Entry>(rows: &mut [E], order: Order) {
    rows.sort_by(|a, b| compare(a, b, order));
}

/// Which rows of a caseload to show. Every filter set must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter<C> {
    /// Only patients who need attention.
    pub attention: bool,
    /// Only patients on this pathway.
    pub pathway: Option<Pathway>,
    /// Only patients in this phase.
    pub phase: Option<Phase>,
    /// Only patients with this clinician on their care team.
    pub clinician: Option<C>,
}

impl<C> Default for Filter<C> {
    fn default() -> Filter<C> {
        Filter { attention: false, pathway: None, phase: None, clinician: None }
    }
}

impl<C: PartialEq> Filter<C> {
    /// Whether `row` passes every filter that is set.
    pub fn matches<E: Entry<Clinician = C>>(&self, row: &E) -> bool {
        let f = row.facts();
        (!self.attention || f.needs_attention())
            && self.pathway.is_none_or(|p| f.pathway == Some(p))
            && self.phase.is_none_or(|p| f.phase == Some(p))
            && self.clinician.as_ref().is_none_or(|c| row.has_clinician(c))
    }

    /// Whether any filter is set.
    pub fn is_set(&self) -> bool {
        self.attention || self.pathway.is_some() || self.phase.is_some() || self.clinician.is_some()
    }
}

#[cfg(test)]
mod tests;
