//! The audit trail's records and the hash chain that makes tampering evident.
//!
//! Each record's hash covers its own fields and the previous record's hash, so changing,
//! deleting, reordering or inserting a record breaks the chain at that point. The newest
//! sequence number and hash are also kept in a one-row head table, which catches a truncated tail.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::FromRow;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};
use uuid::Uuid;

use crate::{Db, Result, Tx, db_time, model::Role};

/// The `prev_hash` of the first record.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    Success,
    /// Authenticated but not allowed.
    Denied,
    /// Not allowed to know whether it exists, or it does not.
    NotFound,
    /// Refused because the input was not acceptable; nothing was written.
    Invalid,
    /// Allowed and valid, but it could not be done (a conflict with the record's state, or an
    /// error); nothing was written.
    Failed,
}

impl AuditOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditOutcome::Success => "success",
            AuditOutcome::Denied => "denied",
            AuditOutcome::NotFound => "not_found",
            AuditOutcome::Invalid => "invalid",
            AuditOutcome::Failed => "failed",
        }
    }
}

/// What the caller supplies; the store assigns sequence number, id and hashes.
#[derive(Debug, Clone)]
pub struct NewAuditEvent {
    pub at: OffsetDateTime,
    pub clinic_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
    pub actor_role: Option<Role>,
    /// A verb: `read`, `list`, `create`, `update`, `login`, ...
    pub action: String,
    /// What was acted on: `patient`, `care_team`, `user`, ...
    pub resource: String,
    pub patient_id: Option<Uuid>,
    pub outcome: AuditOutcome,
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEvent {
    pub seq: i64,
    pub id: Uuid,
    pub at: OffsetDateTime,
    pub clinic_id: Option<Uuid>,
    pub actor_id: Option<Uuid>,
    pub actor_role: Option<String>,
    pub action: String,
    pub resource: String,
    pub patient_id: Option<Uuid>,
    pub outcome: String,
    pub request_id: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEvent {
    /// The hash this record should carry, given the hash of the record before it.
    pub fn expected_hash(&self, prev_hash: &str) -> String {
        let at = self.at.format(&Rfc3339).unwrap_or_default();
        let fields = serde_json::json!([
            self.seq,
            self.id,
            at,
            self.clinic_id,
            self.actor_id,
            self.actor_role,
            self.action,
            self.resource,
            self.patient_id,
            self.outcome,
            self.request_id,
        ]);
        let mut hasher = Sha256::new();
        hasher.update(prev_hash.as_bytes());
        hasher.update(b"\n");
        hasher.update(fields.to_string().as_bytes());
        hex::encode(hasher.finalize())
    }
}

/// The newest record of the chain: its sequence number (the number of records) and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditHead {
    pub seq: i64,
    pub hash: String,
}

/// The result of walking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditVerification {
    /// Records read.
    pub records: u64,
    /// The first record at which the chain does not hold, if any.
    pub first_break: Option<AuditBreak>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditBreak {
    /// Sequence number of the offending record (or where a missing one was expected).
    pub seq: i64,
    pub id: Option<Uuid>,
    pub problem: String,
}

/// Walks records in stored order and returns the first break; `state` carries across pages.
#[derive(Debug)]
pub(crate) struct ChainWalker {
    pub(crate) records: u64,
    pub(crate) last_seq: i64,
    pub(crate) last_hash: String,
}

impl ChainWalker {
    pub(crate) fn new() -> Self {
        ChainWalker { records: 0, last_seq: 0, last_hash: GENESIS_HASH.to_owned() }
    }

    pub(crate) fn check(&mut self, e: &AuditEvent) -> Option<AuditBreak> {
        self.records += 1;
        let broken = |problem: String| Some(AuditBreak { seq: e.seq, id: Some(e.id), problem });
        if e.seq != self.last_seq + 1 {
            return broken(format!(
                "expected record {} after record {}, found record {}",
                self.last_seq + 1,
                self.last_seq,
                e.seq
            ));
        }
        if e.prev_hash != self.last_hash {
            return broken("its previous-hash does not match the record before it".to_owned());
        }
        if e.expected_hash(&e.prev_hash) != e.hash {
            return broken("its contents do not match its hash".to_owned());
        }
        self.last_seq = e.seq;
        self.last_hash.clone_from(&e.hash);
        None
    }

    /// Compares the end of the walk with the stored head.
    pub(crate) fn finish(&self, head_seq: i64, head_hash: &str) -> Option<AuditBreak> {
        if head_seq != self.last_seq || head_hash != self.last_hash {
            return Some(AuditBreak {
                seq: self.last_seq + 1,
                id: None,
                problem: format!(
                    "the chain ends at record {} but the head says {} records were written",
                    self.last_seq, head_seq
                ),
            });
        }
        None
    }
}

impl Db {
    /// The newest audit records of a clinic (or of one of its patients), newest first.
    pub async fn audit_events(
        &self,
        clinic_id: Uuid,
        patient_id: Option<Uuid>,
        limit: i64,
    ) -> Result<Vec<AuditEvent>> {
        let rows: Vec<AuditRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            audit_columns!(),
            " FROM audit_log
             WHERE clinic_id = $1 AND ($2 IS NULL OR patient_id = $2)
             ORDER BY seq DESC LIMIT $3"
        ))
        .bind(clinic_id)
        .bind(patient_id)
        .bind(limit)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(AuditEvent::from).collect())
    }

    /// Up to `limit` audit records from sequence number `from_seq` on, in chain order.
    pub async fn audit_range(&self, from_seq: i64, limit: i64) -> Result<Vec<AuditEvent>> {
        let rows: Vec<AuditRow> = with_pool!(self, |p| sqlx::query_as(concat!(
            "SELECT ",
            audit_columns!(),
            " FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2"
        ))
        .bind(from_seq)
        .bind(limit)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(AuditEvent::from).collect())
    }

    /// The head of the audit chain: how many records it holds and the newest record's hash.
    /// Written down outside the database (printed, mailed, signed), it lets anyone later show
    /// that no record up to it was changed or removed, even by someone who rewrote the chain.
    pub async fn audit_head(&self) -> Result<AuditHead> {
        let (seq, hash): (i64, String) =
            with_pool!(self, |p| sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
                .fetch_one(p)
                .await?);
        Ok(AuditHead { seq, hash })
    }

    /// Walks the whole audit chain in order, a page at a time, and reports the first break.
    pub async fn verify_audit(&self) -> Result<AuditVerification> {
        const PAGE: i64 = 1000;
        let mut walker = ChainWalker::new();
        let mut from = i64::MIN;
        loop {
            let page = self.audit_range(from, PAGE).await?;
            for e in &page {
                if let Some(b) = walker.check(e) {
                    return Ok(AuditVerification { records: walker.records, first_break: Some(b) });
                }
            }
            match page.last() {
                Some(last) if page.len() as i64 == PAGE => from = last.seq + 1,
                _ => break,
            }
        }
        let (head_seq, head_hash): (i64, String) =
            with_pool!(self, |p| sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1")
                .fetch_one(p)
                .await?);
        Ok(AuditVerification {
            records: walker.records,
            first_break: walker.finish(head_seq, &head_hash),
        })
    }
}

impl Tx {
    /// Appends a record to the audit chain. The head row is locked for the transaction, so
    /// concurrent appends (several server processes on PostgreSQL) queue instead of forking.
    pub async fn append_audit(&mut self, e: &NewAuditEvent) -> Result<AuditEvent> {
        let mut event = AuditEvent {
            seq: 0,
            id: Uuid::now_v7(),
            at: db_time(e.at),
            clinic_id: e.clinic_id,
            actor_id: e.actor_id,
            actor_role: e.actor_role.map(|r| r.as_str().to_owned()),
            action: e.action.clone(),
            resource: e.resource.clone(),
            patient_id: e.patient_id,
            outcome: e.outcome.as_str().to_owned(),
            request_id: e.request_id.clone(),
            prev_hash: String::new(),
            hash: String::new(),
        };
        with_tx!(self, |tx| {
            let (seq, prev): (i64, String) = sqlx::query_as(
                "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
            )
            .fetch_one(&mut *tx)
            .await?;
            event.seq = seq;
            event.hash = event.expected_hash(&prev);
            event.prev_hash = prev;
            sqlx::query(
                "INSERT INTO audit_log (seq, id, at, clinic_id, actor_id, actor_role, action,
                    resource, patient_id, outcome, request_id, prev_hash, hash)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(event.seq)
            .bind(event.id)
            .bind(event.at)
            .bind(event.clinic_id)
            .bind(event.actor_id)
            .bind(&event.actor_role)
            .bind(&event.action)
            .bind(&event.resource)
            .bind(event.patient_id)
            .bind(&event.outcome)
            .bind(&event.request_id)
            .bind(&event.prev_hash)
            .bind(&event.hash)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
                .bind(&event.hash)
                .execute(&mut *tx)
                .await?;
        });
        Ok(event)
    }
}

#[derive(FromRow)]
struct AuditRow {
    seq: i64,
    id: Uuid,
    at: OffsetDateTime,
    clinic_id: Option<Uuid>,
    actor_id: Option<Uuid>,
    actor_role: Option<String>,
    action: String,
    resource: String,
    patient_id: Option<Uuid>,
    outcome: String,
    request_id: Option<String>,
    prev_hash: String,
    hash: String,
}

impl From<AuditRow> for AuditEvent {
    fn from(r: AuditRow) -> Self {
        AuditEvent {
            seq: r.seq,
            id: r.id,
            at: r.at,
            clinic_id: r.clinic_id,
            actor_id: r.actor_id,
            actor_role: r.actor_role,
            action: r.action,
            resource: r.resource,
            patient_id: r.patient_id,
            outcome: r.outcome,
            request_id: r.request_id,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}
