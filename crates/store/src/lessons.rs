//! Education lessons: a clinic's own lessons (stored as the JSON of the lessons file format and
//! read back typed) and which lessons each patient has read, with when they first opened each.

use physio_clinic::education::Lesson;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx, db_time};

/// A lesson a patient has opened.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LessonRead {
    pub lesson_id: String,
    /// When they first opened it; opening it again does not change this.
    pub first_read_at: OffsetDateTime,
}

impl Db {
    /// A clinic's own lessons, by id.
    pub async fn clinic_lessons(&self, clinic_id: Uuid) -> Result<Vec<Lesson>> {
        let rows: Vec<(Json<serde_json::Value>,)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT doc FROM clinic_lessons WHERE clinic_id = $1 ORDER BY id"
        )
        .bind(clinic_id)
        .fetch_all(p)
        .await?);
        rows.into_iter()
            .map(|(doc,)| {
                serde_json::from_value(doc.0)
                    .map_err(|e| StoreError::Database(format!("clinic_lessons.doc: {e}")))
            })
            .collect()
    }

    /// The lessons a patient has read, first read first.
    pub async fn lesson_reads(&self, clinic_id: Uuid, patient_id: Uuid) -> Result<Vec<LessonRead>> {
        let rows: Vec<(String, OffsetDateTime)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT lesson_id, first_read_at FROM lesson_reads
             WHERE clinic_id = $1 AND patient_id = $2 ORDER BY first_read_at, lesson_id"
        )
        .bind(clinic_id)
        .bind(patient_id)
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(lesson_id, first_read_at)| LessonRead { lesson_id, first_read_at })
            .collect())
    }
}

impl Tx {
    /// Records that the patient opened a lesson. The first time, the read is stored with `now`
    /// and `true` is returned; after that nothing changes and the answer is `false`.
    pub async fn mark_lesson_read(
        &mut self,
        clinic_id: Uuid,
        patient_id: Uuid,
        lesson_id: &str,
        now: OffsetDateTime,
    ) -> Result<bool> {
        self.patient(clinic_id, patient_id).await?;
        let n = with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO lesson_reads (clinic_id, patient_id, lesson_id, first_read_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (patient_id, lesson_id) DO NOTHING"
        )
        .bind(clinic_id)
        .bind(patient_id)
        .bind(lesson_id)
        .bind(db_time(now))
        .execute(p)
        .await?
        .rows_affected());
        Ok(n == 1)
    }

    /// Adds or replaces a clinic's own lessons (checked by the caller), all in this
    /// transaction.
    pub async fn put_clinic_lessons(
        &mut self,
        clinic_id: Uuid,
        lessons: &[Lesson],
        by: Option<Uuid>,
        now: OffsetDateTime,
    ) -> Result<()> {
        for l in lessons {
            let doc = serde_json::to_value(l)
                .map(Json)
                .map_err(|e| StoreError::Database(e.to_string()))?;
            with_pool!(self.db, |p| sqlx::query(
                "INSERT INTO clinic_lessons (clinic_id, id, doc, updated_by, updated_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (clinic_id, id) DO UPDATE SET doc = $3, updated_by = $4,
                    updated_at = $5"
            )
            .bind(clinic_id)
            .bind(&l.id)
            .bind(doc.clone())
            .bind(by)
            .bind(db_time(now))
            .execute(p)
            .await?
            .rows_affected());
        }
        Ok(())
    }
}
