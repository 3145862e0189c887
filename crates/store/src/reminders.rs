//! Exercise reminders: each patient's plan (`physio_clinic::reminder::Plan`, stored as JSON and
//! read back typed), and the job table the scheduler works from: one row per reminder due,
//! claimed by one server before it sends, finished as sent, skipped or failed (docs/reminders.md).
//!
//! Claiming is atomic. On PostgreSQL one `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP
//! LOCKED) RETURNING` takes the rows, so concurrent claimers pass over each other's rows instead
//! of waiting for them; on SQLite the transaction's write lock (`BEGIN IMMEDIATE`) already lets
//! one claimer in at a time. A claim lasts for a lease: a job still `sending` after it (its
//! claimer crashed) may be claimed again. Each claim adds one to `attempts`, which is also the
//! claim's token: only the holder of the latest claim can finish the job.
//!
//! Every time in these tables is whole seconds ([`whole_seconds`]): SQLite keeps times as
//! RFC 3339 text, whose length varies with the fraction of a second, and only text of one
//! length compares in time order.

use physio_clinic::reminder::Plan;
use sqlx::{FromRow, types::Json};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::{Backend, Db, Result, StoreError, Tx, db_time};

/// A time as these tables keep it: UTC, whole seconds.
pub fn whole_seconds(t: OffsetDateTime) -> OffsetDateTime {
    let t = db_time(t);
    t.replace_nanosecond(0).unwrap_or(t)
}

/// A patient's reminder plan as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReminderPlan {
    pub clinic_id: Uuid,
    pub patient_id: Uuid,
    pub plan: Plan,
    /// When the patient last changed it.
    pub updated_at: OffsetDateTime,
}

/// A plan that is on and has no reminder waiting: the scheduler plans its next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanToSchedule {
    pub plan: StoredReminderPlan,
    /// The latest reminder ever planned for the patient (sent, skipped or failed).
    pub last_due: Option<OffsetDateTime>,
}

/// Where a reminder job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobStatus {
    /// Waiting for its time (or for its next attempt).
    Pending,
    /// Claimed by a server, which is sending it.
    Sending,
    Sent,
    /// Too late to send (`physio_clinic::reminder::delivery`), or the patient can no longer
    /// receive it.
    Skipped,
    /// Every attempt failed.
    Failed,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Pending => "pending",
            JobStatus::Sending => "sending",
            JobStatus::Sent => "sent",
            JobStatus::Skipped => "skipped",
            JobStatus::Failed => "failed",
        }
    }

    fn parse(s: &str) -> Result<JobStatus> {
        Ok(match s {
            "pending" => JobStatus::Pending,
            "sending" => JobStatus::Sending,
            "sent" => JobStatus::Sent,
            "skipped" => JobStatus::Skipped,
            "failed" => JobStatus::Failed,
            other => {
                return Err(StoreError::Database(format!("unknown reminder status {other:?}")));
            }
        })
    }
}

/// One reminder due, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderJob {
    pub id: Uuid,
    pub clinic_id: Uuid,
    pub patient_id: Uuid,
    pub due_at: OffsetDateTime,
    pub status: JobStatus,
    pub next_attempt_at: OffsetDateTime,
    /// The server that claimed it last.
    pub claimed_by: Option<String>,
    pub claimed_at: Option<OffsetDateTime>,
    /// How many times it was claimed.
    pub attempts: i32,
    /// Why the last attempt failed (no patient data: the mail server's answer).
    pub last_error: Option<String>,
    pub finished_at: Option<OffsetDateTime>,
}

/// A job this server now holds. `attempts` is the claim's token (see the module's notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimedReminder {
    pub id: Uuid,
    pub clinic_id: Uuid,
    pub patient_id: Uuid,
    pub due_at: OffsetDateTime,
    pub attempts: i32,
}

/// How a claimed job ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish<'a> {
    Sent,
    Skipped,
    /// Given up, with the last error.
    Failed(&'a str),
    /// Back to `pending`, to be tried again at `at`.
    Retry {
        error: &'a str,
        at: OffsetDateTime,
    },
}

#[derive(FromRow)]
struct PlanRow {
    clinic_id: Uuid,
    patient_id: Uuid,
    plan: Json<serde_json::Value>,
    updated_at: OffsetDateTime,
}

impl TryFrom<PlanRow> for StoredReminderPlan {
    type Error = StoreError;
    fn try_from(r: PlanRow) -> Result<Self> {
        Ok(StoredReminderPlan {
            clinic_id: r.clinic_id,
            patient_id: r.patient_id,
            plan: serde_json::from_value(r.plan.0)
                .map_err(|e| StoreError::Database(format!("reminder_plans.plan: {e}")))?,
            updated_at: r.updated_at,
        })
    }
}

#[derive(FromRow)]
struct JobRow {
    id: Uuid,
    clinic_id: Uuid,
    patient_id: Uuid,
    due_at: OffsetDateTime,
    status: String,
    next_attempt_at: OffsetDateTime,
    claimed_by: Option<String>,
    claimed_at: Option<OffsetDateTime>,
    attempts: i32,
    last_error: Option<String>,
    finished_at: Option<OffsetDateTime>,
}

impl TryFrom<JobRow> for ReminderJob {
    type Error = StoreError;
    fn try_from(r: JobRow) -> Result<Self> {
        Ok(ReminderJob {
            id: r.id,
            clinic_id: r.clinic_id,
            patient_id: r.patient_id,
            due_at: r.due_at,
            status: JobStatus::parse(&r.status)?,
            next_attempt_at: r.next_attempt_at,
            claimed_by: r.claimed_by,
            claimed_at: r.claimed_at,
            attempts: r.attempts,
            last_error: r.last_error,
            finished_at: r.finished_at,
        })
    }
}

#[derive(FromRow)]
struct ClaimRow {
    id: Uuid,
    clinic_id: Uuid,
    patient_id: Uuid,
    due_at: OffsetDateTime,
    attempts: i32,
}

const CLAIM_SQLITE: &str = "UPDATE reminder_jobs
    SET status = 'sending', claimed_by = $1, claimed_at = $2, attempts = attempts + 1
    WHERE id IN (SELECT id FROM reminder_jobs
        WHERE (status = 'pending' AND next_attempt_at <= $2)
           OR (status = 'sending' AND claimed_at <= $3)
        ORDER BY due_at LIMIT $4)
    RETURNING id, clinic_id, patient_id, due_at, attempts";

const CLAIM_POSTGRES: &str = "UPDATE reminder_jobs
    SET status = 'sending', claimed_by = $1, claimed_at = $2, attempts = attempts + 1
    WHERE id IN (SELECT id FROM reminder_jobs
        WHERE (status = 'pending' AND next_attempt_at <= $2)
           OR (status = 'sending' AND claimed_at <= $3)
        ORDER BY due_at LIMIT $4
        FOR UPDATE SKIP LOCKED)
    RETURNING id, clinic_id, patient_id, due_at, attempts";

impl Db {
    /// A patient's reminder plan, if they ever set one.
    pub async fn reminder_plan(
        &self,
        clinic_id: Uuid,
        patient_id: Uuid,
    ) -> Result<Option<StoredReminderPlan>> {
        let row: Option<PlanRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT clinic_id, patient_id, plan, updated_at FROM reminder_plans
             WHERE patient_id = $1 AND clinic_id = $2"
        )
        .bind(patient_id)
        .bind(clinic_id)
        .fetch_optional(p)
        .await?);
        row.map(TryInto::try_into).transpose()
    }

    /// Plans that are on, of active patients, with no reminder pending or being sent, and the
    /// latest reminder planned for each: what the scheduler plans next.
    pub async fn reminder_plans_to_schedule(&self) -> Result<Vec<PlanToSchedule>> {
        let rows: Vec<PlanRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT r.clinic_id, r.patient_id, r.plan, r.updated_at
             FROM reminder_plans r JOIN users u ON u.id = r.patient_id
             WHERE r.enabled AND u.active
               AND NOT EXISTS (SELECT 1 FROM reminder_jobs j WHERE j.patient_id = r.patient_id
                               AND j.status IN ('pending', 'sending'))
             ORDER BY r.patient_id"
        )
        .fetch_all(p)
        .await?);
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let plan: StoredReminderPlan = row.try_into()?;
            let last: Option<(OffsetDateTime,)> = with_pool!(self, |p| sqlx::query_as(
                "SELECT due_at FROM reminder_jobs WHERE patient_id = $1
                 ORDER BY due_at DESC LIMIT 1"
            )
            .bind(plan.patient_id)
            .fetch_optional(p)
            .await?);
            out.push(PlanToSchedule { plan, last_due: last.map(|(t,)| t) });
        }
        Ok(out)
    }

    /// A patient's reminder jobs, newest first.
    pub async fn reminder_jobs(
        &self,
        clinic_id: Uuid,
        patient_id: Uuid,
    ) -> Result<Vec<ReminderJob>> {
        let rows: Vec<JobRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, clinic_id, patient_id, due_at, status, next_attempt_at, claimed_by,
                    claimed_at, attempts, last_error, finished_at
             FROM reminder_jobs WHERE patient_id = $1 AND clinic_id = $2
             ORDER BY due_at DESC"
        )
        .bind(patient_id)
        .bind(clinic_id)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(TryInto::try_into).collect()
    }
}

impl Tx {
    /// Sets a patient's plan (checked by the caller) and drops their pending reminders, which
    /// were planned by the plan it replaces; one being sent right now is left to finish.
    pub async fn put_reminder_plan(
        &mut self,
        clinic_id: Uuid,
        patient_id: Uuid,
        plan: &Plan,
        now: OffsetDateTime,
    ) -> Result<StoredReminderPlan> {
        self.patient(clinic_id, patient_id).await?;
        let doc = serde_json::to_value(plan)
            .map(Json)
            .map_err(|e| StoreError::Database(e.to_string()))?;
        let now = whole_seconds(now);
        with_tx!(self, |c| {
            sqlx::query(
                "INSERT INTO reminder_plans (patient_id, clinic_id, plan, enabled, updated_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (patient_id) DO UPDATE SET plan = $3, enabled = $4, updated_at = $5",
            )
            .bind(patient_id)
            .bind(clinic_id)
            .bind(doc)
            .bind(plan.enabled)
            .bind(now)
            .execute(&mut *c)
            .await?;
            sqlx::query("DELETE FROM reminder_jobs WHERE patient_id = $1 AND status = 'pending'")
                .bind(patient_id)
                .execute(&mut *c)
                .await?;
        });
        Ok(StoredReminderPlan { clinic_id, patient_id, plan: plan.clone(), updated_at: now })
    }

    /// Plans one reminder, unless the patient has one pending or being sent already (a plan
    /// has one reminder waiting at a time): then, or if this one is planned already, nothing
    /// changes and the answer is `false`. Checking in the insert itself, rather than trusting
    /// what the caller read, keeps two servers from planning two different next reminders.
    pub async fn plan_reminder(
        &mut self,
        clinic_id: Uuid,
        patient_id: Uuid,
        due_at: OffsetDateTime,
    ) -> Result<bool> {
        let due_at = whole_seconds(due_at);
        let n = with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO reminder_jobs (id, clinic_id, patient_id, due_at, status,
                next_attempt_at, attempts)
             SELECT $1, $2, $3, $4, 'pending', $4, 0
             WHERE NOT EXISTS (SELECT 1 FROM reminder_jobs WHERE patient_id = $3
                               AND status IN ('pending', 'sending'))
             ON CONFLICT (patient_id, due_at) DO NOTHING"
        )
        .bind(Uuid::now_v7())
        .bind(clinic_id)
        .bind(patient_id)
        .bind(due_at)
        .execute(p)
        .await?
        .rows_affected());
        Ok(n == 1)
    }

    /// Claims up to `limit` jobs that are due (or whose last claim is older than `lease`), the
    /// earliest first, for `worker`. Two claimers never get the same job.
    pub async fn claim_reminders(
        &mut self,
        worker: &str,
        now: OffsetDateTime,
        lease: Duration,
        limit: i64,
    ) -> Result<Vec<ClaimedReminder>> {
        let sql = match self.backend() {
            Backend::Sqlite => CLAIM_SQLITE,
            Backend::Postgres => CLAIM_POSTGRES,
        };
        let now = whole_seconds(now);
        let rows: Vec<ClaimRow> = with_pool!(self.db, |p| sqlx::query_as(sql)
            .bind(worker)
            .bind(now)
            .bind(now - lease)
            .bind(limit)
            .fetch_all(p)
            .await?);
        let mut out: Vec<ClaimedReminder> = rows
            .into_iter()
            .map(|r| ClaimedReminder {
                id: r.id,
                clinic_id: r.clinic_id,
                patient_id: r.patient_id,
                due_at: r.due_at,
                attempts: r.attempts,
            })
            .collect();
        out.sort_by_key(|j| (j.due_at, j.id));
        Ok(out)
    }

    /// Ends `worker`'s claim on a job. Returns `false`, changing nothing, when the claim is no
    /// longer `worker`'s latest (its lease ran out and another server took the job over).
    pub async fn finish_reminder(
        &mut self,
        job: &ClaimedReminder,
        worker: &str,
        how: Finish<'_>,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let now = whole_seconds(now);
        let (status, error, retry_at, finished) = match how {
            Finish::Sent => (JobStatus::Sent, None, None, Some(now)),
            Finish::Skipped => (JobStatus::Skipped, None, None, Some(now)),
            Finish::Failed(e) => (JobStatus::Failed, Some(e), None, Some(now)),
            Finish::Retry { error, at } => {
                (JobStatus::Pending, Some(error), Some(whole_seconds(at)), None)
            }
        };
        let n = with_pool!(self.db, |p| sqlx::query(
            "UPDATE reminder_jobs SET status = $1, last_error = COALESCE($2, last_error),
                next_attempt_at = COALESCE($3, next_attempt_at), finished_at = $4
             WHERE id = $5 AND status = 'sending' AND claimed_by = $6 AND attempts = $7"
        )
        .bind(status.as_str())
        .bind(error)
        .bind(retry_at)
        .bind(finished)
        .bind(job.id)
        .bind(worker)
        .bind(job.attempts)
        .execute(p)
        .await?
        .rows_affected());
        Ok(n == 1)
    }
}
