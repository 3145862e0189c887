//! The clinician's caseload: each patient on their care teams with the facts that say who
//! needs help, sorted by any column and filtered (docs/caseload.md).

use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::Principal,
    care::{
        self,
        caseload::{Caseload, CaseloadQuery},
    },
    error::{ApiError, ApiJson, ApiQuery, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(caseload))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CaseloadParams {
    /// Case-insensitive search in name, e-mail and summary.
    pub q: Option<String>,
    /// The column to sort by: `attention` (who needs help first; the default), `name`,
    /// `alerts`, `adherence`, `pain`, `trend`, `last_session`, `pathway`, `phase` or
    /// `care_team`. Patients without the column's value come last either way.
    pub sort: Option<String>,
    /// `asc` (the default) or `desc`.
    pub dir: Option<String>,
    /// Only patients who need attention.
    #[serde(default)]
    pub attention: bool,
    /// Only patients on this pathway (e.g. `conservative_lumbar`).
    pub pathway: Option<String>,
    /// Only patients in this phase (e.g. `active_care`).
    pub phase: Option<String>,
    /// Only patients with this clinician (a user id) on their care team.
    pub clinician: Option<String>,
}

/// The caller's caseload (clinicians only): every active patient on their care teams with
/// open alerts, the triage decision waiting for review, this week's guided sessions against
/// the plan, the last pain and its trend, days since the last session, pathway and phase, why
/// they need attention and how urgently. A value of `sort`, `dir`, `pathway`, `phase` or
/// `clinician` that means nothing is refused (422) with the field and the values it takes.
#[utoipa::path(get, path = "/api/v1/caseload", tag = "caseload", params(CaseloadParams),
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = Caseload), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn caseload(
    State(state): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<CaseloadParams>,
) -> Result<ApiJson<Caseload>, ApiError> {
    let query = CaseloadQuery {
        q: q.q,
        sort: q.sort,
        dir: q.dir,
        attention: q.attention,
        pathway: q.pathway,
        phase: q.phase,
        clinician: q.clinician,
    };
    Ok(ApiJson(care::caseload::caseload(&state, &p, &query).await?))
}
