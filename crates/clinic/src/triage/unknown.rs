//! How triage treated each answer the patient was not sure of, listed with every decision so the
//! clinician sees what the rules assumed.

use serde::{Deserialize, Serialize};

use crate::intake::{Answer, CareHelped, CheckedIntake, PainDuration, Trauma};

/// One answer the patient was not sure of (or, for "did it help?", answered "partly"), and how
/// the rules treated it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnknownAnswer {
    /// The intake field, as a dotted path.
    pub field: String,
    /// What the rules assumed, for the clinician.
    pub treated_as: String,
}

/// Every unknown answer in the intake, in field order.
pub fn unknown_answers(intake: &CheckedIntake) -> Vec<UnknownAnswer> {
    let form = intake.intake();
    let mut out = Vec::new();
    let mut add = |field: &str, treated_as: &str| {
        out.push(UnknownAnswer { field: field.to_owned(), treated_as: treated_as.to_owned() });
    };
    if form.duration == PainDuration::NotSure {
        add(
            "duration",
            "Not sure how long: counted as four weeks or more wherever the length of the pain \
             matters (tumour features).",
        );
    }
    if form.pain_now.is_not_sure() {
        add(
            "pain_now",
            "No pain score at intake: the first check-in's pain becomes the baseline for pain \
             rises.",
        );
    }
    if form.trauma == Trauma::NotSure {
        add(
            "trauma",
            "Not sure about an injury: counted as a minor one, so thin bones or long-term \
             steroids raise a suspected fracture.",
        );
    }
    if !form.symptoms_not_sure.is_empty() {
        add(
            "symptoms_not_sure",
            "Unsure warning signs are not counted as present; red-flag ones get a same-day call \
             (unsure_red_flag), the others a review before exercise (unsure_other_sign).",
        );
    }
    if intake.imaging_findings_not_sure() {
        add(
            "imaging.findings_not_sure",
            "Scan findings unknown: the report is read before exercise \
             (imaging_findings_not_sure).",
        );
    }
    if form.conservative_care.weeks == Answer::NotSure {
        add(
            "conservative_care.weeks",
            "Not sure how many weeks: counted as a fair trial (six weeks or more) when the care \
             has not clearly helped.",
        );
    }
    match form.conservative_care.helped {
        Some(CareHelped::Partly) => add(
            "conservative_care.helped",
            "Helped partly: counted as not helped, as if the trial of care had failed.",
        ),
        Some(CareHelped::NotSure) => {
            add("conservative_care.helped", "Not sure whether care helped: counted as not helped.")
        }
        _ => {}
    }
    out
}
