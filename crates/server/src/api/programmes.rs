//! A patient's exercise programme: read by the patient and their care team, prescribed and
//! changed by their clinicians (each change a new version, checked against the precautions of
//! the patient's phase), and its version history.

use axum::extract::State;
use physio_store::ProgrammeVersion;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::{
        self,
        programme::{FromTemplate, ProgrammeRequest, ProgrammeView, Saved},
    },
    error::{ApiError, ApiJson, ApiPath, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read, save))
        .routes(routes!(from_template))
        .routes(routes!(versions))
}

/// The patient's programme: each exercise with its prescription and the exercise itself, any
/// precaution that now conflicts, and whether exercise is paused.
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/programme", tag = "programmes",
    params(("patient_id" = Uuid, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = ProgrammeView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn read(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<ProgrammeView>, ApiError> {
    Ok(ApiJson(care::programme::read(&state, &p, patient_id).await?))
}

/// Save a new version of the programme (clinicians on the care team). An exercise ruled out by
/// a precaution in force is refused, naming the precaution, unless `override.reason` says why.
#[utoipa::path(put, path = "/api/v1/patients/{patient_id}/programme", tag = "programmes",
    params(("patient_id" = Uuid, Path)), request_body = ProgrammeRequest,
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Saved), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn save(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<ProgrammeRequest>,
) -> Result<ApiJson<Saved>, ApiError> {
    Ok(ApiJson(care::programme::save(&state, &p, patient_id, req).await?))
}

/// Start (or restart) the programme from a template (clinicians on the care team).
#[utoipa::path(post, path = "/api/v1/patients/{patient_id}/programme/from-template",
    tag = "programmes", params(("patient_id" = Uuid, Path)), request_body = FromTemplate,
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Saved), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn from_template(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<FromTemplate>,
) -> Result<ApiJson<Saved>, ApiError> {
    Ok(ApiJson(care::programme::start_from_template(&state, &p, patient_id, req).await?))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VersionList {
    /// Newest first: who changed the programme, when, why and what changed.
    #[schema(value_type = Vec<Object>)]
    pub versions: Vec<ProgrammeVersion>,
}

/// The programme's version history.
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/programme/versions",
    tag = "programmes", params(("patient_id" = Uuid, Path)),
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = VersionList), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn versions(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<VersionList>, ApiError> {
    Ok(ApiJson(VersionList { versions: care::programme::versions(&state, &p, patient_id).await? }))
}
