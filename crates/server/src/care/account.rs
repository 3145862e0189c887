//! A user's own account: what it is, changing the password, and the sessions it is signed in
//! with ("sign out everywhere else"). Every role has one; each action is audited.

use physio_store::{Role, User};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::{
    auth::{self, Principal, Via},
    care::Act,
    error::ApiError,
    state::AppState,
};

/// The caller's account as they see it.
#[derive(Debug, Clone)]
pub struct Account {
    pub user: User,
    /// An admin chose the password: the user should choose their own now.
    pub must_change_password: bool,
}

/// One session the caller is signed in with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub id: Uuid,
    pub started_at: OffsetDateTime,
    pub last_active_at: OffsetDateTime,
    /// The session this request came with.
    pub current: bool,
}

fn current_session(p: &Principal) -> Option<Uuid> {
    match &p.via {
        Via::Session { id, .. } => Some(*id),
        Via::Token { .. } | Via::Operator => None,
    }
}

/// The caller's own account.
pub async fn get(state: &AppState, p: &Principal) -> Result<Account, ApiError> {
    let act = Act::new(state, p, "read", "account");
    let r = async {
        let must_change_password = act.store().must_change_password(p.user.id).await?;
        Ok(Account { user: p.user.clone(), must_change_password })
    }
    .await;
    act.finish(r).await
}

/// Changes the caller's password: the current one must be right and the new one strong enough.
/// Every other session of the account ends (whoever knew the old password is signed out); the
/// caller's own session stays, and so do the account's API tokens, which the user revokes one
/// by one on their own. Returns how many sessions ended.
pub async fn change_password(
    state: &AppState,
    p: &Principal,
    current: &str,
    new: &str,
) -> Result<u64, ApiError> {
    let mut act = Act::new(state, p, "change", "password");
    let r = async {
        if current.is_empty() {
            return Err(ApiError::invalid("current_password", "enter your current password"));
        }
        let creds = act.store().credentials(&p.user.email).await?;
        let hash = creds.map(|c| c.password_hash).unwrap_or_default();
        let typed = current.to_owned();
        let ok = tokio::task::spawn_blocking(move || auth::verify_password(&typed, &hash))
            .await
            .map_err(|e| ApiError::Internal(format!("password check: {e}")))?;
        if !ok {
            return Err(ApiError::invalid(
                "current_password",
                "your current password is not right; check it and try again",
            ));
        }
        auth::check_new_password("new_password", new, &p.user.name, &p.user.email)?;
        if new == current {
            return Err(ApiError::invalid(
                "new_password",
                "choose a password different from your current one",
            ));
        }
        let pw = new.to_owned();
        let hash = tokio::task::spawn_blocking(move || auth::hash_password(&pw))
            .await
            .map_err(|e| ApiError::Internal(format!("hashing password: {e}")))??;
        let now = act.now();
        let tx = act.tx().await?;
        tx.set_password(p.user.id, &hash, false).await?;
        Ok(tx.revoke_user_sessions(p.user.id, current_session(p), now).await?)
    }
    .await;
    act.finish(r).await
}

/// The sessions the caller is signed in with (not signed out, not expired), most recently
/// active first. No network address or device is stored, so none is shown: the times are what
/// tells one from another.
pub async fn sessions(state: &AppState, p: &Principal) -> Result<Vec<SessionInfo>, ApiError> {
    let act = Act::new(state, p, "list", "session");
    let r = async {
        let now = act.now();
        let policy = state.config().sessions;
        let idle = if p.role() == Role::Patient { policy.patient_idle } else { policy.staff_idle };
        let current = current_session(p);
        Ok(act
            .store()
            .user_sessions(p.user.id, now)
            .await?
            .into_iter()
            .filter(|s| now - s.last_seen_at < idle)
            .map(|s| SessionInfo {
                id: s.id,
                started_at: s.created_at,
                last_active_at: s.last_seen_at,
                current: Some(s.id) == current,
            })
            .collect())
    }
    .await;
    act.finish(r).await
}

/// Ends every session of the caller's but the one this request came with. Returns how many.
pub async fn sign_out_others(state: &AppState, p: &Principal) -> Result<u64, ApiError> {
    let mut act = Act::new(state, p, "revoke_others", "session");
    let r = async {
        let now = act.now();
        Ok(act.tx().await?.revoke_user_sessions(p.user.id, current_session(p), now).await?)
    }
    .await;
    act.finish(r).await
}
