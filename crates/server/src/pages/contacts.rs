//! The contact log on a patient's page for staff: this week's contacts against the target, the
//! "Log a call" form (a clinician on the care team), the log itself, and the patient's phone
//! number with its form (an admin or a care-team clinician); the form handlers; and the phone
//! number as a `tel:` link other pages reuse (docs/contacts.md).

use axum::{
    extract::State,
    response::{IntoResponse, Redirect},
};
use maud::{Markup, html};
use physio_clinic::contact::{
    ContactInput, ContactKind, MAX_MINUTES, MAX_NOTE_CHARS, TARGET_PER_WEEK, When, tel_uri,
};
use physio_store::{Role, User};
use serde::Deserialize;
use uuid::Uuid;

use super::Form;
use crate::{
    auth::Principal,
    care::{self, contacts::PatientContacts},
    error::{ApiError, ApiPath},
    pages::{
        PageError, PageResult, PageUser,
        layout::{FieldError, csrf_field, field_error, sentence},
        staff_forms::failed,
    },
    state::AppState,
    zone::Zone,
};

/// The patient's phone number as a link that rings it (for a page saying "contact the
/// patient"), or words saying there is none.
pub(crate) fn phone_link(user: &User) -> Markup {
    phone_of(user.phone.as_deref())
}

/// A phone number as a link that rings it, or words saying there is none.
pub(crate) fn phone_of(phone: Option<&str>) -> Markup {
    html! {
        @match phone {
            Some(phone) => a.phone-link href=(tel_uri(phone)) { span.visually-hidden { "Call " } (phone) },
            None => span.no-phone { "No phone number on record" },
        }
    }
}

/// The patient's own phone number under "Your details", read-only.
pub(crate) fn own_phone(user: &User) -> Markup {
    html! {
        (user.phone.as_deref().unwrap_or("None given"))
        span.hint.own-phone-hint { " Tell your care team if it changes." }
    }
}

/// The "Log a call" form as typed (all text, so it comes back as it was).
#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct ContactForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    time: String,
    #[serde(default)]
    duration_minutes: String,
    #[serde(default)]
    note: String,
}

impl ContactForm {
    /// A blank form: a phone call, now on the clinic's clock.
    fn blank(zone: &Zone, now: time::OffsetDateTime) -> ContactForm {
        let local = zone.local(now);
        ContactForm {
            kind: ContactKind::PhoneCall.as_str().to_owned(),
            date: local.date().to_string(),
            time: format!("{:02}:{:02}", local.hour(), local.minute()),
            ..ContactForm::default()
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct PhoneForm {
    #[serde(default)]
    phone: String,
}

/// The contacts section of a patient's page, for staff; nothing for the patient, who does not
/// see the staff's contact log.
pub(crate) async fn section(
    state: &AppState,
    p: &Principal,
    patient: &User,
) -> Result<Markup, PageError> {
    if p.role() == Role::Patient {
        return Ok(html! {});
    }
    let log = care::contacts::list(state, p, patient.id).await?;
    let zone = care::clinic::zone(state, patient.clinic_id).await?;
    let clinician = p.role() == Role::Clinician;
    let blank = ContactForm::blank(&zone, state.now());
    let phone = PhoneForm { phone: patient.phone.clone().unwrap_or_default() };
    Ok(html! {
        section.contacts #contacts aria-labelledby="contacts-title" {
            h2 #contacts-title { "Contacts" }
            (week_summary(&log, &zone))
            dl.summary-list {
                div { dt { "Phone number" } dd { (phone_link(patient)) } }
            }
            @if clinician {
                h3 #log-contact-title { "Log a call" }
                (contact_form(p, patient.id, &zone, &blank, &[]))
            }
            (log_table(&log, &zone))
            h3 #phone-title { "Change the phone number" }
            (phone_form(p, patient.id, &phone, &[]))
        }
    })
}

/// "Contacts this week: 1 of 2", with a tag that says whether the target is met.
fn week_summary(log: &PatientContacts, zone: &Zone) -> Markup {
    let w = &log.this_week;
    let monday = zone.local(w.since).date();
    html! {
        p.contact-week {
            strong { "Contacts this week: " }
            @if w.count > w.target { (w.count) } @else { (w.count) " of " (w.target) }
            " "
            @if w.met { span.tag.tag-exercise { "Target met" } } @else { span.tag.tag-grey { "Below target" } }
        }
        p.hint {
            "The care team aims for at least " (TARGET_PER_WEEK) " contacts a week: messages, calls or visits. "
            "This week began on Monday " (monday.day()) " " (monday.month()) "."
        }
    }
}

fn log_table(log: &PatientContacts, zone: &Zone) -> Markup {
    html! {
        h3 { "Contact log" }
        @if log.contacts.is_empty() {
            p { "No contacts logged yet." }
        } @else {
            div.table-scroll {
                table #contact-log {
                    caption.visually-hidden { "Contacts with the patient, newest first" }
                    thead { tr { th scope="col" { "When" } th scope="col" { "Kind" } th scope="col" { "Length" } th scope="col" { "Note" } th scope="col" { "Logged by" } } }
                    tbody {
                        @for c in &log.contacts {
                            tr {
                                td { (zone.date_time(c.occurred_at)) }
                                td { span.cell-label { "Kind: " } (c.kind_label) }
                                td { @if let Some(m) = c.duration_minutes { span.cell-label { "Length: " } (m) " min" } }
                                td.contact-note { (c.note.as_deref().unwrap_or("")) }
                                td { span.cell-label { "Logged by " } (c.logged_by_name) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The ids of the form's controls, by the field the care layer names.
fn contact_id(field: &str) -> &'static str {
    match field {
        "kind" => "contact-kind",
        "date" | "occurred_at" => "contact-date",
        "time" => "contact-time",
        "duration_minutes" => "contact-minutes",
        _ => "contact-note",
    }
}

/// "Log a call": the kind (a phone call unless changed), the date and time on the clinic's
/// clock, the length and a note. `v` holds what was typed.
fn contact_form(
    p: &Principal,
    patient_id: Uuid,
    zone: &Zone,
    v: &ContactForm,
    errors: &[FieldError],
) -> Markup {
    let invalid = |id: &str| errors.iter().any(|e| e.field == id);
    html! {
        form.contact-form method="post" action={ "/patients/" (patient_id) "/contacts" } novalidate {
            (csrf_field(p))
            fieldset.field {
                legend { "Kind of contact" }
                (field_error(errors, "contact-kind"))
                div.inline-choices {
                    @for (n, k) in ContactKind::ALL.iter().enumerate() {
                        @let id = if n == 0 { "contact-kind".to_owned() } else { format!("contact-kind-{}", k.as_str()) };
                        div.radio {
                            input type="radio" id=(id) name="kind" value=(k.as_str()) checked[v.kind == k.as_str()];
                            label for=(id) { (k.label()) }
                        }
                    }
                }
            }
            p.hint #contact-when-hint { "When it happened, on the clinic's clock (" (zone.name()) ")." }
            div.contact-when {
                div.field {
                    label for="contact-date" { "Date" }
                    (field_error(errors, "contact-date"))
                    input #contact-date.input-date type="date" name="date" value=(v.date)
                        aria-describedby="contact-when-hint" aria-invalid=(invalid("contact-date"));
                }
                div.field {
                    label for="contact-time" { "Time" }
                    (field_error(errors, "contact-time"))
                    input #contact-time type="time" name="time" value=(v.time)
                        aria-describedby="contact-when-hint" aria-invalid=(invalid("contact-time"));
                }
            }
            div.field {
                label for="contact-minutes" { "Length in minutes" }
                p.hint #contact-minutes-hint { "For a call or a visit, 1 to " (MAX_MINUTES) ". Leave it empty for a message." }
                (field_error(errors, "contact-minutes"))
                input #contact-minutes.input-short type="text" inputmode="numeric" name="duration_minutes" value=(v.duration_minutes)
                    aria-describedby="contact-minutes-hint" aria-invalid=(invalid("contact-minutes"));
            }
            div.field {
                label for="contact-note" { "Contact note" }
                p.hint #contact-note-hint { "What you talked about and agreed, up to " (MAX_NOTE_CHARS) " characters. Needed for a call or a visit." }
                (field_error(errors, "contact-note"))
                textarea #contact-note name="note" rows="3" maxlength=(MAX_NOTE_CHARS)
                    aria-describedby="contact-note-hint" aria-invalid=(invalid("contact-note")) { (v.note) }
            }
            button.button type="submit" { "Log contact" }
        }
    }
}

/// The phone number form; empty clears the number.
fn phone_form(p: &Principal, patient_id: Uuid, v: &PhoneForm, errors: &[FieldError]) -> Markup {
    html! {
        form.phone-form method="post" action={ "/patients/" (patient_id) "/phone" } novalidate {
            (csrf_field(p))
            div.field {
                label for="phone" { "Phone number" }
                p.hint #phone-hint { "Digits, spaces, dashes and brackets, like (416) 555-0142; start with + for a number abroad. Leave it empty to remove the number." }
                (field_error(errors, "phone"))
                input #phone type="tel" name="phone" value=(v.phone) autocomplete="off"
                    aria-describedby="phone-hint" aria-invalid=(!errors.is_empty());
            }
            button.button-secondary type="submit" { "Save phone number" }
        }
    }
}

/// The care layer's refusal as messages at the form's fields; anything else (not allowed, not
/// found) stays an error page.
fn contact_errors(e: ApiError) -> Result<Vec<FieldError>, PageError> {
    match e {
        ApiError::Invalid { field, message } => {
            Ok(vec![FieldError { field: contact_id(field), message: sentence(&message) }])
        }
        ApiError::Problems(list) => Ok(list
            .iter()
            .map(|p| FieldError { field: contact_id(&p.field), message: sentence(&p.message) })
            .collect()),
        e => Err(PageError(e)),
    }
}

/// After a change, back to the patient's page at the contacts section.
fn back_to_contacts(patient_id: Uuid) -> PageResult {
    Ok(Redirect::to(&format!("/patients/{patient_id}#contacts")).into_response())
}

/// `POST /patients/{patient_id}/contacts`: logs a contact, or shows the form again with what
/// was typed and what to fix (422).
pub(crate) async fn log(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(patient_id): ApiPath<Uuid>,
    Form(f): Form<ContactForm>,
) -> PageResult {
    let input = ContactInput {
        kind: &f.kind,
        when: When::Local { date: &f.date, time: &f.time },
        minutes: &f.duration_minutes,
        note: &f.note,
    };
    let Err(e) = care::contacts::log(&state, &p, patient_id, &input).await else {
        return back_to_contacts(patient_id);
    };
    let errors = contact_errors(e)?;
    let zone = care::clinic::zone(&state, p.user.clinic_id).await?;
    let form = contact_form(&p, patient_id, &zone, &f, &errors);
    failed(&state, &p, patient_id, "Log a call", &errors, html! {}, form).await
}

/// `POST /patients/{patient_id}/phone`: sets or clears the phone number, or shows the form
/// again with what was typed and what to fix (422).
pub(crate) async fn set_phone(
    State(state): State<AppState>,
    PageUser(p): PageUser,
    ApiPath(patient_id): ApiPath<Uuid>,
    Form(f): Form<PhoneForm>,
) -> PageResult {
    let Err(e) = care::contacts::set_phone(&state, &p, patient_id, &f.phone).await else {
        return back_to_contacts(patient_id);
    };
    let errors = match e {
        ApiError::Invalid { message, .. } => {
            vec![FieldError { field: "phone", message: sentence(&message) }]
        }
        e => return Err(PageError(e)),
    };
    let form = phone_form(&p, patient_id, &f, &errors);
    failed(&state, &p, patient_id, "Change the phone number", &errors, html! {}, form).await
}
