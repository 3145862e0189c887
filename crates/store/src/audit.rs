//! The audit trail's records and the hash chain that makes tampering evident.
//!
//! Each record's hash covers its own fields and the previous record's hash, so changing,
//! deleting, reordering or inserting a record breaks the chain at that point. The newest
//! sequence number and hash are also kept in a one-row head table, which catches a truncated tail.

use serde::Serialize;
use sha2::{Digest, Sha256};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};
use uuid::Uuid;

use crate::model::Role;

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
    /// The request was allowed but failed (bad input, conflict).
    Failed,
}

impl AuditOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditOutcome::Success => "success",
            AuditOutcome::Denied => "denied",
            AuditOutcome::NotFound => "not_found",
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
