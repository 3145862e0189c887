//! The care pathway on a patient's page: the current phase with its focus, the precautions in
//! force and why, what unlocks the next phase; and the clinician's controls (pathway and
//! surgery facts, milestones met, a phase override with its reason, discharge). The rules are
//! `physio_clinic::pathway`; the clinician decides.

use super::Form;
use axum::extract::State;
use maud::{Markup, html};
use physio_clinic::pathway::{Milestone, Pathway, PhaseStatus};
use physio_store::{Episode, EpisodeStatus, Role};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::{self, pathway::phase_status},
    error::ApiPath,
    pages::{
        PageError, PageResult, PageUser,
        layout::{FieldError, csrf_field, field_error, sentence},
        staff_forms::{back_to_patient, failed, field_errors},
    },
    state::AppState,
};

fn words(s: &str) -> String {
    s.replace('_', " ")
}

fn status_markup(s: &PhaseStatus) -> Markup {
    html! {
        dl.summary-list {
            div { dt { "Pathway" } dd { (words(s.pathway.as_str())) } }
            div { dt { "Phase" } dd {
                strong { (words(s.phase.as_str())) }
                @if let Some(w) = s.week { ", week " (w) " after surgery" }
                @if let Some(w) = s.weeks_until_surgery { ", " (w) " weeks before surgery" }
                @if s.phase != s.rules_phase { " (the rules say " (words(s.rules_phase.as_str())) ")" }
            } }
            div { dt { "Focus" } dd { (s.focus) } }
            @if let Some(o) = &s.overridden_by { div { dt { "Set by clinician" } dd { (o.reason) } } }
        }
        @if !s.active_precautions.is_empty() {
            h3 { "Precautions in force" }
            ul { @for pr in &s.active_precautions {
                li { strong { (pr.instruction) } " " span.hint { "Why: " (pr.why) " Until " (pr.applies_until) "." } }
            } }
        }
        @if let Some(u) = &s.next_phase_unlock {
            h3 { "To move on to " (words(u.phase.as_str())) }
            ul {
                @if u.weeks_to_go > 0 { li { "From week " (u.from_week) ": " (u.weeks_to_go) " weeks to go" } }
                @for m in &u.milestones {
                    li { @if m.met { "Met: " } @else { "Not yet: " } (m.description) }
                }
            }
            @if u.ready { p { strong { "Ready to move on." } } }
        }
    }
}

/// The staff view of the pathway, with the clinician's forms.
pub(crate) fn section(p: &Principal, ep: &Episode, today: Date) -> Markup {
    if ep.status == EpisodeStatus::Discharged || ep.status == EpisodeStatus::Intake {
        return html! {};
    }
    let clinician = p.role() == Role::Clinician;
    let status = phase_status(ep, today);
    html! {
        section aria-labelledby="pathway-title" {
            h2 #pathway-title { "Pathway and phase" }
            @match &status {
                None => p { "No pathway yet." },
                Some(Err(e)) => p.callout { "The phase cannot be worked out. " (sentence(&e.message)) "." },
                Some(Ok(s)) => (status_markup(s)),
            }
            @if clinician {
                details {
                    summary { "Change the pathway or surgery details" }
                    (pathway_form(p, ep, &PathwayForm::of(ep), &[]))
                }
                details {
                    summary { "Record milestones" }
                    (milestones_form(p, ep, &ep.milestones, &[]))
                }
                @if ep.pathway.is_some() {
                    details {
                        summary { "Override the phase" }
                        (phase_form(p, ep, &PhaseForm::of(ep), &[]))
                    }
                }
                p { a href={ "/episodes/" (ep.id) "/discharge" } { "Discharge: end this episode of care" } }
            }
        }
    }
}

fn pathway_form(p: &Principal, ep: &Episode, v: &PathwayForm, errors: &[FieldError]) -> Markup {
    let invalid = |id: &str| errors.iter().any(|e| e.field == id);
    html! {
        form method="post" action={ "/episodes/" (ep.id) "/pathway" } novalidate {
            (csrf_field(p))
            div.field {
                label for="pw" { "Pathway" }
                (field_error(errors, "pw"))
                select #pw name="pathway" aria-invalid=(invalid("pw")) {
                    @for pw in Pathway::ALL { option value=(pw.as_str()) selected[pw.as_str() == v.pathway] { (words(pw.as_str())) } }
                }
            }
            div.field {
                label for="surgery_date" { "Surgery date (booked or done)" }
                p.hint { "Needed for the pathways before and after an operation. For example 2026-11-02." }
                (field_error(errors, "surgery_date"))
                input #surgery_date name="surgery_date" type="date" value=(v.surgery_date) aria-invalid=(invalid("surgery_date"));
            }
            div.field {
                label for="lifting" { "Lifting limit set by the surgeon, kg" }
                p.hint { "Leave empty if the surgeon has not set one." }
                (field_error(errors, "lifting"))
                input #lifting name="lifting_limit_kg" type="text" inputmode="decimal" style="max-width:8rem"
                    value=(v.lifting_limit_kg) aria-invalid=(invalid("lifting"));
            }
            button.button type="submit" { "Save pathway" }
        }
    }
}

fn milestones_form(p: &Principal, ep: &Episode, met: &[String], errors: &[FieldError]) -> Markup {
    html! {
        form method="post" action={ "/episodes/" (ep.id) "/milestones" } novalidate {
            (csrf_field(p))
            fieldset #milestones {
                legend.visually-hidden { "Milestones met" }
                (field_error(errors, "milestones"))
                @for m in Milestone::ALL {
                    div.checkbox {
                        input type="checkbox" name="milestone" value=(m.as_str()) id={ "m-" (m.as_str()) } checked[met.iter().any(|x| x == m.as_str())];
                        label for={ "m-" (m.as_str()) } { (m.description()) }
                    }
                }
            }
            button.button type="submit" { "Save milestones" }
        }
    }
}

/// The phase override: only the phases of the patient's pathway are offered.
fn phase_form(p: &Principal, ep: &Episode, v: &PhaseForm, errors: &[FieldError]) -> Markup {
    let invalid = |id: &str| errors.iter().any(|e| e.field == id);
    html! {
        form method="post" action={ "/episodes/" (ep.id) "/phase" } novalidate {
            (csrf_field(p))
            div.field {
                label for="phase" { "Phase" }
                (field_error(errors, "phase"))
                select #phase name="phase" aria-invalid=(invalid("phase")) {
                    option value="" { "Follow the rules (no override)" }
                    @for ph in care::pathway::phases_of(ep) {
                        option value=(ph.as_str()) selected[v.phase == ph.as_str()] { (words(ph.as_str())) }
                    }
                }
            }
            div.field {
                label for="reason" { "Reason" }
                p.hint { "Required for an override; it is kept with the record." }
                (field_error(errors, "reason"))
                textarea #reason name="reason" rows="2" aria-invalid=(invalid("reason")) { (v.reason) }
            }
            button.button type="submit" { "Save phase" }
        }
    }
}

fn discharge_form(p: &Principal, ep: &Episode, v: &DischargeForm, errors: &[FieldError]) -> Markup {
    let invalid = |id: &str| errors.iter().any(|e| e.field == id);
    html! {
        form method="post" action={ "/episodes/" (ep.id) "/discharge" } novalidate {
            (csrf_field(p))
            div.field {
                label for="discharge-reason" { "Why does the episode end?" }
                p.hint { "For example: goals met, moved away, referred to surgery. It goes on the discharge summary." }
                (field_error(errors, "discharge-reason"))
                textarea #discharge-reason name="reason" rows="3" aria-invalid=(invalid("discharge-reason")) { (v.reason) }
            }
            div.field {
                (field_error(errors, "discharge-confirm"))
                div.checkbox {
                    input type="checkbox" name="confirm" value="yes" id="discharge-confirm" checked[v.confirm == "yes"];
                    label for="discharge-confirm" { "I want to end this episode of care." }
                }
            }
            div.button-row {
                button.button-warning type="submit" { "Discharge the patient" }
                a href={ "/patients/" (ep.patient_id) } { "Cancel" }
            }
        }
    }
}

/// What the patient sees of their phase: the focus and the precautions, in plain words.
pub(crate) fn patient_section(ep: &Episode, today: Date) -> Markup {
    let Some(Ok(s)) = phase_status(ep, today) else { return html! {} };
    html! {
        section aria-labelledby="phase-title" {
            h2 #phase-title { "Where you are in your recovery" }
            p { "Phase: " strong { (words(s.phase.as_str())) } @if let Some(w) = s.week { ", week " (w) " after your operation" } "." }
            p { (s.focus) }
            @if !s.active_precautions.is_empty() {
                h3 { "For now, please" }
                ul { @for pr in &s.active_precautions { li { (pr.instruction) } } }
            }
        }
    }
}

/// What a discharge changes, said before the clinician confirms it.
fn discharge_intro(ep: &Episode) -> Markup {
    html! {
        p { "Discharging ends this episode of care:" }
        ul {
            li { "the pathway and its phase stop;" }
            li { "the patient is asked for their last questionnaires, so you can both see what changed;" }
            li { "the discharge summary keeps your reason." }
        }
        p { "It cannot be undone. If their back pain comes back, the patient starts a new episode with a new intake." }
        @if ep.status == EpisodeStatus::AwaitingReview {
            p.callout { "A triage decision is still waiting for review. Review it first unless the patient has left your care." }
        }
    }
}

/// The episode a clinician changes, read (and audited) through the care layer.
async fn episode(state: &AppState, p: &Principal, episode_id: Uuid) -> Result<Episode, PageError> {
    Ok(care::pathway::episode_to_change(state, p, episode_id).await?)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PathwayForm {
    #[serde(default)]
    pathway: String,
    #[serde(default)]
    surgery_date: String,
    #[serde(default)]
    lifting_limit_kg: String,
}

impl PathwayForm {
    fn of(ep: &Episode) -> PathwayForm {
        PathwayForm {
            pathway: ep.pathway.clone().unwrap_or_default(),
            surgery_date: ep.surgery_date.map(|d| d.to_string()).unwrap_or_default(),
            lifting_limit_kg: ep.lifting_limit_kg.map(|v| v.to_string()).unwrap_or_default(),
        }
    }
}

pub(crate) async fn set_pathway(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(episode_id): ApiPath<Uuid>,
    Form(f): Form<PathwayForm>,
) -> PageResult {
    let choice = care::pathway::PathwayChoice {
        pathway: f.pathway.clone(),
        surgery_date: f.surgery_date.clone(),
        lifting_limit_kg: f.lifting_limit_kg.clone(),
    };
    let e = match care::pathway::set_pathway(&state, &p, episode_id, &choice).await {
        Ok(ep) => return back_to_patient(ep.patient_id),
        Err(e) => e,
    };
    let errors = field_errors(e, |field| match field {
        "pathway" => "pw",
        "lifting_limit_kg" => "lifting",
        _ => "surgery_date",
    })?;
    let ep = episode(&state, &p, episode_id).await?;
    let form = pathway_form(&p, &ep, &f, &errors);
    failed(&state, &p, ep.patient_id, "Change the pathway", &errors, html! {}, form).await
}

pub(crate) async fn set_milestones(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(episode_id): ApiPath<Uuid>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let met: Vec<String> =
        form.into_iter().filter(|(k, _)| k == "milestone").map(|(_, v)| v).collect();
    let e = match care::pathway::set_milestones(&state, &p, episode_id, &met).await {
        Ok(ep) => return back_to_patient(ep.patient_id),
        Err(e) => e,
    };
    let errors = field_errors(e, |_| "milestones")?;
    let ep = episode(&state, &p, episode_id).await?;
    let form = milestones_form(&p, &ep, &met, &errors);
    failed(&state, &p, ep.patient_id, "Record milestones", &errors, html! {}, form).await
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct PhaseForm {
    #[serde(default)]
    phase: String,
    #[serde(default)]
    reason: String,
}

impl PhaseForm {
    fn of(ep: &Episode) -> PhaseForm {
        let o = ep.phase_override.as_ref();
        PhaseForm {
            phase: o.map(|o| o.phase.clone()).unwrap_or_default(),
            reason: o.map(|o| o.reason.clone()).unwrap_or_default(),
        }
    }
}

pub(crate) async fn set_phase(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(episode_id): ApiPath<Uuid>,
    Form(f): Form<PhaseForm>,
) -> PageResult {
    let e = match care::pathway::set_phase(&state, &p, episode_id, &f.phase, &f.reason).await {
        Ok(ep) => return back_to_patient(ep.patient_id),
        Err(e) => e,
    };
    let errors = field_errors(e, |field| if field == "reason" { "reason" } else { "phase" })?;
    let ep = episode(&state, &p, episode_id).await?;
    let form = phase_form(&p, &ep, &f, &errors);
    failed(&state, &p, ep.patient_id, "Override the phase", &errors, html! {}, form).await
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DischargeForm {
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    reason: String,
}

/// The discharge page: what discharge changes, a reason and a confirmation.
pub(crate) async fn discharge_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(episode_id): ApiPath<Uuid>,
) -> PageResult {
    let ep = episode(&state, &p, episode_id).await?;
    if ep.status == EpisodeStatus::Discharged {
        return back_to_patient(ep.patient_id);
    }
    let form = discharge_form(&p, &ep, &DischargeForm::default(), &[]);
    let intro = discharge_intro(&ep);
    failed(&state, &p, ep.patient_id, "Discharge the patient", &[], intro, form).await
}

pub(crate) async fn discharge(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(episode_id): ApiPath<Uuid>,
    Form(f): Form<DischargeForm>,
) -> PageResult {
    let confirmed = f.confirm == "yes";
    let e = match care::pathway::discharge(&state, &p, episode_id, confirmed, &f.reason).await {
        Ok(ep) => return back_to_patient(ep.patient_id),
        Err(e) => e,
    };
    let errors =
        field_errors(
            e,
            |field| {
                if field == "confirm" { "discharge-confirm" } else { "discharge-reason" }
            },
        )?;
    let ep = episode(&state, &p, episode_id).await?;
    let (form, intro) = (discharge_form(&p, &ep, &f, &errors), discharge_intro(&ep));
    failed(&state, &p, ep.patient_id, "Discharge the patient", &errors, intro, form).await
}
