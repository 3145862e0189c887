//! Live exercise sessions as stored for the clinician: the repetitions the motion engine
//! counted, with their metrics and form errors, written as each repetition completes so that a
//! dropped connection loses nothing; and each patient's reference range per exercise.

use serde_json::Value;
use sqlx::{FromRow, types::Json};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx, db_time};

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExerciseSession {
    pub id: Uuid,
    pub clinic_id: Uuid,
    pub patient_id: Uuid,
    pub exercise: String,
    pub started_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub ended_at: Option<OffsetDateTime>,
    pub rep_count: i32,
    pub correct_count: i32,
    /// One object per repetition, as the engine reported it.
    pub reps: Value,
    pub summary: Option<Value>,
}

macro_rules! session_columns {
    () => {
        "id, clinic_id, patient_id, exercise, started_at, updated_at, ended_at, rep_count, \
         correct_count, reps, summary"
    };
}

impl Db {
    pub async fn exercise_session(&self, clinic_id: Uuid, id: Uuid) -> Result<ExerciseSession> {
        let row: Option<SessionRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            session_columns!(),
            " FROM exercise_sessions WHERE id = $1 AND clinic_id = $2"
        ))
        .bind(id)
        .bind(clinic_id)
        .fetch_optional(p)
        .await?);
        row.map(ExerciseSession::from).ok_or(StoreError::NotFound("exercise session"))
    }

    /// A patient's sessions, newest first.
    pub async fn exercise_sessions(
        &self,
        clinic_id: Uuid,
        patient_id: Uuid,
        limit: i64,
    ) -> Result<Vec<ExerciseSession>> {
        let rows: Vec<SessionRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            session_columns!(),
            " FROM exercise_sessions WHERE patient_id = $1 AND clinic_id = $2
              ORDER BY started_at DESC, id DESC LIMIT $3"
        ))
        .bind(patient_id)
        .bind(clinic_id)
        .bind(limit)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(ExerciseSession::from).collect())
    }
}

impl Tx {
    pub async fn create_exercise_session(
        &mut self,
        clinic_id: Uuid,
        patient_id: Uuid,
        exercise: &str,
        now: OffsetDateTime,
    ) -> Result<ExerciseSession> {
        self.patient(clinic_id, patient_id).await?;
        let id = Uuid::now_v7();
        let now = db_time(now);
        with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO exercise_sessions (id, clinic_id, patient_id, exercise, started_at,
                updated_at, reps) VALUES ($1, $2, $3, $4, $5, $5, $6)"
        )
        .bind(id)
        .bind(clinic_id)
        .bind(patient_id)
        .bind(exercise)
        .bind(now)
        .bind(Json(Value::Array(vec![])))
        .execute(p)
        .await?
        .rows_affected());
        self.exercise_session(clinic_id, id).await
    }

    /// Replaces the repetitions counted so far. Refused once the session has ended.
    pub async fn save_exercise_progress(
        &mut self,
        clinic_id: Uuid,
        id: Uuid,
        reps: &Value,
        rep_count: i32,
        correct_count: i32,
        now: OffsetDateTime,
    ) -> Result<()> {
        let n = with_pool!(self.db, |p| sqlx::query(
            "UPDATE exercise_sessions SET reps = $1, rep_count = $2, correct_count = $3,
                updated_at = $4 WHERE id = $5 AND clinic_id = $6 AND ended_at IS NULL"
        )
        .bind(Json(reps))
        .bind(rep_count)
        .bind(correct_count)
        .bind(db_time(now))
        .bind(id)
        .bind(clinic_id)
        .execute(p)
        .await?
        .rows_affected());
        if n == 0 { Err(StoreError::NotFound("open exercise session")) } else { Ok(()) }
    }

    pub async fn end_exercise_session(
        &mut self,
        clinic_id: Uuid,
        id: Uuid,
        summary: &Value,
        now: OffsetDateTime,
    ) -> Result<()> {
        let n = with_pool!(self.db, |p| sqlx::query(
            "UPDATE exercise_sessions SET summary = $1, ended_at = $2, updated_at = $2
             WHERE id = $3 AND clinic_id = $4 AND ended_at IS NULL"
        )
        .bind(Json(summary))
        .bind(db_time(now))
        .bind(id)
        .bind(clinic_id)
        .execute(p)
        .await?
        .rows_affected());
        if n == 0 { Err(StoreError::NotFound("open exercise session")) } else { Ok(()) }
    }
}

/// The range a patient's repetitions of one exercise are judged against (primary channel
/// degrees), set by a clinician from a supervised session (`session_id`) or as a target;
/// `baselines` (from a session) is the person's usual reading of each form check, as the
/// motion engine's calibration stores it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ExerciseReference {
    pub patient_id: Uuid,
    pub exercise: String,
    pub rest: f64,
    pub peak: f64,
    pub baselines: Option<Value>,
    pub session_id: Option<Uuid>,
    pub set_by: Uuid,
    pub set_at: OffsetDateTime,
}

#[derive(FromRow)]
struct ReferenceRow {
    patient_id: Uuid,
    exercise: String,
    rest: f64,
    peak: f64,
    baselines: Option<Json<Value>>,
    session_id: Option<Uuid>,
    set_by: Uuid,
    set_at: OffsetDateTime,
}

impl From<ReferenceRow> for ExerciseReference {
    fn from(r: ReferenceRow) -> Self {
        ExerciseReference {
            patient_id: r.patient_id,
            exercise: r.exercise,
            rest: r.rest,
            peak: r.peak,
            baselines: r.baselines.map(|b| b.0),
            session_id: r.session_id,
            set_by: r.set_by,
            set_at: r.set_at,
        }
    }
}

impl Db {
    /// A patient's reference ranges, by exercise id.
    pub async fn exercise_references(
        &self,
        clinic_id: Uuid,
        patient_id: Uuid,
    ) -> Result<Vec<ExerciseReference>> {
        let rows: Vec<ReferenceRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT patient_id, exercise, rest, peak, baselines, session_id, set_by, set_at
             FROM exercise_references WHERE patient_id = $1 AND clinic_id = $2
             ORDER BY exercise"
        )
        .bind(patient_id)
        .bind(clinic_id)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(Into::into).collect())
    }
}

impl Tx {
    /// Sets (or replaces) a patient's reference range for an exercise.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_exercise_reference(
        &mut self,
        clinic_id: Uuid,
        patient_id: Uuid,
        exercise: &str,
        (rest, peak): (f64, f64),
        baselines: Option<&Value>,
        session_id: Option<Uuid>,
        set_by: Uuid,
        now: OffsetDateTime,
    ) -> Result<ExerciseReference> {
        self.patient(clinic_id, patient_id).await?;
        with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO exercise_references (patient_id, exercise, clinic_id, rest, peak,
                session_id, set_by, set_at, baselines) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (patient_id, exercise) DO UPDATE SET rest = $4, peak = $5,
                session_id = $6, set_by = $7, set_at = $8, baselines = $9"
        )
        .bind(patient_id)
        .bind(exercise)
        .bind(clinic_id)
        .bind(rest)
        .bind(peak)
        .bind(session_id)
        .bind(set_by)
        .bind(db_time(now))
        .bind(baselines.map(Json))
        .execute(p)
        .await?
        .rows_affected());
        self.exercise_references(clinic_id, patient_id)
            .await?
            .into_iter()
            .find(|r| r.exercise == exercise)
            .ok_or(StoreError::NotFound("exercise reference"))
    }

    /// Removes a patient's reference range for an exercise; false when there was none.
    pub async fn clear_exercise_reference(
        &mut self,
        clinic_id: Uuid,
        patient_id: Uuid,
        exercise: &str,
    ) -> Result<bool> {
        let n = with_pool!(self.db, |p| sqlx::query(
            "DELETE FROM exercise_references
             WHERE patient_id = $1 AND exercise = $2 AND clinic_id = $3"
        )
        .bind(patient_id)
        .bind(exercise)
        .bind(clinic_id)
        .execute(p)
        .await?
        .rows_affected());
        Ok(n > 0)
    }
}

#[derive(FromRow)]
struct SessionRow {
    id: Uuid,
    clinic_id: Uuid,
    patient_id: Uuid,
    exercise: String,
    started_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    ended_at: Option<OffsetDateTime>,
    rep_count: i32,
    correct_count: i32,
    reps: Json<Value>,
    summary: Option<Json<Value>>,
}

impl From<SessionRow> for ExerciseSession {
    fn from(r: SessionRow) -> Self {
        ExerciseSession {
            id: r.id,
            clinic_id: r.clinic_id,
            patient_id: r.patient_id,
            exercise: r.exercise,
            started_at: r.started_at,
            updated_at: r.updated_at,
            ended_at: r.ended_at,
            rep_count: r.rep_count,
            correct_count: r.correct_count,
            reps: r.reps.0,
            summary: r.summary.map(|s| s.0),
        }
    }
}
