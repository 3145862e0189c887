//! The caseload's bulk reads: for every patient on a clinician's care teams at once (or for
//! one patient), each read is one query, so a caseload of any size costs the same number of
//! round trips. Values come back typed in `physio-clinic`'s vocabulary; an unknown stored
//! value is an error.

use physio_clinic::caseload::{AlertKind, PainSource};
use physio_clinic::day::Outcome;
use physio_clinic::questionnaire::InstrumentId;
use physio_clinic::triage::Tier;
use sqlx::FromRow;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::day_sessions::{ExerciseRow, LoggedExercise, SessionRow};
use crate::episodes::{EpisodeRow, parse_tier};
use crate::programmes::VersionRow;
use crate::{
    DaySession, Db, Episode, EpisodeStatus, ProgrammeVersion, Result, StoreError, db_time,
};

/// Whose records a caseload read covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseloadScope {
    /// Every patient on this clinician's care teams.
    CareTeam(Uuid),
    /// One patient.
    Patient(Uuid),
}

// The patient filter of each scope, spliced into the queries below (`$2` is the clinician or
// the patient). A caseload is found from the clinician's care-team rows (an index).
macro_rules! team {
    () => {
        "IN (SELECT t.patient_id FROM care_team t WHERE t.clinician_id = $2)"
    };
}
macro_rules! one {
    () => {
        "= $2"
    };
}

/// The query text for `scope` (both are `&'static str`) and the id bound to `$2`.
macro_rules! scoped {
    ($scope:expr, $sql:ident) => {
        match $scope {
            CaseloadScope::CareTeam(id) => ($sql!(team!()), id),
            CaseloadScope::Patient(id) => ($sql!(one!()), id),
        }
    };
}

/// An open (unacknowledged) alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenAlert {
    pub patient_id: Uuid,
    pub kind: AlertKind,
    pub created_at: OffsetDateTime,
}

/// A triage decision of an episode waiting for a clinician's review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingReview {
    pub patient_id: Uuid,
    /// The tier the rules proposed.
    pub tier: Tier,
    pub decided_at: OffsetDateTime,
}

/// A pain reading: a session's pain check or an NPRS score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PainRecord {
    pub patient_id: Uuid,
    pub at: OffsetDateTime,
    /// 0–10.
    pub pain: u8,
    pub source: PainSource,
}

/// The latest day a patient's session recorded an exercise with this outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastOutcome {
    pub patient_id: Uuid,
    pub outcome: Outcome,
    pub day: Date,
}

#[derive(FromRow)]
struct AlertKindRow {
    patient_id: Uuid,
    kind: String,
    created_at: OffsetDateTime,
}

#[derive(FromRow)]
struct ReviewRow {
    patient_id: Uuid,
    tier: String,
    decided_at: OffsetDateTime,
}

#[derive(FromRow)]
struct PainRow {
    patient_id: Uuid,
    at: OffsetDateTime,
    pain: f64,
    source: String,
}

#[derive(FromRow)]
struct OutcomeRow {
    patient_id: Uuid,
    outcome: String,
    skip_reason: Option<String>,
    day: Date,
}

fn bad(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Database(format!("{what}: {e}"))
}

impl TryFrom<PainRow> for PainRecord {
    type Error = StoreError;
    fn try_from(r: PainRow) -> Result<PainRecord> {
        let source = match r.source.as_str() {
            "session" => PainSource::SessionCheck,
            "nprs" => PainSource::Nprs,
            other => return Err(bad("pain source", format!("{other:?}"))),
        };
        let pain = r.pain.round();
        if !(0.0..=10.0).contains(&pain) {
            return Err(bad("pain reading", format!("{} is not 0 to 10", r.pain)));
        }
        Ok(PainRecord { patient_id: r.patient_id, at: r.at, pain: pain as u8, source })
    }
}

// One `$sql!(filter)` per read: the query with the scope's patient filter spliced in.
macro_rules! alerts_sql {
    ($f:expr) => {
        concat!(
            "SELECT patient_id, kind, created_at FROM alerts
             WHERE clinic_id = $1 AND closed_at IS NULL AND patient_id ",
            $f,
            " ORDER BY created_at DESC, id DESC"
        )
    };
}
macro_rules! reviews_sql {
    ($f:expr) => {
        concat!(
            "SELECT t.patient_id, t.tier, t.decided_at
             FROM triage_decisions t JOIN episodes e ON e.id = t.episode_id
             WHERE e.clinic_id = $1 AND e.status = $3 AND e.patient_id ",
            $f,
            " ORDER BY t.decided_at DESC, t.id DESC"
        )
    };
}
macro_rules! episodes_sql {
    ($f:expr) => {
        concat!(
            "SELECT id, clinic_id, patient_id, status, opened_at, discharged_at, discharge_reason,
                pathway, surgery_date, lifting_limit_kg, phase_override, phase_override_reason,
                phase_override_by, phase_override_at, milestones
             FROM episodes WHERE clinic_id = $1 AND status <> $3 AND patient_id ",
            $f
        )
    };
}
// Pain readings since `$3`: session pain checks and NPRS scores (`$4`), one list.
macro_rules! pain_sql {
    ($f:expr) => {
        concat!(
            "SELECT patient_id, started_at AS at, CAST(pain_before AS DOUBLE PRECISION) AS pain,
                'session' AS source
             FROM day_sessions WHERE clinic_id = $1 AND started_at >= $3 AND patient_id ",
            $f,
            " UNION ALL
             SELECT patient_id, submitted_at AS at, score AS pain, 'nprs' AS source
             FROM questionnaire_responses
             WHERE clinic_id = $1 AND instrument = $4 AND submitted_at >= $3 AND patient_id ",
            $f
        )
    };
}
// Each patient's latest session pain check and latest NPRS score (`$3`), however old.
macro_rules! last_pain_sql {
    ($f:expr) => {
        concat!(
            "SELECT s.patient_id, s.started_at AS at, CAST(s.pain_before AS DOUBLE PRECISION) AS pain,
                'session' AS source
             FROM day_sessions s
             JOIN (SELECT patient_id, max(started_at) AS latest FROM day_sessions
                   WHERE clinic_id = $1 AND patient_id ",
            $f,
            " GROUP BY patient_id) l ON l.patient_id = s.patient_id AND s.started_at = l.latest
             UNION ALL
             SELECT r.patient_id, r.submitted_at AS at, r.score AS pain, 'nprs' AS source
             FROM questionnaire_responses r
             JOIN (SELECT patient_id, max(submitted_at) AS latest FROM questionnaire_responses
                   WHERE clinic_id = $1 AND instrument = $3 AND patient_id ",
            $f,
            " GROUP BY patient_id) n
               ON n.patient_id = r.patient_id AND r.instrument = $3 AND r.submitted_at = n.latest"
        )
    };
}
macro_rules! sessions_sql {
    ($f:expr) => {
        concat!(
            "SELECT id, patient_id, day, number, programme_version, due, pain_before, usual_pain,
                stopped, started_at, updated_at, ended_at, pain_after, fatigue, stopped_early,
                closing_note, next_morning_pain, next_morning_at
             FROM day_sessions WHERE clinic_id = $1 AND day >= $3 AND patient_id ",
            $f,
            " ORDER BY day DESC, number DESC"
        )
    };
}
macro_rules! session_exercises_sql {
    ($f:expr) => {
        concat!(
            "SELECT e.session_id, e.exercise, e.outcome, e.skip_reason, e.sets_done, e.reps_done,
                e.hold_s_done, e.minutes_done, e.pain_during, e.effort, e.camera_session,
                e.recorded_at
             FROM day_session_exercises e JOIN day_sessions s ON s.id = e.session_id
             WHERE s.clinic_id = $1 AND s.day >= $3 AND s.patient_id ",
            $f
        )
    };
}
macro_rules! outcomes_sql {
    ($f:expr) => {
        concat!(
            "SELECT s.patient_id, e.outcome, e.skip_reason, max(s.day) AS day
             FROM day_sessions s JOIN day_session_exercises e ON e.session_id = s.id
             WHERE s.clinic_id = $1 AND s.patient_id ",
            $f,
            " GROUP BY s.patient_id, e.outcome, e.skip_reason"
        )
    };
}
macro_rules! programmes_sql {
    ($f:expr) => {
        concat!(
            "SELECT patient_id, version, items, changes, reason, template_id, created_by, created_at
             FROM programme_versions WHERE clinic_id = $1 AND patient_id ",
            $f,
            " ORDER BY patient_id, version"
        )
    };
}

impl Db {
    /// Open alerts, newest first.
    pub async fn caseload_alerts(
        &self,
        clinic_id: Uuid,
        scope: CaseloadScope,
    ) -> Result<Vec<OpenAlert>> {
        let (sql, who) = scoped!(scope, alerts_sql);
        let rows: Vec<AlertKindRow> = with_pool!(self, |p| sqlx::query_as(sql)
            .bind(clinic_id)
            .bind(who)
            .fetch_all(p)
            .await?);
        rows.into_iter()
            .map(|r| {
                Ok(OpenAlert {
                    patient_id: r.patient_id,
                    kind: r.kind.parse::<AlertKind>().map_err(|e| bad("alerts.kind", e))?,
                    created_at: r.created_at,
                })
            })
            .collect()
    }

    /// The triage decisions of episodes waiting for review, newest first: a patient's first is
    /// the one waiting.
    pub async fn caseload_reviews(
        &self,
        clinic_id: Uuid,
        scope: CaseloadScope,
    ) -> Result<Vec<WaitingReview>> {
        let (sql, who) = scoped!(scope, reviews_sql);
        let rows: Vec<ReviewRow> = with_pool!(self, |p| sqlx::query_as(sql)
            .bind(clinic_id)
            .bind(who)
            .bind(EpisodeStatus::AwaitingReview.as_str())
            .fetch_all(p)
            .await?);
        rows.into_iter()
            .map(|r| {
                Ok(WaitingReview {
                    patient_id: r.patient_id,
                    tier: parse_tier(&r.tier)?,
                    decided_at: r.decided_at,
                })
            })
            .collect()
    }

    /// Open (not discharged) episodes: at most one per patient.
    pub async fn caseload_episodes(
        &self,
        clinic_id: Uuid,
        scope: CaseloadScope,
    ) -> Result<Vec<Episode>> {
        let (sql, who) = scoped!(scope, episodes_sql);
        let rows: Vec<EpisodeRow> = with_pool!(self, |p| sqlx::query_as(sql)
            .bind(clinic_id)
            .bind(who)
            .bind(EpisodeStatus::Discharged.as_str())
            .fetch_all(p)
            .await?);
        rows.into_iter().map(Episode::try_from).collect()
    }

    /// Pain readings from `since` on (session pain checks and NPRS scores), in no set order.
    pub async fn caseload_pain(
        &self,
        clinic_id: Uuid,
        scope: CaseloadScope,
        since: OffsetDateTime,
    ) -> Result<Vec<PainRecord>> {
        let (sql, who) = scoped!(scope, pain_sql);
        let rows: Vec<PainRow> = with_pool!(self, |p| sqlx::query_as(sql)
            .bind(clinic_id)
            .bind(who)
            .bind(db_time(since))
            .bind(InstrumentId::Nprs.as_str())
            .fetch_all(p)
            .await?);
        rows.into_iter().map(PainRecord::try_from).collect()
    }

    /// Each patient's latest session pain check and latest NPRS score, however old (up to two
    /// readings a patient).
    pub async fn caseload_last_pain(
        &self,
        clinic_id: Uuid,
        scope: CaseloadScope,
    ) -> Result<Vec<PainRecord>> {
        let (sql, who) = scoped!(scope, last_pain_sql);
        let rows: Vec<PainRow> = with_pool!(self, |p| sqlx::query_as(sql)
            .bind(clinic_id)
            .bind(who)
            .bind(InstrumentId::Nprs.as_str())
            .fetch_all(p)
            .await?);
        rows.into_iter().map(PainRecord::try_from).collect()
    }

    /// Guided sessions from `since` on, newest first, with what was recorded in each.
    pub async fn caseload_day_sessions(
        &self,
        clinic_id: Uuid,
        scope: CaseloadScope,
        since: Date,
    ) -> Result<Vec<DaySession>> {
        let (sql, who) = scoped!(scope, sessions_sql);
        let rows: Vec<SessionRow> = with_pool!(self, |p| sqlx::query_as(sql)
            .bind(clinic_id)
            .bind(who)
            .bind(since)
            .fetch_all(p)
            .await?);
        let (sql, who) = scoped!(scope, session_exercises_sql);
        let logged: Vec<ExerciseRow> = with_pool!(self, |p| sqlx::query_as(sql)
            .bind(clinic_id)
            .bind(who)
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

    /// For each patient and each exercise outcome (skips by reason), the latest day a session
    /// recorded it; the last session done is the latest day of an outcome that counts.
    pub async fn caseload_last_outcomes(
        &self,
        clinic_id: Uuid,
        scope: CaseloadScope,
    ) -> Result<Vec<LastOutcome>> {
        let (sql, who) = scoped!(scope, outcomes_sql);
        let rows: Vec<OutcomeRow> = with_pool!(self, |p| sqlx::query_as(sql)
            .bind(clinic_id)
            .bind(who)
            .fetch_all(p)
            .await?);
        rows.into_iter()
            .map(|r| {
                let outcome = Outcome::parse(&r.outcome, r.skip_reason.as_deref())
                    .map_err(|e| bad("day_session_exercises.outcome", e))?;
                Ok(LastOutcome { patient_id: r.patient_id, outcome, day: r.day })
            })
            .collect()
    }

    /// Every version of every programme, by patient, oldest first.
    pub async fn caseload_programmes(
        &self,
        clinic_id: Uuid,
        scope: CaseloadScope,
    ) -> Result<Vec<ProgrammeVersion>> {
        let (sql, who) = scoped!(scope, programmes_sql);
        let rows: Vec<VersionRow> = with_pool!(self, |p| sqlx::query_as(sql)
            .bind(clinic_id)
            .bind(who)
            .fetch_all(p)
            .await?);
        rows.into_iter().map(TryInto::try_into).collect()
    }
}
