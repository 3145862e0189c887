//! The caseload's rules at their boundaries: the trend, attention, urgency, order and filters.

use time::{Date, Duration, macros::date};

use super::*;

const TODAY: Date = date!(2026 - 12 - 10);

fn reading(days_ago: i64, pain: u8) -> PainReading {
    PainReading { day: TODAY - Duration::days(days_ago), pain, source: PainSource::SessionCheck }
}

#[test]
fn the_trend_compares_the_last_reading_with_the_median_of_the_week_before_it() {
    // Week before: 3, 4, 9 → median 4; last 6 → up 2 (the MCID: counts).
    let r = [reading(7, 3), reading(5, 9), reading(2, 4), reading(0, 6)];
    let t = pain_trend(&r, TODAY).unwrap();
    assert_eq!((t.change, t.direction), (2.0, Direction::Up));
    assert_eq!(t.words(), "up 2");
    // One point below the MCID is steady.
    let r = [reading(3, 4), reading(0, 5)];
    assert_eq!(pain_trend(&r, TODAY).unwrap().direction, Direction::Steady);
    // Down 2 counts too; an even number of readings takes the mean of the middle two.
    let r = [reading(4, 5), reading(2, 6), reading(0, 3)];
    let t = pain_trend(&r, TODAY).unwrap();
    assert_eq!((t.change, t.direction, t.words()), (-2.5, Direction::Down, "down 2.5".into()));
    let r = [reading(1, 4), reading(0, 5)];
    assert_eq!(pain_trend(&r, TODAY).unwrap().words(), "steady");
}

#[test]
fn the_week_before_is_the_seven_days_before_the_last_readings_day() {
    // 8 days before the last reading is outside the window; the same day is not "before".
    let r = [reading(10, 9), reading(2, 2), reading(2, 9), reading(2, 3)];
    assert_eq!(
        pain_trend(&r, TODAY),
        None,
        "only readings on the last one's day and earlier than a week"
    );
    let r = [reading(9, 1), reading(2, 5)];
    assert_eq!(pain_trend(&r, TODAY).unwrap().change, 4.0, "day −7 from the last reading is in");
    let r = [reading(10, 1), reading(2, 5)];
    assert_eq!(pain_trend(&r, TODAY), None, "day −8 is out");
}

#[test]
fn no_trend_from_an_old_reading_or_none() {
    assert_eq!(pain_trend(&[], TODAY), None);
    let r = [reading(20, 2), reading(14, 6)];
    assert!(pain_trend(&r, TODAY).is_some(), "14 days old is recent enough");
    let r = [reading(21, 2), reading(15, 6)];
    assert_eq!(pain_trend(&r, TODAY), None, "15 days old is not");
}

#[test]
fn the_programme_in_force_began_after_the_last_stop() {
    let d = |n| TODAY - Duration::days(n);
    assert_eq!(programme_since(&[]), None);
    assert_eq!(programme_since(&[(d(20), true), (d(10), true)]), Some(d(20)));
    assert_eq!(programme_since(&[(d(20), true), (d(10), false)]), None);
    assert_eq!(
        programme_since(&[(d(20), true), (d(10), false), (d(5), true), (d(2), true)]),
        Some(d(5))
    );
}

fn facts(i: Inputs<'_>) -> Facts {
    Facts::new(&i, TODAY)
}

#[test]
fn nothing_waiting_needs_no_attention() {
    let f = facts(Inputs::default());
    assert!(!f.needs_attention());
    assert_eq!(f.urgency, Urgency::None);
    assert_eq!((f.open_alerts, f.days_since_session, f.quiet_days), (0, None, None));
}

#[test]
fn alerts_reviews_pain_and_quiet_days_each_need_attention() {
    let f = facts(Inputs {
        alerts: &[AlertKind::NoSession, AlertKind::Phq9Item9],
        ..Inputs::default()
    });
    assert_eq!(f.attention, vec![Attention::Alert { count: 2, kind: AlertKind::Phq9Item9 }]);
    assert_eq!((f.worst_alert, f.urgency), (Some(AlertKind::Phq9Item9), Urgency::Urgent));

    let f = facts(Inputs { review: Some(Tier::Specialist), ..Inputs::default() });
    assert_eq!(f.attention, vec![Attention::Review { tier: Tier::Specialist }]);
    assert_eq!(f.urgency, Urgency::Review);

    let r = [reading(3, 3), reading(0, 5)];
    let f = facts(Inputs { readings: &r, ..Inputs::default() });
    assert_eq!((f.attention.clone(), f.urgency), (vec![Attention::PainUp], Urgency::Attention));
    assert_eq!(f.last_pain, Some(reading(0, 5)));
    // Down is good news, not attention.
    let r = [reading(3, 7), reading(0, 2)];
    assert!(!facts(Inputs { readings: &r, ..Inputs::default() }).needs_attention());
}

#[test]
fn quiet_days_count_from_the_last_session_or_the_programme_start() {
    let d = |n| TODAY - Duration::days(n);
    // Two days without a session: not yet.
    let f = facts(Inputs {
        programme_since: Some(d(30)),
        last_session: Some(d(2)),
        ..Inputs::default()
    });
    assert_eq!((f.quiet_days, f.days_since_session), (Some(2), Some(2)));
    assert!(!f.needs_attention());
    // Three: yes.
    let f = facts(Inputs {
        programme_since: Some(d(30)),
        last_session: Some(d(3)),
        ..Inputs::default()
    });
    assert_eq!(f.attention, vec![Attention::NoSessions { days: 3 }]);
    // Never a session, programme from 2 days ago: not yet; from 3 days ago: yes.
    let f = facts(Inputs { programme_since: Some(d(2)), ..Inputs::default() });
    assert_eq!((f.quiet_days, f.days_since_session, f.needs_attention()), (Some(2), None, false));
    let f = facts(Inputs { programme_since: Some(d(3)), ..Inputs::default() });
    assert_eq!(f.attention, vec![Attention::NoSessions { days: 3 }]);
    // A session before the programme restarted counts from the restart.
    let f = facts(Inputs {
        programme_since: Some(d(1)),
        last_session: Some(d(9)),
        ..Inputs::default()
    });
    assert_eq!((f.quiet_days, f.days_since_session), (Some(1), Some(9)));
    // No programme in force: no quiet days, whatever the last session.
    let f = facts(Inputs { last_session: Some(d(40)), ..Inputs::default() });
    assert_eq!((f.quiet_days, f.needs_attention()), (None, false));
}

#[test]
fn urgency_puts_emergencies_first() {
    let emergency = facts(Inputs { alerts: &[AlertKind::IntakeEmergency], ..Inputs::default() });
    assert_eq!(emergency.urgency, Urgency::Emergency);
    let review = facts(Inputs { review: Some(Tier::Emergency), ..Inputs::default() });
    assert_eq!(review.urgency, Urgency::Emergency);
    let urgent = facts(Inputs { review: Some(Tier::Urgent), ..Inputs::default() });
    assert_eq!(urgent.urgency, Urgency::Urgent);
    assert!(Urgency::Emergency < Urgency::Urgent && Urgency::Urgent < Urgency::Review);
    assert!(Urgency::Review < Urgency::Attention && Urgency::Attention < Urgency::None);
}

#[test]
fn the_most_serious_alert_is_the_most_urgent() {
    let f = facts(Inputs {
        alerts: &[AlertKind::UnreadMessage, AlertKind::IntakeEmergency, AlertKind::HighPain],
        ..Inputs::default()
    });
    assert_eq!((f.worst_alert, f.urgency), (Some(AlertKind::IntakeEmergency), Urgency::Emergency));
}

#[test]
fn sort_keys_and_directions_read_back() {
    for k in SortKey::ALL {
        assert_eq!(k.as_str().parse::<SortKey>(), Ok(k));
    }
    let e = "age".parse::<SortKey>().unwrap_err();
    assert!(e.to_string().contains("attention, name, alerts"), "{e}");
    assert_eq!("desc".parse::<Dir>(), Ok(Dir::Desc));
    assert!("down".parse::<Dir>().is_err());
    assert_eq!(Dir::Asc.flip(), Dir::Desc);
}

struct Row {
    name: &'static str,
    team: Vec<&'static str>,
    facts: Facts,
}

impl Entry for Row {
    type Clinician = &'static str;
    fn name(&self) -> &str {
        self.name
    }
    fn facts(&self) -> &Facts {
        &self.facts
    }
    fn first_clinician(&self) -> Option<&str> {
        self.team.first().copied()
    }
    fn has_clinician(&self, c: &&'static str) -> bool {
        self.team.contains(c)
    }
}

fn week(done: u32, planned: u32) -> Option<WeekCount> {
    Some(WeekCount { monday: date!(2026 - 12 - 07), done, planned })
}

/// Five patients with a spread of facts.
fn caseload() -> Vec<Row> {
    let d = |n| TODAY - Duration::days(n);
    let rising = [reading(4, 3), reading(0, 7)];
    let calm = [reading(2, 2), reading(1, 2)];
    vec![
        Row {
            name: "Ada",
            team: vec!["Kim"],
            facts: facts(Inputs {
                week: week(3, 3),
                readings: &calm,
                last_session: Some(d(1)),
                programme_since: Some(d(20)),
                pathway: Some(Pathway::ConservativeLumbar),
                phase: Some(Phase::ActiveCare),
                ..Inputs::default()
            }),
        },
        Row {
            name: "ben",
            team: vec!["Kim", "Lee"],
            facts: facts(Inputs {
                alerts: &[AlertKind::HighPain],
                week: week(1, 4),
                readings: &rising,
                last_session: Some(d(5)),
                programme_since: Some(d(20)),
                pathway: Some(Pathway::PostOpFusion),
                phase: Some(Phase::Early),
                ..Inputs::default()
            }),
        },
        Row {
            name: "Cleo",
            team: vec!["Lee"],
            facts: facts(Inputs { review: Some(Tier::Emergency), ..Inputs::default() }),
        },
        Row {
            name: "Dev",
            team: vec![],
            facts: facts(Inputs {
                week: week(0, 2),
                last_session: Some(d(4)),
                programme_since: Some(d(20)),
                pathway: Some(Pathway::ConservativeLumbar),
                phase: Some(Phase::ActiveCare),
                ..Inputs::default()
            }),
        },
        Row {
            name: "Eve",
            team: vec!["Kim"],
            facts: facts(Inputs { week: week(0, 0), ..Inputs::default() }),
        },
    ]
}

fn sorted(key: SortKey, dir: Dir) -> Vec<&'static str> {
    let mut rows = caseload();
    sort(&mut rows, Order { key, dir });
    rows.iter().map(|r| r.name).collect()
}

#[test]
fn the_default_order_is_who_needs_help_first() {
    assert_eq!(Order::default(), Order { key: SortKey::Attention, dir: Dir::Asc });
    // Emergency review, then the alert, then no sessions for 4 days, then the rest by name.
    assert_eq!(sorted(SortKey::Attention, Dir::Asc), ["Cleo", "ben", "Dev", "Ada", "Eve"]);
    assert_eq!(sorted(SortKey::Attention, Dir::Desc), ["Eve", "Ada", "Dev", "ben", "Cleo"]);
}

#[test]
fn every_column_sorts_both_ways_with_missing_values_last() {
    use SortKey::*;
    assert_eq!(sorted(Name, Dir::Asc), ["Ada", "ben", "Cleo", "Dev", "Eve"], "case-insensitive");
    assert_eq!(sorted(Name, Dir::Desc), ["Eve", "Dev", "Cleo", "ben", "Ada"]);
    // Equal counts (none) fall back to who needs help first.
    assert_eq!(sorted(Alerts, Dir::Desc), ["ben", "Cleo", "Dev", "Ada", "Eve"]);
    assert_eq!(sorted(Alerts, Dir::Asc), ["Cleo", "Dev", "Ada", "Eve", "ben"]);
    // Shares: Dev 0/2, ben 1/4, Ada 3/3; Cleo has no programme and Eve nothing planned.
    assert_eq!(sorted(Adherence, Dir::Asc), ["Dev", "ben", "Ada", "Cleo", "Eve"]);
    assert_eq!(sorted(Adherence, Dir::Desc), ["Ada", "ben", "Dev", "Cleo", "Eve"]);
    assert_eq!(sorted(Pain, Dir::Desc), ["ben", "Ada", "Cleo", "Dev", "Eve"]);
    assert_eq!(sorted(Pain, Dir::Asc), ["Ada", "ben", "Cleo", "Dev", "Eve"]);
    assert_eq!(sorted(Trend, Dir::Desc), ["ben", "Ada", "Cleo", "Dev", "Eve"]);
    assert_eq!(sorted(LastSession, Dir::Asc), ["Ada", "Dev", "ben", "Cleo", "Eve"]);
    assert_eq!(sorted(LastSession, Dir::Desc), ["ben", "Dev", "Ada", "Cleo", "Eve"]);
    assert_eq!(sorted(Pathway, Dir::Asc), ["Dev", "Ada", "ben", "Cleo", "Eve"]);
    assert_eq!(sorted(Phase, Dir::Desc), ["ben", "Dev", "Ada", "Cleo", "Eve"]);
    // Kim's patients, then Lee's, then no team; ties by who needs help first.
    assert_eq!(sorted(CareTeam, Dir::Asc), ["ben", "Ada", "Eve", "Cleo", "Dev"]);
}

#[test]
fn filters_combine() {
    let rows = caseload();
    let shown = |f: &Filter<&'static str>| -> Vec<&str> {
        rows.iter().filter(|r| f.matches(*r)).map(|r| r.name).collect()
    };
    assert!(!Filter::<&str>::default().is_set());
    assert_eq!(shown(&Filter::default()).len(), 5);
    let attention = Filter { attention: true, ..Filter::default() };
    assert!(attention.is_set());
    assert_eq!(shown(&attention), ["ben", "Cleo", "Dev"]);
    let lumbar = Filter { pathway: Some(Pathway::ConservativeLumbar), ..Filter::default() };
    assert_eq!(shown(&lumbar), ["Ada", "Dev"]);
    let early = Filter { phase: Some(Phase::Early), ..Filter::default() };
    assert_eq!(shown(&early), ["ben"]);
    let kim = Filter { clinician: Some("Kim"), ..Filter::default() };
    assert_eq!(shown(&kim), ["Ada", "ben", "Eve"]);
    let both = Filter { attention: true, clinician: Some("Kim"), ..Filter::default() };
    assert_eq!(shown(&both), ["ben"]);
    let none =
        Filter { pathway: Some(Pathway::Prehab), clinician: Some("Kim"), ..Filter::default() };
    assert!(shown(&none).is_empty());
}
