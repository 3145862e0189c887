//! The patient's rights over their record: who opened it, a download of all of it, and its
//! erasure on request by an admin (docs/patient-rights.md).

use axum::{
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::{
        self,
        rights::{AccessLog, EraseRequest, ErasureView},
    },
    error::{ApiError, ApiJson, ApiPath, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(access_log))
        .routes(routes!(record))
        .routes(routes!(erase))
        .routes(routes!(erasures))
}

/// Who at the clinic viewed or changed the patient's record in the last 90 days, newest first
/// (the patient, or an admin).
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/access-log", tag = "rights",
    params(("patient_id" = Uuid, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = AccessLog), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn access_log(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<AccessLog>, ApiError> {
    Ok(ApiJson(care::rights::access_log(&state, &p, patient_id).await?))
}

/// Everything the clinic holds about the patient, as a JSON file to keep (the patient, or an
/// admin): the account, episodes, questionnaires, programmes, sessions, messages, contacts,
/// alerts, and who opened the record lately.
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/record", tag = "rights",
    params(("patient_id" = Uuid, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn record(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<Response, ApiError> {
    let record = care::rights::export(&state, &p, patient_id).await?;
    Ok(download(&record))
}

/// The record as an attachment, so a browser saves it rather than showing it.
pub(crate) fn download(record: &serde_json::Value) -> Response {
    let body = serde_json::to_string_pretty(record).unwrap_or_default();
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"my-physio-record.json\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// Erase a patient at their request (admins only): every row of their data goes; the erasure
/// (who, when, why) is kept. The patient's full name must be typed as `confirm_name`; an empty
/// reason or a name that does not match is a 422 naming the field.
#[utoipa::path(post, path = "/api/v1/patients/{patient_id}/erasure", tag = "rights",
    params(("patient_id" = Uuid, Path)), request_body = EraseRequest,
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = ErasureView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn erase(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<EraseRequest>,
) -> Result<ApiJson<ErasureView>, ApiError> {
    Ok(ApiJson(care::rights::erase(&state, &p, patient_id, &req).await?))
}

/// The clinic's erasures, newest first (admins only).
#[utoipa::path(get, path = "/api/v1/erasures", tag = "rights",
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Vec<ErasureView>), (status = 403, body = ErrorBody)))]
async fn erasures(
    State(state): State<AppState>,
    p: Principal,
) -> Result<ApiJson<Vec<ErasureView>>, ApiError> {
    Ok(ApiJson(care::rights::erasures(&state, &p).await?))
}
