//! A patient's reference range per exercise: what their repetitions are judged against in live
//! sessions ("too little range" when they fall short of it). A clinician sets it from a
//! supervised session (its median repetition) or as a target, and can clear it, after which
//! the engine judges each repetition against the patient's recent ones again.

use axum::{extract::State, http::StatusCode};
use physio_motion::tracker::Calibration;
use physio_store::{AuditOutcome, ExerciseReference, Role, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    access,
    auth::Principal,
    error::{ApiError, ApiJson, ApiPath, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(set, clear))
}

/// Fewest repetitions a session needs to serve as a reference.
pub const MIN_REFERENCE_REPS: usize = 3;

#[derive(Debug, Serialize, ToSchema)]
pub struct ReferenceView {
    /// Exercise id.
    pub exercise: String,
    /// Primary angle at rest (degrees).
    pub rest: f64,
    /// Primary angle at the end position (degrees).
    pub peak: f64,
    /// From a session: the person's usual reading of each of the exercise's form checks
    /// (`checks`, in the exercise's order) and position bands (`bands`: usual position and
    /// spread), which then replace the generic limits. `null` for a target.
    #[schema(value_type = Option<Object>)]
    pub baselines: Option<Value>,
    /// The supervised session it was taken from, if any.
    pub session_id: Option<Uuid>,
    /// The clinician who set it.
    pub set_by: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub set_at: OffsetDateTime,
}

impl From<ExerciseReference> for ReferenceView {
    fn from(r: ExerciseReference) -> Self {
        ReferenceView {
            exercise: r.exercise,
            rest: r.rest,
            peak: r.peak,
            baselines: r.baselines,
            session_id: r.session_id,
            set_by: r.set_by,
            set_at: r.set_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReferenceList {
    pub references: Vec<ReferenceView>,
}

/// Either a session of this patient and exercise to take the reference from, or a target
/// range (primary angle at rest and at the end position, degrees).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferenceRequest {
    pub session_id: Option<Uuid>,
    pub rest: Option<f64>,
    pub peak: Option<f64>,
}

/// The patient's reference ranges.
#[utoipa::path(get, path = "/api/v1/patients/{patient_id}/references", tag = "patients",
    params(("patient_id" = Uuid, Path)), security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = ReferenceList), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(patient_id): ApiPath<Uuid>,
) -> Result<ApiJson<ReferenceList>, ApiError> {
    access::patient_access(&state, &p, patient_id, "read", "exercise_reference").await?;
    let list = state.store().exercise_references(p.user.clinic_id, patient_id).await?;
    Ok(ApiJson(ReferenceList { references: list.into_iter().map(Into::into).collect() }))
}

/// Set the reference range for one exercise (clinicians on the patient's care team).
#[utoipa::path(put, path = "/api/v1/patients/{patient_id}/references/{exercise_id}",
    tag = "patients", params(("patient_id" = Uuid, Path), ("exercise_id" = String, Path)),
    request_body = ReferenceRequest, security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = ReferenceView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set(
    State(state): State<AppState>,
    p: Principal,
    ApiPath((patient_id, exercise)): ApiPath<(Uuid, String)>,
    ApiJson(req): ApiJson<ReferenceRequest>,
) -> Result<ApiJson<ReferenceView>, ApiError> {
    Ok(ApiJson(set_reference(&state, &p, patient_id, &exercise, &req).await?.into()))
}

/// Clear the reference range for one exercise (clinicians on the patient's care team).
#[utoipa::path(delete, path = "/api/v1/patients/{patient_id}/references/{exercise_id}",
    tag = "patients", params(("patient_id" = Uuid, Path), ("exercise_id" = String, Path)),
    security(("session" = []), ("bearer" = [])),
    responses((status = 204, description = "Cleared (or there was none)"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn clear(
    State(state): State<AppState>,
    p: Principal,
    ApiPath((patient_id, exercise)): ApiPath<(Uuid, String)>,
) -> Result<StatusCode, ApiError> {
    clear_reference(&state, &p, patient_id, &exercise).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Refuses anyone but a clinician on the patient's care team (audited either way).
async fn clinician(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    action: &str,
) -> Result<(), ApiError> {
    if p.role() != Role::Clinician {
        state.audit(p.actor(), action, "exercise_reference", None, AuditOutcome::Denied).await?;
        let msg = "only a clinician on the care team can set a reference range";
        return Err(ApiError::Forbidden(msg.into()));
    }
    access::patient_access(state, p, patient_id, action, "exercise_reference").await?;
    Ok(())
}

/// Validates and stores a reference; shared by the API and the patient page.
pub(crate) async fn set_reference(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    exercise: &str,
    req: &ReferenceRequest,
) -> Result<ExerciseReference, ApiError> {
    clinician(state, p, patient_id, "update").await?;
    let Some(spec) = physio_motion::exercises::find(exercise) else {
        return Err(ApiError::NotFound("exercise"));
    };
    let clinic = p.user.clinic_id;
    let (range, baselines, session_id) = match (req.session_id, req.rest, req.peak) {
        (Some(id), None, None) => {
            let s = match state.store().exercise_session(clinic, id).await {
                Ok(s) if s.patient_id == patient_id && s.exercise == exercise => s,
                Ok(_) | Err(StoreError::NotFound(_)) => {
                    return Err(ApiError::invalid(
                        "session_id",
                        "no session of this patient and exercise has that id",
                    ));
                }
                Err(e) => return Err(e.into()),
            };
            let reps: Vec<_> = s
                .reps
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|r| {
                    let (peak, rom) = (number(r, "peak_deg")?, number(r, "rom_deg")?);
                    Some((peak, rom, floats(r.get("checks")), floats(r.get("bands"))))
                })
                .collect();
            if reps.len() < MIN_REFERENCE_REPS {
                return Err(ApiError::invalid(
                    "session_id",
                    format!(
                        "a reference needs a session of at least {MIN_REFERENCE_REPS} repetitions"
                    ),
                ));
            }
            let c = Calibration::from_reps(spec.direction, reps).ok_or_else(|| {
                ApiError::invalid("session_id", "the session has no usable repetition")
            })?;
            let baselines = serde_json::json!({"checks": c.checks, "bands": c.bands});
            ((f64::from(c.rest), f64::from(c.peak)), Some(baselines), Some(s.id))
        }
        (None, Some(rest), Some(peak)) => {
            let plausible = |v: f64| v.is_finite() && (-360.0..=360.0).contains(&v);
            if !plausible(rest) {
                return Err(ApiError::invalid("rest", "give an angle in degrees, −360 to 360"));
            }
            if !plausible(peak) || (peak - rest).abs() < 5.0 {
                return Err(ApiError::invalid(
                    "peak",
                    "give an angle in degrees, at least 5° away from rest",
                ));
            }
            ((rest, peak), None, None)
        }
        _ => {
            return Err(ApiError::invalid(
                "session_id",
                "give either session_id, or both rest and peak",
            ));
        }
    };
    let r = state
        .store()
        .set_exercise_reference(
            clinic,
            patient_id,
            exercise,
            range,
            baselines.as_ref(),
            session_id,
            p.user.id,
            state.now(),
        )
        .await?;
    Ok(r)
}

/// Clears a reference; shared by the API and the patient page.
pub(crate) async fn clear_reference(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    exercise: &str,
) -> Result<(), ApiError> {
    clinician(state, p, patient_id, "delete").await?;
    state.store().clear_exercise_reference(p.user.clinic_id, patient_id, exercise).await?;
    Ok(())
}

/// The engine's calibration from a stored reference (a target range has no baselines).
pub(crate) fn calibration_of(r: &ExerciseReference) -> Calibration {
    let mut c = Calibration::range_only(r.rest as f32, r.peak as f32);
    if let Some(b) = &r.baselines {
        c.checks = floats(b.get("checks"));
        let bands: [Option<&Value>; 4] =
            std::array::from_fn(|k| b.get("bands").and_then(|v| v.get(k)));
        c.bands = bands.map(floats);
    }
    c
}

/// A JSON array of numbers (null for none) as `N` floats, `NaN` where absent.
fn floats<const N: usize>(v: Option<&Value>) -> [f32; N] {
    std::array::from_fn(|k| {
        v.and_then(|a| a.get(k)).and_then(Value::as_f64).map_or(f32::NAN, |x| x as f32)
    })
}

fn number(rep: &Value, field: &str) -> Option<f32> {
    rep.get(field).and_then(Value::as_f64).map(|v| v as f32).filter(|v| v.is_finite())
}
