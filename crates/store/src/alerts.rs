//! Alerts for the care team (docs/alerts.md): raised with their urgency and deadline, read as
//! one clinician's inbox or one patient's history, and closed with a note of what was done
//! (by a clinician, or by Physio when a condition no longer holds). Also what the oversight
//! sweep reads of a clinic to judge its conditions, in a fixed number of queries per clinic.
//!
//! Kind and urgency are `physio_clinic::alert`'s types; a stored name that no longer parses is
//! an error. Deadlines are kept as whole seconds, so that on SQLite (RFC 3339 text) comparing
//! the text compares the moments.

use jiff::tz::TimeZone;
use physio_clinic::alert::{AlertKind, NewAlert, Urgency, due_at};
use sqlx::{FromRow, types::Json};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx, db_time};

/// One alert about a patient.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Alert {
    pub id: Uuid,
    pub patient_id: Uuid,
    pub kind: AlertKind,
    pub urgency: Urgency,
    pub message: String,
    pub created_at: OffsetDateTime,
    /// The deadline (`physio_clinic::alert::due_at`), in UTC.
    pub due_at: OffsetDateTime,
    /// The clinician who closed it; `None` on a closed alert means Physio closed it.
    pub closed_by: Option<Uuid>,
    /// Their name, as it is now.
    pub closed_by_name: Option<String>,
    pub closed_at: Option<OffsetDateTime>,
    /// What was done, in the closer's words.
    pub close_note: Option<String>,
}

impl Alert {
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }
}

/// Which alerts a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertState {
    /// Not closed yet.
    #[default]
    Open,
    /// Closed, newest first, at most [`CLOSED_LIMIT`].
    Closed,
    /// Open ones first, then closed ones.
    All,
}

/// The most closed alerts an inbox lists (the latest closed); a patient's history has them all.
pub const CLOSED_LIMIT: i64 = 500;

/// An alert in a clinician's inbox, with the patient it is about.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct InboxAlert {
    pub alert: Alert,
    pub patient_name: String,
    pub patient_email: String,
    /// The patient's phone number, for an alert that says to contact them.
    pub patient_phone: Option<String>,
}

#[derive(FromRow)]
struct AlertRow {
    id: Uuid,
    patient_id: Uuid,
    kind: String,
    urgency: String,
    message: String,
    created_at: OffsetDateTime,
    due_at: OffsetDateTime,
    closed_by: Option<Uuid>,
    closed_by_name: Option<String>,
    closed_at: Option<OffsetDateTime>,
    close_note: Option<String>,
}

#[derive(FromRow)]
struct InboxRow {
    #[sqlx(flatten)]
    alert: AlertRow,
    patient_name: String,
    patient_email: String,
    patient_phone: Option<String>,
}

impl TryFrom<AlertRow> for Alert {
    type Error = StoreError;
    fn try_from(r: AlertRow) -> Result<Self> {
        let bad = |e: physio_clinic::wire::UnknownName| StoreError::Database(e.to_string());
        Ok(Alert {
            id: r.id,
            patient_id: r.patient_id,
            kind: r.kind.parse().map_err(bad)?,
            urgency: r.urgency.parse().map_err(bad)?,
            message: r.message,
            created_at: r.created_at,
            due_at: r.due_at,
            closed_by: r.closed_by,
            closed_by_name: r.closed_by_name,
            closed_at: r.closed_at,
            close_note: r.close_note,
        })
    }
}

macro_rules! alert_columns {
    () => {
        "a.id, a.patient_id, a.kind, a.urgency, a.message, a.created_at, a.due_at, a.closed_by, \
         c.name AS closed_by_name, a.closed_at, a.close_note"
    };
}

/// Open alerts most urgent first, then by deadline; closed ones after, newest closed first.
fn inbox_order(a: &Alert, b: &Alert) -> std::cmp::Ordering {
    match (a.closed_at, b.closed_at) {
        (None, None) => (a.urgency, a.due_at, a.created_at, a.id).cmp(&(
            b.urgency,
            b.due_at,
            b.created_at,
            b.id,
        )),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => (y, b.id).cmp(&(x, a.id)),
    }
}

impl Db {
    /// Alerts for a patient (or the whole clinic), newest first; only open ones unless asked.
    pub async fn alerts(
        &self,
        clinic_id: Uuid,
        patient_id: Option<Uuid>,
        include_closed: bool,
    ) -> Result<Vec<Alert>> {
        let rows: Vec<AlertRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            alert_columns!(),
            " FROM alerts a LEFT JOIN users c ON c.id = a.closed_by
              WHERE a.clinic_id = $1 AND ($2 IS NULL OR a.patient_id = $2)
                AND ($3 OR a.closed_at IS NULL)
              ORDER BY a.created_at DESC, a.id DESC"
        ))
        .bind(clinic_id)
        .bind(patient_id)
        .bind(include_closed)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(Alert::try_from).collect()
    }

    /// One alert of the clinic; another clinic's is not found.
    pub async fn alert(&self, clinic_id: Uuid, id: Uuid) -> Result<Alert> {
        let row: Option<AlertRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            alert_columns!(),
            " FROM alerts a LEFT JOIN users c ON c.id = a.closed_by
              WHERE a.id = $1 AND a.clinic_id = $2"
        ))
        .bind(id)
        .bind(clinic_id)
        .fetch_optional(p)
        .await?);
        row.map(Alert::try_from).transpose()?.ok_or(StoreError::NotFound("alert"))
    }

    /// A clinician's inbox: alerts about the patients whose care team they are on, open ones
    /// most urgent first and then by deadline, closed ones (the latest [`CLOSED_LIMIT`]) newest
    /// first.
    pub async fn inbox(
        &self,
        clinic_id: Uuid,
        clinician_id: Uuid,
        state: AlertState,
    ) -> Result<Vec<InboxAlert>> {
        let mut rows: Vec<InboxRow> = vec![];
        if state != AlertState::Closed {
            rows = with_pool!(self, |p| sqlx::query_as(concat!(
                "SELECT ",
                alert_columns!(),
                ", u.name AS patient_name, u.email AS patient_email, u.phone AS patient_phone
                  FROM care_team t
                  JOIN alerts a ON a.patient_id = t.patient_id AND a.clinic_id = t.clinic_id
                  JOIN users u ON u.id = a.patient_id
                  LEFT JOIN users c ON c.id = a.closed_by
                  WHERE t.clinician_id = $1 AND t.clinic_id = $2 AND a.closed_at IS NULL"
            ))
            .bind(clinician_id)
            .bind(clinic_id)
            .fetch_all(p)
            .await?);
        }
        if state != AlertState::Open {
            let closed: Vec<InboxRow> = with_pool!(self, |p| sqlx::query_as(concat!(
                "SELECT ",
                alert_columns!(),
                ", u.name AS patient_name, u.email AS patient_email, u.phone AS patient_phone
                  FROM care_team t
                  JOIN alerts a ON a.patient_id = t.patient_id AND a.clinic_id = t.clinic_id
                  JOIN users u ON u.id = a.patient_id
                  LEFT JOIN users c ON c.id = a.closed_by
                  WHERE t.clinician_id = $1 AND t.clinic_id = $2 AND a.closed_at IS NOT NULL
                  ORDER BY a.closed_at DESC, a.id DESC
                  LIMIT $3"
            ))
            .bind(clinician_id)
            .bind(clinic_id)
            .bind(CLOSED_LIMIT)
            .fetch_all(p)
            .await?);
            rows.extend(closed);
        }
        let mut list = rows
            .into_iter()
            .map(|r| {
                Ok(InboxAlert {
                    alert: r.alert.try_into()?,
                    patient_name: r.patient_name,
                    patient_email: r.patient_email,
                    patient_phone: r.patient_phone,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        list.sort_by(|a, b| inbox_order(&a.alert, &b.alert));
        Ok(list)
    }

    /// Every guided-session fact the sweep needs of a clinic, in three queries: programme
    /// versions, the last day each patient did an exercise in a guided session, and the
    /// questionnaires answered in open episodes.
    pub async fn oversight_facts(&self, clinic_id: Uuid) -> Result<OversightFacts> {
        let versions: Vec<(Uuid, i32, Json<serde_json::Value>, OffsetDateTime)> =
            with_pool!(self, |p| sqlx::query_as(
                "SELECT patient_id, version, items, created_at FROM programme_versions
                 WHERE clinic_id = $1 ORDER BY patient_id, version"
            )
            .bind(clinic_id)
            .fetch_all(p)
            .await?);
        let mut in_force: Vec<(Uuid, OffsetDateTime)> = vec![];
        let mut current: Option<(Uuid, Option<OffsetDateTime>)> = None;
        for (patient, _, items, at) in versions {
            let stopped = items.0.as_array().is_none_or(Vec::is_empty);
            let since = match current {
                Some((p, since)) if p == patient => since,
                Some((p, Some(since))) => {
                    in_force.push((p, since));
                    None
                }
                _ => None,
            };
            // A programme stopped (no exercises) and started again counts from the restart.
            let since = if stopped { None } else { since.or(Some(at)) };
            current = Some((patient, since));
        }
        if let Some((p, Some(since))) = current {
            in_force.push((p, since));
        }
        let last_active: Vec<(Uuid, Date)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT s.patient_id, max(s.day) FROM day_sessions s
             WHERE s.clinic_id = $1 AND EXISTS (
                 SELECT 1 FROM day_session_exercises e
                 WHERE e.session_id = s.id AND e.outcome <> 'skipped')
             GROUP BY s.patient_id"
        )
        .bind(clinic_id)
        .fetch_all(p)
        .await?);
        let answered: Vec<(Uuid, String, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT r.episode_id, r.instrument, r.timepoint FROM questionnaire_responses r
             JOIN episodes e ON e.id = r.episode_id
             WHERE r.clinic_id = $1 AND e.status <> 'discharged'"
        )
        .bind(clinic_id)
        .fetch_all(p)
        .await?);
        Ok(OversightFacts { in_force, last_active, answered })
    }

    /// The intakes of a clinic's open episodes: (episode, answers, sent at).
    pub async fn open_intakes(
        &self,
        clinic_id: Uuid,
    ) -> Result<Vec<(Uuid, serde_json::Value, Option<OffsetDateTime>)>> {
        let rows: Vec<(Uuid, Json<serde_json::Value>, Option<OffsetDateTime>)> =
            with_pool!(self, |p| sqlx::query_as(
                "SELECT i.episode_id, i.answers, i.submitted_at FROM intakes i
                 JOIN episodes e ON e.id = i.episode_id
                 WHERE i.clinic_id = $1 AND e.status <> 'discharged'"
            )
            .bind(clinic_id)
            .fetch_all(p)
            .await?);
        Ok(rows.into_iter().map(|(e, a, s)| (e, a.0, s)).collect())
    }
}

/// What the oversight sweep reads of a clinic's guided sessions and questionnaires.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OversightFacts {
    /// Patients with a programme in force (its latest version has exercises), and since when
    /// it has been in force without a stop.
    pub in_force: Vec<(Uuid, OffsetDateTime)>,
    /// The last day (in the clinic's time zone) each patient did at least part of an exercise
    /// in a guided session.
    pub last_active: Vec<(Uuid, Date)>,
    /// (episode, instrument, time point) answered in open episodes.
    pub answered: Vec<(Uuid, String, String)>,
}

impl Tx {
    /// Raises alerts about a patient for the care team, each with its deadline in the clinic's
    /// time zone. A condition alert of a kind already open for the patient is refused as a
    /// conflict (`alerts_one_open_condition`).
    pub async fn add_alerts(
        &mut self,
        clinic_id: Uuid,
        patient_id: Uuid,
        alerts: &[NewAlert],
        zone: &TimeZone,
        now: OffsetDateTime,
    ) -> Result<Vec<Uuid>> {
        let now = db_time(now);
        let mut ids = Vec::with_capacity(alerts.len());
        with_tx!(self, |tx| {
            for a in alerts {
                let id = Uuid::now_v7();
                let due = due_at(a.urgency, now, zone);
                let due = due.replace_nanosecond(0).unwrap_or(due);
                sqlx::query(
                    "INSERT INTO alerts (id, clinic_id, patient_id, kind, urgency, message,
                                         created_at, due_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(id)
                .bind(clinic_id)
                .bind(patient_id)
                .bind(a.kind.as_str())
                .bind(a.urgency.as_str())
                .bind(&a.message)
                .bind(now)
                .bind(due)
                .execute(&mut *tx)
                .await?;
                ids.push(id);
            }
        });
        Ok(ids)
    }

    /// Closes an open alert with a note of what was done; `by` is `None` when Physio closes
    /// it. An alert already closed (or another clinic's) is "open alert not found".
    pub async fn close_alert(
        &mut self,
        clinic_id: Uuid,
        id: Uuid,
        by: Option<Uuid>,
        note: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        let n = with_pool!(self.db, |p| sqlx::query(
            "UPDATE alerts SET closed_by = $1, closed_at = $2, close_note = $3
             WHERE id = $4 AND clinic_id = $5 AND closed_at IS NULL"
        )
        .bind(by)
        .bind(db_time(now))
        .bind(note)
        .bind(id)
        .bind(clinic_id)
        .execute(p)
        .await?
        .rows_affected());
        if n == 0 { Err(StoreError::NotFound("open alert")) } else { Ok(()) }
    }
}
