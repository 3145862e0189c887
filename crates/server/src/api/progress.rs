//! A patient's progress (the patient and their care team): pain and disability scores of the
//! current episode with the meaningful change and a plain-words summary for each, guided
//! sessions per week against the plan, and exercises moved up their ladder.

use axum::extract::State;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::{self, progress::Progress},
    error::{ApiError, ApiJson, ApiPath, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(progress))
}

/// A patient's progress: for each of pain (NPRS), back and neck disability (ODI, NDI) and the
/// patient's own activities (PSFS) with a score in the current episode, the scores oldest
/// first, the smallest change from the first that counts (`threshold`) and the band of scores
/// that count as no real change, and the summary the patient reads; the guided sessions of
/// each week against the plan since the programme began (at most eight weeks); and the
/// exercises in the programme now that are harder variants of ones prescribed before.
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/progress", tag = "patients",
    params(("patient_id" = Uuid, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Progress), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn progress(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<Progress>, ApiError> {
    Ok(ApiJson(care::progress::progress(&state, &p, patient_id).await?))
}
