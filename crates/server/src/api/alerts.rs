//! Alerts over the API (docs/alerts.md): the caller's inbox (clinicians), a patient's alert
//! history (staff), and closing an alert with a note of what was done.

use axum::extract::State;
use physio_clinic::alert::{AlertKind, Urgency, overdue};
use physio_store::{Alert, AlertState, InboxAlert};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
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
    OpenApiRouter::new().routes(routes!(inbox)).routes(routes!(history)).routes(routes!(close))
}

/// Which alerts to list.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StateParam {
    Open,
    Closed,
    All,
}

impl From<StateParam> for AlertState {
    fn from(s: StateParam) -> Self {
        match s {
            StateParam::Open => AlertState::Open,
            StateParam::Closed => AlertState::Closed,
            StateParam::All => AlertState::All,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StateQuery {
    /// `open` (the inbox's default), `closed` or `all` (the history's default).
    #[param(inline)]
    pub state: Option<StateParam>,
}

/// One alert.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertView {
    pub id: Uuid,
    pub patient_id: Uuid,
    /// `intake_emergency`, `triage_tier`, `new_warning_sign`, `high_pain`, `pain_rise`,
    /// `phq9_item9`, `pain_breach`, `no_session`, `likely_dropout`, `proposals_waiting`,
    /// `reassessment_due` or `unread_message`.
    #[schema(value_type = String)]
    pub kind: AlertKind,
    /// The kind in words.
    pub title: String,
    /// `emergency`, `urgent` or `routine`.
    #[schema(value_type = String)]
    pub urgency: Urgency,
    pub message: String,
    /// What the clinician should do.
    pub to_do: String,
    /// Whether dealing with it means contacting the patient.
    pub contact_patient: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The deadline: at once for an emergency, the end of the day for urgent, the end of the
    /// next working day for routine, in the clinic's time zone.
    #[serde(with = "time::serde::rfc3339")]
    pub due_at: OffsetDateTime,
    /// Open and past its deadline when this answer was made.
    pub overdue: bool,
    /// Who closed it; empty on a closed alert when Physio closed it.
    pub closed_by: Option<Uuid>,
    pub closed_by_name: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub closed_at: Option<OffsetDateTime>,
    /// What was done.
    pub close_note: Option<String>,
}

impl AlertView {
    fn new(a: Alert, now: OffsetDateTime) -> AlertView {
        AlertView {
            id: a.id,
            patient_id: a.patient_id,
            title: a.kind.title().to_owned(),
            to_do: a.kind.to_do().to_owned(),
            contact_patient: a.kind.contact_patient(),
            kind: a.kind,
            urgency: a.urgency,
            message: a.message,
            created_at: a.created_at,
            overdue: a.closed_at.is_none() && overdue(a.due_at, now),
            due_at: a.due_at,
            closed_by: a.closed_by,
            closed_by_name: a.closed_by_name,
            closed_at: a.closed_at,
            close_note: a.close_note,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AlertList {
    pub alerts: Vec<AlertView>,
}

/// An alert in the inbox, with the patient's name.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboxItem {
    #[serde(flatten)]
    pub alert: AlertView,
    pub patient_name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Inbox {
    /// Open alerts most urgent first, then by deadline; closed ones after, newest first.
    pub alerts: Vec<InboxItem>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// What was done, 1 to 500 characters ("Phoned the patient; pain settling"). Required:
    /// missing or empty is refused with 422 naming `note`.
    #[serde(default)]
    pub note: String,
}

/// The caller's inbox: alerts about the patients whose care team they are on (clinicians).
#[utoipa::path(get, path = "/api/v1/alerts", tag = "alerts", params(StateQuery),
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Inbox), (status = 403, body = ErrorBody)))]
async fn inbox(
    State(state): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<StateQuery>,
) -> Result<ApiJson<Inbox>, ApiError> {
    let which = q.state.map_or(AlertState::Open, Into::into);
    let list = care::alerts::inbox(&state, &p, which).await?;
    let now = state.now();
    let alerts = list
        .into_iter()
        .map(|InboxAlert { alert, patient_name, .. }| InboxItem {
            alert: AlertView::new(alert, now),
            patient_name,
        })
        .collect();
    Ok(ApiJson(Inbox { alerts }))
}

/// A patient's alerts, newest first, with who closed each, when and the note (staff only).
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/alerts", tag = "alerts",
    params(("patient_id" = Uuid, Path), StateQuery), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = AlertList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn history(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<StateQuery>,
) -> Result<ApiJson<AlertList>, ApiError> {
    let which = q.state.map_or(AlertState::All, Into::into);
    let list = care::alerts::history(&state, &p, patient_id, which).await?;
    let now = state.now();
    Ok(ApiJson(AlertList { alerts: list.into_iter().map(|a| AlertView::new(a, now)).collect() }))
}

/// Close an alert with a short note of what was done (clinicians on the patient's care team).
/// Closing a safety alert lifts the pause it put on exercise.
#[utoipa::path(post, path = "/api/v1/alerts/{alert_id}/close", tag = "alerts",
    params(("alert_id" = Uuid, Path)), request_body = CloseRequest,
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = AlertView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Already closed", body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn close(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(alert_id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<CloseRequest>,
) -> Result<ApiJson<AlertView>, ApiError> {
    let alert = care::alerts::close(&state, &p, alert_id, &req.note).await?;
    Ok(ApiJson(AlertView::new(alert, state.now())))
}
