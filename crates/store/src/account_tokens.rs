//! Account links and a user's own sessions: the single-use links that let someone set their own
//! password (a reset asked for from the sign-in page, an invitation to a new account), setting
//! a password, and the list of a user's sessions with "sign out everywhere else".

use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Db, Result, Session, StoreError, Tx, db_time};

/// What a link is for. Both let its holder set the account's password once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountTokenPurpose {
    /// Asked for from "Forgot your password?"; short-lived.
    Reset,
    /// Sent when an account is made without a password.
    Invitation,
}

impl AccountTokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountTokenPurpose::Reset => "reset",
            AccountTokenPurpose::Invitation => "invitation",
        }
    }

    fn parse(s: &str) -> Result<Self> {
        match s {
            "reset" => Ok(AccountTokenPurpose::Reset),
            "invitation" => Ok(AccountTokenPurpose::Invitation),
            other => Err(StoreError::Database(format!("unknown account token purpose {other:?}"))),
        }
    }
}

/// A stored link. The secret itself is never stored, only its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountToken {
    pub id: Uuid,
    pub user_id: Uuid,
    pub clinic_id: Uuid,
    pub purpose: AccountTokenPurpose,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub used_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone)]
pub struct NewAccountToken {
    pub token_hash: String,
    pub user_id: Uuid,
    pub clinic_id: Uuid,
    pub purpose: AccountTokenPurpose,
    pub expires_at: OffsetDateTime,
}

impl Db {
    /// A link by the hash of its secret, used or not (the caller says which is which).
    pub async fn account_token(&self, token_hash: &str) -> Result<Option<AccountToken>> {
        let row: Option<AccountTokenRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, user_id, clinic_id, purpose, created_at, expires_at, used_at
             FROM account_tokens WHERE token_hash = $1"
        )
        .bind(token_hash)
        .fetch_optional(p)
        .await?);
        row.map(AccountToken::try_from).transpose()
    }

    /// When each of `user_id`'s links for `purpose` made since `since` was made (to limit how
    /// many a user can be sent).
    pub async fn account_tokens_since(
        &self,
        user_id: Uuid,
        purpose: AccountTokenPurpose,
        since: OffsetDateTime,
    ) -> Result<Vec<OffsetDateTime>> {
        let times: Vec<OffsetDateTime> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT created_at FROM account_tokens WHERE user_id = $1 AND purpose = $2
             ORDER BY created_at DESC LIMIT 50"
        )
        .bind(user_id)
        .bind(purpose.as_str())
        .fetch_all(p)
        .await?);
        // Compared here rather than in SQL: SQLite compares timestamps as text.
        Ok(times.into_iter().filter(|t| *t >= since).collect())
    }

    /// `user_id`'s sessions that are neither signed out nor past their absolute expiry, most
    /// recently active first. (Idle expiry depends on the role; the caller applies it.)
    pub async fn user_sessions(&self, user_id: Uuid, now: OffsetDateTime) -> Result<Vec<Session>> {
        let rows: Vec<crate::sessions::SessionRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, user_id, clinic_id, csrf_token, created_at, last_seen_at, expires_at,
                revoked_at
             FROM sessions WHERE user_id = $1 AND revoked_at IS NULL
             ORDER BY last_seen_at DESC, id"
        )
        .bind(user_id)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(Session::from).filter(|s| s.expires_at > now).collect())
    }

    /// Whether the account's password was chosen by someone else and must be replaced.
    pub async fn must_change_password(&self, user_id: Uuid) -> Result<bool> {
        let v: Option<bool> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT must_change_password FROM users WHERE id = $1"
        )
        .bind(user_id)
        .fetch_optional(p)
        .await?);
        v.ok_or(StoreError::NotFound("user"))
    }
}

impl Tx {
    pub async fn create_account_token(
        &mut self,
        new: &NewAccountToken,
        now: OffsetDateTime,
    ) -> Result<AccountToken> {
        let t = AccountToken {
            id: Uuid::now_v7(),
            user_id: new.user_id,
            clinic_id: new.clinic_id,
            purpose: new.purpose,
            created_at: db_time(now),
            expires_at: db_time(new.expires_at),
            used_at: None,
        };
        with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO account_tokens (id, token_hash, user_id, clinic_id, purpose, created_at,
                expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(t.id)
        .bind(&new.token_hash)
        .bind(t.user_id)
        .bind(t.clinic_id)
        .bind(t.purpose.as_str())
        .bind(t.created_at)
        .bind(t.expires_at)
        .execute(p)
        .await?
        .rows_affected());
        Ok(t)
    }

    /// Marks a link used, and every other open link of the same user with it (a new password
    /// makes the older links pointless). Returns `false` when it was already used, so of two
    /// uses at once only one wins.
    pub async fn use_account_token(
        &mut self,
        token: &AccountToken,
        now: OffsetDateTime,
    ) -> Result<bool> {
        let now = db_time(now);
        let won = with_tx!(self, |tx| {
            let n = sqlx::query(
                "UPDATE account_tokens SET used_at = $1 WHERE id = $2 AND used_at IS NULL",
            )
            .bind(now)
            .bind(token.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n > 0 {
                sqlx::query(
                    "UPDATE account_tokens SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL",
                )
                .bind(now)
                .bind(token.user_id)
                .execute(&mut *tx)
                .await?;
            }
            n
        });
        Ok(won > 0)
    }

    /// Sets a user's password hash, clears any lockout, and records whether the password was
    /// chosen by someone else (`must_change`).
    pub async fn set_password(
        &mut self,
        user_id: Uuid,
        hash: &str,
        must_change: bool,
    ) -> Result<()> {
        let n = with_pool!(self.db, |p| sqlx::query(
            "UPDATE users SET password_hash = $1, must_change_password = $2, failed_logins = 0,
                locked_until = NULL WHERE id = $3"
        )
        .bind(hash)
        .bind(must_change)
        .bind(user_id)
        .execute(p)
        .await?
        .rows_affected());
        if n == 0 { Err(StoreError::NotFound("user")) } else { Ok(()) }
    }

    /// Ends every session of `user_id` but `keep`; returns how many ended.
    pub async fn revoke_user_sessions(
        &mut self,
        user_id: Uuid,
        keep: Option<Uuid>,
        now: OffsetDateTime,
    ) -> Result<u64> {
        Ok(with_pool!(self.db, |p| sqlx::query(
            "UPDATE sessions SET revoked_at = $1
             WHERE user_id = $2 AND revoked_at IS NULL AND ($3 IS NULL OR id <> $3)"
        )
        .bind(db_time(now))
        .bind(user_id)
        .bind(keep)
        .execute(p)
        .await?
        .rows_affected()))
    }

    /// Revokes every API token of `user_id`; returns how many.
    pub async fn revoke_user_api_tokens(
        &mut self,
        user_id: Uuid,
        now: OffsetDateTime,
    ) -> Result<u64> {
        Ok(with_pool!(self.db, |p| sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL"
        )
        .bind(db_time(now))
        .bind(user_id)
        .execute(p)
        .await?
        .rows_affected()))
    }
}

#[derive(FromRow)]
struct AccountTokenRow {
    id: Uuid,
    user_id: Uuid,
    clinic_id: Uuid,
    purpose: String,
    created_at: OffsetDateTime,
    expires_at: OffsetDateTime,
    used_at: Option<OffsetDateTime>,
}

impl TryFrom<AccountTokenRow> for AccountToken {
    type Error = StoreError;

    fn try_from(r: AccountTokenRow) -> Result<Self> {
        Ok(AccountToken {
            id: r.id,
            user_id: r.user_id,
            clinic_id: r.clinic_id,
            purpose: AccountTokenPurpose::parse(&r.purpose)?,
            created_at: r.created_at,
            expires_at: r.expires_at,
            used_at: r.used_at,
        })
    }
}
