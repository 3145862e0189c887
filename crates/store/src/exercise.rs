//! Live exercise sessions as stored for the clinician: the repetitions the motion engine
//! counted, with their metrics and form errors, written as each repetition completes so that a
//! dropped connection loses nothing.

use serde_json::Value;
use sqlx::{FromRow, types::Json};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Pool, Result, Store, StoreError, db_time};

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

impl Store {
    pub async fn create_exercise_session(
        &self,
        clinic_id: Uuid,
        patient_id: Uuid,
        exercise: &str,
        now: OffsetDateTime,
    ) -> Result<ExerciseSession> {
        self.patient(clinic_id, patient_id).await?;
        let id = Uuid::now_v7();
        let now = db_time(now);
        with_pool!(self, |p| sqlx::query(
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

    /// Replaces the repetitions counted so far. Refused once the session has ended.
    pub async fn save_exercise_progress(
        &self,
        clinic_id: Uuid,
        id: Uuid,
        reps: &Value,
        rep_count: i32,
        correct_count: i32,
        now: OffsetDateTime,
    ) -> Result<()> {
        let n = with_pool!(self, |p| sqlx::query(
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
        &self,
        clinic_id: Uuid,
        id: Uuid,
        summary: &Value,
        now: OffsetDateTime,
    ) -> Result<()> {
        let n = with_pool!(self, |p| sqlx::query(
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
