//! The small condition language triage rules are written in.
//!
//! Conditions are data, not closures, so a rule can be printed (docs, the clinician's view) and
//! can say which of its parts matched an intake. That is how every rule explains itself.
//!
//! Answers the patient was not sure of are treated conservatively, in the direction that asks
//! for a clinician sooner, and the explanation says so: a trauma answer of "not sure" counts as a
//! minor injury, an unknown duration as long-standing, unknown weeks of care as a fair trial, and
//! care that helped only partly (or may not have) as not helped.

use crate::intake::{
    Answer, CareHelped, CheckedIntake, FindingKind, PainDuration, Region, RiskFactor, Surgery,
    Symptom, Trauma,
};

/// A test on a checked intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// True for every intake (used by screens that always run).
    Always,
    /// The pain includes this region.
    Region(Region),
    /// The pain does not include this region.
    RegionAbsent(Region),
    /// The patient reported this symptom.
    Symptom(Symptom),
    /// The history includes this risk factor.
    History(RiskFactor),
    /// The injury before the pain was this severe. `Trauma(Minor)` also holds when the patient
    /// is not sure, so that thin bones still raise a suspected fracture.
    Trauma(Trauma),
    /// Imaging showed this finding, anywhere.
    Finding(FindingKind),
    /// Imaging showed this finding in this region.
    FindingIn(FindingKind, Region),
    /// Age strictly above this many years.
    AgeOver(u8),
    /// Pain for at least this many weeks and no conservative care that helped (none tried, or
    /// tried without help): "no improvement by one month" in clinical.md §4.
    NoImprovementAfterWeeks(u32),
    /// At least `min_weeks` of conservative care that the patient says has not helped.
    CareNotHelped {
        /// The fewest weeks of care that count as a fair trial.
        min_weeks: u16,
    },
    /// No surgeon has yet proposed or done an operation (surgery status `none`).
    NoSurgicalOpinion,
    /// A surgeon has recommended, booked or done an operation (surgery status other than `none`).
    SurgicalOpinion,
    /// A surgeon has recommended an operation that is neither booked nor done.
    SurgeryRecommended,
    /// The patient is not sure whether they have this symptom.
    Unsure(Symptom),
    /// The patient had imaging but is not sure what it showed.
    ImagingFindingsNotSure,
    /// The inner condition does not hold.
    Not(&'static Condition),
    /// At least one of these holds.
    Any(&'static [Condition]),
    /// All of these hold.
    All(&'static [Condition]),
    /// At least this many of these hold.
    AtLeast(u8, &'static [Condition]),
}

impl Condition {
    /// Whether the condition holds for `intake`.
    pub fn holds(&self, intake: &CheckedIntake) -> bool {
        let form = intake.intake();
        match *self {
            Condition::Always => true,
            Condition::Region(r) => intake.has_region(r),
            Condition::RegionAbsent(r) => !intake.has_region(r),
            Condition::Symptom(s) => intake.has_symptom(s),
            Condition::History(h) => intake.has_risk_factor(h),
            Condition::Trauma(Trauma::Minor) => {
                matches!(form.trauma, Trauma::Minor | Trauma::NotSure)
            }
            Condition::Trauma(t) => form.trauma == t,
            Condition::Finding(k) => intake.has_finding(k, None),
            Condition::FindingIn(k, r) => intake.has_finding(k, Some(r)),
            Condition::AgeOver(years) => intake.age_years() > years,
            Condition::NoImprovementAfterWeeks(weeks) => {
                // An unknown duration counts as long enough.
                form.duration.whole_weeks().is_none_or(|w| w >= weeks)
                    && !form.conservative_care.clearly_helped()
            }
            Condition::CareNotHelped { min_weeks } => {
                let care = form.conservative_care;
                // Unknown weeks count as a fair trial; "partly" and "not sure" as not helped.
                care.weeks.known().is_none_or(|w| w >= min_weeks)
                    && matches!(
                        care.helped,
                        Some(CareHelped::No | CareHelped::Partly | CareHelped::NotSure)
                    )
            }
            Condition::NoSurgicalOpinion => matches!(form.surgery, Surgery::None {}),
            Condition::SurgicalOpinion => !matches!(form.surgery, Surgery::None {}),
            Condition::SurgeryRecommended => matches!(form.surgery, Surgery::Recommended { .. }),
            Condition::Unsure(s) => intake.is_unsure_of(s),
            Condition::ImagingFindingsNotSure => intake.imaging_findings_not_sure(),
            Condition::Not(inner) => !inner.holds(intake),
            Condition::Any(parts) => parts.iter().any(|c| c.holds(intake)),
            Condition::All(parts) => parts.iter().all(|c| c.holds(intake)),
            Condition::AtLeast(n, parts) => {
                parts.iter().filter(|c| c.holds(intake)).count() >= usize::from(n)
            }
        }
    }

    /// The condition in words, e.g. `pain region includes thoracic AND (symptom: … OR …)`.
    pub fn describe(&self) -> String {
        let nested = |parts: &[Condition], sep: &str| {
            parts
                .iter()
                .map(|c| if c.is_compound() { format!("({})", c.describe()) } else { c.describe() })
                .collect::<Vec<_>>()
                .join(sep)
        };
        match *self {
            Condition::Always => "always".to_owned(),
            Condition::Region(r) => format!("pain region includes {r}"),
            Condition::RegionAbsent(r) => format!("pain region does not include {r}"),
            Condition::Symptom(s) => format!("symptom: {}", s.label()),
            Condition::History(h) => format!("history: {}", h.label()),
            Condition::Trauma(t) => format!("trauma: {}", t.as_str()),
            Condition::Finding(k) => format!("imaging: {}", k.label()),
            Condition::FindingIn(k, r) => format!("imaging: {} ({r})", k.label()),
            Condition::AgeOver(years) => format!("age over {years}"),
            Condition::NoImprovementAfterWeeks(weeks) => {
                format!("pain for {weeks}+ weeks without improvement")
            }
            Condition::CareNotHelped { min_weeks } => {
                format!("{min_weeks}+ weeks of conservative care that has not helped")
            }
            Condition::NoSurgicalOpinion => "no surgical opinion yet".to_owned(),
            Condition::SurgicalOpinion => {
                "a surgeon has recommended, booked or done an operation".to_owned()
            }
            Condition::SurgeryRecommended => {
                "surgery recommended, not yet booked or done".to_owned()
            }
            Condition::Unsure(s) => format!("not sure about: {}", s.label()),
            Condition::ImagingFindingsNotSure => "imaging: not sure what it showed".to_owned(),
            Condition::Not(inner) => {
                if inner.is_compound() {
                    format!("NOT ({})", inner.describe())
                } else {
                    format!("NOT {}", inner.describe())
                }
            }
            Condition::Any(parts) => nested(parts, " OR "),
            Condition::All(parts) => nested(parts, " AND "),
            Condition::AtLeast(n, parts) => format!("at least {n} of [{}]", nested(parts, ", ")),
        }
    }

    /// The simple parts of the condition that are true for `intake` and make it hold, in order;
    /// empty when the condition does not hold.
    pub fn because(&self, intake: &CheckedIntake) -> Vec<String> {
        let mut out = Vec::new();
        if self.holds(intake) {
            self.collect(intake, &mut out);
        }
        out
    }

    fn collect(&self, intake: &CheckedIntake, out: &mut Vec<String>) {
        match *self {
            Condition::Any(parts) | Condition::All(parts) | Condition::AtLeast(_, parts) => {
                for part in parts.iter().filter(|c| c.holds(intake)) {
                    part.collect(intake, out);
                }
            }
            _ => {
                let text = self.explain(intake);
                if !out.contains(&text) {
                    out.push(text);
                }
            }
        }
    }

    /// A simple condition that holds, in words, saying when an answer the patient was not sure
    /// of made it hold.
    fn explain(&self, intake: &CheckedIntake) -> String {
        let form = intake.intake();
        let mut unsure = Vec::new();
        match *self {
            Condition::Trauma(Trauma::Minor) if form.trauma == Trauma::NotSure => {
                unsure.push("injury: not sure, counted as minor");
            }
            Condition::NoImprovementAfterWeeks(_) => {
                if form.duration == PainDuration::NotSure {
                    unsure.push("how long: not sure, counted as long enough");
                }
                unsure.extend(helped_note(form.conservative_care.helped));
            }
            Condition::CareNotHelped { .. } => {
                if form.conservative_care.weeks == Answer::NotSure {
                    unsure.push("weeks of care: not sure, counted as enough");
                }
                unsure.extend(helped_note(form.conservative_care.helped));
            }
            _ => {}
        }
        if unsure.is_empty() {
            self.describe()
        } else {
            format!("{} ({})", self.describe(), unsure.join("; "))
        }
    }

    /// Every simple condition inside this one, for checks over the rule table.
    pub fn leaves(&self) -> Vec<Condition> {
        match *self {
            Condition::Any(parts) | Condition::All(parts) | Condition::AtLeast(_, parts) => {
                parts.iter().flat_map(Condition::leaves).collect()
            }
            Condition::Not(inner) => inner.leaves(),
            leaf => vec![leaf],
        }
    }

    /// Whether the description needs brackets when nested. `AtLeast` brings its own.
    fn is_compound(&self) -> bool {
        matches!(self, Condition::Any(_) | Condition::All(_))
    }
}

/// How an answer to "did it help?" that is not a plain yes or no was counted.
fn helped_note(helped: Option<CareHelped>) -> Option<&'static str> {
    match helped {
        Some(CareHelped::Partly) => Some("helped partly, counted as not enough"),
        Some(CareHelped::NotSure) => Some("not sure it helped, counted as not helped"),
        _ => None,
    }
}
