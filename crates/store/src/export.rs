//! A patient's whole record as JSON, for their own download (docs/patient-rights.md): every row
//! of every table that holds their data, column by column, read in one pass. It covers the same
//! tables erasure deletes from, so whatever the clinic could erase, the patient can see first.
//! Credentials are left out: no password hash, no session or token rows.

use serde_json::{Map, Value};
use uuid::Uuid;

use crate::{Backend, Db, Result, StoreError};

/// Each table of the record: its name in the download, the table whose columns it has, the
/// rows (`$1` is the patient), and their order.
const TABLES: &[(&str, &str, &str, &str)] = &[
    ("care_team", "care_team", "patient_id = $1", "clinician_id"),
    ("episodes", "episodes", "patient_id = $1", "id"),
    ("intakes", "intakes", "patient_id = $1", "episode_id"),
    ("triage_decisions", "triage_decisions", "patient_id = $1", "id"),
    ("questionnaire_responses", "questionnaire_responses", "patient_id = $1", "id"),
    ("alerts", "alerts", "patient_id = $1", "id"),
    ("camera_sessions", "exercise_sessions", "patient_id = $1", "id"),
    ("exercise_references", "exercise_references", "patient_id = $1", "exercise"),
    ("programme_versions", "programme_versions", "patient_id = $1", "version"),
    ("day_sessions", "day_sessions", "patient_id = $1", "id"),
    (
        "day_session_exercises",
        "day_session_exercises",
        "session_id IN (SELECT id FROM day_sessions WHERE patient_id = $1)",
        "session_id",
    ),
    ("progression_decisions", "progression_decisions", "patient_id = $1", "id"),
    ("progression_settings", "progression_settings", "patient_id = $1", "patient_id"),
    ("lesson_reads", "lesson_reads", "patient_id = $1", "lesson_id"),
    ("reminder_plans", "reminder_plans", "patient_id = $1", "patient_id"),
    ("reminder_jobs", "reminder_jobs", "patient_id = $1", "id"),
    ("messages", "messages", "patient_id = $1", "id"),
    ("contacts", "contacts", "patient_id = $1", "id"),
];

impl Db {
    /// Everything stored about patient `patient_id` of `clinic_id`: `{"account": {...},
    /// "<table>": [rows...], ...}`. Ids are UUID strings and times as stored on both backends.
    pub async fn patient_export(&self, clinic_id: Uuid, patient_id: Uuid) -> Result<Value> {
        let account = self.patient(clinic_id, patient_id).await?;
        let mut out = Map::new();
        out.insert(
            "account".into(),
            serde_json::json!({
                "id": account.id,
                "email": account.email,
                "name": account.name,
                "date_of_birth": account.date_of_birth.map(|d| d.to_string()),
                "phone": account.phone,
                "summary": account.summary,
                "created_at": account.created_at.to_string(),
                "active": account.active,
            }),
        );
        for (name, table, filter, order) in TABLES {
            let json = self.rows_as_json(table, filter, order, patient_id).await?;
            let rows: Value = serde_json::from_str(&json)
                .map_err(|e| StoreError::Database(format!("{name} as JSON: {e}")))?;
            out.insert((*name).into(), rows);
        }
        Ok(Value::Object(out))
    }

    /// The rows of `table` matching `filter`, as a JSON array of objects, built by the
    /// database. The SQL is assembled from the constant table above only.
    async fn rows_as_json(
        &self,
        table: &str,
        filter: &str,
        order: &str,
        patient_id: Uuid,
    ) -> Result<String> {
        let inner = format!("SELECT * FROM {table} WHERE {filter} ORDER BY {order}");
        let sql = match self.backend() {
            Backend::Postgres => format!(
                "SELECT COALESCE(json_agg(row_to_json(t)), '[]'::json)::text FROM ({inner}) t"
            ),
            Backend::Sqlite => {
                let columns: Vec<(String,)> = with_pool!(self, |p| sqlx::query_as(
                    "SELECT name FROM pragma_table_info($1) ORDER BY cid"
                )
                .bind(table)
                .fetch_all(p)
                .await?);
                // SQLite keeps ids as 16-byte blobs, which JSON cannot hold: write them as
                // PostgreSQL does, hyphenated lowercase hex.
                let fields: Vec<String> = columns
                    .iter()
                    .map(|(c,)| {
                        format!(
                            "'{c}', CASE WHEN typeof(t.{c}) = 'blob' AND length(t.{c}) = 16 THEN \
                             lower(substr(hex(t.{c}), 1, 8) || '-' || substr(hex(t.{c}), 9, 4) \
                             || '-' || substr(hex(t.{c}), 13, 4) || '-' || \
                             substr(hex(t.{c}), 17, 4) || '-' || substr(hex(t.{c}), 21)) \
                             WHEN typeof(t.{c}) = 'blob' THEN lower(hex(t.{c})) ELSE t.{c} END"
                        )
                    })
                    .collect();
                format!(
                    "SELECT COALESCE(json_group_array(json_object({})), '[]') FROM ({inner}) t",
                    fields.join(", ")
                )
            }
        };
        let sql = sqlx::AssertSqlSafe(sql);
        let (json,): (String,) =
            with_pool!(self, |p| sqlx::query_as(sql).bind(patient_id).fetch_one(p).await?);
        Ok(json)
    }
}
