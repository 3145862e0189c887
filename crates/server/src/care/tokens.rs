//! API tokens: a signed-in user creates, lists and revokes their own; each change is audited.
//!
//! A token expires (90 days unless the user chooses, at most a year) and has a scope: `read`
//! tokens may only read. No token can create or revoke tokens: that takes a signed-in session,
//! so a leaked token cannot mint itself a successor that outlives its revocation.

use physio_store::{ApiToken, NewApiToken, TokenScope};
use time::Duration;
use uuid::Uuid;

use crate::{
    auth,
    auth::{Principal, Via},
    care::Act,
    error::ApiError,
    state::AppState,
};

/// How long a token lasts when the request does not say.
pub const DEFAULT_DAYS: i64 = 90;
/// The longest a token may last.
pub const MAX_DAYS: i64 = 365;

/// What a new token is to be: its name, how many days it lasts, what it may do.
#[derive(Debug, Clone, Default)]
pub struct TokenRequest {
    pub name: String,
    /// `None`: `DEFAULT_DAYS`.
    pub expires_in_days: Option<i64>,
    /// `None`: read-write, as every token was before scopes.
    pub scope: Option<String>,
}

/// The caller's tokens.
pub async fn list(state: &AppState, p: &Principal) -> Result<Vec<ApiToken>, ApiError> {
    let act = Act::new(state, p, "list", "api_token");
    let r = async { Ok(act.store().api_tokens(p.user.id).await?) }.await;
    act.finish(r).await
}

/// Refuses unless the caller signed in with a session (not a token).
fn require_session(p: &Principal) -> Result<(), ApiError> {
    match p.via {
        Via::Session { .. } => Ok(()),
        Via::Token { .. } | Via::Operator => Err(ApiError::Forbidden(
            "API tokens cannot create or revoke tokens; sign in to manage your tokens".into(),
        )),
    }
}

/// Creates a token that acts as the caller; returns it with its secret, shown once.
pub async fn create(
    state: &AppState,
    p: &Principal,
    req: &TokenRequest,
) -> Result<(ApiToken, String), ApiError> {
    let mut act = Act::new(state, p, "create", "api_token");
    let r = async {
        require_session(p)?;
        let name = req.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(ApiError::invalid("name", "give the token a name of 1 to 100 characters"));
        }
        let days = req.expires_in_days.unwrap_or(DEFAULT_DAYS);
        if !(1..=MAX_DAYS).contains(&days) {
            return Err(ApiError::invalid(
                "expires_in_days",
                format!("a token lasts 1 to {MAX_DAYS} days; leave it out for {DEFAULT_DAYS}"),
            ));
        }
        let scope = match req.scope.as_deref() {
            None => TokenScope::ReadWrite,
            Some(s) => TokenScope::parse(s).ok_or_else(|| {
                ApiError::invalid("scope", "the scope is \"read\" or \"read_write\"")
            })?,
        };
        let secret = format!("phy_{}", auth::new_secret());
        let now = act.now();
        let hash = auth::sha256_hex(&secret);
        let new =
            NewApiToken { name, token_hash: &hash, expires_at: now + Duration::days(days), scope };
        let t = act.tx().await?.create_api_token_with(&p.user, &new, now).await?;
        Ok((t, secret))
    }
    .await;
    act.finish(r).await
}

/// Revokes one of the caller's tokens; someone else's is not found.
pub async fn revoke(state: &AppState, p: &Principal, id: Uuid) -> Result<(), ApiError> {
    let mut act = Act::new(state, p, "revoke", "api_token");
    let r = async {
        require_session(p)?;
        let now = act.now();
        act.tx().await?.revoke_api_token(p.user.id, id, now).await?;
        Ok(())
    }
    .await;
    act.finish(r).await
}
