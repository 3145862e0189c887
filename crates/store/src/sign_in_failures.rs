//! Failed sign-ins per typed e-mail address and source, from which the sign-in computes how long
//! the next attempt must wait (docs/sign-in.md). The store treats both keys as opaque text: the
//! caller hashes the address and names the source.
//!
//! Times are whole seconds ([`whole_seconds`]), so that on SQLite, where they are RFC 3339 text,
//! "older than" compares text of one length and therefore moments.

use sqlx::FromRow;
use time::OffsetDateTime;

use crate::{Result, Tx, whole_seconds};

/// The failures counted for one (e-mail key, source).
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromRow)]
pub struct SignInFailures {
    /// Attempts since the last success (or since the count was forgotten); an attempt is
    /// counted when it starts.
    pub failures: i32,
    /// When the newest of them started (UTC, whole seconds).
    pub last_attempt_at: OffsetDateTime,
}

impl Tx {
    /// The count for (`email_key`, `source`), held for the rest of the transaction: on
    /// PostgreSQL the row stays locked until commit, on SQLite the transaction is the only
    /// writer. So two attempts made at once see each other's count. A pair never seen before
    /// reads as no failures at `now`.
    pub async fn lock_sign_in_failures(
        &mut self,
        email_key: &str,
        source: &str,
        now: OffsetDateTime,
    ) -> Result<SignInFailures> {
        // An upsert that changes nothing takes the row lock even when the row is new.
        let row: SignInFailures = with_pool!(self.db, |p| sqlx::query_as(
            "INSERT INTO sign_in_failures (email_key, source, failures, last_attempt_at)
             VALUES ($1, $2, 0, $3)
             ON CONFLICT (email_key, source) DO UPDATE SET failures = sign_in_failures.failures
             RETURNING failures, last_attempt_at"
        )
        .bind(email_key)
        .bind(source)
        .bind(whole_seconds(now))
        .fetch_one(p)
        .await?);
        Ok(row)
    }

    /// Sets the count for (`email_key`, `source`), read first with
    /// [`Tx::lock_sign_in_failures`].
    pub async fn set_sign_in_failures(
        &mut self,
        email_key: &str,
        source: &str,
        failures: SignInFailures,
    ) -> Result<()> {
        with_pool!(self.db, |p| sqlx::query(
            "UPDATE sign_in_failures SET failures = $3, last_attempt_at = $4
             WHERE email_key = $1 AND source = $2"
        )
        .bind(email_key)
        .bind(source)
        .bind(failures.failures)
        .bind(whole_seconds(failures.last_attempt_at))
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Forgets the count for (`email_key`, `source`): the right password was given from there.
    pub async fn clear_sign_in_failures(&mut self, email_key: &str, source: &str) -> Result<()> {
        with_pool!(self.db, |p| sqlx::query(
            "DELETE FROM sign_in_failures WHERE email_key = $1 AND source = $2"
        )
        .bind(email_key)
        .bind(source)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Forgets every count whose newest attempt is older than `before`; returns how many.
    pub async fn forget_sign_in_failures(&mut self, before: OffsetDateTime) -> Result<u64> {
        let n = with_pool!(self.db, |p| sqlx::query(
            "DELETE FROM sign_in_failures WHERE last_attempt_at < $1"
        )
        .bind(whole_seconds(before))
        .execute(p)
        .await?
        .rows_affected());
        Ok(n)
    }
}
