//! The questions on each intake page, drawn from the form's values: the draft's answers when
//! the page opens (`answers::to_form`), or what the patient sent when it comes back with
//! errors, so nothing they chose or typed is lost.

use maud::{Markup, html};
use physio_clinic::intake::{
    CareHelped, DurationUnit, FindingKind, NOT_SURE, Procedure, Region, RiskFactor, SurgeryStatus,
    Symptom, Trauma,
};

use crate::pages::{
    intake::{
        choice::{Choice, Kind, not_sure, option, options},
        steps::Step,
    },
    layout::{FieldError, field_error},
    pain_scale::{Rating, rating},
};

/// A page's form values as name/value pairs, in the order sent.
#[derive(Debug, Clone, Copy)]
pub(super) struct Values<'a>(pub(super) &'a [(String, String)]);

impl<'a> Values<'a> {
    pub(super) fn has(self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(n, v)| n == name && v == value)
    }

    /// The first value of `name`, trimmed; `None` when absent or blank.
    pub(super) fn one(self, name: &str) -> Option<&'a str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
    }

    pub(super) fn all(self, name: &str) -> impl Iterator<Item = &'a str> {
        let name = name.to_owned();
        self.0.iter().filter(move |(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    fn text(self, name: &str) -> &'a str {
        self.0.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
    }
}

/// The value of the "none of these" choice on tick-all-that-apply questions.
pub(super) const NONE: &str = "none";

/// Yes, no, or not sure, for each warning sign.
pub(super) const YES: &str = "yes";
pub(super) const NO: &str = "no";

/// The questions of `step`.
pub(super) fn fields(step: Step, v: Values<'_>, errors: &[FieldError]) -> Markup {
    match step {
        Step::Region => html! {
            fieldset #regions {
                legend.visually-hidden { (step.title()) }
                p.hint { "Tick all that apply. The first one you tick is where it hurts most." }
                (field_error(errors, "regions"))
                (options(Kind::Checkbox, "regions", |r: Region| v.has("regions", r.value())))
            }
        },
        Step::Duration => html! {
            div.field {
                label for="duration_amount" { "Number" }
                p.hint id="duration_amount-hint" { "For example 3. Count from when this pain started." }
                (field_error(errors, "duration_amount"))
                input #duration_amount .input-short name="duration_amount" type="text" inputmode="numeric"
                    aria-describedby="duration_amount-hint" value=(v.text("duration_amount"));
            }
            fieldset #duration_unit {
                legend { "Days, weeks, months or years?" }
                (field_error(errors, "duration_unit"))
                div.inline-choices {
                    (options(Kind::Radio, "duration_unit", |u: DurationUnit| v.has("duration_unit", u.value())))
                }
                (not_sure(Kind::Checkbox, "duration_not_sure", v.has("duration_not_sure", NOT_SURE)))
            }
        },
        Step::Pain => pain(v, errors),
        Step::History => html! {
            fieldset #history {
                legend.visually-hidden { (step.title()) }
                p.hint { "Tick all that apply, even if it was a long time ago." }
                (field_error(errors, "history"))
                (options(Kind::Checkbox, "history", |r: RiskFactor| v.has("history", r.value())))
                p.or { "or" }
                (option(Kind::Checkbox, "history", NONE, "None of these", None, v.has("history", NONE)))
            }
        },
        Step::Injury => html! {
            fieldset #trauma {
                legend.visually-hidden { (step.title()) }
                (field_error(errors, "trauma"))
                (options(Kind::Radio, "trauma", |t: Trauma| v.has("trauma", t.value())))
            }
        },
        Step::Symptoms => symptoms(v, errors),
        Step::Imaging => html! {
            fieldset #had_scan {
                legend.visually-hidden { (step.title()) }
                p.hint { "An MRI, CT scan or X-ray of your back or neck." }
                (field_error(errors, "had_scan"))
                div.inline-choices {
                    (option(Kind::Radio, "had_scan", YES, "Yes", None, v.has("had_scan", YES)))
                    (option(Kind::Radio, "had_scan", NO, "No", None, v.has("had_scan", NO)))
                }
            }
            fieldset #findings {
                legend { "If you had a scan: what did it show?" }
                p.hint { "Tick what your doctor told you it showed." }
                (field_error(errors, "findings"))
                (options(Kind::Checkbox, "findings", |f: FindingKind| v.has("findings", f.value())))
                p.or { "or" }
                (option(Kind::Checkbox, "findings", NONE, "None of these", Some("It was normal, or showed something else."), v.has("findings", NONE)))
                (option(Kind::Checkbox, "findings", NOT_SURE, "I'm not sure what it showed", None, v.has("findings", NOT_SURE)))
            }
            fieldset #finding_region {
                legend { "Which part of your spine was scanned?" }
                p.hint { "If it showed a slipped disc, say where." }
                (field_error(errors, "finding_region"))
                (options(Kind::Radio, "finding_region", |r: Region| v.has("finding_region", r.value())))
            }
        },
        Step::Treatment => html! {
            div.field {
                label for="care_weeks" { "For how many weeks have you had treatment for this pain, other than an operation?" }
                p.hint id="care_weeks-hint" { "For example physiotherapy, exercises or medicines. Enter 0 if you have had none." }
                (field_error(errors, "care_weeks"))
                input #care_weeks .input-short name="care_weeks" type="text" inputmode="numeric"
                    aria-describedby="care_weeks-hint" value=(v.text("care_weeks"));
                (not_sure(Kind::Checkbox, "care_weeks_not_sure", v.has("care_weeks_not_sure", NOT_SURE)))
            }
            fieldset #care_helped {
                legend { "Has the treatment helped?" }
                p.hint { "Leave this if you have had no treatment." }
                (field_error(errors, "care_helped"))
                (options(Kind::Radio, "care_helped", |h: CareHelped| v.has("care_helped", h.value())))
            }
        },
        Step::Surgery => html! {
            fieldset #surgery_status {
                legend.visually-hidden { (step.title()) }
                (field_error(errors, "surgery_status"))
                (options(Kind::Radio, "surgery_status", |s: SurgeryStatus| v.has("surgery_status", s.value())))
            }
            fieldset #procedure {
                legend { "If an operation was suggested, booked or done: which one?" }
                (field_error(errors, "procedure"))
                (options(Kind::Radio, "procedure", |p: Procedure| v.has("procedure", p.value())))
                (not_sure(Kind::Radio, "procedure", v.has("procedure", NOT_SURE)))
            }
            div.field {
                label for="surgery_date" { "If it is booked or done: the date of the operation" }
                p.hint id="surgery_date-hint" { "For example 2026-12-14." }
                (field_error(errors, "surgery_date"))
                input #surgery_date .input-date name="surgery_date" type="date"
                    aria-describedby="surgery_date-hint" value=(v.text("surgery_date"));
            }
        },
        Step::Goals => html! {
            div.field {
                label for="goals" { "Your goals" }
                p.hint id="goals-hint" { "One on each line, for example \"walk the dog for 30 minutes\" or \"pick up my grandchild\". You can leave this empty." }
                (field_error(errors, "goals"))
                textarea #goals name="goals" rows="5" aria-describedby="goals-hint" { (v.text("goals")) }
            }
        },
    }
}

/// Pain now, 0 to 10, or not sure (the intake and the check-in ask it the same way), on the
/// thumb-sized rating tiles.
pub(super) fn pain(v: Values<'_>, errors: &[FieldError]) -> Markup {
    let error = errors.iter().find(|e| e.field == "pain_now").map(|e| e.message.as_str());
    rating(&Rating {
        name: "pain_now",
        legend: "Choose a number from 0 to 10",
        heading: false,
        hint: None,
        min: 0,
        max: 10,
        min_label: "no pain",
        max_label: "the worst pain you can imagine",
        value: v.one("pain_now").and_then(|n| n.parse().ok()),
        error,
        after: Some(not_sure(Kind::Radio, "pain_now", v.has("pain_now", NOT_SURE))),
    })
}

/// Each warning sign: yes, no, or not sure (the intake and the check-in ask them the same way).
pub(super) fn symptoms(v: Values<'_>, errors: &[FieldError]) -> Markup {
    html! {
        p.hint { "Answer each one. Some of these need a doctor quickly, so your answers help us spot that." }
        @for s in Symptom::ALL {
            @let name = s.value();
            fieldset.symptom id=(name) {
                legend { (s.words()) }
                @if let Some(h) = s.help() { p.hint { (h) } }
                (field_error(errors, name))
                div.inline-choices {
                    (option(Kind::Radio, name, YES, "Yes", None, v.has(name, YES)))
                    (option(Kind::Radio, name, NO, "No", None, v.has(name, NO)))
                    (option(Kind::Radio, name, NOT_SURE, physio_clinic::intake::answer::NOT_SURE_LABEL, None, v.has(name, NOT_SURE)))
                }
            }
        }
    }
}
