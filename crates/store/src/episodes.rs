//! Episodes of care: the intake (saved as it is filled in), triage decisions and their clinical
//! review, the pathway, and questionnaire responses over time (with the alerts an answer
//! raises, written by `alerts.rs`).
//!
//! Clinical documents (intake answers, triage decisions, scores) are stored as JSON the store
//! does not interpret; the `physio-clinic` rules give them meaning. Every query is scoped by
//! `clinic_id`, so a wrong clinic reads as "not found".

use jiff::tz::TimeZone;
use physio_clinic::alert::NewAlert;
use physio_clinic::triage::{Tier, TriageDecision};
use serde_json::Value;
use sqlx::{FromRow, types::Json};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx, db_time};

use physio_clinic::episode::EpisodeEvent;
/// Episode statuses and their transitions are a clinical rule (`physio_clinic::episode`).
pub use physio_clinic::episode::EpisodeStatus;

/// A transition the episode rules refuse, as the store reports it.
fn refused(e: physio_clinic::episode::TransitionRefused) -> StoreError {
    StoreError::Conflict(e.message.to_owned())
}

/// A stored status, read back typed; an unknown one is an error, never a default.
fn parse_status(s: &str) -> Result<EpisodeStatus> {
    s.parse().map_err(|e| StoreError::Database(format!("{e}")))
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Episode {
    pub id: Uuid,
    pub clinic_id: Uuid,
    pub patient_id: Uuid,
    pub status: EpisodeStatus,
    pub opened_at: OffsetDateTime,
    pub discharged_at: Option<OffsetDateTime>,
    /// Why the clinician ended the episode.
    pub discharge_reason: Option<String>,
    pub pathway: Option<String>,
    pub surgery_date: Option<Date>,
    /// Set by the surgeon, per patient.
    pub lifting_limit_kg: Option<f64>,
    pub phase_override: Option<PhaseOverride>,
    /// Pathway milestones the clinician has recorded as met (ids such as `wound_healed`).
    pub milestones: Vec<String>,
}

/// A clinician's decision to hold a patient in, or move them to, a phase.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PhaseOverride {
    pub phase: String,
    pub reason: String,
    pub by: Uuid,
    pub at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IntakeRecord {
    pub episode_id: Uuid,
    pub patient_id: Uuid,
    pub answers: Value,
    /// The step the patient reached, so they can resume there.
    pub step: String,
    pub updated_at: OffsetDateTime,
    pub submitted_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone)]
pub struct NewTriage {
    pub clinic_id: Uuid,
    pub episode_id: Uuid,
    /// What made triage run: `intake`, `weekly_checkin`, `pain_rise`, ...
    pub trigger: String,
    pub tier: Tier,
    /// The whole decision, reasons included.
    pub decision: TriageDecision,
    /// The pathway the rules propose, recorded on the episode when no review is needed.
    pub proposed_pathway: Option<String>,
    pub needs_review: bool,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TriageRecord {
    pub id: Uuid,
    pub episode_id: Uuid,
    pub patient_id: Uuid,
    pub decided_at: OffsetDateTime,
    pub trigger: String,
    pub tier: Tier,
    pub decision: TriageDecision,
    pub review: Option<TriageReview>,
}

impl TriageRecord {
    /// The tier in force: the one a clinician settled on once reviewed, else the rules'.
    pub fn tier_in_force(&self) -> Tier {
        self.review.as_ref().map_or(self.tier, |r| r.final_tier)
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TriageReview {
    pub by: Uuid,
    pub at: OffsetDateTime,
    /// The tier the clinician settled on: the proposed one (confirmed) or another (overridden).
    pub final_tier: Tier,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewResponse {
    pub clinic_id: Uuid,
    pub episode_id: Uuid,
    pub instrument: String,
    /// `baseline`, `week_4`, `discharge`, `adhoc`, ...
    pub timepoint: String,
    pub answers: Value,
    pub result: Value,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ResponseRecord {
    pub id: Uuid,
    pub episode_id: Uuid,
    pub patient_id: Uuid,
    pub instrument: String,
    pub timepoint: String,
    pub answers: Value,
    pub result: Value,
    pub score: f64,
    pub submitted_at: OffsetDateTime,
}

macro_rules! episode_columns {
    () => {
        "id, clinic_id, patient_id, status, opened_at, discharged_at, discharge_reason, pathway, \
         surgery_date, \
         lifting_limit_kg, phase_override, phase_override_reason, phase_override_by, \
         phase_override_at, milestones"
    };
}

macro_rules! triage_columns {
    () => {
        "id, episode_id, patient_id, decided_at, trigger, tier, decision, reviewed_by, \
         reviewed_at, final_tier, review_note"
    };
}

macro_rules! response_columns {
    () => {
        "id, episode_id, patient_id, instrument, timepoint, answers, result, score, submitted_at"
    };
}

/// Inserts a triage decision inside the caller's transaction (expanded once per backend).
macro_rules! insert_triage {
    ($tx:expr, $id:expr, $ep:expr, $t:expr, $now:expr) => {
        sqlx::query(
            "INSERT INTO triage_decisions (id, clinic_id, episode_id, patient_id, decided_at,
                trigger, tier, decision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind($id)
        .bind($ep.clinic_id)
        .bind($ep.id)
        .bind($ep.patient_id)
        .bind($now)
        .bind(&$t.trigger)
        .bind($t.tier.as_str())
        .bind(Json(&$t.decision))
        .execute(&mut *$tx)
        .await?
    };
}

impl Db {
    pub async fn episode(&self, clinic_id: Uuid, id: Uuid) -> Result<Episode> {
        let row: Option<EpisodeRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            episode_columns!(),
            " FROM episodes WHERE id = $1 AND clinic_id = $2"
        ))
        .bind(id)
        .bind(clinic_id)
        .fetch_optional(p)
        .await?);
        row.map(Episode::try_from).transpose()?.ok_or(StoreError::NotFound("episode"))
    }

    /// A patient's episodes, newest first.
    pub async fn episodes(&self, clinic_id: Uuid, patient_id: Uuid) -> Result<Vec<Episode>> {
        let rows: Vec<EpisodeRow> = with_pool!(self, |p| {
            sqlx::query_as(concat!(
            "SELECT ",
            episode_columns!(),
            " FROM episodes WHERE patient_id = $1 AND clinic_id = $2 ORDER BY opened_at DESC, id DESC"
        ))
        .bind(patient_id)
        .bind(clinic_id)
        .fetch_all(p)
        .await?
        });
        rows.into_iter().map(Episode::try_from).collect()
    }

    /// The patient's open episode, if any.
    pub async fn open_episode_of(
        &self,
        clinic_id: Uuid,
        patient_id: Uuid,
    ) -> Result<Option<Episode>> {
        Ok(self
            .episodes(clinic_id, patient_id)
            .await?
            .into_iter()
            .find(|e| e.status != EpisodeStatus::Discharged))
    }

    /// Open episodes of a clinic (for caseload badges), keyed by patient.
    pub async fn open_episodes(&self, clinic_id: Uuid) -> Result<Vec<Episode>> {
        let rows: Vec<EpisodeRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            episode_columns!(),
            " FROM episodes WHERE clinic_id = $1 AND status <> 'discharged'"
        ))
        .bind(clinic_id)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(Episode::try_from).collect()
    }

    pub async fn intake(&self, clinic_id: Uuid, episode_id: Uuid) -> Result<Option<IntakeRecord>> {
        let row: Option<IntakeRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT episode_id, patient_id, answers, step, updated_at, submitted_at
             FROM intakes WHERE episode_id = $1 AND clinic_id = $2"
        )
        .bind(episode_id)
        .bind(clinic_id)
        .fetch_optional(p)
        .await?);
        Ok(row.map(|r| IntakeRecord {
            episode_id: r.episode_id,
            patient_id: r.patient_id,
            answers: r.answers.0,
            step: r.step,
            updated_at: r.updated_at,
            submitted_at: r.submitted_at,
        }))
    }

    pub async fn triage_record(&self, clinic_id: Uuid, id: Uuid) -> Result<TriageRecord> {
        let row: Option<TriageRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            triage_columns!(),
            " FROM triage_decisions WHERE id = $1 AND clinic_id = $2"
        ))
        .bind(id)
        .bind(clinic_id)
        .fetch_optional(p)
        .await?);
        row.map(TriageRecord::try_from).transpose()?.ok_or(StoreError::NotFound("triage decision"))
    }

    /// An episode's triage decisions, newest first.
    pub async fn triage_history(
        &self,
        clinic_id: Uuid,
        episode_id: Uuid,
    ) -> Result<Vec<TriageRecord>> {
        let rows: Vec<TriageRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            triage_columns!(),
            " FROM triage_decisions WHERE episode_id = $1 AND clinic_id = $2
              ORDER BY decided_at DESC, id DESC"
        ))
        .bind(episode_id)
        .bind(clinic_id)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(TriageRecord::try_from).collect()
    }

    /// A patient's questionnaire responses, oldest first, optionally of one instrument.
    pub async fn responses(
        &self,
        clinic_id: Uuid,
        patient_id: Uuid,
        instrument: Option<&str>,
    ) -> Result<Vec<ResponseRecord>> {
        let rows: Vec<ResponseRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            response_columns!(),
            " FROM questionnaire_responses
              WHERE patient_id = $1 AND clinic_id = $2 AND ($3 IS NULL OR instrument = $3)
              ORDER BY submitted_at, id"
        ))
        .bind(patient_id)
        .bind(clinic_id)
        .bind(instrument)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(ResponseRecord::from).collect())
    }

    /// The weeks at which the clinic reassesses outcomes (0 = baseline), in order.
    pub async fn reassessment_weeks(&self, clinic_id: Uuid) -> Result<Vec<u32>> {
        let text: Option<String> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT reassessment_weeks FROM clinics WHERE id = $1"
        )
        .bind(clinic_id)
        .fetch_optional(p)
        .await?);
        let text = text.ok_or(StoreError::NotFound("clinic"))?;
        serde_json::from_str(&text)
            .map_err(|e| StoreError::Database(format!("reassessment_weeks: {e}")))
    }
}

impl Tx {
    /// Opens a new episode for a patient of `clinic_id`; refused if one is already open.
    pub async fn open_episode(
        &mut self,
        clinic_id: Uuid,
        patient_id: Uuid,
        now: OffsetDateTime,
    ) -> Result<Episode> {
        self.patient(clinic_id, patient_id).await?;
        let id = Uuid::now_v7();
        let now = db_time(now);
        let r = with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO episodes (id, clinic_id, patient_id, status, opened_at)
             VALUES ($1, $2, $3, 'intake', $4)"
        )
        .bind(id)
        .bind(clinic_id)
        .bind(patient_id)
        .bind(now)
        .execute(p)
        .await
        .map(|r| r.rows_affected()));
        match r {
            Ok(_) => self.episode(clinic_id, id).await,
            Err(e) => match StoreError::from(e) {
                StoreError::Conflict(_) => Err(StoreError::Conflict(
                    "the patient already has an open episode of care".into(),
                )),
                other => Err(other),
            },
        }
    }

    /// Saves the intake as it stands, so the patient can stop and resume. Refused once submitted.
    pub async fn save_intake(
        &mut self,
        clinic_id: Uuid,
        episode_id: Uuid,
        answers: &Value,
        step: &str,
        now: OffsetDateTime,
    ) -> Result<IntakeRecord> {
        let ep = self.episode(clinic_id, episode_id).await?;
        if let Some(i) = self.intake(clinic_id, episode_id).await?
            && i.submitted_at.is_some()
        {
            return Err(StoreError::Conflict("the intake has already been submitted".into()));
        }
        with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO intakes (episode_id, clinic_id, patient_id, answers, step, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (episode_id) DO UPDATE SET answers = excluded.answers,
                step = excluded.step, updated_at = excluded.updated_at"
        )
        .bind(episode_id)
        .bind(clinic_id)
        .bind(ep.patient_id)
        .bind(Json(answers))
        .bind(step)
        .bind(db_time(now))
        .execute(p)
        .await?
        .rows_affected());
        self.intake(clinic_id, episode_id).await?.ok_or(StoreError::NotFound("intake"))
    }

    /// Submits the intake with its triage decision, in one transaction: the intake is frozen,
    /// the decision recorded, and the episode moves to review (or straight onto the proposed
    /// pathway when no review is needed).
    pub async fn submit_intake(
        &mut self,
        answers: &Value,
        triage: &NewTriage,
        now: OffsetDateTime,
    ) -> Result<TriageRecord> {
        let ep = self.episode(triage.clinic_id, triage.episode_id).await?;
        let status = ep
            .status
            .after(EpisodeEvent::IntakeSubmitted { needs_review: triage.needs_review })
            .map_err(refused)?;
        let now = db_time(now);
        let id = Uuid::now_v7();
        let pathway = if triage.needs_review { None } else { triage.proposed_pathway.clone() };
        with_tx!(self, |tx| {
            let moved = sqlx::query(
                "UPDATE episodes SET status = $1, pathway = coalesce($2, pathway)
                 WHERE id = $3 AND clinic_id = $4 AND status = 'intake'",
            )
            .bind(status.as_str())
            .bind(&pathway)
            .bind(ep.id)
            .bind(ep.clinic_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved == 0 {
                return Err(StoreError::Conflict("the intake has already been submitted".into()));
            }
            sqlx::query(
                "INSERT INTO intakes (episode_id, clinic_id, patient_id, answers, step, updated_at, submitted_at)
                 VALUES ($1, $2, $3, $4, 'submitted', $5, $5)
                 ON CONFLICT (episode_id) DO UPDATE SET answers = excluded.answers,
                    step = excluded.step, updated_at = excluded.updated_at,
                    submitted_at = excluded.submitted_at",
            )
            .bind(ep.id)
            .bind(ep.clinic_id)
            .bind(ep.patient_id)
            .bind(Json(answers))
            .bind(now)
            .execute(&mut *tx)
            .await?;
            insert_triage!(tx, id, ep, triage, now);
        });
        self.triage_record(ep.clinic_id, id).await
    }

    /// Records a later triage (weekly check-in, pain rise). A decision that needs review puts
    /// the episode back in review.
    pub async fn record_triage(
        &mut self,
        triage: &NewTriage,
        now: OffsetDateTime,
    ) -> Result<TriageRecord> {
        let ep = self.episode(triage.clinic_id, triage.episode_id).await?;
        if ep.status == EpisodeStatus::Discharged {
            return Err(StoreError::Conflict("the episode is discharged".into()));
        }
        let flagged = if triage.needs_review {
            Some(ep.status.after(EpisodeEvent::FlaggedForReview).map_err(refused)?)
        } else {
            None
        };
        let now = db_time(now);
        let id = Uuid::now_v7();
        with_tx!(self, |tx| {
            insert_triage!(tx, id, ep, triage, now);
            if let Some(status) = flagged {
                sqlx::query("UPDATE episodes SET status = $2 WHERE id = $1")
                    .bind(ep.id)
                    .bind(status.as_str())
                    .execute(&mut *tx)
                    .await?;
            }
        });
        self.triage_record(ep.clinic_id, id).await
    }

    /// A clinician confirms or overrides a triage decision. The episode leaves review and, when
    /// the final tier is exercise care, goes onto `pathway`.
    #[allow(clippy::too_many_arguments, reason = "one clinical act, each field recorded")]
    pub async fn review_triage(
        &mut self,
        clinic_id: Uuid,
        triage_id: Uuid,
        reviewer: Uuid,
        final_tier: Tier,
        note: Option<&str>,
        pathway: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<TriageRecord> {
        let t = self.triage_record(clinic_id, triage_id).await?;
        if t.review.is_some() {
            return Err(StoreError::Conflict(
                "this triage decision has already been reviewed".into(),
            ));
        }
        let now = db_time(now);
        with_tx!(self, |tx| {
            // Two reviewers at once: the second finds the row reviewed and is refused.
            let n = sqlx::query(
                "UPDATE triage_decisions SET reviewed_by = $1, reviewed_at = $2, final_tier = $3,
                    review_note = $4 WHERE id = $5 AND reviewed_at IS NULL",
            )
            .bind(reviewer)
            .bind(now)
            .bind(final_tier.as_str())
            .bind(note)
            .bind(triage_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::Conflict(
                    "this triage decision has already been reviewed".into(),
                ));
            }
            sqlx::query(
                "UPDATE episodes SET status = 'active', pathway = coalesce($1, pathway)
                 WHERE id = $2 AND status = 'awaiting_review'",
            )
            .bind(pathway)
            .bind(t.episode_id)
            .execute(&mut *tx)
            .await?;
        });
        self.triage_record(clinic_id, triage_id).await
    }

    /// Sets the pathway and the surgery facts it depends on.
    pub async fn set_pathway(
        &mut self,
        clinic_id: Uuid,
        episode_id: Uuid,
        pathway: &str,
        surgery_date: Option<Date>,
        lifting_limit_kg: Option<f64>,
    ) -> Result<Episode> {
        let n = with_pool!(self.db, |p| sqlx::query(
            "UPDATE episodes SET pathway = $1, surgery_date = $2, lifting_limit_kg = $3
             WHERE id = $4 AND clinic_id = $5 AND status <> 'discharged'"
        )
        .bind(pathway)
        .bind(surgery_date)
        .bind(lifting_limit_kg)
        .bind(episode_id)
        .bind(clinic_id)
        .execute(p)
        .await?
        .rows_affected());
        if n == 0 {
            return Err(StoreError::NotFound("open episode"));
        }
        self.episode(clinic_id, episode_id).await
    }

    /// Records (or, with `None`, clears) a clinician's phase override.
    pub async fn override_phase(
        &mut self,
        clinic_id: Uuid,
        episode_id: Uuid,
        over: Option<(&str, &str)>,
        by: Uuid,
        now: OffsetDateTime,
    ) -> Result<Episode> {
        let (phase, reason) = over.map_or((None, None), |(p, r)| (Some(p), Some(r)));
        let n = with_pool!(self.db, |p| sqlx::query(
            "UPDATE episodes SET phase_override = $1, phase_override_reason = $2,
                phase_override_by = $3, phase_override_at = $4
             WHERE id = $5 AND clinic_id = $6 AND status <> 'discharged'"
        )
        .bind(phase)
        .bind(reason)
        .bind(over.map(|_| by))
        .bind(over.map(|_| db_time(now)))
        .bind(episode_id)
        .bind(clinic_id)
        .execute(p)
        .await?
        .rows_affected());
        if n == 0 {
            return Err(StoreError::NotFound("open episode"));
        }
        self.episode(clinic_id, episode_id).await
    }

    /// Replaces the milestones recorded as met on an open episode.
    pub async fn set_milestones(
        &mut self,
        clinic_id: Uuid,
        episode_id: Uuid,
        milestones: &[String],
    ) -> Result<Episode> {
        let text =
            serde_json::to_string(milestones).map_err(|e| StoreError::Database(e.to_string()))?;
        let n = with_pool!(self.db, |p| {
            sqlx::query(
            "UPDATE episodes SET milestones = $1 WHERE id = $2 AND clinic_id = $3 AND status <> 'discharged'"
        )
        .bind(text)
        .bind(episode_id)
        .bind(clinic_id)
        .execute(p)
        .await?
        .rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound("open episode"));
        }
        self.episode(clinic_id, episode_id).await
    }

    /// Ends an open episode, with the clinician's reason.
    pub async fn discharge(
        &mut self,
        clinic_id: Uuid,
        episode_id: Uuid,
        reason: &str,
        now: OffsetDateTime,
    ) -> Result<Episode> {
        let n = with_pool!(self.db, |p| {
            sqlx::query(
            "UPDATE episodes SET status = 'discharged', discharged_at = $1, discharge_reason = $2
             WHERE id = $3 AND clinic_id = $4 AND status <> 'discharged'"
        )
        .bind(db_time(now))
        .bind(reason)
        .bind(episode_id)
        .bind(clinic_id)
        .execute(p)
        .await?
        .rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound("open episode"));
        }
        self.episode(clinic_id, episode_id).await
    }

    /// Stores a scored questionnaire and, in the same transaction, any alerts it raised.
    pub async fn add_response(
        &mut self,
        r: &NewResponse,
        alerts: &[NewAlert],
        zone: &TimeZone,
        now: OffsetDateTime,
    ) -> Result<ResponseRecord> {
        let ep = self.episode(r.clinic_id, r.episode_id).await?;
        if !r.score.is_finite() {
            return Err(StoreError::Conflict("a score must be a finite number".into()));
        }
        let id = Uuid::now_v7();
        let now = db_time(now);
        with_tx!(self, |tx| {
            sqlx::query(
                "INSERT INTO questionnaire_responses (id, clinic_id, episode_id, patient_id,
                    instrument, timepoint, answers, result, score, submitted_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(id)
            .bind(ep.clinic_id)
            .bind(ep.id)
            .bind(ep.patient_id)
            .bind(&r.instrument)
            .bind(&r.timepoint)
            .bind(Json(&r.answers))
            .bind(Json(&r.result))
            .bind(r.score)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        });
        self.add_alerts(ep.clinic_id, ep.patient_id, alerts, zone, now).await?;
        let mut list = self.responses(r.clinic_id, ep.patient_id, None).await?;
        list.retain(|x| x.id == id);
        list.pop().ok_or(StoreError::NotFound("response"))
    }

    pub async fn set_reassessment_weeks(&mut self, clinic_id: Uuid, weeks: &[u32]) -> Result<()> {
        let mut w = weeks.to_vec();
        w.sort_unstable();
        w.dedup();
        if w.first() != Some(&0) {
            return Err(StoreError::Conflict(
                "the schedule must start with a baseline (week 0)".into(),
            ));
        }
        let text = serde_json::to_string(&w).map_err(|e| StoreError::Database(e.to_string()))?;
        let n = with_pool!(self.db, |p| sqlx::query(
            "UPDATE clinics SET reassessment_weeks = $1 WHERE id = $2"
        )
        .bind(text)
        .bind(clinic_id)
        .execute(p)
        .await?
        .rows_affected());
        if n == 0 { Err(StoreError::NotFound("clinic")) } else { Ok(()) }
    }
}

#[derive(FromRow)]
pub(crate) struct EpisodeRow {
    id: Uuid,
    clinic_id: Uuid,
    patient_id: Uuid,
    status: String,
    opened_at: OffsetDateTime,
    discharged_at: Option<OffsetDateTime>,
    discharge_reason: Option<String>,
    pathway: Option<String>,
    surgery_date: Option<Date>,
    lifting_limit_kg: Option<f64>,
    phase_override: Option<String>,
    phase_override_reason: Option<String>,
    phase_override_by: Option<Uuid>,
    phase_override_at: Option<OffsetDateTime>,
    milestones: String,
}

impl TryFrom<EpisodeRow> for Episode {
    type Error = StoreError;
    fn try_from(r: EpisodeRow) -> Result<Self> {
        let phase_override = match (
            r.phase_override,
            r.phase_override_reason,
            r.phase_override_by,
            r.phase_override_at,
        ) {
            (Some(phase), Some(reason), Some(by), Some(at)) => {
                Some(PhaseOverride { phase, reason, by, at })
            }
            _ => None,
        };
        Ok(Episode {
            id: r.id,
            clinic_id: r.clinic_id,
            patient_id: r.patient_id,
            status: parse_status(&r.status)?,
            opened_at: r.opened_at,
            discharged_at: r.discharged_at,
            discharge_reason: r.discharge_reason,
            pathway: r.pathway,
            surgery_date: r.surgery_date,
            lifting_limit_kg: r.lifting_limit_kg,
            phase_override,
            milestones: serde_json::from_str(&r.milestones)
                .map_err(|e| StoreError::Database(format!("episodes.milestones: {e}")))?,
        })
    }
}

#[derive(FromRow)]
struct IntakeRow {
    episode_id: Uuid,
    patient_id: Uuid,
    answers: Json<Value>,
    step: String,
    updated_at: OffsetDateTime,
    submitted_at: Option<OffsetDateTime>,
}

#[derive(FromRow)]
struct TriageRow {
    id: Uuid,
    episode_id: Uuid,
    patient_id: Uuid,
    decided_at: OffsetDateTime,
    trigger: String,
    tier: String,
    decision: Json<Value>,
    reviewed_by: Option<Uuid>,
    reviewed_at: Option<OffsetDateTime>,
    final_tier: Option<String>,
    review_note: Option<String>,
}

/// A stored tier, read back typed; an unknown name is an error, never a default.
pub(crate) fn parse_tier(s: &str) -> Result<Tier> {
    Tier::ALL
        .into_iter()
        .find(|t| t.as_str() == s)
        .ok_or_else(|| StoreError::Database(format!("unknown triage tier {s:?}")))
}

impl TryFrom<TriageRow> for TriageRecord {
    type Error = StoreError;
    fn try_from(r: TriageRow) -> Result<Self> {
        let review = match (r.reviewed_by, r.reviewed_at, r.final_tier) {
            (Some(by), Some(at), Some(final_tier)) => Some(TriageReview {
                by,
                at,
                final_tier: parse_tier(&final_tier)?,
                note: r.review_note,
            }),
            _ => None,
        };
        Ok(TriageRecord {
            id: r.id,
            episode_id: r.episode_id,
            patient_id: r.patient_id,
            decided_at: r.decided_at,
            trigger: r.trigger,
            tier: parse_tier(&r.tier)?,
            decision: serde_json::from_value(r.decision.0).map_err(|e| {
                StoreError::Database(format!("triage decision {} does not read back: {e}", r.id))
            })?,
            review,
        })
    }
}

#[derive(FromRow)]
struct ResponseRow {
    id: Uuid,
    episode_id: Uuid,
    patient_id: Uuid,
    instrument: String,
    timepoint: String,
    answers: Json<Value>,
    result: Json<Value>,
    score: f64,
    submitted_at: OffsetDateTime,
}

impl From<ResponseRow> for ResponseRecord {
    fn from(r: ResponseRow) -> Self {
        ResponseRecord {
            id: r.id,
            episode_id: r.episode_id,
            patient_id: r.patient_id,
            instrument: r.instrument,
            timepoint: r.timepoint,
            answers: r.answers.0,
            result: r.result.0,
            score: r.score,
            submitted_at: r.submitted_at,
        }
    }
}
