//! Patients: the caseload list, one patient's record, and their care team.

use axum::extract::State;
use physio_store::User;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    api::CareTeamMemberView,
    auth::Principal,
    care,
    error::{ApiError, ApiJson, ApiPath, ApiQuery, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_patients))
        .routes(routes!(get_patient))
        .routes(routes!(get_care_team, set_care_team))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PatientView {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub date_of_birth: Option<Date>,
    pub summary: Option<String>,
    pub active: bool,
    pub care_team: Vec<CareTeamMemberView>,
    /// The patient's phone number, when one is on record (docs/contacts.md).
    pub phone: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PatientList {
    pub patients: Vec<PatientView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CareTeam {
    pub care_team: Vec<CareTeamMemberView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetCareTeam {
    /// Active clinicians of the patient's clinic; at least one.
    pub clinician_ids: Vec<Uuid>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PatientQuery {
    /// Case-insensitive search in name, e-mail and summary.
    pub q: Option<String>,
    /// Only this clinician's patients (admins only; a clinician always sees their own).
    pub clinician_id: Option<Uuid>,
    /// Include deactivated patients.
    #[serde(default)]
    pub include_inactive: bool,
}

fn patient_view(u: User, team: Vec<physio_store::CareTeamMember>) -> PatientView {
    PatientView {
        id: u.id,
        name: u.name,
        email: u.email,
        date_of_birth: u.date_of_birth,
        summary: u.summary,
        active: u.active,
        care_team: team.into_iter().map(Into::into).collect(),
        phone: u.phone,
    }
}

/// List patients: a clinician's caseload, or (for admins) the clinic's patients.
#[utoipa::path(get, path = "/api/v1/patients", tag = "patients", params(PatientQuery),
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = PatientList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_patients(
    State(state): State<AppState>,
    p: Principal,
    ApiQuery(q): ApiQuery<PatientQuery>,
) -> Result<ApiJson<PatientList>, ApiError> {
    let query = care::records::ListQuery {
        q: q.q,
        clinician_id: q.clinician_id,
        include_inactive: q.include_inactive,
    };
    let (patients, teams) = care::records::list(&state, &p, &query).await?;
    // Each patient's team, grouped once rather than searched for per patient.
    let mut by_patient: std::collections::HashMap<Uuid, Vec<physio_store::CareTeamMember>> =
        std::collections::HashMap::new();
    for m in teams {
        by_patient.entry(m.patient_id).or_default().push(m);
    }
    Ok(ApiJson(PatientList {
        patients: patients
            .into_iter()
            .map(|u| {
                let team = by_patient.remove(&u.id).unwrap_or_default();
                patient_view(u, team)
            })
            .collect(),
    }))
}

/// One patient's record.
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}", tag = "patients",
    params(("patient_id" = Uuid, Path)),
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = PatientView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_patient(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<PatientView>, ApiError> {
    let (patient, team) = care::records::patient(&state, &p, patient_id).await?;
    Ok(ApiJson(patient_view(patient, team)))
}

/// A patient's care team.
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/care-team", tag = "patients",
    params(("patient_id" = Uuid, Path)),
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = CareTeam), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn get_care_team(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<CareTeam>, ApiError> {
    let team = care::users::care_team(&state, &p, patient_id).await?;
    Ok(ApiJson(CareTeam { care_team: team.into_iter().map(Into::into).collect() }))
}

/// Replace a patient's care team (admins only).
#[utoipa::path(put, path = "/api/v1/patients/{patient_id}/care-team", tag = "patients",
    params(("patient_id" = Uuid, Path)), request_body = SetCareTeam,
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = CareTeam), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_care_team(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<SetCareTeam>,
) -> Result<ApiJson<CareTeam>, ApiError> {
    let team = care::users::set_care_team(&state, &p, patient_id, &req.clinician_ids).await?;
    Ok(ApiJson(CareTeam { care_team: team.into_iter().map(Into::into).collect() }))
}
