//! Tests of the rule table, decisions and re-triage.

use crate::intake::PainScore;
use crate::intake::{
    Answer, CareHelped, ConservativeCare, Finding, FindingKind, Imaging, Intake, PainDuration,
    Procedure, Region, RiskFactor, Surgery, Symptom, Trauma,
};
use crate::pathway::{self, Pathway, Phase};
use crate::triage::rules;
use crate::triage::*;
use proptest::prelude::*;
use serde_json::Value;
use std::collections::BTreeSet;
use time::Date;
use time::macros::date;

const TODAY: Date = date!(2025 - 06 - 02);
/// The day the examples in docs/examples are written for.
const EXAMPLES_TODAY: Date = date!(2026 - 11 - 25);

fn base() -> Intake {
    Intake {
        regions: vec![Region::Lumbar],
        duration: PainDuration::Weeks(3),
        pain_now: Answer::Known(4),
        age: Some(40),
        date_of_birth: None,
        history: vec![],
        trauma: Trauma::None,
        symptoms: vec![],
        symptoms_not_sure: vec![],
        imaging: None,
        conservative_care: ConservativeCare { weeks: Answer::Known(0), helped: None },
        surgery: Surgery::None {},
        lifting_limit_kg: None,
        goals: vec![],
        baseline: Default::default(),
    }
}

fn run(intake: Intake) -> TriageDecision {
    triage(&intake.check(TODAY).expect("valid intake"))
}

fn fired(d: &TriageDecision) -> Vec<&str> {
    d.reasons.iter().map(|r| r.rule.as_str()).collect()
}

#[test]
fn no_flags_is_exercise_on_the_regional_pathway() {
    let d = run(base());
    assert_eq!(d.tier, Tier::Exercise);
    assert!(d.reasons.is_empty() && !d.needs_clinician_review());
    assert_eq!((d.pathway, d.phase), (Some(Pathway::ConservativeLumbar), Some(Phase::ActiveCare)));
    assert_eq!(d.screens.len(), 1, "lumbar pain gets the general screen only");
    assert_eq!(d.screens[0].result, ScreenResult::Clear);
}

#[test]
fn thoracic_pain_always_reports_the_cardiac_screen() {
    let d = run(Intake { regions: vec![Region::Thoracic], ..base() });
    let screen = d.screens.iter().find(|s| s.screen == "cardiac_aortic").expect("screen ran");
    assert_eq!(screen.result, ScreenResult::Clear);
    assert!(screen.reason.contains("heart"));

    let d = run(Intake {
        regions: vec![Region::Thoracic],
        symptoms: vec![Symptom::PainNotAffectedByMovement],
        ..base()
    });
    assert_eq!((d.tier, fired(&d)), (Tier::Emergency, vec!["cardiac_aortic_thoracic"]));
    let screen = d.screens.iter().find(|s| s.screen == "cardiac_aortic").expect("screen ran");
    assert_eq!(screen.result, ScreenResult::Flagged);
}

#[test]
fn highest_tier_wins_and_every_reason_is_listed_in_order() {
    let d = run(Intake {
        symptoms: vec![Symptom::MarkedMorningStiffness, Symptom::SaddleNumbness],
        imaging: Some(Imaging {
            findings: vec![Finding { kind: FindingKind::Instability, region: None }],
            findings_not_sure: false,
        }),
        ..base()
    });
    assert_eq!(d.tier, Tier::Emergency);
    assert_eq!(
        fired(&d),
        vec!["cauda_equina", "inflammatory_disease", "cord_compression_or_instability"]
    );
    assert!(d.needs_clinician_review());
    assert_eq!((d.pathway, d.phase), (None, None));
}

#[test]
fn reasons_say_what_matched() {
    let d =
        run(Intake { trauma: Trauma::Minor, history: vec![RiskFactor::Osteoporosis], ..base() });
    assert_eq!(d.reasons[0].because, vec!["trauma: minor", "history: osteoporosis"]);
}

#[test]
fn post_op_intake_gets_phase_and_precautions() {
    let d = run(Intake {
        surgery: Surgery::Done { procedure: Procedure::Fusion, date: date!(2025 - 05 - 12) },
        lifting_limit_kg: Some(3.0),
        ..base()
    });
    assert_eq!((d.pathway, d.phase), (Some(Pathway::PostOpFusion), Some(Phase::Early)));
    let status = d.phase_status.expect("status");
    assert!(status.active_precautions.iter().any(|p| p.instruction.contains("3 kg")));
}

#[test]
fn json_entry_point_reports_tier_reasons_and_errors() {
    let input =
        serde_json::to_string(&Intake { symptoms: vec![Symptom::BladderOrBowelChange], ..base() })
            .expect("encodes");
    let out = triage_json(&input, TODAY).expect("triaged");
    assert_eq!(out["tier"], "emergency");
    assert_eq!(out["reasons"][0]["rule"], "cauda_equina");
    assert!(out["reasons"][0]["reason"].as_str().is_some_and(|r| !r.is_empty()));
    assert!(out["pathway"].is_null() && out["phase"].is_null());

    let err = triage_json(&input.replace("\"pain_now\":4", "\"pain_now\":\"four\""), TODAY)
        .expect_err("bad pain");
    assert_eq!(err.fields(), vec!["pain_now"]);
}

#[test]
fn rule_table_is_well_formed() {
    let mut ids = BTreeSet::new();
    let mut last_tier = Tier::Emergency;
    for rule in rules::rules() {
        assert!(ids.insert(rule.id), "duplicate rule id {}", rule.id);
        // Exercise-tier rules keep the tier and ask for a review; they come last.
        if rule.tier == Tier::Exercise {
            assert!(
                rule.clinician_note.len() > 40,
                "{} must tell the reviewer what to do",
                rule.id
            );
        }
        assert!(rule.tier <= last_tier, "{} is out of tier order", rule.id);
        last_tier = rule.tier;
        assert!(rule.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{}", rule.id);
        assert!(!rule.reason.is_empty() && !rule.clinician_note.is_empty());
    }
    for screen in rules::screens() {
        for id in screen.rules {
            assert!(ids.contains(id), "screen {} names unknown rule {id}", screen.id);
        }
    }
    let red_flags = rules::screens().iter().find(|s| s.id == "red_flags").expect("screen");
    for rule in rules::rules().iter().filter(|r| r.tier >= Tier::Urgent) {
        assert!(red_flags.rules.contains(&rule.id), "{} missing from red_flags", rule.id);
    }
}

#[test]
fn retriage_weekly_and_on_pain_rise() {
    let p = |v| PainScore::new(v).expect("pain");
    assert_eq!(retriage_due(p(3), p(5), 6), vec![]);
    assert_eq!(retriage_due(p(3), p(6), 1), vec![RetriageTrigger::PainRise { from: 3, to: 6 }]);
    assert_eq!(
        retriage_due(p(7), p(2), 7),
        vec![RetriageTrigger::WeeklyCheckIn { days_since_last: 7 }]
    );
    assert_eq!(retriage_due(p(0), p(10), 30).len(), 2);
    assert!(retriage_due(p(2), p(5), 0)[0].explanation().contains("from 2 to 5"));
}

/// The rule, screen and precaution tables in docs/triage.md are the code's own words.
#[test]
fn docs_list_every_rule_with_its_condition() {
    let doc = include_str!("../../../../docs/triage.md");
    let mut rows = Vec::new();
    for rule in rules::rules() {
        let (id, tier, cond) = (rule.id, rule.tier.as_str(), rule.condition.describe());
        rows.push(format!("| `{id}` | {tier} | {cond} | {} | {} |", rule.reason, rule.source));
        rows.push(format!("| `{id}` | {} |", rule.clinician_note));
    }
    for s in rules::screens() {
        let ids = s.rules.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ");
        let (when, clear, flagged) = (s.applies_when.describe(), s.clear_reason, s.flagged_reason);
        rows.push(format!("| `{}` | {when} | {ids} | {clear} | {flagged} |", s.id));
    }
    for t in Tier::ALL {
        rows.push(format!(
            "| `{t}` | {} | {} |",
            t.patient_action(),
            t.clinician_action(),
            t = t.as_str()
        ));
    }
    for p in pathway::precaution_rules() {
        let (procedure, until) = (p.procedure.label(), p.applies_until());
        rows.push(format!("| {procedure} | `{}` | {until} |", p.id));
    }
    for m in pathway::Milestone::ALL {
        rows.push(format!("| `{}` | {} |", m.as_str(), m.description()));
    }
    for row in rows {
        assert!(doc.contains(&row), "docs/triage.md lacks or misstates:\n{row}");
    }
}

/// Every example in docs/examples parses and gets the tier its file name starts with.
#[test]
fn docs_examples_get_the_tier_in_their_name() {
    let examples: &[(&str, &str)] = &[
        (
            "emergency-cauda-equina.json",
            include_str!("../../../../docs/examples/emergency-cauda-equina.json"),
        ),
        (
            "emergency-thoracic-chest-pain.json",
            include_str!("../../../../docs/examples/emergency-thoracic-chest-pain.json"),
        ),
        (
            "urgent-myelopathy.json",
            include_str!("../../../../docs/examples/urgent-myelopathy.json"),
        ),
        (
            "urgent-fracture-osteoporosis.json",
            include_str!("../../../../docs/examples/urgent-fracture-osteoporosis.json"),
        ),
        (
            "specialist-thoracic-disc-failed-care.json",
            include_str!("../../../../docs/examples/specialist-thoracic-disc-failed-care.json"),
        ),
        (
            "exercise-conservative-lumbar.json",
            include_str!("../../../../docs/examples/exercise-conservative-lumbar.json"),
        ),
        (
            "exercise-conservative-cervical-not-sure.json",
            include_str!("../../../../docs/examples/exercise-conservative-cervical-not-sure.json"),
        ),
        (
            "specialist-surgery-recommended.json",
            include_str!("../../../../docs/examples/specialist-surgery-recommended.json"),
        ),
        (
            "exercise-conservative-thoracic.json",
            include_str!("../../../../docs/examples/exercise-conservative-thoracic.json"),
        ),
        (
            "exercise-prehab-fusion.json",
            include_str!("../../../../docs/examples/exercise-prehab-fusion.json"),
        ),
        (
            "exercise-post-op-fusion.json",
            include_str!("../../../../docs/examples/exercise-post-op-fusion.json"),
        ),
        (
            "exercise-post-op-vertebral-augmentation.json",
            include_str!("../../../../docs/examples/exercise-post-op-vertebral-augmentation.json"),
        ),
    ];
    for (name, text) in examples {
        let out = triage_json(text, EXAMPLES_TODAY).unwrap_or_else(|e| panic!("{name}: {e}"));
        let expected = name.split('-').next().unwrap_or_default();
        assert_eq!(out["tier"], *expected, "{name}");
    }
}

fn any_intake() -> impl Strategy<Value = Intake> {
    let regions = proptest::sample::subsequence(Region::ALL.to_vec(), 1..=3);
    let symptoms = proptest::sample::subsequence(Symptom::ALL.to_vec(), 0..=4);
    let history = proptest::sample::subsequence(RiskFactor::ALL.to_vec(), 0..=3);
    let trauma = proptest::sample::select(Trauma::ALL.to_vec());
    let findings = proptest::option::of((
        proptest::sample::subsequence(FindingKind::ALL.to_vec(), 0..=3),
        any::<bool>(),
    ));
    // Weeks of care: 0..20, with 20 standing for "not sure"; then the answer to "did it help?".
    let care = (0u16..=20, proptest::sample::select(CareHelped::ALL.to_vec()));
    let surgery = (0u8..4, proptest::sample::select(Procedure::ALL.to_vec()), 0i64..400);
    // Pain 11 and duration 200 weeks stand for "not sure"; unsure symptoms are drawn too.
    let unsure = proptest::sample::subsequence(Symptom::ALL.to_vec(), 0..=2);
    (
        regions,
        (symptoms, unsure),
        history,
        trauma,
        findings,
        care,
        surgery,
        0u8..=11,
        18u8..95,
        0u32..=200,
    )
        .prop_map(
            |(
                regions,
                (symptoms, unsure),
                history,
                trauma,
                findings,
                care,
                surgery,
                pain,
                age,
                weeks,
            )| {
                let imaging = findings.map(|(kinds, findings_not_sure)| Imaging {
                    findings: kinds
                        .into_iter()
                        .map(|kind| Finding { kind, region: Some(Region::Thoracic) })
                        .collect(),
                    findings_not_sure,
                });
                let symptoms_not_sure: Vec<Symptom> =
                    unsure.into_iter().filter(|s| !symptoms.contains(s)).collect();
                let weeks_of_care =
                    if care.0 == 20 { Answer::NotSure } else { Answer::Known(care.0) };
                let (status, procedure, days) = surgery;
                let surgery = match status {
                    0 => Surgery::None {},
                    1 => Surgery::Recommended { procedure: Some(procedure) },
                    2 => Surgery::Scheduled { procedure, date: TODAY + time::Duration::days(days) },
                    _ => Surgery::Done { procedure, date: TODAY - time::Duration::days(days) },
                };
                Intake {
                    regions,
                    duration: if weeks == 200 {
                        PainDuration::NotSure
                    } else {
                        PainDuration::Weeks(weeks)
                    },
                    pain_now: if pain == 11 { Answer::NotSure } else { Answer::Known(pain) },
                    age: Some(age),
                    history,
                    trauma,
                    symptoms,
                    symptoms_not_sure,
                    imaging,
                    conservative_care: ConservativeCare {
                        weeks: weeks_of_care,
                        helped: (weeks_of_care != Answer::Known(0)).then_some(care.1),
                    },
                    surgery,
                    ..base()
                }
            },
        )
}

proptest! {
    #[test]
    fn decisions_are_consistent(intake in any_intake()) {
        let d = run(intake);
        let top = d.reasons.iter().map(|r| r.tier).max().unwrap_or(Tier::Exercise);
        prop_assert_eq!(d.tier, top);
        prop_assert!(d.reasons.windows(2).all(|w| w[0].tier >= w[1].tier));
        prop_assert_eq!(d.needs_clinician_review(), !d.reasons.is_empty());
        prop_assert!(d.tier == Tier::Exercise || d.needs_clinician_review());
        prop_assert_eq!(d.pathway.is_some(), d.tier == Tier::Exercise);
        prop_assert!(d.reasons.iter().all(|r| !r.because.is_empty()));
        prop_assert!(d.screens.iter().any(|s| s.screen == "red_flags"));
    }

    #[test]
    fn any_json_value_is_answered_without_panicking(
        pain in any::<i64>(),
        region in "[a-z]{0,10}",
        date in "[0-9-]{0,12}",
    ) {
        let text = format!(
            r#"{{"regions":["{region}"],"duration":{{"days":3}},"pain_now":{pain},"age":30,
                "history":[],"trauma":"none","symptoms":[],"conservative_care":{{"weeks":0}},
                "surgery":{{"status":"done","procedure":"fusion","date":"{date}"}}}}"#
        );
        let _ = triage_json(&text, TODAY);
    }
}

/// A stored decision reads back as the same typed value, and reading fails closed.
#[test]
fn decisions_read_back_typed_and_fail_closed() {
    let decisions = [
        run(base()),
        run(Intake { symptoms: vec![Symptom::SaddleNumbness], ..base() }),
        run(Intake {
            surgery: Surgery::Done { procedure: Procedure::Fusion, date: date!(2025 - 05 - 12) },
            lifting_limit_kg: None,
            ..base()
        }),
    ];
    for d in decisions {
        let stored = serde_json::to_value(&d).expect("encodes");
        let back: TriageDecision = serde_json::from_value(stored.clone()).expect("reads back");
        assert_eq!(back, d);
        assert_eq!(back.needs_clinician_review(), d.needs_clinician_review());

        // A stored decision that lost its review flag still needs review above exercise care.
        let mut lost = stored.clone();
        lost.as_object_mut().map(|m| m.remove("needs_clinician_review"));
        let back: TriageDecision = serde_json::from_value(lost).expect("reads back");
        assert_eq!(back.needs_clinician_review(), d.tier != Tier::Exercise);

        // No tier, or a tier we do not know: not a decision at all, never exercise care.
        for tier in [Value::Null, Value::from("excercise"), Value::from("")] {
            let mut broken = stored.clone();
            broken["tier"] = tier;
            assert!(serde_json::from_value::<TriageDecision>(broken).is_err());
        }
        let mut missing = stored;
        missing.as_object_mut().map(|m| m.remove("tier"));
        assert!(serde_json::from_value::<TriageDecision>(missing).is_err());
    }
}

#[test]
fn tiers_parse_from_their_names_only() {
    for tier in Tier::ALL {
        assert_eq!(tier.as_str().parse::<Tier>(), Ok(tier));
        assert_eq!(tier.needs_clinician_review(), tier != Tier::Exercise);
        assert_eq!(tier.pauses_exercise(), tier != Tier::Exercise);
    }
    for text in ["", "Exercise", "routine", "exercise "] {
        assert!(text.parse::<Tier>().is_err(), "{text:?}");
    }
}
