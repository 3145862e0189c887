//! Who is asking: passwords, throttled sign-in, single sign-on for staff, server-side
//! sessions, API tokens, CSRF.
//!
//! Session and API-token secrets are random 256-bit values; the database keeps only their
//! SHA-256. A session's CSRF token is derived from its secret, so checking it needs no lookup.

use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, header, request::Parts},
};
use axum_extra::extract::cookie::CookieJar;
use physio_store::{Role, TokenScope, User};
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{
    error::ApiError,
    state::{Actor, AppState},
};

pub mod links;
pub mod oidc;
pub mod passkey;
pub(crate) mod password;
mod session;
mod sign_in;
mod two_step;

pub(crate) use password::verify_password;
pub use password::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS, check_new_password, hash_password};
pub use session::{SignedIn, removal_cookie, session_cookie, sign_out};
pub use sign_in::{sign_in, wait_in_words};
pub use two_step::{
    Code, MAX_WRONG_CODES, PENDING_COOKIE, PENDING_LIFETIME, PendingStep, RECOVERY_CODES,
    SET_UP_TWO_STEP, SignInOutcome, enrol_and_sign_in, otpauth_url, pending_cookie,
    pending_enrolment, pending_removal_cookie, qr_svg, verify_code,
};
pub(crate) use two_step::{
    check_app_code, new_totp_secret, pending, renew_recovery_codes, required_of,
};

pub const SESSION_COOKIE: &str = "physio_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "csrf_token";

/// A fresh random secret, hex-encoded.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// The CSRF token that goes with a session secret.
pub fn csrf_for(session_secret: &str) -> String {
    sha256_hex(&format!("csrf\0{session_secret}"))
}

/// How the caller proved who they are. `Operator` is the operator at the server's command line
/// acting as this user, with no session or token (the demo clinic's seeding in `physio demo`);
/// it never comes from an HTTP request.
#[derive(Debug, Clone)]
pub enum Via {
    Session {
        id: Uuid,
        csrf_token: String,
    },
    /// An API token, with what it may do (`TokenScope::Read` tokens only read).
    Token {
        id: Uuid,
        scope: TokenScope,
    },
    Operator,
}

/// An authenticated caller. Extracting it checks the session or token on every request.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    pub via: Via,
    pub request_id: Option<String>,
    /// What the navigation shows beside its links; loaded for pages only.
    pub nav: NavCounts,
}

/// The counts the page navigation shows beside its links. The pages' `PageUser` extractor
/// fills them (`pages::nav_counts`); API requests never load them, so they stay `None` there.
/// `None` also means the role has no such link. Another count (an alerts inbox, say) is one
/// more field here, filled in `pages::nav_counts` and drawn in `pages::layout::page`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NavCounts {
    /// Beside "Messages": `care::messages::nav_count`.
    pub messages: Option<i64>,
    /// Beside "Inbox" (clinicians): open alerts and proposals waiting on their care teams.
    pub inbox: Option<i64>,
}

impl Principal {
    pub fn role(&self) -> Role {
        self.user.role
    }

    pub fn actor(&self) -> Actor<'_> {
        Actor {
            clinic_id: Some(self.user.clinic_id),
            user_id: Some(self.user.id),
            role: Some(self.user.role),
            request_id: self.request_id.as_deref(),
        }
    }

    pub fn csrf_token(&self) -> &str {
        match &self.via {
            Via::Session { csrf_token, .. } => csrf_token,
            Via::Token { .. } | Via::Operator => "",
        }
    }

    /// Refuses unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), ApiError> {
        if roles.contains(&self.user.role) { Ok(()) } else { Err(ApiError::forbidden()) }
    }
}

pub fn request_id(headers: &HeaderMap) -> Option<String> {
    headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned)
}

pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    v.strip_prefix("Bearer ").map(str::trim)
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        // The CSRF guard may have authenticated the caller already and left them here; the
        // scope is checked either way.
        let p = match parts.extensions.get::<Principal>() {
            Some(p) => p.clone(),
            None => {
                let p = authenticate(&parts.headers, state).await?;
                parts.extensions.insert(p.clone());
                p
            }
        };
        if let Via::Token { scope: TokenScope::Read, .. } = p.via
            && !parts.method.is_safe()
        {
            return Err(read_only_token());
        }
        Ok(p)
    }
}

/// The refusal of a state-changing request made with a read-only token.
pub fn read_only_token() -> ApiError {
    ApiError::Forbidden(
        "this API token has the scope \"read\" and may only read; create a token with the \
         scope \"read_write\" to make changes"
            .into(),
    )
}

/// A caller who may or may not be signed in. Errors other than "not signed in" still fail.
#[derive(Debug, Clone)]
pub struct MaybePrincipal(pub Option<Principal>);

impl FromRequestParts<AppState> for MaybePrincipal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match Principal::from_request_parts(parts, state).await {
            Ok(p) => Ok(MaybePrincipal(Some(p))),
            Err(ApiError::Unauthorized) => Ok(MaybePrincipal(None)),
            // Staff who must first set up two-step sign-in: signing in again takes them there.
            Err(ApiError::Forbidden(m)) if m == SET_UP_TWO_STEP => Ok(MaybePrincipal(None)),
            Err(e) => Err(e),
        }
    }
}

/// How stale a session's or token's "last used" time may get. Writing it on every request
/// would make every read a write; a minute changes idle expiry (30 minutes at least) by at most
/// a minute.
const LAST_USE_PRECISION: time::Duration = time::Duration::minutes(1);

pub(crate) async fn authenticate(
    headers: &HeaderMap,
    state: &AppState,
) -> Result<Principal, ApiError> {
    let store = state.store();
    let now = state.now();
    let request_id = request_id(headers);
    if let Some(token) = bearer(headers) {
        let t = store.api_token_by_hash(&sha256_hex(token)).await?.ok_or(ApiError::Unauthorized)?;
        if now >= t.expires_at {
            return Err(ApiError::Unauthorized);
        }
        let user = store.user(t.user_id).await?;
        if !user.active {
            return Err(ApiError::Unauthorized);
        }
        if t.last_used_at.is_none_or(|at| now - at >= LAST_USE_PRECISION) {
            let mut tx = store.begin().await?;
            tx.mark_api_token_used(t.id, now).await?;
            tx.commit().await?;
        }
        refuse_without_required_second_step(state, &user).await?;
        let via = Via::Token { id: t.id, scope: t.scope };
        return Ok(Principal { user, via, request_id, nav: NavCounts::default() });
    }
    let jar = CookieJar::from_headers(headers);
    let secret =
        jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()).ok_or(ApiError::Unauthorized)?;
    let session =
        store.session_by_token_hash(&sha256_hex(&secret)).await?.ok_or(ApiError::Unauthorized)?;
    if session.revoked_at.is_some() || now >= session.expires_at {
        return Err(ApiError::Unauthorized);
    }
    let user = store.user(session.user_id).await?;
    let policy = state.config().sessions;
    let idle = if user.role == Role::Patient { policy.patient_idle } else { policy.staff_idle };
    if now - session.last_seen_at >= idle {
        let mut tx = store.begin().await?;
        tx.revoke_session(session.id, now).await?;
        tx.commit().await?;
        return Err(ApiError::Unauthorized);
    }
    if !user.active {
        return Err(ApiError::Unauthorized);
    }
    refuse_without_required_second_step(state, &user).await?;
    if now - session.last_seen_at >= LAST_USE_PRECISION {
        let mut tx = store.begin().await?;
        tx.touch_session(session.id, now).await?;
        tx.commit().await?;
    }
    Ok(Principal {
        user,
        via: Via::Session { id: session.id, csrf_token: csrf_for(&secret) },
        request_id,
        nav: NavCounts::default(),
    })
}

/// A staff member whose clinic requires a second step they do not have may do nothing until
/// they set one up (sign-in takes them through it). This covers sessions and API tokens made
/// before the clinic turned the rule on, and a second step removed since.
async fn refuse_without_required_second_step(
    state: &AppState,
    user: &User,
) -> Result<(), ApiError> {
    if required_of(state, user).await? && !state.store().second_factors(user.id).await?.any() {
        return Err(ApiError::Forbidden(SET_UP_TWO_STEP.into()));
    }
    Ok(())
}
