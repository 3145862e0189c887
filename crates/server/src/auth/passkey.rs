//! Passkeys (WebAuthn, via `webauthn-rs`): registering one from the account page, signing in
//! with one instead of a password (discoverable credentials: no e-mail typed), and using one as
//! the second step after the password.
//!
//! The relying party is the public URL setting (`Config::public_url`): its host is the RP id and
//! it is the only origin accepted. Without it, a request to `localhost` (any port) uses
//! `http://localhost:PORT`, for development and the tests; any other host is refused with a
//! message to set the public URL. The server's half of each ceremony is kept in the database
//! for two minutes and taken (deleted) by the request that finishes it.

use axum::http::{HeaderMap, header};
use physio_store::{AuditOutcome, PasskeyRecord, PendingPurpose, User};
use serde_json::Value;
use uuid::Uuid;
use webauthn_rs::prelude::{
    DiscoverableAuthentication, Passkey, PasskeyAuthentication, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential, Url, Webauthn, WebauthnBuilder,
};

use super::{Principal, SignedIn, pending, session::open_session, two_step};
use crate::{
    care::Act,
    error::ApiError,
    state::{Actor, AppState},
};

/// How long the browser has to answer a challenge.
const CEREMONY_LIFETIME: time::Duration = time::Duration::minutes(2);
const MAX_NAME_CHARS: usize = 60;

/// The relying party for this request (see the module's comment).
pub(crate) fn relying_party(state: &AppState, headers: &HeaderMap) -> Result<Webauthn, ApiError> {
    let origin = match &state.config().public_url {
        Some(u) => Url::parse(u)
            .map_err(|e| ApiError::Internal(format!("public URL {u:?} is not a URL: {e}")))?,
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
            let name = host.rsplit_once(':').map_or(host, |(n, _)| n);
            if name != "localhost" {
                return Err(ApiError::Conflict(
                    "passkeys need the server's public address: set public_url (PHYSIO_PUBLIC_URL)"
                        .into(),
                ));
            }
            Url::parse(&format!("http://{host}"))
                .map_err(|e| ApiError::BadRequest(format!("Host header: {e}")))?
        }
    };
    let rp_id = origin
        .host_str()
        .ok_or_else(|| ApiError::Internal("the public URL has no host".into()))?
        .to_owned();
    WebauthnBuilder::new(&rp_id, &origin)
        .and_then(|b| b.rp_name("Physio").build())
        .map_err(|e| ApiError::Internal(format!("WebAuthn relying party: {e}")))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string(v).map_err(|e| ApiError::Internal(format!("passkey state: {e}")))
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, ApiError> {
    serde_json::from_str(s).map_err(|e| ApiError::Internal(format!("passkey state: {e}")))
}

fn credential_of<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, ApiError> {
    serde_json::from_value(v).map_err(|e| {
        ApiError::BadRequest(format!("credential: not what the browser's passkey API returns: {e}"))
    })
}

/// The browser refused or the passkey did not match.
fn not_accepted(e: impl std::fmt::Display) -> ApiError {
    tracing::info!(reason = %e, "passkey not accepted");
    ApiError::invalid("credential", "this passkey was not accepted: try again, or use another way")
}

async fn put_ceremony(
    state: &AppState,
    user: Option<Uuid>,
    kind: &str,
    json: String,
) -> Result<Uuid, ApiError> {
    let id = Uuid::new_v4();
    let mut tx = state.store().begin().await?;
    tx.put_passkey_ceremony(id, user, kind, &json, state.now() + CEREMONY_LIFETIME).await?;
    tx.commit().await?;
    Ok(id)
}

fn gone() -> ApiError {
    ApiError::invalid("ceremony", "this passkey request has expired: try again")
}

/// Starts registering a passkey for the caller: the options for `navigator.credentials.create`.
pub async fn start_registration(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
) -> Result<(Uuid, Value), ApiError> {
    let rp = relying_party(state, headers)?;
    let existing = state.store().passkeys(p.user.id).await?;
    let exclude = existing
        .iter()
        .map(|r| from_json::<Passkey>(&r.credential).map(|k| k.cred_id().clone()))
        .collect::<Result<Vec<_>, _>>()?;
    let (options, reg) = rp
        .start_passkey_registration(p.user.id, &p.user.email, &p.user.name, Some(exclude))
        .map_err(|e| ApiError::Internal(format!("passkey registration: {e}")))?;
    let mut options =
        serde_json::to_value(&options).map_err(|e| ApiError::Internal(e.to_string()))?;
    // A discoverable credential, so the passkey alone can sign in without the e-mail typed
    // (the library asks for a non-discoverable one; what it checks at the end is the same).
    if let Some(sel) = options.pointer_mut("/publicKey/authenticatorSelection") {
        sel["residentKey"] = Value::from("required");
        sel["requireResidentKey"] = Value::from(true);
    }
    let id = put_ceremony(state, Some(p.user.id), "register", to_json(&reg)?).await?;
    Ok((id, options))
}

/// Finishes registering: checks the browser's answer and keeps the passkey under `name`.
pub async fn finish_registration(
    state: &AppState,
    p: &Principal,
    headers: &HeaderMap,
    ceremony: Uuid,
    name: &str,
    credential: Value,
) -> Result<PasskeyRecord, ApiError> {
    let mut act = Act::new(state, p, "enrol", "passkey");
    let r = async {
        let name = name.trim();
        let name = if name.is_empty() { "Passkey" } else { name };
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(ApiError::invalid(
                "name",
                "give the passkey a name of at most 60 characters",
            ));
        }
        let rp = relying_party(state, headers)?;
        let reg: RegisterPublicKeyCredential = credential_of(credential)?;
        let now = act.now();
        let tx = act.tx().await?;
        let (user, json) =
            tx.take_passkey_ceremony(ceremony, "register", now).await?.ok_or_else(gone)?;
        if user != Some(p.user.id) {
            return Err(gone());
        }
        let state_: PasskeyRegistration = from_json(&json)?;
        let key = rp.finish_passkey_registration(&reg, &state_).map_err(not_accepted)?;
        let cred_id = hex::encode::<&[u8]>(key.cred_id().as_ref());
        if tx.passkey_by_credential_id(&cred_id).await?.is_some() {
            return Err(ApiError::Conflict("this passkey is registered already".into()));
        }
        let id = tx.add_passkey(p.user.id, &cred_id, name, &to_json(&key)?, now).await?;
        let rec = tx.passkeys(p.user.id).await?.into_iter().find(|r| r.id == id);
        rec.ok_or(ApiError::NotFound("passkey"))
    }
    .await;
    act.finish(r).await
}

/// Removes one of the caller's passkeys, given their password. A staff member of a clinic
/// that requires a second step keeps their last one unless they have an authenticator app.
pub async fn remove(
    state: &AppState,
    p: &Principal,
    id: Uuid,
    password: &str,
) -> Result<(), ApiError> {
    let mut act = Act::new(state, p, "disable", "passkey");
    let r = async {
        crate::care::two_step::check_password(state, p, password).await?;
        let f = state.store().second_factors(p.user.id).await?;
        if f.passkeys == 1 && !f.totp && two_step::required_of(state, &p.user).await? {
            return Err(ApiError::Conflict(
                "your clinic requires two-step sign-in for staff: set up an authenticator app \
                 before removing your last passkey"
                    .into(),
            ));
        }
        if !act.tx().await?.delete_passkey(p.user.id, id).await? {
            return Err(ApiError::NotFound("passkey"));
        }
        Ok(())
    }
    .await;
    act.finish(r).await
}

/// Starts signing in with a passkey alone: options for `navigator.credentials.get` with no
/// credentials listed, so the browser offers the passkeys it holds for this site.
pub async fn start_sign_in(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(Uuid, Value), ApiError> {
    let rp = relying_party(state, headers)?;
    let (mut options, auth) = rp
        .start_discoverable_authentication()
        .map_err(|e| ApiError::Internal(format!("passkey sign-in: {e}")))?;
    // A button press, not the autofill ("conditional") flow the library sets by default.
    options.mediation = None;
    let id = put_ceremony(state, None, "sign_in", to_json(&auth)?).await?;
    Ok((id, serde_json::to_value(&options).map_err(|e| ApiError::Internal(e.to_string()))?))
}

/// Finishes signing in with a passkey alone and opens the session. A passkey checks the
/// user's fingerprint, face or PIN on their device, so it is two steps in one.
pub async fn finish_sign_in(
    state: &AppState,
    headers: &HeaderMap,
    ceremony: Uuid,
    credential: Value,
    request_id: Option<&str>,
) -> Result<SignedIn, ApiError> {
    let rp = relying_party(state, headers)?;
    let cred: PublicKeyCredential = credential_of(credential)?;
    let now = state.now();
    let anonymous = Actor { request_id, ..Actor::default() };
    let mut tx = state.store().begin().await?;
    let (_, json) = tx.take_passkey_ceremony(ceremony, "sign_in", now).await?.ok_or_else(gone)?;
    let auth: DiscoverableAuthentication = from_json(&json)?;
    let found = match rp.identify_discoverable_authentication(&cred) {
        Ok((user_id, cred_id)) => tx
            .passkey_by_credential_id(&hex::encode(cred_id))
            .await?
            .filter(|r| r.user_id == user_id),
        Err(_) => None,
    };
    let Some(record) = found else {
        tx.commit().await?;
        state.audit(anonymous, "login", "passkey", None, AuditOutcome::Failed).await?;
        return Err(not_accepted("unknown credential"));
    };
    let user = state.store().user(record.user_id).await?;
    let mut key: Passkey = from_json(&record.credential)?;
    let actor = Actor {
        clinic_id: Some(user.clinic_id),
        user_id: Some(user.id),
        role: Some(user.role),
        request_id,
    };
    let result = match rp.finish_discoverable_authentication_v2(&cred, auth, &key) {
        Ok(r) if user.active => r,
        outcome => {
            tx.commit().await?;
            state.audit(actor, "login", "passkey", None, AuditOutcome::Failed).await?;
            return Err(match outcome {
                Err(e) => not_accepted(e),
                Ok(_) => not_accepted("inactive account"),
            });
        }
    };
    key.update_credential(&result);
    tx.passkey_used(record.id, &to_json(&key)?, now).await?;
    let signed_in = open_session(state, &mut tx, user).await?;
    tx.append_audit(&actor.event(now, "login", "session", None, AuditOutcome::Success)).await?;
    tx.commit().await?;
    state.metrics().logins.with_label_values(&["success"]).inc();
    Ok(signed_in)
}

async fn pending_user_keys(
    state: &AppState,
    pending_secret: Option<&str>,
) -> Result<(physio_store::PendingSignIn, User, Vec<PasskeyRecord>), ApiError> {
    let (p, user) = pending(state, pending_secret).await?;
    if p.purpose != PendingPurpose::Verify {
        return Err(ApiError::Forbidden(two_step::SET_UP_TWO_STEP.into()));
    }
    let keys = state.store().passkeys(user.id).await?;
    if keys.is_empty() {
        return Err(ApiError::Conflict("this account has no passkey: use a code instead".into()));
    }
    Ok((p, user, keys))
}

/// Starts the passkey second step of a pending sign-in: options listing the user's passkeys.
pub async fn start_second_step(
    state: &AppState,
    headers: &HeaderMap,
    pending_secret: Option<&str>,
) -> Result<(Uuid, Value), ApiError> {
    let rp = relying_party(state, headers)?;
    let (_, user, records) = pending_user_keys(state, pending_secret).await?;
    let keys = records.iter().map(|r| from_json(&r.credential)).collect::<Result<Vec<_>, _>>()?;
    let (options, auth) = rp
        .start_passkey_authentication(&keys)
        .map_err(|e| ApiError::Internal(format!("passkey second step: {e}")))?;
    let id = put_ceremony(state, Some(user.id), "second_step", to_json(&auth)?).await?;
    Ok((id, serde_json::to_value(&options).map_err(|e| ApiError::Internal(e.to_string()))?))
}

/// Finishes the pending sign-in with a passkey and opens the session.
pub async fn finish_second_step(
    state: &AppState,
    headers: &HeaderMap,
    pending_secret: Option<&str>,
    ceremony: Uuid,
    credential: Value,
    request_id: Option<&str>,
) -> Result<SignedIn, ApiError> {
    let rp = relying_party(state, headers)?;
    let cred: PublicKeyCredential = credential_of(credential)?;
    let (p, user, records) = pending_user_keys(state, pending_secret).await?;
    let now = state.now();
    let mut tx = state.store().begin().await?;
    let (owner, json) =
        tx.take_passkey_ceremony(ceremony, "second_step", now).await?.ok_or_else(gone)?;
    if owner != Some(user.id) {
        return Err(gone());
    }
    let auth: PasskeyAuthentication = from_json(&json)?;
    let verified = rp.finish_passkey_authentication(&cred, &auth);
    let record = records.iter().find(|r| r.credential_id == hex::encode(cred.get_credential_id()));
    let (result, record) = match (verified, record) {
        (Ok(r), Some(rec)) => (r, rec),
        (outcome, _) => {
            tx.record_pending_failure(p.id).await?;
            let actor = Actor {
                clinic_id: Some(user.clinic_id),
                user_id: Some(user.id),
                role: Some(user.role),
                request_id,
            };
            tx.append_audit(&actor.event(
                now,
                "second_step",
                "passkey",
                None,
                AuditOutcome::Failed,
            ))
            .await?;
            tx.commit().await?;
            return Err(not_accepted(
                outcome.err().map_or("unknown credential".into(), |e| e.to_string()),
            ));
        }
    };
    let mut key: Passkey = from_json(&record.credential)?;
    key.update_credential(&result);
    tx.passkey_used(record.id, &to_json(&key)?, now).await?;
    two_step::finish(state, tx, &p, user, "passkey", request_id).await
}
