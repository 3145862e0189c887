//! The intake pages and the clinic cannot disagree: every answer the clinic knows is offered on
//! its page, every choice a page offers is read by the clinic's own parser into an intake that
//! passes the clinic's checks, and a saved answer comes back on its page as it was given.

use physio_clinic::intake::{
    CareHelped, DurationUnit, FindingKind, Procedure, Region, RiskFactor, SurgeryStatus, Symptom,
    Trauma,
};
use serde_json::{Map, Value};
use time::macros::date;

use crate::pages::intake::{
    answers::{read, to_form},
    choice::Choice,
    fields::{Values, fields},
    steps::Step,
};

const TODAY: time::Date = date!(2025 - 06 - 02);

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()
}

/// A complete, valid answer to each page.
fn baseline(step: Step) -> Vec<(String, String)> {
    let mut symptoms: Vec<(&str, &str)> = Symptom::ALL.iter().map(|s| (s.as_str(), "no")).collect();
    match step {
        Step::Region => pairs(&[("regions", "lumbar")]),
        Step::Duration => pairs(&[("duration_amount", "3"), ("duration_unit", "weeks")]),
        Step::Pain => pairs(&[("pain_now", "4")]),
        Step::History => pairs(&[("history", "none")]),
        Step::Injury => pairs(&[("trauma", "none")]),
        Step::Symptoms => pairs(&std::mem::take(&mut symptoms)),
        Step::Imaging => {
            pairs(&[("had_scan", "yes"), ("findings", "fracture"), ("finding_region", "lumbar")])
        }
        Step::Treatment => pairs(&[("care_weeks", "4"), ("care_helped", "yes")]),
        // Today's date is both a booked and a done operation's date the clinic accepts.
        Step::Surgery => pairs(&[
            ("surgery_status", "scheduled"),
            ("procedure", "fusion"),
            ("surgery_date", "2025-06-02"),
        ]),
        Step::Goals => pairs(&[("goals", "Walk the dog\nCarry the shopping")]),
    }
}

/// The radio buttons and checkboxes a rendered page offers, as (name, value).
fn offered(html: &str) -> Vec<(String, String)> {
    let attr = |tag: &str, name: &str| {
        let key = format!(" {name}=\"");
        tag.find(&key).map(|i| {
            let rest = &tag[i + key.len()..];
            rest[..rest.find('"').unwrap_or(0)].to_owned()
        })
    };
    html.split("<input ")
        .skip(1)
        .map(|t| &t[..t.find('>').unwrap_or(t.len())])
        .filter(|t| t.contains("type=\"radio\"") || t.contains("type=\"checkbox\""))
        .filter_map(|t| Some((attr(t, "name")?, attr(t, "value")?)))
        .collect()
}

fn page_html(step: Step, form: &[(String, String)]) -> String {
    fields(step, Values(form), &[]).into_string()
}

/// The draft after every page's baseline answer, with `step` answered by `form` instead.
fn draft_with(step: Step, form: &[(String, String)]) -> Result<Map<String, Value>, String> {
    let mut a = Map::new();
    for s in Step::ALL {
        let f = if s == step { form.to_vec() } else { baseline(s) };
        read(s, &f, &mut a).map_err(|e| {
            format!(
                "{}: {}",
                s.slug(),
                e.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ")
            )
        })?;
    }
    Ok(a)
}

fn clinic_reads(a: &Map<String, Value>) -> Result<(), String> {
    let mut doc = a.clone();
    doc.insert("age".into(), Value::from(50));
    physio_clinic::intake::parse(&Value::Object(doc).to_string(), TODAY)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[test]
fn every_clinic_answer_is_offered_on_its_page() {
    fn has<T: Choice>(step: Step, name: &str) {
        let offered = offered(&page_html(step, &[]));
        for c in T::all() {
            assert!(
                offered.contains(&(name.to_owned(), c.value().to_owned())),
                "{} is not offered as {name} on /intake/{}",
                c.value(),
                step.slug()
            );
        }
    }
    has::<Region>(Step::Region, "regions");
    has::<DurationUnit>(Step::Duration, "duration_unit");
    has::<RiskFactor>(Step::History, "history");
    has::<Trauma>(Step::Injury, "trauma");
    has::<FindingKind>(Step::Imaging, "findings");
    has::<Region>(Step::Imaging, "finding_region");
    has::<CareHelped>(Step::Treatment, "care_helped");
    has::<SurgeryStatus>(Step::Surgery, "surgery_status");
    has::<Procedure>(Step::Surgery, "procedure");
    // Every warning sign is its own question, answered yes, no or not sure.
    let symptoms = offered(&page_html(Step::Symptoms, &[]));
    for s in Symptom::ALL {
        for answer in ["yes", "no", "not_sure"] {
            assert!(
                symptoms.contains(&(s.as_str().to_owned(), answer.to_owned())),
                "{} has no {answer} on /intake/symptoms",
                s.as_str()
            );
        }
    }
    // "Not sure" wherever a patient may not know; the region is the one answer without it.
    for (step, name) in [
        (Step::Duration, "duration_not_sure"),
        (Step::Pain, "pain_now"),
        (Step::Injury, "trauma"),
        (Step::Imaging, "findings"),
        (Step::Treatment, "care_weeks_not_sure"),
        (Step::Treatment, "care_helped"),
        (Step::Surgery, "procedure"),
    ] {
        let offered = offered(&page_html(step, &[]));
        assert!(
            offered.contains(&(name.to_owned(), "not_sure".to_owned())),
            "{name} on {}",
            step.slug()
        );
    }
    assert!(!offered(&page_html(Step::Region, &[])).iter().any(|(_, v)| v == "not_sure"));
}

#[test]
fn every_choice_offered_is_read_by_the_clinic() {
    let mut checked = 0;
    for step in Step::ALL {
        let base = baseline(step);
        assert_eq!(
            draft_with(step, &base).and_then(|a| clinic_reads(&a)),
            Ok(()),
            "baseline of {}",
            step.slug()
        );
        for (name, value) in offered(&page_html(step, &base)) {
            let mut form: Vec<(String, String)> =
                base.iter().filter(|(n, _)| *n != name).cloned().collect();
            // "Not sure" instead of a number replaces the number.
            if let Some(text) = name.strip_suffix("_not_sure") {
                let text = if text == "duration" { "duration_amount" } else { text };
                form.retain(|(n, _)| n != text);
            }
            // Not knowing which operation is an answer only while none is booked or done.
            if (name.as_str(), value.as_str()) == ("procedure", "not_sure") {
                form.retain(|(n, _)| n != "surgery_status");
                form.push(("surgery_status".into(), "recommended".into()));
            }
            form.push((name.clone(), value.clone()));
            let a = draft_with(step, &form).unwrap_or_else(|e| {
                panic!("{name}={value} on /intake/{} is refused: {e}", step.slug())
            });
            clinic_reads(&a).unwrap_or_else(|e| {
                panic!(
                    "{name}={value} on /intake/{}: the clinic refuses the draft: {e}",
                    step.slug()
                )
            });
            // The choice made it into the draft: a clinic name is stored as itself.
            if !["yes", "no", "none", "not_sure"].contains(&value.as_str())
                && !name.starts_with("pain")
            {
                let stored: String =
                    step.keys().iter().filter_map(|k| a.get(*k)).map(Value::to_string).collect();
                assert!(stored.contains(&format!("\"{value}\"")), "{name}={value} not in {stored}");
            }
            checked += 1;
        }
    }
    assert!(checked > 80, "{checked} choices checked");
}

#[test]
fn a_saved_answer_comes_back_on_its_page() {
    let forms: &[(Step, &[(&str, &str)])] = &[
        (Step::Region, &[("regions", "thoracic"), ("regions", "cervical")]),
        (Step::Duration, &[("duration_not_sure", "not_sure")]),
        (Step::Duration, &[("duration_amount", "2"), ("duration_unit", "years")]),
        (Step::Pain, &[("pain_now", "not_sure")]),
        (Step::History, &[("history", "cancer"), ("history", "osteoporosis")]),
        (Step::Injury, &[("trauma", "not_sure")]),
        (
            Step::Imaging,
            &[
                ("had_scan", "yes"),
                ("findings", "disc_herniation"),
                ("findings", "not_sure"),
                ("finding_region", "thoracic"),
            ],
        ),
        (Step::Imaging, &[("had_scan", "no")]),
        (Step::Treatment, &[("care_weeks_not_sure", "not_sure"), ("care_helped", "partly")]),
        (Step::Treatment, &[("care_weeks", "0")]),
        (Step::Surgery, &[("surgery_status", "recommended"), ("procedure", "not_sure")]),
        (
            Step::Surgery,
            &[("surgery_status", "done"), ("procedure", "fusion"), ("surgery_date", "2025-05-01")],
        ),
    ];
    for (step, form) in forms {
        let mut a = Map::new();
        read(*step, &pairs(form), &mut a).unwrap_or_else(|_| panic!("{form:?}"));
        let mut again = Map::new();
        read(*step, &to_form(*step, &a), &mut again).expect("reads back");
        assert_eq!(a, again, "{form:?}");
    }
    let mut symptoms = baseline(Step::Symptoms);
    symptoms[0].1 = "yes".into();
    symptoms[3].1 = "not_sure".into();
    let mut a = Map::new();
    read(Step::Symptoms, &symptoms, &mut a).expect("reads");
    assert_eq!(a["symptoms"], serde_json::json!(["saddle_numbness"]));
    assert_eq!(a["symptoms_not_sure"], serde_json::json!(["progressive_weakness"]));
    let mut back = to_form(Step::Symptoms, &a);
    back.sort();
    symptoms.sort();
    assert_eq!(back, symptoms);
}

#[test]
fn a_page_sent_incomplete_says_what_to_fix_at_each_field() {
    for step in Step::ALL.into_iter().filter(|s| *s != Step::Goals) {
        let mut a = Map::new();
        let errors = read(step, &[], &mut a).expect_err(step.slug());
        assert!(a.is_empty(), "nothing is saved from a refused page");
        let html = page_html(step, &[]);
        for e in &errors {
            assert!(
                html.contains(&format!("id=\"{}\"", e.field)),
                "{} links to a missing field {}",
                step.slug(),
                e.field
            );
            assert!(!e.message.contains('_'), "plain words: {}", e.message);
        }
    }
    let errors =
        read(Step::Symptoms, &[], &mut Map::new()).expect_err("every sign needs an answer");
    assert_eq!(errors.len(), Symptom::ALL.len());
}
