//! A patient's camera exercise sessions as stored by the live endpoint: every repetition with
//! its metrics and form errors, and the session summary; for integrations and exports (the
//! clinician's patient page shows the same).

use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    auth::Principal,
    error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

/// Most sessions one request returns.
const MAX_LIMIT: i64 = 200;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SessionQuery {
    /// How many of the latest sessions (1 to 200; default 50).
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub id: Uuid,
    /// Exercise id.
    pub exercise: String,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    /// `null` while the session is open (or was never finished).
    #[serde(with = "time::serde::rfc3339::option")]
    pub ended_at: Option<OffsetDateTime>,
    pub rep_count: i32,
    pub correct_count: i32,
    /// One object per repetition, as the engine reported it (`rep_completed` in
    /// docs/live-sessions.md: times, peak and range in degrees, correct, errors).
    #[schema(value_type = Vec<Object>)]
    pub reps: Value,
    /// The session summary (`summary` in docs/live-sessions.md), once finished.
    #[schema(value_type = Option<Object>)]
    pub summary: Option<Value>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionList {
    /// Newest first.
    pub sessions: Vec<SessionView>,
}

/// The patient's camera exercise sessions, newest first (the patient, their care team, and
/// their clinic's admins).
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/exercise-sessions", tag = "patients",
    params(("patient_id" = Uuid, Path), SessionQuery), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = SessionList), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<SessionQuery>,
) -> Result<ApiJson<SessionList>, ApiError> {
    let limit = q.limit.unwrap_or(50);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(ApiError::invalid("limit", format!("give a number from 1 to {MAX_LIMIT}")));
    }
    let sessions = crate::care::sessions::list(&state, &p, patient_id, limit).await?;
    let sessions = sessions
        .into_iter()
        .map(|s| SessionView {
            id: s.id,
            exercise: s.exercise,
            started_at: s.started_at,
            ended_at: s.ended_at,
            rep_count: s.rep_count,
            correct_count: s.correct_count,
            reps: s.reps,
            summary: s.summary,
        })
        .collect();
    Ok(ApiJson(SessionList { sessions }))
}
