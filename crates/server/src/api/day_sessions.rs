//! The patient's day and guided sessions: today's sessions and the week, starting a session
//! with the pain check, recording each exercise, the closing check and the next-morning answer
//! (the patient), and the session log with weekly adherence (the patient and their care team).

use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::{
        self,
        day::{DayView, NextMorningRequest, RecordRequest, SessionLog, StartRequest, Started},
    },
    error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody},
    state::AppState,
};
use physio_clinic::day::Closing;
use physio_store::DaySession;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(today))
        .routes(routes!(log))
        .routes(routes!(start))
        .routes(routes!(record))
        .routes(routes!(finish))
        .routes(routes!(next_morning))
}

/// The patient's day: today's sessions and what each holds, sessions the pain check stopped,
/// this week against the plan, and a next-morning question waiting for an answer.
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/today", tag = "sessions",
    params(("patient_id" = Uuid, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = DayView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn today(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<DayView>, ApiError> {
    Ok(ApiJson(care::day::today(&state, &p, patient_id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct LogQuery {
    /// How many weeks back, this one included (1 to 52; default 8).
    weeks: Option<u8>,
}

/// A patient's guided sessions, newest first, each with the prescription it followed and what
/// was recorded per exercise; and each week's sessions against its plan.
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/day-sessions", tag = "sessions",
    params(("patient_id" = Uuid, Path), LogQuery), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = SessionLog), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn log(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<LogQuery>,
) -> Result<ApiJson<SessionLog>, ApiError> {
    Ok(ApiJson(care::day::log(&state, &p, patient_id, q.weeks.unwrap_or(8)).await?))
}

/// Start the next of today's sessions (the patient) with the pain check. Pain of 8 or more, or
/// 3 or more above the usual level, records the session as stopped (`gate` says why) and alerts
/// the care team; exercise is then paused until a clinician acknowledges the alert.
#[utoipa::path(post, path = "/api/v1/day-sessions", tag = "sessions", request_body = StartRequest,
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Started), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn start(
    State(state): State<AppState>,
    p: Principal,
    ApiJson(req): ApiJson<StartRequest>,
) -> Result<ApiJson<Started>, ApiError> {
    Ok(ApiJson(care::day::start(&state, &p, req).await?))
}

/// Record one exercise of the patient's open session: what was done, pain during it and effort,
/// or that it was skipped and why. Pain above 5 records it as stopped for pain.
#[utoipa::path(post, path = "/api/v1/day-sessions/{session_id}/exercises", tag = "sessions",
    params(("session_id" = Uuid, Path)), request_body = RecordRequest,
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn record(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(session_id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<RecordRequest>,
) -> Result<ApiJson<DaySession>, ApiError> {
    Ok(ApiJson(care::day::record(&state, &p, session_id, req).await?))
}

/// End the patient's open session with the closing check: pain, tiredness and, when some
/// exercises were not recorded, why the session stopped early.
#[utoipa::path(post, path = "/api/v1/day-sessions/{session_id}/finish", tag = "sessions",
    params(("session_id" = Uuid, Path)), request_body = Object,
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn finish(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(session_id): ApiPath<Uuid>,
    ApiJson(closing): ApiJson<Closing>,
) -> Result<ApiJson<DaySession>, ApiError> {
    Ok(ApiJson(care::day::finish(&state, &p, session_id, closing).await?))
}

/// How the patient's back felt the morning after a session, compared with usual.
#[utoipa::path(post, path = "/api/v1/day-sessions/{session_id}/next-morning", tag = "sessions",
    params(("session_id" = Uuid, Path)), request_body = NextMorningRequest,
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Object), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn next_morning(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(session_id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<NextMorningRequest>,
) -> Result<ApiJson<DaySession>, ApiError> {
    Ok(ApiJson(care::day::next_morning(&state, &p, session_id, req).await?))
}
