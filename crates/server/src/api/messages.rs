//! Secure messages (docs/messages.md): a patient's thread with their care team, read (which
//! marks the other side's messages read) and written by the patient and the clinicians on their
//! care team, never by an admin; and the caller's unread counts.

use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::{
        self,
        messages::{MessageView, Thread, Unread},
    },
    error::{ApiError, ApiJson, ApiPath, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(thread, write)).routes(routes!(unread))
}

/// A message to send.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewMessage {
    /// Text only, 1 to 2,000 characters (spaces around it are dropped).
    pub body: String,
}

/// The patient's thread with their care team, oldest first. Opening it marks every message the
/// other side wrote as read by the caller; the clinicians' own messages carry when the patient
/// read them.
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/messages", tag = "messages",
    params(("patient_id" = Uuid, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Thread), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn thread(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<Thread>, ApiError> {
    Ok(ApiJson(care::messages::thread(&state, &p, patient_id).await?))
}

/// Writes a message in the patient's thread, as the patient or a clinician on their care team.
/// The other side gets an e-mail without the text when the server sends e-mail.
#[utoipa::path(post, path = "/api/v1/patients/{patient_id}/messages", tag = "messages",
    params(("patient_id" = Uuid, Path)), request_body = NewMessage,
    security(("session" = []), ("bearer" = [])),
    responses((status = 201, body = MessageView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn write(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
    ApiJson(new): ApiJson<NewMessage>,
) -> Result<(axum::http::StatusCode, ApiJson<MessageView>), ApiError> {
    let m = care::messages::write(&state, &p, patient_id, &new.body).await?;
    Ok((axum::http::StatusCode::CREATED, ApiJson(m)))
}

/// What waits for the caller: a patient's unread messages from their care team, or the
/// patients' messages on a clinician's caseload that no clinician has read, and their threads.
#[utoipa::path(get, path = "/api/v1/messages/unread", tag = "messages",
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Unread), (status = 403, body = ErrorBody)))]
async fn unread(State(state): State<AppState>, p: Principal) -> Result<ApiJson<Unread>, ApiError> {
    Ok(ApiJson(care::messages::unread(&state, &p).await?))
}
