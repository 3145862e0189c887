//! Two-step sign-in: authenticator-app (TOTP) factors, recovery codes, passkeys, pending
//! sign-ins and the server's half of passkey ceremonies.

use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Db, Result, StoreError, Tx, db_time};

/// A user's authenticator app: the shared secret (base32) and the last time step accepted.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct TotpFactor {
    pub secret: String,
    pub created_at: OffsetDateTime,
    /// `None` while the enrolment waits for its first code.
    pub confirmed_at: Option<OffsetDateTime>,
    pub last_step: Option<i64>,
}

/// What a pending sign-in is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingPurpose {
    /// The second step of a user who has one.
    Verify,
    /// Setting up a second step the clinic requires, before any session.
    Enrol,
}

impl PendingPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            PendingPurpose::Verify => "verify",
            PendingPurpose::Enrol => "enrol",
        }
    }
}

/// A password checked, the second step still to come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSignIn {
    pub id: Uuid,
    pub user_id: Uuid,
    pub purpose: PendingPurpose,
    pub failures: i64,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
}

/// A registered passkey; `credential` is what the WebAuthn library keeps of it, as JSON.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PasskeyRecord {
    pub id: Uuid,
    pub user_id: Uuid,
    pub credential_id: String,
    pub name: String,
    pub credential: String,
    pub created_at: OffsetDateTime,
    pub last_used_at: Option<OffsetDateTime>,
}

/// Which second steps a user has set up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SecondFactors {
    pub totp: bool,
    pub passkeys: i64,
    pub recovery_codes_left: i64,
}

impl SecondFactors {
    pub fn any(&self) -> bool {
        self.totp || self.passkeys > 0
    }
}

#[derive(FromRow)]
struct PendingRow {
    id: Uuid,
    user_id: Uuid,
    purpose: String,
    failures: i64,
    expires_at: OffsetDateTime,
    used_at: Option<OffsetDateTime>,
}

impl TryFrom<PendingRow> for PendingSignIn {
    type Error = StoreError;
    fn try_from(r: PendingRow) -> Result<Self> {
        let purpose = match r.purpose.as_str() {
            "verify" => PendingPurpose::Verify,
            "enrol" => PendingPurpose::Enrol,
            other => return Err(StoreError::Database(format!("unknown purpose {other}"))),
        };
        Ok(PendingSignIn {
            id: r.id,
            user_id: r.user_id,
            purpose,
            failures: r.failures,
            expires_at: r.expires_at,
            used_at: r.used_at,
        })
    }
}

impl Db {
    /// Whether the clinic's clinicians and admins must use a second step.
    pub async fn clinic_staff_two_step(&self, clinic_id: Uuid) -> Result<bool> {
        let row: Option<(bool,)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT staff_two_step FROM clinics WHERE id = $1"
        )
        .bind(clinic_id)
        .fetch_optional(p)
        .await?);
        row.map(|(b,)| b).ok_or(StoreError::NotFound("clinic"))
    }

    pub async fn second_factors(&self, user_id: Uuid) -> Result<SecondFactors> {
        let (totp, passkeys, recovery_codes_left): (i64, i64, i64) =
            with_pool!(self, |p| sqlx::query_as(
                "SELECT
                   (SELECT count(*) FROM totp_factors
                     WHERE user_id = $1 AND confirmed_at IS NOT NULL),
                   (SELECT count(*) FROM passkeys WHERE user_id = $1),
                   (SELECT count(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL)"
            )
            .bind(user_id)
            .fetch_one(p)
            .await?);
        Ok(SecondFactors { totp: totp > 0, passkeys, recovery_codes_left })
    }

    pub async fn totp_factor(&self, user_id: Uuid) -> Result<Option<TotpFactor>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT secret, created_at, confirmed_at, last_step FROM totp_factors
             WHERE user_id = $1"
        )
        .bind(user_id)
        .fetch_optional(p)
        .await?))
    }

    pub async fn pending_sign_in_by_hash(&self, token_hash: &str) -> Result<Option<PendingSignIn>> {
        let row: Option<PendingRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, user_id, purpose, failures, expires_at, used_at FROM pending_sign_ins
             WHERE token_hash = $1"
        )
        .bind(token_hash)
        .fetch_optional(p)
        .await?);
        row.map(PendingSignIn::try_from).transpose()
    }

    pub async fn passkeys(&self, user_id: Uuid) -> Result<Vec<PasskeyRecord>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT id, user_id, credential_id, name, credential, created_at, last_used_at
             FROM passkeys WHERE user_id = $1 ORDER BY created_at, id"
        )
        .bind(user_id)
        .fetch_all(p)
        .await?))
    }

    pub async fn passkey_by_credential_id(
        &self,
        credential_id: &str,
    ) -> Result<Option<PasskeyRecord>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT id, user_id, credential_id, name, credential, created_at, last_used_at
             FROM passkeys WHERE credential_id = $1"
        )
        .bind(credential_id)
        .fetch_optional(p)
        .await?))
    }
}

impl Tx {
    pub async fn set_clinic_staff_two_step(&mut self, clinic_id: Uuid, on: bool) -> Result<()> {
        let n = with_pool!(self.db, |p| sqlx::query(
            "UPDATE clinics SET staff_two_step = $1 WHERE id = $2"
        )
        .bind(on)
        .bind(clinic_id)
        .execute(p)
        .await?
        .rows_affected());
        if n == 0 { Err(StoreError::NotFound("clinic")) } else { Ok(()) }
    }

    /// Starts (or starts again) an unconfirmed enrolment with a new secret. A confirmed
    /// factor is left alone: it is removed first, on purpose, by `delete_totp_factor`.
    pub async fn start_totp_enrolment(
        &mut self,
        user_id: Uuid,
        secret: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        with_pool!(self.db, |p| sqlx::query(
            "DELETE FROM totp_factors WHERE user_id = $1 AND confirmed_at IS NULL"
        )
        .bind(user_id)
        .execute(p)
        .await?
        .rows_affected());
        with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO totp_factors (user_id, secret, created_at) VALUES ($1, $2, $3)"
        )
        .bind(user_id)
        .bind(secret)
        .bind(db_time(now))
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Confirms the enrolment with the step of its first code.
    pub async fn confirm_totp_factor(
        &mut self,
        user_id: Uuid,
        step: i64,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let n = with_pool!(self.db, |p| sqlx::query(
            "UPDATE totp_factors SET confirmed_at = $2, last_step = $3
             WHERE user_id = $1 AND confirmed_at IS NULL"
        )
        .bind(user_id)
        .bind(db_time(now))
        .bind(step)
        .execute(p)
        .await?
        .rows_affected());
        Ok(n == 1)
    }

    /// Accepts the code of time step `step` unless a code of that step or a later one was
    /// accepted already: the check and the write are one statement, so two requests racing
    /// with the same code cannot both win.
    pub async fn use_totp_step(&mut self, user_id: Uuid, step: i64) -> Result<bool> {
        let n = with_pool!(self.db, |p| sqlx::query(
            "UPDATE totp_factors SET last_step = $2
             WHERE user_id = $1 AND confirmed_at IS NOT NULL
               AND (last_step IS NULL OR last_step < $2)"
        )
        .bind(user_id)
        .bind(step)
        .execute(p)
        .await?
        .rows_affected());
        Ok(n == 1)
    }

    pub async fn delete_totp_factor(&mut self, user_id: Uuid) -> Result<bool> {
        let n = with_pool!(self.db, |p| sqlx::query("DELETE FROM totp_factors WHERE user_id = $1")
            .bind(user_id)
            .execute(p)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Replaces the user's recovery codes with new ones (their hashes).
    pub async fn replace_recovery_codes(
        &mut self,
        user_id: Uuid,
        hashes: &[String],
        now: OffsetDateTime,
    ) -> Result<()> {
        self.delete_recovery_codes(user_id).await?;
        for h in hashes {
            with_pool!(self.db, |p| sqlx::query(
                "INSERT INTO recovery_codes (id, user_id, code_hash, created_at)
                 VALUES ($1, $2, $3, $4)"
            )
            .bind(Uuid::now_v7())
            .bind(user_id)
            .bind(h)
            .bind(db_time(now))
            .execute(p)
            .await?
            .rows_affected());
        }
        Ok(())
    }

    pub async fn delete_recovery_codes(&mut self, user_id: Uuid) -> Result<()> {
        with_pool!(self.db, |p| sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(p)
            .await?
            .rows_affected());
        Ok(())
    }

    /// Marks an unused recovery code used; false when no unused code has this hash.
    pub async fn use_recovery_code(
        &mut self,
        user_id: Uuid,
        code_hash: &str,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let n = with_pool!(self.db, |p| sqlx::query(
            "UPDATE recovery_codes SET used_at = $3
             WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL"
        )
        .bind(user_id)
        .bind(code_hash)
        .bind(db_time(now))
        .execute(p)
        .await?
        .rows_affected());
        Ok(n == 1)
    }

    pub async fn create_pending_sign_in(
        &mut self,
        token_hash: &str,
        user_id: Uuid,
        purpose: PendingPurpose,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<Uuid> {
        let id = Uuid::now_v7();
        with_pool!(self.db, |p| {
            sqlx::query(
            "INSERT INTO pending_sign_ins (id, token_hash, user_id, purpose, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(id)
        .bind(token_hash)
        .bind(user_id)
        .bind(purpose.as_str())
        .bind(db_time(now))
        .bind(db_time(expires_at))
        .execute(p)
        .await?
        .rows_affected()
        });
        Ok(id)
    }

    /// Counts one wrong code against a pending sign-in; returns the count so far.
    pub async fn record_pending_failure(&mut self, id: Uuid) -> Result<i64> {
        Ok(with_pool!(self.db, |p| sqlx::query_scalar(
            "UPDATE pending_sign_ins SET failures = failures + 1 WHERE id = $1 RETURNING failures"
        )
        .bind(id)
        .fetch_one(p)
        .await?))
    }

    /// Ends a pending sign-in; false when it had ended already (it is single-use).
    pub async fn finish_pending_sign_in(&mut self, id: Uuid, now: OffsetDateTime) -> Result<bool> {
        let n = with_pool!(self.db, |p| sqlx::query(
            "UPDATE pending_sign_ins SET used_at = $2 WHERE id = $1 AND used_at IS NULL"
        )
        .bind(id)
        .bind(db_time(now))
        .execute(p)
        .await?
        .rows_affected());
        Ok(n == 1)
    }

    pub async fn add_passkey(
        &mut self,
        user_id: Uuid,
        credential_id: &str,
        name: &str,
        credential: &str,
        now: OffsetDateTime,
    ) -> Result<Uuid> {
        let id = Uuid::now_v7();
        with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO passkeys (id, user_id, credential_id, name, credential, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(id)
        .bind(user_id)
        .bind(credential_id)
        .bind(name)
        .bind(credential)
        .bind(db_time(now))
        .execute(p)
        .await?
        .rows_affected());
        Ok(id)
    }

    /// Records a passkey's use, with its updated state (the signature counter).
    pub async fn passkey_used(
        &mut self,
        id: Uuid,
        credential: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        with_pool!(self.db, |p| sqlx::query(
            "UPDATE passkeys SET credential = $2, last_used_at = $3 WHERE id = $1"
        )
        .bind(id)
        .bind(credential)
        .bind(db_time(now))
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    pub async fn delete_passkey(&mut self, user_id: Uuid, id: Uuid) -> Result<bool> {
        let n = with_pool!(self.db, |p| sqlx::query(
            "DELETE FROM passkeys WHERE id = $1 AND user_id = $2"
        )
        .bind(id)
        .bind(user_id)
        .execute(p)
        .await?
        .rows_affected());
        Ok(n == 1)
    }

    /// Keeps the server's half of a passkey ceremony until `expires_at`.
    pub async fn put_passkey_ceremony(
        &mut self,
        id: Uuid,
        user_id: Option<Uuid>,
        kind: &str,
        state: &str,
        expires_at: OffsetDateTime,
    ) -> Result<()> {
        with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO passkey_ceremonies (id, user_id, kind, state, expires_at)
             VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(id)
        .bind(user_id)
        .bind(kind)
        .bind(state)
        .bind(db_time(expires_at))
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Takes (and so deletes) a ceremony of `kind` that has not expired: its user and state.
    /// Expired ones are cleared on the way.
    pub async fn take_passkey_ceremony(
        &mut self,
        id: Uuid,
        kind: &str,
        now: OffsetDateTime,
    ) -> Result<Option<(Option<Uuid>, String)>> {
        with_pool!(self.db, |p| sqlx::query(
            "DELETE FROM passkey_ceremonies WHERE expires_at < $1"
        )
        .bind(db_time(now))
        .execute(p)
        .await?
        .rows_affected());
        Ok(with_pool!(self.db, |p| sqlx::query_as(
            "DELETE FROM passkey_ceremonies WHERE id = $1 AND kind = $2 RETURNING user_id, state"
        )
        .bind(id)
        .bind(kind)
        .fetch_optional(p)
        .await?))
    }
}
