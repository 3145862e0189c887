//! Meaningful change between a baseline and a follow-up score of the same instrument: the
//! minimal clinically important difference (MCID) per instrument, and a classification that
//! says which rule decided it.

use std::fmt;

use serde::Serialize;

use super::instrument::{InstrumentId, ScoreUnit};

/// Which way a score moves when the patient gets better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Pain, disability, depression, anxiety, impairment, risk, PGIC (1 = very much better).
    LowerIsBetter,
    /// PSFS and satisfaction.
    HigherIsBetter,
}

/// The direction of improvement for an instrument's headline score.
pub fn direction(instrument: InstrumentId) -> Direction {
    match instrument {
        InstrumentId::Psfs | InstrumentId::Satisfaction => Direction::HigherIsBetter,
        InstrumentId::Nprs
        | InstrumentId::Odi
        | InstrumentId::Ndi
        | InstrumentId::Phq9
        | InstrumentId::Gad7
        | InstrumentId::Wpai
        | InstrumentId::Pgic
        | InstrumentId::StartBack => Direction::LowerIsBetter,
    }
}

/// The smallest change that counts as meaningful, in the units of the headline score.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "rule")]
pub enum Mcid {
    /// At least `points`, or at least `percent` % of the baseline: either is enough.
    PointsOrPercent {
        /// Absolute threshold.
        points: f64,
        /// Threshold relative to the baseline, in percent.
        percent: f64,
    },
    /// At least `points`.
    Points {
        /// Absolute threshold.
        points: f64,
    },
    /// At least `percent` % of the baseline.
    Percent {
        /// Threshold relative to the baseline, in percent.
        percent: f64,
    },
    /// Graded thresholds; reaching `small` is meaningful, and the size is reported.
    Graded {
        /// Small change.
        small: f64,
        /// Medium change.
        medium: f64,
        /// Large change.
        large: f64,
    },
    /// The instrument rates change itself (PGIC); there is no baseline to compare with.
    SelfRated,
    /// No MCID has been established (WPAI, STarT Back).
    NotEstablished,
}

impl fmt::Display for Mcid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mcid::PointsOrPercent { points, percent } => {
                write!(f, "{} points or {}% of baseline", num(*points), num(*percent))
            }
            Mcid::Points { points } => write!(f, "{} points", num(*points)),
            Mcid::Percent { percent } => write!(f, "{}% of baseline", num(*percent)),
            Mcid::Graded { small, medium, large } => write!(
                f,
                "{} points (small), {} (medium), {} (large)",
                num(*small),
                num(*medium),
                num(*large)
            ),
            Mcid::SelfRated => f.write_str("none: the instrument rates change itself"),
            Mcid::NotEstablished => f.write_str("none established"),
        }
    }
}

/// The MCID Physio applies to an instrument's headline score.
///
/// Sources are in docs/questionnaires.md. NPRS, ODI, NDI, PSFS, PHQ-9 and GAD-7 follow the
/// clinical literature. Satisfaction has no published MCID; Physio applies the NPRS points
/// threshold (2 of 10) by analogy, as a platform choice. WPAI and STarT Back have none (STarT
/// Back is a risk screen: compare its risk groups), and PGIC is a change rating itself.
pub fn mcid(instrument: InstrumentId) -> Mcid {
    match instrument {
        InstrumentId::Nprs => Mcid::PointsOrPercent { points: 2.0, percent: 30.0 },
        InstrumentId::Odi => Mcid::PointsOrPercent { points: 10.0, percent: 30.0 },
        InstrumentId::Ndi => Mcid::Points { points: 5.0 },
        InstrumentId::Psfs => Mcid::Graded { small: 1.3, medium: 2.3, large: 2.7 },
        InstrumentId::Phq9 | InstrumentId::Gad7 => Mcid::Percent { percent: 20.0 },
        InstrumentId::Satisfaction => Mcid::Points { points: 2.0 },
        InstrumentId::Pgic => Mcid::SelfRated,
        InstrumentId::Wpai | InstrumentId::StartBack => Mcid::NotEstablished,
    }
}

/// The verdict on a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Better by at least the MCID.
    Improved,
    /// Less than the MCID either way.
    Unchanged,
    /// Worse by at least the MCID.
    Worse,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Change::Improved => "improved",
            Change::Unchanged => "unchanged",
            Change::Worse => "worse",
        })
    }
}

/// Which part of the MCID the change reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// The absolute threshold.
    Points,
    /// The threshold relative to the baseline.
    Percent,
}

/// For graded MCIDs (PSFS): how large the meaningful change is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeSize {
    /// At least the small threshold.
    Small,
    /// At least the medium threshold.
    Medium,
    /// At least the large threshold.
    Large,
}

/// A classified change, with the numbers and the rule that decided it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeAssessment {
    /// Which instrument.
    pub instrument: InstrumentId,
    /// The verdict.
    pub change: Change,
    /// How much better the follow-up is, in score units; negative when worse.
    pub improvement: f64,
    /// `improvement` as a percentage of the baseline; `None` when the baseline is 0.
    pub percent_of_baseline: Option<f64>,
    /// Which threshold was reached; `None` when unchanged.
    pub criterion: Option<Criterion>,
    /// For graded MCIDs, the size of a meaningful change.
    pub size: Option<ChangeSize>,
    /// The rule applied.
    pub mcid: Mcid,
    /// One sentence for the clinician, e.g. "improved: 7 → 4 is 3 points better, which reaches
    /// the MCID of 2 points or 30% of baseline".
    pub explanation: String,
}

/// Why a change could not be classified.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ChangeError {
    /// The instrument has no established MCID (WPAI, STarT Back).
    #[error(
        "{instrument} has no established minimal clinically important difference; compare its \
         scores, sub-scores or bands directly instead"
    )]
    NoMcid {
        /// Which instrument.
        instrument: InstrumentId,
    },
    /// The instrument rates change itself (PGIC).
    #[error(
        "{instrument} already rates change: use the responder flag of its score (1 or 2 = much \
         or very much better) rather than comparing two scores"
    )]
    SelfRated {
        /// Which instrument.
        instrument: InstrumentId,
    },
    /// A score is outside the instrument's range, or not a number.
    #[error("{which} score {value} is outside the {instrument} range {} to {}", num(*min), num(*max))]
    ScoreOutOfRange {
        /// Which instrument.
        instrument: InstrumentId,
        /// "baseline" or "follow-up".
        which: &'static str,
        /// The score given.
        value: f64,
        /// Lowest valid score.
        min: f64,
        /// Highest valid score.
        max: f64,
    },
}

/// Scores are often fractions (ODI 35.56 %, a PSFS mean), so a threshold met exactly on paper
/// can miss by a rounding error; this much slack absorbs it and nothing clinically real.
const TOLERANCE: f64 = 1e-9;

/// Classifies the change from `baseline` to `followup` (both headline scores of `instrument`)
/// against the instrument's MCID, in its direction of improvement.
///
/// A change must reach the MCID to count, in either direction; the same threshold is used for
/// getting worse as for getting better. Where the MCID offers points or a percentage, reaching
/// either is enough. A percentage of a zero baseline is undefined, so from 0 only the points
/// threshold applies, and for a percentage-only MCID (PHQ-9, GAD-7) any rise from 0 counts as
/// worse.
pub fn classify_change(
    instrument: InstrumentId,
    baseline: f64,
    followup: f64,
) -> Result<ChangeAssessment, ChangeError> {
    let mcid = mcid(instrument);
    match mcid {
        Mcid::SelfRated => return Err(ChangeError::SelfRated { instrument }),
        Mcid::NotEstablished => return Err(ChangeError::NoMcid { instrument }),
        _ => {}
    }
    let scale = instrument.scale();
    for (which, value) in [("baseline", baseline), ("follow-up", followup)] {
        // Written so that NaN fails too.
        if !(value >= scale.min && value <= scale.max) {
            return Err(ChangeError::ScoreOutOfRange {
                instrument,
                which,
                value,
                min: scale.min,
                max: scale.max,
            });
        }
    }

    let improvement = match direction(instrument) {
        Direction::LowerIsBetter => baseline - followup,
        Direction::HigherIsBetter => followup - baseline,
    };
    let magnitude = improvement.abs();
    let percent_of_baseline = (baseline > 0.0).then(|| 100.0 * improvement / baseline);
    let reaches_points = |points: f64| magnitude >= points - TOLERANCE;
    let reaches_percent = |percent: f64| {
        if baseline > 0.0 {
            100.0 * magnitude >= percent * baseline - TOLERANCE
        } else {
            magnitude > TOLERANCE
        }
    };

    let (criterion, graded) = match mcid {
        Mcid::PointsOrPercent { points, percent } => {
            let criterion = if reaches_points(points) {
                Some(Criterion::Points)
            } else if baseline > 0.0 && reaches_percent(percent) {
                Some(Criterion::Percent)
            } else {
                None
            };
            (criterion, None)
        }
        Mcid::Points { points } => (reaches_points(points).then_some(Criterion::Points), None),
        Mcid::Percent { percent } => (reaches_percent(percent).then_some(Criterion::Percent), None),
        Mcid::Graded { small, medium, large } => {
            let graded = if reaches_points(large) {
                Some(ChangeSize::Large)
            } else if reaches_points(medium) {
                Some(ChangeSize::Medium)
            } else if reaches_points(small) {
                Some(ChangeSize::Small)
            } else {
                None
            };
            (graded.map(|_| Criterion::Points), graded)
        }
        Mcid::SelfRated | Mcid::NotEstablished => (None, None),
    };
    // A zero change never counts, whatever the thresholds.
    let criterion = criterion.filter(|_| magnitude > TOLERANCE);
    let change = match criterion {
        None => Change::Unchanged,
        Some(_) if improvement > 0.0 => Change::Improved,
        Some(_) => Change::Worse,
    };
    let size = graded.filter(|_| criterion.is_some());
    let size_text = size.map_or("", |s| match s {
        ChangeSize::Small => " (small change)",
        ChangeSize::Medium => " (medium change)",
        ChangeSize::Large => " (large change)",
    });
    let units = match scale.unit {
        ScoreUnit::Percent => "percentage points",
        ScoreUnit::Points | ScoreUnit::Mean | ScoreUnit::Rating => "points",
    };
    let how = if improvement < 0.0 {
        "worse"
    } else if improvement > 0.0 {
        "better"
    } else {
        "different"
    };
    // The percentage is shown only where the rule uses it, so the sentence never cites a
    // number that played no part in the verdict.
    let uses_percent = matches!(mcid, Mcid::PointsOrPercent { .. } | Mcid::Percent { .. });
    let percent_text = percent_of_baseline
        .filter(|_| uses_percent)
        .map_or(String::new(), |p| format!(" ({}% of baseline)", num(p.abs())));
    let verdict = if criterion.is_some() { "which reaches" } else { "which falls short of" };
    let explanation = format!(
        "{change}{size_text}: {} → {} is {} {units} {how}{percent_text}, {verdict} the MCID of \
         {mcid}",
        num(baseline),
        num(followup),
        num(magnitude),
    );

    Ok(ChangeAssessment {
        instrument,
        change,
        improvement,
        percent_of_baseline,
        criterion,
        size,
        mcid,
        explanation,
    })
}

/// A number for a sentence: whole numbers as they are, others to one decimal place.
fn num(value: f64) -> String {
    if value.fract() == 0.0 { format!("{value}") } else { format!("{value:.1}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use InstrumentId::*;

    fn change(instrument: InstrumentId, baseline: f64, followup: f64) -> Change {
        classify_change(instrument, baseline, followup).unwrap().change
    }

    #[test]
    fn nprs_two_points_or_thirty_percent() {
        assert_eq!(change(Nprs, 7.0, 5.0), Change::Improved, "2 points");
        assert_eq!(change(Nprs, 7.0, 6.0), Change::Unchanged, "1 point, 14%");
        assert_eq!(change(Nprs, 3.0, 2.0), Change::Improved, "1 point but 33%");
        assert_eq!(change(Nprs, 10.0, 7.0), Change::Improved, "exactly 30%, 3 points");
        assert_eq!(change(Nprs, 5.0, 7.0), Change::Worse);
        assert_eq!(change(Nprs, 0.0, 1.0), Change::Unchanged, "from 0 only points apply");
        assert_eq!(change(Nprs, 0.0, 2.0), Change::Worse);
        let a = classify_change(Nprs, 3.0, 2.0).unwrap();
        assert_eq!(a.criterion, Some(Criterion::Percent));
        let a = classify_change(Nprs, 7.0, 4.0).unwrap();
        assert_eq!(a.criterion, Some(Criterion::Points));
        assert_eq!(
            a.explanation,
            "improved: 7 → 4 is 3 points better (42.9% of baseline), which reaches the MCID of \
             2 points or 30% of baseline"
        );
    }

    #[test]
    fn odi_ten_points_or_thirty_percent() {
        assert_eq!(change(Odi, 40.0, 30.0), Change::Improved, "10 points");
        assert_eq!(change(Odi, 40.0, 31.0), Change::Unchanged, "9 points, 22.5%");
        assert_eq!(change(Odi, 20.0, 14.0), Change::Improved, "6 points but 30%");
        // 16/45 → 16/50: 3.6 points, 10%.
        assert_eq!(change(Odi, 1600.0 / 45.0, 32.0), Change::Unchanged);
        assert_eq!(change(Odi, 30.0, 40.0), Change::Worse);
        let a = classify_change(Odi, 40.0, 31.0).unwrap();
        assert_eq!(
            a.explanation,
            "unchanged: 40 → 31 is 9 percentage points better (22.5% of baseline), which falls \
             short of the MCID of 10 points or 30% of baseline"
        );
    }

    #[test]
    fn ndi_five_raw_points() {
        assert_eq!(change(Ndi, 20.0, 15.0), Change::Improved);
        assert_eq!(change(Ndi, 20.0, 16.0), Change::Unchanged, "percent plays no part");
        assert_eq!(change(Ndi, 4.0, 0.0), Change::Unchanged, "100% but 4 points");
        assert_eq!(change(Ndi, 20.0, 25.0), Change::Worse);
    }

    #[test]
    fn psfs_graded_thresholds_higher_is_better() {
        let a = classify_change(Psfs, 3.0, 4.3).unwrap();
        assert_eq!((a.change, a.size), (Change::Improved, Some(ChangeSize::Small)));
        let a = classify_change(Psfs, 3.0, 5.3).unwrap();
        assert_eq!((a.change, a.size), (Change::Improved, Some(ChangeSize::Medium)));
        let a = classify_change(Psfs, 3.0, 5.7).unwrap();
        assert_eq!((a.change, a.size), (Change::Improved, Some(ChangeSize::Large)));
        let a = classify_change(Psfs, 3.0, 4.2).unwrap();
        assert_eq!((a.change, a.size), (Change::Unchanged, None));
        let a = classify_change(Psfs, 6.0, 4.0).unwrap();
        assert_eq!((a.change, a.size), (Change::Worse, Some(ChangeSize::Small)));
        // Means of three activities: 13/3 → 17/3 is 1.333…, past 1.3.
        assert_eq!(change(Psfs, 13.0 / 3.0, 17.0 / 3.0), Change::Improved);
        assert_eq!(
            classify_change(Psfs, 3.0, 5.7).unwrap().explanation,
            "improved (large change): 3 → 5.7 is 2.7 points better, which reaches the MCID of \
             1.3 points (small), 2.3 (medium), 2.7 (large)"
        );
    }

    #[test]
    fn phq9_and_gad7_twenty_percent_of_baseline() {
        assert_eq!(change(Phq9, 15.0, 12.0), Change::Improved, "exactly 20%");
        assert_eq!(change(Phq9, 15.0, 13.0), Change::Unchanged, "13%");
        assert_eq!(change(Phq9, 10.0, 12.0), Change::Worse, "20% rise");
        assert_eq!(change(Phq9, 0.0, 1.0), Change::Worse, "any rise from 0");
        assert_eq!(change(Phq9, 0.0, 0.0), Change::Unchanged);
        assert_eq!(change(Gad7, 10.0, 8.0), Change::Improved);
        assert_eq!(change(Gad7, 10.0, 9.0), Change::Unchanged);
    }

    #[test]
    fn satisfaction_higher_is_better() {
        assert_eq!(change(Satisfaction, 6.0, 8.0), Change::Improved);
        assert_eq!(change(Satisfaction, 6.0, 7.0), Change::Unchanged);
        assert_eq!(change(Satisfaction, 8.0, 6.0), Change::Worse);
    }

    #[test]
    fn pgic_and_wpai_are_refused_with_a_reason() {
        assert_eq!(
            classify_change(Pgic, 4.0, 2.0).unwrap_err().to_string(),
            "pgic already rates change: use the responder flag of its score (1 or 2 = much or \
             very much better) rather than comparing two scores"
        );
        assert_eq!(
            classify_change(Wpai, 40.0, 20.0).unwrap_err(),
            ChangeError::NoMcid { instrument: Wpai }
        );
        assert_eq!(
            classify_change(StartBack, 6.0, 2.0).unwrap_err().to_string(),
            "startback has no established minimal clinically important difference; compare its \
             scores, sub-scores or bands directly instead"
        );
    }

    #[test]
    fn scores_outside_the_scale_are_refused() {
        assert_eq!(
            classify_change(Odi, 40.0, 101.0).unwrap_err().to_string(),
            "follow-up score 101 is outside the odi range 0 to 100"
        );
        assert!(classify_change(Nprs, f64::NAN, 3.0).is_err());
        assert!(classify_change(Nprs, -1.0, 3.0).is_err());
        assert!(classify_change(Nprs, 3.0, f64::INFINITY).is_err());
    }

    #[test]
    fn every_instrument_has_a_direction_and_rule() {
        for id in InstrumentId::ALL {
            let _ = direction(id);
            let _ = mcid(id).to_string();
        }
        assert_eq!(direction(Psfs), Direction::HigherIsBetter);
        assert_eq!(direction(Odi), Direction::LowerIsBetter);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn instrument() -> impl Strategy<Value = InstrumentId> {
            proptest::sample::select(InstrumentId::ALL.to_vec())
        }

        proptest! {
            #[test]
            fn never_panics_and_equal_scores_are_unchanged(
                id in instrument(), a in any::<f64>(), b in any::<f64>(), t in 0.0..=1.0f64
            ) {
                let _ = classify_change(id, a, b);
                let scale = id.scale();
                let x = scale.min + t * (scale.max - scale.min);
                if let Ok(assessment) = classify_change(id, x, x) {
                    prop_assert_eq!(assessment.change, Change::Unchanged);
                }
            }

            #[test]
            fn verdict_agrees_with_direction(
                id in instrument(), s in 0.0..=1.0f64, t in 0.0..=1.0f64
            ) {
                let scale = id.scale();
                let (a, b) = (scale.min + s * (scale.max - scale.min), scale.min + t * (scale.max - scale.min));
                if let Ok(assessment) = classify_change(id, a, b) {
                    let better = match direction(id) {
                        Direction::LowerIsBetter => b < a,
                        Direction::HigherIsBetter => b > a,
                    };
                    match assessment.change {
                        Change::Improved => prop_assert!(better),
                        Change::Worse => prop_assert!(!better && a != b),
                        Change::Unchanged => {}
                    }
                }
            }
        }
    }
}
