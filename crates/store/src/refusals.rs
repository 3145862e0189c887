//! Refused requests counted per kind, source and window, so that refusals anyone can provoke
//! without signing in add a bounded number of rows (docs/sign-in.md). The caller appends one
//! audit record at a window's first refusal; this table holds how many followed.
//!
//! Times are whole seconds ([`whole_seconds`]), so that a window's start compares equal on both
//! backends and, on SQLite, comparing the text compares the moments.

use sqlx::FromRow;
use time::OffsetDateTime;

use crate::{Db, Result, Tx, whole_seconds};

/// The refusals of one kind from one source in one window.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct RefusalCount {
    /// What was refused: `sign_in_failed`, `sign_in_throttled`, `csrf`, ... (the server's
    /// `Refusal` names).
    pub kind: String,
    /// The client's address (an IPv6 client's /64).
    pub source: String,
    /// The start of the window (UTC, whole seconds).
    pub window_start: OffsetDateTime,
    pub refusals: i64,
    /// The newest refusal counted (UTC, whole seconds).
    pub last_at: OffsetDateTime,
}

impl Tx {
    /// Counts one refusal of `kind` from `source` in the window starting at `window_start`;
    /// returns the window's count including this one (1: the window's first).
    pub async fn count_refusal(
        &mut self,
        kind: &str,
        source: &str,
        window_start: OffsetDateTime,
        at: OffsetDateTime,
    ) -> Result<i64> {
        let n: i64 = with_pool!(self.db, |p| sqlx::query_scalar(
            "INSERT INTO refusal_counts (kind, source, window_start, refusals, last_at)
             VALUES ($1, $2, $3, 1, $4)
             ON CONFLICT (kind, source, window_start)
             DO UPDATE SET refusals = refusal_counts.refusals + 1, last_at = $4
             RETURNING refusals"
        )
        .bind(kind)
        .bind(source)
        .bind(whole_seconds(window_start))
        .bind(whole_seconds(at))
        .fetch_one(p)
        .await?);
        Ok(n)
    }
}

impl Db {
    /// The counts of every window starting at or after `since`, oldest window first.
    pub async fn refusal_counts(&self, since: OffsetDateTime) -> Result<Vec<RefusalCount>> {
        let rows: Vec<RefusalCount> = with_pool!(self, |p| sqlx::query_as(
            "SELECT kind, source, window_start, refusals, last_at FROM refusal_counts
             WHERE window_start >= $1 ORDER BY window_start, kind, source"
        )
        .bind(whole_seconds(since))
        .fetch_all(p)
        .await?);
        Ok(rows)
    }
}
