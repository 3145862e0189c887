//! Worked examples for every instrument, band edges, item-naming validation errors, and
//! property tests over generated valid answers.

use super::*;
use InstrumentId::*;

fn answers(values: &[f64]) -> Vec<Option<f64>> {
    values.iter().map(|&v| Some(v)).collect()
}

#[track_caller]
fn ok(instrument: InstrumentId, answers: &[Option<f64>]) -> ScoreResult {
    score(instrument, answers).unwrap_or_else(|e| panic!("{e}"))
}

#[track_caller]
fn err(instrument: InstrumentId, answers: &[Option<f64>]) -> String {
    match score(instrument, answers) {
        Ok(result) => panic!("expected an error, got {result:?}"),
        Err(e) => e.to_string(),
    }
}

#[track_caller]
fn assert_close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
}

/// Ten ODI/NDI sections summing to `total`, spread as evenly as possible.
fn sections(total: u32) -> Vec<Option<f64>> {
    (0..10u32).map(|i| Some(f64::from(total / 10 + u32::from(i < total % 10)))).collect()
}

// NPRS ----------------------------------------------------------------------------------------

#[test]
fn nprs_score_is_the_rating_and_bands_follow_the_edges() {
    for (pain, band) in [
        (0.0, Band::None),
        (1.0, Band::Mild),
        (3.0, Band::Mild),
        (4.0, Band::Moderate),
        (6.0, Band::Moderate),
        (7.0, Band::Severe),
        (10.0, Band::Severe),
    ] {
        let r = ok(Nprs, &[Some(pain)]);
        assert_eq!((r.score, r.band), (pain, Some(band)), "pain {pain}");
        assert!(r.alerts.is_empty() && r.subscores.is_none());
    }
}

// ODI -----------------------------------------------------------------------------------------

#[test]
fn odi_all_sections_16_of_50_is_32_percent() {
    let r = ok(Odi, &answers(&[2.0, 1.0, 2.0, 2.0, 1.0, 2.0, 2.0, 0.0, 2.0, 2.0]));
    assert_eq!(r.score, 32.0);
    assert_eq!(r.band, Some(Band::Moderate));
    assert_eq!(
        r.subscores,
        Some(Subscores::Odi { answered_sections: 10, points: 16, possible_points: 50 })
    );
}

#[test]
fn odi_one_skipped_section_16_of_45_is_35_6_percent() {
    let r = ok(
        Odi,
        &[2.0, 1.0, 2.0, 2.0, 1.0, 2.0, 2.0, -1.0, 2.0, 2.0].map(|v| (v >= 0.0).then_some(v)),
    );
    assert_close(r.score, 35.555_555_555_555_56);
    assert_eq!(format!("{:.1}", r.score), "35.6");
    assert_eq!(
        r.subscores,
        Some(Subscores::Odi { answered_sections: 9, points: 16, possible_points: 45 })
    );
}

#[test]
fn odi_two_skipped_sections_16_of_40_is_40_percent() {
    let mut a = answers(&[2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 0.0, 2.0, 0.0]);
    a[7] = None;
    a[9] = None;
    let r = ok(Odi, &a);
    assert_eq!(r.score, 40.0);
    assert_eq!(r.band, Some(Band::Moderate), "40 % is the top of moderate");
    assert_eq!(
        r.subscores,
        Some(Subscores::Odi { answered_sections: 8, points: 16, possible_points: 40 })
    );
}

#[test]
fn odi_three_skipped_sections_is_an_error_naming_them() {
    let mut a = sections(16);
    a[1] = None;
    a[4] = None;
    a[7] = None;
    assert_eq!(
        err(Odi, &a),
        "odi needs at least 8 of its 10 sections answered, but 3 are missing: \
         2 (`personal_care`), 5 (`sitting`), 8 (`sex_life`)"
    );
}

#[test]
fn odi_band_edges() {
    for (points, band) in [
        (0, Band::Minimal),
        (10, Band::Minimal),
        (11, Band::Moderate),
        (20, Band::Moderate),
        (21, Band::Severe),
        (30, Band::Severe),
        (31, Band::Crippled),
        (40, Band::Crippled),
        (41, Band::BedBound),
        (50, Band::BedBound),
    ] {
        let r = ok(Odi, &sections(points));
        assert_eq!(r.score, f64::from(points * 2));
        assert_eq!(r.band, Some(band), "{points}/50");
    }
    // 9 of 45 is exactly 20 %: minimal, not pushed into moderate by rounding.
    let mut a = sections(9);
    a[9] = None;
    assert_eq!(a.iter().flatten().sum::<f64>(), 9.0);
    let r = ok(Odi, &a);
    assert_eq!((r.score, r.band), (20.0, Some(Band::Minimal)));
}

// NDI -----------------------------------------------------------------------------------------

#[test]
fn ndi_raw_total_out_of_50_with_percent() {
    let r = ok(Ndi, &sections(16));
    assert_eq!(r.score, 16.0);
    assert_eq!(r.band, Some(Band::Moderate));
    assert_eq!(
        r.subscores,
        Some(Subscores::Ndi { answered_sections: 10, points: 16, percent: 32.0 })
    );
}

#[test]
fn ndi_skipped_section_is_filled_with_the_mean_of_the_others() {
    let mut a = sections(16);
    a[9] = None; // sections(16) puts 1 in the last section, so 15 points remain over 9.
    let r = ok(Ndi, &a);
    assert_close(r.score, 15.0 * 10.0 / 9.0);
    assert_eq!(r.band, Some(Band::Moderate), "16.7 ≥ 15");
    let Some(Subscores::Ndi { answered_sections, points, percent }) = r.subscores else {
        panic!("{r:?}")
    };
    assert_eq!((answered_sections, points), (9, 15));
    assert_close(percent, 2.0 * 15.0 * 10.0 / 9.0);

    a[0] = None;
    assert_eq!(
        ok(Ndi, &a).subscores.map(|s| matches!(s, Subscores::Ndi { answered_sections: 8, .. })),
        Some(true)
    );
    a[1] = None;
    assert!(
        err(Ndi, &a)
            .starts_with("ndi needs at least 8 of its 10 sections answered, but 3 are missing")
    );
}

#[test]
fn ndi_band_edges() {
    for (points, band) in [
        (0, Band::None),
        (4, Band::None),
        (5, Band::Mild),
        (14, Band::Mild),
        (15, Band::Moderate),
        (24, Band::Moderate),
        (25, Band::Severe),
        (34, Band::Severe),
        (35, Band::Complete),
        (50, Band::Complete),
    ] {
        let r = ok(Ndi, &sections(points));
        assert_eq!((r.score, r.band), (f64::from(points), Some(band)), "{points}");
    }
    // A filled-in score between bands stays in the lower band until it reaches the edge:
    // 4 points over 9 sections is 4.4, still "none".
    let mut a = sections(4);
    a[9] = None;
    let r = ok(Ndi, &a);
    assert_eq!(r.band, Some(Band::None), "{}", r.score);
}

// PSFS ----------------------------------------------------------------------------------------

#[test]
fn psfs_mean_of_three_and_of_five_activities() {
    let r = ok(Psfs, &answers(&[3.0, 5.0, 7.0]));
    assert_eq!(r.score, 5.0);
    assert_eq!(r.band, None);
    assert_eq!(r.subscores, Some(Subscores::Psfs { activities: 3 }));

    let r = ok(Psfs, &answers(&[2.0, 4.0, 6.0, 8.0, 9.0]));
    assert_close(r.score, 5.8);
    assert_eq!(r.subscores, Some(Subscores::Psfs { activities: 5 }));

    let r = ok(Psfs, &answers(&[0.0, 0.0, 1.0, 10.0]));
    assert_close(r.score, 2.75);
}

#[test]
fn psfs_count_and_missing_errors() {
    assert_eq!(
        err(Psfs, &answers(&[3.0, 5.0])),
        "psfs expects 3 to 5 answers, got 2: answer 3 (item `activity_3`) is missing; send at \
         least 3 ratings"
    );
    assert_eq!(
        err(Psfs, &answers(&[1.0; 6])),
        "psfs expects 3 to 5 answers, got 6: answers after number 5 have no item"
    );
    assert_eq!(
        err(Psfs, &[Some(3.0), None, Some(4.0)]),
        "psfs answer 2 (item `activity_2`): no answer, but this item must be answered; allowed: \
         a whole number from 0 to 10"
    );
}

// PHQ-9 ---------------------------------------------------------------------------------------

/// Nine PHQ-9 answers summing to `total` with item 9 at 0 (items 1–8 carry up to 24).
fn phq9(total: u32) -> Vec<Option<f64>> {
    let mut a: Vec<Option<f64>> =
        (0..8u32).map(|i| Some(f64::from((total / 8 + u32::from(i < total % 8)).min(3)))).collect();
    a.push(Some(0.0));
    a
}

#[test]
fn phq9_band_edges() {
    for (total, band) in [
        (0, Band::Minimal),
        (4, Band::Minimal),
        (5, Band::Mild),
        (9, Band::Mild),
        (10, Band::Moderate),
        (14, Band::Moderate),
        (15, Band::ModeratelySevere),
        (19, Band::ModeratelySevere),
        (20, Band::Severe),
        (24, Band::Severe),
    ] {
        let r = ok(Phq9, &phq9(total));
        assert_eq!((r.score, r.band), (f64::from(total), Some(band)), "{total}");
        assert!(r.alerts.is_empty());
    }
    let r = ok(Phq9, &answers(&[3.0; 9]));
    assert_eq!((r.score, r.band), (27.0, Some(Band::Severe)));
}

#[test]
fn phq9_item9_above_zero_raises_an_alert_whatever_the_total() {
    let mut a = answers(&[0.0; 9]);
    a[8] = Some(1.0);
    let r = ok(Phq9, &a);
    assert_eq!((r.score, r.band), (1.0, Some(Band::Minimal)));
    assert_eq!(r.alerts.len(), 1);
    assert_eq!(r.alerts[0].code, AlertCode::Phq9Item9);
    assert_eq!(
        r.alerts[0].message,
        "The patient reported thoughts of death or of harming themselves (PHQ-9 item 9 answered \
         1, \"On a few days\"). Contact the patient today to assess their safety, following the \
         clinic's suicide-risk procedure; do not wait for the next scheduled review."
    );
    a[8] = Some(3.0);
    assert!(ok(Phq9, &a).alerts[0].message.contains("answered 3, \"Almost every day\""));
}

#[test]
fn phq9_items_may_not_be_skipped() {
    let mut a = answers(&[1.0; 9]);
    a[8] = None;
    assert_eq!(
        err(Phq9, &a),
        "phq9 answer 9 (item `self_harm`): no answer, but this item must be answered; allowed: \
         one of 0 (Never), 1 (On a few days), 2 (On more days than not), 3 (Almost every day)"
    );
}

// GAD-7 ---------------------------------------------------------------------------------------

#[test]
fn gad7_band_edges_and_positive_screen() {
    for (total, band, positive) in [
        (0, Band::Minimal, false),
        (4, Band::Minimal, false),
        (5, Band::Mild, false),
        (9, Band::Mild, false),
        (10, Band::Moderate, true),
        (14, Band::Moderate, true),
        (15, Band::Severe, true),
        (21, Band::Severe, true),
    ] {
        let a: Vec<Option<f64>> =
            (0..7u32).map(|i| Some(f64::from(total / 7 + u32::from(i < total % 7)))).collect();
        let r = ok(Gad7, &a);
        assert_eq!((r.score, r.band), (f64::from(total), Some(band)), "{total}");
        assert_eq!(r.subscores, Some(Subscores::Gad7 { positive_screen: positive }));
    }
}

// WPAI ----------------------------------------------------------------------------------------

fn wpai(r: &ScoreResult) -> &WpaiScores {
    match &r.subscores {
        Some(Subscores::Wpai(w)) => w,
        other => panic!("{other:?}"),
    }
}

#[test]
fn wpai_employed() {
    // 4 h missed for the problem, 2 h for other reasons, 36 h worked, work impact 5, activity 6.
    let r = ok(Wpai, &answers(&[1.0, 4.0, 2.0, 36.0, 5.0, 6.0]));
    assert_eq!(r.score, 60.0, "headline is activity impairment");
    assert_eq!(r.band, None);
    assert_eq!(
        wpai(&r),
        &WpaiScores {
            employed: true,
            absenteeism: Some(10.0),
            presenteeism: Some(50.0),
            overall_work_impairment: Some(55.0),
            activity_impairment: 60.0,
        }
    );
    // Fractions of hours are accepted.
    let r = ok(Wpai, &answers(&[1.0, 7.5, 0.0, 30.0, 3.0, 3.0]));
    assert_close(wpai(&r).absenteeism.unwrap(), 20.0);
    assert_close(wpai(&r).overall_work_impairment.unwrap(), 20.0 + 80.0 * 0.3);
}

#[test]
fn wpai_not_employed_has_only_activity_impairment() {
    let r = ok(Wpai, &[Some(0.0), None, None, None, None, Some(4.0)]);
    assert_eq!(r.score, 40.0);
    assert_eq!(
        wpai(&r),
        &WpaiScores {
            employed: false,
            absenteeism: None,
            presenteeism: None,
            overall_work_impairment: None,
            activity_impairment: 40.0,
        }
    );
}

#[test]
fn wpai_employed_but_no_hours_worked() {
    // Off sick all week: absenteeism and overall are 100 %, presenteeism has nothing to rate.
    let r = ok(Wpai, &[Some(1.0), Some(40.0), Some(0.0), Some(0.0), None, Some(7.0)]);
    let w = wpai(&r);
    assert_eq!(
        (w.absenteeism, w.presenteeism, w.overall_work_impairment),
        (Some(100.0), None, Some(100.0))
    );
    // On holiday all week: no work hours either way, so no work scores at all.
    let r = ok(Wpai, &[Some(1.0), Some(0.0), Some(40.0), Some(0.0), None, Some(3.0)]);
    let w = wpai(&r);
    assert_eq!((w.absenteeism, w.presenteeism, w.overall_work_impairment), (None, None, None));
    assert_eq!(r.score, 30.0);
}

#[test]
fn wpai_skip_logic_errors_name_the_item() {
    assert_eq!(
        err(Wpai, &[Some(0.0), Some(3.0), None, None, None, Some(4.0)]),
        "wpai answer 2 (item `hours_missed_problem`): must be null (not asked) because answer 1 \
         (`employed`) is 0 (not in paid work); allowed: null"
    );
    assert_eq!(
        err(Wpai, &[Some(1.0), Some(3.0), None, Some(30.0), Some(2.0), Some(4.0)]),
        "wpai answer 3 (item `hours_missed_other`): no answer, but this item must be answered \
         because answer 1 (`employed`) is 1 (in paid work); allowed: a number of hours from 0 \
         to 168"
    );
    assert_eq!(
        err(Wpai, &[Some(1.0), Some(3.0), Some(0.0), Some(30.0), None, Some(4.0)]),
        "wpai answer 5 (item `work_impact`): no answer, but this item must be answered because \
         answer 4 (`hours_worked`) is more than 0; allowed: a whole number from 0 to 10"
    );
    assert_eq!(
        err(Wpai, &[Some(1.0), Some(40.0), Some(0.0), Some(0.0), Some(5.0), Some(4.0)]),
        "wpai answer 5 (item `work_impact`): must be null (not asked) because answer 4 \
         (`hours_worked`) is 0: there was no work to rate; allowed: null"
    );
    assert_eq!(
        err(Wpai, &[Some(1.0), Some(100.0), Some(0.0), Some(100.0), Some(5.0), Some(4.0)]),
        "wpai answer 4 (item `hours_worked`): answers 2 to 4 add up to 200 hours, more than the \
         168 hours in a week; allowed: a number of hours from 0 to 168"
    );
    assert_eq!(
        err(Wpai, &[None, None, None, None, None, Some(4.0)]),
        "wpai answer 1 (item `employed`): no answer, but this item must be answered; allowed: \
         one of 0 (No), 1 (Yes)"
    );
    assert_eq!(
        err(Wpai, &[Some(0.0), None, None, None, None, None]),
        "wpai answer 6 (item `activity_impact`): no answer, but this item must be answered; \
         allowed: a whole number from 0 to 10"
    );
    assert!(
        err(Wpai, &[Some(1.0), Some(-1.0), Some(0.0), Some(1.0), Some(1.0), Some(1.0)])
            .starts_with(
                "wpai answer 2 (item `hours_missed_problem`): -1 is not an allowed answer"
            )
    );
}

// PGIC ----------------------------------------------------------------------------------------

#[test]
fn pgic_responder_is_much_or_very_much_better() {
    for (rating, responder) in [(1.0, true), (2.0, true), (3.0, false), (4.0, false), (7.0, false)]
    {
        let r = ok(Pgic, &[Some(rating)]);
        assert_eq!(r.score, rating);
        assert_eq!(r.responder(), Some(responder), "{rating}");
        assert_eq!(r.band, Some(if responder { Band::Responder } else { Band::NonResponder }));
    }
    assert_eq!(ok(Nprs, &[Some(1.0)]).responder(), None);
    assert!(err(Pgic, &[Some(0.0)]).starts_with("pgic answer 1 (item `change`): 0 is not an allowed answer; allowed: one of 1 (Very much better)"));
}

// STarT Back ----------------------------------------------------------------------------------

/// Items 1–8 agree (1) or disagree (0), then item 9 rated 0–4.
fn start_back(agree: [u8; 8], bother: u8) -> Vec<Option<f64>> {
    agree.iter().map(|&a| Some(f64::from(a))).chain([Some(f64::from(bother))]).collect()
}

#[test]
fn start_back_low_medium_high() {
    let cases = [
        // Three physical items: total 3, low.
        (start_back([1, 1, 1, 0, 0, 0, 0, 0], 2), 3, 0, Band::Low),
        // Total exactly 3 with a psychosocial 3 is still low: the subscale is read only above 3.
        (start_back([0, 0, 0, 0, 1, 1, 0, 0], 4), 3, 3, Band::Low),
        // Total 4, psychosocial 3: medium.
        (start_back([1, 0, 0, 0, 1, 1, 1, 0], 0), 4, 3, Band::Medium),
        // Total 8, psychosocial 3: medium.
        (start_back([1, 1, 1, 1, 1, 1, 0, 0], 3), 7, 3, Band::Medium),
        // Psychosocial 4: high.
        (start_back([0, 0, 0, 0, 1, 1, 1, 1], 0), 4, 4, Band::High),
        (start_back([1; 8], 4), 9, 5, Band::High),
        (start_back([0; 8], 0), 0, 0, Band::Low),
    ];
    for (a, total, psychosocial, band) in cases {
        let r = ok(StartBack, &a);
        assert_eq!(r.score, f64::from(total), "{a:?}");
        assert_eq!(r.band, Some(band), "{a:?}");
        assert_eq!(r.subscores, Some(Subscores::StartBack { total, psychosocial }), "{a:?}");
    }
}

#[test]
fn start_back_item9_counts_only_for_very_or_extremely() {
    for (bother, counts) in [(0, 0), (1, 0), (2, 0), (3, 1), (4, 1)] {
        let r = ok(StartBack, &start_back([0; 8], bother));
        assert_eq!(r.score, f64::from(counts), "bothersomeness {bother}");
    }
    assert!(err(StartBack, &start_back([2, 0, 0, 0, 0, 0, 0, 0], 0))
        .starts_with("startback answer 1 (item `leg_pain`): 2 is not an allowed answer; allowed: one of 0 (Disagree), 1 (Agree)"));
}

// Satisfaction --------------------------------------------------------------------------------

#[test]
fn satisfaction_is_the_rating() {
    let r = ok(Satisfaction, &[Some(8.0)]);
    assert_eq!((r.score, r.band, r.subscores), (8.0, None, None));
    assert!(err(Satisfaction, &[Some(11.0)]).contains("11 is not an allowed answer"));
}

// Validation ----------------------------------------------------------------------------------

#[test]
fn out_of_range_names_the_item_and_what_is_allowed() {
    let mut a = sections(10);
    a[2] = Some(6.0);
    assert_eq!(
        err(Odi, &a),
        "odi answer 3 (item `lifting`): 6 is not an allowed answer; allowed: one of 0 (0: none), \
         1 (1: slight), 2 (2: moderate), 3 (3: marked), 4 (4: severe), 5 (5: extreme), or null \
         to skip the section"
    );
    assert_eq!(
        err(Nprs, &[Some(-1.0)]),
        "nprs answer 1 (item `pain`): -1 is not an allowed answer; allowed: a whole number from 0 \
         to 10"
    );
}

#[test]
fn fractions_are_refused_where_whole_numbers_are_required() {
    assert_eq!(
        err(Nprs, &[Some(2.5)]),
        "nprs answer 1 (item `pain`): 2.5 is not a whole number; allowed: a whole number from 0 \
         to 10"
    );
    let mut a = answers(&[1.0; 9]);
    a[3] = Some(1.5);
    assert!(err(Phq9, &a).starts_with("phq9 answer 4 (item `energy`): 1.5 is not a whole number"));
}

#[test]
fn non_finite_values_are_refused() {
    assert_eq!(
        err(Nprs, &[Some(f64::NAN)]),
        "nprs answer 1 (item `pain`): the answer is not a finite number; allowed: a whole number \
         from 0 to 10"
    );
    assert!(
        score(Wpai, &[Some(1.0), Some(f64::INFINITY), Some(0.0), Some(1.0), Some(1.0), Some(1.0)])
            .is_err()
    );
}

#[test]
fn wrong_counts_name_the_first_missing_item_or_the_extra() {
    assert_eq!(
        err(Odi, &sections(10)[..9]),
        "odi expects 10 answers, got 9: answer 10 (item `travelling`) is missing; send null for \
         an unanswered item"
    );
    let mut a = sections(10);
    a.push(Some(1.0));
    a.push(Some(1.0));
    assert_eq!(
        err(Odi, &a),
        "odi expects 10 answers, got 12: answers after number 10 have no item"
    );
    assert_eq!(
        score(Nprs, &[]),
        Err(ScoreError::TooFewAnswers {
            instrument: Nprs,
            expected: AnswerCount { min: 1, max: 1 },
            got: 0,
            next_position: 1,
            next_item: "pain".into(),
        })
    );
}

#[test]
fn errors_are_structured_as_well_as_worded() {
    assert_eq!(
        score(Gad7, &answers(&[0.0, 0.0, 0.0, 4.0, 0.0, 0.0, 0.0])),
        Err(ScoreError::InvalidAnswer {
            instrument: Gad7,
            position: 4,
            item: "trouble_relaxing".into(),
            problem: AnswerProblem::OutOfRange { value: 4.0 },
            allowed: "one of 0 (Never), 1 (On a few days), 2 (On more days than not), 3 (Almost \
                      every day)"
                .into(),
        })
    );
}

#[test]
fn result_serialises_with_band_subscores_and_alerts() {
    let r = ok(StartBack, &start_back([1, 0, 0, 0, 1, 1, 1, 1], 0));
    assert_eq!(
        serde_json::to_value(&r).unwrap(),
        serde_json::json!({
            "instrument": "startback",
            "score": 5,
            "band": "high",
            "subscores": {"total": 5, "psychosocial": 4},
            "alerts": []
        })
    );
}

// Properties ----------------------------------------------------------------------------------

mod properties {
    use proptest::{prelude::*, sample::Index};

    use super::*;

    fn value(response: &Response) -> BoxedStrategy<f64> {
        match response {
            Response::Options(options) => {
                let values: Vec<f64> = options.iter().map(|o| f64::from(o.value)).collect();
                proptest::sample::select(values).boxed()
            }
            Response::Scale(s) => (s.min..=s.max).prop_map(f64::from).boxed(),
            Response::Hours(h) => (0..=h.max * 2).prop_map(|half| f64::from(half) / 2.0).boxed(),
        }
    }

    /// Whole-number answers an item accepts, in order (none for hours).
    fn choices(instrument: InstrumentId, index: usize) -> Vec<f64> {
        let items = Instrument::builtin(instrument).items();
        let item = if instrument == Psfs { items.first() } else { items.get(index) };
        match item.map(|i| &i.response) {
            Some(Response::Options(options)) => {
                options.iter().map(|o| f64::from(o.value)).collect()
            }
            Some(Response::Scale(s)) => (s.min..=s.max).map(f64::from).collect(),
            _ => Vec::new(),
        }
    }

    /// Any answers the instrument accepts: every item in range, up to two ODI/NDI sections
    /// skipped, 3–5 PSFS activities, WPAI following its skip rules.
    fn valid(instrument: InstrumentId) -> BoxedStrategy<Vec<Option<f64>>> {
        let items = Instrument::builtin(instrument).items();
        let all: Vec<BoxedStrategy<f64>> = items.iter().map(|i| value(&i.response)).collect();
        match instrument {
            Psfs => proptest::collection::vec(0..=10u8, 3..=5)
                .prop_map(|v| v.into_iter().map(|x| Some(f64::from(x))).collect())
                .boxed(),
            Odi | Ndi => (all, proptest::sample::subsequence((0..10).collect::<Vec<_>>(), 0..=2))
                .prop_map(|(values, skipped)| {
                    values
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| (!skipped.contains(&i)).then_some(v))
                        .collect()
                })
                .boxed(),
            Wpai => {
                // A third of a week each keeps the three hour answers within 168 together.
                let hours = || (0..=112u32).prop_map(|half| f64::from(half) / 2.0);
                prop_oneof![
                    (0..=10u8).prop_map(|q6| vec![
                        Some(0.0),
                        None,
                        None,
                        None,
                        None,
                        Some(f64::from(q6))
                    ]),
                    (hours(), hours(), hours(), 0..=10u8, 0..=10u8).prop_map(
                        |(q2, q3, q4, q5, q6)| vec![
                            Some(1.0),
                            Some(q2),
                            Some(q3),
                            Some(q4),
                            (q4 > 0.0).then_some(f64::from(q5)),
                            Some(f64::from(q6)),
                        ]
                    ),
                ]
                .boxed()
            }
            _ => all.prop_map(|v| v.into_iter().map(Some).collect()).boxed(),
        }
    }

    fn any_valid() -> impl Strategy<Value = (InstrumentId, Vec<Option<f64>>)> {
        proptest::sample::select(InstrumentId::ALL.to_vec())
            .prop_flat_map(|id| valid(id).prop_map(move |a| (id, a)))
    }

    fn in_percent(v: Option<f64>) -> bool {
        v.is_none_or(|v| (0.0..=100.0).contains(&v))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn valid_answers_score_within_the_scale((id, answers) in any_valid()) {
            let r = score(id, &answers).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let scale = id.scale();
            prop_assert!(r.score >= scale.min && r.score <= scale.max, "{} {}", id, r.score);
            let banded = !matches!(id, Psfs | Wpai | Satisfaction);
            prop_assert_eq!(r.band.is_some(), banded);
            prop_assert_eq!(r.instrument, id);
            if let Some(Subscores::Wpai(w)) = &r.subscores {
                prop_assert!(in_percent(w.absenteeism) && in_percent(w.presenteeism));
                prop_assert!(in_percent(w.overall_work_impairment));
                prop_assert!(in_percent(Some(w.activity_impairment)));
                prop_assert_eq!(w.absenteeism.is_some(), w.overall_work_impairment.is_some());
            }
            if let Some(Subscores::StartBack { total, psychosocial }) = r.subscores {
                prop_assert!(psychosocial <= 5 && psychosocial <= total && total <= 9);
            }
            // Scoring is a pure function of its input.
            prop_assert_eq!(score(id, &answers), Ok(r));
        }

        /// Raising any one answer never lowers a sum or mean score. WPAI is not a sum (its
        /// headline is one item), so it is covered by the next property instead.
        #[test]
        fn raising_one_answer_never_lowers_the_score(
            (id, answers) in any_valid().prop_filter("not WPAI", |(id, _)| *id != Wpai),
            which in any::<Index>(),
            to in any::<Index>(),
        ) {
            let i = which.index(answers.len());
            let Some(current) = answers[i] else { return Ok(()) };
            let higher: Vec<f64> = choices(id, i).into_iter().filter(|&v| v > current).collect();
            if higher.is_empty() {
                return Ok(());
            }
            let mut raised = answers.clone();
            raised[i] = Some(higher[to.index(higher.len())]);
            let before = score(id, &answers).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let after = score(id, &raised).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(after.score >= before.score, "{} {:?} -> {:?}", id, answers, raised);
        }

        #[test]
        fn wpai_more_impact_never_lowers_impairment(
            q2 in 0..=50u8, q4 in 1..=50u8, q5 in 0..10u8, q6 in 0..10u8
        ) {
            let base = [1.0, f64::from(q2), 0.0, f64::from(q4), f64::from(q5), f64::from(q6)];
            let scores = |a: [f64; 6]| score(Wpai, &answers(&a)).map(|r| r.subscores);
            let (Ok(Some(Subscores::Wpai(before))), Ok(Some(Subscores::Wpai(at_work))), Ok(Some(Subscores::Wpai(at_home)))) = (
                scores(base),
                scores([base[0], base[1], base[2], base[3], base[4] + 1.0, base[5]]),
                scores([base[0], base[1], base[2], base[3], base[4], base[5] + 1.0]),
            ) else {
                return Err(TestCaseError::fail("valid WPAI answers failed to score"));
            };
            prop_assert!(at_work.overall_work_impairment >= before.overall_work_impairment);
            prop_assert!(at_work.presenteeism > before.presenteeism);
            prop_assert!(at_home.activity_impairment > before.activity_impairment);
        }

        /// No input panics: any instrument, any count, any numbers including NaN and ±∞.
        #[test]
        fn arbitrary_answers_never_panic(
            id in proptest::sample::select(InstrumentId::ALL.to_vec()),
            answers in proptest::collection::vec(proptest::option::of(any::<f64>()), 0..12),
        ) {
            if let Ok(r) = score(id, &answers) {
                prop_assert!(r.score.is_finite());
            }
        }

        #[test]
        fn arbitrary_json_never_panics(id in "[a-z0-9]{0,12}", input in ".{0,64}") {
            let _ = crate::questionnaire::score_json(&id, &input);
            let _ = crate::questionnaire::score_json("odi", &format!("{{\"answers\": [{input}]}}"));
        }

        /// A single out-of-range value anywhere is refused, naming its position.
        #[test]
        fn one_bad_value_is_reported_at_its_position(
            (id, mut broken) in any_valid(), which in any::<Index>(), bad in 11.0..1000.0f64
        ) {
            let i = which.index(broken.len());
            broken[i] = Some(if id == Wpai && (1..=3).contains(&i) { bad + 168.0 } else { bad });
            match score(id, &broken) {
                Err(ScoreError::InvalidAnswer { position, .. }) => prop_assert_eq!(position, i + 1),
                other => prop_assert!(false, "{} {:?}: {:?}", id, broken, other),
            }
        }
    }
}
