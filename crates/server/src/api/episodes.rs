//! Episodes of care over the API: episodes, triage decisions and their clinical review,
//! and questionnaire responses over time (alerts are `api::alerts`).

use axum::extract::State;
use physio_store::{Episode, ResponseRecord, TriageRecord};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    auth::Principal,
    care,
    error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_episodes))
        .routes(routes!(list_triage))
        .routes(routes!(review))
        .routes(routes!(list_responses))
        .routes(routes!(submit_intake))
        .routes(routes!(submit_response))
        .routes(routes!(pathway_status))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PhaseOverrideView {
    pub phase: String,
    pub reason: String,
    pub by: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EpisodeView {
    pub id: Uuid,
    /// `intake`, `awaiting_review`, `active` or `discharged`.
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub opened_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub discharged_at: Option<OffsetDateTime>,
    pub pathway: Option<String>,
    pub surgery_date: Option<Date>,
    pub lifting_limit_kg: Option<f64>,
    pub phase_override: Option<PhaseOverrideView>,
}

impl From<Episode> for EpisodeView {
    fn from(e: Episode) -> Self {
        EpisodeView {
            id: e.id,
            status: e.status.as_str().to_owned(),
            opened_at: e.opened_at,
            discharged_at: e.discharged_at,
            pathway: e.pathway,
            surgery_date: e.surgery_date,
            lifting_limit_kg: e.lifting_limit_kg,
            phase_override: e.phase_override.map(|o| PhaseOverrideView {
                phase: o.phase,
                reason: o.reason,
                by: o.by,
                at: o.at,
            }),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EpisodeList {
    pub episodes: Vec<EpisodeView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewView {
    pub by: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub final_tier: String,
    pub note: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TriageView {
    pub id: Uuid,
    pub episode_id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub decided_at: OffsetDateTime,
    /// What made triage run: `intake`, `weekly_checkin`, `pain_rise`.
    pub trigger: String,
    /// The tier the rules proposed: `emergency`, `urgent`, `specialist` or `exercise`.
    pub tier: String,
    /// The rules' whole decision: every rule that fired with its reason, pathway and phase.
    #[schema(value_type = Object)]
    pub decision: Value,
    /// The clinician's review, once done.
    pub review: Option<ReviewView>,
}

impl From<TriageRecord> for TriageView {
    fn from(t: TriageRecord) -> Self {
        TriageView {
            id: t.id,
            episode_id: t.episode_id,
            decided_at: t.decided_at,
            trigger: t.trigger,
            tier: t.tier.as_str().to_owned(),
            decision: serde_json::to_value(&t.decision).unwrap_or(Value::Null),
            review: t.review.map(|r| ReviewView {
                by: r.by,
                at: r.at,
                final_tier: r.final_tier.as_str().to_owned(),
                note: r.note,
            }),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TriageList {
    pub decisions: Vec<TriageView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// The tier you settle on: the proposed one to confirm, another to override.
    pub final_tier: String,
    /// Required when overriding: why.
    pub note: Option<String>,
    /// The pathway to start when the final tier is `exercise`.
    pub pathway: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResponseView {
    pub id: Uuid,
    pub episode_id: Uuid,
    pub instrument: String,
    pub timepoint: String,
    #[schema(value_type = Object)]
    pub answers: Value,
    /// The scored result: score, band, sub-scores, alerts.
    #[schema(value_type = Object)]
    pub result: Value,
    pub score: f64,
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
}

impl From<ResponseRecord> for ResponseView {
    fn from(r: ResponseRecord) -> Self {
        ResponseView {
            id: r.id,
            episode_id: r.episode_id,
            instrument: r.instrument,
            timepoint: r.timepoint,
            answers: r.answers,
            result: r.result,
            score: r.score,
            submitted_at: r.submitted_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResponseList {
    pub responses: Vec<ResponseView>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ResponseQuery {
    /// Only this instrument, e.g. `odi`.
    pub instrument: Option<String>,
}

/// A patient's episodes of care, newest first.
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/episodes", tag = "episodes",
    params(("patient_id" = Uuid, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = EpisodeList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_episodes(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<EpisodeList>, ApiError> {
    let list = care::records::episodes(&state, &p, patient_id).await?;
    Ok(ApiJson(EpisodeList { episodes: list.into_iter().map(Into::into).collect() }))
}

/// Triage decisions of the patient's latest episode, newest first.
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/triage", tag = "episodes",
    params(("patient_id" = Uuid, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = TriageList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_triage(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<TriageList>, ApiError> {
    let decisions = care::triage::history(&state, &p, patient_id).await?;
    Ok(ApiJson(TriageList { decisions: decisions.into_iter().map(Into::into).collect() }))
}

/// Confirm or override a triage decision (clinicians on the patient's care team).
#[utoipa::path(post, path = "/api/v1/triage/{triage_id}/review", tag = "episodes",
    params(("triage_id" = Uuid, Path)), request_body = ReviewRequest,
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = TriageView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Already reviewed", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn review(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(triage_id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<ReviewRequest>,
) -> Result<ApiJson<TriageView>, ApiError> {
    let review =
        care::triage::Review { final_tier: req.final_tier, note: req.note, pathway: req.pathway };
    Ok(ApiJson(care::triage::review(&state, &p, triage_id, &review).await?.into()))
}

/// A patient's questionnaire responses, oldest first.
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/responses", tag = "episodes",
    params(("patient_id" = Uuid, Path), ResponseQuery), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = ResponseList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_responses(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<ResponseQuery>,
) -> Result<ApiJson<ResponseList>, ApiError> {
    let list =
        care::questionnaires::responses(&state, &p, patient_id, q.instrument.as_deref()).await?;
    Ok(ApiJson(ResponseList { responses: list.into_iter().map(Into::into).collect() }))
}

/// Send your intake (patients): it is triaged at once and stored with the decision. When your
/// clinic recorded your date of birth, that is the age triage uses.
#[utoipa::path(post, path = "/api/v1/intake", tag = "episodes",
    request_body(content = Object, description = "The intake document (docs/intake.md)"),
    security(("session" = []), ("bearer" = [])),
    responses((status = 201, body = TriageView), (status = 403, body = ErrorBody),
        (status = 409, description = "The current intake was already sent", body = ErrorBody),
        (status = 422, description = "A field is missing or not allowed; the message names it", body = ErrorBody)))]
async fn submit_intake(
    State(state): State<AppState>,
    p: Principal,
    ApiJson(body): ApiJson<Value>,
) -> Result<(axum::http::StatusCode, ApiJson<TriageView>), ApiError> {
    let t = care::intake::submit(&state, &p, body).await?;
    Ok((axum::http::StatusCode::CREATED, ApiJson(t.into())))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewResponseRequest {
    /// One entry per item in the instrument's order: the chosen option's value, or null for a
    /// skipped item (PSFS: one rating per activity).
    #[schema(value_type = Vec<Option<f64>>)]
    pub answers: Vec<Option<f64>>,
    /// `baseline`, `week_4`, … when it answers a due questionnaire; anything else is stored
    /// as `adhoc`.
    pub timepoint: Option<String>,
}

/// Answer a questionnaire (patients): scored, stored, and any alert goes to the care team.
#[utoipa::path(post, path = "/api/v1/questionnaires/{instrument}", tag = "episodes",
    params(("instrument" = String, Path, description = "nprs, odi, ndi, psfs, phq9, gad7, wpai, pgic, startback or satisfaction")),
    request_body = NewResponseRequest, security(("session" = []), ("bearer" = [])),
    responses((status = 201, body = ResponseView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "No episode of care to attach it to yet", body = ErrorBody),
        (status = 422, description = "An answer is missing or out of range; the message names the item", body = ErrorBody)))]
async fn submit_response(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(instrument): ApiPath<String>,
    ApiJson(req): ApiJson<NewResponseRequest>,
) -> Result<(axum::http::StatusCode, ApiJson<ResponseView>), ApiError> {
    use physio_clinic::questionnaire::InstrumentId;
    let id: InstrumentId = instrument.parse().map_err(|_| ApiError::NotFound("questionnaire"))?;
    let answer = care::questionnaires::Answer {
        answers: req.answers,
        activities: None,
        timepoint: req.timepoint.unwrap_or_default(),
    };
    let done = care::questionnaires::answer(&state, &p, id, &answer).await?;
    Ok((axum::http::StatusCode::CREATED, ApiJson(done.response.into())))
}

/// Where the patient is on their pathway today: phase, precautions with reasons, and what
/// unlocks the next phase. 404 when no pathway is set yet.
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/pathway", tag = "episodes",
    params(("patient_id" = Uuid, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody),
        (status = 404, description = "No such patient, or no pathway set for them yet", body = ErrorBody),
        (status = 422, description = "The pathway is missing a fact it needs, such as the surgery date", body = ErrorBody)))]
async fn pathway_status(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<Value>, ApiError> {
    let status = care::pathway::status(&state, &p, patient_id).await?;
    let status = status.ok_or(ApiError::NotFound("pathway"))?;
    let body = serde_json::to_value(status)
        .map_err(|e| ApiError::Internal(format!("pathway status: {e}")))?;
    Ok(ApiJson(body))
}
