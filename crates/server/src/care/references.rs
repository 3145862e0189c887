//! A patient's reference range per exercise: what their repetitions are judged against in live
//! sessions. A clinician sets it from a supervised session (its median repetition) or as a
//! target, or clears it; the API and the patient page both call these actions.

use physio_motion::tracker::Calibration;
use physio_store::{ExerciseReference, StoreError};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

/// Fewest repetitions a session needs to serve as a reference.
pub const MIN_REFERENCE_REPS: usize = 3;

/// Either a session of this patient and exercise to take the reference from, or a target
/// range (primary angle at rest and at the end position, degrees).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferenceRequest {
    pub session_id: Option<Uuid>,
    pub rest: Option<f64>,
    pub peak: Option<f64>,
}

/// The patient's reference ranges, read on their behalf.
pub async fn list(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
) -> Result<Vec<ExerciseReference>, ApiError> {
    let mut act = Act::new(state, p, "read", "exercise_reference");
    let r = async {
        act.patient(patient_id).await?;
        Ok(act.store().exercise_references(p.user.clinic_id, patient_id).await?)
    }
    .await;
    act.finish(r).await
}

const CLINICIANS_ONLY: &str = "only a clinician on the care team can set a reference range";

/// Validates and stores a reference; shared by the API and the patient page.
pub async fn set(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    exercise: &str,
    req: &ReferenceRequest,
) -> Result<ExerciseReference, ApiError> {
    let mut act = Act::new(state, p, "update", "exercise_reference");
    let r = async {
    act.patient_as_clinician(patient_id, CLINICIANS_ONLY).await?;
    let Some(spec) = physio_motion::exercises::find(exercise) else {
        return Err(ApiError::NotFound("exercise"));
    };
    let clinic = p.user.clinic_id;
    let (range, baselines, session_id) = match (req.session_id, req.rest, req.peak) {
        (Some(id), None, None) => {
            let s = match act.store().exercise_session(clinic, id).await {
                Ok(s) if s.patient_id == patient_id && s.exercise == exercise => s,
                Ok(_) | Err(StoreError::NotFound(_)) => {
                    return Err(ApiError::invalid(
                        "session_id",
                        "choose a session of this patient doing this exercise",
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
                return Err(ApiError::invalid(
                    "rest",
                    "enter the angle at rest in degrees, from -360 to 360",
                ));
            }
            if !plausible(peak) || (peak - rest).abs() < 5.0 {
                return Err(ApiError::invalid(
                    "peak",
                    "enter a target angle in degrees, at least 5° away from the angle at rest",
                ));
            }
            ((rest, peak), None, None)
        }
        (None, None, _) => {
            return Err(ApiError::invalid("rest", "enter the angle at rest, in degrees"));
        }
        (None, Some(_), None) => {
            return Err(ApiError::invalid("peak", "enter the target angle, in degrees"));
        }
        (Some(_), _, _) => {
            return Err(ApiError::invalid(
                "session_id",
                "use either a session or a target range (rest and peak), not both",
            ));
        }
    };
    let now = act.now();
    let r = act
        .tx()
        .await?
        .set_exercise_reference(
            clinic,
            patient_id,
            exercise,
            range,
            baselines.as_ref(),
            session_id,
            p.user.id,
            now,
        )
        .await?;
    Ok(r)
    }
    .await;
    act.finish(r).await
}

/// Clears a reference; shared by the API and the patient page.
pub async fn clear(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    exercise: &str,
) -> Result<(), ApiError> {
    let mut act = Act::new(state, p, "delete", "exercise_reference");
    let r = async {
        act.patient_as_clinician(patient_id, CLINICIANS_ONLY).await?;
        act.tx().await?.clear_exercise_reference(p.user.clinic_id, patient_id, exercise).await?;
        Ok(())
    }
    .await;
    act.finish(r).await
}

/// The engine's calibration from a stored reference (a target range has no baselines).
pub fn calibration_of(r: &ExerciseReference) -> Calibration {
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
