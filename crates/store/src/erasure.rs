//! Erasing a patient at their request (docs/patient-rights.md): every row that holds their data
//! goes, in one transaction, and an `erasures` row keeps who was erased (an id), by whom, when
//! and why. The audit trail is not touched: its records hold ids, actions and outcomes, never
//! the data itself, so the chain stays whole and still shows who did what to that id.

use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx, db_time};

/// One erasure, as kept after the patient is gone.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Erasure {
    pub id: Uuid,
    pub clinic_id: Uuid,
    pub patient_id: Uuid,
    pub erased_by: Uuid,
    pub erased_at: OffsetDateTime,
    pub reason: String,
}

/// Every statement that removes the patient's rows, children before the rows they refer to.
/// `$1` is the patient. A table added later that refers to a patient must join this list;
/// the erasure test looks for every column that refers to `users` and fails until it does.
const ERASE: &[&str] = &[
    "DELETE FROM day_session_exercises
     WHERE session_id IN (SELECT id FROM day_sessions WHERE patient_id = $1)",
    "DELETE FROM progression_decisions WHERE patient_id = $1",
    "DELETE FROM progression_settings WHERE patient_id = $1",
    "DELETE FROM exercise_references WHERE patient_id = $1",
    "DELETE FROM day_sessions WHERE patient_id = $1",
    "DELETE FROM exercise_sessions WHERE patient_id = $1",
    "DELETE FROM reminder_jobs WHERE patient_id = $1",
    "DELETE FROM reminder_plans WHERE patient_id = $1",
    "DELETE FROM lesson_reads WHERE patient_id = $1",
    "DELETE FROM messages WHERE patient_id = $1",
    "DELETE FROM contacts WHERE patient_id = $1",
    "DELETE FROM alerts WHERE patient_id = $1",
    "DELETE FROM questionnaire_responses WHERE patient_id = $1",
    "DELETE FROM triage_decisions WHERE patient_id = $1",
    "DELETE FROM intakes WHERE patient_id = $1",
    "DELETE FROM episodes WHERE patient_id = $1",
    "DELETE FROM programme_versions WHERE patient_id = $1",
    "DELETE FROM care_team WHERE patient_id = $1",
    "DELETE FROM sessions WHERE user_id = $1",
    "DELETE FROM api_tokens WHERE user_id = $1",
];

impl Tx {
    /// Deletes the patient `patient_id` of `clinic_id` and every row of their data, and records
    /// the erasure. `NotFound` unless that clinic has that patient.
    pub async fn erase_patient(
        &mut self,
        clinic_id: Uuid,
        patient_id: Uuid,
        erased_by: Uuid,
        at: OffsetDateTime,
        reason: &str,
    ) -> Result<Erasure> {
        let erasure = Erasure {
            id: Uuid::now_v7(),
            clinic_id,
            patient_id,
            erased_by,
            erased_at: db_time(at),
            reason: reason.to_owned(),
        };
        with_tx!(self, |c| {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM users WHERE id = $1 AND clinic_id = $2 AND role = 'patient'",
            )
            .bind(patient_id)
            .bind(clinic_id)
            .fetch_one(&mut *c)
            .await?;
            if n != 1 {
                return Err(StoreError::NotFound("patient"));
            }
            for sql in ERASE {
                sqlx::query(*sql).bind(patient_id).execute(&mut *c).await?;
            }
            sqlx::query("DELETE FROM users WHERE id = $1")
                .bind(patient_id)
                .execute(&mut *c)
                .await?;
            sqlx::query(
                "INSERT INTO erasures (id, clinic_id, patient_id, erased_by, erased_at, reason)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(erasure.id)
            .bind(erasure.clinic_id)
            .bind(erasure.patient_id)
            .bind(erasure.erased_by)
            .bind(erasure.erased_at)
            .bind(&erasure.reason)
            .execute(&mut *c)
            .await?;
        });
        Ok(erasure)
    }
}

impl Db {
    /// A clinic's erasures, newest first.
    pub async fn erasures(&self, clinic_id: Uuid) -> Result<Vec<Erasure>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT id, clinic_id, patient_id, erased_by, erased_at, reason FROM erasures
             WHERE clinic_id = $1 ORDER BY erased_at DESC, id DESC"
        )
        .bind(clinic_id)
        .fetch_all(p)
        .await?))
    }
}

impl Db {
    /// For every column of every table that refers to `users`, how many rows hold `user_id`
    /// there, read from the schema itself (so a table added later is counted too). For the
    /// erasure test and for an operator checking an erasure by hand.
    pub async fn rows_referring_to(&self, user_id: Uuid) -> Result<Vec<(String, String, i64)>> {
        let columns: Vec<(String, String)> = match self.backend() {
            crate::Backend::Sqlite => with_pool!(self, |p| {
                sqlx::query_as(
                "SELECT m.name, f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
                 WHERE m.type = 'table' AND f.\"table\" = 'users' ORDER BY 1, 2"
            )
            .fetch_all(p)
            .await?
            }),
            crate::Backend::Postgres => with_pool!(self, |p| sqlx::query_as(
                "SELECT DISTINCT kcu.table_name::text, kcu.column_name::text
                 FROM information_schema.table_constraints tc
                 JOIN information_schema.key_column_usage kcu
                   ON kcu.constraint_name = tc.constraint_name
                  AND kcu.table_schema = tc.table_schema
                 JOIN information_schema.constraint_column_usage ccu
                   ON ccu.constraint_name = tc.constraint_name
                  AND ccu.table_schema = tc.table_schema
                 WHERE tc.constraint_type = 'FOREIGN KEY' AND ccu.table_name = 'users'
                   AND tc.table_schema = current_schema()
                 ORDER BY 1, 2"
            )
            .fetch_all(p)
            .await?),
        };
        let mut out = Vec::with_capacity(columns.len() + 1);
        let (n,): (i64,) =
            with_pool!(self, |p| sqlx::query_as("SELECT COUNT(*) FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_one(p)
                .await?);
        out.push(("users".to_owned(), "id".to_owned(), n));
        for (table, column) in columns {
            // Names come from the schema, not from a caller.
            let sql =
                sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table} WHERE {column} = $1"));
            let (n,): (i64,) =
                with_pool!(self, |p| sqlx::query_as(sql).bind(user_id).fetch_one(p).await?);
            out.push((table, column, n));
        }
        Ok(out)
    }
}
