//! "Check your answers": every page's answer in the patient's words, each with a change link,
//! and the button that sends the intake once every question has an answer.

use maud::{Markup, html};
use physio_clinic::intake::{
    Answer, ConservativeCare, Imaging, PainDuration, Region, RiskFactor, Surgery, Symptom, Trauma,
    answer::NOT_SURE_LABEL,
};
use serde_json::{Map, Value};

use crate::{
    auth::Principal,
    pages::{
        intake::{
            choice::Choice,
            steps::{Step, get},
        },
        layout::{csrf_field, page},
    },
};

fn labels<T: Choice>(items: &[T]) -> Vec<String> {
    items.iter().map(|c| c.words().to_owned()).collect()
}

/// The answer to `step` in the patient's words, one line each; `None` when not answered.
pub(super) fn summary(step: Step, a: &Map<String, Value>) -> Option<Vec<String>> {
    if !step.answered(a) {
        return None;
    }
    let none = |v: Vec<String>, empty: &str| if v.is_empty() { vec![empty.to_owned()] } else { v };
    Some(match step {
        Step::Region => labels(&get::<Vec<Region>>(a, "regions")?),
        Step::Duration => vec![match get::<PainDuration>(a, "duration")?.parts() {
            Some((unit, n)) => format!("{n} {}", unit.words().to_lowercase()),
            None => NOT_SURE_LABEL.to_owned(),
        }],
        Step::Pain => vec![match get::<Answer<u8>>(a, "pain_now")? {
            Answer::Known(n) => format!("{n} out of 10"),
            Answer::NotSure => NOT_SURE_LABEL.to_owned(),
        }],
        Step::History => none(labels(&get::<Vec<RiskFactor>>(a, "history")?), "None of these"),
        Step::Injury => vec![get::<Trauma>(a, "trauma")?.words().to_owned()],
        Step::Symptoms => {
            let yes = get::<Vec<Symptom>>(a, "symptoms")?;
            let unsure = get::<Vec<Symptom>>(a, "symptoms_not_sure").unwrap_or_default();
            let mut lines = labels(&yes);
            lines.extend(unsure.iter().map(|s| format!("Not sure: {}", s.words())));
            none(lines, "None of these")
        }
        Step::Imaging => match get::<Option<Imaging>>(a, "imaging")? {
            None => vec!["No scan".to_owned()],
            Some(i) => {
                let mut lines: Vec<String> = i
                    .findings
                    .iter()
                    .map(|f| match f.region {
                        Some(r) => format!("{} ({})", f.kind.words(), r.words().to_lowercase()),
                        None => f.kind.words().to_owned(),
                    })
                    .collect();
                if i.findings_not_sure {
                    lines.push("Not sure what it showed".to_owned());
                }
                let mut out = vec!["Had a scan".to_owned()];
                out.extend(none(lines, "It showed none of these"));
                out
            }
        },
        Step::Treatment => {
            let c = get::<ConservativeCare>(a, "conservative_care")?;
            let weeks = match c.weeks {
                Answer::Known(0) => "No treatment yet".to_owned(),
                Answer::Known(1) => "1 week".to_owned(),
                Answer::Known(n) => format!("{n} weeks"),
                Answer::NotSure => "Not sure how many weeks".to_owned(),
            };
            let mut lines = vec![weeks];
            if let Some(h) = c.helped {
                lines.push(format!("Did it help? {}", h.words()));
            }
            lines
        }
        Step::Surgery => {
            let s = get::<Surgery>(a, "surgery")?;
            let mut lines = vec![s.kind().words().to_owned()];
            match s {
                Surgery::None {} => {}
                Surgery::Recommended { procedure } => {
                    lines.push(
                        procedure.map_or("Not sure which operation", |p| p.words()).to_owned(),
                    );
                }
                Surgery::Scheduled { procedure, date } | Surgery::Done { procedure, date } => {
                    lines.push(procedure.words().to_owned());
                    lines.push(crate::pages::layout::long_date(date));
                }
            }
            lines
        }
        Step::Goals => none(get::<Vec<String>>(a, "goals")?, "None given"),
    })
}

pub(super) fn check_page(p: &Principal, a: &Map<String, Value>) -> Markup {
    let missing: Vec<Step> = Step::ALL.into_iter().filter(|s| summary(*s, a).is_none()).collect();
    let last = Step::ALL[Step::ALL.len() - 1];
    let body = html! {
        a.back-link href={ "/intake/" (last.slug()) } { "Back" }
        h1 { "Check your answers" }
        @if !missing.is_empty() {
            div.error-summary role="alert" aria-labelledby="missing-title" {
                h2 #missing-title { "Some questions still need an answer" }
                ul { @for s in &missing { li { a href={ "/intake/" (s.slug()) } { (s.title()) } } } }
            }
        }
        dl.summary-list.check-answers {
            @for s in Step::ALL {
                div {
                    dt { (s.short()) }
                    dd {
                        @match summary(s, a) {
                            Some(lines) => { @for (i, l) in lines.iter().enumerate() { @if i > 0 { br; } (l) } },
                            None => strong { "Not answered yet" },
                        }
                    }
                    dd.change { a href={ "/intake/" (s.slug()) } { "Change" span.visually-hidden { " " (s.short().to_lowercase()) } } }
                }
            }
        }
        @if missing.is_empty() {
            h2 { "Now send your answers" }
            p { "When you send them, we check them straight away for anything that needs a doctor quickly, and your physical therapist sees them." }
            form method="post" action="/intake/submit" {
                (csrf_field(p))
                button.button type="submit" { "Send my answers" }
            }
        }
    };
    page("Check your answers", Some(p), body)
}
