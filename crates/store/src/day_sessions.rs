//! The patient's guided sessions (`physio_clinic::day`): the pain check that opened each one,
//! the exercises due in it as prescribed then, what the patient recorded per exercise, the
//! closing check and the next-morning answer. Typed on the way out: a stored value that no
//! longer parses is an error.

use physio_clinic::day::{Closing, ExerciseLog, Outcome, SessionStop};
use physio_clinic::programme::Item;
use serde::de::DeserializeOwned;
use sqlx::{FromRow, types::Json};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx, db_time};

/// One guided session.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DaySession {
    pub id: Uuid,
    pub patient_id: Uuid,
    /// The day, in the clinic's time zone.
    pub day: Date,
    /// Which session of the day, from 1.
    pub number: i32,
    /// The programme version it followed.
    pub programme_version: i32,
    /// The exercises due in it, as prescribed when it started, in order.
    pub due: Vec<Item>,
    pub pain_before: i32,
    /// The usual level the pain check compared with, when there was one.
    pub usual_pain: Option<i32>,
    /// Why the pain check stopped it, when it did: nothing else is recorded then.
    pub stopped: Option<SessionStop>,
    pub started_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// When the closing check was given (or, for a stopped session, when it was stopped).
    pub ended_at: Option<OffsetDateTime>,
    pub closing: Option<Closing>,
    pub next_morning_pain: Option<i32>,
    pub next_morning_at: Option<OffsetDateTime>,
    /// What was recorded, in the order of `due`.
    pub exercises: Vec<LoggedExercise>,
}

impl DaySession {
    /// Whether any exercise was (at least partly) done: such a session counts towards the week.
    pub fn counts(&self) -> bool {
        self.exercises.iter().any(|e| e.outcome.counts_as_done())
    }

    /// The due exercises not recorded yet, in order.
    pub fn remaining(&self) -> impl Iterator<Item = &Item> {
        self.due.iter().filter(|i| !self.exercises.iter().any(|e| e.exercise == i.exercise))
    }
}

/// One exercise as recorded in a session.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct LoggedExercise {
    pub exercise: String,
    pub outcome: Outcome,
    pub log: ExerciseLog,
    /// The camera session that counted it, when it was tracked.
    pub camera_session: Option<Uuid>,
    pub recorded_at: OffsetDateTime,
}

/// A session as the care layer starts it.
#[derive(Debug, Clone, Copy)]
pub struct NewDaySession<'a> {
    pub day: Date,
    pub number: i32,
    pub programme_version: i32,
    pub due: &'a [Item],
    pub pain_before: u8,
    pub usual_pain: Option<u8>,
    pub stopped: Option<SessionStop>,
    pub now: OffsetDateTime,
}

#[derive(FromRow)]
pub(crate) struct SessionRow {
    pub(crate) id: Uuid,
    patient_id: Uuid,
    day: Date,
    number: i32,
    programme_version: i32,
    due: Json<serde_json::Value>,
    pain_before: i32,
    usual_pain: Option<i32>,
    stopped: Option<Json<serde_json::Value>>,
    started_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    ended_at: Option<OffsetDateTime>,
    pain_after: Option<i32>,
    fatigue: Option<i32>,
    stopped_early: Option<String>,
    closing_note: Option<String>,
    next_morning_pain: Option<i32>,
    next_morning_at: Option<OffsetDateTime>,
}

#[derive(FromRow)]
pub(crate) struct ExerciseRow {
    pub(crate) session_id: Uuid,
    exercise: String,
    outcome: String,
    skip_reason: Option<String>,
    sets_done: Option<i32>,
    reps_done: Option<i32>,
    hold_s_done: Option<i32>,
    minutes_done: Option<i32>,
    pain_during: Option<i32>,
    effort: Option<i32>,
    camera_session: Option<Uuid>,
    recorded_at: OffsetDateTime,
}

fn typed<T: DeserializeOwned>(what: &str, v: serde_json::Value) -> Result<T> {
    serde_json::from_value(v).map_err(|e| StoreError::Database(format!("{what}: {e}")))
}

fn bad(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Database(format!("{what}: {e}"))
}

/// A stored small number back in its type; out of range is an error, never a clamp.
fn small<T: TryFrom<i32>>(what: &str, v: Option<i32>) -> Result<Option<T>> {
    v.map(|v| T::try_from(v).map_err(|_| bad(what, format!("{v} is out of range")))).transpose()
}

impl ExerciseRow {
    pub(crate) fn typed(self) -> Result<LoggedExercise> {
        let outcome = Outcome::parse(&self.outcome, self.skip_reason.as_deref())
            .map_err(|e| bad("day_session_exercises.outcome", e))?;
        let log = ExerciseLog {
            sets_done: small("sets_done", self.sets_done)?,
            reps_done: small("reps_done", self.reps_done)?,
            hold_s_done: small("hold_s_done", self.hold_s_done)?,
            minutes_done: small("minutes_done", self.minutes_done)?,
            pain_during: small("pain_during", self.pain_during)?,
            effort: small("effort", self.effort)?,
            skipped: match outcome {
                Outcome::Skipped(r) => Some(r),
                _ => None,
            },
        };
        Ok(LoggedExercise {
            exercise: self.exercise,
            outcome,
            log,
            camera_session: self.camera_session,
            recorded_at: self.recorded_at,
        })
    }
}

impl SessionRow {
    pub(crate) fn typed(self, mut exercises: Vec<LoggedExercise>) -> Result<DaySession> {
        let due: Vec<Item> = typed("day_sessions.due", self.due.0)?;
        let at = |id: &str| due.iter().position(|i| i.exercise == id).unwrap_or(usize::MAX);
        exercises.sort_by_key(|e| at(&e.exercise));
        let closing = match (self.pain_after, self.fatigue) {
            (None, None) if self.stopped_early.is_none() => None,
            _ => Some(Closing {
                pain_after: small("pain_after", self.pain_after)?,
                fatigue: small("fatigue", self.fatigue)?,
                stopped_early: self
                    .stopped_early
                    .map(|s| s.parse())
                    .transpose()
                    .map_err(|e| bad("day_sessions.stopped_early", e))?,
                note: self.closing_note,
            }),
        };
        Ok(DaySession {
            id: self.id,
            patient_id: self.patient_id,
            day: self.day,
            number: self.number,
            programme_version: self.programme_version,
            due,
            pain_before: self.pain_before,
            usual_pain: self.usual_pain,
            stopped: self.stopped.map(|s| typed("day_sessions.stopped", s.0)).transpose()?,
            started_at: self.started_at,
            updated_at: self.updated_at,
            ended_at: self.ended_at,
            closing,
            next_morning_pain: self.next_morning_pain,
            next_morning_at: self.next_morning_at,
            exercises,
        })
    }
}

macro_rules! day_columns {
    () => {
        "id, patient_id, day, number, programme_version, due, pain_before, usual_pain, stopped, \
         started_at, updated_at, ended_at, pain_after, fatigue, stopped_early, closing_note, \
         next_morning_pain, next_morning_at"
    };
}

macro_rules! exercise_columns {
    () => {
        "session_id, exercise, outcome, skip_reason, sets_done, reps_done, hold_s_done, \
         minutes_done, pain_during, effort, camera_session, recorded_at"
    };
}

impl Db {
    /// A patient's sessions from `since` on (all when `None`), newest first, with what was
    /// recorded in each.
    pub async fn day_sessions(
        &self,
        clinic_id: Uuid,
        patient_id: Uuid,
        since: Option<Date>,
    ) -> Result<Vec<DaySession>> {
        let rows: Vec<SessionRow> = with_pool!(self, |p| {
            sqlx::query_as(concat!(
            "SELECT ",
            day_columns!(),
            " FROM day_sessions WHERE patient_id = $1 AND clinic_id = $2 AND ($3 IS NULL OR day >= $3)
              ORDER BY day DESC, number DESC"
        ))
        .bind(patient_id)
        .bind(clinic_id)
        .bind(since)
        .fetch_all(p)
        .await?
        });
        let logged: Vec<ExerciseRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            exercise_columns!(),
            " FROM day_session_exercises WHERE session_id IN (
                SELECT id FROM day_sessions WHERE patient_id = $1 AND clinic_id = $2
                  AND ($3 IS NULL OR day >= $3))"
        ))
        .bind(patient_id)
        .bind(clinic_id)
        .bind(since)
        .fetch_all(p)
        .await?);
        let mut by_session: std::collections::HashMap<Uuid, Vec<LoggedExercise>> =
            std::collections::HashMap::new();
        for row in logged {
            by_session.entry(row.session_id).or_default().push(row.typed()?);
        }
        rows.into_iter()
            .map(|r| {
                let exercises = by_session.remove(&r.id).unwrap_or_default();
                r.typed(exercises)
            })
            .collect()
    }

    /// One session, if it is in this clinic.
    pub async fn day_session(&self, clinic_id: Uuid, id: Uuid) -> Result<DaySession> {
        let row: Option<SessionRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            day_columns!(),
            " FROM day_sessions WHERE id = $1 AND clinic_id = $2"
        ))
        .bind(id)
        .bind(clinic_id)
        .fetch_optional(p)
        .await?);
        let row = row.ok_or(StoreError::NotFound("session"))?;
        let logged: Vec<ExerciseRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            exercise_columns!(),
            " FROM day_session_exercises WHERE session_id = $1"
        ))
        .bind(id)
        .fetch_all(p)
        .await?);
        let exercises = logged.into_iter().map(ExerciseRow::typed).collect::<Result<_>>()?;
        row.typed(exercises)
    }
}

impl Tx {
    /// Starts a session (or records one the pain check stopped, already ended). A second
    /// session with the same day and number is a conflict.
    pub async fn start_day_session(
        &mut self,
        clinic_id: Uuid,
        patient_id: Uuid,
        s: NewDaySession<'_>,
    ) -> Result<DaySession> {
        self.patient(clinic_id, patient_id).await?;
        let id = Uuid::now_v7();
        let now = db_time(s.now);
        let due = serde_json::to_value(s.due).map(Json).map_err(|e| bad("due", e))?;
        let stopped = s
            .stopped
            .map(|x| serde_json::to_value(x).map(Json))
            .transpose()
            .map_err(|e| bad("stopped", e))?;
        let ended = s.stopped.map(|_| now);
        with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO day_sessions (id, clinic_id, patient_id, day, number, programme_version,
                due, pain_before, usual_pain, stopped, started_at, updated_at, ended_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12)"
        )
        .bind(id)
        .bind(clinic_id)
        .bind(patient_id)
        .bind(s.day)
        .bind(s.number)
        .bind(s.programme_version)
        .bind(due.clone())
        .bind(i32::from(s.pain_before))
        .bind(s.usual_pain.map(i32::from))
        .bind(stopped.clone())
        .bind(now)
        .bind(ended)
        .execute(p)
        .await?
        .rows_affected());
        self.day_session(clinic_id, id).await
    }

    /// Records one exercise of an open session. Refused once the session has ended, or when
    /// the exercise is already recorded in it.
    pub async fn log_day_exercise(
        &mut self,
        clinic_id: Uuid,
        session_id: Uuid,
        exercise: &str,
        log: &ExerciseLog,
        camera_session: Option<Uuid>,
        now: OffsetDateTime,
    ) -> Result<DaySession> {
        let session = self.day_session(clinic_id, session_id).await?;
        if session.ended_at.is_some() {
            return Err(StoreError::Conflict("the session has ended".into()));
        }
        let Some(position) = session.due.iter().position(|i| i.exercise == exercise) else {
            return Err(StoreError::NotFound("exercise in this session"));
        };
        let outcome = log.outcome();
        let now = db_time(now);
        let reason = match outcome {
            Outcome::Skipped(r) => Some(r.as_str()),
            _ => None,
        };
        let n = |v: Option<u16>| v.map(i32::from);
        let m = |v: Option<u8>| v.map(i32::from);
        with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO day_session_exercises (session_id, exercise, position, outcome,
                skip_reason, sets_done, reps_done, hold_s_done, minutes_done, pain_during, effort,
                camera_session, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        )
        .bind(session_id)
        .bind(exercise)
        .bind(i32::try_from(position).unwrap_or(i32::MAX))
        .bind(outcome.as_str())
        .bind(reason)
        .bind(m(log.sets_done))
        .bind(n(log.reps_done))
        .bind(n(log.hold_s_done))
        .bind(n(log.minutes_done))
        .bind(m(log.pain_during))
        .bind(m(log.effort))
        .bind(camera_session)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        self.touch_day_session(session_id, now).await?;
        self.day_session(clinic_id, session_id).await
    }

    async fn touch_day_session(&mut self, id: Uuid, now: OffsetDateTime) -> Result<()> {
        with_pool!(self.db, |p| sqlx::query(
            "UPDATE day_sessions SET updated_at = $2 WHERE id = $1"
        )
        .bind(id)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Ends an open session with the closing check. Refused once it has ended.
    pub async fn end_day_session(
        &mut self,
        clinic_id: Uuid,
        session_id: Uuid,
        closing: &Closing,
        now: OffsetDateTime,
    ) -> Result<DaySession> {
        let now = db_time(now);
        let changed = with_pool!(self.db, |p| sqlx::query(
            "UPDATE day_sessions SET pain_after = $3, fatigue = $4, stopped_early = $5,
                closing_note = $6, ended_at = $7, updated_at = $7
             WHERE id = $1 AND clinic_id = $2 AND ended_at IS NULL"
        )
        .bind(session_id)
        .bind(clinic_id)
        .bind(closing.pain_after.map(i32::from))
        .bind(closing.fatigue.map(i32::from))
        .bind(closing.stopped_early.map(|s| s.as_str()))
        .bind(closing.note.as_deref())
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        if changed == 0 {
            self.day_session(clinic_id, session_id).await?;
            return Err(StoreError::Conflict("the session has ended".into()));
        }
        self.day_session(clinic_id, session_id).await
    }

    /// Records the pain the morning after a session (0–10); given once.
    pub async fn set_next_morning(
        &mut self,
        clinic_id: Uuid,
        session_id: Uuid,
        pain: u8,
        now: OffsetDateTime,
    ) -> Result<DaySession> {
        let now = db_time(now);
        let changed = with_pool!(self.db, |p| {
            sqlx::query(
            "UPDATE day_sessions SET next_morning_pain = $3, next_morning_at = $4, updated_at = $4
             WHERE id = $1 AND clinic_id = $2 AND next_morning_pain IS NULL"
        )
        .bind(session_id)
        .bind(clinic_id)
        .bind(i32::from(pain))
        .bind(now)
        .execute(p)
        .await?
        .rows_affected()
        });
        if changed == 0 {
            self.day_session(clinic_id, session_id).await?;
            return Err(StoreError::Conflict("the next-morning answer is already given".into()));
        }
        self.day_session(clinic_id, session_id).await
    }
}
