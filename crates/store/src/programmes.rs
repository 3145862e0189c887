//! Exercise programmes: a clinic's own exercises and templates, and each patient's programme as
//! a list of versions (the latest is in force). Items, changes, exercises and templates are
//! `physio-clinic`'s types, stored as JSON and read back typed: a stored document that no
//! longer parses is an error, never an empty programme.

use physio_clinic::exercise::Exercise;
use physio_clinic::programme::{Change, Item, Template};
use serde::de::DeserializeOwned;
use sqlx::{FromRow, types::Json};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx, db_time};

/// One version of a patient's programme.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProgrammeVersion {
    pub patient_id: Uuid,
    /// 1 for the first programme, then one more for each change.
    pub version: i32,
    /// The exercises as prescribed, in order; empty when the programme was stopped.
    pub items: Vec<Item>,
    /// What changed against the version before.
    pub changes: Vec<Change>,
    /// Why, in the clinician's words.
    pub reason: String,
    /// The template it was started from, when it was.
    pub template: Option<String>,
    pub created_by: Uuid,
    pub created_at: OffsetDateTime,
}

/// A new version, as the care layer writes it.
#[derive(Debug, Clone, Copy)]
pub struct NewProgrammeVersion<'a> {
    pub version: i32,
    pub items: &'a [Item],
    pub changes: &'a [Change],
    pub reason: &'a str,
    pub template: Option<&'a str>,
    pub created_by: Uuid,
    pub now: OffsetDateTime,
}

/// A template a clinic saved.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredTemplate {
    pub template: Template,
    pub created_by: Uuid,
    pub created_at: OffsetDateTime,
}

#[derive(FromRow)]
pub(crate) struct VersionRow {
    patient_id: Uuid,
    version: i32,
    items: Json<serde_json::Value>,
    changes: Json<serde_json::Value>,
    reason: String,
    template_id: Option<String>,
    created_by: Uuid,
    created_at: OffsetDateTime,
}

fn typed<T: DeserializeOwned>(what: &str, v: serde_json::Value) -> Result<T> {
    serde_json::from_value(v).map_err(|e| StoreError::Database(format!("{what}: {e}")))
}

fn json<T: serde::Serialize>(v: &T) -> Result<Json<serde_json::Value>> {
    serde_json::to_value(v).map(Json).map_err(|e| StoreError::Database(e.to_string()))
}

impl TryFrom<VersionRow> for ProgrammeVersion {
    type Error = StoreError;
    fn try_from(r: VersionRow) -> Result<Self> {
        Ok(ProgrammeVersion {
            patient_id: r.patient_id,
            version: r.version,
            items: typed("programme_versions.items", r.items.0)?,
            changes: typed("programme_versions.changes", r.changes.0)?,
            reason: r.reason,
            template: r.template_id,
            created_by: r.created_by,
            created_at: r.created_at,
        })
    }
}

macro_rules! version_columns {
    () => {
        "patient_id, version, items, changes, reason, template_id, created_by, created_at"
    };
}

impl Db {
    /// The programme in force: the patient's latest version, if any.
    pub async fn programme(
        &self,
        clinic_id: Uuid,
        patient_id: Uuid,
    ) -> Result<Option<ProgrammeVersion>> {
        let row: Option<VersionRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            version_columns!(),
            " FROM programme_versions WHERE patient_id = $1 AND clinic_id = $2
              ORDER BY version DESC LIMIT 1"
        ))
        .bind(patient_id)
        .bind(clinic_id)
        .fetch_optional(p)
        .await?);
        row.map(TryInto::try_into).transpose()
    }

    /// Every version of a patient's programme, newest first.
    pub async fn programme_versions(
        &self,
        clinic_id: Uuid,
        patient_id: Uuid,
    ) -> Result<Vec<ProgrammeVersion>> {
        let rows: Vec<VersionRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            version_columns!(),
            " FROM programme_versions WHERE patient_id = $1 AND clinic_id = $2
              ORDER BY version DESC"
        ))
        .bind(patient_id)
        .bind(clinic_id)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// A clinic's own exercises, by id.
    pub async fn clinic_exercises(&self, clinic_id: Uuid) -> Result<Vec<Exercise>> {
        let rows: Vec<(Json<serde_json::Value>,)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT doc FROM clinic_exercises WHERE clinic_id = $1 ORDER BY id"
        )
        .bind(clinic_id)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(|(doc,)| typed("clinic_exercises.doc", doc.0)).collect()
    }

    /// A clinic's own templates, oldest first.
    pub async fn clinic_templates(&self, clinic_id: Uuid) -> Result<Vec<StoredTemplate>> {
        let rows: Vec<(Json<serde_json::Value>, Uuid, OffsetDateTime)> =
            with_pool!(self, |p| sqlx::query_as(
                "SELECT doc, created_by, created_at FROM programme_templates WHERE clinic_id = $1
                 ORDER BY created_at, id"
            )
            .bind(clinic_id)
            .fetch_all(p)
            .await?);
        rows.into_iter()
            .map(|(doc, created_by, created_at)| {
                Ok(StoredTemplate {
                    template: typed("programme_templates.doc", doc.0)?,
                    created_by,
                    created_at,
                })
            })
            .collect()
    }
}

impl Tx {
    /// Adds the next version of a patient's programme. `v.version` must be one more than the
    /// latest; if another change got there first, this is a conflict (nothing is written).
    pub async fn add_programme_version(
        &mut self,
        clinic_id: Uuid,
        patient_id: Uuid,
        v: NewProgrammeVersion<'_>,
    ) -> Result<ProgrammeVersion> {
        self.patient(clinic_id, patient_id).await?;
        let latest = self.programme(clinic_id, patient_id).await?.map_or(0, |p| p.version);
        if v.version != latest + 1 {
            return Err(StoreError::Conflict(format!(
                "the programme changed meanwhile (now version {latest}); reload it and try again"
            )));
        }
        let (items, changes) = (json(&v.items)?, json(&v.changes)?);
        with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO programme_versions (patient_id, version, clinic_id, items, changes,
                reason, template_id, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        )
        .bind(patient_id)
        .bind(v.version)
        .bind(clinic_id)
        .bind(items.clone())
        .bind(changes.clone())
        .bind(v.reason)
        .bind(v.template)
        .bind(v.created_by)
        .bind(db_time(v.now))
        .execute(p)
        .await?
        .rows_affected());
        self.programme(clinic_id, patient_id).await?.ok_or(StoreError::NotFound("programme"))
    }

    /// Adds or replaces a clinic's own exercises (checked by the caller), all in this
    /// transaction.
    pub async fn put_clinic_exercises(
        &mut self,
        clinic_id: Uuid,
        exercises: &[Exercise],
        by: Option<Uuid>,
        now: OffsetDateTime,
    ) -> Result<()> {
        for e in exercises {
            let doc = json(e)?;
            with_pool!(self.db, |p| sqlx::query(
                "INSERT INTO clinic_exercises (clinic_id, id, doc, updated_by, updated_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (clinic_id, id) DO UPDATE SET doc = $3, updated_by = $4,
                    updated_at = $5"
            )
            .bind(clinic_id)
            .bind(&e.id)
            .bind(doc.clone())
            .bind(by)
            .bind(db_time(now))
            .execute(p)
            .await?
            .rows_affected());
        }
        Ok(())
    }

    /// Saves a clinic's own template; its id must be new.
    pub async fn add_clinic_template(
        &mut self,
        clinic_id: Uuid,
        id: Uuid,
        template: &Template,
        by: Uuid,
        now: OffsetDateTime,
    ) -> Result<StoredTemplate> {
        let doc = json(template)?;
        with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO programme_templates (id, clinic_id, doc, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(id)
        .bind(clinic_id)
        .bind(doc.clone())
        .bind(by)
        .bind(db_time(now))
        .execute(p)
        .await?
        .rows_affected());
        Ok(StoredTemplate { template: template.clone(), created_by: by, created_at: db_time(now) })
    }
}
