//! Education lessons: a patient's lessons with what they have read (the patient and their care
//! team), marking one read (the patient), and the clinic's lesson catalogue (staff) with its
//! own lessons imported by admins, all or nothing. The format is described in
//! docs/education.md.

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::{
        self,
        lessons::{CatalogueEntry, ImportReport, OpenedLesson, PatientLessons},
    },
    error::{ApiError, ApiJson, ApiPath, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(read))
        .routes(routes!(catalogue))
        .routes(routes!(import))
}

/// The patient's lessons, in order, each with when they first read it, and this week's lesson
/// (the first unread one). Lessons they read that are no longer given to them are listed apart.
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/lessons", tag = "lessons",
    params(("patient_id" = Uuid, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = PatientLessons), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<PatientLessons>, ApiError> {
    Ok(ApiJson(care::lessons::list(&state, &p, patient_id).await?))
}

/// The patient opens a lesson: the first time it is recorded as read; after that the first
/// time stays. Only the patient may do this.
#[utoipa::path(post, path = "/api/v1/patients/{patient_id}/lessons/{lesson_id}/read",
    tag = "lessons", params(("patient_id" = Uuid, Path), ("lesson_id" = String, Path)),
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = OpenedLesson), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn read(
    State(state): State<AppState>,
    p: Principal,
    ApiPath((patient_id, lesson_id)): ApiPath<(Uuid, String)>,
) -> Result<ApiJson<OpenedLesson>, ApiError> {
    Ok(ApiJson(care::lessons::open(&state, &p, patient_id, &lesson_id).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Catalogue {
    /// The built-in lessons, then the clinic's own, each with its reading grade.
    pub lessons: Vec<CatalogueEntry>,
}

/// Every lesson the clinic gives: the built-in ones, then its own (staff only).
#[utoipa::path(get, path = "/api/v1/lessons", tag = "lessons",
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Catalogue), (status = 403, body = ErrorBody)))]
async fn catalogue(
    State(state): State<AppState>,
    p: Principal,
) -> Result<ApiJson<Catalogue>, ApiError> {
    Ok(ApiJson(Catalogue { lessons: care::lessons::catalogue(&state, &p).await? }))
}

/// Add or update the clinic's own lessons (admins only), from a lessons file
/// `{"format": "physio-lessons", "version": 1, "lessons": [...]}`. Every entry is checked
/// first; if any is refused, nothing is stored and each problem names the entry and its field.
#[utoipa::path(post, path = "/api/v1/lessons/import", tag = "lessons",
    request_body(content = Object, description = "A lessons file"),
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = ImportReport), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn import(
    State(state): State<AppState>,
    p: Principal,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<ApiJson<ImportReport>, ApiError> {
    Ok(ApiJson(care::lessons::import(&state, &p, &body.to_string()).await?))
}
