//! Who is asking: passwords, sign-in with lockout, server-side sessions, API tokens, CSRF.
//!
//! Session and API-token secrets are random 256-bit values; the database keeps only their
//! SHA-256. A session's CSRF token is derived from its secret, so checking it needs no lookup.

use std::net::IpAddr;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::{
    extract::FromRequestParts,
    http::{HeaderMap, header, request::Parts},
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use physio_store::{AuditOutcome, NewSession, Role, User};
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::{
    error::ApiError,
    state::{Actor, AppState},
};

pub const SESSION_COOKIE: &str = "physio_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "csrf_token";

/// Hashes a password with Argon2id (the crate's defaults: 19 MiB, 2 passes).
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("hashing password: {e}")))
}

fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), hash).is_ok()
}

/// Rules every new password must meet; the message says how to fix it.
pub fn check_password_rules(password: &str) -> Result<(), ApiError> {
    if password.chars().count() < 10 {
        return Err(ApiError::invalid("password", "use a password of at least 10 characters"));
    }
    if password.len() > 256 {
        return Err(ApiError::invalid("password", "use a password of at most 256 characters"));
    }
    Ok(())
}

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
    Session { id: Uuid, csrf_token: String },
    Token { id: Uuid },
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

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    v.strip_prefix("Bearer ").map(str::trim)
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(p) = parts.extensions.get::<Principal>() {
            return Ok(p.clone());
        }
        let p = authenticate(&parts.headers, state).await?;
        parts.extensions.insert(p.clone());
        Ok(p)
    }
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
        let user = store.user(t.user_id).await?;
        if !user.active {
            return Err(ApiError::Unauthorized);
        }
        if t.last_used_at.is_none_or(|at| now - at >= LAST_USE_PRECISION) {
            let mut tx = store.begin().await?;
            tx.mark_api_token_used(t.id, now).await?;
            tx.commit().await?;
        }
        let via = Via::Token { id: t.id };
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

/// A successful sign-in: the session secret goes into the cookie and nowhere else.
pub struct SignedIn {
    pub user: User,
    pub secret: String,
    pub csrf_token: String,
}

/// A fixed hash to verify against when the e-mail is unknown, so a wrong e-mail takes as long
/// as a wrong password and response times do not reveal which accounts exist.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("not the password of anyone").unwrap_or_default());

/// Checks a password and opens a session, with per-address rate limiting and per-account
/// lockout. Every attempt is audited.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: &str,
    ip: IpAddr,
    request_id: Option<&str>,
) -> Result<SignedIn, ApiError> {
    let anonymous = Actor { request_id, ..Actor::default() };
    if let Err(e) = state.check_login_rate(ip) {
        state.metrics().logins.with_label_values(&["rate_limited"]).inc();
        state.audit(anonymous, "login", "session", None, AuditOutcome::Denied).await?;
        return Err(e);
    }
    let store = state.store();
    let now = state.now();
    let creds = store.credentials(email).await?;
    let hash = creds.as_ref().map_or_else(|| DUMMY_HASH.clone(), |c| c.password_hash.clone());
    let pw = password.to_owned();
    let ok = tokio::task::spawn_blocking(move || verify_password(&pw, &hash))
        .await
        .map_err(|e| ApiError::Internal(format!("password check: {e}")))?;
    let failed = || ApiError::invalid("password", "the e-mail address or password is incorrect");
    let Some(c) = creds else {
        state.metrics().logins.with_label_values(&["failed"]).inc();
        state.audit(anonymous, "login", "session", None, AuditOutcome::Failed).await?;
        return Err(failed());
    };
    let actor = Actor {
        clinic_id: Some(c.user.clinic_id),
        user_id: Some(c.user.id),
        role: Some(c.user.role),
        request_id,
    };
    let locked = |until: time::OffsetDateTime| {
        let minutes = ((until - now).whole_seconds() + 59) / 60;
        ApiError::TooManyRequests {
            message: format!(
                "this account is locked after too many failed sign-ins; try again in {minutes} minute{}",
                if minutes == 1 { "" } else { "s" }
            ),
            retry_after_secs: (until - now).whole_seconds(),
        }
    };
    if let Some(until) = c.locked_until.filter(|t| *t > now) {
        state.metrics().logins.with_label_values(&["locked"]).inc();
        state.audit(actor, "login", "session", None, AuditOutcome::Denied).await?;
        return Err(locked(until));
    }
    let event = |outcome| actor.event(now, "login", "session", None, outcome);
    if !ok || !c.user.active {
        state.metrics().logins.with_label_values(&["failed"]).inc();
        let mut tx = store.begin().await?;
        let mut lock = None;
        if !ok {
            let policy = state.config().login;
            lock = tx
                .record_login_failure(c.user.id, now, policy.max_failures, policy.lockout)
                .await?;
        }
        tx.append_audit(&event(AuditOutcome::Failed)).await?;
        tx.commit().await?;
        return Err(lock.map_or_else(failed, locked));
    }
    let secret = new_secret();
    let csrf_token = csrf_for(&secret);
    let mut tx = store.begin().await?;
    tx.record_login_success(c.user.id).await?;
    tx.create_session(
        &NewSession {
            token_hash: sha256_hex(&secret),
            user_id: c.user.id,
            clinic_id: c.user.clinic_id,
            csrf_token: sha256_hex(&csrf_token),
            expires_at: now + state.config().sessions.absolute,
        },
        now,
    )
    .await?;
    tx.append_audit(&event(AuditOutcome::Success)).await?;
    tx.commit().await?;
    state.metrics().logins.with_label_values(&["success"]).inc();
    Ok(SignedIn { user: c.user, secret, csrf_token })
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

/// Ends the caller's session, if they used one.
pub async fn sign_out(state: &AppState, p: &Principal) -> Result<(), ApiError> {
    if let Via::Session { id, .. } = &p.via {
        let now = state.now();
        let mut tx = state.store().begin().await?;
        tx.revoke_session(*id, now).await?;
        tx.append_audit(&p.actor().event(now, "logout", "session", None, AuditOutcome::Success))
            .await?;
        tx.commit().await?;
    }
    Ok(())
}
