//! Decisions of the progression rules (`physio_clinic::progression`) with their inputs and what
//! became of each, and each patient's progression settings. Typed on the way out: a stored
//! rule, status or item that no longer parses is an error.

use physio_clinic::programme::Item;
use physio_clinic::progression::{Cap, Inputs, Proposal, Rule, Status, Step};
use serde::de::DeserializeOwned;
use sqlx::{FromRow, types::Json};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx, db_time};

/// One decision about one exercise after one session.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProgressionDecision {
    pub id: Uuid,
    pub patient_id: Uuid,
    /// The guided session it was made after.
    pub session_id: Uuid,
    pub exercise: String,
    pub rule: Rule,
    pub proposal: Proposal,
    /// Exactly what the rules read.
    pub inputs: Inputs,
    /// Why, for the clinician.
    pub because: String,
    /// Why, for the patient.
    pub patient_text: String,
    /// Show the form cue at the next session.
    pub show_cue: bool,
    /// The ladder step proposed, when there is a change.
    pub step: Option<Step>,
    /// The prescription it was made on.
    pub item_before: Item,
    /// The prescription proposed (or, once edited, the one the clinician chose).
    pub item_after: Option<Item>,
    /// The programme version it was made on.
    pub based_on: i32,
    pub status: Status,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<OffsetDateTime>,
    /// The clinician's reason for a rejection or an edit.
    pub decision_note: Option<String>,
    /// The programme version the change made, once made.
    pub version_made: Option<i32>,
    pub created_at: OffsetDateTime,
}

/// A decision to record.
#[derive(Debug, Clone)]
pub struct NewDecision<'a> {
    pub session_id: Uuid,
    pub exercise: &'a str,
    pub rule: Rule,
    pub proposal: Proposal,
    pub inputs: &'a Inputs,
    pub because: &'a str,
    pub patient_text: &'a str,
    pub show_cue: bool,
    pub step: Option<Step>,
    pub item_before: &'a Item,
    pub item_after: Option<&'a Item>,
    pub based_on: i32,
    pub status: Status,
    /// For a decision applied as it is made: who allowed it and the version it made.
    pub applied: Option<(Uuid, i32)>,
    pub now: OffsetDateTime,
}

/// What a clinician decided about a waiting proposal.
#[derive(Debug, Clone)]
pub struct Verdict<'a> {
    pub status: Status,
    pub by: Uuid,
    pub note: Option<&'a str>,
    /// The prescription as edited, for [`Status::Edited`].
    pub item_after: Option<&'a Item>,
    pub version_made: Option<i32>,
    pub now: OffsetDateTime,
}

/// A patient's progression settings.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ProgressionSettings {
    pub patient_id: Uuid,
    /// Proposals apply themselves within limits (regressions always; at most one step up per
    /// exercise per week), without waiting for the clinician.
    pub auto_apply: bool,
    /// The most any exercise may be stepped up to.
    pub cap: Cap,
    /// The clinician who set them: automatic changes are made in their name.
    pub set_by: Uuid,
    pub set_at: OffsetDateTime,
}

#[derive(FromRow)]
struct DecisionRow {
    id: Uuid,
    patient_id: Uuid,
    session_id: Uuid,
    exercise: String,
    rule: String,
    proposal: String,
    inputs: Json<serde_json::Value>,
    because: String,
    patient_text: String,
    show_cue: bool,
    step: Option<String>,
    item_before: Json<serde_json::Value>,
    item_after: Option<Json<serde_json::Value>>,
    based_on: i32,
    status: String,
    decided_by: Option<Uuid>,
    decided_at: Option<OffsetDateTime>,
    decision_note: Option<String>,
    version_made: Option<i32>,
    created_at: OffsetDateTime,
}

#[derive(FromRow)]
struct SettingsRow {
    patient_id: Uuid,
    auto_apply: bool,
    cap: Json<serde_json::Value>,
    set_by: Uuid,
    set_at: OffsetDateTime,
}

fn bad(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Database(format!("progression_decisions.{what}: {e}"))
}

fn typed<T: DeserializeOwned>(what: &str, v: serde_json::Value) -> Result<T> {
    serde_json::from_value(v).map_err(|e| bad(what, e))
}

fn json<T: serde::Serialize>(what: &str, v: &T) -> Result<Json<serde_json::Value>> {
    serde_json::to_value(v).map(Json).map_err(|e| bad(what, e))
}

impl DecisionRow {
    fn typed(self) -> Result<ProgressionDecision> {
        Ok(ProgressionDecision {
            id: self.id,
            patient_id: self.patient_id,
            session_id: self.session_id,
            exercise: self.exercise,
            rule: self.rule.parse().map_err(|e| bad("rule", e))?,
            proposal: self.proposal.parse().map_err(|e| bad("proposal", e))?,
            inputs: typed("inputs", self.inputs.0)?,
            because: self.because,
            patient_text: self.patient_text,
            show_cue: self.show_cue,
            step: self.step.map(|s| s.parse()).transpose().map_err(|e| bad("step", e))?,
            item_before: typed("item_before", self.item_before.0)?,
            item_after: self.item_after.map(|v| typed("item_after", v.0)).transpose()?,
            based_on: self.based_on,
            status: self.status.parse().map_err(|e| bad("status", e))?,
            decided_by: self.decided_by,
            decided_at: self.decided_at,
            decision_note: self.decision_note,
            version_made: self.version_made,
            created_at: self.created_at,
        })
    }
}

macro_rules! decision_columns {
    () => {
        "id, patient_id, session_id, exercise, rule, proposal, inputs, because, patient_text, \
         show_cue, step, item_before, item_after, based_on, status, decided_by, decided_at, \
         decision_note, version_made, created_at"
    };
}

impl Db {
    /// A clinic's decisions, newest first: one patient's or everyone's, with one of `statuses`
    /// (every status when empty), made at or after `since` when given.
    pub async fn progression_decisions(
        &self,
        clinic_id: Uuid,
        patient_id: Option<Uuid>,
        statuses: &[Status],
        since: Option<OffsetDateTime>,
    ) -> Result<Vec<ProgressionDecision>> {
        // The status filter is a short comma-joined list of wire names, matched as whole items.
        let wanted: Option<String> = (!statuses.is_empty()).then(|| {
            format!(",{},", statuses.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(","))
        });
        let since = since.map(db_time);
        let rows: Vec<DecisionRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            decision_columns!(),
            " FROM progression_decisions
              WHERE clinic_id = $1 AND ($2 IS NULL OR patient_id = $2)
                AND ($3 IS NULL OR $3 LIKE '%,' || status || ',%')
                AND ($4 IS NULL OR created_at >= $4)
              ORDER BY created_at DESC, id DESC"
        ))
        .bind(clinic_id)
        .bind(patient_id)
        .bind(wanted.clone())
        .bind(since)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(DecisionRow::typed).collect()
    }

    /// One decision, if it is in this clinic.
    pub async fn progression_decision(
        &self,
        clinic_id: Uuid,
        id: Uuid,
    ) -> Result<ProgressionDecision> {
        let row: Option<DecisionRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            decision_columns!(),
            " FROM progression_decisions WHERE id = $1 AND clinic_id = $2"
        ))
        .bind(id)
        .bind(clinic_id)
        .fetch_optional(p)
        .await?);
        row.ok_or(StoreError::NotFound("proposal"))?.typed()
    }

    /// A patient's progression settings, if a clinician has set them.
    pub async fn progression_settings(
        &self,
        clinic_id: Uuid,
        patient_id: Uuid,
    ) -> Result<Option<ProgressionSettings>> {
        let row: Option<SettingsRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT patient_id, auto_apply, cap, set_by, set_at FROM progression_settings
             WHERE patient_id = $1 AND clinic_id = $2"
        )
        .bind(patient_id)
        .bind(clinic_id)
        .fetch_optional(p)
        .await?);
        row.map(|r| {
            Ok(ProgressionSettings {
                patient_id: r.patient_id,
                auto_apply: r.auto_apply,
                cap: typed("cap", r.cap.0)?,
                set_by: r.set_by,
                set_at: r.set_at,
            })
        })
        .transpose()
    }
}

impl Tx {
    /// Records a decision. A new waiting or applied change to an exercise takes the place of
    /// any proposal about it still waiting.
    pub async fn add_progression_decision(
        &mut self,
        clinic_id: Uuid,
        patient_id: Uuid,
        d: NewDecision<'_>,
    ) -> Result<ProgressionDecision> {
        let id = Uuid::now_v7();
        let now = db_time(d.now);
        if matches!(d.status, Status::Waiting | Status::Applied) {
            with_pool!(self.db, |p| sqlx::query(
                "UPDATE progression_decisions SET status = 'superseded', decided_at = $4
                 WHERE clinic_id = $1 AND patient_id = $2 AND exercise = $3 AND status = 'waiting'"
            )
            .bind(clinic_id)
            .bind(patient_id)
            .bind(d.exercise)
            .bind(now)
            .execute(p)
            .await?
            .rows_affected());
        }
        let inputs = json("inputs", d.inputs)?;
        let before = json("item_before", d.item_before)?;
        let after = d.item_after.map(|i| json("item_after", i)).transpose()?;
        let (decided_by, version_made) =
            d.applied.map_or((None, None), |(by, v)| (Some(by), Some(v)));
        let decided_at = d.applied.map(|_| now);
        with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO progression_decisions (id, clinic_id, patient_id, session_id, exercise,
                rule, proposal, inputs, because, patient_text, show_cue, step, item_before,
                item_after, based_on, status, decided_by, decided_at, version_made, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                $18, $19, $20)"
        )
        .bind(id)
        .bind(clinic_id)
        .bind(patient_id)
        .bind(d.session_id)
        .bind(d.exercise)
        .bind(d.rule.as_str())
        .bind(d.proposal.as_str())
        .bind(inputs.clone())
        .bind(d.because)
        .bind(d.patient_text)
        .bind(d.show_cue)
        .bind(d.step.map(|s| s.as_str()))
        .bind(before.clone())
        .bind(after.clone())
        .bind(d.based_on)
        .bind(d.status.as_str())
        .bind(decided_by)
        .bind(decided_at)
        .bind(version_made)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
        self.progression_decision(clinic_id, id).await
    }

    /// Decides a waiting proposal; one already decided (or replaced) is a conflict.
    pub async fn decide_progression(
        &mut self,
        clinic_id: Uuid,
        id: Uuid,
        v: Verdict<'_>,
    ) -> Result<ProgressionDecision> {
        let now = db_time(v.now);
        let after = v.item_after.map(|i| json("item_after", i)).transpose()?;
        let changed = with_pool!(self.db, |p| sqlx::query(
            "UPDATE progression_decisions
                SET status = $3, decided_by = $4, decided_at = $5, decision_note = $6,
                    item_after = COALESCE($7, item_after), version_made = $8
              WHERE id = $1 AND clinic_id = $2 AND status = 'waiting'"
        )
        .bind(id)
        .bind(clinic_id)
        .bind(v.status.as_str())
        .bind(v.by)
        .bind(now)
        .bind(v.note)
        .bind(after.clone())
        .bind(v.version_made)
        .execute(p)
        .await?
        .rows_affected());
        if changed == 0 {
            self.progression_decision(clinic_id, id).await?;
            return Err(StoreError::Conflict("the proposal has already been decided".into()));
        }
        self.progression_decision(clinic_id, id).await
    }

    /// Sets a patient's progression settings.
    pub async fn put_progression_settings(
        &mut self,
        clinic_id: Uuid,
        patient_id: Uuid,
        auto_apply: bool,
        cap: &Cap,
        by: Uuid,
        now: OffsetDateTime,
    ) -> Result<ProgressionSettings> {
        self.patient(clinic_id, patient_id).await?;
        let now = db_time(now);
        let cap_json = json("cap", cap)?;
        with_pool!(self.db, |p| {
            sqlx::query(
            "INSERT INTO progression_settings (patient_id, clinic_id, auto_apply, cap, set_by, set_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (patient_id) DO UPDATE
               SET auto_apply = excluded.auto_apply, cap = excluded.cap,
                   set_by = excluded.set_by, set_at = excluded.set_at"
        )
        .bind(patient_id)
        .bind(clinic_id)
        .bind(auto_apply)
        .bind(cap_json.clone())
        .bind(by)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected()
        });
        self.progression_settings(clinic_id, patient_id)
            .await?
            .ok_or(StoreError::NotFound("progression settings"))
    }
}
