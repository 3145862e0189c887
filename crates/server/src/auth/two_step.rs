//! Two-step sign-in: the pending sign-in between the password and the second step, checking
//! an authenticator-app code (RFC 6238) or a one-time recovery code, and the clinic's rule that
//! staff must have a second step.
//!
//! A pending sign-in is a random secret in its own cookie (the database keeps its SHA-256),
//! bound to one user, lasting [`PENDING_LIFETIME`], used once, and ended after
//! [`MAX_WRONG_CODES`] wrong codes. Only a right second step turns it into a session, through
//! `session::open_session` like every other way of signing in.

use axum_extra::extract::cookie::{Cookie, SameSite};
use physio_store::{AuditOutcome, PendingPurpose, PendingSignIn, Role, SecondFactors, Tx, User};
use rand::Rng;
use totp_rs::{Builder, Secret};
use uuid::Uuid;

use super::{SignedIn, new_secret, session::open_session, sha256_hex};
use crate::{
    error::ApiError,
    state::{Actor, AppState},
};

pub const PENDING_COOKIE: &str = "physio_pending";
/// How long the second step may take after the password.
pub const PENDING_LIFETIME: time::Duration = time::Duration::minutes(5);
/// Wrong codes allowed per pending sign-in; then the password is needed again.
pub const MAX_WRONG_CODES: i64 = 5;
/// How many recovery codes a user gets at a time.
pub const RECOVERY_CODES: usize = 10;
/// The name authenticator apps show beside the code.
const ISSUER: &str = "Physio";

/// What the API and pages say when the clinic requires a second step the user has not set up.
pub const SET_UP_TWO_STEP: &str = "your clinic requires two-step sign-in for staff: set it up \
    by signing in on the web page, which takes you through it";

/// What a correct password leads to.
pub enum SignInOutcome {
    SignedIn(SignedIn),
    /// A second step is needed (or, with `PendingPurpose::Enrol`, must first be set up): the
    /// secret goes into the pending cookie.
    SecondStep(PendingStep),
}

pub struct PendingStep {
    pub user: User,
    pub secret: String,
    pub purpose: PendingPurpose,
    pub factors: SecondFactors,
}

/// Whether the clinic requires a second step of this user (clinicians and admins only).
pub(crate) async fn required_of(state: &AppState, user: &User) -> Result<bool, ApiError> {
    if user.role == Role::Patient {
        return Ok(false);
    }
    Ok(state.store().clinic_staff_two_step(user.clinic_id).await?)
}

/// Decides, inside the sign-in's transaction and after the password was right, whether a
/// second step comes before the session: the user has one, or the clinic requires one they
/// have not set up (then an authenticator-app enrolment is begun for them).
pub(crate) async fn after_password(
    state: &AppState,
    tx: &mut Tx,
    user: &User,
) -> Result<Option<PendingStep>, ApiError> {
    let factors = tx.second_factors(user.id).await?;
    let purpose = if factors.any() {
        PendingPurpose::Verify
    } else if required_of(state, user).await? {
        // An enrolment begun at an earlier sign-in is kept: the user may have scanned it.
        if tx.totp_factor(user.id).await?.is_none() {
            tx.start_totp_enrolment(user.id, &new_totp_secret(), state.now()).await?;
        }
        PendingPurpose::Enrol
    } else {
        return Ok(None);
    };
    let secret = new_secret();
    let now = state.now();
    tx.create_pending_sign_in(&sha256_hex(&secret), user.id, purpose, now, now + PENDING_LIFETIME)
        .await?;
    Ok(Some(PendingStep { user: user.clone(), secret, purpose, factors }))
}

/// The pending-sign-in cookie: HttpOnly, SameSite=Strict (it is only ever sent to our own
/// forms), gone with the browser or after five minutes.
pub fn pending_cookie(state: &AppState, secret: String) -> Cookie<'static> {
    Cookie::build((PENDING_COOKIE, secret))
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.config().secure_cookies)
        .path("/")
        .max_age(time::Duration::minutes(5))
        .build()
}

pub fn pending_removal_cookie(state: &AppState) -> Cookie<'static> {
    let mut c = pending_cookie(state, String::new());
    c.make_removal();
    c
}

const START_AGAIN: &str = "this sign-in has ended (it lasts 5 minutes and allows 5 wrong codes): \
    sign in again with your password";

/// The live pending sign-in of this cookie secret, and its user.
pub(crate) async fn pending(
    state: &AppState,
    secret: Option<&str>,
) -> Result<(PendingSignIn, User), ApiError> {
    let gone = || ApiError::Forbidden(START_AGAIN.into());
    let secret = secret.ok_or_else(gone)?;
    let p = state.store().pending_sign_in_by_hash(&sha256_hex(secret)).await?.ok_or_else(gone)?;
    if p.used_at.is_some() || state.now() >= p.expires_at || p.failures >= MAX_WRONG_CODES {
        return Err(gone());
    }
    let user = state.store().user(p.user_id).await?;
    if !user.active {
        return Err(gone());
    }
    Ok((p, user))
}

fn actor_of<'a>(user: &User, request_id: Option<&'a str>) -> Actor<'a> {
    Actor {
        clinic_id: Some(user.clinic_id),
        user_id: Some(user.id),
        role: Some(user.role),
        request_id,
    }
}

/// A second step as typed on the form or sent to the API.
pub enum Code<'a> {
    /// Six digits from the authenticator app.
    App(&'a str),
    /// One of the recovery codes.
    Recovery(&'a str),
}

/// Finishes a pending sign-in (purpose `Verify`) with an app code or a recovery code. A wrong
/// code counts against the pending sign-in and is audited; the fifth ends it.
pub async fn verify_code(
    state: &AppState,
    pending_secret: Option<&str>,
    code: Code<'_>,
    request_id: Option<&str>,
) -> Result<SignedIn, ApiError> {
    let (p, user) = pending(state, pending_secret).await?;
    if p.purpose != PendingPurpose::Verify {
        return Err(ApiError::Forbidden(SET_UP_TWO_STEP.into()));
    }
    let actor = actor_of(&user, request_id);
    let now = state.now();
    let mut tx = state.store().begin().await?;
    let (ok, resource, field) = match code {
        Code::App(code) => {
            let step = match tx.totp_factor(user.id).await? {
                Some(f) if f.confirmed_at.is_some() => check_app_code(&f.secret, code, now)?,
                _ => None,
            };
            let ok = match step {
                Some(step) => tx.use_totp_step(user.id, step).await?,
                None => false,
            };
            (ok, "totp", "code")
        }
        Code::Recovery(code) => {
            let hash = recovery_hash(code);
            (tx.use_recovery_code(user.id, &hash, now).await?, "recovery_code", "recovery_code")
        }
    };
    if !ok {
        let failures = tx.record_pending_failure(p.id).await?;
        tx.append_audit(&actor.event(now, "second_step", resource, None, AuditOutcome::Failed))
            .await?;
        tx.commit().await?;
        if failures >= MAX_WRONG_CODES {
            return Err(ApiError::Forbidden(START_AGAIN.into()));
        }
        let message = match field {
            "code" => {
                "that code is not right: type the 6 digits your authenticator app shows \
                now (each code works once)"
            }
            _ => "that recovery code is not right, or was used already",
        };
        return Err(ApiError::invalid(field, message));
    }
    finish(state, tx, &p, user, resource, request_id).await
}

/// Ends the pending sign-in and opens the session, audited as a sign-in by `how`.
pub(crate) async fn finish(
    state: &AppState,
    mut tx: Tx,
    p: &PendingSignIn,
    user: User,
    how: &str,
    request_id: Option<&str>,
) -> Result<SignedIn, ApiError> {
    let now = state.now();
    if !tx.finish_pending_sign_in(p.id, now).await? {
        return Err(ApiError::Forbidden(START_AGAIN.into()));
    }
    let actor = actor_of(&user, request_id);
    if how == "recovery_code" {
        tx.append_audit(&actor.event(now, "use", "recovery_code", None, AuditOutcome::Success))
            .await?;
    }
    let signed_in = open_session(state, &mut tx, user).await?;
    tx.append_audit(&actor.event(now, "login", "session", None, AuditOutcome::Success)).await?;
    tx.commit().await?;
    state.metrics().logins.with_label_values(&["success"]).inc();
    Ok(signed_in)
}

/// A new random 160-bit TOTP secret, base32 (what authenticator apps take).
pub(crate) fn new_totp_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill(&mut bytes);
    Secret::from(bytes).to_base32()
}

fn totp_of(secret: &str, account: &str) -> Result<totp_rs::Totp, ApiError> {
    let secret = Secret::try_from_base32(secret)
        .map_err(|e| ApiError::Internal(format!("stored TOTP secret: {e}")))?;
    Builder::new()
        .with_secret(secret)
        .with_account_name(account.replace(':', ""))
        .with_issuer(Some(ISSUER))
        .build()
        .map_err(|e| ApiError::Internal(format!("TOTP: {e}")))
}

/// The time step of `code` if it is right now (one step of clock drift either way), else
/// `None`. Spaces and dashes the user typed are ignored.
pub(crate) fn check_app_code(
    secret: &str,
    code: &str,
    now: time::OffsetDateTime,
) -> Result<Option<i64>, ApiError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let t = u64::try_from(now.unix_timestamp()).unwrap_or(0);
    Ok(totp_of(secret, "")?.check(&code, t).and_then(|s| i64::try_from(s).ok()))
}

/// The `otpauth://` address the QR code carries.
pub fn otpauth_url(secret: &str, account: &str) -> Result<String, ApiError> {
    totp_of(secret, account)?.to_url().map_err(|e| ApiError::Internal(format!("TOTP URL: {e}")))
}

/// The QR code of `text` as an SVG drawn here (no outside service sees the secret).
pub fn qr_svg(text: &str) -> Result<String, ApiError> {
    let code = qrcode::QrCode::new(text.as_bytes())
        .map_err(|e| ApiError::Internal(format!("QR code: {e}")))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build())
}

/// Ten new recovery codes: 10 characters each from an alphabet without look-alikes, shown as
/// two groups of five (`k7m2p-9xqr4`). About 50 bits each; they are stored as SHA-256, which
/// is enough for random codes of that strength (no dictionary to try).
pub(crate) fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let s: String = (0..10)
                .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
                .collect();
            format!("{}-{}", &s[..5], &s[5..])
        })
        .collect()
}

/// The stored form of a recovery code, however it was typed (case, spaces, dash).
pub(crate) fn recovery_hash(code: &str) -> String {
    let clean: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    sha256_hex(&format!("recovery\0{clean}"))
}

/// Replaces the user's recovery codes inside `tx`; returns the new codes to show once.
pub(crate) async fn renew_recovery_codes(
    tx: &mut Tx,
    user_id: Uuid,
    now: time::OffsetDateTime,
) -> Result<Vec<String>, ApiError> {
    let codes = new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| recovery_hash(c)).collect();
    tx.replace_recovery_codes(user_id, &hashes, now).await?;
    Ok(codes)
}

/// Finishes a pending sign-in of purpose `Enrol`: the first code from the app confirms the
/// enrolment begun at the password, recovery codes are made, and the session opens. Returns
/// the session and the recovery codes, shown once.
pub async fn enrol_and_sign_in(
    state: &AppState,
    pending_secret: Option<&str>,
    code: &str,
    request_id: Option<&str>,
) -> Result<(SignedIn, Vec<String>), ApiError> {
    let (p, user) = pending(state, pending_secret).await?;
    if p.purpose != PendingPurpose::Enrol {
        return Err(ApiError::Forbidden(START_AGAIN.into()));
    }
    let actor = actor_of(&user, request_id);
    let now = state.now();
    let mut tx = state.store().begin().await?;
    let factor = tx.totp_factor(user.id).await?.filter(|f| f.confirmed_at.is_none());
    let step = match &factor {
        Some(f) => check_app_code(&f.secret, code, now)?,
        None => return Err(ApiError::Forbidden(START_AGAIN.into())),
    };
    let Some(step) = step else {
        let failures = tx.record_pending_failure(p.id).await?;
        tx.append_audit(&actor.event(now, "enrol", "totp", None, AuditOutcome::Failed)).await?;
        tx.commit().await?;
        if failures >= MAX_WRONG_CODES {
            return Err(ApiError::Forbidden(START_AGAIN.into()));
        }
        return Err(ApiError::invalid(
            "code",
            "that code is not right: type the 6 digits your authenticator app shows now",
        ));
    };
    tx.confirm_totp_factor(user.id, step, now).await?;
    let codes = renew_recovery_codes(&mut tx, user.id, now).await?;
    tx.append_audit(&actor.event(now, "enrol", "totp", None, AuditOutcome::Success)).await?;
    let signed_in = finish(state, tx, &p, user, "totp", request_id).await?;
    Ok((signed_in, codes))
}

/// The enrolment begun for a pending sign-in of purpose `Enrol`: its secret and the QR code.
pub async fn pending_enrolment(
    state: &AppState,
    pending_secret: Option<&str>,
) -> Result<(User, String), ApiError> {
    let (p, user) = pending(state, pending_secret).await?;
    if p.purpose != PendingPurpose::Enrol {
        return Err(ApiError::Forbidden(START_AGAIN.into()));
    }
    let f = state.store().totp_factor(user.id).await?.filter(|f| f.confirmed_at.is_none());
    let f = f.ok_or_else(|| ApiError::Forbidden(START_AGAIN.into()))?;
    Ok((user, f.secret))
}
