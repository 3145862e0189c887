//! The session cookie and signing out.

use axum_extra::extract::cookie::{Cookie, SameSite};
use physio_store::{AuditOutcome, NewSession, Tx, User};

use super::{Principal, SESSION_COOKIE, Via, csrf_for, new_secret, sha256_hex};
use crate::{error::ApiError, state::AppState};

/// A successful sign-in: the session secret goes into the cookie and nowhere else.
pub struct SignedIn {
    pub user: User,
    pub secret: String,
    pub csrf_token: String,
}

/// Opens a session for `user` inside the caller's transaction: every way of signing in
/// (password, and whatever second factor or single sign-on follows it) ends here, so a session
/// is made the same way whatever proved who the user is. The caller audits and commits.
pub(crate) async fn open_session(
    state: &AppState,
    tx: &mut Tx,
    user: User,
) -> Result<SignedIn, ApiError> {
    let now = state.now();
    let secret = new_secret();
    let csrf_token = csrf_for(&secret);
    tx.create_session(
        &NewSession {
            token_hash: sha256_hex(&secret),
            user_id: user.id,
            clinic_id: user.clinic_id,
            csrf_token: sha256_hex(&csrf_token),
            expires_at: now + state.config().sessions.absolute,
        },
        now,
    )
    .await?;
    Ok(SignedIn { user, secret, csrf_token })
}

/// The session cookie: HttpOnly, SameSite=Lax, Secure when served over TLS.
pub fn session_cookie(state: &AppState, secret: String) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, secret))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config().secure_cookies)
        .path("/")
        .build()
}

pub fn removal_cookie(state: &AppState) -> Cookie<'static> {
    let mut c = session_cookie(state, String::new());
    c.make_removal();
    c
}

/// Ends the caller's session; signing out with an API token revokes that token, so a client
/// that "logs out" is not left holding a secret that still works.
pub async fn sign_out(state: &AppState, p: &Principal) -> Result<(), ApiError> {
    let now = state.now();
    let tx = match &p.via {
        Via::Session { id, .. } => {
            let mut tx = state.store().begin().await?;
            tx.revoke_session(*id, now).await?;
            tx.append_audit(&p.actor().event(
                now,
                "logout",
                "session",
                None,
                AuditOutcome::Success,
            ))
            .await?;
            tx
        }
        Via::Token { id, .. } => {
            let mut tx = state.store().begin().await?;
            tx.revoke_api_token(p.user.id, *id, now).await?;
            let event = p.actor().event(now, "logout", "api_token", None, AuditOutcome::Success);
            tx.append_audit(&event).await?;
            tx
        }
        Via::Operator => return Ok(()),
    };
    tx.commit().await?;
    Ok(())
}
