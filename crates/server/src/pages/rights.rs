//! The patient's rights as pages (docs/patient-rights.md): `/my-record`, where a patient sees
//! who at the clinic looked at or changed their record in the last 90 days and downloads all
//! of it; and an admin's erasure of a patient, behind a confirmation that asks for the reason
//! and the patient's name. Thin over `care::rights`.

use axum::{
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Redirect},
};
use maud::{Markup, html};
use physio_store::Role;
use serde::Deserialize;
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::{
        self,
        rights::{ACCESS_LOG_DAYS, Access, EraseRequest},
    },
    error::ApiPath,
    pages::{
        Form, PageResult, PageUser,
        layout::{FieldError, csrf_field, error_summary, field_error, page},
        staff_forms,
    },
    state::AppState,
};

/// `GET /my-record`: who looked at the patient's record, and the download.
pub(crate) async fn show(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "access_log").await?;
    let log = care::rights::access_log(&state, &p, p.user.id).await?;
    let title = "Who has looked at your record";
    let body = html! {
        h1 { (title) }
        p.lead { "Each time someone at your clinic opens or changes your record, we keep a note of it. Here are the last " (ACCESS_LOG_DAYS) " days." }
        @if log.entries.is_empty() {
            p { "Nobody at the clinic has opened your record in the last " (ACCESS_LOG_DAYS) " days." }
        } @else {
            (entries(&log.entries))
        }
        h2 { "A copy of your record" }
        p { "You can download everything the clinic keeps about you: your details, your answers, your exercises and sessions, and your messages. It comes as one file (JSON) that another clinic or a computer program can read." }
        p { a.button href="/my-record/download" download="my-physio-record.json" { "Download my record" } }
        h2 { "If something looks wrong" }
        p { "If you do not know why someone looked at your record, or you want the clinic to delete your record, send a message to your care team or ask at the clinic." }
        p { a href="/messages" { "Send a message" } }
    };
    Ok(page(title, Some(&p), body).into_response())
}

/// The list, one item per access: plain on a phone, where a table would need sideways
/// scrolling. The same person doing the same thing in the same minute is one item with a count,
/// so a busy visit does not bury the rest.
fn entries(list: &[Access]) -> Markup {
    let mut runs: Vec<(&Access, usize)> = vec![];
    for e in list {
        match runs.last_mut() {
            Some((first, n))
                if first.who == e.who
                    && first.kind == e.kind
                    && first.what == e.what
                    && first.when == e.when =>
            {
                *n += 1
            }
            _ => runs.push((e, 1)),
        }
    }
    html! {
        ul.access-log {
            @for (e, n) in runs {
                li {
                    p {
                        strong { (e.who) } " (" (role_word(&e.role)) ") " (kind_word(&e.kind)) " " (e.what)
                        @if n > 1 { " (" (n) " times)" }
                    }
                    p.hint { time datetime=(e.at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()) { (e.when) } }
                }
            }
        }
    }
}

fn role_word(role: &str) -> &'static str {
    match role {
        "clinician" => "your clinician",
        "admin" => "clinic staff",
        _ => "staff",
    }
}

fn kind_word(kind: &str) -> &'static str {
    if kind == "viewed" { "looked at" } else { "changed" }
}

/// `GET /my-record/download`: the patient's whole record as a file.
pub(crate) async fn download(State(state): State<AppState>, PageUser(p): PageUser) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "record").await?;
    let record = care::rights::export(&state, &p, p.user.id).await?;
    let body = serde_json::to_string_pretty(&record).unwrap_or_default();
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"my-physio-record.json\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

/// What the erasure form sends.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct EraseForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirm_name: String,
}

/// `GET /patients/{id}/erase`: the admin's confirmation page.
pub(crate) async fn erase_page(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Admin, "erasure").await?;
    let patient = care::records::open(&state, &p, patient_id, "erasure").await?;
    Ok(erase_form(&p, patient_id, &patient.name, &EraseForm::default(), &[]).into_response())
}

/// `POST /patients/{id}/erase`: erase, then back to the admin page; a problem comes back on
/// the form with what was typed (422).
pub(crate) async fn erase(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(patient_id): ApiPath<Uuid>,
    Form(form): Form<EraseForm>,
) -> PageResult {
    let req = EraseRequest { reason: form.reason.clone(), confirm_name: form.confirm_name.clone() };
    match care::rights::erase(&state, &p, patient_id, &req).await {
        Ok(_) => Ok(Redirect::to("/admin?erased=1").into_response()),
        Err(e) => {
            let errors = staff_forms::field_errors(e, |f| match f {
                "confirm_name" => "confirm_name",
                _ => "reason",
            })?;
            let patient = care::records::open(&state, &p, patient_id, "erasure").await?;
            let markup = erase_form(&p, patient_id, &patient.name, &form, &errors);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response())
        }
    }
}

fn erase_form(
    p: &Principal,
    patient_id: Uuid,
    name: &str,
    form: &EraseForm,
    errors: &[FieldError],
) -> Markup {
    let title = format!("Erase {name}?");
    let described = |f: &str| errors.iter().any(|e| e.field == f).then(|| format!("{f}-error"));
    let body = html! {
        a.back-link href={ "/patients/" (patient_id) } { "Back to the patient" }
        (error_summary(errors))
        h1 { (title) }
        p { "This deletes " (name) "'s account and everything the clinic holds about them: episodes, questionnaire answers, programmes, sessions, messages, contacts and alerts. It cannot be undone." }
        p { "Do this only when the patient has asked for it and the clinic does not have to keep the record. Offer them a download of their record first." }
        p { "What is kept: the audit trail (who did what, and when, to this patient's number, with no health data in it), and this erasure: who erased them, when and why." }
        form method="post" action={ "/patients/" (patient_id) "/erase" } novalidate {
            (csrf_field(p))
            div.field {
                label for="reason" { "Why the record is being erased" }
                p.hint #reason-hint { "For example: the patient's written request of 3 December." }
                (field_error(errors, "reason"))
                textarea #reason name="reason" rows="3" aria-describedby=(described("reason").unwrap_or_else(|| "reason-hint".into())) { (form.reason) }
            }
            div.field {
                label for="confirm_name" { "Type the patient's full name to confirm: " strong { (name) } }
                (field_error(errors, "confirm_name"))
                input #confirm_name name="confirm_name" type="text" autocomplete="off" value=(form.confirm_name) aria-describedby=[described("confirm_name")];
            }
            div.button-row {
                button.button-warning type="submit" { "Erase " (name) }
                a.button-secondary href={ "/patients/" (patient_id) } { "No, go back" }
            }
        }
    };
    page(&title, Some(p), body)
}
