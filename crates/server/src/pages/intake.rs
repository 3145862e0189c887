//! The patient's intake: one topic per page, saved on the server after every page so it can be
//! left and resumed, a "check your answers" page with change links, then triage and a result
//! page that says what to do next.
//!
//! The draft is the intake JSON document (`physio_clinic::intake::Intake`) filled in step by
//! step; the pure triage rules read the finished document.

use super::Form;
use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use maud::{Markup, html};
use physio_clinic::triage::Tier;
use physio_store::Role;
use serde_json::{Map, Value, json};

use crate::{
    auth::Principal,
    care::{self, intake::Draft},
    error::{ApiError, ApiPath},
    pages::{
        PageError, PageResult, PageUser,
        clinical::tier_label,
        layout::{FieldError, csrf_field, error_summary, field_error, page},
    },
    state::AppState,
};

/// The pages of the intake, in order.
const STEPS: [&str; 9] = [
    "region",
    "duration",
    "pain",
    "history",
    "symptoms",
    "imaging",
    "treatment",
    "surgery",
    "goals",
];

fn step_title(step: &str) -> &'static str {
    match step {
        "region" => "Where is your pain?",
        "duration" => "How long have you had this pain?",
        "pain" => "How bad is your pain right now?",
        "history" => "Your health history",
        "symptoms" => "Do you have any of these?",
        "imaging" => "Have you had a scan of your spine?",
        "treatment" => "Treatment so far",
        "surgery" => "Has anyone talked to you about an operation?",
        "goals" => "What would you like to be able to do again?",
        _ => "Check your answers",
    }
}

/// What patients read for each symptom; the ids are the intake's.
const SYMPTOMS: [(&str, &str); 14] = [
    (
        "saddle_numbness",
        "Numbness or tingling between your legs or around your bottom (where you would sit on a saddle)",
    ),
    (
        "bladder_or_bowel_change",
        "New trouble starting or stopping passing urine, leaking, or not being able to control your bowels",
    ),
    ("both_legs_weak_or_numb", "Weakness or numbness in both legs"),
    ("progressive_weakness", "Weakness in an arm or leg that is getting worse"),
    (
        "unsteady_walking_or_clumsy_hands",
        "Unsteady walking, or hands that have become clumsy (dropping things, trouble with buttons)",
    ),
    ("band_like_chest_pain", "Pain that wraps around your chest or body like a band"),
    ("numbness_below_a_level", "Numbness in your body below a certain level"),
    ("fever_or_chills", "Fever, sweats or shivering"),
    ("unexplained_weight_loss", "Losing weight without trying"),
    (
        "night_pain_not_eased_by_position",
        "Pain at night that does not ease whatever position you lie in",
    ),
    ("chest_pain_or_breathlessness", "Chest pain, or getting out of breath more easily than usual"),
    (
        "pain_not_affected_by_movement",
        "Pain that stays the same whatever you do or however you move",
    ),
    ("marked_morning_stiffness", "Stiffness in the morning that lasts more than half an hour"),
    ("weakness_in_one_limb", "Weakness in one arm or leg that is not getting worse"),
];

const HISTORY: [(&str, &str); 6] = [
    ("cancer", "Cancer, now or in the past"),
    ("osteoporosis", "Osteoporosis (thin or weak bones)"),
    ("long_term_steroids", "Steroid tablets taken for 3 months or more"),
    ("immunosuppression", "A weak immune system, or medicines that lower it"),
    ("iv_drug_use", "Injecting drugs"),
    ("recent_infection", "An infection in the last few weeks"),
];

const FINDINGS: [(&str, &str); 6] = [
    ("disc_herniation", "A slipped, bulging or herniated disc"),
    ("cord_compression", "Pressure on the spinal cord"),
    ("fracture", "A broken bone (fracture) in the spine"),
    ("instability", "Bones that move too much (instability)"),
    ("infection", "An infection"),
    ("tumour", "A growth or tumour"),
];

const REGIONS: [(&str, &str); 3] = [
    ("cervical", "Neck"),
    ("thoracic", "Middle of the back (between the shoulder blades)"),
    ("lumbar", "Lower back"),
];

const PROCEDURES: [(&str, &str); 3] = [
    (
        "discectomy_or_decompression",
        "Discectomy or decompression (taking away what presses on a nerve)",
    ),
    ("fusion", "Spinal fusion (joining vertebrae together)"),
    ("vertebral_augmentation", "Vertebroplasty or kyphoplasty (cement in a broken vertebra)"),
];

/// The patient's intake draft (audited), or a redirect when it has been sent already.
async fn open_draft(state: &AppState, p: &Principal) -> Result<Result<Draft, Redirect>, PageError> {
    let d = care::intake::draft(state, p).await?;
    if d.sent() { Ok(Err(Redirect::to("/intake/result"))) } else { Ok(Ok(d)) }
}

/// `/intake`: start, resume where the patient stopped, or show the result.
pub(crate) async fn start(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "intake").await?;
    let d = match open_draft(&state, &p).await? {
        Ok(d) => d,
        Err(to) => return Ok(to.into_response()),
    };
    let (answers, step) = (d.answers, d.step.unwrap_or_else(|| STEPS[0].to_owned()));
    let resume = !answers.is_empty();
    let body = html! {
        h1 { "Tell us about your back pain" }
        p.lead { "Your answers help your physical therapist plan your care and make sure you get the right help quickly if you need it." }
        p { "There are " (STEPS.len()) " short pages of questions. It takes about 5 minutes. Your answers are saved as you go, so you can stop and come back." }
        p { "If you have sudden numbness between your legs, new trouble with your bladder or bowels, or chest pain, do not wait: call your emergency number or go to an emergency department now." }
        a.button href={ "/intake/" (if resume && STEPS.contains(&step.as_str()) { step.as_str() } else { STEPS[0] }) } {
            @if resume { "Continue where you left off" } @else { "Start now" }
        }
    };
    Ok(page("Tell us about your back pain", Some(&p), body).into_response())
}

/// A JSON pointer into the draft (`Map` has no `pointer` of its own).
fn ptr<'a>(a: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let path = path.strip_prefix('/')?;
    let (first, rest) = path.split_once('/').map_or((path, None), |(f, r)| (f, Some(r)));
    let v = a.get(first)?;
    match rest {
        Some(r) => v.pointer(&format!("/{r}")),
        None => Some(v),
    }
}

fn checked(answers: &Map<String, Value>, key: &str, value: &str) -> bool {
    match answers.get(key) {
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(value)),
        Some(Value::String(s)) => s == value,
        _ => false,
    }
}

fn choices(
    name: &str,
    kind: &str,
    options: &[(&str, &str)],
    is_checked: impl Fn(&str) -> bool,
) -> Markup {
    html! {
        @for (value, label) in options {
            div.(if kind == "radio" { "radio" } else { "checkbox" }) {
                input type=(kind) name=(name) value=(value) id={ (name) "-" (value) } checked[is_checked(value)];
                label for={ (name) "-" (value) } { (label) }
            }
        }
    }
}

fn step_fields(step: &str, a: &Map<String, Value>, errors: &[FieldError]) -> Markup {
    let num =
        |v: Option<&Value>| v.and_then(Value::as_u64).map(|n| n.to_string()).unwrap_or_default();
    match step {
        "region" => html! {
            fieldset #regions {
                legend.visually-hidden { "Where is your pain?" }
                p.hint { "Tick all that apply." }
                (field_error(errors, "regions"))
                (choices("regions", "checkbox", &REGIONS, |v| checked(a, "regions", v)))
            }
        },
        "duration" => {
            let (n, unit) = match a.get("duration") {
                Some(Value::Object(d)) if d.contains_key("days") => (num(d.get("days")), "days"),
                Some(Value::Object(d)) => (num(d.get("weeks")), "weeks"),
                _ => (String::new(), "weeks"),
            };
            html! {
                div.field {
                    label for="duration_value" { "Number" }
                    (field_error(errors, "duration_value"))
                    input #duration_value name="duration_value" type="text" inputmode="numeric" value=(n) style="max-width:8rem";
                }
                fieldset {
                    legend { "Days or weeks?" }
                    (choices("duration_unit", "radio", &[("days", "Days"), ("weeks", "Weeks")], |v| v == unit))
                }
            }
        }
        "pain" => {
            let now = a.get("pain_now").and_then(Value::as_u64);
            let options: Vec<(String, String)> = (0..=10)
                .map(|i| {
                    let word = match i {
                        0 => " – no pain",
                        10 => " – worst pain you can imagine",
                        _ => "",
                    };
                    (i.to_string(), format!("{i}{word}"))
                })
                .collect();
            let refs: Vec<(&str, &str)> =
                options.iter().map(|(v, l)| (v.as_str(), l.as_str())).collect();
            html! {
                fieldset #pain_now {
                    legend.visually-hidden { "Pain from 0 to 10" }
                    p.hint { "0 means no pain and 10 the worst pain you can imagine." }
                    (field_error(errors, "pain_now"))
                    div.scale { (choices("pain_now", "radio", &refs, |v| now.is_some_and(|n| n.to_string() == v))) }
                }
            }
        }
        "history" => html! {
            fieldset #history {
                legend { "Have you ever had any of these?" }
                p.hint { "Tick all that apply. Leave them all unticked if none do." }
                (choices("history", "checkbox", &HISTORY, |v| checked(a, "history", v)))
            }
            fieldset #trauma {
                legend { "Did this pain start after a fall, accident or injury?" }
                (field_error(errors, "trauma"))
                (choices("trauma", "radio", &[
                    ("none", "No"),
                    ("minor", "Yes, a small one (for example a trip, or lifting something)"),
                    ("major", "Yes, a big one (for example a car accident or a fall from a height)"),
                ], |v| checked(a, "trauma", v)))
            }
        },
        "symptoms" => html! {
            fieldset #symptoms {
                legend.visually-hidden { "Symptoms" }
                p.hint { "Tick all that you have now. Some of these need a doctor quickly; your answers help us spot that." }
                (field_error(errors, "symptoms"))
                (choices("symptoms", "checkbox", &SYMPTOMS, |v| checked(a, "symptoms", v)))
                p.or { "or" }
                (choices("symptoms", "checkbox", &[("none", "None of these")], |_| a.get("symptoms").and_then(Value::as_array).is_some_and(Vec::is_empty) && a.contains_key("symptoms")))
            }
        },
        "imaging" => {
            let had = a.get("imaging").map(|i| !i.is_null());
            let findings: Vec<&str> = a
                .get("imaging")
                .and_then(|i| i.get("findings"))
                .and_then(Value::as_array)
                .map(|f| f.iter().filter_map(|x| x.get("kind").and_then(Value::as_str)).collect())
                .unwrap_or_default();
            let region = ptr(a, "/imaging/findings/0/region").and_then(Value::as_str).unwrap_or("");
            html! {
                fieldset #had_scan {
                    legend.visually-hidden { "Have you had a scan?" }
                    (field_error(errors, "had_scan"))
                    (choices("had_scan", "radio", &[("yes", "Yes (MRI, CT or X-ray)"), ("no", "No")], |v| match v { "yes" => had == Some(true) && a.contains_key("imaging"), _ => a.contains_key("imaging") && had == Some(false) }))
                }
                fieldset {
                    legend { "If yes: what did it show?" }
                    p.hint { "Tick what your doctor told you it showed. Leave them unticked if it was normal or you are not sure." }
                    (choices("findings", "checkbox", &FINDINGS, |v| findings.contains(&v)))
                }
                fieldset {
                    legend { "Which part of the spine was it?" }
                    (choices("finding_region", "radio", &REGIONS, |v| v == region))
                }
            }
        }
        "treatment" => {
            let weeks = num(ptr(a, "/conservative_care/weeks"));
            let helped = ptr(a, "/conservative_care/helped").and_then(Value::as_bool);
            html! {
                div.field {
                    label for="care_weeks" { "For how many weeks have you had treatment without surgery for this pain?" }
                    p.hint { "For example physiotherapy, exercise, or medicines. Enter 0 if none." }
                    (field_error(errors, "care_weeks"))
                    input #care_weeks name="care_weeks" type="text" inputmode="numeric" value=(weeks) style="max-width:8rem";
                }
                fieldset {
                    legend { "Has it helped?" }
                    (choices("care_helped", "radio", &[("yes", "Yes"), ("no", "No, or not enough"), ("unsure", "Not sure, or no treatment yet")], |v| match v {
                        "yes" => helped == Some(true),
                        "no" => helped == Some(false),
                        _ => helped.is_none() && a.contains_key("conservative_care"),
                    }))
                }
            }
        }
        "surgery" => {
            let status = ptr(a, "/surgery/status").and_then(Value::as_str).unwrap_or("");
            let procedure = ptr(a, "/surgery/procedure").and_then(Value::as_str).unwrap_or("");
            let date = ptr(a, "/surgery/date").and_then(Value::as_str).unwrap_or("");
            html! {
                fieldset #surgery_status {
                    legend.visually-hidden { "Operation" }
                    (field_error(errors, "surgery_status"))
                    (choices("surgery_status", "radio", &[
                        ("none", "No"),
                        ("recommended", "A doctor has suggested an operation, but no date is set"),
                        ("scheduled", "An operation is booked"),
                        ("done", "I have had an operation for this"),
                    ], |v| v == status))
                }
                fieldset #procedure {
                    legend { "Which operation?" }
                    (field_error(errors, "procedure"))
                    (choices("procedure", "radio", &PROCEDURES, |v| v == procedure))
                }
                div.field {
                    label for="surgery_date" { "Date of the operation (booked or done)" }
                    p.hint { "For example 2026-12-14." }
                    (field_error(errors, "surgery_date"))
                    input #surgery_date name="surgery_date" type="date" value=(date) style="max-width:12rem";
                }
            }
        }
        "goals" => {
            let goals: Vec<&str> = a
                .get("goals")
                .and_then(Value::as_array)
                .map(|g| g.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            html! {
                div.field {
                    label for="goals" { "Your goals" }
                    p.hint { "One per line, for example \"walk the dog for 30 minutes\" or \"pick up my grandchild\". You can leave this empty." }
                    (field_error(errors, "goals"))
                    textarea #goals name="goals" rows="5" { (goals.join("\n")) }
                }
            }
        }
        _ => html! {},
    }
}

fn step_page(p: &Principal, step: &str, a: &Map<String, Value>, errors: &[FieldError]) -> Markup {
    let i = STEPS.iter().position(|s| *s == step).unwrap_or(0);
    let back = if i == 0 { "/intake".to_owned() } else { format!("/intake/{}", STEPS[i - 1]) };
    let body = html! {
        a.back-link href=(back) { "Back" }
        (error_summary(errors))
        p.hint { "Question " (i + 1) " of " (STEPS.len()) }
        form method="post" action={ "/intake/" (step) } novalidate {
            (csrf_field(p))
            h1 { (step_title(step)) }
            (step_fields(step, a, errors))
            button.button type="submit" { "Save and continue" }
        }
    };
    page(step_title(step), Some(p), body)
}

pub(crate) async fn show_step(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(step): ApiPath<String>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "intake").await?;
    let answers = match open_draft(&state, &p).await? {
        Ok(d) => d.answers,
        Err(to) => return Ok(to.into_response()),
    };
    if step == "check" {
        return Ok(check_page(&p, &answers).into_response());
    }
    if !STEPS.contains(&step.as_str()) {
        return Err(PageError(ApiError::NotFound("page")));
    }
    Ok(step_page(&p, &step, &answers, &[]).into_response())
}

fn whole_number(v: Option<&String>, max: u64) -> Option<u64> {
    v.and_then(|s| s.trim().parse::<u64>().ok()).filter(|n| *n <= max)
}

/// Reads one page's answers into the draft, or says what to fix.
fn apply(step: &str, form: &[(String, String)], a: &mut Map<String, Value>) -> Vec<FieldError> {
    let all =
        |k: &str| form.iter().filter(|(n, _)| n == k).map(|(_, v)| v.clone()).collect::<Vec<_>>();
    let one = |k: &str| form.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let err = |field: &'static str, m: &str| vec![FieldError { field, message: m.to_owned() }];
    let known = |vals: Vec<String>, options: &[(&str, &str)]| {
        vals.into_iter()
            .filter(|v| options.iter().any(|(o, _)| o == v))
            .map(Value::from)
            .collect::<Vec<_>>()
    };
    match step {
        "region" => {
            let r = known(all("regions"), &REGIONS);
            if r.is_empty() {
                return err("regions", "Tick where your pain is");
            }
            a.insert("regions".into(), Value::Array(r));
        }
        "duration" => {
            let Some(n) = whole_number(one("duration_value").as_ref(), 5200) else {
                return err(
                    "duration_value",
                    "Enter how long you have had the pain as a whole number, like 3",
                );
            };
            let unit =
                if one("duration_unit").as_deref() == Some("days") { "days" } else { "weeks" };
            a.insert("duration".into(), json!({ unit: n }));
        }
        "pain" => {
            let Some(n) = whole_number(one("pain_now").as_ref(), 10) else {
                return err("pain_now", "Choose your pain now, from 0 to 10");
            };
            a.insert("pain_now".into(), json!(n));
        }
        "history" => {
            let Some(t) =
                one("trauma").filter(|t| ["none", "minor", "major"].contains(&t.as_str()))
            else {
                return err(
                    "trauma",
                    "Say whether the pain started after a fall, accident or injury",
                );
            };
            a.insert("history".into(), Value::Array(known(all("history"), &HISTORY)));
            a.insert("trauma".into(), json!(t));
        }
        "symptoms" => {
            let ticked = all("symptoms");
            let none = ticked.iter().any(|v| v == "none");
            let s = known(ticked, &SYMPTOMS);
            if s.is_empty() && !none {
                return err("symptoms", "Tick the ones you have, or tick \"None of these\"");
            }
            if !s.is_empty() && none {
                return err(
                    "symptoms",
                    "You ticked \"None of these\" and a symptom: untick one of them",
                );
            }
            a.insert("symptoms".into(), Value::Array(s));
        }
        "imaging" => match one("had_scan").as_deref() {
            Some("yes") => {
                let region = one("finding_region").filter(|r| REGIONS.iter().any(|(v, _)| v == r));
                let findings: Vec<Value> = known(all("findings"), &FINDINGS)
                    .into_iter()
                    .map(|k| match &region {
                        Some(r) => json!({ "kind": k, "region": r }),
                        None => json!({ "kind": k }),
                    })
                    .collect();
                a.insert("imaging".into(), json!({ "findings": findings }));
            }
            Some("no") => {
                a.insert("imaging".into(), Value::Null);
            }
            _ => return err("had_scan", "Say whether you have had a scan"),
        },
        "treatment" => {
            let Some(w) = whole_number(one("care_weeks").as_ref(), 5200) else {
                return err("care_weeks", "Enter the number of weeks as a whole number, or 0");
            };
            let mut care = json!({ "weeks": w });
            match one("care_helped").as_deref() {
                Some("yes") => care["helped"] = json!(true),
                Some("no") => care["helped"] = json!(false),
                _ => {}
            }
            a.insert("conservative_care".into(), care);
        }
        "surgery" => {
            let status = one("surgery_status").unwrap_or_default();
            let procedure = one("procedure").filter(|v| PROCEDURES.iter().any(|(o, _)| o == v));
            let date = one("surgery_date").map(|d| d.trim().to_owned()).filter(|d| !d.is_empty());
            let fmt = time::macros::format_description!("[year]-[month]-[day]");
            let surgery = match status.as_str() {
                "none" => json!({ "status": "none" }),
                "recommended" => match procedure {
                    Some(pr) => json!({ "status": "recommended", "procedure": pr }),
                    None => json!({ "status": "recommended" }),
                },
                "scheduled" | "done" => {
                    let Some(pr) = procedure else {
                        return err("procedure", "Choose which operation");
                    };
                    let Some(d) = date.filter(|d| time::Date::parse(d, &fmt).is_ok()) else {
                        return err(
                            "surgery_date",
                            "Enter the date of the operation, like 2026-12-14",
                        );
                    };
                    json!({ "status": status, "procedure": pr, "date": d })
                }
                _ => return err("surgery_status", "Choose one answer"),
            };
            a.insert("surgery".into(), surgery);
        }
        "goals" => {
            let goals: Vec<Value> = one("goals")
                .unwrap_or_default()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| Value::from(l.chars().take(200).collect::<String>()))
                .take(10)
                .collect();
            a.insert("goals".into(), Value::Array(goals));
        }
        _ => {}
    }
    vec![]
}

pub(crate) async fn save_step(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(step): ApiPath<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "intake").await?;
    if !STEPS.contains(&step.as_str()) {
        return Err(PageError(ApiError::NotFound("page")));
    }
    let mut answers = match open_draft(&state, &p).await? {
        Ok(d) => d.answers,
        Err(to) => return Ok(to.into_response()),
    };
    let errors = apply(&step, &form, &mut answers);
    if !errors.is_empty() {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, step_page(&p, &step, &answers, &errors))
            .into_response());
    }
    let i = STEPS.iter().position(|s| *s == step).unwrap_or(0);
    let next = STEPS.get(i + 1).copied().unwrap_or("check");
    care::intake::save(&state, &p, answers, next).await?;
    Ok(Redirect::to(&format!("/intake/{next}")).into_response())
}

fn label_of<'a>(options: &'a [(&str, &str)], v: &str) -> &'a str {
    options.iter().find(|(o, _)| *o == v).map_or("", |(_, l)| *l)
}

fn summary(a: &Map<String, Value>, step: &str) -> String {
    let strs = |k: &str| {
        a.get(k)
            .and_then(Value::as_array)
            .map(|v| v.iter().filter_map(Value::as_str).map(str::to_owned).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let join =
        |v: Vec<String>, none: &str| if v.is_empty() { none.to_owned() } else { v.join("; ") };
    match step {
        "region" => join(
            strs("regions").iter().map(|r| label_of(&REGIONS, r).to_owned()).collect(),
            "Not answered",
        ),
        "duration" => match a.get("duration") {
            Some(Value::Object(d)) => {
                d.iter().map(|(u, n)| format!("{n} {u}")).collect::<Vec<_>>().join("")
            }
            _ => "Not answered".into(),
        },
        "pain" => a.get("pain_now").map_or("Not answered".into(), |n| format!("{n} out of 10")),
        "history" => {
            let h = join(
                strs("history").iter().map(|r| label_of(&HISTORY, r).to_owned()).collect(),
                "None of these",
            );
            let t = match a.get("trauma").and_then(Value::as_str) {
                Some("minor") => "Started after a small injury",
                Some("major") => "Started after a big injury",
                Some(_) => "No injury before it started",
                None => "Injury question not answered",
            };
            format!("{h}. {t}.")
        }
        "symptoms" => match a.get("symptoms") {
            None => "Not answered".into(),
            Some(_) => join(
                strs("symptoms").iter().map(|r| label_of(&SYMPTOMS, r).to_owned()).collect(),
                "None of these",
            ),
        },
        "imaging" => match a.get("imaging") {
            None => "Not answered".into(),
            Some(Value::Null) => "No scan".into(),
            Some(i) => {
                let f: Vec<String> = i
                    .get("findings")
                    .and_then(Value::as_array)
                    .map(|f| {
                        f.iter()
                            .filter_map(|x| x.get("kind").and_then(Value::as_str))
                            .map(|k| label_of(&FINDINGS, k).to_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                format!("Had a scan. {}", join(f, "Nothing ticked"))
            }
        },
        "treatment" => match a.get("conservative_care") {
            None => "Not answered".into(),
            Some(c) => format!(
                "{} weeks; {}",
                c.get("weeks").and_then(Value::as_u64).unwrap_or(0),
                match c.get("helped").and_then(Value::as_bool) {
                    Some(true) => "it helped",
                    Some(false) => "it has not helped enough",
                    None => "not sure if it helped",
                }
            ),
        },
        "surgery" => match a.get("surgery") {
            None => "Not answered".into(),
            Some(s) => {
                let st = s.get("status").and_then(Value::as_str).unwrap_or("");
                let pr = s
                    .get("procedure")
                    .and_then(Value::as_str)
                    .map(|p| label_of(&PROCEDURES, p))
                    .unwrap_or("");
                let d = s.get("date").and_then(Value::as_str).unwrap_or("");
                match st {
                    "none" => "No operation planned".into(),
                    "recommended" => format!("Suggested, no date. {pr}"),
                    "scheduled" => format!("Booked for {d}. {pr}"),
                    _ => format!("Done on {d}. {pr}"),
                }
            }
        },
        "goals" => join(strs("goals"), "None given"),
        _ => String::new(),
    }
}

fn check_page(p: &Principal, a: &Map<String, Value>) -> Markup {
    let missing: Vec<&str> = STEPS
        .iter()
        .copied()
        .filter(|s| {
            summary(a, s) == "Not answered" || (*s == "history" && !a.contains_key("trauma"))
        })
        .collect();
    let body = html! {
        a.back-link href={ "/intake/" (STEPS[STEPS.len() - 1]) } { "Back" }
        h1 { "Check your answers" }
        @if !missing.is_empty() {
            div.error-summary role="alert" {
                h2 { "Some questions still need an answer" }
                ul { @for s in &missing { li { a href={ "/intake/" (s) } { (step_title(s)) } } } }
            }
        }
        dl.summary-list.check-answers {
            @for s in STEPS {
                div {
                    dt { (step_title(s)) }
                    dd { (summary(a, s)) }
                    dd.change { a href={ "/intake/" (s) } { "Change" span.visually-hidden { " " (step_title(s)) } } }
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

pub(crate) async fn submit(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "intake").await?;
    match care::intake::submit_draft(&state, &p).await {
        Ok(_) => Ok(Redirect::to("/intake/result").into_response()),
        Err(ApiError::Conflict(_)) => Ok(Redirect::to("/intake/result").into_response()),
        Err(ApiError::Invalid { message, .. }) => {
            // The pages check each answer, so this means a gap: send the patient back to it.
            let body = html! {
                h1 { "Some answers need another look" }
                p { (message) }
                p { a href="/intake/check" { "Check your answers" } }
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page("Check your answers", Some(&p), body))
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// What the patient sees after sending the intake: what to do now, in the words of a care card.
pub(crate) async fn result(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "intake").await?;
    let Some(t) = care::triage::history(&state, &p, p.user.id).await?.into_iter().next() else {
        return Ok(Redirect::to("/intake").into_response());
    };
    let tier = t.tier_in_force();
    let reasons: Vec<&str> = t.decision.reasons.iter().map(|r| r.reason.as_str()).collect();
    let body = html! {
        @match tier {
            Tier::Emergency => div.care-card.care-emergency {
                h1 { "Go to an emergency department now" }
                p { "Some of your answers can be a sign of a problem that needs a doctor today, as an emergency. Call your local emergency number, or have someone take you to the nearest emergency department. Do not drive yourself." }
                p { "Do not start any exercises until a doctor has seen you. Your physical therapist has been told." }
            },
            Tier::Urgent => div.care-card.care-urgent {
                h1 { "See a doctor today" }
                p { "Some of your answers mean a doctor should check you today. Contact your doctor's surgery or an urgent care service now and tell them about your back pain and the answers below." }
                p { "If things get worse, such as new numbness between your legs or trouble with your bladder or bowels, go to an emergency department straight away." }
            },
            Tier::Specialist => div.care-card.care-specialist {
                h1 { "We suggest a spine specialist's opinion" }
                p { "Your answers suggest it is worth asking a spine specialist for their view. This is not urgent and it does not mean you need an operation. Your physical therapist will review your answers and talk it through with you." }
                p { a href="/decision-aid" { "Read: is surgery right for me?" } }
            },
            Tier::Exercise => div.care-card.care-exercise {
                h1 { "Thank you: exercise-based care is the right place to start" }
                p { "Nothing in your answers needs a doctor urgently. Your physical therapist will look at your answers and set up your programme." }
                p { "If anything changes, such as new numbness between your legs, trouble with your bladder or bowels, or weakness in both legs, go to an emergency department straight away." }
            },
        }
        @if !reasons.is_empty() {
            h2 { "Why" }
            ul { @for r in &reasons { li { (r) } } }
        }
        @if let Some(r) = &t.review {
            p.hint { "Reviewed by your care team: " (tier_label(r.final_tier).0) "." }
        }
        p { a href="/home" { "Go to your home page" } }
    };
    Ok(page("Your result", Some(&p), body).into_response())
}

fn check_in_page(p: &Principal, a: &Map<String, Value>, errors: &[FieldError]) -> Markup {
    let body = html! {
        a.back-link href="/home" { "Back" }
        (error_summary(errors))
        form method="post" action="/check-in" novalidate {
            (csrf_field(p))
            h1 { "Weekly check-in" }
            p.lead { "Two quick questions so your physical therapist knows how you are and whether anything new needs a doctor." }
            h2 { "How bad is your pain right now?" }
            (step_fields("pain", a, errors))
            h2 { "Do you have any of these now?" }
            (step_fields("symptoms", a, errors))
            button.button type="submit" { "Send" }
        }
    };
    page("Weekly check-in", Some(p), body)
}

pub(crate) async fn check_in(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "check_in").await?;
    let d = care::intake::draft(&state, &p).await?;
    if !d.sent() {
        return Ok(Redirect::to("/intake").into_response());
    }
    Ok(check_in_page(&p, &Map::new(), &[]).into_response())
}

/// A check-in re-runs triage on the intake with today's pain and symptoms. High pain, a rise
/// in pain or a new warning sign gets an interruption page and goes to the care team.
pub(crate) async fn submit_check_in(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "check_in").await?;
    let mut update = Map::new();
    let mut errors = apply("pain", &form, &mut update);
    errors.extend(apply("symptoms", &form, &mut update));
    if !errors.is_empty() {
        return Ok(
            (StatusCode::UNPROCESSABLE_ENTITY, check_in_page(&p, &update, &errors)).into_response()
        );
    }
    match care::checkin::check_in(&state, &p, update).await {
        Ok(_) => Ok(Redirect::to("/check-in/result").into_response()),
        Err(ApiError::Conflict(_)) => Ok(Redirect::to("/intake").into_response()),
        Err(e) => Err(e.into()),
    }
}

/// After a check-in: an interruption page while exercise is paused (what to do now, who has
/// been told), otherwise thanks. It shows the record as it stands, so a reload is harmless.
pub(crate) async fn check_in_result(
    State(state): State<AppState>,
    PageUser(p): PageUser,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "check_in").await?;
    let Some(latest) = care::triage::history(&state, &p, p.user.id).await?.into_iter().next()
    else {
        return Ok(Redirect::to("/intake").into_response());
    };
    let pause = care::safety::pause(state.store(), &p.user, state.now()).await?;
    let tier = latest.review.as_ref().map_or(latest.tier, |r| r.final_tier);
    let body = html! {
        @if let Some(pause) = &pause {
            div.care-card.(if tier == Tier::Emergency { "care-emergency" } else { "care-urgent" }) role="alert" {
                h1 { @match tier {
                    Tier::Emergency => "Go to an emergency department now",
                    Tier::Urgent => "See a doctor today",
                    _ => "Do not exercise today",
                } }
                p { (pause.patient_message()) }
                @if tier < Tier::Urgent {
                    h2 { "What to do now" }
                    ul {
                        li { "Rest in a position that eases the pain, and keep gently moving around the house if you can." }
                        li { "Take the pain relief you normally use, as the label or your doctor says." }
                        li { "Your physical therapist has been told and will be in touch." }
                    }
                }
            }
        } @else {
            h1 { "Thank you for checking in" }
            p.lead { "Nothing in your answers needs a doctor. Carry on with your programme." }
            p { "If anything changes, such as new numbness between your legs, trouble with your bladder or bowels, or weakness in both legs, go to an emergency department straight away." }
        }
        p { a href="/home" { "Go to your home page" } }
    };
    Ok(page("Your check-in", Some(&p), body).into_response())
}
