//! Tests of the day's rules: sessions and what is due in each, the pain gates, the records.

use time::macros::date;

use super::*;
use crate::checkin::{Baseline, BaselineSource};
use crate::exercise::tag::{Side, Weekday};
use crate::exercise::{Dose, Problem};
use crate::intake::PainScore;
use crate::programme::Item;

// Wednesday.
const TODAY: time::Date = date!(2026 - 12 - 09);

fn item(id: &str, days: &[Weekday], times: u8) -> Item {
    Item {
        exercise: id.to_owned(),
        dose: Dose {
            sets: 2,
            reps: Some(10),
            hold_s: None,
            minutes: None,
            rest_s: 60,
            side: Side::Both,
            days: days.to_vec(),
            times_per_day: times,
            load: None,
            effort: None,
        },
        start: date!(2026 - 12 - 01),
        end: None,
        note: None,
        range: None,
        override_: None,
        camera: false,
    }
}

fn pain(v: u8) -> PainScore {
    PainScore::new(v).expect("in range")
}

fn fields(problems: &[Problem]) -> Vec<&str> {
    problems.iter().map(|p| p.field.as_str()).collect()
}

#[test]
fn a_day_has_as_many_sessions_as_its_most_frequent_exercise() {
    use Weekday::*;
    let items = [
        item("chin-tuck", Weekday::ALL, 2),
        item("bridge", &[Monday, Wednesday, Friday], 1),
        item("walk", &[Tuesday], 1),
    ];
    assert_eq!(sessions_on(&items, TODAY), 2);
    assert_eq!(due_in(&items, TODAY, 1), [0, 1], "both in the first session, in order");
    assert_eq!(due_in(&items, TODAY, 2), [0], "only the twice-a-day exercise in the second");
    assert_eq!(due_in(&items, TODAY, 3), Vec::<usize>::new());
    // Thursday: only the chin tucks.
    assert_eq!(due_in(&items, date!(2026 - 12 - 10), 1), [0]);
    // Before the programme starts, and after an exercise ends, nothing is due.
    assert_eq!(sessions_on(&items, date!(2026 - 11 - 30)), 0);
    let mut ended = items;
    ended[0].end = Some(date!(2026 - 12 - 08));
    assert_eq!(sessions_on(&ended, TODAY), 1);
}

#[test]
fn the_week_counts_the_plan_and_speaks_kindly() {
    use Weekday::*;
    let items = [item("bridge", &[Monday, Wednesday, Friday], 1)];
    let monday = plan::week_start(TODAY);
    assert_eq!(monday, date!(2026 - 12 - 07));
    assert_eq!(plan::week_start(monday), monday);
    let week = WeekCount::of(&items, monday, 2);
    assert_eq!(week.planned, 3);
    assert_eq!(week.patient_text(), "You have done 2 of 3 sessions this week. Keep going.");
    assert_eq!(
        WeekCount::of(&items, monday, 0).patient_text(),
        "This week's plan is 3 sessions. Every session helps."
    );
    assert_eq!(
        WeekCount::of(&items, monday, 4).patient_text(),
        "You have done 4 sessions this week: the whole plan. Well done."
    );
    assert_eq!(
        WeekCount::of(&[], monday, 0).patient_text(),
        "There are no exercise sessions planned this week."
    );
}

#[test]
fn usual_pain_is_the_median_of_recent_sessions_then_the_baseline() {
    let baseline = Some(Baseline { pain: pain(4), source: BaselineSource::LatestScore });
    // Too few sessions: the baseline.
    let u = pain::usual(&[pain(2), pain(2)], baseline).expect("a usual level");
    assert_eq!(u.pain, 4);
    assert_eq!(u.source, UsualSource::Baseline { from: BaselineSource::LatestScore });
    // Enough: the median, which one bad day does not move.
    let u = pain::usual(&[pain(9), pain(2), pain(3), pain(2)], baseline).expect("a usual level");
    assert_eq!(u.pain, 2);
    assert_eq!(u.source, UsualSource::RecentSessions { count: 4 });
    // Only the last seven count (newest first).
    let recent = [2, 2, 2, 2, 2, 2, 2, 7, 7, 7, 7, 7].map(pain);
    assert_eq!(pain::usual(&recent, baseline).map(|u| u.pain), Some(2));
    // Nothing known: no usual level.
    assert_eq!(pain::usual(&[], None), None);
}

#[test]
fn pain_before_a_session_stops_it_at_8_or_3_above_usual() {
    let usual = |p: u8| Some(Usual { pain: p, source: UsualSource::RecentSessions { count: 5 } });
    assert_eq!(pain::before_session(pain(7), usual(5)), Gate::Go);
    assert_eq!(
        pain::before_session(pain(8), usual(7)),
        Gate::Stop(SessionStop::HighPain { pain: 8 }),
        "8 stops it whatever the usual level"
    );
    assert_eq!(pain::before_session(pain(8), None), Gate::Stop(SessionStop::HighPain { pain: 8 }));
    assert_eq!(
        pain::before_session(pain(5), usual(2)),
        Gate::Stop(SessionStop::Flare { pain: 5, usual: 2 })
    );
    assert_eq!(pain::before_session(pain(4), usual(2)), Gate::Go, "2 above usual goes ahead");
    assert_eq!(pain::before_session(pain(6), None), Gate::Go, "no usual level: only the limit");
    let stop = SessionStop::Flare { pain: 5, usual: 2 };
    assert_eq!(stop.alert(), crate::safety::SafetyAlert::PainRise);
    assert!(stop.staff_message().contains("3 points above the usual 2/10"));
    assert!(stop.patient_reason().contains("usually about 2"));
    assert_eq!(SessionStop::HighPain { pain: 9 }.alert(), crate::safety::SafetyAlert::HighPain);
}

#[test]
fn pain_during_above_5_ends_the_exercise() {
    let done = |p: u8| ExerciseLog {
        sets_done: Some(2),
        reps_done: Some(10),
        pain_during: Some(p),
        effort: Some(4),
        ..ExerciseLog::default()
    };
    assert_eq!(done(3).outcome(), Outcome::Done);
    assert_eq!(done(5).outcome(), Outcome::Done);
    assert_eq!(done(6).outcome(), Outcome::StoppedForPain);
    assert!(Outcome::StoppedForPain.counts_as_done());
    let skipped = ExerciseLog { skipped: Some(SkipReason::Time), ..ExerciseLog::default() };
    assert_eq!(skipped.outcome(), Outcome::Skipped(SkipReason::Time));
    assert!(!skipped.outcome().counts_as_done());
    for o in [Outcome::Done, Outcome::StoppedForPain, Outcome::Skipped(SkipReason::Pain)] {
        let reason = match o {
            Outcome::Skipped(r) => Some(r.as_str()),
            _ => None,
        };
        assert_eq!(Outcome::parse(o.as_str(), reason), Ok(o));
    }
    assert!(Outcome::parse("skipped", None).is_err());
}

#[test]
fn a_record_asks_for_what_its_dose_counts() {
    use Weekday::*;
    let reps = item("bridge", &[Monday], 1).dose;
    let hold = Dose { reps: None, hold_s: Some(30), ..reps.clone() };
    let walk = Dose { sets: 1, reps: None, minutes: Some(15), ..reps.clone() };
    let empty = ExerciseLog::default();
    assert_eq!(fields(&empty.problems(&reps)), ["sets_done", "reps_done", "pain_during", "effort"]);
    assert_eq!(
        fields(&empty.problems(&hold)),
        ["sets_done", "hold_s_done", "pain_during", "effort"]
    );
    assert_eq!(fields(&empty.problems(&walk)), ["minutes_done", "pain_during", "effort"]);
    let wild = ExerciseLog {
        sets_done: Some(11),
        reps_done: Some(500),
        pain_during: Some(11),
        effort: Some(10),
        ..ExerciseLog::default()
    };
    let problems = wild.problems(&reps);
    assert_eq!(fields(&problems), ["sets_done", "reps_done", "pain_during"]);
    assert!(problems[0].message.contains("at most 10"), "{}", problems[0].message);
    // A skip needs only its reason.
    let skipped = ExerciseLog { skipped: Some(SkipReason::Pain), ..ExerciseLog::default() };
    assert!(skipped.problems(&reps).is_empty());
    // Zero is an honest answer.
    let none = ExerciseLog {
        sets_done: Some(0),
        reps_done: Some(0),
        pain_during: Some(0),
        effort: Some(0),
        ..ExerciseLog::default()
    };
    assert!(none.problems(&reps).is_empty());
}

#[test]
fn the_closing_check_needs_a_reason_only_when_stopping_early() {
    let closing = Closing { pain_after: Some(3), fatigue: Some(4), ..Closing::default() };
    assert!(closing.problems(false).is_empty());
    assert_eq!(fields(&closing.problems(true)), ["stopped_early"]);
    let early = Closing { stopped_early: Some(StopReason::Tiredness), ..closing.clone() };
    assert!(early.problems(true).is_empty());
    assert_eq!(fields(&Closing::default().problems(false)), ["pain_after", "fatigue"]);
    let long = Closing { note: Some("x".repeat(301)), ..closing };
    assert_eq!(fields(&long.problems(false)), ["note"]);
    assert_eq!(log::effort_words(5), "hard");
    assert_eq!(log::effort_words(0), "nothing at all");
    assert_eq!(log::effort_words(10), "as hard as I can");
}
