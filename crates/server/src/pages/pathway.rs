//! The care pathway on a patient's page: the current phase with its focus, the precautions in
//! force and why, what unlocks the next phase; and the clinician's controls (pathway and
//! surgery facts, milestones met, a phase override with its reason, discharge). The rules are
//! `physio_clinic::pathway`; the clinician decides.

use super::Form;
use axum::{
    extract::State,
    response::{IntoResponse, Redirect},
};
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
    pages::{PageResult, PageUser, layout::csrf_field},
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
    let pathway_now = ep.pathway.as_deref().unwrap_or("");
    html! {
        section aria-labelledby="pathway-title" {
            h2 #pathway-title { "Pathway and phase" }
            @match &status {
                None => p { "No pathway yet." },
                Some(Err(e)) => p.callout { "The phase cannot be worked out: " (e) "." },
                Some(Ok(s)) => (status_markup(s)),
            }
            @if clinician {
                details {
                    summary { "Change the pathway or surgery details" }
                    form method="post" action={ "/episodes/" (ep.id) "/pathway" } {
                        (csrf_field(p))
                        div.field {
                            label for="pw" { "Pathway" }
                            select #pw name="pathway" {
                                @for pw in Pathway::ALL { option value=(pw.as_str()) selected[pw.as_str() == pathway_now] { (words(pw.as_str())) } }
                            }
                        }
                        div.field {
                            label for="surgery_date" { "Surgery date (booked or done)" }
                            input #surgery_date name="surgery_date" type="date" value=(ep.surgery_date.map(|d| d.to_string()).unwrap_or_default());
                        }
                        div.field {
                            label for="lifting" { "Lifting limit set by the surgeon, kg" }
                            p.hint { "Leave empty if the surgeon has not set one." }
                            input #lifting name="lifting_limit_kg" type="text" inputmode="decimal" style="max-width:8rem"
                                value=(ep.lifting_limit_kg.map(|v| v.to_string()).unwrap_or_default());
                        }
                        button.button type="submit" { "Save pathway" }
                    }
                }
                details {
                    summary { "Record milestones" }
                    form method="post" action={ "/episodes/" (ep.id) "/milestones" } {
                        (csrf_field(p))
                        fieldset {
                            legend.visually-hidden { "Milestones met" }
                            @for m in Milestone::ALL {
                                div.checkbox {
                                    input type="checkbox" name="milestone" value=(m.as_str()) id={ "m-" (m.as_str()) } checked[ep.milestones.iter().any(|x| x == m.as_str())];
                                    label for={ "m-" (m.as_str()) } { (m.description()) }
                                }
                            }
                        }
                        button.button type="submit" { "Save milestones" }
                    }
                }
                details {
                    summary { "Override the phase" }
                    form method="post" action={ "/episodes/" (ep.id) "/phase" } {
                        (csrf_field(p))
                        div.field {
                            label for="phase" { "Phase" }
                            select #phase name="phase" {
                                option value="" { "Follow the rules (no override)" }
                                @for ph in care::pathway::phases_of(ep) {
                                    option value=(ph.as_str()) selected[ep.phase_override.as_ref().is_some_and(|o| o.phase == ph.as_str())] { (words(ph.as_str())) }
                                }
                            }
                        }
                        div.field {
                            label for="reason" { "Reason" }
                            p.hint { "Required for an override; it is kept with the record." }
                            textarea #reason name="reason" rows="2" {}
                        }
                        button.button type="submit" { "Save phase" }
                    }
                }
                details {
                    summary { "Discharge: end this episode of care" }
                    form method="post" action={ "/episodes/" (ep.id) "/discharge" } {
                        (csrf_field(p))
                        div.field {
                            label for="discharge-reason" { "Why does the episode end?" }
                            p.hint { "For example: goals met, moved away, referred to surgery. It goes on the discharge summary." }
                            textarea #discharge-reason name="reason" rows="2" {}
                        }
                        div.checkbox {
                            input type="checkbox" name="confirm" value="yes" id="discharge-confirm";
                            label for="discharge-confirm" { "I want to end this episode of care. The patient's last questionnaires become due." }
                        }
                        button.button-warning type="submit" { "Discharge the patient" }
                    }
                }
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

fn back(ep: &Episode) -> PageResult {
    Ok(Redirect::to(&format!("/patients/{}", ep.patient_id)).into_response())
}

#[derive(Debug, Deserialize)]
pub(crate) struct PathwayForm {
    #[serde(default)]
    pathway: String,
    #[serde(default)]
    surgery_date: String,
    #[serde(default)]
    lifting_limit_kg: String,
}

pub(crate) async fn set_pathway(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(episode_id): ApiPath<Uuid>,
    Form(f): Form<PathwayForm>,
) -> PageResult {
    let choice = care::pathway::PathwayChoice {
        pathway: f.pathway,
        surgery_date: f.surgery_date,
        lifting_limit_kg: f.lifting_limit_kg,
    };
    let ep = care::pathway::set_pathway(&state, &p, episode_id, &choice).await?;
    back(&ep)
}

pub(crate) async fn set_milestones(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(episode_id): ApiPath<Uuid>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let met: Vec<String> =
        form.into_iter().filter(|(k, _)| k == "milestone").map(|(_, v)| v).collect();
    let ep = care::pathway::set_milestones(&state, &p, episode_id, &met).await?;
    back(&ep)
}

#[derive(Debug, Deserialize)]
pub(crate) struct PhaseForm {
    #[serde(default)]
    phase: String,
    #[serde(default)]
    reason: String,
}

pub(crate) async fn set_phase(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(episode_id): ApiPath<Uuid>,
    Form(f): Form<PhaseForm>,
) -> PageResult {
    let ep = care::pathway::set_phase(&state, &p, episode_id, &f.phase, &f.reason).await?;
    back(&ep)
}

#[derive(Debug, Deserialize)]
pub(crate) struct DischargeForm {
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    reason: String,
}

pub(crate) async fn discharge(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(episode_id): ApiPath<Uuid>,
    Form(f): Form<DischargeForm>,
) -> PageResult {
    let ep =
        care::pathway::discharge(&state, &p, episode_id, f.confirm == "yes", &f.reason).await?;
    back(&ep)
}
