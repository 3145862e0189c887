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
use physio_clinic::pathway::{
    Milestone, Override, Pathway, PathwayInputs, Phase, PhaseStatus, current_phase,
};
use physio_store::{AuditOutcome, Episode, EpisodeStatus, Role, StoreError};
use serde::Deserialize;
use serde_json::json;
use time::Date;
use uuid::Uuid;

use crate::{
    access,
    auth::Principal,
    error::{ApiError, ApiPath},
    pages::{PageResult, PageUser, layout::csrf_field},
    state::AppState,
};

fn parse<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(json!(s)).ok()
}

fn words(s: &str) -> String {
    s.replace('_', " ")
}

/// The phase the rules give today, with the clinician's override applied; an error explains
/// what is missing (for example the surgery date on a post-operative pathway).
pub(crate) fn phase_status(ep: &Episode, today: Date) -> Option<Result<PhaseStatus, String>> {
    let pathway: Pathway = parse(ep.pathway.as_deref()?)?;
    let inputs = PathwayInputs {
        pathway,
        lifting_limit_kg: ep.lifting_limit_kg,
        milestones_met: ep.milestones.iter().filter_map(|m| parse(m)).collect(),
    };
    let over = ep.phase_override.as_ref().and_then(|o| {
        Some(Override { phase: parse(&o.phase)?, reason: o.reason.clone(), by: o.by.to_string() })
    });
    Some(current_phase(&inputs, ep.surgery_date, today, over.as_ref()).map_err(|e| e.to_string()))
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
                                @for ph in [Phase::ActiveCare, Phase::Prehab, Phase::Early, Phase::Rehabilitation, Phase::LongTerm] {
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
                form method="post" action={ "/episodes/" (ep.id) "/discharge" } {
                    (csrf_field(p))
                    button.button-secondary type="submit" { "Discharge: end this episode of care" }
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

/// Loads an episode for a clinician on the patient's care team, auditing refusals.
async fn clinician_episode(
    state: &AppState,
    p: &Principal,
    episode_id: Uuid,
    action: &str,
) -> Result<Episode, ApiError> {
    if p.role() != Role::Clinician {
        state.audit(p.actor(), action, "episode", None, AuditOutcome::Denied).await?;
        return Err(ApiError::Forbidden(
            "only a clinician on the care team can change the pathway".into(),
        ));
    }
    let ep = match state.store().episode(p.user.clinic_id, episode_id).await {
        Ok(e) => e,
        Err(StoreError::NotFound(_)) => {
            state.audit(p.actor(), action, "episode", None, AuditOutcome::NotFound).await?;
            return Err(ApiError::NotFound("episode"));
        }
        Err(e) => return Err(e.into()),
    };
    access::patient_access(state, p, ep.patient_id, action, "episode").await?;
    Ok(ep)
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
    let ep = clinician_episode(&state, &p, episode_id, "update").await?;
    let pathway: Pathway =
        parse(&f.pathway).ok_or_else(|| ApiError::invalid("pathway", "choose a pathway"))?;
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let date = match f.surgery_date.trim() {
        "" => None,
        d => Some(
            Date::parse(d, &fmt)
                .map_err(|_| ApiError::invalid("surgery_date", "enter the date like 2026-11-02"))?,
        ),
    };
    let lifting = match f.lifting_limit_kg.trim() {
        "" => None,
        v => Some(
            v.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && (0.0..=100.0).contains(x))
                .ok_or_else(|| {
                    ApiError::invalid(
                        "lifting_limit_kg",
                        "enter the limit in kilograms, from 0 to 100",
                    )
                })?,
        ),
    };
    // Check the combination makes sense before storing it.
    let mut trial = ep.clone();
    trial.pathway = Some(pathway.as_str().to_owned());
    trial.surgery_date = date;
    trial.lifting_limit_kg = lifting;
    if let Some(Err(e)) = phase_status(&trial, state.now().date()) {
        return Err(ApiError::invalid("surgery_date", e).into());
    }
    state.store().set_pathway(p.user.clinic_id, ep.id, pathway.as_str(), date, lifting).await?;
    back(&ep)
}

pub(crate) async fn set_milestones(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(episode_id): ApiPath<Uuid>,
    Form(form): Form<Vec<(String, String)>>,
) -> PageResult {
    let ep = clinician_episode(&state, &p, episode_id, "update").await?;
    let mut met: Vec<String> = vec![];
    for (k, v) in form {
        if k == "milestone" {
            let m: Milestone = parse(&v).ok_or_else(|| {
                ApiError::invalid("milestone", format!("unknown milestone {v:?}"))
            })?;
            met.push(m.as_str().to_owned());
        }
    }
    state.store().set_milestones(p.user.clinic_id, ep.id, &met).await?;
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
    let ep = clinician_episode(&state, &p, episode_id, "update").await?;
    let now = state.now();
    if f.phase.trim().is_empty() {
        state.store().override_phase(p.user.clinic_id, ep.id, None, p.user.id, now).await?;
        return back(&ep);
    }
    let phase: Phase =
        parse(&f.phase).ok_or_else(|| ApiError::invalid("phase", "choose a phase"))?;
    let reason = f.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ApiError::invalid(
            "reason",
            "say why you are overriding the phase (up to 500 characters)",
        )
        .into());
    }
    let mut trial = ep.clone();
    trial.phase_override = Some(physio_store::PhaseOverride {
        phase: phase.as_str().into(),
        reason: reason.into(),
        by: p.user.id,
        at: now,
    });
    if let Some(Err(e)) = phase_status(&trial, now.date()) {
        return Err(ApiError::invalid("phase", e).into());
    }
    state
        .store()
        .override_phase(p.user.clinic_id, ep.id, Some((phase.as_str(), reason)), p.user.id, now)
        .await?;
    back(&ep)
}

pub(crate) async fn discharge(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(episode_id): ApiPath<Uuid>,
) -> PageResult {
    let ep = clinician_episode(&state, &p, episode_id, "discharge").await?;
    state.store().discharge(p.user.clinic_id, ep.id, state.now()).await?;
    back(&ep)
}
