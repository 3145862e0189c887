//! Table-driven tests of the progression rules at every boundary, and of the ladder: never past
//! the dose cap, never below the entry dose, never onto an exercise a precaution rules out.

use proptest::prelude::*;
use time::Date;
use time::macros::date;

use super::*;
use crate::exercise::{Exercise, library};
use crate::pathway::{self, Pathway, PathwayInputs};
use crate::programme::Item;

const DAY: Date = date!(2026 - 12 - 07);

/// A session within every limit: pain 3, effort 4, all done, untracked, settled next morning.
fn good() -> Observation {
    Observation {
        day: DAY,
        pain_during: Some(3),
        effort: Some(4),
        done: 1.0,
        tracked: None,
        morning: Some(Morning { pain: 3, usual: 3 }),
    }
}

fn inputs(latest: Observation, previous: Option<Observation>) -> Inputs {
    Inputs { safety: false, latest, previous, adherence: Adherence { done: 7, planned: 7 } }
}

/// (what, latest, previous, adherence (done, planned), safety, rule, proposal)
type Case = (&'static str, Observation, Option<Observation>, (u32, u32), bool, Rule, Proposal);
/// (step, exercise, sets, reps, hold)
type Rung = (Step, String, u8, Option<u16>, Option<u16>);

fn tracked(correct: f32, range: Option<f32>) -> Option<Tracked> {
    Some(Tracked { correct, range })
}

#[test]
fn the_table_lists_every_rule_once_in_order() {
    let rules: Vec<Rule> = TABLE.iter().map(|r| r.rule).collect();
    assert_eq!(rules, Rule::ALL);
    for row in TABLE {
        assert_eq!(row.rule.row(), &row);
        assert!(!row.source.is_empty() && !row.condition.is_empty());
    }
}

#[test]
fn every_rule_and_boundary() {
    let g = good;
    let morning = |pain, usual| Some(Morning { pain, usual });
    #[rustfmt::skip]
    let cases: Vec<Case> = vec![
        ("safety first, whatever else", Observation { pain_during: Some(9), ..g() }, Some(g()), (7, 7), true, Rule::Safety, Proposal::Hold),
        ("pain during 6 is a breach", Observation { pain_during: Some(6), ..g() }, Some(g()), (7, 7), false, Rule::PainBreach, Proposal::Regress),
        ("pain during 5 is not", Observation { pain_during: Some(5), ..g() }, Some(g()), (7, 7), false, Rule::Ready, Proposal::Progress),
        ("next morning 2 above usual is a breach", Observation { morning: morning(5, 3), ..g() }, Some(g()), (7, 7), false, Rule::PainBreach, Proposal::Regress),
        ("next morning 1 above usual is not", Observation { morning: morning(4, 3), ..g() }, Some(g()), (7, 7), false, Rule::Ready, Proposal::Progress),
        ("a breach comes before form", Observation { pain_during: Some(7), tracked: tracked(0.2, None), ..g() }, None, (7, 7), false, Rule::PainBreach, Proposal::Regress),
        ("0.59 correct: hold and cue", Observation { tracked: tracked(0.59, None), ..g() }, Some(g()), (7, 7), false, Rule::Form, Proposal::Hold),
        ("0.6 correct is not a form miss (but not ready)", Observation { tracked: tracked(0.6, None), ..g() }, Some(g()), (7, 7), false, Rule::Otherwise, Proposal::Hold),
        ("range 0.69: hold and cue", Observation { tracked: tracked(1.0, Some(0.69)), ..g() }, Some(g()), (7, 7), false, Rule::Form, Proposal::Hold),
        ("range 0.7 is enough", Observation { tracked: tracked(1.0, Some(0.7)), ..g() }, Some(g()), (7, 7), false, Rule::Ready, Proposal::Progress),
        ("form missed twice in a row: regress", Observation { tracked: tracked(0.5, None), ..g() }, Some(Observation { tracked: tracked(0.5, None), ..g() }), (7, 7), false, Rule::Form, Proposal::Regress),
        ("form missed once after a good one: hold", Observation { tracked: tracked(0.5, None), ..g() }, Some(Observation { tracked: tracked(0.9, None), ..g() }), (7, 7), false, Rule::Form, Proposal::Hold),
        ("form comes before missing data", Observation { tracked: tracked(0.5, None), done: 0.5, ..g() }, None, (1, 7), false, Rule::Form, Proposal::Hold),
        ("3 of 7 sessions: not enough data", g(), Some(g()), (3, 7), false, Rule::NotEnoughData, Proposal::Hold),
        ("4 of 8 sessions is half: enough", g(), Some(g()), (4, 8), false, Rule::Ready, Proposal::Progress),
        ("79 % of the work: not enough data", Observation { done: 0.79, ..g() }, Some(g()), (7, 7), false, Rule::NotEnoughData, Proposal::Hold),
        ("80 % of the work: enough to judge, not ready", Observation { done: 0.8, ..g() }, Some(g()), (7, 7), false, Rule::Otherwise, Proposal::Hold),
        ("one good session is not two", g(), None, (7, 7), false, Rule::Otherwise, Proposal::Hold),
        ("two good sessions: progress", g(), Some(g()), (7, 7), false, Rule::Ready, Proposal::Progress),
        ("the newest morning not known yet: still progress", Observation { morning: None, ..g() }, Some(g()), (7, 7), false, Rule::Ready, Proposal::Progress),
        ("the earlier morning unknown: hold", g(), Some(Observation { morning: None, ..g() }), (7, 7), false, Rule::Otherwise, Proposal::Hold),
        ("effort 6: hold", Observation { effort: Some(6), ..g() }, Some(g()), (7, 7), false, Rule::Otherwise, Proposal::Hold),
        ("effort 5 in both: progress", Observation { effort: Some(5), ..g() }, Some(Observation { effort: Some(5), ..g() }), (7, 7), false, Rule::Ready, Proposal::Progress),
        ("effort 6 the session before: hold", g(), Some(Observation { effort: Some(6), ..g() }), (7, 7), false, Rule::Otherwise, Proposal::Hold),
        ("pain 6 the session before (regressed then): hold", g(), Some(Observation { pain_during: Some(6), ..g() }), (7, 7), false, Rule::Otherwise, Proposal::Hold),
        ("0.79 correct: hold", Observation { tracked: tracked(0.79, None), ..g() }, Some(g()), (7, 7), false, Rule::Otherwise, Proposal::Hold),
        ("0.8 correct in both: progress", Observation { tracked: tracked(0.8, None), ..g() }, Some(Observation { tracked: tracked(0.8, None), ..g() }), (7, 7), false, Rule::Ready, Proposal::Progress),
        ("no effort given: hold", Observation { effort: None, ..g() }, Some(g()), (7, 7), false, Rule::Otherwise, Proposal::Hold),
        ("nothing planned is nothing missing", g(), Some(g()), (0, 0), false, Rule::Ready, Proposal::Progress),
    ];
    for (what, latest, previous, (done, planned), safety, rule, proposal) in cases {
        let i =
            Inputs { safety, adherence: Adherence { done, planned }, ..inputs(latest, previous) };
        let d = decide(&i);
        assert_eq!((d.rule, d.proposal), (rule, proposal), "{what}: {}", d.because);
        assert!(!d.because.is_empty() && !d.patient.is_empty(), "{what}");
        assert_eq!(d.show_cue, rule == Rule::Form && proposal == Proposal::Hold, "{what}");
    }
}

#[test]
fn decisions_say_why_with_the_numbers() {
    let d = decide(&inputs(good(), Some(good())));
    assert_eq!(
        d.because,
        "In the last two sessions pain during stayed at 3/10 or less and settled by the next \
         morning, effort was 4/10 or less, and all the prescribed work was done."
    );
    let d = decide(&inputs(Observation { pain_during: Some(7), ..good() }, None));
    assert_eq!(d.because, "Pain during was 7/10 (the limit is 5/10): regress one step.");
    let d = decide(&inputs(Observation { tracked: tracked(0.79, None), ..good() }, Some(good())));
    assert_eq!(
        d.because,
        "No change yet: 79 % of repetitions correct in this session (progress at 80 % or more)."
    );
    let d = decide(&Inputs {
        adherence: Adherence { done: 3, planned: 7 },
        ..inputs(good(), Some(good()))
    });
    assert!(d.because.starts_with("3 of 7 planned sessions"), "{}", d.because);
}

#[test]
fn done_share_counts_the_prescribed_work() {
    use crate::day::ExerciseLog;
    let dose = library::find("bridge").expect("bridge").dose.clone(); // 2 × 10, hold 3 s
    let log = |sets, reps, hold| ExerciseLog {
        sets_done: Some(sets),
        reps_done: Some(reps),
        hold_s_done: hold,
        pain_during: Some(2),
        effort: Some(3),
        ..Default::default()
    };
    assert_eq!(observe::done_share(&dose, &log(2, 10, Some(3))), 1.0);
    assert_eq!(observe::done_share(&dose, &log(2, 12, Some(5))), 1.0);
    assert_eq!(observe::done_share(&dose, &log(1, 10, Some(3))), 0.5);
    let skipped = ExerciseLog { skipped: Some(crate::day::SkipReason::Pain), ..Default::default() };
    assert_eq!(observe::done_share(&dose, &skipped), 0.0);
}

fn find(id: &str) -> Option<&'static Exercise> {
    library::find(id)
}

fn item(exercise: &str) -> Item {
    Item {
        exercise: exercise.to_owned(),
        dose: find(exercise).expect("exercise").dose.clone(),
        start: DAY,
        end: None,
        note: None,
        range: None,
        override_: None,
        camera: false,
    }
}

fn any(_: &Exercise) -> bool {
    true
}

#[test]
fn up_climbs_reps_then_sets_then_hold_then_the_harder_variant() {
    let cap = Cap::default();
    let mut it = item("bridge"); // 2 × 10, hold 3 s → harder: single-leg bridge
    let mut steps = Vec::new();
    while let Some(m) = up(&it, &cap, &find, &any, DAY) {
        steps.push((
            m.step,
            m.item.exercise.clone(),
            m.item.dose.sets,
            m.item.dose.reps,
            m.item.dose.hold_s,
        ));
        it = m.item;
        if m.step == Step::Harder {
            break;
        }
    }
    let expected: Vec<Rung> = vec![
        (Step::Reps, "bridge".into(), 2, Some(12), Some(3)),
        (Step::Sets, "bridge".into(), 3, Some(12), Some(3)),
        (Step::Hold, "bridge".into(), 3, Some(12), Some(8)),
        (Step::Hold, "bridge".into(), 3, Some(12), Some(13)),
        (Step::Hold, "bridge".into(), 3, Some(12), Some(18)),
        (Step::Hold, "bridge".into(), 3, Some(12), Some(23)),
        (Step::Hold, "bridge".into(), 3, Some(12), Some(28)),
        (Step::Hold, "bridge".into(), 3, Some(12), Some(30)),
        (Step::Harder, "single-leg-bridge".into(), 2, Some(8), None),
    ];
    assert_eq!(steps, expected);
}

#[test]
fn a_walk_climbs_in_minutes() {
    let cap = Cap::default();
    let m = up(&item("walk"), &cap, &find, &any, DAY).expect("a step");
    assert_eq!((m.step, m.item.dose.minutes), (Step::Minutes, Some(25)));
    let at_cap = Item {
        dose: crate::exercise::Dose { minutes: Some(30), ..item("walk").dose },
        ..item("walk")
    };
    let m = up(&at_cap, &cap, &find, &any, DAY).expect("the harder variant");
    assert_eq!(
        (m.step, m.item.exercise.as_str(), m.item.dose.minutes),
        (Step::Harder, "brisk-walk", Some(30))
    );
}

#[test]
fn a_precaution_keeps_the_harder_variant_out() {
    // Three weeks after a fusion, rotation is ruled out: open book's harder variant, thread the
    // needle, rotates; at the top of its dose, open book has nowhere to go.
    let inputs = PathwayInputs {
        pathway: Pathway::PostOpFusion,
        lifting_limit_kg: Some(5.0),
        milestones_met: vec![],
    };
    let status = pathway::current_phase(&inputs, Some(DAY - time::Duration::weeks(3)), DAY, None)
        .expect("phase");
    let precautions = status.active_precautions;
    let allowed = |e: &Exercise| crate::programme::gate::conflicts(e, &precautions).is_empty();
    let cap = Cap { reps: 5, sets: 1, ..Cap::default() };
    assert_eq!(up(&item("open-book"), &cap, &find, &allowed, DAY), None);
    assert!(
        up(&item("open-book"), &cap, &find, &any, DAY)
            .is_some_and(|m| m.item.exercise == "thread-the-needle")
    );
    // Down to an easier variant is refused the same way.
    let before = item("thoracic-rotation");
    let ex = find("thoracic-rotation").expect("exists");
    assert_eq!(
        down(&item("open-book"), &item("open-book").dose, Some((&before, ex)), &allowed, DAY),
        None
    );
}

#[test]
fn down_undoes_the_last_step_and_stops_at_the_entry_dose() {
    let entry = item("bridge").dose; // 2 × 10, hold 3
    let mut it = Item {
        dose: crate::exercise::Dose { sets: 3, reps: Some(12), hold_s: Some(8), ..entry.clone() },
        ..item("bridge")
    };
    let mut steps = Vec::new();
    while let Some(m) = down(&it, &entry, None, &any, DAY) {
        steps.push((m.step, m.item.dose.sets, m.item.dose.reps, m.item.dose.hold_s));
        it = m.item;
    }
    assert_eq!(
        steps,
        vec![
            (Step::Hold, 3, Some(12), Some(3)),
            (Step::Sets, 2, Some(12), Some(3)),
            (Step::Reps, 2, Some(10), Some(3)),
        ]
    );
    assert_eq!(it.dose, entry);
    // At the entry dose of a harder variant, down goes back to the exercise it replaced.
    let before = item("bridge");
    let m = down(
        &item("single-leg-bridge"),
        &item("single-leg-bridge").dose,
        Some((&before, find("bridge").expect("bridge"))),
        &any,
        DAY,
    )
    .expect("back to the bridge");
    assert_eq!((m.step, m.item.exercise.as_str()), (Step::Easier, "bridge"));
}

proptest! {
    /// Whatever the starting dose and cap, a step up never passes the cap on any dimension it
    /// touches, and never lands on an exercise `allowed` refuses.
    #[test]
    fn up_never_passes_the_cap_or_a_precaution(
        k in 0usize..53, reps in 1u16..20, sets in 1u8..5, hold in 1u16..40,
        cap_reps in 1u16..20, cap_sets in 1u8..5, cap_hold in 1u16..40, cap_minutes in 1u16..60,
        banned in 0usize..53,
    ) {
        let lib = library::builtin();
        let ex = &lib[k];
        let cap = Cap { reps: cap_reps, sets: cap_sets, hold_s: cap_hold, minutes: cap_minutes };
        let mut it = item(&ex.id);
        if it.dose.minutes.is_none() {
            it.dose.reps = Some(reps);
            it.dose.sets = sets;
            if it.dose.hold_s.is_some() { it.dose.hold_s = Some(hold); }
        }
        let banned = &lib[banned].id;
        let allowed = |e: &Exercise| &e.id != banned;
        if let Some(m) = up(&it, &cap, &find, &allowed, DAY) {
            prop_assert!(&m.item.exercise != banned || m.step != Step::Harder);
            let (before, after) = (&it.dose, &m.item.dose);
            let grew = |b: Option<u16>, a: Option<u16>| a.unwrap_or(0) > b.unwrap_or(0);
            if m.step == Step::Harder {
                prop_assert!(after.sets <= cap.sets);
                prop_assert!(after.reps.is_none_or(|r| r <= cap.reps));
                prop_assert!(after.hold_s.is_none_or(|h| h <= cap.hold_s));
                prop_assert!(after.minutes.is_none_or(|m| m <= cap.minutes));
            } else {
                prop_assert!(after.sets <= before.sets.max(cap.sets));
                if grew(before.reps, after.reps) { prop_assert!(after.reps.unwrap_or(0) <= cap.reps); }
                if grew(before.hold_s, after.hold_s) { prop_assert!(after.hold_s.unwrap_or(0) <= cap.hold_s); }
                if grew(before.minutes, after.minutes) { prop_assert!(after.minutes.unwrap_or(0) <= cap.minutes); }
            }
        }
    }
}
