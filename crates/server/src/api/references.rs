//! A patient's reference range per exercise: what their repetitions are judged against in live
//! sessions ("too little range" when they fall short of it). A clinician sets it from a
//! supervised session (its median repetition) or as a target, and can clear it, after which
//! the engine judges each repetition against the patient's recent ones again.

use axum::{extract::State, http::StatusCode};
use physio_store::ExerciseReference;
use serde::Serialize;
use serde_json::Value;
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::{self, references::ReferenceRequest},
    error::{ApiError, ApiJson, ApiPath, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(set, clear))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReferenceView {
    /// Exercise id.
    pub exercise: String,
    /// Primary angle at rest (degrees).
    pub rest: f64,
    /// Primary angle at the end position (degrees).
    pub peak: f64,
    /// From a session: the person's usual reading of each of the exercise's form checks
    /// (`checks`, in the exercise's order) and position bands (`bands`: usual position and
    /// spread), which then replace the generic limits. `null` for a target.
    #[schema(value_type = Option<Object>)]
    pub baselines: Option<Value>,
    /// The supervised session it was taken from, if any.
    pub session_id: Option<Uuid>,
    /// The clinician who set it.
    pub set_by: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub set_at: OffsetDateTime,
}

impl From<ExerciseReference> for ReferenceView {
    fn from(r: ExerciseReference) -> Self {
        ReferenceView {
            exercise: r.exercise,
            rest: r.rest,
            peak: r.peak,
            baselines: r.baselines,
            session_id: r.session_id,
            set_by: r.set_by,
            set_at: r.set_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReferenceList {
    pub references: Vec<ReferenceView>,
}

/// The patient's reference ranges.
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/references", tag = "patients",
    params(("patient_id" = Uuid, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = ReferenceList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<ReferenceList>, ApiError> {
    let list = care::references::list(&state, &p, patient_id).await?;
    Ok(ApiJson(ReferenceList { references: list.into_iter().map(Into::into).collect() }))
}

/// Set the reference range for one exercise (clinicians on the patient's care team).
#[utoipa::path(put, path = "/api/v1/patients/{patient_id}/references/{exercise_id}",
    tag = "patients", params(("patient_id" = Uuid, Path), ("exercise_id" = String, Path)),
    request_body = ReferenceRequest, security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = ReferenceView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set(
    State(state): State<AppState>,
    p: Principal,
    ApiPath((patient_id, exercise)): ApiPath<(Uuid, String)>,
    ApiJson(req): ApiJson<ReferenceRequest>,
) -> Result<ApiJson<ReferenceView>, ApiError> {
    Ok(ApiJson(care::references::set(&state, &p, patient_id, &exercise, &req).await?.into()))
}

/// Clear the reference range for one exercise (clinicians on the patient's care team).
#[utoipa::path(delete, path = "/api/v1/patients/{patient_id}/references/{exercise_id}",
    tag = "patients", params(("patient_id" = Uuid, Path), ("exercise_id" = String, Path)),
    security(("session" = []), ("bearer" = [])),
    responses((status = 204, description = "Cleared (or there was none)"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn clear(
    State(state): State<AppState>,
    p: Principal,
    ApiPath((patient_id, exercise)): ApiPath<(Uuid, String)>,
) -> Result<StatusCode, ApiError> {
    care::references::clear(&state, &p, patient_id, &exercise).await?;
    Ok(StatusCode::NO_CONTENT)
}
