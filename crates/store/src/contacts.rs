//! The contact log: each message, call or visit between a patient and their care team, read back
//! typed (the kind is `physio_clinic::contact::ContactKind`), a patient's log newest first, the
//! number of contacts of every patient of a clinic since a moment (one query for a whole
//! caseload), and the patient's phone number on their record.
//!
//! Times are whole seconds ([`whole_seconds`]), so that on SQLite, where they are RFC 3339 text,
//! "since Monday" compares text of one length and therefore moments.

use std::collections::HashMap;

use physio_clinic::contact::ContactKind;
use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx, whole_seconds};

/// A contact as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub id: Uuid,
    pub clinic_id: Uuid,
    pub patient_id: Uuid,
    pub kind: ContactKind,
    /// When it happened (UTC, whole seconds).
    pub occurred_at: OffsetDateTime,
    /// How long a call or a visit took; `None` for a message.
    pub duration_minutes: Option<u16>,
    pub note: Option<String>,
    /// Who logged it, and their name as it is now.
    pub logged_by: Uuid,
    pub logged_by_name: String,
    /// When it was logged (UTC, whole seconds).
    pub logged_at: OffsetDateTime,
}

/// A contact to add, checked by the caller (`physio_clinic::contact::check`); a clinician's
/// message can be added the same way, as a `Message` with no duration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContact {
    pub clinic_id: Uuid,
    pub patient_id: Uuid,
    pub kind: ContactKind,
    pub occurred_at: OffsetDateTime,
    /// `Some` exactly for a call or a visit (the table refuses anything else).
    pub duration_minutes: Option<u16>,
    pub note: Option<String>,
    pub logged_by: Uuid,
}

#[derive(FromRow)]
struct ContactRow {
    id: Uuid,
    clinic_id: Uuid,
    patient_id: Uuid,
    kind: String,
    occurred_at: OffsetDateTime,
    duration_minutes: Option<i32>,
    note: Option<String>,
    logged_by: Uuid,
    logged_by_name: String,
    logged_at: OffsetDateTime,
}

impl TryFrom<ContactRow> for Contact {
    type Error = StoreError;
    fn try_from(r: ContactRow) -> Result<Contact> {
        let kind = r
            .kind
            .parse::<ContactKind>()
            .map_err(|e| StoreError::Database(format!("contacts.kind: {e}")))?;
        let duration_minutes = r
            .duration_minutes
            .map(u16::try_from)
            .transpose()
            .map_err(|e| StoreError::Database(format!("contacts.duration_minutes: {e}")))?;
        Ok(Contact {
            id: r.id,
            clinic_id: r.clinic_id,
            patient_id: r.patient_id,
            kind,
            occurred_at: r.occurred_at,
            duration_minutes,
            note: r.note,
            logged_by: r.logged_by,
            logged_by_name: r.logged_by_name,
            logged_at: r.logged_at,
        })
    }
}

impl Db {
    /// A patient's contacts, newest first (by when they happened; the same moment, the one
    /// logged last first).
    pub async fn contacts(&self, clinic_id: Uuid, patient_id: Uuid) -> Result<Vec<Contact>> {
        let rows: Vec<ContactRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT c.id, c.clinic_id, c.patient_id, c.kind, c.occurred_at, c.duration_minutes,
                    c.note, c.logged_by, u.name AS logged_by_name, c.logged_at
             FROM contacts c JOIN users u ON u.id = c.logged_by
             WHERE c.clinic_id = $1 AND c.patient_id = $2
             ORDER BY c.occurred_at DESC, c.id DESC"
        )
        .bind(clinic_id)
        .bind(patient_id)
        .fetch_all(p)
        .await?);
        rows.into_iter().map(Contact::try_from).collect()
    }

    /// How many contacts each patient of a clinic has had from `since` on, in one query for the
    /// whole clinic (a caseload reads this once, not once per patient). Patients with none are
    /// absent.
    pub async fn contact_counts_since(
        &self,
        clinic_id: Uuid,
        since: OffsetDateTime,
    ) -> Result<HashMap<Uuid, u32>> {
        let rows: Vec<(Uuid, i64)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT patient_id, count(*) FROM contacts
             WHERE clinic_id = $1 AND occurred_at >= $2
             GROUP BY patient_id"
        )
        .bind(clinic_id)
        .bind(whole_seconds(since))
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(patient, n)| (patient, u32::try_from(n).unwrap_or(u32::MAX)))
            .collect())
    }
}

impl Tx {
    /// Adds a contact to a patient's log; `now` is when it was logged. A patient of another
    /// clinic is not found.
    pub async fn add_contact(&mut self, new: &NewContact, now: OffsetDateTime) -> Result<Contact> {
        self.patient(new.clinic_id, new.patient_id).await?;
        let by = self.user(new.logged_by).await?;
        if by.clinic_id != new.clinic_id {
            return Err(StoreError::NotFound("user"));
        }
        let contact = Contact {
            id: Uuid::now_v7(),
            clinic_id: new.clinic_id,
            patient_id: new.patient_id,
            kind: new.kind,
            occurred_at: whole_seconds(new.occurred_at),
            duration_minutes: new.duration_minutes,
            note: new.note.clone(),
            logged_by: by.id,
            logged_by_name: by.name,
            logged_at: whole_seconds(now),
        };
        with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO contacts (id, clinic_id, patient_id, kind, occurred_at, duration_minutes,
                note, logged_by, logged_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        )
        .bind(contact.id)
        .bind(contact.clinic_id)
        .bind(contact.patient_id)
        .bind(contact.kind.as_str())
        .bind(contact.occurred_at)
        .bind(contact.duration_minutes.map(i32::from))
        .bind(&contact.note)
        .bind(contact.logged_by)
        .bind(contact.logged_at)
        .execute(p)
        .await?
        .rows_affected());
        Ok(contact)
    }

    /// Sets a patient's phone number (checked by the caller), or clears it with `None`.
    pub async fn set_phone(
        &mut self,
        clinic_id: Uuid,
        patient_id: Uuid,
        phone: Option<&str>,
    ) -> Result<()> {
        self.patient(clinic_id, patient_id).await?;
        with_pool!(self.db, |p| sqlx::query("UPDATE users SET phone = $1 WHERE id = $2")
            .bind(phone)
            .bind(patient_id)
            .execute(p)
            .await?
            .rows_affected());
        Ok(())
    }
}
