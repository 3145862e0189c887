//! Tests of programmes: the built-in templates against the precautions of their phase, gating
//! with overrides, the checks on what a clinician types, and the version history.

use std::collections::BTreeSet;

use time::Date;
use time::macros::date;

use crate::exercise::library;
use crate::exercise::{Exercise, MovementTag, Problem};
use crate::pathway::{
    self, ActivePrecaution, Milestone, Pathway, PathwayInputs, Phase, PhaseStatus, stages,
};
use crate::programme::template::builtin;
use crate::programme::{
    ADVISED_MAX_EXERCISES, Change, Item, Override, RangeTarget, Warning, check, diff, flags,
};

const TODAY: Date = date!(2026 - 12 - 07);

fn lookup(id: &str) -> Option<&'static Exercise> {
    library::find(id)
}

fn name(id: &str) -> String {
    lookup(id).map_or_else(|| id.to_owned(), |e| e.name.clone())
}

/// Where a patient `week` weeks after surgery on `pathway` stands, with `met` confirmed and,
/// when given, the clinician's phase override.
fn status(pathway: Pathway, week: u16, met: &[Milestone], phase: Option<Phase>) -> PhaseStatus {
    let inputs =
        PathwayInputs { pathway, lifting_limit_kg: Some(5.0), milestones_met: met.to_vec() };
    let surgery = pathway.procedure().map(|_| TODAY - time::Duration::weeks(i64::from(week)));
    let override_ = phase.map(|phase| pathway::Override {
        phase,
        reason: "Test: put the patient in this phase.".to_owned(),
        by: "test".to_owned(),
    });
    pathway::current_phase(&inputs, surgery, TODAY, override_.as_ref()).expect("status")
}

fn precautions(pathway: Pathway, week: u16, met: &[Milestone]) -> Vec<ActivePrecaution> {
    status(pathway, week, met, None).active_precautions
}

/// The milestones that open the fusion's long-term phase, without good trunk control.
const FUSION_LONG_TERM: &[Milestone] = &[
    Milestone::WoundHealed,
    Milestone::Walks30Minutes,
    Milestone::IndependentHomeProgramme,
    Milestone::ToleratesExerciseAndCardio,
    Milestone::SingleLegStance10s,
];

fn item(exercise: &str) -> Item {
    Item {
        exercise: exercise.to_owned(),
        dose: lookup(exercise)
            .map_or_else(|| library::builtin()[0].dose.clone(), |e| e.dose.clone()),
        start: TODAY,
        end: None,
        note: None,
        range: None,
        override_: None,
        camera: false,
    }
}

fn overridden(exercise: &str, reason: &str) -> Item {
    Item {
        override_: Some(Override { reason: reason.to_owned(), precautions: Vec::new() }),
        ..item(exercise)
    }
}

fn fields(problems: &[Problem]) -> Vec<&str> {
    problems.iter().map(|p| p.field.as_str()).collect()
}

// ------------------------------------------------------------------------------------------
// Templates

#[test]
fn templates_cover_every_pathway_and_phase_once() {
    let expected: BTreeSet<(Pathway, Phase)> =
        Pathway::ALL.iter().flat_map(|&p| p.phases().iter().map(move |&ph| (p, ph))).collect();
    assert_eq!(expected.len(), 13);
    let mut seen = BTreeSet::new();
    for t in builtin() {
        assert!(seen.insert((t.pathway, t.phase)), "{} repeats {}/{}", t.id, t.pathway, t.phase);
    }
    assert_eq!(seen, expected);
    let ids: BTreeSet<&str> = builtin().iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids.len(), builtin().len(), "template ids are unique");
    assert!(ids.contains("post-op-fusion-early"));
}

#[test]
fn templates_are_valid_and_short() {
    for t in builtin() {
        assert_eq!(t.problems(&lookup), Vec::new(), "{}", t.id);
        assert!(
            (3..=ADVISED_MAX_EXERCISES).contains(&t.items.len()),
            "{}: {} items",
            t.id,
            t.items.len()
        );
        assert!(!t.description.trim().is_empty(), "{}", t.id);
        let items = t.instantiate(&lookup, TODAY).expect("every exercise exists");
        let checked = check(items, &[], &lookup, &[]).expect("valid without precautions");
        assert_eq!(checked.warnings, Vec::new(), "{}", t.id);
    }
}

/// Every week of every post-operative phase, in the worst case: each template passes the
/// precautions of the patient it is for with no override, whether the patient reached the
/// phase by its entry milestones or was put there by the clinician with none confirmed.
#[test]
fn templates_respect_the_precautions_of_their_phase_every_week() {
    for t in builtin() {
        let items = t.instantiate(&lookup, TODAY).expect("every exercise exists");
        let Some(procedure) = t.pathway.procedure() else {
            let s = status(t.pathway, 0, &[], None);
            assert_eq!((s.phase, s.active_precautions.len()), (t.phase, 0), "{}", t.id);
            continue;
        };
        let stages = stages(procedure);
        let k = stages.iter().position(|s| s.phase == t.phase).expect("the phase has a stage");
        let from = stages[k].from_week;
        let to = stages.get(k + 1).map_or(30, |next| next.from_week - 1);
        let entry: Vec<Milestone> =
            stages[..=k].iter().flat_map(|s| s.entry_milestones.iter().copied()).collect();
        for week in from..=to {
            let by_milestones = status(t.pathway, week, &entry, None);
            assert_eq!(by_milestones.phase, t.phase, "{} in week {week}", t.id);
            let by_override = status(t.pathway, week, &[], Some(t.phase));
            for s in [by_milestones, by_override] {
                let checked = check(items.clone(), &[], &lookup, &s.active_precautions)
                    .unwrap_or_else(|p| panic!("{} in week {week}: {p:?}", t.id));
                assert!(checked.items.iter().all(|i| i.override_.is_none()), "{}", t.id);
                assert_eq!(flags(&items, &lookup, &s.active_precautions), Vec::new());
            }
        }
    }
}

#[test]
fn early_templates_build_walking_up() {
    let template = |id: &str| builtin().iter().find(|t| t.id == id).expect(id);
    let fusion = template("post-op-fusion-early");
    assert_eq!(fusion.items[0].exercise, "short-walk");
    assert!(fusion.items[0].note.as_deref().is_some_and(|n| n.contains("30 minutes")));
    let decompression = template("post-op-discectomy-or-decompression-early");
    let walk = decompression.items[0].dose.as_ref().expect("its own walking dose");
    assert_eq!((walk.minutes, walk.times_per_day), (Some(10), 3));
}

// ------------------------------------------------------------------------------------------
// Gating

const BLT: &str = "Do not bend forward, twist, or lift with your back";
const NEUTRAL: &str = "Keep your back in its natural, straight position";

#[test]
fn precautions_refuse_an_exercise_and_say_why() {
    let early = precautions(Pathway::PostOpFusion, 3, &[]);
    let problems = check(vec![item("open-book")], &[], &lookup, &early).expect_err("refused");
    assert_eq!(fields(&problems), ["items[0].exercise"]);
    let message = &problems[0].message;
    assert!(message.starts_with("Open book cannot be prescribed now"), "{message}");
    assert!(message.contains("twisting"), "{message}");
    for id in ["neutral_spine", "no_bending_lifting_twisting"] {
        let p = early.iter().find(|p| p.id == id).expect(id);
        assert!(message.contains(p.instruction.trim_end_matches('.')), "{message}");
        assert!(message.contains(p.why.trim_end_matches('.')), "{message}");
    }
    assert!(message.contains(BLT) && message.contains(NEUTRAL), "{message}");
    assert!(message.contains("record why"), "{message}");
    assert!(!message.contains(".."), "{message}");
}

#[test]
fn an_override_reason_lets_it_through_and_names_what_it_covers() {
    let early = precautions(Pathway::PostOpFusion, 3, &[]);
    let reason = "Surgeon agreed gentle rotation for a thoracic-only fusion.";
    let checked =
        check(vec![overridden("open-book", &format!("  {reason} "))], &[], &lookup, &early)
            .expect("overridden");
    let o = checked.items[0].override_.as_ref().expect("kept");
    assert_eq!(o.reason, reason, "trimmed");
    assert_eq!(o.precautions, ["neutral_spine", "no_bending_lifting_twisting"]);
    assert_eq!(flags(&checked.items, &lookup, &early), Vec::new());

    // A blank reason is no reason.
    let problems =
        check(vec![overridden("open-book", "  ")], &[], &lookup, &early).expect_err("refused");
    assert_eq!(fields(&problems), ["items[0].override.reason"]);
    assert!(problems[0].message.contains(BLT));
}

#[test]
fn an_unchanged_reason_covers_only_what_it_covered_then() {
    // Week 8 after fusion, in rehabilitation: twisting is ruled out, the spine need not be
    // kept still any more.
    let rehab = precautions(Pathway::PostOpFusion, 8, &FUSION_LONG_TERM[..2]);
    let reason = "Surgeon agreed gentle rotation for a thoracic-only fusion.";
    let previous = check(vec![overridden("open-book", reason)], &[], &lookup, &rehab)
        .expect("overridden")
        .items;
    assert_eq!(
        previous[0].override_.as_ref().map(|o| o.precautions.clone()),
        Some(vec!["no_bending_lifting_twisting".to_owned()])
    );

    // Week 9: the wound breaks down and the clinician puts the patient back in the early
    // phase, so keeping the spine still applies again. Saving the same reason is not enough.
    let back = status(Pathway::PostOpFusion, 9, &FUSION_LONG_TERM[..2], Some(Phase::Early))
        .active_precautions;
    let flagged = flags(&previous, &lookup, &back);
    assert_eq!(flagged.len(), 1);
    assert_eq!(
        flagged[0].1.iter().map(|c| c.precaution.as_str()).collect::<Vec<_>>(),
        ["neutral_spine"]
    );
    let problems =
        check(vec![overridden("open-book", reason)], &previous, &lookup, &back).expect_err("new");
    assert_eq!(fields(&problems), ["items[0].override.reason"]);
    let message = &problems[0].message;
    assert!(message.contains("new reason"), "{message}");
    assert!(message.contains(NEUTRAL) && !message.contains(BLT), "only the new one: {message}");

    // A new reason covers every precaution in force now.
    let again = "Reviewed after the wound breakdown; surgeon still agrees.";
    let checked =
        check(vec![overridden("open-book", again)], &previous, &lookup, &back).expect("covered");
    assert_eq!(
        checked.items[0].override_.as_ref().map(|o| o.precautions.clone()),
        Some(vec!["neutral_spine".to_owned(), "no_bending_lifting_twisting".to_owned()])
    );
}

#[test]
fn a_phase_change_flags_an_exercise_it_now_rules_out() {
    let conservative = status(Pathway::ConservativeLumbar, 0, &[], None).active_precautions;
    let items = check(vec![item("walk"), item("trunk-side-bend")], &[], &lookup, &conservative)
        .expect("no precautions")
        .items;
    assert_eq!(flags(&items, &lookup, &conservative), Vec::new());

    let long_term = precautions(Pathway::PostOpFusion, 14, FUSION_LONG_TERM);
    let flagged = flags(&items, &lookup, &long_term);
    assert_eq!(flagged.len(), 1);
    let (index, conflicts) = &flagged[0];
    assert_eq!(*index, 1);
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].precaution, "side_bend_and_rotation_gated");
    assert_eq!(conflicts[0].tags, [MovementTag::SideBending]);
    assert!(conflicts[0].explain().starts_with("it involves bending to the side"));

    // Good trunk control lifts it.
    let mut met = FUSION_LONG_TERM.to_vec();
    met.push(Milestone::GoodTrunkControl);
    assert_eq!(flags(&items, &lookup, &precautions(Pathway::PostOpFusion, 14, &met)), Vec::new());
}

// ------------------------------------------------------------------------------------------
// What a clinician types

#[test]
fn bad_input_is_refused_naming_the_field() {
    let refused = |item: Item| -> Vec<String> {
        check(vec![item], &[], &lookup, &[])
            .expect_err("refused")
            .into_iter()
            .map(|p| p.field)
            .collect()
    };
    let unknown = Item { exercise: "moonwalk".to_owned(), ..item("walk") };
    assert_eq!(refused(unknown), ["items[0].exercise"]);

    let mut bridge = item("bridge");
    bridge.dose.sets = 0;
    assert_eq!(refused(bridge), ["items[0].dose.sets"]);

    let mut bridge = item("bridge");
    bridge.dose.reps = Some(500);
    assert_eq!(refused(bridge), ["items[0].dose.reps"]);

    let mut plank = item("side-plank");
    plank.dose.hold_s = Some(3 * 60 * 60);
    assert_eq!(refused(plank), ["items[0].dose.hold_s"]);

    let tracked = Item {
        range: Some(RangeTarget { target_deg: 120.0, max_deg: 90.0 }),
        ..item("shoulder-abduction")
    };
    assert_eq!(refused(tracked), ["items[0].range.max_deg"]);

    let ended = Item { end: Some(TODAY - time::Duration::days(1)), ..item("walk") };
    assert_eq!(refused(ended), ["items[0].end"]);

    let untracked =
        Item { range: Some(RangeTarget { target_deg: 30.0, max_deg: 40.0 }), ..item("bridge") };
    let problems = check(vec![untracked], &[], &lookup, &[]).expect_err("refused");
    assert_eq!(fields(&problems), ["items[0].range"]);
    assert!(problems[0].message.starts_with("Bridge is not tracked"));

    // The index is the item's: a good first item and a bad second one.
    let mut second = item("bridge");
    second.dose.sets = 11;
    let problems = check(vec![item("walk"), second], &[], &lookup, &[]).expect_err("refused");
    assert_eq!(fields(&problems), ["items[1].dose.sets"]);

    let twice = check(vec![item("walk"), item("walk")], &[], &lookup, &[]).expect_err("refused");
    assert_eq!(fields(&twice), ["items[1].exercise"]);

    let fine = Item {
        range: Some(RangeTarget { target_deg: 120.0, max_deg: 150.0 }),
        end: Some(TODAY),
        note: Some("  Slowly.  ".to_owned()),
        ..item("shoulder-abduction")
    };
    let checked = check(vec![fine], &[], &lookup, &[]).expect("valid");
    assert_eq!(checked.items[0].note.as_deref(), Some("Slowly."));
}

#[test]
fn the_camera_choice_is_kept_only_where_it_decides_something() {
    // On an exercise the camera cannot follow, it is refused, naming the field.
    let problems = check(vec![Item { camera: true, ..item("bridge") }], &[], &lookup, &[])
        .expect_err("refused");
    assert_eq!(fields(&problems), ["items[0].camera"]);
    assert!(problems[0].message.starts_with("Bridge is not tracked by the camera"));
    // Unvalidated counting: the choice is the clinician's and is stored.
    let chosen = check(vec![Item { camera: true, ..item("wall-angel") }], &[], &lookup, &[]);
    assert!(chosen.expect("valid").items[0].camera);
    // Validated counting is always offered: the choice is dropped rather than stored.
    let validated =
        check(vec![Item { camera: true, ..item("shoulder-abduction") }], &[], &lookup, &[]);
    assert!(!validated.expect("valid").items[0].camera);
}

#[test]
fn a_stored_item_without_the_camera_choice_loads_as_not_chosen_and_round_trips() {
    let stored = serde_json::json!({
        "exercise": "wall-angel",
        "dose": item("wall-angel").dose,
        "start": "2026-12-07",
    });
    let old: Item = serde_json::from_value(stored).expect("an item stored before the choice");
    assert!(!old.camera);
    let chosen = Item { camera: true, ..old };
    let json = serde_json::to_value(&chosen).expect("json");
    assert_eq!(json["camera"], true);
    assert_eq!(serde_json::from_value::<Item>(json).expect("item"), chosen);
}

#[test]
fn more_than_six_exercises_earn_a_warning() {
    let ids = ["walk", "bridge", "bird-dog", "dead-bug", "chin-tuck", "hip-hinge", "sit-to-stand"];
    let six = check(ids[..6].iter().map(|id| item(id)).collect(), &[], &lookup, &[]).expect("ok");
    assert_eq!(six.warnings, Vec::new());
    let seven = check(ids.iter().map(|id| item(id)).collect(), &[], &lookup, &[]).expect("ok");
    assert_eq!(seven.warnings, [Warning::Long { count: 7 }]);
    assert!(seven.warnings[0].message().starts_with("This programme has 7 exercises."));
}

// ------------------------------------------------------------------------------------------
// Version history

#[test]
fn diff_names_each_change() {
    let walk = item("walk");
    let bridge = item("bridge");
    assert_eq!(
        diff(&[], std::slice::from_ref(&bridge)),
        [Change::Added { exercise: "bridge".to_owned(), dose: bridge.dose.patient_text() }]
    );
    assert_eq!(
        diff(std::slice::from_ref(&bridge), &[]),
        [Change::Removed { exercise: "bridge".to_owned() }]
    );
    assert_eq!(
        diff(&[walk.clone(), bridge.clone()], &[walk.clone(), bridge.clone()]),
        Vec::<Change>::new()
    );

    let mut more = bridge.clone();
    more.dose.reps = Some(12);
    let changes = diff(std::slice::from_ref(&bridge), std::slice::from_ref(&more));
    assert!(matches!(&changes[..], [Change::Dose { exercise, .. }] if exercise == "bridge"));

    assert_eq!(
        diff(&[walk.clone(), bridge.clone()], &[bridge.clone(), walk.clone()]),
        [Change::Reordered { order: vec!["bridge".to_owned(), "walk".to_owned()] }]
    );
    // Adding or removing alone is not a new order.
    assert_eq!(diff(&[walk.clone(), bridge.clone()], std::slice::from_ref(&bridge)).len(), 1);

    let reason = "Surgeon agreed.";
    let with = overridden("open-book", reason);
    let without = item("open-book");
    assert_eq!(
        diff(std::slice::from_ref(&without), std::slice::from_ref(&with)),
        [Change::Override { exercise: "open-book".to_owned(), reason: reason.to_owned() }]
    );
    assert_eq!(
        diff(std::slice::from_ref(&with), std::slice::from_ref(&without)),
        [Change::OverrideRemoved { exercise: "open-book".to_owned() }]
    );
    // Added over a precaution from the start: the history keeps the reason too.
    let added = diff(&[], std::slice::from_ref(&with));
    assert_eq!(added.len(), 2, "{added:?}");
    assert!(matches!(&added[0], Change::Added { exercise, .. } if exercise == "open-book"));
    assert_eq!(
        added[1],
        Change::Override { exercise: "open-book".to_owned(), reason: reason.to_owned() }
    );
    // The precautions it covers are filled in by `check`: not a change the clinician made.
    let mut covered = with.clone();
    covered.override_.as_mut().expect("override").precautions = vec!["neutral_spine".to_owned()];
    assert_eq!(
        diff(std::slice::from_ref(&with), std::slice::from_ref(&covered)),
        Vec::<Change>::new()
    );

    let plain = item("wall-angel");
    let offered = Item { camera: true, ..plain.clone() };
    assert_eq!(
        diff(std::slice::from_ref(&plain), std::slice::from_ref(&offered)),
        [Change::Camera { exercise: "wall-angel".to_owned(), offered: true }]
    );
    assert_eq!(
        diff(std::slice::from_ref(&offered), std::slice::from_ref(&plain)),
        [Change::Camera { exercise: "wall-angel".to_owned(), offered: false }]
    );
    assert_eq!(diff(&[], std::slice::from_ref(&offered)).len(), 2);

    let mut later = walk.clone();
    later.start = TODAY + time::Duration::days(7);
    later.note = Some("After your check-up.".to_owned());
    assert_eq!(
        diff(std::slice::from_ref(&walk), std::slice::from_ref(&later)),
        [
            Change::Dates {
                exercise: "walk".to_owned(),
                from: "from 7 December 2026".to_owned(),
                to: "from 14 December 2026".to_owned()
            },
            Change::Note { exercise: "walk".to_owned() },
        ]
    );
}

#[test]
fn changes_read_well() {
    let bridge = item("bridge");
    let mut more = bridge.clone();
    more.dose.reps = Some(12);
    let text = |before: &[Item], after: &[Item]| -> Vec<String> {
        diff(before, after).iter().map(|c| c.text(&name)).collect()
    };
    assert_eq!(
        text(&[], std::slice::from_ref(&bridge)),
        ["Added Bridge: 2 sets of 10, hold for 3 seconds each time, once a day, Monday, \
          Wednesday and Friday"]
    );
    assert_eq!(
        text(std::slice::from_ref(&bridge), std::slice::from_ref(&more)),
        ["Bridge: 2 sets of 10, hold for 3 seconds each time, once a day, Monday, Wednesday and \
          Friday, 45 s rest, effort 4/10 \u{2192} 2 sets of 12, hold for 3 seconds each time, \
          once a day, Monday, Wednesday and Friday, 45 s rest, effort 4/10"]
    );
    assert_eq!(
        text(&[item("walk"), bridge.clone()], std::slice::from_ref(&bridge)),
        ["Removed Walk"]
    );
    assert_eq!(
        text(&[item("walk"), bridge.clone()], &[bridge, item("walk")]),
        ["New order: Bridge, Walk"]
    );
    assert_eq!(
        text(&[item("open-book")], &[overridden("open-book", "Surgeon agreed.")]),
        ["Open book: precaution overridden (\u{201c}Surgeon agreed.\u{201d})"]
    );
    let ranged = |target_deg, max_deg| Item {
        range: Some(RangeTarget { target_deg, max_deg }),
        ..item("shoulder-abduction")
    };
    assert_eq!(
        text(&[ranged(110.0, 140.0)], &[ranged(120.0, 150.0)]),
        [
            "Arm lift to the side range: target 110°, maximum 140° \u{2192} target 120°, maximum 150°"
        ]
    );
}
