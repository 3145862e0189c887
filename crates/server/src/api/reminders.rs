//! A patient's exercise reminders: the patient reads and sets their plan (days, time, the habit
//! it goes with, on or off); their care team and clinic admins read it.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::{
        self,
        reminders::{PlanRequest, ReminderView},
    },
    error::{ApiError, ApiJson, ApiPath, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(read, set))
}

/// The patient's reminder plan and their next reminder (the patient, their care team, admins).
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/reminders", tag = "patients",
    params(("patient_id" = Uuid, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = ReminderView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn read(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<ReminderView>, ApiError> {
    Ok(ApiJson(care::reminders::read(&state, &p, patient_id).await?))
}

/// Set the reminder plan (the patient only). Replaces the reminders the old plan had planned.
/// A bad day, time or habit is a 422 naming the field.
#[utoipa::path(put, path = "/api/v1/patients/{patient_id}/reminders", tag = "patients",
    params(("patient_id" = Uuid, Path)), request_body = PlanRequest,
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = ReminderView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<PlanRequest>,
) -> Result<ApiJson<ReminderView>, ApiError> {
    Ok(ApiJson(care::reminders::set(&state, &p, patient_id, &req).await?))
}
