//! Single sign-on for staff with OpenID Connect: the authorization code flow with PKCE against
//! the provider a clinic's admin set up (docs/sso.md).
//!
//! [`start`] discovers the provider, records the sign-in (the SHA-256 of its state, its nonce
//! and PKCE verifier) in the database and returns where to send the browser; the state also goes
//! into a short-lived HttpOnly cookie, so the callback only finishes a sign-in that began in the
//! same browser. [`finish`] takes the recorded sign-in (each state works once), exchanges the
//! code, verifies the ID token (signature, issuer, audience, expiry, nonce) and maps its
//! verified e-mail to an existing, active clinician or admin of that clinic, then opens the
//! session through `open_session` like every other way of signing in. Every refusal is audited
//! and names its reason; nothing is created.

use std::{
    future::Future,
    pin::Pin,
    sync::{Arc, OnceLock},
    time::Duration,
};

use axum::body::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::{
    client::legacy::{Client, connect::HttpConnector},
    rt::TokioExecutor,
};

use axum_extra::extract::cookie::{Cookie, SameSite};
use openidconnect::{
    AsyncHttpClient, AuthorizationCode, ClientId, ClientSecret, CsrfToken, HttpRequest,
    HttpResponse, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
    core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata},
};
use physio_store::{AuditOutcome, Role, SsoConfig, SsoLogin};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::{SignedIn, session::open_session, sha256_hex};
use crate::{
    error::ApiError,
    state::{Actor, AppState},
};

/// The cookie that ties a callback to the browser that began the sign-in.
pub const STATE_COOKIE: &str = "physio_sso_state";
/// The callback's path, to be registered with the provider as `{public URL}/sso/callback`.
pub const CALLBACK_PATH: &str = "/sso/callback";
/// How long a person may take at the provider.
const PENDING: time::Duration = time::Duration::minutes(10);
/// How long any one request to the provider may take.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a single sign-on did not sign anyone in. Each is audited; the page names it in plain
/// words (`pages::sso`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SsoRefusal {
    #[error("this clinic has not set up single sign-on")]
    NotConfigured,
    #[error("the sign-in did not begin in this browser, or it was already used")]
    StateMismatch,
    #[error("the sign-in took too long or was already used")]
    Expired,
    #[error("the organisation's sign-in service refused: {0}")]
    ProviderError(String),
    #[error("the organisation's sign-in service could not be reached or answered wrongly")]
    ProviderUnreachable,
    #[error("the organisation's sign-in service sent an answer that did not check out")]
    TokenInvalid,
    #[error("the organisation did not confirm the e-mail address")]
    EmailUnverified,
    #[error("e-mail addresses at {0} may not sign in to this clinic this way")]
    DomainNotAllowed(String),
    #[error("no staff account at this clinic uses {0}")]
    NoAccount(String),
    #[error("no clinic signs in with e-mail addresses at {0}")]
    UnknownDomain(String),
}

impl SsoRefusal {
    /// A short, stable name for logs and metrics (no personal data).
    pub fn code(&self) -> &'static str {
        match self {
            SsoRefusal::NotConfigured => "not_configured",
            SsoRefusal::StateMismatch => "state_mismatch",
            SsoRefusal::Expired => "expired",
            SsoRefusal::ProviderError(_) => "provider_error",
            SsoRefusal::ProviderUnreachable => "provider_unreachable",
            SsoRefusal::TokenInvalid => "token_invalid",
            SsoRefusal::EmailUnverified => "email_unverified",
            SsoRefusal::DomainNotAllowed(_) => "domain_not_allowed",
            SsoRefusal::NoAccount(_) => "no_account",
            SsoRefusal::UnknownDomain(_) => "unknown_domain",
        }
    }
}

/// A refusal, or a failure of our own (the database) that is not the person's doing.
#[derive(Debug)]
pub enum SsoError {
    Refused(SsoRefusal),
    Internal(ApiError),
}

impl From<ApiError> for SsoError {
    fn from(e: ApiError) -> Self {
        SsoError::Internal(e)
    }
}

impl From<physio_store::StoreError> for SsoError {
    fn from(e: physio_store::StoreError) -> Self {
        SsoError::Internal(e.into())
    }
}

/// Where to send the browser, and the state for the cookie.
#[derive(Debug)]
pub struct Started {
    pub provider_url: String,
    pub state: String,
}

/// The cookie carrying a sign-in's state to the callback. SameSite=Lax: the provider's
/// redirect back is a top-level GET, which Lax lets through.
pub fn state_cookie(state: &AppState, value: String) -> Cookie<'static> {
    Cookie::build((STATE_COOKIE, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config().secure_cookies)
        .path("/sso")
        .max_age(time::Duration::minutes(10))
        .build()
}

pub fn state_removal_cookie(state: &AppState) -> Cookie<'static> {
    let mut c = state_cookie(state, String::new());
    c.make_removal();
    c
}

/// The clinic whose single sign-on serves the domain of `email`.
pub async fn clinic_for_email(state: &AppState, email: &str) -> Result<Uuid, SsoError> {
    let domain = domain_of(email);
    let configs = state.store().sso_configs().await?;
    match configs.iter().find(|c| c.domains().any(|d| d == domain)) {
        Some(c) => Ok(c.clinic_id),
        None => {
            let r = SsoRefusal::UnknownDomain(domain.clone());
            audit_refusal(state, None, None, &r, None).await?;
            Err(SsoError::Refused(r))
        }
    }
}

/// Begins a sign-in at the clinic's provider. `base` is the server's public address (the
/// callback is `{base}/sso/callback`); `login_hint` is the e-mail address typed, if any.
pub async fn start(
    state: &AppState,
    clinic_id: Uuid,
    base: &str,
    login_hint: Option<&str>,
    request_id: Option<&str>,
) -> Result<Started, SsoError> {
    let r = async {
        let config = state
            .store()
            .sso_config(clinic_id)
            .await?
            .ok_or(SsoError::Refused(SsoRefusal::NotConfigured))?;
        let client = client(&config, base).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut req = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .set_pkce_challenge(challenge);
        if let Some(hint) = login_hint.map(str::trim).filter(|h| !h.is_empty()) {
            req = req.add_extra_param("login_hint", hint.to_owned());
        }
        let (url, csrf, nonce) = req.url();
        let now = state.now();
        let mut tx = state.store().begin().await?;
        tx.begin_sso_login(
            &SsoLogin {
                state_hash: sha256_hex(csrf.secret()),
                clinic_id,
                nonce: nonce.secret().clone(),
                pkce_verifier: verifier.secret().clone(),
                expires_at: now + PENDING,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok::<_, SsoError>(Started { provider_url: url.to_string(), state: csrf.secret().clone() })
    }
    .await;
    if let Err(SsoError::Refused(reason)) = &r {
        audit_refusal(state, Some(clinic_id), None, reason, request_id).await?;
    }
    r
}

/// What the provider sent back to the callback.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct Callback {
    pub state: Option<String>,
    pub code: Option<String>,
    pub error: Option<String>,
}

/// Finishes a sign-in: checks the state against the browser's cookie, exchanges the code,
/// verifies the ID token and opens a session for the clinician or admin it names.
pub async fn finish(
    state: &AppState,
    cb: &Callback,
    cookie_state: Option<&str>,
    base: &str,
    request_id: Option<&str>,
) -> Result<SignedIn, SsoError> {
    let mut clinic = None;
    let mut user = None;
    let r = finish_inner(state, cb, cookie_state, base, request_id, &mut clinic, &mut user).await;
    match &r {
        Err(SsoError::Refused(reason)) => {
            state.metrics().logins.with_label_values(&["failed"]).inc();
            audit_refusal(state, clinic, user, reason, request_id).await?;
        }
        Ok(_) => {
            state.metrics().logins.with_label_values(&["success"]).inc();
        }
        Err(SsoError::Internal(_)) => {}
    }
    r
}

async fn finish_inner(
    state: &AppState,
    cb: &Callback,
    cookie_state: Option<&str>,
    base: &str,
    request_id: Option<&str>,
    clinic: &mut Option<Uuid>,
    user_seen: &mut Option<(Uuid, Role)>,
) -> Result<SignedIn, SsoError> {
    let refuse = |r| Err(SsoError::Refused(r));
    let (Some(given), Some(kept)) = (cb.state.as_deref(), cookie_state) else {
        return refuse(SsoRefusal::StateMismatch);
    };
    if given.is_empty() || !bool::from(given.as_bytes().ct_eq(kept.as_bytes())) {
        return refuse(SsoRefusal::StateMismatch);
    }
    let now = state.now();
    let mut tx = state.store().begin().await?;
    let pending = tx.take_sso_login(&sha256_hex(given), now).await?;
    tx.commit().await?;
    let Some(pending) = pending else { return refuse(SsoRefusal::Expired) };
    *clinic = Some(pending.clinic_id);
    if let Some(e) = &cb.error {
        // The provider's error code, cut short and kept to safe characters: it is shown.
        let code: String =
            e.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(64).collect();
        return refuse(SsoRefusal::ProviderError(code));
    }
    let Some(code) = cb.code.clone().filter(|c| !c.is_empty()) else {
        return refuse(SsoRefusal::ProviderError("no_code".into()));
    };
    let Some(config) = state.store().sso_config(pending.clinic_id).await? else {
        return refuse(SsoRefusal::NotConfigured);
    };
    let client = client(&config, base).await?;
    let exchange = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|_| SsoError::Refused(SsoRefusal::ProviderUnreachable))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier));
    let tokens = exchange.request_async(http()?).await.map_err(|e| {
        tracing::warn!(error = %e, "single sign-on: the code exchange failed");
        SsoError::Refused(SsoRefusal::ProviderUnreachable)
    })?;
    let id_token = tokens.id_token().ok_or(SsoError::Refused(SsoRefusal::TokenInvalid))?;
    // Expiry is checked against the real clock: the provider stamps tokens with it.
    let claims =
        id_token.claims(&client.id_token_verifier(), &Nonce::new(pending.nonce)).map_err(|e| {
            tracing::warn!(error = %e, "single sign-on: the ID token did not verify");
            SsoError::Refused(SsoRefusal::TokenInvalid)
        })?;
    let Some(email) = claims.email().map(|e| e.as_str().trim().to_owned()) else {
        return refuse(SsoRefusal::EmailUnverified);
    };
    if claims.email_verified() != Some(true) {
        return refuse(SsoRefusal::EmailUnverified);
    }
    let domain = domain_of(&email);
    if !config.domains().any(|d| d == domain) {
        return refuse(SsoRefusal::DomainNotAllowed(domain));
    }
    let creds = state.store().credentials(&email).await?;
    let Some(found) = creds.map(|c| c.user).filter(|u| u.clinic_id == config.clinic_id) else {
        return refuse(SsoRefusal::NoAccount(email));
    };
    *user_seen = Some((found.id, found.role));
    if !found.active || found.role == Role::Patient {
        return refuse(SsoRefusal::NoAccount(email));
    }
    let actor = Actor {
        clinic_id: Some(found.clinic_id),
        user_id: Some(found.id),
        role: Some(found.role),
        request_id,
    };
    let mut tx = state.store().begin().await?;
    let signed_in = open_session(state, &mut tx, found).await?;
    tx.append_audit(&actor.event(now, "login_sso", "session", None, AuditOutcome::Success)).await?;
    tx.commit().await?;
    Ok(signed_in)
}

/// Records a refused single sign-on, with whom it concerned where that is known, and logs its
/// reason's code (never an e-mail address).
async fn audit_refusal(
    state: &AppState,
    clinic_id: Option<Uuid>,
    user: Option<(Uuid, Role)>,
    reason: &SsoRefusal,
    request_id: Option<&str>,
) -> Result<(), ApiError> {
    tracing::info!(reason = reason.code(), "single sign-on refused");
    let outcome = match reason {
        SsoRefusal::ProviderUnreachable => AuditOutcome::Failed,
        _ => AuditOutcome::Denied,
    };
    let actor =
        Actor { clinic_id, user_id: user.map(|u| u.0), role: user.map(|u| u.1), request_id };
    state.audit(actor, "login_sso", "session", None, outcome).await
}

/// The part of an e-mail address after its last `@`, lowercase.
pub fn domain_of(email: &str) -> String {
    email.trim().rsplit_once('@').map_or("", |(_, d)| d).to_ascii_lowercase()
}

/// The clinic's provider, discovered now (its keys may have rotated since the last sign-in).
async fn client(
    config: &SsoConfig,
    base: &str,
) -> Result<
    CoreClient<
        openidconnect::EndpointSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointNotSet,
        openidconnect::EndpointMaybeSet,
        openidconnect::EndpointMaybeSet,
    >,
    SsoError,
> {
    let unreachable = || SsoError::Refused(SsoRefusal::ProviderUnreachable);
    let issuer = IssuerUrl::new(config.issuer.clone()).map_err(|_| unreachable())?;
    let metadata = CoreProviderMetadata::discover_async(issuer, http()?).await.map_err(|e| {
        tracing::warn!(error = %e, "single sign-on: provider discovery failed");
        unreachable()
    })?;
    let redirect = RedirectUrl::new(format!("{}{CALLBACK_PATH}", base.trim_end_matches('/')))
        .map_err(|e| SsoError::Internal(ApiError::Internal(format!("redirect URL: {e}"))))?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(config.client_id.clone()),
        Some(ClientSecret::new(config.client_secret.clone())),
    )
    .set_redirect_uri(redirect))
}

/// The HTTP client for providers: rustls on ring with the webpki roots, a timeout, a cap on
/// the size of an answer, and no redirects (a provider's endpoints are named in its metadata;
/// following redirects would let one point the server anywhere). Plain HTTP only to this
/// machine's loopback address, as for the issuer (`care::sso`).
struct ProviderHttp(Client<HttpsConnector<HttpConnector>, Full<Bytes>>);

/// The most a provider's answer may hold (its metadata and keys are a few kilobytes).
const MAX_ANSWER: usize = 1 << 20;

fn http() -> Result<&'static ProviderHttp, SsoError> {
    static CLIENT: OnceLock<Result<ProviderHttp, String>> = OnceLock::new();
    let client = CLIENT.get_or_init(|| {
        let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        // ring, not aws-lc-rs: no C build to carry, and the same provider lettre's mail uses.
        // Its lack of post-quantum key exchange (the deprecation) is acceptable for talking to
        // an identity provider: what it protects is short-lived.
        #[allow(deprecated)]
        let ring = rustls::crypto::ring::default_provider();
        let tls = rustls::ClientConfig::builder_with_provider(Arc::new(ring))
            .with_safe_default_protocol_versions()
            .map_err(|e| e.to_string())?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let https = HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .build();
        Ok(ProviderHttp(Client::builder(TokioExecutor::new()).build(https)))
    });
    client.as_ref().map_err(|e| SsoError::Internal(ApiError::Internal(format!("TLS setup: {e}"))))
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct ProviderHttpError(String);

impl<'c> AsyncHttpClient<'c> for ProviderHttp {
    type Error = ProviderHttpError;
    type Future =
        Pin<Box<dyn Future<Output = Result<HttpResponse, ProviderHttpError>> + Send + 'c>>;

    fn call(&'c self, request: HttpRequest) -> Self::Future {
        Box::pin(async move {
            let err = |e: &dyn std::fmt::Display| ProviderHttpError(e.to_string());
            let uri = request.uri();
            let loopback = matches!(uri.host(), Some("localhost" | "127.0.0.1" | "[::1]"));
            if uri.scheme_str() != Some("https") && !(uri.scheme_str() == Some("http") && loopback)
            {
                return Err(ProviderHttpError(format!("refused a plain HTTP request to {uri}")));
            }
            let (parts, body) = request.into_parts();
            let request =
                openidconnect::http::Request::from_parts(parts, Full::new(Bytes::from(body)));
            let answer = async {
                let res = self.0.request(request).await.map_err(|e| err(&e))?;
                let (parts, body) = res.into_parts();
                let body = Limited::new(body, MAX_ANSWER).collect().await.map_err(|e| err(&e))?;
                Ok(HttpResponse::from_parts(parts, body.to_bytes().to_vec()))
            };
            tokio::time::timeout(PROVIDER_TIMEOUT, answer)
                .await
                .map_err(|_| ProviderHttpError("the provider took too long to answer".into()))?
        })
    }
}

/// The address users reach the server at: the configured public URL, or else the address this
/// request came to (fine on one machine; a real deployment sets the public URL, and the
/// provider accepts only the redirect URI registered with it anyway).
pub fn public_base(state: &AppState, headers: &axum::http::HeaderMap) -> String {
    if let Some(u) = &state.config().public_url {
        return u.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
        .map_or_else(|| state.config().bind.to_string(), str::to_owned);
    let scheme = if state.config().secure_cookies { "https" } else { "http" };
    format!("{scheme}://{host}")
}
