//! The value checks that turn an [`Intake`] into a [`CheckedIntake`], the only form triage
//! accepts.

use std::collections::BTreeSet;

use time::Date;

use crate::intake::{
    Answer, FieldProblem, FindingKind, Intake, IntakeError, MAX_AGE_YEARS, MAX_CARE_WEEKS,
    MAX_DURATION_DAYS, MAX_GOAL_CHARS, MAX_GOALS, MAX_INSTRUMENT_ID_CHARS, MAX_LIFTING_LIMIT_KG,
    PainScore, Region, RiskFactor, Surgery, Symptom,
};

/// An intake that passed [`Intake::check`] on a given day. Read-only, so it stays valid.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedIntake {
    intake: Intake,
    age_years: u8,
    primary_region: Region,
    as_of: Date,
}

impl CheckedIntake {
    /// An intake taken as checked without [`Intake::check`], for rules that read only answers it
    /// holds as given (`crate::triage::so_far`, whose tests pin which answers those are). The age
    /// is the intake's `age` (0 when absent) and the primary region the first listed, else lumbar.
    pub(crate) fn for_rules(intake: Intake, as_of: Date) -> CheckedIntake {
        let age_years = intake.age.unwrap_or(0);
        let primary_region = intake.regions.first().copied().unwrap_or(Region::Lumbar);
        CheckedIntake { intake, age_years, primary_region, as_of }
    }

    /// The intake as submitted.
    pub fn intake(&self) -> &Intake {
        &self.intake
    }

    /// Age in whole years on the day of the check.
    pub fn age_years(&self) -> u8 {
        self.age_years
    }

    /// The main region of pain (the first one listed).
    pub fn primary_region(&self) -> Region {
        self.primary_region
    }

    /// The day the intake was checked against; pathways count weeks from it.
    pub fn as_of(&self) -> Date {
        self.as_of
    }

    /// Whether the pain includes `region`.
    pub fn has_region(&self, region: Region) -> bool {
        self.intake.regions.contains(&region)
    }

    /// Pain now from the intake; `None` when the patient was not sure.
    pub fn pain_now(&self) -> Option<PainScore> {
        self.intake.pain_now.known().and_then(|n| PainScore::new(n).ok())
    }

    /// Whether the patient said they are not sure about `symptom`.
    pub fn is_unsure_of(&self, symptom: Symptom) -> bool {
        self.intake.symptoms_not_sure.contains(&symptom)
    }

    /// Whether the patient had imaging but is not sure what it showed.
    pub fn imaging_findings_not_sure(&self) -> bool {
        self.intake.imaging.as_ref().is_some_and(|i| i.findings_not_sure)
    }

    /// Whether the patient reported `symptom`.
    pub fn has_symptom(&self, symptom: Symptom) -> bool {
        self.intake.symptoms.contains(&symptom)
    }

    /// Whether the history includes `factor`.
    pub fn has_risk_factor(&self, factor: RiskFactor) -> bool {
        self.intake.history.contains(&factor)
    }

    /// Whether imaging showed `kind`, in `region` when one is given. A finding recorded without a
    /// region matches only a question that does not ask for one: we do not guess where it was.
    pub fn has_finding(&self, kind: FindingKind, region: Option<Region>) -> bool {
        self.intake.imaging.as_ref().is_some_and(|imaging| {
            imaging
                .findings
                .iter()
                .any(|f| f.kind == kind && (region.is_none() || f.region == region))
        })
    }
}

impl Intake {
    /// Checks every value and their consistency as of `today`, reporting all problems together.
    pub fn check(self, today: Date) -> Result<CheckedIntake, IntakeError> {
        let mut p = Problems::default();

        if self.regions.is_empty() {
            p.push("regions", "Choose at least one region: cervical, thoracic or lumbar.");
        }
        p.no_duplicates("regions", &self.regions);

        if self.duration.days().is_some_and(|d| d > MAX_DURATION_DAYS) {
            p.push(
                "duration",
                "Enter how long the pain has lasted; this is longer than a lifetime.",
            );
        }
        if self.pain_now.known().is_some_and(|n| n > 10) {
            p.push(
                "pain_now",
                "Enter pain now as a whole number from 0 to 10, or say you are not sure.",
            );
        }

        let age_years = match (self.age, self.date_of_birth) {
            (Some(_), Some(_)) => {
                p.push("age", "Give either age or date_of_birth, not both.");
                None
            }
            (None, None) => {
                p.push("age", "Give the patient's age or date_of_birth.");
                None
            }
            (Some(age), None) if age > MAX_AGE_YEARS => {
                p.push("age", "Enter age in whole years, from 0 to 120.");
                None
            }
            (Some(age), None) => Some(age),
            (None, Some(dob)) => match years_between(dob, today) {
                Some(age) if age <= u32::from(MAX_AGE_YEARS) => u8::try_from(age).ok(),
                Some(_) => {
                    p.push("date_of_birth", "Check the date of birth: it gives an age over 120.");
                    None
                }
                None => {
                    p.push("date_of_birth", "The date of birth cannot be after today.");
                    None
                }
            },
        };

        p.no_duplicates("history", &self.history);
        p.no_duplicates("symptoms", &self.symptoms);
        p.no_duplicates("symptoms_not_sure", &self.symptoms_not_sure);
        for (i, symptom) in self.symptoms_not_sure.iter().enumerate() {
            if self.symptoms.contains(symptom) {
                p.push(
                    &format!("symptoms_not_sure[{i}]"),
                    "This symptom is also listed as present. Keep it in one list only.",
                );
            }
        }

        if let Some(imaging) = &self.imaging {
            let mut seen = BTreeSet::new();
            for (i, finding) in imaging.findings.iter().enumerate() {
                let field = format!("imaging.findings[{i}]");
                if finding.kind == FindingKind::DiscHerniation && finding.region.is_none() {
                    p.push(
                        &format!("{field}.region"),
                        "Say which region the disc herniation is in.",
                    );
                }
                if !seen.insert((finding.kind, finding.region)) {
                    p.push(&field, "This finding is listed twice.");
                }
            }
        }

        let care = self.conservative_care;
        if care.weeks.known().is_some_and(|w| w > MAX_CARE_WEEKS) {
            p.push(
                "conservative_care.weeks",
                "Enter weeks of care from 0 to 520, or say you are not sure.",
            );
        }
        match (care.weeks, care.helped) {
            (Answer::Known(0), Some(_)) => p.push(
                "conservative_care.helped",
                "Leave this out when no conservative care has been tried (weeks is 0).",
            ),
            (Answer::Known(1..) | Answer::NotSure, None) => p.push(
                "conservative_care.helped",
                "Say whether the care helped: yes, partly, no or not sure.",
            ),
            _ => {}
        }

        match self.surgery {
            Surgery::Scheduled { date, .. } if date < today => p.push(
                "surgery.date",
                "A scheduled operation cannot be in the past. If it has happened, set status to done.",
            ),
            Surgery::Done { date, .. } if date > today => p.push(
                "surgery.date",
                "A done operation cannot be in the future. If it is booked, set status to scheduled.",
            ),
            _ => {}
        }

        if let Some(kg) = self.lifting_limit_kg
            && !(kg.is_finite() && (0.0..=MAX_LIFTING_LIMIT_KG).contains(&kg))
        {
            p.push(
                "lifting_limit_kg",
                "Enter the surgeon's lifting limit in kilograms, from 0 to 50.",
            );
        }

        if self.goals.len() > MAX_GOALS {
            p.push("goals", "List at most 10 goals.");
        }
        for (i, goal) in self.goals.iter().enumerate() {
            if goal.trim().is_empty() {
                p.push(&format!("goals[{i}]"), "Write the goal, or remove the empty entry.");
            } else if goal.chars().count() > MAX_GOAL_CHARS {
                p.push(&format!("goals[{i}]"), "Keep each goal to 200 characters or fewer.");
            }
        }

        for id in self.baseline.keys() {
            if id.trim().is_empty() || id.chars().count() > MAX_INSTRUMENT_ID_CHARS {
                p.push(
                    "baseline",
                    "Key each baseline by a questionnaire id of 1 to 64 characters.",
                );
            }
        }

        let primary_region = self.regions.first().copied();
        match (p.into_error(), age_years, primary_region) {
            (Some(err), _, _) => Err(err),
            (None, Some(age_years), Some(primary_region)) => {
                Ok(CheckedIntake { intake: self, age_years, primary_region, as_of: today })
            }
            // Every path that leaves the age or region unset records a problem above, so this arm
            // is not reached; it still answers with an error rather than a panic.
            (None, _, _) => Err(IntakeError::invalid("(root)", "The intake is incomplete.")),
        }
    }
}

#[derive(Default)]
struct Problems(Vec<FieldProblem>);

impl Problems {
    fn push(&mut self, field: &str, problem: &str) {
        self.0.push(FieldProblem { field: field.to_owned(), problem: problem.to_owned() });
    }

    /// Duplicates are harmless to the rules but usually mean a form or client bug, so they are
    /// refused rather than silently merged.
    fn no_duplicates<T: Ord + Copy>(&mut self, field: &str, items: &[T]) {
        let mut seen = BTreeSet::new();
        for (i, item) in items.iter().enumerate() {
            if !seen.insert(*item) {
                self.push(&format!("{field}[{i}]"), "This answer is listed twice.");
            }
        }
    }

    fn into_error(self) -> Option<IntakeError> {
        if self.0.is_empty() { None } else { Some(IntakeError::Invalid { problems: self.0 }) }
    }
}

/// Whole years from `from` to `to`, or `None` when `from` is later. A birthday on 29 February
/// counts as reached on 1 March in other years, as `(month, day)` ordering gives.
pub(crate) fn years_between(from: Date, to: Date) -> Option<u32> {
    if from > to {
        return None;
    }
    let mut years = to.year() - from.year();
    if (u8::from(to.month()), to.day()) < (u8::from(from.month()), from.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}
