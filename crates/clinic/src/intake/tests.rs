//! Tests of parsing and checking whole intakes.

use crate::intake::check::years_between;
use crate::intake::*;
use time::macros::date;

const TODAY: Date = date!(2025 - 06 - 02);

fn minimal() -> Value {
    serde_json::json!({
        "regions": ["lumbar"],
        "duration": {"weeks": 3},
        "pain_now": 4,
        "age": 40,
        "history": [],
        "trauma": "none",
        "symptoms": [],
        "conservative_care": {"weeks": 0},
        "surgery": {"status": "none"}
    })
}

fn with(patch: &[(&str, Value)]) -> String {
    let mut v = minimal();
    for (k, val) in patch {
        if val.is_null() {
            v.as_object_mut().map(|m| m.remove(*k));
        } else {
            v[*k] = val.clone();
        }
    }
    v.to_string()
}

fn fields(input: &str) -> Vec<String> {
    match parse(input, TODAY) {
        Ok(_) => vec![],
        Err(e) => e.fields().into_iter().map(str::to_owned).collect(),
    }
}

#[test]
fn minimal_intake_is_accepted() {
    let checked = parse(&minimal().to_string(), TODAY).expect("valid");
    assert_eq!(checked.age_years(), 40);
    assert_eq!(checked.primary_region(), Region::Lumbar);
    assert_eq!(checked.intake().duration.days(), Some(21));
}

#[test]
fn round_trips_through_json() {
    let full = with(&[
        ("regions", serde_json::json!(["thoracic", "lumbar"])),
        ("age", Value::Null),
        ("date_of_birth", serde_json::json!("1970-03-02")),
        (
            "imaging",
            serde_json::json!({"findings": [{"kind": "disc_herniation", "region": "thoracic"}]}),
        ),
        ("conservative_care", serde_json::json!({"weeks": 8, "helped": false})),
        (
            "surgery",
            serde_json::json!({"status": "scheduled", "procedure": "fusion", "date": "2025-07-01"}),
        ),
        ("lifting_limit_kg", serde_json::json!(2.5)),
        ("goals", serde_json::json!(["Garden for an hour"])),
        ("baseline", serde_json::json!({"nprs": {"score": 6}})),
    ]);
    let intake = Intake::from_json(&full).expect("parses");
    let again =
        Intake::from_json(&serde_json::to_string(&intake).expect("encodes")).expect("re-parses");
    assert_eq!(intake, again);
    assert_eq!(intake.check(TODAY).expect("valid").age_years(), 55);
}

#[test]
fn shape_errors_name_the_field() {
    let cases: &[(&[(&str, Value)], &str)] = &[
        (&[("pain_now", serde_json::json!(3.5))], "pain_now"),
        (&[("pain_now", serde_json::json!(-1))], "pain_now"),
        (&[("regions", serde_json::json!(["lumbar", "sacral"]))], "regions[1]"),
        (&[("symptoms", serde_json::json!(["fever"]))], "symptoms[0]"),
        (
            &[("surgery", serde_json::json!({"status": "done", "procedure": "fusion"}))],
            "surgery.date",
        ),
        (&[("surgery", serde_json::json!({"status": "planned"}))], "surgery"),
        (
            &[("surgery", serde_json::json!({"status": "none", "date": "2025-01-01"}))],
            "surgery.date",
        ),
        (
            &[("conservative_care", serde_json::json!({"weeks": 2, "useful": true}))],
            "conservative_care.useful",
        ),
        (
            &[(
                "imaging",
                serde_json::json!({"findings": [{"kind": "fracture"}, {"kind": "tumor"}]}),
            )],
            "imaging.findings[1]",
        ),
        (&[("trauma", Value::Null)], "trauma"),
        (&[("duration", serde_json::json!({"weeks": 2, "days": 3}))], "duration"),
        (&[("duration", serde_json::json!({"weeks": 2.5}))], "duration"),
        (&[("favourite_colour", serde_json::json!("blue"))], "favourite_colour"),
        (&[("date_of_birth", serde_json::json!("2 March 1970"))], "date_of_birth"),
    ];
    for (patch, field) in cases {
        assert_eq!(fields(&with(patch)), vec![field.to_string()], "patch {patch:?}");
    }
}

#[test]
fn syntax_errors_give_a_position() {
    let err = Intake::from_json("{\"regions\": [").expect_err("broken");
    assert!(matches!(err, IntakeError::Syntax { line: 1, .. }), "{err:?}");
    let err = Intake::from_json("[1, 2]").expect_err("not an object");
    assert_eq!(err.fields(), vec!["(root)"]);
}

#[test]
fn value_errors_are_all_reported_with_fields() {
    let input = with(&[
        ("regions", serde_json::json!([])),
        ("pain_now", serde_json::json!(11)),
        ("date_of_birth", serde_json::json!("1980-01-01")),
        ("symptoms", serde_json::json!(["fever_or_chills", "fever_or_chills"])),
        ("imaging", serde_json::json!({"findings": [{"kind": "disc_herniation"}]})),
        ("conservative_care", serde_json::json!({"weeks": 4})),
        (
            "surgery",
            serde_json::json!({"status": "done", "procedure": "fusion", "date": "2025-07-01"}),
        ),
        ("lifting_limit_kg", serde_json::json!(-2)),
        ("goals", serde_json::json!(["  "])),
    ]);
    assert_eq!(
        fields(&input),
        vec![
            "regions",
            "pain_now",
            "age",
            "symptoms[1]",
            "imaging.findings[0].region",
            "conservative_care.helped",
            "surgery.date",
            "lifting_limit_kg",
            "goals[0]",
        ]
    );
}

#[test]
fn care_answer_must_match_weeks() {
    let helped_without_care =
        with(&[("conservative_care", serde_json::json!({"weeks": 0, "helped": true}))]);
    assert_eq!(fields(&helped_without_care), vec!["conservative_care.helped"]);
}

#[test]
fn surgery_dates_are_checked_against_today() {
    let today_ok = with(&[(
        "surgery",
        serde_json::json!({"status": "scheduled", "procedure": "fusion", "date": "2025-06-02"}),
    )]);
    assert!(parse(&today_ok, TODAY).is_ok());
    let past = with(&[(
        "surgery",
        serde_json::json!({"status": "scheduled", "procedure": "fusion", "date": "2025-06-01"}),
    )]);
    assert_eq!(fields(&past), vec!["surgery.date"]);
}

#[test]
fn age_from_date_of_birth_counts_birthdays() {
    assert_eq!(years_between(date!(1970 - 06 - 02), TODAY), Some(55));
    assert_eq!(years_between(date!(1970 - 06 - 03), TODAY), Some(54));
    assert_eq!(years_between(date!(2000 - 02 - 29), date!(2025 - 02 - 28)), Some(24));
    assert_eq!(years_between(date!(2000 - 02 - 29), date!(2025 - 03 - 01)), Some(25));
    assert_eq!(years_between(date!(2025 - 06 - 03), TODAY), None);
    let old = with(&[("age", Value::Null), ("date_of_birth", serde_json::json!("1900-01-01"))]);
    assert_eq!(fields(&old), vec!["date_of_birth"]);
    let future = with(&[("age", Value::Null), ("date_of_birth", serde_json::json!("2030-01-01"))]);
    assert_eq!(fields(&future), vec!["date_of_birth"]);
}

#[test]
fn pain_score_is_bounded() {
    assert_eq!(PainScore::new(10).map(PainScore::get), Ok(10));
    assert!(PainScore::new(11).is_err());
}

#[test]
fn finding_region_matching_does_not_guess() {
    let input = with(&[("imaging", serde_json::json!({"findings": [{"kind": "fracture"}]}))]);
    let checked = parse(&input, TODAY).expect("valid");
    assert!(checked.has_finding(FindingKind::Fracture, None));
    assert!(!checked.has_finding(FindingKind::Fracture, Some(Region::Thoracic)));
}

proptest::proptest! {
    #[test]
    fn any_text_is_answered_without_panicking(input in ".{0,200}") {
        let _ = parse(&input, TODAY);
    }
}

/// The wire names serde accepts for a unit-variant enum, read from its own "unknown variant"
/// message, so the list comes from the derive itself and cannot miss a variant.
fn wire_variants<T: serde::de::DeserializeOwned>() -> Vec<String> {
    let message = match serde_json::from_str::<T>("\"no such variant\"") {
        Ok(_) => panic!("a made-up name was accepted"),
        Err(err) => err.to_string(),
    };
    let expected = message.split("expected").nth(1).unwrap_or_default();
    expected.split('`').skip(1).step_by(2).map(str::to_owned).collect()
}

/// Every enum the intake form asks about lists each variant in `ALL` exactly once, and every
/// variant has a patient label (and, where given, help text) that is not empty. The form is
/// built from these lists, so a variant missing here would be a question never asked.
#[test]
fn every_answer_the_form_offers_is_listed_once_with_words() {
    fn check<T>(
        all: &[T],
        as_str: fn(T) -> &'static str,
        label: fn(T) -> &'static str,
        help: fn(T) -> Option<&'static str>,
    ) where
        T: Copy + PartialEq + std::fmt::Debug + serde::de::DeserializeOwned,
    {
        let mut names: Vec<&str> = all.iter().map(|v| as_str(*v)).collect();
        let mut wire = wire_variants::<T>();
        assert_eq!(names.len(), wire.len(), "ALL and the wire names differ: {names:?} vs {wire:?}");
        names.sort_unstable();
        wire.sort_unstable();
        assert_eq!(names, wire, "ALL must list every variant exactly once");
        let mut labels = std::collections::BTreeSet::new();
        for v in all {
            assert!(!label(*v).trim().is_empty(), "{v:?} has no patient label");
            assert!(labels.insert(label(*v)), "{v:?} shares its label with another answer");
            assert!(help(*v).is_none_or(|h| !h.trim().is_empty()), "{v:?} has empty help");
            let read: T = serde_json::from_value(Value::from(as_str(*v))).expect("reads back");
            assert_eq!(read, *v);
        }
    }
    check(&Region::ALL, Region::as_str, Region::patient_label, Region::help);
    check(&Symptom::ALL, Symptom::as_str, Symptom::patient_label, Symptom::help);
    check(&RiskFactor::ALL, RiskFactor::as_str, RiskFactor::patient_label, RiskFactor::help);
    check(&Trauma::ALL, Trauma::as_str, Trauma::patient_label, Trauma::help);
    check(&FindingKind::ALL, FindingKind::as_str, FindingKind::patient_label, FindingKind::help);
    check(&Procedure::ALL, Procedure::as_str, Procedure::patient_label, Procedure::help);
    check(
        &SurgeryStatus::ALL,
        SurgeryStatus::as_str,
        SurgeryStatus::patient_label,
        SurgeryStatus::help,
    );
    check(
        &DurationUnit::ALL,
        DurationUnit::as_str,
        DurationUnit::patient_label,
        DurationUnit::help,
    );

    // "Did it help?" reads old booleans too, so its list is checked with a match the compiler
    // forces to name every answer.
    let position = |h: CareHelped| match h {
        CareHelped::Yes => 0,
        CareHelped::Partly => 1,
        CareHelped::No => 2,
        CareHelped::NotSure => 3,
    };
    let positions: Vec<usize> = CareHelped::ALL.iter().map(|h| position(*h)).collect();
    assert_eq!(positions, vec![0, 1, 2, 3]);
    assert!(CareHelped::ALL.iter().all(|h| !h.patient_label().is_empty()));
}

#[test]
fn unknown_answers_are_accepted_and_checked() {
    let unsure = with(&[
        ("pain_now", serde_json::json!("not_sure")),
        ("duration", serde_json::json!("not_sure")),
        ("trauma", serde_json::json!("not_sure")),
        ("symptoms_not_sure", serde_json::json!(["saddle_numbness"])),
        ("imaging", serde_json::json!({"findings": [], "findings_not_sure": true})),
        ("conservative_care", serde_json::json!({"weeks": "not_sure", "helped": "partly"})),
    ]);
    let checked = parse(&unsure, TODAY).expect("valid");
    assert_eq!(checked.pain_now(), None);
    assert!(checked.is_unsure_of(Symptom::SaddleNumbness));
    assert!(!checked.has_symptom(Symptom::SaddleNumbness));
    assert!(checked.imaging_findings_not_sure());
    let again = serde_json::to_string(checked.intake()).expect("encodes");
    assert_eq!(Intake::from_json(&again).expect("re-reads"), *checked.intake());

    type Case<'a> = (&'a [(&'a str, Value)], &'a [&'a str]);
    let cases: &[Case<'_>] = &[
        (&[("duration", serde_json::json!({"months": 3}))], &[]),
        (&[("duration", serde_json::json!({"years": 200}))], &["duration"]),
        (&[("duration", serde_json::json!({"fortnights": 2}))], &["duration"]),
        (&[("pain_now", serde_json::json!("unknown"))], &["pain_now"]),
        (
            &[("conservative_care", serde_json::json!({"weeks": "not_sure"}))],
            &["conservative_care.helped"],
        ),
        (
            &[("conservative_care", serde_json::json!({"weeks": 3, "helped": "maybe"}))],
            &["conservative_care"],
        ),
        (&[("conservative_care", serde_json::json!({"weeks": 3, "helped": false}))], &[]),
        (
            &[
                ("symptoms", serde_json::json!(["fever_or_chills"])),
                ("symptoms_not_sure", serde_json::json!(["fever_or_chills"])),
            ],
            &["symptoms_not_sure[0]"],
        ),
        (&[("symptoms_not_sure", serde_json::json!(["fever"]))], &["symptoms_not_sure[0]"]),
    ];
    for (patch, expected) in cases {
        assert_eq!(fields(&with(patch)), *expected, "{patch:?}");
    }
}

/// The demo clinic's intakes and the documented examples are written in the older forms
/// (`helped: true/false`, durations in days or weeks); they must keep reading the same.
#[test]
fn older_documents_still_read() {
    let old = with(&[("conservative_care", serde_json::json!({"weeks": 8, "helped": false}))]);
    let intake = Intake::from_json(&old).expect("reads");
    assert_eq!(intake.conservative_care.helped, Some(CareHelped::No));
    assert_eq!(intake.conservative_care.weeks, Answer::Known(8));
    assert_eq!(intake.pain_now, Answer::Known(4));
}
