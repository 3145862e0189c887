//! API tokens: a user creates, lists and revokes their own; each is audited.

use physio_store::ApiToken;
use uuid::Uuid;

use crate::{auth, auth::Principal, care::Act, error::ApiError, state::AppState};

/// The caller's tokens.
pub async fn list(state: &AppState, p: &Principal) -> Result<Vec<ApiToken>, ApiError> {
    let act = Act::new(state, p, "list", "api_token");
    let r = async { Ok(act.store().api_tokens(p.user.id).await?) }.await;
    act.finish(r).await
}

/// Creates a token that acts as the caller; returns it with its secret, shown once.
pub async fn create(
    state: &AppState,
    p: &Principal,
    name: &str,
) -> Result<(ApiToken, String), ApiError> {
    let mut act = Act::new(state, p, "create", "api_token");
    let r = async {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(ApiError::invalid("name", "give the token a name of 1 to 100 characters"));
        }
        let secret = format!("phy_{}", auth::new_secret());
        let now = act.now();
        let t = act
            .tx()
            .await?
            .create_api_token(&p.user, name, &auth::sha256_hex(&secret), now)
            .await?;
        Ok((t, secret))
    }
    .await;
    act.finish(r).await
}

/// Revokes one of the caller's tokens; someone else's is not found.
pub async fn revoke(state: &AppState, p: &Principal, id: Uuid) -> Result<(), ApiError> {
    let mut act = Act::new(state, p, "revoke", "api_token");
    let r = async {
        let now = act.now();
        act.tx().await?.revoke_api_token(p.user.id, id, now).await?;
        Ok(())
    }
    .await;
    act.finish(r).await
}
