//! Emergency so far: whether the answers a patient has given part-way through the intake
//! already call for an emergency department, so the intake can stop at once.
//!
//! The rule: run every emergency-tier rule of [`crate::triage::rules`] on the answers given so
//! far, counting every question not answered yet as "nothing reported" (no region, no history
//! item, no symptom, no scan). A rule that fires is reported with its reason, as full triage
//! would report it.
//!
//! Why this cannot fire on something the patient did not say:
//!
//! - The emergency rules test only answers a patient gives about themselves: symptoms, history
//!   items, regions and scan findings (`so_far_leaves_are_reports` checks every leaf, so a new
//!   emergency rule that reads age, duration, injury or surgery fails the build until this
//!   argument is made for it). "Not sure" answers are not reports: an unsure symptom is never
//!   counted as present here (it is an urgent rule, not an emergency one).
//! - Every such leaf but one is positive ("the patient reported X"), and an unanswered question
//!   reports nothing, so such a leaf is true only on an answer the patient gave.
//! - The one negative leaf, "the pain does not include the middle back", sits beside chest pain
//!   in `chest_pain_or_breathlessness`. When the regions are not answered yet it is vacuously
//!   true, but `cardiac_aortic_thoracic` fires on chest pain with middle-back pain: chest pain is
//!   an emergency whatever regions are answered later. Only the rule named can change, never
//!   the tier (`emergency_so_far_stays_an_emergency` checks every region answer).
//!
//! So when this fires, the finished intake triages to the emergency tier too, however the rest
//! is answered, unless the patient changes an answer they already gave; and when every question
//! is answered it fires exactly the emergency rules full triage fires.

use serde_json::Value;
use time::Date;

use crate::intake::{
    Answer, CheckedIntake, ConservativeCare, Finding, Imaging, Intake, PainDuration, Region,
    RiskFactor, Surgery, Symptom, Trauma,
};
use crate::triage::{Reason, Tier, rules};

/// The answers an emergency rule can read, as far as the patient has given them. A question not
/// answered yet is an empty list: nothing reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswersSoFar {
    /// Where the pain is.
    pub regions: Vec<Region>,
    /// History items ticked.
    pub history: Vec<RiskFactor>,
    /// Symptoms the patient has now (not those they are unsure of).
    pub symptoms: Vec<Symptom>,
    /// What a scan showed.
    pub findings: Vec<Finding>,
}

impl AnswersSoFar {
    /// Reads a draft intake document (the intake's JSON fields, any of them missing). An item
    /// that does not read as one of the intake's names is skipped: no rule tests a name it does
    /// not know, and the full check on sending refuses the document.
    pub fn from_draft(draft: &Value) -> AnswersSoFar {
        fn list<T: serde::de::DeserializeOwned>(v: Option<&Value>) -> Vec<T> {
            v.and_then(Value::as_array)
                .map(|items| {
                    items.iter().filter_map(|i| serde_json::from_value(i.clone()).ok()).collect()
                })
                .unwrap_or_default()
        }
        AnswersSoFar {
            regions: list(draft.get("regions")),
            history: list(draft.get("history")),
            symptoms: list(draft.get("symptoms")),
            findings: list(draft.get("imaging").and_then(|i| i.get("findings"))),
        }
    }

    /// The answers as a checked intake for the emergency rules: everything they do not read is
    /// filled with a value that reports nothing (no injury, no care, no surgery, age 0).
    fn as_intake(&self) -> CheckedIntake {
        let intake = Intake {
            regions: self.regions.clone(),
            duration: PainDuration::Days(0),
            pain_now: Answer::NotSure,
            age: Some(0),
            date_of_birth: None,
            history: self.history.clone(),
            trauma: Trauma::None,
            symptoms: self.symptoms.clone(),
            symptoms_not_sure: Vec::new(),
            imaging: (!self.findings.is_empty())
                .then(|| Imaging { findings: self.findings.clone(), findings_not_sure: false }),
            conservative_care: ConservativeCare { weeks: Answer::Known(0), helped: None },
            surgery: Surgery::None {},
            lifting_limit_kg: None,
            goals: Vec::new(),
            baseline: Default::default(),
        };
        CheckedIntake::for_rules(intake, Date::MIN)
    }
}

/// Every emergency-tier rule that fires on the answers so far, in table order, each with its
/// reason. Empty when none does.
pub fn emergency_so_far(answers: &AnswersSoFar) -> Vec<Reason> {
    let intake = answers.as_intake();
    rules::rules()
        .iter()
        .filter(|rule| rule.tier == Tier::Emergency && rule.condition.holds(&intake))
        .map(|rule| Reason {
            rule: rule.id.to_owned(),
            tier: rule.tier,
            reason: rule.reason.to_owned(),
            clinician_note: rule.clinician_note.to_owned(),
            because: rule.condition.because(&intake),
        })
        .collect()
}

/// The emergency rules that fire on `now` and did not on `before` (the answers as saved until
/// this step): what a step newly reported, so the care team is told once, not on every later
/// step. Changing an answer back and then reporting it again is a new report.
pub fn emergency_raised(before: &AnswersSoFar, now: &AnswersSoFar) -> Vec<Reason> {
    let earlier: Vec<String> = emergency_so_far(before).into_iter().map(|r| r.rule).collect();
    emergency_so_far(now).into_iter().filter(|r| !earlier.contains(&r.rule)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::intake::FindingKind;
    use crate::triage::condition::Condition;
    use crate::triage::triage;

    fn so_far(regions: &[Region], history: &[RiskFactor], symptoms: &[Symptom]) -> AnswersSoFar {
        AnswersSoFar {
            regions: regions.to_vec(),
            history: history.to_vec(),
            symptoms: symptoms.to_vec(),
            findings: vec![],
        }
    }

    /// Whether a rule's leaf is one of the answers [`AnswersSoFar`] holds, so that an unanswered
    /// question can only make it false (or, for `RegionAbsent`, is covered by the argument above).
    fn is_report(leaf: Condition) -> bool {
        matches!(
            leaf,
            Condition::Symptom(_)
                | Condition::History(_)
                | Condition::Region(_)
                | Condition::RegionAbsent(_)
                | Condition::Finding(_)
                | Condition::FindingIn(..)
        )
    }

    fn negates(c: Condition) -> bool {
        match c {
            Condition::Not(_) => true,
            Condition::Any(parts) | Condition::All(parts) | Condition::AtLeast(_, parts) => {
                parts.iter().copied().any(negates)
            }
            _ => false,
        }
    }

    fn ids(reasons: &[Reason]) -> Vec<&str> {
        reasons.iter().map(|r| r.rule.as_str()).collect()
    }

    /// A whole intake: the answers so far, with the regions filled in when none were given.
    fn finished(a: &AnswersSoFar, regions: &[Region]) -> CheckedIntake {
        let doc = serde_json::json!({
            "regions": if a.regions.is_empty() { regions.to_vec() } else { a.regions.clone() },
            "duration": {"weeks": 2},
            "pain_now": 5,
            "age": 60,
            "history": a.history,
            "trauma": "none",
            "symptoms": a.symptoms,
            "imaging": if a.findings.is_empty() { Value::Null } else {
                serde_json::json!({"findings": a.findings})
            },
            "conservative_care": {"weeks": 0},
            "surgery": {"status": "none"}
        });
        crate::intake::parse(&doc.to_string(), time::macros::date!(2025 - 06 - 02))
            .expect("a valid intake")
    }

    #[test]
    fn so_far_leaves_are_reports() {
        for rule in rules::rules().iter().filter(|r| r.tier == Tier::Emergency) {
            for leaf in rule.condition.leaves() {
                assert!(
                    is_report(leaf),
                    "{}: {leaf:?} is not an answer emergency_so_far reads",
                    rule.id
                );
                if let Condition::RegionAbsent(r) = leaf {
                    assert_eq!(
                        (rule.id, r),
                        ("chest_pain_or_breathlessness", Region::Thoracic),
                        "a new negative leaf needs its own argument in the module docs"
                    );
                }
            }
            assert!(
                !negates(rule.condition),
                "{}: a negated condition could fire on an unanswered question",
                rule.id
            );
        }
    }

    #[test]
    fn nothing_answered_fires_nothing() {
        assert!(emergency_so_far(&AnswersSoFar::default()).is_empty());
        assert!(emergency_so_far(&AnswersSoFar::from_draft(&serde_json::json!({}))).is_empty());
        // Regions alone, history alone, a scan alone: nothing the patient said is an emergency.
        let scan = AnswersSoFar {
            regions: vec![Region::Lumbar],
            history: vec![RiskFactor::Cancer],
            findings: vec![Finding { kind: FindingKind::Fracture, region: None }],
            ..AnswersSoFar::default()
        };
        assert!(emergency_so_far(&scan).is_empty());
    }

    #[test]
    fn each_emergency_rule_fires_on_what_was_said() {
        use Symptom::*;
        let cases: &[(AnswersSoFar, &[&str])] = &[
            (so_far(&[Region::Lumbar], &[], &[SaddleNumbness]), &["cauda_equina"]),
            (so_far(&[], &[], &[BladderOrBowelChange]), &["cauda_equina"]),
            (so_far(&[Region::Lumbar], &[], &[BothLegsWeakOrNumb]), &["cauda_equina"]),
            // Both legs weak with neck pain is myelopathy (urgent), not an emergency.
            (so_far(&[Region::Cervical], &[], &[BothLegsWeakOrNumb]), &[]),
            (
                so_far(&[Region::Cervical], &[RiskFactor::Cancer], &[ProgressiveWeakness]),
                &["cancer_cord_compression"],
            ),
            (
                so_far(&[Region::Thoracic], &[], &[PainNotAffectedByMovement]),
                &["cardiac_aortic_thoracic"],
            ),
            (
                so_far(&[Region::Lumbar], &[], &[ChestPainOrBreathlessness]),
                &["chest_pain_or_breathlessness"],
            ),
            (so_far(&[], &[], &[ChestPainOrBreathlessness]), &["chest_pain_or_breathlessness"]),
            // Urgent signs do not stop the intake.
            (so_far(&[Region::Lumbar], &[], &[FeverOrChills, ProgressiveWeakness]), &[]),
        ];
        for (answers, want) in cases {
            assert_eq!(ids(&emergency_so_far(answers)), *want, "{answers:?}");
        }
        let scan = AnswersSoFar {
            history: vec![RiskFactor::Cancer],
            findings: vec![Finding { kind: FindingKind::CordCompression, region: None }],
            ..AnswersSoFar::default()
        };
        assert_eq!(ids(&emergency_so_far(&scan)), ["cancer_cord_compression"]);
    }

    #[test]
    fn unsure_answers_are_not_reports() {
        let draft = serde_json::json!({
            "regions": ["lumbar"],
            "symptoms": [],
            "symptoms_not_sure": ["saddle_numbness", "bladder_or_bowel_change"]
        });
        assert!(emergency_so_far(&AnswersSoFar::from_draft(&draft)).is_empty());
    }

    #[test]
    fn reads_a_draft_skipping_what_it_does_not_know() {
        let draft = serde_json::json!({
            "regions": ["lumbar", "shoulder"],
            "symptoms": ["saddle_numbness", 7],
            "imaging": {"findings": [{"kind": "fracture"}]},
            "duration": {"weeks": 3}
        });
        let a = AnswersSoFar::from_draft(&draft);
        assert_eq!(a.regions, [Region::Lumbar]);
        assert_eq!(a.symptoms, [Symptom::SaddleNumbness]);
        assert_eq!(a.findings.len(), 1);
        assert_eq!(ids(&emergency_so_far(&a)), ["cauda_equina"]);
        assert!(
            AnswersSoFar::from_draft(&serde_json::json!({"imaging": null})).findings.is_empty()
        );
    }

    #[test]
    fn raised_once_per_new_report() {
        let before = so_far(&[Region::Lumbar], &[], &[Symptom::SaddleNumbness]);
        let same = before.clone();
        assert!(emergency_raised(&before, &same).is_empty(), "a later step raises nothing new");
        let more = so_far(
            &[Region::Lumbar],
            &[],
            &[Symptom::SaddleNumbness, Symptom::ChestPainOrBreathlessness],
        );
        assert_eq!(ids(&emergency_raised(&before, &more)), ["chest_pain_or_breathlessness"]);
        assert_eq!(ids(&emergency_raised(&AnswersSoFar::default(), &before)), ["cauda_equina"]);
    }

    /// Every partial answer with up to two symptoms, with or without cancer and a cord finding,
    /// with the regions answered or not: when emergency_so_far fires, every finished intake that
    /// keeps those answers (whatever regions it adds) is on the emergency tier; and when nothing
    /// is left unanswered it fires exactly the emergency rules full triage fires.
    #[test]
    fn emergency_so_far_stays_an_emergency() {
        let region_sets: Vec<Vec<Region>> = (1u8..8)
            .map(|m| {
                Region::ALL
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| m & (1 << i) != 0)
                    .map(|(_, r)| *r)
                    .collect()
            })
            .collect();
        let mut symptom_sets: Vec<Vec<Symptom>> = vec![vec![]];
        for (i, a) in Symptom::ALL.iter().enumerate() {
            symptom_sets.push(vec![*a]);
            for b in &Symptom::ALL[i + 1..] {
                symptom_sets.push(vec![*a, *b]);
            }
        }
        let mut fired = 0;
        for regions in std::iter::once(vec![]).chain(region_sets.iter().cloned()) {
            for symptoms in &symptom_sets {
                for history in [vec![], vec![RiskFactor::Cancer]] {
                    for findings in
                        [vec![], vec![Finding { kind: FindingKind::CordCompression, region: None }]]
                    {
                        let a = AnswersSoFar {
                            regions: regions.clone(),
                            history: history.clone(),
                            symptoms: symptoms.clone(),
                            findings,
                        };
                        let so_far = emergency_so_far(&a);
                        if !so_far.is_empty() {
                            fired += 1;
                        }
                        let completions = if regions.is_empty() {
                            &region_sets[..]
                        } else {
                            std::slice::from_ref(&regions)
                        };
                        for fill in completions {
                            let full = triage(&finished(&a, fill));
                            if !so_far.is_empty() {
                                assert_eq!(full.tier, Tier::Emergency, "{a:?} then {fill:?}");
                            }
                            if !regions.is_empty() {
                                let full_ids: Vec<&str> = full
                                    .reasons
                                    .iter()
                                    .filter(|r| r.tier == Tier::Emergency)
                                    .map(|r| r.rule.as_str())
                                    .collect();
                                assert_eq!(ids(&so_far), full_ids, "{a:?}");
                            }
                        }
                    }
                }
            }
        }
        assert!(fired > 100, "the cases exercise the rules ({fired})");
    }
}
