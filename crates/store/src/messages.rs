//! Secure messages: each patient's one thread with their care team, who wrote each message
//! (typed as `physio_clinic::message::Author`), and when the other side first read it and who.
//! Times are kept to the whole second (see the migration), so the text SQLite compares orders
//! as the moments do.

use physio_clinic::message::{Author, MessageText};
use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx, db_time};

/// A message as stored, with the names a thread shows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Message {
    pub id: Uuid,
    pub clinic_id: Uuid,
    /// Whose thread it is in.
    pub patient_id: Uuid,
    pub author_id: Uuid,
    pub author_name: String,
    pub author: Author,
    pub body: String,
    pub created_at: OffsetDateTime,
    /// When the other side first read it: any clinician of the care team for a patient's
    /// message, the patient for a clinician's.
    pub read_at: Option<OffsetDateTime>,
    pub read_by: Option<Uuid>,
    pub read_by_name: Option<String>,
}

/// One patient's thread as a clinician's list of threads shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ThreadSummary {
    pub patient_id: Uuid,
    pub patient_name: String,
    pub messages: i64,
    /// The patient's messages no clinician has read yet.
    pub unread: i64,
    pub last_at: OffsetDateTime,
}

/// The oldest message of a patient's that no clinician has read yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct UnreadSince {
    pub patient_id: Uuid,
    pub since: OffsetDateTime,
}

/// A message's time as stored: the whole second.
pub fn message_time(t: OffsetDateTime) -> OffsetDateTime {
    let t = db_time(t);
    t.replace_nanosecond(0).unwrap_or(t)
}

impl Db {
    /// A patient's thread, oldest first.
    pub async fn message_thread(&self, clinic_id: Uuid, patient_id: Uuid) -> Result<Vec<Message>> {
        let rows: Vec<MessageRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT m.id, m.clinic_id, m.patient_id, m.author_id, a.name AS author_name,
                    m.author_role, m.body, m.created_at, m.read_at, m.read_by,
                    r.name AS read_by_name
             FROM messages m
             JOIN users a ON a.id = m.author_id
             LEFT JOIN users r ON r.id = m.read_by
             WHERE m.clinic_id = $1 AND m.patient_id = $2
             ORDER BY m.created_at, m.id"
        )
        .bind(clinic_id)
        .bind(patient_id)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(Message::try_from).collect()
    }

    /// How many messages in a patient's thread `by` wrote that the other side has not read.
    pub async fn unread_messages(
        &self,
        clinic_id: Uuid,
        patient_id: Uuid,
        by: Author,
    ) -> Result<i64> {
        Ok(with_pool!(self, |p| sqlx::query_scalar(
            "SELECT count(*) FROM messages
             WHERE clinic_id = $1 AND patient_id = $2 AND author_role = $3 AND read_at IS NULL"
        )
        .bind(clinic_id)
        .bind(patient_id)
        .bind(by.as_str())
        .fetch_one(p)
        .await?))
    }

    /// How many threads of a clinician's caseload hold patient messages no clinician has read.
    pub async fn unread_threads(&self, clinic_id: Uuid, clinician_id: Uuid) -> Result<i64> {
        // From the clinician's care-team rows, as `patients` finds a caseload.
        Ok(with_pool!(self, |p| sqlx::query_scalar(
            "SELECT count(DISTINCT m.patient_id) FROM messages m
             WHERE m.patient_id IN (SELECT t.patient_id FROM care_team t WHERE t.clinician_id = $2)
               AND m.clinic_id = $1 AND m.author_role = 'patient' AND m.read_at IS NULL"
        )
        .bind(clinic_id)
        .bind(clinician_id)
        .fetch_one(p)
        .await?))
    }

    /// Every thread of a clinician's caseload that has a message: threads with unread patient
    /// messages first (the longest waiting first), then the rest, latest first.
    pub async fn caseload_threads(
        &self,
        clinic_id: Uuid,
        clinician_id: Uuid,
    ) -> Result<Vec<ThreadSummary>> {
        let rows: Vec<(Uuid, String, i64, i64, OffsetDateTime, Option<OffsetDateTime>)> =
            with_pool!(self, |p| sqlx::query_as(
                "SELECT m.patient_id, u.name, count(*),
                        sum(CASE WHEN m.author_role = 'patient' AND m.read_at IS NULL
                                 THEN 1 ELSE 0 END),
                        max(m.created_at),
                        min(CASE WHEN m.author_role = 'patient' AND m.read_at IS NULL
                                 THEN m.created_at END)
                 FROM messages m JOIN users u ON u.id = m.patient_id
                 WHERE m.patient_id IN
                       (SELECT t.patient_id FROM care_team t WHERE t.clinician_id = $2)
                   AND m.clinic_id = $1
                 GROUP BY m.patient_id, u.name"
            )
            .bind(clinic_id)
            .bind(clinician_id)
            .fetch_all(p)
            .await?);
        let mut rows = rows;
        rows.sort_by(|a, b| match (a.5, b.5) {
            (Some(x), Some(y)) => x.cmp(&y).then(a.0.cmp(&b.0)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => b.4.cmp(&a.4).then(a.0.cmp(&b.0)),
        });
        Ok(rows
            .into_iter()
            .map(|(patient_id, patient_name, messages, unread, last_at, _)| ThreadSummary {
                patient_id,
                patient_name,
                messages,
                unread,
                last_at,
            })
            .collect())
    }

    /// For each patient of a clinic with a message no clinician has read yet, when the oldest
    /// such message was written; the longest waiting first. (For the alerts inbox: a patient
    /// message unread for more than a working day.)
    pub async fn unread_patient_messages(&self, clinic_id: Uuid) -> Result<Vec<UnreadSince>> {
        let rows: Vec<(Uuid, OffsetDateTime)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT patient_id, min(created_at) FROM messages
             WHERE clinic_id = $1 AND author_role = 'patient' AND read_at IS NULL
             GROUP BY patient_id"
        )
        .bind(clinic_id)
        .fetch_all(p)
        .await?);
        let mut out: Vec<UnreadSince> =
            rows.into_iter().map(|(patient_id, since)| UnreadSince { patient_id, since }).collect();
        out.sort_by_key(|u| (u.since, u.patient_id));
        Ok(out)
    }
}

impl Tx {
    /// Adds a message to a patient's thread, written now by `author_id` on `author`'s side.
    /// Whether they may write it is the caller's decision; the patient must be of `clinic_id`.
    pub async fn add_message(
        &mut self,
        clinic_id: Uuid,
        patient_id: Uuid,
        author_id: Uuid,
        author: Author,
        text: &MessageText,
        now: OffsetDateTime,
    ) -> Result<Message> {
        self.patient(clinic_id, patient_id).await?;
        let id = Uuid::now_v7();
        with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO messages (id, clinic_id, patient_id, author_id, author_role, body,
                created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(id)
        .bind(clinic_id)
        .bind(patient_id)
        .bind(author_id)
        .bind(author.as_str())
        .bind(text.as_str())
        .bind(message_time(now))
        .execute(p)
        .await?
        .rows_affected());
        self.message_thread(clinic_id, patient_id)
            .await?
            .into_iter()
            .find(|m| m.id == id)
            .ok_or(StoreError::NotFound("message"))
    }

    /// Marks read, by `reader`, every message of a patient's thread that `by` wrote and the
    /// other side has not read yet. Returns how many were marked; a message read before keeps
    /// its first reading.
    pub async fn mark_messages_read(
        &mut self,
        clinic_id: Uuid,
        patient_id: Uuid,
        by: Author,
        reader: Uuid,
        now: OffsetDateTime,
    ) -> Result<u64> {
        Ok(with_pool!(self.db, |p| sqlx::query(
            "UPDATE messages SET read_at = $1, read_by = $2
             WHERE clinic_id = $3 AND patient_id = $4 AND author_role = $5 AND read_at IS NULL"
        )
        .bind(message_time(now))
        .bind(reader)
        .bind(clinic_id)
        .bind(patient_id)
        .bind(by.as_str())
        .execute(p)
        .await?
        .rows_affected()))
    }
}

#[derive(FromRow)]
struct MessageRow {
    id: Uuid,
    clinic_id: Uuid,
    patient_id: Uuid,
    author_id: Uuid,
    author_name: String,
    author_role: String,
    body: String,
    created_at: OffsetDateTime,
    read_at: Option<OffsetDateTime>,
    read_by: Option<Uuid>,
    read_by_name: Option<String>,
}

impl TryFrom<MessageRow> for Message {
    type Error = StoreError;

    fn try_from(r: MessageRow) -> Result<Self> {
        let author = Author::parse(&r.author_role).ok_or_else(|| {
            StoreError::Database(format!("messages.author_role: unknown {:?}", r.author_role))
        })?;
        Ok(Message {
            id: r.id,
            clinic_id: r.clinic_id,
            patient_id: r.patient_id,
            author_id: r.author_id,
            author_name: r.author_name,
            author,
            body: r.body,
            created_at: r.created_at,
            read_at: r.read_at,
            read_by: r.read_by,
            read_by_name: r.read_by_name,
        })
    }
}
