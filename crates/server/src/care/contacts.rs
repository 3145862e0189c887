//! The contact log and the patient's phone number (docs/contacts.md). A clinician on the
//! patient's care team logs each message, call or visit; the care team and the clinic's admins
//! read the log with this week's count against the target; the patient does not (it is the
//! staff's working record). An admin or a care-team clinician sets the phone number; the
//! patient reads it on their own record. Every action here is audited.

use std::collections::HashMap;

use physio_clinic::contact::{self, ContactInput, WeekContacts};
use physio_store::{Contact, NewContact, Role};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

/// A contact as an API client sends it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactRequest {
    /// One of `message`, `phone_call`, `video_call`, `in_person`.
    #[schema(example = "phone_call")]
    pub kind: String,
    /// When it happened; now when left out. Not in the future, and on a date at most 30 days
    /// back on the clinic's calendar.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub occurred_at: Option<OffsetDateTime>,
    /// Whole minutes, 1 to 240, for a call or a visit; none for a message.
    #[serde(default)]
    pub duration_minutes: Option<i64>,
    /// What was talked about, up to 500 characters; needed for a call or a visit.
    #[serde(default)]
    pub note: Option<String>,
}

/// One contact in a patient's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ContactEntry {
    pub id: Uuid,
    /// One of `message`, `phone_call`, `video_call`, `in_person`.
    #[schema(value_type = String, example = "phone_call")]
    pub kind: contact::ContactKind,
    /// The kind in words ("Phone call").
    pub kind_label: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub occurred_at: OffsetDateTime,
    /// Minutes, for a call or a visit.
    pub duration_minutes: Option<u16>,
    pub note: Option<String>,
    /// The clinician who logged it.
    pub logged_by: Uuid,
    pub logged_by_name: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub logged_at: OffsetDateTime,
}

impl From<Contact> for ContactEntry {
    fn from(c: Contact) -> Self {
        ContactEntry {
            id: c.id,
            kind: c.kind,
            kind_label: c.kind.label().to_owned(),
            occurred_at: c.occurred_at,
            duration_minutes: c.duration_minutes,
            note: c.note,
            logged_by: c.logged_by,
            logged_by_name: c.logged_by_name,
            logged_at: c.logged_at,
        }
    }
}

/// This week's contacts against the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct WeekView {
    /// Contacts since Monday 00:00 on the clinic's clock.
    pub count: u32,
    /// The contacts a week the care team aims for (2).
    pub target: u32,
    /// Whether the target is met.
    pub met: bool,
    /// In words: "1 of 2 this week".
    pub text: String,
    /// When the week began (Monday 00:00 on the clinic's clock), in UTC.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub since: OffsetDateTime,
}

impl WeekView {
    fn new(week: WeekContacts, since: OffsetDateTime) -> WeekView {
        WeekView {
            count: week.count,
            target: week.target,
            met: week.met(),
            text: week.text(),
            since,
        }
    }
}

/// A patient's contact log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PatientContacts {
    pub this_week: WeekView,
    /// Newest first.
    pub contacts: Vec<ContactEntry>,
}

/// The patient's phone number after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PhoneView {
    /// As shown, or `null` when none is on record.
    pub phone: Option<String>,
}

const LOG_CLINICIANS_ONLY: &str = "only a clinician on the patient's care team logs contacts";

/// Logs a contact with the patient: only a clinician on their care team (an admin manages
/// accounts and access, not care, and a contact is a clinical event with a clinical note).
/// Bad input names each field at fault, and nothing is written.
pub async fn log(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    input: &ContactInput<'_>,
) -> Result<ContactEntry, ApiError> {
    let mut act = Act::new(state, p, "create", "contact");
    let r = async {
        let patient = act.patient_as_clinician(patient_id, LOG_CLINICIANS_ONLY).await?;
        let zone = crate::care::clinic::zone(state, patient.clinic_id).await?;
        let now = act.now();
        let checked = contact::check(input, zone.tz(), now).map_err(refusal)?;
        let new = NewContact {
            clinic_id: patient.clinic_id,
            patient_id: patient.id,
            kind: checked.kind,
            occurred_at: checked.at,
            duration_minutes: checked.minutes,
            note: checked.note,
            logged_by: p.user.id,
        };
        let added = act.tx().await?.add_contact(&new, now).await?;
        Ok(ContactEntry::from(added))
    }
    .await;
    act.finish(r).await
}

/// A patient's contact log, newest first, with this week's count: for their care team and the
/// clinic's admins. The patient does not read it: it is the staff's working record.
pub async fn list(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<PatientContacts, ApiError> {
    let mut act = Act::new(state, p, "read", "contact");
    let r = async {
        act.about(patient_id);
        if p.role() == Role::Patient {
            return Err(ApiError::Forbidden("the contact log is for the care team".into()));
        }
        let patient = act.patient(patient_id).await?;
        let contacts = act.store().contacts(patient.clinic_id, patient.id).await?;
        let zone = crate::care::clinic::zone(state, patient.clinic_id).await?;
        let now = act.now();
        let week = WeekContacts::of(contacts.iter().map(|c| c.occurred_at), zone.tz(), now);
        Ok(PatientContacts {
            this_week: WeekView::new(week, contact::week_start(zone.tz(), now)),
            contacts: contacts.into_iter().map(ContactEntry::from).collect(),
        })
    }
    .await;
    act.finish(r).await
}

/// Contacts this week of every patient of a clinic who has any, in one read, for a caseload;
/// `WeekContacts::new(count)` gives each patient's words (a patient absent from the map has 0).
/// Reads only, and records nothing: the caseload that shows it records its own read.
pub async fn this_week_by_patient(
    state: &AppState,
    clinic_id: Uuid,
) -> Result<HashMap<Uuid, WeekContacts>, ApiError> {
    let zone = crate::care::clinic::zone(state, clinic_id).await?;
    let since = contact::week_start(zone.tz(), state.now());
    let counts = state.store().contact_counts_since(clinic_id, since).await?;
    Ok(counts.into_iter().map(|(patient, n)| (patient, WeekContacts::new(n))).collect())
}

/// Sets the patient's phone number as typed, or clears it when empty: an admin of the clinic
/// or a clinician on the patient's care team (the patient tells them when it changes).
pub async fn set_phone(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    phone: &str,
) -> Result<PhoneView, ApiError> {
    let mut act = Act::new(state, p, "update", "patient_phone");
    let r = async {
        act.about(patient_id);
        if p.role() == Role::Patient {
            return Err(ApiError::Forbidden(
                "your care team or the clinic's admin changes your phone number".into(),
            ));
        }
        let patient = act.patient(patient_id).await?;
        let phone = contact::check_phone(phone).map_err(|m| ApiError::invalid("phone", m))?;
        act.tx().await?.set_phone(patient.clinic_id, patient.id, phone.as_deref()).await?;
        Ok(PhoneView { phone })
    }
    .await;
    act.finish(r).await
}

/// One problem names its field in `field`; several are listed in `problems`.
fn refusal(problems: Vec<physio_clinic::exercise::Problem>) -> ApiError {
    match problems.as_slice() {
        [one] => match contact::FIELDS.iter().find(|f| **f == one.field) {
            Some(field) => ApiError::invalid(field, one.message.clone()),
            None => ApiError::problems(problems),
        },
        _ => ApiError::problems(problems),
    }
}
