//! The clinician's alert inbox (`/inbox`): open alerts about the patients on their care teams,
//! most urgent first and then by deadline, each with its deadline in words, an "Overdue" tag
//! once it has passed, what to do, how to reach the patient and the form that closes it with a
//! note; and the alert history on a patient's page (docs/alerts.md).

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use maud::{Markup, html};
use physio_clinic::alert::{MAX_NOTE_CHARS, Urgency, deadline_words, overdue};
use physio_store::{Alert, AlertState, InboxAlert, Role};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use super::Form;
use crate::{
    auth::Principal,
    care,
    error::ApiPath,
    pages::{
        PageError, PageResult, PageUser,
        layout::{FieldError, csrf_field, error_summary, field_error, page},
        staff_forms::{back_to_patient, failed, field_errors},
    },
    state::AppState,
    zone::Zone,
};

/// The tag that says how urgent an alert is, in words (never colour alone).
fn urgency_tag(u: Urgency) -> Markup {
    let class = match u {
        Urgency::Emergency => "tag-emergency",
        Urgency::Urgent => "tag-urgent",
        Urgency::Routine => "tag-routine",
    };
    html! { span.tag.(class) { (u.label()) } }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct InboxQuery {
    /// `closed` lists the latest closed alerts instead of the open ones.
    #[serde(default)]
    state: Option<String>,
}

/// The inbox page.
pub(crate) async fn show(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Query(q): Query<InboxQuery>,
) -> PageResult {
    let closed = q.state.as_deref() == Some("closed");
    inbox_page(&state, &p, closed, None).await
}

/// The inbox, with the problem of a close that failed (the alert, what was typed, the errors).
async fn inbox_page(
    state: &AppState,
    p: &Principal,
    closed: bool,
    failed: Option<(Uuid, &str, &[FieldError])>,
) -> PageResult {
    let which = if closed { AlertState::Closed } else { AlertState::Open };
    let list = care::alerts::inbox(state, p, which).await?;
    let proposals = if closed { Vec::new() } else { care::progression::queue(state, p).await? };
    let z = care::clinic::zone(state, p.user.clinic_id).await?;
    let now = state.now();
    let errors = failed.map_or(&[][..], |(_, _, e)| e);
    let overdue_count =
        list.iter().filter(|i| i.alert.is_open() && overdue(i.alert.due_at, now)).count();
    let body = html! {
        (error_summary(errors))
        h1 { "Inbox" }
        nav.inline-list.inbox-tabs aria-label="Alerts" {
            @if closed {
                a href="/inbox" { "Open alerts" }
                span aria-current="page" { strong { "Recently closed" } }
            } @else {
                span aria-current="page" { strong { "Open alerts" } }
                a href="/inbox?state=closed" { "Recently closed" }
            }
        }
        @if closed {
            p.lead { "Alerts closed most recently, newest first." }
        } @else if list.is_empty() {
            p.lead { "No open alerts. Physio adds one here when one of your patients needs you." }
        } @else {
            p.lead {
                (list.len()) " open alert" @if list.len() != 1 { "s" } " for your patients, most urgent first"
                @if overdue_count > 0 { "; " (overdue_count) " overdue" } "."
            }
        }
        @if !closed && !proposals.is_empty() {
            section.inbox-proposals aria-labelledby="proposals-title" {
                h2 #proposals-title { "Proposals waiting (" (proposals.len()) ")" }
                p { "Changes the progression rules propose, each with its rule and reasons. "
                    a href="/progression/rules" { "How the rules decide" } }
                (crate::pages::proposals::queue_section(p, &proposals, "/inbox"))
            }
            h2 { "Alerts" }
        }
        ol.inbox-list {
            @for item in &list {
                (inbox_item(p, &z, now, item, failed))
            }
        }
    };
    let title = if errors.is_empty() { "Inbox" } else { "Error: Inbox" };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, page(title, Some(p), body)).into_response())
}

fn inbox_item(
    p: &Principal,
    z: &Zone,
    now: OffsetDateTime,
    item: &InboxAlert,
    failed: Option<(Uuid, &str, &[FieldError])>,
) -> Markup {
    let a = &item.alert;
    let late = a.is_open() && overdue(a.due_at, now);
    let heading = format!("alert-{}", a.id);
    html! {
        li.inbox-item.(format!("inbox-{}", a.urgency.as_str())) aria-labelledby=(heading) {
            div.inbox-tags {
                (urgency_tag(a.urgency))
                @if late { " " span.tag.tag-overdue { "Overdue" } }
            }
            h2.inbox-title #(heading) {
                a href={ "/patients/" (a.patient_id) } { (item.patient_name) }
                ": " (a.kind.title())
            }
            p { (a.message) }
            dl.summary-list.inbox-facts {
                div { dt { "Raised" } dd { (z.date_time(a.created_at)) } }
                @if a.is_open() {
                    div {
                        dt { "Deadline" }
                        dd { (deadline_words(a.urgency, a.due_at, now, z.tz())) }
                    }
                    div { dt { "What to do" } dd { (a.kind.to_do()) } }
                    @if a.kind.contact_patient() {
                        div.contact {
                            dt { "Contact" }
                            dd {
                                (crate::pages::contacts::phone_of(item.patient_phone.as_deref()))
                                br;
                                a href={ "mailto:" (item.patient_email) } { (item.patient_email) }
                            }
                        }
                    }
                } @else {
                    (closed_facts(z, a))
                }
            }
            @if a.is_open() && p.role() == Role::Clinician {
                (close_form(p, a, "inbox", failed))
            }
        }
    }
}

/// Who closed an alert, when, and the note.
fn closed_facts(z: &Zone, a: &Alert) -> Markup {
    html! {
        @if let Some(at) = a.closed_at {
            div {
                dt { "Closed" }
                dd {
                    (z.date_time(at)) " by "
                    (a.closed_by_name.as_deref().unwrap_or(if a.closed_by.is_none() { "Physio" } else { "a former user" }))
                }
            }
        }
        @if let Some(note) = &a.close_note { div { dt { "What was done" } dd { (note) } } }
    }
}

/// The form that closes an alert: a note of what was done and one button. The alert whose
/// close failed carries what was typed and the message, with the id the error summary links to.
fn close_form(
    p: &Principal,
    a: &Alert,
    from: &str,
    failed: Option<(Uuid, &str, &[FieldError])>,
) -> Markup {
    let (typed, errors) = match failed {
        Some((id, typed, errors)) if id == a.id => (typed, errors),
        _ => ("", &[][..]),
    };
    let id = if errors.is_empty() { format!("note-{}", a.id) } else { "note".to_owned() };
    let hint = format!("{id}-hint");
    let described = if errors.is_empty() { hint.clone() } else { format!("{hint} note-error") };
    html! {
        form.close-alert method="post" action={ "/alerts/" (a.id) "/close" } {
            (csrf_field(p))
            input type="hidden" name="from" value=(from);
            label for=(id) { "What was done" }
            p.hint id=(hint) { "Required to close the alert, up to " (MAX_NOTE_CHARS) " characters." }
            (field_error(errors, "note"))
            textarea id=(id) name="note" rows="2" maxlength=(MAX_NOTE_CHARS) aria-describedby=(described)
                aria-invalid=[(!errors.is_empty()).then_some("true")] { (typed) }
            button.button-secondary type="submit" { "Close alert" }
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct CloseForm {
    #[serde(default)]
    note: String,
    /// Where the form was: `inbox`, else the patient's page.
    #[serde(default)]
    from: String,
}

/// Closes an alert; back to where the form was. A note that is missing or too long comes back
/// with what was typed and an error summary (422).
pub(crate) async fn close(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(alert_id): ApiPath<Uuid>,
    Form(f): Form<CloseForm>,
) -> PageResult {
    let e = match care::alerts::close(&state, &p, alert_id, &f.note).await {
        Ok(_) if f.from == "inbox" => return Ok(Redirect::to("/inbox").into_response()),
        Ok(a) => return back_to_patient(a.patient_id),
        Err(e) => e,
    };
    let errors = field_errors(e, |_| "note")?;
    if f.from == "inbox" {
        return inbox_page(&state, &p, false, Some((alert_id, &f.note, &errors))).await;
    }
    let alert = state.store().alert(p.user.clinic_id, alert_id).await?;
    let z = care::clinic::zone(&state, p.user.clinic_id).await?;
    let now = state.now();
    let intro = html! {
        p { (urgency_tag(alert.urgency)) " " strong { (alert.kind.title()) } }
        p { (alert.message) }
        p { "Deadline: " (deadline_words(alert.urgency, alert.due_at, now, z.tz())) "." }
    };
    let form = close_form(&p, &alert, "patient", Some((alert_id, &f.note, &errors)));
    failed(&state, &p, alert.patient_id, "Close the alert", &errors, intro, form).await
}

/// The patient's alert history for their page (staff): open alerts first with the form that
/// closes each (clinicians), then closed ones with who closed each, when and the note.
pub(crate) async fn history_section(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    z: &Zone,
) -> Result<Markup, PageError> {
    let list = care::alerts::history(state, p, patient_id, AlertState::All).await?;
    let now = state.now();
    let (open, closed): (Vec<&Alert>, Vec<&Alert>) = list.iter().partition(|a| a.is_open());
    let mut open = open;
    open.sort_by_key(|a| (a.urgency, a.due_at));
    Ok(html! {
        section.alerts aria-labelledby="alerts-title" {
            h2 #alerts-title { "Alerts" }
            @if list.is_empty() {
                p { "No alerts about this patient." }
            } @else if open.is_empty() {
                p { "No open alerts." }
            }
            @if !open.is_empty() {
                ul.alert-list {
                    @for a in &open {
                        li.alert-item {
                            div.inbox-tags {
                                (urgency_tag(a.urgency))
                                @if overdue(a.due_at, now) { " " span.tag.tag-overdue { "Overdue" } }
                            }
                            p { strong { (a.kind.title()) } }
                            p { (a.message) }
                            p.hint {
                                "Raised " (z.date_time(a.created_at)) ". Deadline: "
                                (deadline_words(a.urgency, a.due_at, now, z.tz())) ". " (a.kind.to_do())
                            }
                            @if p.role() == Role::Clinician { (close_form(p, a, "patient", None)) }
                        }
                    }
                }
            }
            @if !closed.is_empty() {
                div.alert-history {
                    h3 { "Closed alerts (" (closed.len()) ")" }
                    ul.history-list {
                        @for a in &closed {
                            li {
                                p { strong { (a.kind.title()) } " " span.hint { "raised " (z.date_time(a.created_at)) } }
                                p { (a.message) }
                                dl.summary-list { (closed_facts(z, a)) }
                            }
                        }
                    }
                }
            }
        }
    })
}
