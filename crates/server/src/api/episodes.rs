//! Episodes of care over the API: episodes, triage decisions and their clinical review,
//! questionnaire responses over time, and alerts.

use axum::extract::State;
use physio_store::{
    Alert, AuditOutcome, Episode, EpisodeStatus, ResponseRecord, Role, StoreError, TriageRecord,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    access,
    auth::Principal,
    error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_episodes))
        .routes(routes!(list_triage))
        .routes(routes!(review))
        .routes(routes!(list_responses))
        .routes(routes!(list_alerts))
        .routes(routes!(acknowledge))
        .routes(routes!(submit_intake))
        .routes(routes!(submit_response))
        .routes(routes!(pathway_status))
}

pub const TIERS: [&str; 4] = ["emergency", "urgent", "specialist", "exercise"];

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
    /// The tier the rules proposed.
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
            tier: t.tier,
            decision: t.decision,
            review: t.review.map(|r| ReviewView {
                by: r.by,
                at: r.at,
                final_tier: r.final_tier,
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
#[serde(deny_unknown_fields)]
pub struct ResponseQuery {
    /// Only this instrument, e.g. `odi`.
    pub instrument: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlertView {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub kind: String,
    pub message: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub acknowledged_by: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub acknowledged_at: Option<OffsetDateTime>,
}

impl From<Alert> for AlertView {
    fn from(a: Alert) -> Self {
        AlertView {
            id: a.id,
            patient_id: a.patient_id,
            kind: a.kind,
            message: a.message,
            created_at: a.created_at,
            acknowledged_by: a.acknowledged_by,
            acknowledged_at: a.acknowledged_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlertList {
    pub alerts: Vec<AlertView>,
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
    access::patient_access(&state, &p, patient_id, "read", "episode").await?;
    let list = state.store().episodes(p.user.clinic_id, patient_id).await?;
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
    access::patient_access(&state, &p, patient_id, "read", "triage").await?;
    let store = state.store();
    let decisions = match store.episodes(p.user.clinic_id, patient_id).await?.into_iter().next() {
        Some(ep) => store.triage_history(p.user.clinic_id, ep.id).await?,
        None => vec![],
    };
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
    Ok(ApiJson(review_triage(&state, &p, triage_id, &req).await?.into()))
}

/// Validates and records a clinician's review; shared by the API and the patient page.
pub(crate) async fn review_triage(
    state: &AppState,
    p: &Principal,
    triage_id: Uuid,
    req: &ReviewRequest,
) -> Result<TriageRecord, ApiError> {
    if p.role() != Role::Clinician {
        state.audit(p.actor(), "review", "triage", None, AuditOutcome::Denied).await?;
        return Err(ApiError::Forbidden("only a clinician can review a triage decision".into()));
    }
    let t = match state.store().triage_record(p.user.clinic_id, triage_id).await {
        Ok(t) => t,
        Err(StoreError::NotFound(_)) => {
            state.audit(p.actor(), "review", "triage", None, AuditOutcome::NotFound).await?;
            return Err(ApiError::NotFound("triage decision"));
        }
        Err(e) => return Err(e.into()),
    };
    access::patient_access(state, p, t.patient_id, "review", "triage").await?;
    if !TIERS.contains(&req.final_tier.as_str()) {
        return Err(ApiError::invalid(
            "final_tier",
            format!("choose one of: {}", TIERS.join(", ")),
        ));
    }
    let note = req.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if req.final_tier != t.tier && note.is_none() {
        return Err(ApiError::invalid("note", "say why you are changing the proposed tier"));
    }
    if note.is_some_and(|n| n.chars().count() > 2000) {
        return Err(ApiError::invalid("note", "keep the note under 2000 characters"));
    }
    let pathway = req.pathway.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if pathway.is_some() && req.final_tier != "exercise" {
        return Err(ApiError::invalid("pathway", "a pathway starts only with exercise care"));
    }
    let now = state.now();
    let r = state
        .store()
        .review_triage(p.user.clinic_id, triage_id, p.user.id, &req.final_tier, note, pathway, now)
        .await?;
    state.audit(p.actor(), "review", "triage", Some(t.patient_id), AuditOutcome::Success).await?;
    Ok(r)
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
    access::patient_access(&state, &p, patient_id, "read", "questionnaire_response").await?;
    let list =
        state.store().responses(p.user.clinic_id, patient_id, q.instrument.as_deref()).await?;
    Ok(ApiJson(ResponseList { responses: list.into_iter().map(Into::into).collect() }))
}

/// Open alerts about a patient (staff only).
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/alerts", tag = "episodes",
    params(("patient_id" = Uuid, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = AlertList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_alerts(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<AlertList>, ApiError> {
    if p.role() == Role::Patient {
        state.audit(p.actor(), "read", "alert", None, AuditOutcome::Denied).await?;
        return Err(ApiError::forbidden());
    }
    access::patient_access(&state, &p, patient_id, "read", "alert").await?;
    let list = state.store().alerts(p.user.clinic_id, Some(patient_id), false).await?;
    Ok(ApiJson(AlertList { alerts: list.into_iter().map(Into::into).collect() }))
}

/// Mark an alert as seen and acted on (clinicians on the patient's care team).
#[utoipa::path(post, path = "/api/v1/alerts/{alert_id}/acknowledge", tag = "episodes",
    params(("alert_id" = Uuid, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 204, description = "Acknowledged"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn acknowledge(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(alert_id): ApiPath<Uuid>,
) -> Result<axum::http::StatusCode, ApiError> {
    acknowledge_alert(&state, &p, alert_id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

pub(crate) async fn acknowledge_alert(
    state: &AppState,
    p: &Principal,
    alert_id: Uuid,
) -> Result<(), ApiError> {
    if p.role() != Role::Clinician {
        state.audit(p.actor(), "acknowledge", "alert", None, AuditOutcome::Denied).await?;
        return Err(ApiError::Forbidden("only a clinician can acknowledge an alert".into()));
    }
    let alert = match state.store().alert(p.user.clinic_id, alert_id).await {
        Ok(a) if a.acknowledged_at.is_none() => Some(a),
        Ok(_) | Err(StoreError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let Some(alert) = alert else {
        state.audit(p.actor(), "acknowledge", "alert", None, AuditOutcome::NotFound).await?;
        return Err(ApiError::NotFound("open alert"));
    };
    access::patient_access(state, p, alert.patient_id, "acknowledge", "alert").await?;
    state.store().acknowledge_alert(p.user.clinic_id, alert_id, p.user.id, state.now()).await?;
    Ok(())
}

/// Whether an episode needs a clinician now, for caseload badges.
pub(crate) fn needs_review(e: &Episode) -> bool {
    e.status == EpisodeStatus::AwaitingReview
}

/// Send your intake (patients): it is triaged at once and stored with the decision.
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
    if p.role() != Role::Patient {
        state.audit(p.actor(), "submit", "intake", None, AuditOutcome::Denied).await?;
        return Err(ApiError::Forbidden("only patients send an intake".into()));
    }
    let mut doc = body;
    if let (Some(o), Some(dob)) = (doc.as_object_mut(), p.user.date_of_birth)
        && !o.contains_key("age")
    {
        o.entry("date_of_birth").or_insert_with(|| Value::from(dob.to_string()));
    }
    let decision = physio_clinic::triage::triage_json(&doc.to_string(), state.now().date())
        .map_err(|e| ApiError::invalid("intake", e.to_string()))?;
    let store = state.store();
    let ep = match store.open_episode_of(p.user.clinic_id, p.user.id).await? {
        Some(e) => e,
        None => store.open_episode(p.user.clinic_id, p.user.id, state.now()).await?,
    };
    if ep.status != EpisodeStatus::Intake {
        return Err(ApiError::Conflict(
            "your intake was already sent; use the weekly check-in".into(),
        ));
    }
    let triage = crate::care::new_triage(p.user.clinic_id, ep.id, "intake", decision, false);
    let t = store.submit_intake(&doc, &triage, state.now()).await?;
    state.audit(p.actor(), "submit", "intake", Some(p.user.id), AuditOutcome::Success).await?;
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
    if p.role() != Role::Patient {
        state
            .audit(p.actor(), "create", "questionnaire_response", None, AuditOutcome::Denied)
            .await?;
        return Err(ApiError::Forbidden("only patients answer questionnaires".into()));
    }
    let id: InstrumentId = instrument.parse().map_err(|_| ApiError::NotFound("questionnaire"))?;
    let Some(ep) = crate::care::questionnaire_episode(&state, &p).await? else {
        return Err(ApiError::Conflict("send your intake first".into()));
    };
    let result = crate::care::instrument(&state, id)
        .score(&req.answers)
        .map_err(|e| ApiError::invalid("answers", e.to_string()))?;
    let answers = serde_json::json!({ "answers": req.answers });
    let requested = req.timepoint.unwrap_or_default();
    let (r, _) =
        crate::care::record_response(&state, &p, &ep, &result, answers, &requested).await?;
    Ok((axum::http::StatusCode::CREATED, ApiJson(r.into())))
}

/// Where the patient is on their pathway today: phase, precautions with reasons, and what
/// unlocks the next phase. `null` when no pathway is set.
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/pathway", tag = "episodes",
    params(("patient_id" = Uuid, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Object), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "The pathway is missing a fact it needs, such as the surgery date", body = ErrorBody)))]
async fn pathway_status(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<Value>, ApiError> {
    access::patient_access(&state, &p, patient_id, "read", "pathway").await?;
    let ep = state.store().open_episode_of(p.user.clinic_id, patient_id).await?;
    let status = ep.as_ref().and_then(|e| crate::pages::pathway_status(e, state.now().date()));
    match status {
        None => Ok(ApiJson(Value::Null)),
        Some(Ok(s)) => Ok(ApiJson(serde_json::to_value(s).unwrap_or(Value::Null))),
        Some(Err(e)) => Err(ApiError::invalid("pathway", e)),
    }
}
