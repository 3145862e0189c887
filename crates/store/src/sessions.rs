//! Sign-in sessions and API tokens: how a request proves who sent it.

use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    ApiToken, Db, NewSession, Result, Session, StoreError, Tx, User, db_time,
    model::{LEGACY_TOKEN_LIFETIME, TokenScope},
};

/// A token about to be created: only the hash of its secret is stored.
#[derive(Debug, Clone, Copy)]
pub struct NewApiToken<'a> {
    pub name: &'a str,
    pub token_hash: &'a str,
    pub expires_at: OffsetDateTime,
    pub scope: TokenScope,
}

impl Db {
    /// A token that is not revoked, by the hash of its secret.
    pub async fn api_token_by_hash(&self, token_hash: &str) -> Result<Option<ApiToken>> {
        let row: Option<ApiTokenRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, user_id, clinic_id, name, created_at, last_used_at, revoked_at, expires_at, scope
             FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL"
        )
        .bind(token_hash)
        .fetch_optional(p)
        .await?
        });
        Ok(row.map(ApiToken::from))
    }

    pub async fn session_by_token_hash(&self, token_hash: &str) -> Result<Option<Session>> {
        let row: Option<SessionRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, user_id, clinic_id, csrf_token, created_at, last_seen_at, expires_at, revoked_at
             FROM sessions WHERE token_hash = $1"
        )
        .bind(token_hash)
        .fetch_optional(p)
        .await?
        });
        Ok(row.map(Session::from))
    }

    pub async fn api_tokens(&self, user_id: Uuid) -> Result<Vec<ApiToken>> {
        let rows: Vec<ApiTokenRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, user_id, clinic_id, name, created_at, last_used_at, revoked_at, expires_at, scope
             FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id"
        )
        .bind(user_id)
        .fetch_all(p)
        .await?
        });
        Ok(rows.into_iter().map(ApiToken::from).collect())
    }
}

impl Tx {
    pub async fn create_session(
        &mut self,
        new: &NewSession,
        now: OffsetDateTime,
    ) -> Result<Session> {
        let now = db_time(now);
        let s = Session {
            id: Uuid::now_v7(),
            user_id: new.user_id,
            clinic_id: new.clinic_id,
            csrf_token: new.csrf_token.clone(),
            created_at: now,
            last_seen_at: now,
            expires_at: db_time(new.expires_at),
            revoked_at: None,
        };
        with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO sessions (id, token_hash, user_id, clinic_id, csrf_token, created_at,
                last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )
        .bind(s.id)
        .bind(&new.token_hash)
        .bind(s.user_id)
        .bind(s.clinic_id)
        .bind(&s.csrf_token)
        .bind(s.created_at)
        .bind(s.last_seen_at)
        .bind(s.expires_at)
        .execute(p)
        .await?
        .rows_affected());
        Ok(s)
    }

    pub async fn touch_session(&mut self, id: Uuid, now: OffsetDateTime) -> Result<()> {
        with_pool!(self.db, |p| sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
            .bind(db_time(now))
            .bind(id)
            .execute(p)
            .await?
            .rows_affected());
        Ok(())
    }

    pub async fn revoke_session(&mut self, id: Uuid, now: OffsetDateTime) -> Result<()> {
        with_pool!(self.db, |p| sqlx::query(
            "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL"
        )
        .bind(db_time(now))
        .bind(id)
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// A read-write token that lasts the default 90 days (tests and benchmarks use it).
    pub async fn create_api_token(
        &mut self,
        user: &User,
        name: &str,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<ApiToken> {
        let expires_at = now + LEGACY_TOKEN_LIFETIME;
        let new = NewApiToken { name, token_hash, expires_at, scope: TokenScope::ReadWrite };
        self.create_api_token_with(user, &new, now).await
    }

    pub async fn create_api_token_with(
        &mut self,
        user: &User,
        new: &NewApiToken<'_>,
        now: OffsetDateTime,
    ) -> Result<ApiToken> {
        let NewApiToken { name, token_hash, expires_at, scope } = *new;
        let t = ApiToken {
            id: Uuid::now_v7(),
            user_id: user.id,
            clinic_id: user.clinic_id,
            name: name.trim().to_owned(),
            created_at: db_time(now),
            last_used_at: None,
            revoked_at: None,
            expires_at: db_time(expires_at),
            scope,
        };
        with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO api_tokens (id, token_hash, user_id, clinic_id, name, created_at,
                                     expires_at, scope)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )
        .bind(t.id)
        .bind(token_hash)
        .bind(t.user_id)
        .bind(t.clinic_id)
        .bind(&t.name)
        .bind(t.created_at)
        .bind(t.expires_at)
        .bind(t.scope.as_str())
        .execute(p)
        .await?
        .rows_affected());
        Ok(t)
    }

    /// Records that a token was used (requests only record it now and then: see the server's
    /// `auth::authenticate`).
    pub async fn mark_api_token_used(&mut self, id: Uuid, now: OffsetDateTime) -> Result<()> {
        with_pool!(self.db, |p| sqlx::query(
            "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1"
        )
        .bind(id)
        .bind(db_time(now))
        .execute(p)
        .await?
        .rows_affected());
        Ok(())
    }

    /// Revokes one of `user_id`'s tokens; someone else's token is not found.
    pub async fn revoke_api_token(
        &mut self,
        user_id: Uuid,
        id: Uuid,
        now: OffsetDateTime,
    ) -> Result<()> {
        let n = with_pool!(self.db, |p| {
            sqlx::query(
            "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $3) WHERE id = $1 AND user_id = $2"
        )
        .bind(id)
        .bind(user_id)
        .bind(db_time(now))
        .execute(p)
        .await?
        .rows_affected()
        });
        if n == 0 { Err(StoreError::NotFound("token")) } else { Ok(()) }
    }
}

#[derive(FromRow)]
pub(crate) struct SessionRow {
    id: Uuid,
    user_id: Uuid,
    clinic_id: Uuid,
    csrf_token: String,
    created_at: OffsetDateTime,
    last_seen_at: OffsetDateTime,
    expires_at: OffsetDateTime,
    revoked_at: Option<OffsetDateTime>,
}

impl From<SessionRow> for Session {
    fn from(r: SessionRow) -> Self {
        Session {
            id: r.id,
            user_id: r.user_id,
            clinic_id: r.clinic_id,
            csrf_token: r.csrf_token,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            expires_at: r.expires_at,
            revoked_at: r.revoked_at,
        }
    }
}

#[derive(FromRow)]
struct ApiTokenRow {
    id: Uuid,
    user_id: Uuid,
    clinic_id: Uuid,
    name: String,
    created_at: OffsetDateTime,
    last_used_at: Option<OffsetDateTime>,
    revoked_at: Option<OffsetDateTime>,
    expires_at: Option<OffsetDateTime>,
    scope: String,
}

impl From<ApiTokenRow> for ApiToken {
    fn from(r: ApiTokenRow) -> Self {
        ApiToken {
            expires_at: r.expires_at.unwrap_or(r.created_at + LEGACY_TOKEN_LIFETIME),
            // The column's CHECK allows only the two names; anything else gets the lesser power.
            scope: TokenScope::parse(&r.scope).unwrap_or(TokenScope::Read),
            id: r.id,
            user_id: r.user_id,
            clinic_id: r.clinic_id,
            name: r.name,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        }
    }
}
