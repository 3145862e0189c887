//! The exercise library and programme templates: read by the clinic's staff, extended by its
//! admins (exercises, by importing a library file) and clinicians (templates). The format is
//! the one `physio exercises export` prints, described by docs/exercise-library.schema.json.

use axum::extract::State;
use physio_clinic::exercise::Exercise;
use physio_clinic::exercise::library::Library;
use physio_clinic::pathway::{Pathway, Phase};
use physio_clinic::programme::Template;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::Principal,
    care::{
        self,
        library::{ImportReport, NewTemplate, TemplateEntry},
    },
    error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(get))
        .routes(routes!(import))
        .routes(routes!(templates, save_template))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LibraryQuery {
    /// Only the clinic's own exercises (what a clinic exports to share or back up).
    #[serde(default)]
    own: bool,
}

/// The clinic's exercise library in the export format (staff only).
#[utoipa::path(get, path = "/api/v1/exercises", tag = "programmes", params(LibraryQuery),
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, description = "The library: {format, version, exercises}", body = Object),
        (status = 403, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<LibraryQuery>,
) -> Result<ApiJson<Library>, ApiError> {
    let lib = care::library::list(&state, &p).await?;
    let exercises: Vec<Exercise> = if q.own { lib.own } else { lib.all().cloned().collect() };
    Ok(ApiJson(Library::of(exercises)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExerciseView {
    #[schema(value_type = Object)]
    pub exercise: Exercise,
    /// True for the clinic's own exercises, false for built-in ones.
    pub own: bool,
}

/// One exercise of the library (staff only).
#[utoipa::path(get, path = "/api/v1/exercises/{exercise_id}", tag = "programmes",
    params(("exercise_id" = String, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = ExerciseView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn get(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(id): ApiPath<String>,
) -> Result<ApiJson<ExerciseView>, ApiError> {
    let (exercise, own) = care::library::get(&state, &p, &id).await?;
    Ok(ApiJson(ExerciseView { exercise, own }))
}

/// Add or update the clinic's own exercises from a library file (admins only). Every entry is
/// checked first; if any is refused, nothing is imported and each problem names the entry and
/// its field.
#[utoipa::path(post, path = "/api/v1/exercises/import", tag = "programmes",
    request_body(content = Object, description = "A library in the export format"),
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = ImportReport), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn import(
    State(state): State<AppState>,
    p: Principal,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<ApiJson<ImportReport>, ApiError> {
    Ok(ApiJson(care::library::import(&state, &p, &body.to_string()).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct TemplateQuery {
    /// Only templates for this pathway (for example `post_op_fusion`).
    pathway: Option<String>,
    /// Only templates for this phase (for example `early`).
    phase: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateList {
    pub templates: Vec<TemplateEntry>,
}

/// Programme templates: built-in ones, then the clinic's own (staff only).
#[utoipa::path(get, path = "/api/v1/templates", tag = "programmes", params(TemplateQuery),
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = TemplateList), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
async fn templates(
    State(state): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<TemplateQuery>,
) -> Result<ApiJson<TemplateList>, ApiError> {
    let pathway: Option<Pathway> = q
        .pathway
        .map(|s| s.parse().map_err(|e| ApiError::BadRequest(format!("pathway: {e}"))))
        .transpose()?;
    let phase: Option<Phase> = q
        .phase
        .map(|s| s.parse().map_err(|e| ApiError::BadRequest(format!("phase: {e}"))))
        .transpose()?;
    let templates = care::library::templates(&state, &p, pathway, phase).await?;
    Ok(ApiJson(TemplateList { templates }))
}

/// Save a template for the clinic (clinicians only).
#[utoipa::path(post, path = "/api/v1/templates", tag = "programmes", request_body = NewTemplate,
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, description = "The saved template", body = Object),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn save_template(
    State(state): State<AppState>,
    p: Principal,
    ApiJson(req): ApiJson<NewTemplate>,
) -> Result<ApiJson<Template>, ApiError> {
    Ok(ApiJson(care::library::save_template(&state, &p, req).await?))
}
