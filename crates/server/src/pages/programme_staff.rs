//! A patient's exercise programme as staff see it: the "Programme" section of the patient's
//! page (each exercise with its dose, dates, note, range, whether camera counting that is not
//! yet validated is offered, any precaution override and any precaution that now conflicts),
//! starting it from a template, saving it as a template for the clinic, and its version
//! history. The editor is `programme_editor.rs`.

use std::collections::HashMap;

use axum::{
    extract::State,
    response::{IntoResponse, Redirect},
};
use maud::{Markup, PreEscaped, html};
use physio_clinic::pathway::PhaseStatus;
use physio_clinic::programme::{Camera, TemplateItem, template::Template};
use physio_store::Role;
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::Form;
use crate::{
    auth::Principal,
    care::{
        self,
        library::{NewTemplate, TemplateEntry},
        programme::{Entry, FromTemplate, ProgrammeView},
    },
    error::{ApiError, ApiPath},
    pages::{
        PageError, PageResult, PageUser,
        figure::{FIGURE_CSS, still},
        layout::{FieldError, csrf_field, field_error, long_date, page, sentence},
        library::dose_words,
        staff_forms::failed,
    },
    state::AppState,
};

pub(crate) fn words(s: &str) -> String {
    s.replace('_', " ")
}

/// The patient's page, at the programme.
pub(crate) fn patient_url(patient_id: Uuid) -> String {
    format!("/patients/{patient_id}#programme")
}

/// Names of the clinic's people by id (who changed a programme). Reads only.
pub(crate) async fn names(
    state: &AppState,
    p: &Principal,
) -> Result<HashMap<Uuid, String>, PageError> {
    let users = state.store().users(p.user.clinic_id, None).await?;
    Ok(users.into_iter().map(|u| (u.id, u.name)).collect())
}

/// "25 November 2026 onwards", "25 November 2026 to 3 January 2027".
pub(crate) fn dates_text(start: Date, end: Option<Date>) -> String {
    match end {
        Some(end) => format!("{} to {}", long_date(start), long_date(end)),
        None => format!("From {}", long_date(start)),
    }
}

/// The instructions of the precautions an override covers, as far as they are still in force.
fn covered(ids: &[String], phase: Option<&PhaseStatus>) -> Vec<String> {
    ids.iter()
        .map(|id| {
            phase.and_then(|s| s.active_precautions.iter().find(|a| &a.id == id)).map_or_else(
                || format!("{} (no longer in force)", words(id)),
                |a| a.instruction.clone(),
            )
        })
        .collect()
}

fn entry_markup(e: &Entry, view: &ProgrammeView, k: usize) -> Markup {
    let item = &e.item;
    let name = e.exercise.as_ref().map_or_else(|| item.exercise.clone(), |x| x.name.clone());
    html! {
        li.rx-entry {
            @if let Some(x) = &e.exercise {
                div.thumb aria-hidden="true" { (still(&x.figure, &x.name)) }
            }
            div.rx-entry-text {
                h3 {
                    span.visually-hidden { (k + 1) ". " }
                    @if e.exercise.is_some() { a href={ "/library/" (item.exercise) } { (name) } }
                    @else { (name) " " span.tag.tag-grey { "No longer in the library" } }
                    @if !e.active_today {
                        " "
                        @if item.start > view.today { span.tag.tag-grey { "Not started yet" } }
                        @else { span.tag.tag-grey { "Ended" } }
                    }
                }
                p { (dose_words(&item.dose)) }
                p.meta { (dates_text(item.start, item.end)) }
                @if let Some(note) = &item.note { p { strong { "Note to the patient: " } (note) } }
                @if let Some(r) = &item.range {
                    p { strong { "Range: " } (format!("target {}°, maximum {}°", r.target_deg, r.max_deg)) }
                }
                @match e.camera {
                    Camera::ChosenByClinician => p { strong { "Camera counting: " } "offered by your choice; counting is not yet validated for this exercise." },
                    Camera::NotValidated => p.meta { "Camera counting not offered: counting is not yet validated for this exercise. Edit the programme to offer it anyway." },
                    Camera::Validated | Camera::NotTracked => {},
                }
                @if let Some(o) = &item.override_ {
                    div.rx-override {
                        p { strong { "Precaution overridden: " } (o.reason) }
                        @let c = covered(&o.precautions, view.phase.as_ref());
                        @if !c.is_empty() {
                            p.hint { "Covers: " (c.join(" ")) }
                        }
                    }
                }
                @if !e.flags.is_empty() {
                    div.rx-flag {
                        @for f in &e.flags {
                            p { strong { "Now conflicts with: " } (f.explain()) "." }
                        }
                        p.hint { "The patient is told to leave it out until you look again. Edit the programme to remove it, or record why you prescribe it anyway." }
                    }
                }
            }
        }
    }
}

/// Templates with the ones for the patient's pathway and phase first; the first of those is
/// the one chosen (browsers choose the first option) unless `chosen` names another.
fn template_options(
    templates: &[TemplateEntry],
    phase: Option<&PhaseStatus>,
    chosen: &str,
) -> Markup {
    let fits = |t: &Template| phase.is_some_and(|s| s.pathway == t.pathway && s.phase == t.phase);
    let label = |e: &TemplateEntry| {
        let t = &e.template;
        format!(
            "{} \u{2013} {} pathway, {} phase{}",
            t.name,
            words(t.pathway.as_str()),
            words(t.phase.as_str()),
            if e.own { " (your clinic's)" } else { "" }
        )
    };
    let (suggested, others): (Vec<&TemplateEntry>, Vec<&TemplateEntry>) =
        templates.iter().partition(|e| fits(&e.template));
    html! {
        @if !suggested.is_empty() {
            optgroup label="For this patient's pathway and phase" {
                @for e in &suggested { option value=(e.template.id) selected[e.template.id == chosen] { (label(e)) } }
            }
        }
        optgroup label=(if suggested.is_empty() { "Templates" } else { "Other templates" }) {
            @for e in &others { option value=(e.template.id) selected[e.template.id == chosen] { (label(e)) } }
        }
    }
}

/// The form that starts (or restarts) the programme from a template.
fn template_form(
    p: &Principal,
    patient_id: Uuid,
    view: &ProgrammeView,
    templates: &[TemplateEntry],
    typed: &TemplateForm,
    errors: &[FieldError],
) -> Markup {
    let invalid = |id: &str| errors.iter().any(|e| e.field == id);
    let based_on = view.current.as_ref().map_or(0, |c| c.version);
    let start = if typed.start.is_empty() { view.today.to_string() } else { typed.start.clone() };
    html! {
        form.template-form method="post" action={ "/patients/" (patient_id) "/programme/from-template" } novalidate {
            (csrf_field(p))
            input type="hidden" name="based_on" value=(based_on);
            div.field {
                label for="template" { "Template" }
                p.hint #template-hint { "Suggested first: the one for this patient's pathway and phase." }
                (field_error(errors, "template"))
                select #template name="template" aria-describedby="template-hint" aria-invalid=(invalid("template")) {
                    (template_options(templates, view.phase.as_ref(), &typed.template))
                }
            }
            div.field {
                label for="template-start" { "First day" }
                p.hint #template-start-hint { "For example " (view.today) "." }
                (field_error(errors, "template-start"))
                input #template-start .input-date type="date" name="start" value=(start) aria-describedby="template-start-hint" aria-invalid=(invalid("template-start"));
            }
            @if view.current.is_some() {
                p.hint { "This replaces the exercises in the programme with the template's. The current version stays in the history." }
            }
            button.button type="submit" { "Start from this template" }
        }
    }
}

/// The form that saves the programme as a template for the clinic.
fn save_template_form(
    p: &Principal,
    patient_id: Uuid,
    phase: &PhaseStatus,
    typed: &SaveTemplateForm,
    errors: &[FieldError],
) -> Markup {
    let invalid = |id: &str| errors.iter().any(|e| e.field == id);
    html! {
        form method="post" action={ "/patients/" (patient_id) "/programme/template" } novalidate {
            (csrf_field(p))
            p.hint { "Every clinician in your clinic can then start a programme from it. It is for the "
                (words(phase.pathway.as_str())) " pathway, " (words(phase.phase.as_str())) " phase: this patient's." }
            div.field {
                label for="template-name" { "Name of the template" }
                (field_error(errors, "template-name"))
                input #template-name type="text" name="name" value=(typed.name) aria-invalid=(invalid("template-name"));
            }
            div.field {
                label for="template-description" { "What it is for (optional)" }
                p.hint #template-description-hint { "For example: who it suits and what it respects." }
                (field_error(errors, "template-description"))
                textarea #template-description name="description" rows="2" aria-describedby="template-description-hint" aria-invalid=(invalid("template-description")) { (typed.description) }
            }
            button.button-secondary type="submit" { "Save as a template" }
        }
    }
}

/// The "Programme" section of a patient's page, for staff.
pub(crate) async fn section(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<Markup, PageError> {
    let view = care::programme::read(state, p, patient_id).await?;
    let clinician = p.role() == Role::Clinician;
    let templates = care::library::templates(state, p, None, None).await?;
    let z = care::clinic::zone(state, p.user.clinic_id).await?;
    let who = names(state, p).await?;
    let template_name = |id: &str| {
        templates
            .iter()
            .find(|t| t.template.id == id)
            .map_or(id.to_owned(), |t| t.template.name.clone())
    };
    Ok(html! {
        section.programme #programme aria-labelledby="programme-title" {
            style { (PreEscaped(FIGURE_CSS)) }
            h2 #programme-title { "Programme" }
            @if let Some(m) = &view.pause_message {
                div.callout.rx-paused { p { "The programme is paused: " (m) } }
            }
            @match &view.current {
                None => {
                    p { "No programme yet." }
                    @if clinician {
                        div.rx-start {
                            h3 { "Start from a template" }
                            (template_form(p, patient_id, &view, &templates, &TemplateForm::default(), &[]))
                            p { "Or " a href={ "/patients/" (patient_id) "/programme/edit" } { "choose the exercises yourself" } "." }
                        }
                    }
                },
                Some(v) => {
                    dl.summary-list {
                        div { dt { "Version" } dd { (v.version) } }
                        div { dt { "Last changed" } dd {
                            (z.date_time(v.created_at)) " by " (who.get(&v.created_by).map_or("someone no longer at the clinic", String::as_str))
                        } }
                        div { dt { "Why" } dd { (v.reason) } }
                        @if let Some(t) = v.template.as_deref().map(template_name).filter(|t| !v.reason.contains(t.as_str())) {
                            div { dt { "From the template" } dd { (t) } }
                        }
                    }
                    @for w in &view.warnings {
                        div.rx-warning { p { strong { "Warning: " } (w.message()) } }
                    }
                    @if view.entries.is_empty() {
                        p { "The programme has no exercises: it was stopped." }
                    } @else {
                        ol.rx-list {
                            @for (k, e) in view.entries.iter().enumerate() { (entry_markup(e, &view, k)) }
                        }
                    }
                    div.button-row {
                        @if clinician {
                            a.button href={ "/patients/" (patient_id) "/programme/edit" } { "Edit programme" }
                        }
                        a.button-secondary href={ "/patients/" (patient_id) "/programme/history" } { "Version history" }
                    }
                    @if clinician {
                        details {
                            summary { "Start again from a template" }
                            (template_form(p, patient_id, &view, &templates, &TemplateForm::default(), &[]))
                        }
                        @if !view.entries.is_empty() {
                            details {
                                summary { "Save as a template for the clinic" }
                                @match &view.phase {
                                    Some(s) => (save_template_form(p, patient_id, s, &SaveTemplateForm::default(), &[])),
                                    None => p.hint { "A template is for a pathway and phase: choose the patient's pathway first." },
                                }
                            }
                        }
                    }
                },
            }
        }
    })
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct TemplateForm {
    #[serde(default)]
    template: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    based_on: String,
}

const DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// A date as typed in a date field (`2026-11-25`).
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text.trim(), DATE).ok()
}

/// `POST /patients/{patient_id}/programme/from-template`.
pub(crate) async fn from_template(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(patient_id): ApiPath<Uuid>,
    Form(f): Form<TemplateForm>,
) -> PageResult {
    let start = match f.start.trim() {
        "" => Ok(None),
        s => parse_date(s).map(Some).ok_or(()),
    };
    let r = match start {
        Ok(start) => {
            let req = FromTemplate {
                based_on: f.based_on.trim().parse().unwrap_or(0),
                template: f.template.clone(),
                start,
                reason: None,
            };
            care::programme::start_from_template(&state, &p, patient_id, req).await.map(drop)
        }
        Err(()) => {
            Err(ApiError::invalid("start", "enter the first day as a date, for example 2026-11-25"))
        }
    };
    let errors = match r {
        Ok(()) => return Ok(Redirect::to(&patient_url(patient_id)).into_response()),
        Err(ApiError::Invalid { field, message }) => vec![FieldError {
            field: if field == "start" { "template-start" } else { "template" },
            message: sentence(&message),
        }],
        Err(ApiError::Problems(list)) => list
            .into_iter()
            .map(|pr| FieldError { field: "template", message: sentence(&pr.message) })
            .collect(),
        Err(ApiError::Conflict(message)) => {
            vec![FieldError { field: "template", message: sentence(&message) }]
        }
        Err(e) => return Err(e.into()),
    };
    let view = care::programme::read(&state, &p, patient_id).await?;
    let templates = care::library::templates(&state, &p, None, None).await?;
    let intro = html! {
        p { "The template could not be started as it is. A precaution of the patient's phase may rule out some of its exercises." }
        p { "Choose another template, or "
            a href={ "/patients/" (patient_id) "/programme/edit" } { "open the editor" }
            " to choose the exercises yourself and record why you prescribe one anyway." }
    };
    let form = template_form(&p, patient_id, &view, &templates, &f, &errors);
    failed(&state, &p, patient_id, "Start from a template", &errors, intro, form).await
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SaveTemplateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
}

/// `POST /patients/{patient_id}/programme/template`: the programme as it stands becomes a
/// template of the clinic, for the patient's pathway and phase.
pub(crate) async fn save_template(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(patient_id): ApiPath<Uuid>,
    Form(f): Form<SaveTemplateForm>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Clinician, "programme_template").await?;
    let view = care::programme::read(&state, &p, patient_id).await?;
    let Some(phase) = view.phase.clone() else {
        return Err(ApiError::invalid(
            "pathway",
            "a template is for a pathway and phase: choose the patient's pathway first",
        )
        .into());
    };
    let items: Vec<TemplateItem> = view
        .entries
        .iter()
        .map(|e| TemplateItem {
            exercise: e.item.exercise.clone(),
            dose: Some(e.item.dose.clone()),
            note: e.item.note.clone(),
        })
        .collect();
    let new = NewTemplate {
        name: f.name.clone(),
        description: f.description.clone(),
        pathway: phase.pathway,
        phase: phase.phase,
        items,
    };
    let errors = match care::library::save_template(&state, &p, new).await {
        Ok(_) => return Ok(Redirect::to(&patient_url(patient_id)).into_response()),
        Err(ApiError::Problems(list)) => list
            .into_iter()
            .map(|pr| FieldError {
                field: if pr.field == "description" {
                    "template-description"
                } else {
                    "template-name"
                },
                message: sentence(&pr.message),
            })
            .collect::<Vec<_>>(),
        Err(ApiError::Invalid { message, .. }) => {
            vec![FieldError { field: "template-name", message: sentence(&message) }]
        }
        Err(e) => return Err(e.into()),
    };
    let form = save_template_form(&p, patient_id, &phase, &f, &errors);
    failed(&state, &p, patient_id, "Save as a template for the clinic", &errors, html! {}, form)
        .await
}

/// `GET /patients/{patient_id}/programme/history`: every version, newest first.
pub(crate) async fn history(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> PageResult {
    // The library is for staff only: a patient is refused here.
    let lib = care::library::list(&state, &p).await?;
    let (patient, _) = care::records::patient(&state, &p, patient_id).await?;
    let versions = care::programme::versions(&state, &p, patient_id).await?;
    let templates = care::library::templates(&state, &p, None, None).await?;
    let z = care::clinic::zone(&state, p.user.clinic_id).await?;
    let who = names(&state, &p).await?;
    let name = |id: &str| lib.name(id);
    let body = html! {
        a.back-link href=(patient_url(patient_id)) { "Back to " (patient.name) }
        p.caption { (patient.name) }
        h1 { "Programme history" }
        @if versions.is_empty() {
            p { "No programme yet." }
        }
        ol.rx-history reversed {
            @for v in &versions {
                li {
                    h2 { "Version " (v.version) }
                    p.meta {
                        (z.date_time(v.created_at)) " by "
                        (who.get(&v.created_by).map_or("someone no longer at the clinic", String::as_str))
                    }
                    p { strong { "Why: " } (v.reason) }
                    @if let Some(t) = &v.template {
                        @let t = templates.iter().find(|e| &e.template.id == t).map_or(t.as_str(), |e| e.template.name.as_str());
                        // The default reason already names it.
                        @if !v.reason.contains(t) { p { "Started from the template “" (t) "”." } }
                    }
                    @if v.changes.is_empty() {
                        p.hint { "No change to the exercises." }
                    } @else {
                        h3.visually-hidden { "What changed" }
                        ul.rx-changes { @for c in &v.changes { li { (c.text(&name)) } } }
                    }
                    details {
                        summary { "The exercises in version " (v.version) " (" (v.items.len()) ")" }
                        @if v.items.is_empty() { p { "None: the programme was stopped." } }
                        ol { @for item in &v.items {
                            li {
                                strong { (name(&item.exercise)) } ": " (item.dose.patient_text()) ". " (dates_text(item.start, item.end)) "."
                                @if let Some(o) = &item.override_ { " Precaution overridden: " (o.reason) }
                            }
                        } }
                    }
                }
            }
        }
    };
    Ok(page(&format!("Programme history: {}", patient.name), Some(&p), body).into_response())
}
