//! The weekly check-in: today's pain and warning signs, judged against what we knew before.
//!
//! The baseline is the latest pain score the patient gave (a check-in or an NPRS questionnaire),
//! else the pain given at intake. A check-in raises a flag, pauses exercise and alerts the care
//! team when pain is [`HIGH_PAIN`] or more, when it has risen by [`PAIN_RISE`] points or more over
//! the baseline, when the patient ticks a warning sign they had not reported before, or when triage
//! on today's answers proposes a higher tier than a clinician last confirmed. What the patient
//! reads then comes from [`crate::safety`]: the pause, why, and who has been told; never that
//! all is well.

use serde::Serialize;

use crate::intake::{PainScore, Symptom};
use crate::triage::{RETRIAGE_PAIN_RISE, Tier};

/// Pain at or above this (out of 10) pauses exercise until a clinician has spoken with the
/// patient (clinical.md §8.5: pain of 8 or more before a session blocks it).
pub const HIGH_PAIN: u8 = 8;
/// A rise of this many points or more over the baseline is a pain rise (clinical.md §8.4).
pub const PAIN_RISE: u8 = RETRIAGE_PAIN_RISE;

/// Where the baseline pain came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BaselineSource {
    /// The latest pain score since the intake (a check-in or an NPRS questionnaire).
    LatestScore,
    /// The pain given at intake.
    Intake,
}

/// The pain a check-in is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Baseline {
    /// The pain, 0–10.
    pub pain: PainScore,
    /// Where it came from.
    pub source: BaselineSource,
}

/// The baseline: the latest score if there is one, else the intake's pain. `None` when the
/// patient has given no pain score yet (for example "not sure" at intake and no check-in since).
pub fn baseline(
    latest_score: Option<PainScore>,
    intake_pain: Option<PainScore>,
) -> Option<Baseline> {
    latest_score
        .map(|pain| Baseline { pain, source: BaselineSource::LatestScore })
        .or_else(|| intake_pain.map(|pain| Baseline { pain, source: BaselineSource::Intake }))
}

/// What a check-in needs to be judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckIn<'a> {
    /// The latest pain score since the intake, if any.
    pub latest_score: Option<PainScore>,
    /// The pain given at intake; `None` when the patient was not sure.
    pub intake_pain: Option<PainScore>,
    /// Pain now; `None` when the patient is not sure.
    pub pain_now: Option<PainScore>,
    /// Warning signs reported before (at intake or an earlier check-in).
    pub earlier_symptoms: &'a [Symptom],
    /// Warning signs ticked today.
    pub symptoms_now: &'a [Symptom],
    /// The tier triage proposes on the intake with today's answers.
    pub tier: Tier,
    /// The tier a clinician last confirmed in a review; `None` when none has.
    pub confirmed_tier: Option<Tier>,
}

/// Something in a check-in that a clinician must see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "flag", rename_all = "snake_case")]
pub enum CheckInFlag {
    /// Triage on today's answers proposes a tier above the one a clinician last confirmed.
    HigherTier {
        /// The tier proposed now.
        tier: Tier,
    },
    /// Warning signs not reported before.
    NewWarningSigns {
        /// The new ones, in the form's order.
        symptoms: Vec<Symptom>,
    },
    /// Pain is [`HIGH_PAIN`] or more.
    HighPain {
        /// Pain now.
        pain: u8,
    },
    /// Pain has risen by [`PAIN_RISE`] or more over the baseline.
    PainRise {
        /// The baseline pain.
        from: u8,
        /// Pain now.
        to: u8,
        /// Where the baseline came from.
        source: BaselineSource,
    },
}

/// How a check-in is recorded with its triage decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckInTrigger {
    /// Pain rose by [`PAIN_RISE`] or more.
    PainRise,
    /// The routine weekly check-in.
    #[serde(rename = "weekly_checkin")]
    WeeklyCheckIn,
}

impl CheckInTrigger {
    /// The name the triage record keeps.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckInTrigger::PainRise => "pain_rise",
            CheckInTrigger::WeeklyCheckIn => "weekly_checkin",
        }
    }
}

/// An alert for the care team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CareTeamAlert {
    /// A stable code: `triage_tier`, `new_warning_sign`, `high_pain` or `pain_rise`.
    pub code: &'static str,
    /// What happened, for the clinician.
    pub message: String,
}

/// The judgement on a check-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckInOutcome {
    /// The baseline used, if any.
    pub baseline: Option<Baseline>,
    /// Pain now, if given.
    pub pain_now: Option<PainScore>,
    /// Everything a clinician must see, most serious first; empty when nothing was found.
    pub flags: Vec<CheckInFlag>,
    /// Whether exercise must pause until a clinician has acknowledged the flags.
    pub pause_exercise: bool,
    /// How to record the check-in's triage decision.
    pub trigger: CheckInTrigger,
    /// One alert per flag, for the care team.
    pub alerts: Vec<CareTeamAlert>,
    /// Notes for the clinician that are not alerts, such as a pain score the patient could not
    /// give.
    pub notes: Vec<String>,
}

impl CheckInOutcome {
    /// The one alert the care team gets for this check-in, when anything was flagged: coded
    /// by its most serious flag, saying everything that was found and what to do.
    pub fn care_team_alert(&self) -> Option<CareTeamAlert> {
        let first = self.alerts.first()?;
        let found: Vec<String> = self.flags.iter().map(finding).collect();
        let mut message = format!("Weekly check-in: {}.", found.join("; "));
        if let Some(tier) = self.flags.iter().find_map(|f| match f {
            CheckInFlag::HigherTier { tier } => Some(*tier),
            _ => None,
        }) {
            message.push(' ');
            message.push_str(tier.clinician_action());
        } else {
            message.push_str(" Exercise is paused until a clinician has spoken with the patient.");
        }
        Some(CareTeamAlert { code: first.code, message })
    }
}

/// A flag in a few words, for the combined alert.
fn finding(flag: &CheckInFlag) -> String {
    match flag {
        CheckInFlag::HigherTier { tier } => {
            format!("triage on the answers proposes {} care", tier.as_str())
        }
        CheckInFlag::NewWarningSigns { symptoms } => {
            format!("new warning signs: {}", list(symptoms.iter().map(|s| s.label())))
        }
        CheckInFlag::HighPain { pain } => format!("pain {pain} out of 10"),
        CheckInFlag::PainRise { from, to, source } => format!(
            "pain rose from {from} to {to} out of 10 (since {})",
            match source {
                BaselineSource::LatestScore => "the latest pain score",
                BaselineSource::Intake => "the intake",
            }
        ),
    }
}

/// Judges a check-in.
pub fn assess(c: &CheckIn<'_>) -> CheckInOutcome {
    let baseline = baseline(c.latest_score, c.intake_pain);
    let mut flags = Vec::new();
    let mut notes = Vec::new();

    if c.tier > c.confirmed_tier.unwrap_or(Tier::Exercise) {
        flags.push(CheckInFlag::HigherTier { tier: c.tier });
    }
    let new_signs: Vec<Symptom> = Symptom::ALL
        .into_iter()
        .filter(|s| c.symptoms_now.contains(s) && !c.earlier_symptoms.contains(s))
        .collect();
    if !new_signs.is_empty() {
        flags.push(CheckInFlag::NewWarningSigns { symptoms: new_signs });
    }
    let mut rose = false;
    match (c.pain_now, baseline) {
        (Some(now), _) if now.get() >= HIGH_PAIN => {
            flags.push(CheckInFlag::HighPain { pain: now.get() })
        }
        _ => {}
    }
    match (c.pain_now, baseline) {
        (Some(now), Some(base)) if now.get().saturating_sub(base.pain.get()) >= PAIN_RISE => {
            rose = true;
            flags.push(CheckInFlag::PainRise {
                from: base.pain.get(),
                to: now.get(),
                source: base.source,
            });
        }
        (Some(_), None) => notes.push(
            "No earlier pain score: this check-in's pain becomes the baseline for the next one."
                .to_owned(),
        ),
        (None, _) => notes.push(
            "The patient was not sure how bad the pain is, so a rise could not be checked. Ask \
             at the next contact."
                .to_owned(),
        ),
        _ => {}
    }

    let alerts = flags.iter().map(alert).collect();
    CheckInOutcome {
        baseline,
        pain_now: c.pain_now,
        pause_exercise: !flags.is_empty(),
        trigger: if rose { CheckInTrigger::PainRise } else { CheckInTrigger::WeeklyCheckIn },
        flags,
        alerts,
        notes,
    }
}

fn alert(flag: &CheckInFlag) -> CareTeamAlert {
    match flag {
        CheckInFlag::HigherTier { tier } => CareTeamAlert {
            code: "triage_tier",
            message: format!(
                "Triage on this week's check-in answers proposes {} care. {}",
                tier.as_str(),
                tier.clinician_action()
            ),
        },
        CheckInFlag::NewWarningSigns { symptoms } => CareTeamAlert {
            code: "new_warning_sign",
            message: format!(
                "New at the weekly check-in: {}. Exercise is paused until a clinician has spoken \
                 with the patient.",
                list(symptoms.iter().map(|s| s.label()))
            ),
        },
        CheckInFlag::HighPain { pain } => CareTeamAlert {
            code: "high_pain",
            message: format!(
                "Pain {pain} out of 10 at the weekly check-in ({HIGH_PAIN} or more). Exercise is \
                 paused until a clinician has spoken with the patient."
            ),
        },
        CheckInFlag::PainRise { from, to, source } => CareTeamAlert {
            code: "pain_rise",
            message: format!(
                "Pain rose from {from} to {to} out of 10 at the weekly check-in (baseline: {}). \
                 Exercise is paused until a clinician has spoken with the patient.",
                match source {
                    BaselineSource::LatestScore => "the latest pain score",
                    BaselineSource::Intake => "the intake",
                }
            ),
        },
    }
}

/// "a, b and c".
fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(v: u8) -> PainScore {
        PainScore::new(v).expect("pain")
    }

    fn check(latest: Option<u8>, intake: Option<u8>, now: Option<u8>) -> CheckInOutcome {
        assess(&CheckIn {
            latest_score: latest.map(p),
            intake_pain: intake.map(p),
            pain_now: now.map(p),
            earlier_symptoms: &[],
            symptoms_now: &[],
            tier: Tier::Exercise,
            confirmed_tier: None,
        })
    }

    fn codes(o: &CheckInOutcome) -> Vec<&'static str> {
        o.alerts.iter().map(|a| a.code).collect()
    }

    #[test]
    fn baseline_is_the_latest_score_else_the_intake() {
        assert_eq!(
            baseline(Some(p(4)), Some(p(2))),
            Some(Baseline { pain: p(4), source: BaselineSource::LatestScore })
        );
        assert_eq!(
            baseline(None, Some(p(2))),
            Some(Baseline { pain: p(2), source: BaselineSource::Intake })
        );
        assert_eq!(baseline(None, None), None);
    }

    /// Boundaries: pain 7 vs 8, rise 2 vs 3, from either baseline.
    #[test]
    fn pain_boundaries() {
        type Case = (Option<u8>, Option<u8>, Option<u8>, &'static [&'static str], bool);
        let cases: &[Case] = &[
            (None, Some(4), Some(6), &[], false),
            (None, Some(4), Some(7), &["pain_rise"], true),
            (None, Some(5), Some(7), &[], false),
            (None, Some(6), Some(8), &["high_pain"], true),
            (None, Some(5), Some(8), &["high_pain", "pain_rise"], true),
            (Some(2), Some(7), Some(5), &["pain_rise"], true),
            (Some(3), Some(0), Some(5), &[], false),
            (Some(7), None, Some(7), &[], false),
            (Some(9), None, Some(8), &["high_pain"], true),
            (Some(2), None, Some(9), &["high_pain", "pain_rise"], true),
            (None, None, Some(7), &[], false),
            (None, None, Some(10), &["high_pain"], true),
            (Some(2), Some(2), None, &[], false),
        ];
        for (latest, intake, now, expected, pause) in cases {
            let o = check(*latest, *intake, *now);
            assert_eq!(codes(&o), *expected, "{latest:?} {intake:?} {now:?}");
            assert_eq!(o.pause_exercise, *pause, "{latest:?} {intake:?} {now:?}");
            let rise = expected.contains(&"pain_rise");
            let trigger =
                if rise { CheckInTrigger::PainRise } else { CheckInTrigger::WeeklyCheckIn };
            assert_eq!(o.trigger, trigger);
        }
    }

    #[test]
    fn a_flagged_check_in_never_reassures() {
        let o = check(Some(2), None, Some(9));
        assert!(o.pause_exercise);
        assert!(o.alerts.iter().any(|a| a.message.contains("from 2 to 9")));
        let one = o.care_team_alert().expect("an alert");
        assert_eq!(one.code, "high_pain");
        assert!(one.message.contains("pain 9 out of 10; pain rose from 2 to 9"), "{}", one.message);
        let calm = check(Some(2), None, Some(3));
        assert!(!calm.pause_exercise && calm.alerts.is_empty());
        assert_eq!(calm.care_team_alert(), None);
        let unsure = check(Some(2), None, None);
        assert!(unsure.notes.iter().any(|n| n.contains("not sure")));
    }

    #[test]
    fn new_warning_signs_and_higher_tiers_pause_exercise() {
        let before = [Symptom::WeaknessInOneLimb];
        let now = [Symptom::WeaknessInOneLimb, Symptom::FeverOrChills];
        let c = CheckIn {
            latest_score: Some(p(3)),
            intake_pain: None,
            pain_now: Some(p(3)),
            earlier_symptoms: &before,
            symptoms_now: &now,
            tier: Tier::Urgent,
            confirmed_tier: None,
        };
        let o = assess(&c);
        assert_eq!(codes(&o), vec!["triage_tier", "new_warning_sign"]);
        assert!(o.pause_exercise);
        assert!(o.alerts[1].message.contains("fever or chills"));

        // Only what is new counts; a tier a clinician already confirmed is not raised again.
        let same = assess(&CheckIn {
            symptoms_now: &before,
            tier: Tier::Specialist,
            confirmed_tier: Some(Tier::Specialist),
            ..c
        });
        assert!(same.flags.is_empty() && !same.pause_exercise);

        let signs = assess(&CheckIn { tier: Tier::Exercise, ..c });
        assert_eq!(codes(&signs), vec!["new_warning_sign"]);
        let alert = signs.care_team_alert().expect("an alert");
        assert!(alert.message.contains("new warning signs: fever or chills"), "{}", alert.message);

        let emergency = assess(&CheckIn { tier: Tier::Emergency, ..c });
        assert_eq!(emergency.care_team_alert().map(|a| a.code), Some("triage_tier"));
    }
}
