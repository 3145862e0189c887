//! Progression proposals (the care team): the rule table, the proposals waiting for the
//! caller, one patient's proposals and recent decisions, deciding them, and the patient's
//! progression settings (automatic changes within limits, the dose cap).

use axum::extract::State;
use physio_clinic::progression::rule::Row;
use physio_store::ProgressionSettings;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    auth::Principal,
    care::{
        self,
        progression::{DecideRequest, PatientProgression, ProposalView, SettingsRequest},
    },
    error::{ApiError, ApiJson, ApiPath, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(rules))
        .routes(routes!(queue))
        .routes(routes!(of_patient))
        .routes(routes!(decide))
        .routes(routes!(settings))
}

/// The progression rule table, in the order it is read (the first rule that holds wins): each
/// rule's condition, what it proposes and its source.
#[utoipa::path(get, path = "/api/v1/progression/rules", tag = "proposals",
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Vec<Object>), (status = 401, body = ErrorBody)))]
async fn rules(_p: Principal) -> ApiJson<Vec<Row>> {
    ApiJson(physio_clinic::progression::TABLE.to_vec())
}

/// The proposals waiting for the caller (a clinician), across the patients on their care
/// teams, newest first, each with its rule, inputs and reasons.
#[utoipa::path(get, path = "/api/v1/proposals", tag = "proposals",
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Vec<ProposalView>), (status = 403, body = ErrorBody)))]
async fn queue(
    State(state): State<AppState>,
    p: Principal,
) -> Result<ApiJson<Vec<ProposalView>>, ApiError> {
    Ok(ApiJson(care::progression::queue(&state, &p).await?))
}

/// One patient's proposals waiting, the decisions of the last 30 days (holds included, each
/// with why), and their progression settings.
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/progression", tag = "proposals",
    params(("patient_id" = Uuid, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = PatientProgression), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn of_patient(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<PatientProgression>, ApiError> {
    Ok(ApiJson(care::progression::of_patient(&state, &p, patient_id).await?))
}

/// Accepts, edits or rejects some of one patient's waiting proposals. Accepting several makes
/// one new programme version; editing takes exactly one proposal and the dose to prescribe;
/// rejecting needs a reason. A proposal no longer waiting, or whose exercise was changed since,
/// is a conflict (409) and nothing is written.
#[utoipa::path(post, path = "/api/v1/patients/{patient_id}/proposals/decide", tag = "proposals",
    params(("patient_id" = Uuid, Path)), request_body = DecideRequest,
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Vec<ProposalView>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn decide(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<DecideRequest>,
) -> Result<ApiJson<Vec<ProposalView>>, ApiError> {
    Ok(ApiJson(care::progression::decide(&state, &p, patient_id, req).await?))
}

/// Sets whether the patient's proposals apply automatically within limits (steps down always;
/// at most one step up per exercise a week; never past the cap), and the patient's dose cap.
#[utoipa::path(put, path = "/api/v1/patients/{patient_id}/progression-settings", tag = "proposals",
    params(("patient_id" = Uuid, Path)), request_body = SettingsRequest,
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn settings(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<SettingsRequest>,
) -> Result<ApiJson<ProgressionSettings>, ApiError> {
    Ok(ApiJson(care::progression::set_settings(&state, &p, patient_id, req).await?))
}
