//! Tests of phases, precautions and overrides.

use std::collections::BTreeSet;

use time::Date;

use crate::intake::Procedure;
use crate::pathway::precaution::PRECAUTIONS;
use crate::pathway::*;
use time::macros::date;

const TODAY: Date = date!(2025 - 06 - 02);

fn inputs(pathway: Pathway, met: &[Milestone]) -> PathwayInputs {
    PathwayInputs { pathway, lifting_limit_kg: Some(2.5), milestones_met: met.to_vec() }
}

fn weeks_ago(weeks: i64) -> Date {
    TODAY - time::Duration::weeks(weeks)
}

fn status(pathway: Pathway, weeks: i64, met: &[Milestone]) -> PhaseStatus {
    current_phase(&inputs(pathway, met), Some(weeks_ago(weeks)), TODAY, None).expect("status")
}

fn precaution_ids(s: &PhaseStatus) -> Vec<&str> {
    s.active_precautions.iter().map(|p| p.id.as_str()).collect()
}

const FUSION_EARLY_EXIT: &[Milestone] = &[Milestone::WoundHealed, Milestone::Walks30Minutes];
const ALL_MET: &[Milestone] = &Milestone::ALL;

#[test]
fn fusion_phases_follow_weeks_and_milestones() {
    assert_eq!(status(Pathway::PostOpFusion, 2, ALL_MET).phase, Phase::Early);
    // Week 6 reached, milestones not confirmed: stay in early and say what is missing.
    let held = status(Pathway::PostOpFusion, 7, &[Milestone::WoundHealed]);
    assert_eq!(held.phase, Phase::Early);
    let unlock = held.next_phase_unlock.expect("unlock");
    assert_eq!((unlock.phase, unlock.weeks_to_go, unlock.ready), (Phase::Rehabilitation, 0, false));
    assert_eq!(unlock.milestones.iter().filter(|m| !m.met).count(), 1);

    assert_eq!(status(Pathway::PostOpFusion, 6, FUSION_EARLY_EXIT).phase, Phase::Rehabilitation);
    assert_eq!(status(Pathway::PostOpFusion, 13, FUSION_EARLY_EXIT).phase, Phase::Rehabilitation);
    let long = status(Pathway::PostOpFusion, 12, ALL_MET);
    assert_eq!((long.phase, long.next_phase_unlock), (Phase::LongTerm, None));
}

#[test]
fn early_phase_reports_weeks_to_go() {
    let s = status(Pathway::PostOpFusion, 2, &[]);
    assert_eq!(s.week, Some(2));
    assert_eq!(s.next_phase_unlock.map(|u| u.weeks_to_go), Some(4));
}

#[test]
fn fusion_precautions_by_week() {
    assert_eq!(
        precaution_ids(&status(Pathway::PostOpFusion, 1, &[])),
        vec![
            "neutral_spine",
            "sitting_limit",
            "no_bending_lifting_twisting",
            "lifting_limit",
            "no_overhead_reaching",
            "no_end_range"
        ]
    );
    assert_eq!(
        precaution_ids(&status(Pathway::PostOpFusion, 8, FUSION_EARLY_EXIT)),
        vec![
            "no_bending_lifting_twisting",
            "lifting_limit",
            "no_overhead_reaching",
            "no_end_range"
        ]
    );
    let long_term = &[
        Milestone::WoundHealed,
        Milestone::Walks30Minutes,
        Milestone::IndependentHomeProgramme,
        Milestone::ToleratesExerciseAndCardio,
        Milestone::SingleLegStance10s,
    ];
    assert_eq!(
        precaution_ids(&status(Pathway::PostOpFusion, 13, long_term)),
        vec!["no_end_range", "side_bend_and_rotation_gated"]
    );
    assert!(precaution_ids(&status(Pathway::PostOpFusion, 30, ALL_MET)).is_empty());
}

#[test]
fn overhead_reaching_stays_banned_before_week_12_even_under_override() {
    let o = Override {
        phase: Phase::LongTerm,
        reason: "Athlete, fast progress".into(),
        by: "PT Lee".into(),
    };
    let s = current_phase(
        &inputs(Pathway::PostOpFusion, ALL_MET),
        Some(weeks_ago(10)),
        TODAY,
        Some(&o),
    )
    .expect("status");
    assert_eq!((s.phase, s.rules_phase), (Phase::LongTerm, Phase::Rehabilitation));
    assert!(precaution_ids(&s).contains(&"no_overhead_reaching"));
    assert_eq!(s.overridden_by, Some(o));
}

#[test]
fn augmentation_flexion_waits_for_the_surgeon() {
    let s = status(Pathway::PostOpVertebralAugmentation, 5, &[]);
    assert_eq!(s.phase, Phase::Early);
    assert!(precaution_ids(&s).contains(&"no_flexion"));
    let cleared =
        status(Pathway::PostOpVertebralAugmentation, 5, &[Milestone::SurgeonClearedFlexion]);
    assert_eq!(cleared.phase, Phase::Rehabilitation);
    // Flexion is cleared, but lifting and twisting wait until week 6.
    assert_eq!(precaution_ids(&cleared), vec!["no_lifting_twisting", "lifting_limit"]);
}

#[test]
fn decompression_rehab_opens_after_surgeon_review() {
    let met = &[Milestone::WoundHealed, Milestone::SurgeonReviewDone];
    let s = status(Pathway::PostOpDiscectomyOrDecompression, 4, met);
    assert_eq!(s.phase, Phase::Rehabilitation);
    assert!(precaution_ids(&s).contains(&"no_bending_lifting_twisting_pushing"));
    assert!(precaution_ids(&status(Pathway::PostOpDiscectomyOrDecompression, 6, met)).is_empty());
}

#[test]
fn lifting_limit_is_the_surgeons_number_or_a_prompt() {
    let s = status(Pathway::PostOpFusion, 1, &[]);
    let limit = s.active_precautions.iter().find(|p| p.id == "lifting_limit").expect("limit");
    assert!(limit.instruction.contains("2.5 kg"), "{}", limit.instruction);
    let none = PathwayInputs { lifting_limit_kg: None, ..inputs(Pathway::PostOpFusion, &[]) };
    let s = current_phase(&none, Some(weeks_ago(1)), TODAY, None).expect("status");
    let limit = s.active_precautions.iter().find(|p| p.id == "lifting_limit").expect("limit");
    assert!(limit.clinician_note.is_some());
    assert!(!limit.instruction.chars().any(|c| c.is_ascii_digit()), "no invented number");
}

#[test]
fn errors_name_the_problem() {
    let fusion = inputs(Pathway::PostOpFusion, &[]);
    assert!(matches!(
        current_phase(&fusion, None, TODAY, None),
        Err(PathwayError::MissingSurgeryDate { .. })
    ));
    assert!(matches!(
        current_phase(&fusion, Some(date!(2025 - 06 - 03)), TODAY, None),
        Err(PathwayError::SurgeryInFuture { .. })
    ));
    assert!(matches!(
        current_phase(&inputs(Pathway::Prehab, &[]), Some(date!(2025 - 06 - 01)), TODAY, None),
        Err(PathwayError::SurgeryDatePassed { .. })
    ));
    let bad_limit = PathwayInputs { lifting_limit_kg: Some(f64::NAN), ..fusion.clone() };
    assert!(matches!(
        current_phase(&bad_limit, Some(TODAY), TODAY, None),
        Err(PathwayError::InvalidLiftingLimit { .. })
    ));
    let wrong_phase = Override { phase: Phase::Prehab, reason: "x".into(), by: "y".into() };
    assert!(matches!(
        current_phase(&fusion, Some(TODAY), TODAY, Some(&wrong_phase)),
        Err(PathwayError::PhaseNotInPathway { .. })
    ));
    let no_reason = Override { phase: Phase::Early, reason: " ".into(), by: "y".into() };
    assert!(matches!(
        current_phase(&fusion, Some(TODAY), TODAY, Some(&no_reason)),
        Err(PathwayError::InvalidOverride { field: "reason", .. })
    ));
}

#[test]
fn prehab_and_conservative_have_one_phase() {
    let prehab =
        current_phase(&inputs(Pathway::Prehab, &[]), Some(date!(2025 - 07 - 14)), TODAY, None)
            .expect("status");
    assert_eq!((prehab.phase, prehab.weeks_until_surgery), (Phase::Prehab, Some(6)));
    let lumbar = current_phase(&inputs(Pathway::ConservativeLumbar, &[]), None, TODAY, None)
        .expect("status");
    assert_eq!((lumbar.phase, lumbar.next_phase_unlock), (Phase::ActiveCare, None));
}

#[test]
fn every_pathway_phase_has_a_stage_and_ids_are_unique_per_procedure() {
    for procedure in Procedure::ALL {
        let phases: Vec<Phase> = stages(procedure).iter().map(|s| s.phase).collect();
        assert_eq!(phases, Pathway::post_op(procedure).phases());
        let mut ids = BTreeSet::new();
        for rule in PRECAUTIONS.iter().filter(|r| r.procedure == procedure) {
            assert!(ids.insert(rule.id), "duplicate precaution {} for {procedure:?}", rule.id);
        }
    }
}

#[test]
fn applies_until_reads_from_the_rule() {
    let text: Vec<String> = PRECAUTIONS.iter().map(PrecautionRule::applies_until).collect();
    assert!(text.contains(&"until week 12 after surgery".to_owned()));
    assert!(
        text.iter().any(|t| t.starts_with("during the early phase, and in any case until week 4"))
    );
}

proptest::proptest! {
    #[test]
    fn phase_never_goes_backwards_with_time(
        weeks in 0i64..80,
        mask in 0u8..=255,
        procedure in proptest::sample::select(Procedure::ALL.to_vec()),
    ) {
        let met: Vec<Milestone> = Milestone::ALL
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, m)| *m)
            .collect();
        let pathway = Pathway::post_op(procedure);
        let now = status(pathway, weeks, &met);
        let later = status(pathway, weeks + 1, &met);
        let order = |p: Phase| pathway.phases().iter().position(|q| *q == p);
        proptest::prop_assert!(order(later.phase) >= order(now.phase));
    }
}
