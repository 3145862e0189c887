//! The contact log and the patient's phone number: a care-team clinician logs a contact; the
//! care team and admins read the log with this week's count; an admin or a care-team clinician
//! sets the phone number (docs/contacts.md).

use axum::{extract::State, http::StatusCode};
use physio_clinic::contact::{ContactInput, When};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::{
        self,
        contacts::{ContactEntry, ContactRequest, PatientContacts, PhoneView},
    },
    error::{ApiError, ApiJson, ApiPath, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, log)).routes(routes!(set_phone))
}

/// The patient's contact log, newest first, with this week's count against the target of 2
/// (their care team and the clinic's admins; not the patient).
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/contacts", tag = "contacts",
    params(("patient_id" = Uuid, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = PatientContacts), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<PatientContacts>, ApiError> {
    Ok(ApiJson(care::contacts::list(&state, &p, patient_id).await?))
}

/// Log a contact with the patient (a clinician on their care team). A bad kind, a time in the
/// future or more than 30 days back, minutes out of range or a missing note is a 422 naming
/// the field.
#[utoipa::path(post, path = "/api/v1/patients/{patient_id}/contacts", tag = "contacts",
    params(("patient_id" = Uuid, Path)), request_body = ContactRequest,
    security(("session" = []), ("bearer" = [])),
    responses((status = 201, body = ContactEntry), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn log(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<ContactRequest>,
) -> Result<(StatusCode, ApiJson<ContactEntry>), ApiError> {
    let minutes = req.duration_minutes.map(|m| m.to_string()).unwrap_or_default();
    let input = ContactInput {
        kind: &req.kind,
        when: req.occurred_at.map_or(When::Now, When::At),
        minutes: &minutes,
        note: req.note.as_deref().unwrap_or(""),
    };
    let added = care::contacts::log(&state, &p, patient_id, &input).await?;
    Ok((StatusCode::CREATED, ApiJson(added)))
}

/// A new phone number for the patient.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhoneRequest {
    /// Digits, spaces, `-`, brackets and a leading `+`, with 6 to 20 digits; empty or `null`
    /// clears it.
    pub phone: Option<String>,
}

/// Set or clear the patient's phone number (an admin, or a clinician on their care team). A
/// number that is not one is a 422 naming `phone`.
#[utoipa::path(put, path = "/api/v1/patients/{patient_id}/phone", tag = "contacts",
    params(("patient_id" = Uuid, Path)), request_body = PhoneRequest,
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = PhoneView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_phone(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<PhoneRequest>,
) -> Result<ApiJson<PhoneView>, ApiError> {
    let phone = req.phone.unwrap_or_default();
    Ok(ApiJson(care::contacts::set_phone(&state, &p, patient_id, &phone).await?))
}
