//! Messages pages (docs/messages.md): the patient's thread with their care team at `/messages`
//! (how soon messages are read and what to do when it is urgent, then the thread, newest at the
//! bottom, then the form), a clinician's list of their patients' threads at the same address,
//! and the "Messages" section of a patient's record with the reply form. Opening any of them
//! marks what the other side wrote as read. Thin over `care::messages`.

use axum::{
    extract::{RawQuery, State},
    http::StatusCode,
    response::{IntoResponse, Redirect},
};
use maud::{Markup, html};
use physio_clinic::message::{Author, MAX_CHARS, USUALLY_READ};
use physio_store::{Role, ThreadSummary};
use serde::Deserialize;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::{
        self,
        messages::{MessageView, Thread},
    },
    error::ApiPath,
    pages::{
        Form, PageError, PageResult, PageUser,
        layout::{FieldError, csrf_field, error_summary, field_error, page},
        staff_forms,
    },
    state::AppState,
    zone::Zone,
};

/// What the message form sends.
#[derive(Debug, Deserialize)]
pub(crate) struct MessageForm {
    #[serde(default)]
    body: String,
}

/// `GET /messages`: a patient's thread, or a clinician's list of threads. An admin is refused
/// (and the refusal audited) by the care layer.
pub(crate) async fn show(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    RawQuery(query): RawQuery,
) -> PageResult {
    if p.role() != Role::Patient {
        return inbox(&state, &p).await;
    }
    let mut p = p;
    let sent = query.is_some_and(|q| q.split('&').any(|kv| kv == "sent=1"));
    let thread = care::messages::thread(&state, &p, p.user.id).await?;
    mark_seen(&state, &mut p, &thread).await?;
    patient_page(&state, &p, &thread, "", &[], sent).await
}

/// `POST /messages`: the patient writes to their care team.
pub(crate) async fn send(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    Form(form): Form<MessageForm>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Patient, "messages").await?;
    match care::messages::write(&state, &p, p.user.id, &form.body).await {
        Ok(_) => Ok(Redirect::to("/messages?sent=1#latest").into_response()),
        Err(e) => {
            let errors = staff_forms::field_errors(e, |_| "body")?;
            let mut p = p;
            let thread = care::messages::thread(&state, &p, p.user.id).await?;
            mark_seen(&state, &mut p, &thread).await?;
            patient_page(&state, &p, &thread, &form.body, &errors, false).await
        }
    }
}

/// `POST /patients/{id}/messages`: a clinician on the care team replies. A problem with the
/// text comes back on a page of its own with the thread, the reply as typed and the error.
pub(crate) async fn reply(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(patient_id): ApiPath<Uuid>,
    Form(form): Form<MessageForm>,
) -> PageResult {
    PageUser(p.clone()).require(&state, Role::Clinician, "patient_messages").await?;
    match care::messages::write(&state, &p, patient_id, &form.body).await {
        Ok(_) => Ok(Redirect::to(&format!("/patients/{patient_id}#messages")).into_response()),
        Err(e) => {
            let errors = staff_forms::field_errors(e, |_| "body")?;
            let thread = care::messages::thread(&state, &p, patient_id).await?;
            let z = care::clinic::zone(&state, p.user.clinic_id).await?;
            let now = state.now();
            let intro = html! { (thread_list(&z, now, &thread, Viewer::Staff)) };
            let form = reply_form(&p, patient_id, &form.body, &errors, sends_email(&state));
            staff_forms::failed(
                &state,
                &p,
                patient_id,
                "Reply to the patient",
                &errors,
                intro,
                form,
            )
            .await
        }
    }
}

/// The "Messages" section of a patient's record, for a clinician on their care team: the
/// thread (opening it marks the patient's messages read) and the reply form. Nothing for
/// anyone else (an admin sees the record's other parts, not its messages). The navigation's
/// count, loaded before the thread was opened, is brought up to date.
pub(crate) async fn staff_section(
    state: &AppState,
    p: &mut Principal,
    patient_id: Uuid,
) -> Result<Markup, PageError> {
    if p.role() != Role::Clinician {
        return Ok(html! {});
    }
    let thread = care::messages::thread(state, p, patient_id).await?;
    mark_seen(state, p, &thread).await?;
    let z = care::clinic::zone(state, p.user.clinic_id).await?;
    Ok(html! {
        section.messages-staff #messages aria-labelledby="messages-title" {
            h2 #messages-title { "Messages" }
            @if thread.marked_read > 0 {
                p.hint { "Now marked as read: " (thread.marked_read) " new message" @if thread.marked_read != 1 { "s" } " from the patient." }
            }
            (thread_list(&z, state.now(), &thread, Viewer::Staff))
            (reply_form(p, patient_id, "", &[], sends_email(state)))
        }
    })
}

/// After opening a thread marked messages read, the count the navigation loaded before is one
/// too many: count again.
async fn mark_seen(state: &AppState, p: &mut Principal, thread: &Thread) -> Result<(), PageError> {
    if thread.marked_read > 0 {
        p.nav.messages = care::messages::nav_count(state, p).await?;
    }
    Ok(())
}

/// Who is looking at a thread: the patient sees "You" and their care team's names; staff see
/// the patient's name and when each of their own messages was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Viewer {
    Patient,
    Staff,
}

/// A moment in a thread, short and in the clinic's time zone: "Today 14:05", "Yesterday
/// 09:30", "7 December 14:05", or with the year when it is not this year's.
fn when(z: &Zone, t: OffsetDateTime, now: OffsetDateTime) -> String {
    let (l, today) = (z.local(t), z.local(now).date());
    let clock = format!("{:02}:{:02}", l.hour(), l.minute());
    if l.date() == today {
        format!("Today {clock}")
    } else if today.previous_day() == Some(l.date()) {
        format!("Yesterday {clock}")
    } else if l.year() == today.year() {
        format!("{} {} {clock}", l.day(), l.month())
    } else {
        format!("{} {} {} {clock}", l.day(), l.month(), l.year())
    }
}

fn who(m: &MessageView, viewer: Viewer) -> String {
    match (m.mine, m.author, viewer) {
        (true, _, _) => "You".to_owned(),
        (false, Author::Clinician, Viewer::Patient) => format!("{}, your care team", m.author_name),
        (false, _, _) => m.author_name.clone(),
    }
}

/// The thread, oldest first, so the newest is at the bottom next to the form. The last message
/// carries the id `latest`, where the page lands after sending.
fn thread_list(z: &Zone, now: OffsetDateTime, thread: &Thread, viewer: Viewer) -> Markup {
    let last = thread.messages.len().saturating_sub(1);
    html! {
        @if thread.messages.is_empty() {
            p.message-empty {
                @match viewer {
                    Viewer::Patient => "No messages yet. When you write to your care team, your messages and their replies show here.",
                    Viewer::Staff => "No messages yet.",
                }
            }
        } @else {
            ol.message-list {
                @for (k, m) in thread.messages.iter().enumerate() {
                    li.message.(if m.mine { "message-mine" } else { "message-theirs" }) id=[(k == last).then_some("latest")] {
                        p.message-meta {
                            strong.message-who { (who(m, viewer)) }
                            " "
                            span.message-when { (when(z, m.created_at, now)) }
                        }
                        p.message-body { (m.body) }
                        @if viewer == Viewer::Staff {
                            (receipt(z, now, m))
                        }
                    }
                }
            }
        }
    }
}

/// Under a message on the staff side: whether the other side has read it. For the
/// clinicians' own messages, whether the patient opened them; for the patient's, which
/// clinician read them first.
fn receipt(z: &Zone, now: OffsetDateTime, m: &MessageView) -> Markup {
    html! {
        p.message-receipt {
            @match (m.author, m.read_at) {
                (Author::Clinician, Some(at)) => { "Read " (when(z, at, now)) },
                (Author::Clinician, None) => "Not read yet",
                (Author::Patient, Some(at)) => {
                    "Read by " (m.read_by_name.as_deref().unwrap_or("the care team")) ", " (when(z, at, now))
                },
                (Author::Patient, None) => "New",
            }
        }
    }
}

fn text_field(typed: &str, errors: &[FieldError], label: &str) -> Markup {
    let invalid = errors.iter().any(|e| e.field == "body");
    let described = if invalid { "body-hint body-error" } else { "body-hint" };
    html! {
        div.field.(if invalid { "field-invalid" } else { "" }) {
            label for="body" { (label) }
            p.hint #body-hint { "Up to " (thousands(MAX_CHARS)) " characters." }
            (field_error(errors, "body"))
            textarea #body name="body" rows="6" aria-describedby=(described) aria-invalid=[invalid.then_some("true")] { (typed) }
        }
    }
}

/// "2,000": a number as people write it.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Whether writing a message e-mails the other side (`care::messages::notify`): only then do
/// the pages promise an e-mail.
fn sends_email(state: &AppState) -> bool {
    state.config().smtp.is_some() && state.config().public_url.is_some()
}

fn reply_form(
    p: &Principal,
    patient_id: Uuid,
    typed: &str,
    errors: &[FieldError],
    emails: bool,
) -> Markup {
    html! {
        form.message-form method="post" action={ "/patients/" (patient_id) "/messages" } novalidate {
            (csrf_field(p))
            (text_field(typed, errors, "Reply to the patient"))
            @if emails { p.hint { "The patient gets an e-mail saying there is a new message, without what it says." } }
            button.button type="submit" { "Send reply" }
        }
    }
}

/// The patient's page: what to expect and what to do when it is urgent, the thread, the form.
async fn patient_page(
    state: &AppState,
    p: &Principal,
    thread: &Thread,
    typed: &str,
    errors: &[FieldError],
    sent: bool,
) -> PageResult {
    let contact = state.store().clinic_contact(p.user.clinic_id).await?;
    let contact = contact.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let z = care::clinic::zone(state, p.user.clinic_id).await?;
    let emails = sends_email(state);
    let title = "Messages";
    let body = html! {
        (error_summary(errors))
        h1 { "Messages with your care team" }
        p.lead { "Ask about your back, your exercises or your care. " (USUALLY_READ) }
        div.urgent-help {
            h2 { "If it is urgent" }
            p { "Do not wait for a reply: phone the clinic." }
            @if let Some(c) = contact {
                p { "How to reach the clinic: " strong { (c) } }
            }
            p { "In an emergency, call your local emergency number now." }
        }
        @if sent {
            div.notice role="status" { p { "Your message is sent. " (USUALLY_READ) } }
        }
        @if thread.messages.len() > 3 {
            p { a href="#body" { "Write a message" } }
        }
        section aria-labelledby="thread-title" {
            h2 #thread-title { "Your messages" }
            (thread_list(&z, state.now(), thread, Viewer::Patient))
        }
        form.message-form method="post" action="/messages" novalidate {
            (csrf_field(p))
            (text_field(typed, errors, "Write a message"))
            p.hint {
                "Your care team sees it when they next read their messages."
                @if emails { " We send you an e-mail when they reply." }
            }
            button.button type="submit" { "Send message" }
        }
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let title = if errors.is_empty() { title.to_owned() } else { format!("Error: {title}") };
    Ok((status, page(&title, Some(p), body)).into_response())
}

/// A clinician's list: every patient of their caseload with messages, those waiting first.
async fn inbox(state: &AppState, p: &Principal) -> PageResult {
    let threads: Vec<ThreadSummary> = care::messages::threads(state, p).await?;
    let z = care::clinic::zone(state, p.user.clinic_id).await?;
    let now = state.now();
    let waiting = threads.iter().filter(|t| t.unread > 0).count();
    let body = html! {
        h1 { "Messages" }
        p.lead {
            @match waiting {
                0 => "Every patient's message has been read.",
                1 => "1 patient has a message that no one on their care team has read yet.",
                n => { (n) " patients have messages that no one on their care team has read yet." },
            }
        }
        p { "Patients are told their care team usually reads messages within one working day." }
        @if threads.is_empty() {
            p { "No patient on your caseload has messages yet." }
        } @else {
            div.table-scroll {
                table #message-threads {
                    caption.visually-hidden { "Message threads of patients on your caseload, waiting first" }
                    thead { tr { th scope="col" { "Patient" } th scope="col" { "Last message" } th scope="col" { "Unread" } } }
                    tbody {
                        @for t in &threads {
                            tr data-patient-id=(t.patient_id) {
                                td { a href={ "/patients/" (t.patient_id) "#messages" } { (t.patient_name) } }
                                td { span.cell-label { "Last message: " } (when(&z, t.last_at, now)) }
                                td {
                                    @if t.unread > 0 {
                                        strong.tag.tag-unread { (t.unread) " unread" }
                                    } @else {
                                        "None"
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(page("Messages", Some(p), body).into_response())
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn times_are_short_and_in_the_clinics_zone() {
        let z = Zone::by_name("Europe/London").unwrap();
        let now = datetime!(2026-12-07 15:00 UTC);
        assert_eq!(when(&z, datetime!(2026-12-07 14:05 UTC), now), "Today 14:05");
        assert_eq!(when(&z, datetime!(2026-12-06 09:30 UTC), now), "Yesterday 09:30");
        assert_eq!(when(&z, datetime!(2026-11-02 08:00 UTC), now), "2 November 08:00");
        assert_eq!(when(&z, datetime!(2025-12-31 23:59 UTC), now), "31 December 2025 23:59");
        // Summer time: 12:00 UTC is 13:00 in London.
        let june = datetime!(2026-06-10 12:00 UTC);
        assert_eq!(when(&z, june, now), "10 June 13:00");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(2000), "2,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
