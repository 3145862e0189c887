//! The clinical part of a patient's page for staff: alerts, the episode of care, triage
//! with its reasons and the review form, and outcome scores over time; plus the form handlers.

use super::Form;
use axum::extract::State;
use maud::{Markup, html};
use physio_clinic::triage::Tier;
use physio_store::{Episode, ResponseRecord, Role, TriageRecord};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::{
        self,
        references::{MIN_REFERENCE_REPS, ReferenceRequest},
    },
    error::{ApiError, ApiPath},
    pages::{
        PageError, PageResult, PageUser,
        charts::{Chart, Point, Size, line_chart},
        layout::{FieldError, csrf_field, field_error},
        staff_forms::{back_to_patient, failed, field_errors},
    },
    state::AppState,
    zone::Zone,
};

/// How a tier reads to a clinician, and the tag style that carries its urgency (never colour
/// alone: the words say it too).
pub(crate) fn tier_label(tier: Tier) -> (&'static str, &'static str) {
    match tier {
        Tier::Emergency => ("Emergency", "tag-emergency"),
        Tier::Urgent => ("Urgent: same-day review", "tag-urgent"),
        Tier::Specialist => ("Spine specialist opinion", "tag-specialist"),
        Tier::Exercise => ("Exercise care", "tag-exercise"),
    }
}

/// Everything clinical about one patient, for their page.
pub(crate) async fn sections(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<Markup, PageError> {
    care::records::open_as_staff(state, p, patient_id, "clinical_record").await?;
    let store = state.store();
    let clinic = p.user.clinic_id;
    let episode = store.episodes(clinic, patient_id).await?.into_iter().next();
    let history = match &episode {
        Some(ep) => store.triage_history(clinic, ep.id).await?,
        None => vec![],
    };
    let responses = store.responses(clinic, patient_id, None).await?;
    let sessions = store.exercise_sessions(clinic, patient_id, 50).await?;
    let references = store.exercise_references(clinic, patient_id).await?;
    let clinician = p.role() == Role::Clinician;
    let z = &care::clinic::zone(state, clinic).await?;
    let programme = crate::pages::programme_staff::section(state, p, patient_id).await?;
    let session_log = crate::pages::session_log::section(state, p, patient_id, z).await?;
    let alert_history = crate::pages::inbox::history_section(state, p, patient_id, z).await?;
    Ok(html! {
        (alert_history)
        (triage_section(p, z, &history, clinician))
        (episode_section(z, episode.as_ref()))
        @if let Some(ep) = &episode { (crate::pages::pathway::section(p, ep, state.now().date())) }
        (programme)
        (crate::pages::proposals::patient_section(state, p, patient_id, z).await?)
        (session_log)
        (crate::pages::lessons::section(state, p, patient_id).await?)
        (change_summary(&responses, episode.as_ref()))
        (outcomes_section(z, &responses))
        (sessions_section(p, z, patient_id, &sessions, &references, clinician))
    })
}

fn episode_section(z: &Zone, ep: Option<&Episode>) -> Markup {
    html! {
        h2 { "Episode of care" }
        @match ep {
            None => p { "No episode of care yet: the patient has not started the intake." },
            Some(ep) => dl.summary-list {
                div { dt { "Status" } dd { (ep.status.as_str().replace('_', " ")) } }
                div { dt { "Opened" } dd { (z.date_time(ep.opened_at)) } }
                @if let Some(pw) = &ep.pathway { div { dt { "Pathway" } dd { (pw.replace('_', " ")) } } }
                @if let Some(d) = ep.surgery_date { div { dt { "Surgery date" } dd { (d) } } }
                @if let Some(o) = &ep.phase_override {
                    div { dt { "Phase set by clinician" } dd { (o.phase) ": " (o.reason) } }
                }
            },
        }
    }
}

fn triage_section(p: &Principal, z: &Zone, history: &[TriageRecord], clinician: bool) -> Markup {
    let Some(latest) = history.first() else { return html! {} };
    let (label, class) = tier_label(latest.tier);
    html! {
        section aria-labelledby="triage-title" {
            h2 #triage-title { "Triage" }
            p {
                span.tag.(class) { (label) } " proposed by the rules on " (z.date_time(latest.decided_at))
                " (" (latest.trigger.replace('_', " ")) ")."
            }
            h3 { "Why" }
            @if latest.decision.reasons.is_empty() { p { "No rule fired: exercise-based care is the default." } }
            ul { @for r in &latest.decision.reasons {
                li {
                    strong { (r.rule.replace('_', " ")) ": " } (r.clinician_note)
                    br; span.hint { "Told to the patient: " (r.reason) }
                }
            } }
            @if !latest.decision.unknowns.is_empty() {
                h3 { "Answers the patient was not sure of" }
                ul { @for u in &latest.decision.unknowns { li { (u.field.replace('_', " ")) ": " (u.treated_as) } } }
            }
            @match &latest.review {
                Some(r) => p {
                    "Reviewed " (z.date_time(r.at)) ": "
                    @if r.final_tier == latest.tier { "confirmed" } @else { "changed to " strong { (tier_label(r.final_tier).0) } }
                    @if let Some(n) = &r.note { ". Note: " (n) }
                },
                None if !needs_review(latest) => p.hint { "No review needed: no warning sign fired, so exercise care goes ahead." },
                None if clinician => (review_form(p, latest, &ReviewForm::proposed(latest), &[])),
                None => p.hint { "Waiting for a clinician on the care team to review it." },
            }
            @if history.len() > 1 {
                details {
                    summary { "Earlier triage (" (history.len() - 1) ")" }
                    ul { @for t in &history[1..] { li { (z.date_time(t.decided_at)) ": " (tier_label(t.tier).0) } } }
                }
            }
        }
    }
}

/// Whether a decision waits for a clinician: the rules asked for one (every tier above
/// exercise care, and some findings within it), or a check-in flagged it.
fn needs_review(t: &TriageRecord) -> bool {
    t.decision.needs_clinician_review() || t.trigger == "pain_rise"
}

/// The review form, holding `v` (what the rules proposed, or what the clinician typed).
fn review_form(p: &Principal, t: &TriageRecord, v: &ReviewForm, errors: &[FieldError]) -> Markup {
    let invalid = |id: &str| errors.iter().any(|e| e.field == id);
    html! {
        form.review method="post" action={ "/triage/" (t.id) "/review" } novalidate {
            (csrf_field(p))
            fieldset #final_tier {
                legend { "Your review" }
                p.hint { "Confirm the proposed tier, or choose another and say why." }
                (field_error(errors, "final_tier"))
                @for tier in Tier::ALL.into_iter().rev() {
                    div.radio {
                        input type="radio" name="final_tier" value=(tier.as_str()) id={ "tier-" (tier.as_str()) } checked[tier.as_str() == v.final_tier];
                        label for={ "tier-" (tier.as_str()) } { (tier_label(tier).0) @if tier == t.tier { " (proposed)" } }
                    }
                }
            }
            div.field {
                label for="note" { "Note" }
                p.hint { "Required if you change the tier." }
                (field_error(errors, "note"))
                textarea #note name="note" rows="3" aria-invalid=(invalid("note")) { (v.note) }
            }
            div.field {
                label for="pathway" { "Pathway to start (exercise care only)" }
                (field_error(errors, "pathway"))
                select #pathway name="pathway" aria-invalid=(invalid("pathway")) {
                    option value="" { "None yet" }
                    @for pw in physio_clinic::pathway::Pathway::ALL {
                        option value=(pw.as_str()) selected[pw.as_str() == v.pathway] { (pw.as_str().replace('_', " ")) }
                    }
                }
            }
            button.button type="submit" { "Save review" }
        }
    }
}

/// Each outcome's change from the episode's first answer to its latest, and whether it is
/// clinically important (the instrument's MCID). For a discharged episode this is the discharge
/// summary.
fn change_summary(responses: &[ResponseRecord], episode: Option<&Episode>) -> Markup {
    use physio_clinic::questionnaire::{Change, InstrumentId, classify_change};
    let Some(ep) = episode else { return html! {} };
    let mine: Vec<&ResponseRecord> = responses.iter().filter(|r| r.episode_id == ep.id).collect();
    let mut rows = vec![];
    for id in InstrumentId::ALL {
        let of: Vec<&&ResponseRecord> =
            mine.iter().filter(|r| r.instrument == id.as_str()).collect();
        if let (Some(first), Some(last)) = (of.first(), of.last())
            && of.len() > 1
        {
            rows.push((id, first.score, last.score, classify_change(id, first.score, last.score)));
        }
    }
    let discharged = ep.status == physio_store::EpisodeStatus::Discharged;
    html! {
        @if !rows.is_empty() || discharged {
            section aria-labelledby="change-title" {
                h2 #change-title { @if discharged { "Discharge summary" } @else { "Change since the first answers" } }
                @if rows.is_empty() { p { "Not enough answers to compare." } }
                @else {
                    table {
                        thead { tr { th scope="col" { "Measure" } th scope="col" { "First" } th scope="col" { "Latest" } th scope="col" { "Clinically important?" } } }
                        tbody { @for (id, a, b, c) in &rows { tr {
                            td { (id.as_str().to_uppercase()) }
                            td { (format!("{a:.1}")) }
                            td { (format!("{b:.1}")) }
                            td { @match c {
                                Ok(c) => {
                                    strong { @match c.change { Change::Improved => "Improved", Change::Unchanged => "No important change", Change::Worse => "Worse" } }
                                    br; span.hint { (c.explanation) }
                                },
                                Err(e) => span.hint { (e.to_string()) },
                            } }
                        } } }
                    }
                }
            }
        }
    }
}

fn outcomes_section(z: &Zone, responses: &[ResponseRecord]) -> Markup {
    let mut instruments: Vec<&str> = responses.iter().map(|r| r.instrument.as_str()).collect();
    instruments.dedup();
    instruments.sort_unstable();
    instruments.dedup();
    html! {
        h2 { "Outcomes" }
        @if responses.is_empty() { p { "No questionnaires completed yet." } }
        @for inst in instruments {
            @let rows: Vec<&ResponseRecord> = responses.iter().filter(|r| r.instrument == inst).collect();
            @let points: Vec<Point> = rows.iter().map(|r| Point { at: z.local(r.submitted_at), value: r.score }).collect();
            @let scale = inst.parse::<physio_clinic::questionnaire::InstrumentId>().ok().map(|i| i.scale());
            @let max = scale.as_ref().map_or_else(|| rows.iter().map(|r| r.score).fold(10.0, f64::max), |s| s.max);
            div.outcome {
                (line_chart(&Chart { title: &inst.to_uppercase(), points: &points, y_min: 0.0, y_max: max, band: None, size: Size::STAFF }))
                table {
                    caption.visually-hidden { (inst) " scores" }
                    thead { tr { th scope="col" { "Date" } th scope="col" { "Time point" } th scope="col" { "Score" } th scope="col" { "Band" } } }
                    tbody { @for r in &rows { tr {
                        td { (z.date_time(r.submitted_at)) }
                        td { (r.timepoint.replace('_', " ")) }
                        td { (format!("{:.1}", r.score).trim_end_matches(".0")) }
                        td { (r.result.get("band").and_then(Value::as_str).unwrap_or("").replace('_', " ")) }
                    } } }
                }
            }
        }
    }
}

/// Mean of a numeric field over a session's repetitions.
fn mean_of(reps: &Value, field: &str) -> Option<f64> {
    let v: Vec<f64> =
        reps.as_array()?.iter().filter_map(|r| r.get(field).and_then(Value::as_f64)).collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// A target range for any exercise, before or instead of a supervised session (for example a
/// patient whose range is limited after surgery, whose repetitions would otherwise be counted
/// against the exercise's nominal range). `v` holds what was typed.
fn target_form(p: &Principal, action: &str, v: &ReferenceForm, errors: &[FieldError]) -> Markup {
    let invalid = |id: &str| errors.iter().any(|e| e.field == id);
    html! {
        form method="post" action=(action) novalidate {
            (csrf_field(p))
            p.hint { "With a target range, that exercise's repetitions are counted and judged \
                against it until you clear it or use a supervised session instead. Each \
                exercise names the angle it measures." }
            div.field {
                label for="target-exercise" { "Exercise" }
                (field_error(errors, "target-exercise"))
                select id="target-exercise" name="exercise" aria-invalid=(invalid("target-exercise")) {
                    @for e in physio_motion::analysis::exercises() {
                        option value=(e.id) selected[e.id == v.exercise] { (e.name) " — " (e.primary.describe()) }
                    }
                }
            }
            div.field {
                label for="target-rest" { "Angle at rest (°)" }
                p.hint { "A whole number or a decimal, from -360 to 360." }
                (field_error(errors, "target-rest"))
                input id="target-rest" name="rest" type="text" inputmode="decimal" value=(v.rest)
                    aria-invalid=(invalid("target-rest"));
            }
            div.field {
                label for="target-peak" { "Target angle (°)" }
                p.hint { "At least 5° away from the angle at rest." }
                (field_error(errors, "target-peak"))
                input id="target-peak" name="peak" type="text" inputmode="decimal" value=(v.peak)
                    aria-invalid=(invalid("target-peak"));
            }
            button.button-secondary type="submit" { "Set target range" }
        }
    }
}

fn sessions_section(
    p: &Principal,
    z: &Zone,
    patient_id: Uuid,
    sessions: &[physio_store::ExerciseSession],
    references: &[physio_store::ExerciseReference],
    clinician: bool,
) -> Markup {
    let action = format!("/patients/{patient_id}/references");
    let usable = |s: &physio_store::ExerciseSession| {
        clinician && s.reps.as_array().is_some_and(|r| r.len() >= MIN_REFERENCE_REPS)
    };
    let mut exercises: Vec<&str> = sessions.iter().map(|s| s.exercise.as_str()).collect();
    exercises.sort_unstable();
    exercises.dedup();
    let latest = sessions.first();
    html! {
        h2 { "Exercise sessions" }
        @if sessions.is_empty() { p { "No camera sessions yet." } }
        @let unreferenced: Vec<&str> = exercises.iter().copied()
            .filter(|ex| !references.iter().any(|r| r.exercise == *ex)).collect();
        @if clinician && !unreferenced.is_empty() {
            p.hint.no-reference { "No reference range yet for " (unreferenced.join(", "))
                ": repetitions are judged against the patient's recent ones and general limits. \
                 Use a session you supervised as the reference (below) to judge against this \
                 patient's own range and way of moving, or set a target range." }
        }
        @if !references.is_empty() {
            h3 { "Reference ranges" }
            p.hint { "Repetitions of these exercises are judged against the patient's reference: \
                more than a tenth (and at least 10°) short of it is \"too little range\"." }
            ul.references { @for r in references { li {
                strong { (r.exercise) } ": " (format!("{:.0}° to {:.0}°", r.rest, r.peak))
                span.hint { " (" @if r.session_id.is_some() { "from a session" } @else { "target" }
                    ", set " (z.date_time(r.set_at)) ")" }
                @if clinician {
                    form.inline method="post" action=(action) {
                        (csrf_field(p))
                        input type="hidden" name="exercise" value=(r.exercise);
                        input type="hidden" name="clear" value="1";
                        button.button-secondary.button-small type="submit" { "Clear" }
                    }
                }
            } } }
        }
        @if clinician {
            details.target-range {
                summary { "Set a target range" }
                (target_form(p, &action, &ReferenceForm::default(), &[]))
            }
        }
        @for ex in &exercises {
            @let points: Vec<Point> = sessions.iter().rev().filter(|s| s.exercise == *ex)
                .filter_map(|s| Some(Point { at: z.local(s.started_at), value: mean_of(&s.reps, "rom_deg")? })).collect();
            @if points.len() > 1 {
                (line_chart(&Chart { title: &format!("{ex}: mean range per session (degrees)"), points: &points, y_min: 0.0, y_max: 180.0, band: None, size: Size::STAFF }))
            }
        }
        @if !sessions.is_empty() {
            div.table-scroll tabindex="0" role="region" aria-label="Exercise sessions" {
            table.sessions {
                caption.visually-hidden { "Exercise sessions" }
                thead { tr { th scope="col" { "Started" } th scope="col" { "Exercise" } th scope="col" { "Repetitions (correct)" } th scope="col" { "Mean range" } th scope="col" { "Status" }
                    @if clinician { th scope="col" { "Reference" } } } }
                tbody { @for s in sessions { tr {
                    td { (z.date_time(s.started_at)) }
                    td { (s.exercise) }
                    td { (s.rep_count) " (" (s.correct_count) ")" }
                    td { @if let Some(m) = mean_of(&s.reps, "rom_deg") { (format!("{m:.0}°")) } }
                    td { @if s.ended_at.is_some() { "finished" } @else { "not finished" } }
                    @if clinician { td { @if references.iter().any(|r| r.session_id == Some(s.id)) {
                        "current reference"
                    } @else if usable(s) {
                        form.inline method="post" action=(action) {
                            (csrf_field(p))
                            input type="hidden" name="exercise" value=(s.exercise);
                            input type="hidden" name="session_id" value=(s.id);
                            button.button-secondary.button-small type="submit"
                                aria-label={ "Use as reference: " (s.exercise) ", session of " (z.date_time(s.started_at)) } { "Use as reference" }
                        }
                    } } }
                } } }
            }
            }
        }
        @if let Some(s) = latest.filter(|s| s.rep_count > 0) {
            details {
                summary { "Repetitions of the latest session (" (s.exercise) ")" }
                table {
                    thead { tr { th scope="col" { "#" } th scope="col" { "Range" } th scope="col" { "Peak" } th scope="col" { "Duration" } th scope="col" { "Form" } } }
                    tbody { @for r in s.reps.as_array().into_iter().flatten() { tr {
                        td { (r.get("index").and_then(Value::as_u64).unwrap_or(0)) }
                        td { (format!("{:.0}°", r.get("rom_deg").and_then(Value::as_f64).unwrap_or(0.0))) }
                        td { (format!("{:.0}°", r.get("peak_deg").and_then(Value::as_f64).unwrap_or(0.0))) }
                        td { (format!("{:.1} s", r.get("duration_s").and_then(Value::as_f64).unwrap_or(0.0))) }
                        td { @if r.get("correct").and_then(Value::as_bool) == Some(true) { "good" } @else {
                            (r.get("errors").and_then(Value::as_array).map(|e| e.iter().filter_map(Value::as_str).map(|s| s.replace('_', " ")).collect::<Vec<_>>().join(", ")).unwrap_or_default())
                        } }
                    } } }
                }
            }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ReviewForm {
    #[serde(default)]
    final_tier: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    pathway: String,
}

impl ReviewForm {
    /// The form as it first appears: the rules' tier and pathway, no note.
    fn proposed(t: &TriageRecord) -> ReviewForm {
        ReviewForm {
            final_tier: t.tier.as_str().to_owned(),
            note: String::new(),
            pathway: t.decision.pathway.map_or("", |p| p.as_str()).to_owned(),
        }
    }
}

pub(crate) async fn review(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(triage_id): ApiPath<Uuid>,
    Form(f): Form<ReviewForm>,
) -> PageResult {
    let req = care::triage::Review {
        final_tier: f.final_tier.clone(),
        note: Some(f.note.clone()).filter(|n| !n.trim().is_empty()),
        pathway: Some(f.pathway.clone()).filter(|s| !s.trim().is_empty()),
    };
    let e = match care::triage::review(&state, &p, triage_id, &req).await {
        Ok(t) => return back_to_patient(t.patient_id),
        Err(e) => e,
    };
    let errors = field_errors(e, |field| field)?;
    let t = state.store().triage_record(p.user.clinic_id, triage_id).await?;
    let z = care::clinic::zone(&state, p.user.clinic_id).await?;
    let (label, class) = tier_label(t.tier);
    let intro = html! {
        p { "The rules proposed " span.tag.(class) { (label) } " on " (z.date_time(t.decided_at)) "." }
    };
    let form = review_form(&p, &t, &f, &errors);
    failed(&state, &p, t.patient_id, "Review the triage decision", &errors, intro, form).await
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ReferenceForm {
    #[serde(default)]
    exercise: String,
    session_id: Option<Uuid>,
    #[serde(default)]
    clear: String,
    /// A target range instead of a session: angles in degrees, as typed.
    #[serde(default)]
    rest: String,
    #[serde(default)]
    peak: String,
}

/// Sets the patient's reference range from a session or as a target, or clears it.
pub(crate) async fn set_reference(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(patient_id): ApiPath<Uuid>,
    Form(f): Form<ReferenceForm>,
) -> PageResult {
    if f.clear == "1" {
        care::references::clear(&state, &p, patient_id, &f.exercise).await?;
        return back_to_patient(patient_id);
    }
    let angle = |field: &'static str, text: &str| {
        let text = text.trim();
        (!text.is_empty())
            .then(|| text.replace(',', ".").replace('−', "-").parse::<f64>())
            .transpose()
            .map_err(|_| {
                ApiError::invalid(field, "enter the angle as a number of degrees, like 15 or 90")
            })
    };
    let r = match (angle("rest", &f.rest), angle("peak", &f.peak)) {
        (Ok(rest), Ok(peak)) => {
            let req = ReferenceRequest { session_id: f.session_id, rest, peak };
            care::references::set(&state, &p, patient_id, &f.exercise, &req).await.map(drop)
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    let Err(e) = r else { return back_to_patient(patient_id) };
    // A session's "Use as reference" button has nothing typed to keep: its refusal is a page.
    if f.session_id.is_some() {
        return Err(e.into());
    }
    let errors = field_errors(e, |field| match field {
        "rest" => "target-rest",
        "peak" => "target-peak",
        _ => "target-exercise",
    })?;
    let action = format!("/patients/{patient_id}/references");
    let form = target_form(&p, &action, &f, &errors);
    failed(&state, &p, patient_id, "Set a target range", &errors, html! {}, form).await
}
