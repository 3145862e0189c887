//! Single sign-on: each clinic's OpenID Connect provider, and the sign-ins that have gone to a
//! provider and not come back yet (docs/sso.md).

use sqlx::FromRow;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{Db, Result, Tx, db_time, whole_seconds};

/// A clinic's OpenID Connect provider, as its admin set it. The secret is kept as given: the
/// server sends it to the provider when it exchanges a code, so it cannot be hashed.
#[derive(Clone, PartialEq, Eq, FromRow)]
pub struct SsoConfig {
    pub clinic_id: Uuid,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// Lowercase e-mail domains, comma-separated as stored.
    pub allowed_domains: String,
    pub updated_at: OffsetDateTime,
}

impl SsoConfig {
    /// The allowed domains, one by one.
    pub fn domains(&self) -> impl Iterator<Item = &str> {
        self.allowed_domains.split(',').map(str::trim).filter(|d| !d.is_empty())
    }
}

/// Never prints the secret, so a stray `{:?}` cannot log it.
impl std::fmt::Debug for SsoConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoConfig")
            .field("clinic_id", &self.clinic_id)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("allowed_domains", &self.allowed_domains)
            .finish()
    }
}

/// A sign-in on its way through the provider: what the callback needs to finish it.
#[derive(Clone, PartialEq, Eq, FromRow)]
pub struct SsoLogin {
    pub state_hash: String,
    pub clinic_id: Uuid,
    pub nonce: String,
    pub pkce_verifier: String,
    pub expires_at: OffsetDateTime,
}

impl std::fmt::Debug for SsoLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoLogin")
            .field("clinic_id", &self.clinic_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl Db {
    /// The clinic's provider; `None` when the clinic has not set up single sign-on.
    pub async fn sso_config(&self, clinic_id: Uuid) -> Result<Option<SsoConfig>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT clinic_id, issuer, client_id, client_secret, allowed_domains, updated_at
             FROM clinic_sso WHERE clinic_id = $1"
        )
        .bind(clinic_id)
        .fetch_optional(p)
        .await?))
    }

    /// Every clinic's provider (a server has a handful of clinics), to find a clinic by the
    /// domain of an e-mail address.
    pub async fn sso_configs(&self) -> Result<Vec<SsoConfig>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT clinic_id, issuer, client_id, client_secret, allowed_domains, updated_at
             FROM clinic_sso ORDER BY clinic_id"
        )
        .fetch_all(p)
        .await?))
    }
}

impl Tx {
    /// Sets (or replaces) the clinic's provider.
    pub async fn set_sso_config(&mut self, c: &SsoConfig) -> Result<()> {
        with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO clinic_sso
                 (clinic_id, issuer, client_id, client_secret, allowed_domains, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (clinic_id) DO UPDATE SET issuer = excluded.issuer,
                 client_id = excluded.client_id, client_secret = excluded.client_secret,
                 allowed_domains = excluded.allowed_domains, updated_at = excluded.updated_at"
        )
        .bind(c.clinic_id)
        .bind(&c.issuer)
        .bind(&c.client_id)
        .bind(&c.client_secret)
        .bind(&c.allowed_domains)
        .bind(db_time(c.updated_at))
        .execute(p)
        .await
        .map(drop)?);
        Ok(())
    }

    /// Turns the clinic's single sign-on off; returns whether it was on. Sign-ins already on
    /// their way through the provider go with it.
    pub async fn delete_sso_config(&mut self, clinic_id: Uuid) -> Result<bool> {
        with_pool!(self.db, |p| sqlx::query("DELETE FROM sso_logins WHERE clinic_id = $1")
            .bind(clinic_id)
            .execute(p)
            .await
            .map(drop)?);
        let n = with_pool!(self.db, |p| sqlx::query("DELETE FROM clinic_sso WHERE clinic_id = $1")
            .bind(clinic_id)
            .execute(p)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Records a sign-in that goes to the provider now, and forgets those that expired. Expiry
    /// times are whole seconds, so that on SQLite comparing their text compares the moments.
    pub async fn begin_sso_login(&mut self, l: &SsoLogin, now: OffsetDateTime) -> Result<()> {
        with_pool!(self.db, |p| sqlx::query("DELETE FROM sso_logins WHERE expires_at <= $1")
            .bind(whole_seconds(now))
            .execute(p)
            .await
            .map(drop)?);
        with_pool!(self.db, |p| sqlx::query(
            "INSERT INTO sso_logins (state_hash, clinic_id, nonce, pkce_verifier, expires_at)
             VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(&l.state_hash)
        .bind(l.clinic_id)
        .bind(&l.nonce)
        .bind(&l.pkce_verifier)
        .bind(whole_seconds(l.expires_at))
        .execute(p)
        .await
        .map(drop)?);
        Ok(())
    }

    /// Takes the sign-in with this state (it is deleted, so a state works once, even when two
    /// callbacks race: one `DELETE … RETURNING`); `None` when there is none or it has expired.
    pub async fn take_sso_login(
        &mut self,
        state_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<SsoLogin>> {
        let row: Option<SsoLogin> = with_pool!(self.db, |p| sqlx::query_as(
            "DELETE FROM sso_logins WHERE state_hash = $1
             RETURNING state_hash, clinic_id, nonce, pkce_verifier, expires_at"
        )
        .bind(state_hash)
        .fetch_optional(p)
        .await?);
        Ok(row.filter(|l| l.expires_at > now))
    }
}
