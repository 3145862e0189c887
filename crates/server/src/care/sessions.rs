//! Exercise sessions with the camera: starting or resuming one, storing its repetitions as
//! they complete, ending it, and reading them back. Exercise is refused while care is paused,
//! and a session is opened only where the prescription offers camera counting.

use physio_clinic::programme::{self, Camera};
use physio_motion::exercises::ExerciseSpec;
use physio_motion::tracker::Calibration;
use physio_store::{ExerciseSession, Role, StoreError};
use serde_json::Value;
use uuid::Uuid;

use crate::{auth::Principal, care::Act, error::ApiError, state::AppState};

/// A session ready to stream into.
#[derive(Debug)]
pub struct Opened {
    pub session: ExerciseSession,
    pub resumed: bool,
    /// The clinician's reference range for this exercise, when set.
    pub calibration: Option<Calibration>,
    /// How to track it: the exercise's motion specification, with the prescription's target
    /// and maximum range when it sets them.
    pub spec: ExerciseSpec,
    /// Repetitions in one set, as prescribed.
    pub target_reps: u32,
}

/// Starts a session of `exercise`, or resumes the patient's open session `resume`.
pub async fn open(
    state: &AppState,
    p: &Principal,
    exercise: &str,
    resume: Option<Uuid>,
) -> Result<Opened, ApiError> {
    let mut act =
        Act::new(state, p, if resume.is_some() { "resume" } else { "create" }, "exercise_session");
    let r = async {
        act.about(p.user.id);
        act.require_role(Role::Patient, "only patients stream exercise sessions")?;
        if let Some(pause) = crate::care::safety::pause(act.store(), &p.user).await? {
            return Err(ApiError::Forbidden(pause.patient_message()));
        }
        // Only an exercise of the patient's own programme, in force today, whose camera
        // counting is offered to them (the decision the pages follow too); its prescription
        // sets the target range.
        let prescribed = crate::care::programme::prescribed(state, &p.user, exercise).await?;
        let offer = programme::camera(&prescribed.item, &prescribed.exercise);
        match offer.refusal(&prescribed.exercise.name) {
            Some(why) if offer == Camera::NotTracked => {
                return Err(ApiError::invalid("exercise", why));
            }
            Some(why) => return Err(ApiError::Forbidden(why)),
            None => {}
        }
        let Some(tracking) = prescribed.exercise.tracking.as_ref() else {
            return Err(ApiError::Internal("camera offered without tracking".into()));
        };
        let mut spec = *physio_motion::exercises::find(&tracking.spec)
            .ok_or(ApiError::Internal(format!("no motion specification {:?}", tracking.spec)))?;
        if let Some(range) = prescribed.item.range {
            spec.reach = Some(range.target_deg);
            spec.limit = Some(range.max_deg);
        }
        let dose = &prescribed.item.dose;
        let target_reps = u32::from(dose.reps.unwrap_or(1));
        let (clinic, now) = (p.user.clinic_id, act.now());
        let calibration = act
            .store()
            .exercise_references(clinic, p.user.id)
            .await?
            .into_iter()
            .find(|r| r.exercise == exercise)
            .map(|r| crate::care::references::calibration_of(&r));
        let (session, resumed) = match resume {
            Some(id) => match act.store().exercise_session(clinic, id).await {
                Ok(s)
                    if s.patient_id == p.user.id
                        && s.exercise == exercise
                        && s.ended_at.is_none() =>
                {
                    (s, true)
                }
                Ok(_) | Err(StoreError::NotFound(_)) => {
                    return Err(ApiError::NotFound("open exercise session"));
                }
                Err(e) => return Err(e.into()),
            },
            None => (
                act.tx().await?.create_exercise_session(clinic, p.user.id, exercise, now).await?,
                false,
            ),
        };
        Ok(Opened { session, resumed, calibration, spec, target_reps })
    }
    .await;
    act.finish(r).await
}

/// Stores the repetitions counted so far in an open session.
pub async fn save_progress(
    state: &AppState,
    p: &Principal,
    session_id: Uuid,
    reps: &Value,
    rep_count: i32,
    correct_count: i32,
) -> Result<(), ApiError> {
    let mut act = Act::new(state, p, "update", "exercise_session");
    let r = async {
        act.about(p.user.id);
        act.require_role(Role::Patient, "only patients stream exercise sessions")?;
        let now = act.now();
        act.tx()
            .await?
            .save_exercise_progress(
                p.user.clinic_id,
                session_id,
                reps,
                rep_count,
                correct_count,
                now,
            )
            .await?;
        Ok(())
    }
    .await;
    act.finish(r).await
}

/// Ends an open session with its summary.
pub async fn end(
    state: &AppState,
    p: &Principal,
    session_id: Uuid,
    summary: &Value,
) -> Result<(), ApiError> {
    let mut act = Act::new(state, p, "end", "exercise_session");
    let r = async {
        act.about(p.user.id);
        act.require_role(Role::Patient, "only patients stream exercise sessions")?;
        let now = act.now();
        act.tx().await?.end_exercise_session(p.user.clinic_id, session_id, summary, now).await?;
        Ok(())
    }
    .await;
    act.finish(r).await
}

/// A patient's stored sessions, newest first, read on their behalf.
pub async fn list(
    state: &AppState,
    p: &Principal,
    patient_id: Uuid,
    limit: i64,
) -> Result<Vec<ExerciseSession>, ApiError> {
    let mut act = Act::new(state, p, "read", "exercise_session");
    let r = async {
        act.patient(patient_id).await?;
        Ok(act.store().exercise_sessions(p.user.clinic_id, patient_id, limit).await?)
    }
    .await;
    act.finish(r).await
}
