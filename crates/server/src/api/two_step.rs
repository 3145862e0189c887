//! Two-step sign-in for API clients and the browser's passkey code: the second step after the
//! password, the caller's authenticator app and recovery codes, passkeys, and the clinic's
//! rule for staff.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    api::auth::{LoginResponse, signed_in},
    auth::{self, Code, PENDING_COOKIE, Principal, passkey},
    care,
    error::{ApiError, ApiJson, ApiPath, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(second_step))
        .routes(routes!(status))
        .routes(routes!(start_app))
        .routes(routes!(confirm_app))
        .routes(routes!(turn_off_app))
        .routes(routes!(renew_codes))
        .routes(routes!(get_rule, set_rule))
        .routes(routes!(passkey_options))
        .routes(routes!(passkey_register))
        .routes(routes!(passkey_remove))
        .routes(routes!(passkey_sign_in_options))
        .routes(routes!(passkey_sign_in))
        .routes(routes!(passkey_second_step_options))
        .routes(routes!(passkey_second_step))
}

fn pending_secret(jar: &CookieJar) -> Option<String> {
    jar.get(PENDING_COOKIE).map(|c| c.value().to_owned())
}

/// A code for the second step: `code` from the authenticator app, or `recovery_code`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecondStepRequest {
    pub code: Option<String>,
    pub recovery_code: Option<String>,
}

/// Finish signing in with the code from the authenticator app or a recovery code, after
/// `POST /api/v1/auth/login` answered 202. Five wrong codes end the pending sign-in.
#[utoipa::path(post, path = "/api/v1/auth/second-step", tag = "auth",
    request_body = SecondStepRequest,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = LoginResponse),
        (status = 403, description = "No pending sign-in, or it has ended: sign in again", body = ErrorBody),
        (status = 422, description = "Wrong code", body = ErrorBody),
    ))]
async fn second_step(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(req): ApiJson<SecondStepRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let code = match (&req.code, &req.recovery_code) {
        (Some(c), None) => Code::App(c),
        (None, Some(c)) => Code::Recovery(c),
        _ => {
            return Err(ApiError::invalid(
                "code",
                "send either code (from the authenticator app) or recovery_code",
            ));
        }
    };
    let rid = auth::request_id(&headers);
    let secret = pending_secret(&jar);
    let s = auth::verify_code(&state, secret.as_deref(), code, rid.as_deref()).await?;
    Ok(signed_in(&state, jar.add(auth::pending_removal_cookie(&state)), s))
}

/// The caller's second steps.
#[derive(Debug, Serialize, ToSchema)]
pub struct TwoStepStatus {
    /// An authenticator app is set up.
    pub app: bool,
    pub recovery_codes_left: i64,
    pub passkeys: Vec<PasskeyView>,
    /// The clinic requires a second step of this account.
    pub required: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PasskeyView {
    pub id: Uuid,
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
}

impl From<physio_store::PasskeyRecord> for PasskeyView {
    fn from(r: physio_store::PasskeyRecord) -> Self {
        PasskeyView {
            id: r.id,
            name: r.name,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
        }
    }
}

/// The caller's two-step sign-in: authenticator app, recovery codes left, passkeys.
#[utoipa::path(get, path = "/api/v1/account/two-step", tag = "auth",
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = TwoStepStatus), (status = 401, body = ErrorBody)))]
async fn status(
    State(state): State<AppState>,
    p: Principal,
) -> Result<ApiJson<TwoStepStatus>, ApiError> {
    let f = state.store().second_factors(p.user.id).await?;
    let passkeys = state.store().passkeys(p.user.id).await?;
    Ok(ApiJson(TwoStepStatus {
        app: f.totp,
        recovery_codes_left: f.recovery_codes_left,
        passkeys: passkeys.into_iter().map(Into::into).collect(),
        required: auth::required_of(&state, &p.user).await?,
    }))
}

/// A new authenticator-app secret to confirm.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppSecret {
    /// Base32, for typing into the app by hand.
    pub secret: String,
    /// The `otpauth://` address (what the QR code holds).
    pub otpauth_url: String,
}

/// Begin setting up an authenticator app. Nothing changes at sign-in until
/// `POST /api/v1/account/two-step/app/confirm` confirms it with a first code.
#[utoipa::path(post, path = "/api/v1/account/two-step/app", tag = "auth",
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = AppSecret), (status = 409, body = ErrorBody)))]
async fn start_app(
    State(state): State<AppState>,
    p: Principal,
) -> Result<ApiJson<AppSecret>, ApiError> {
    let secret = care::two_step::start_app(&state, &p).await?;
    let otpauth_url = auth::otpauth_url(&secret, &p.user.email)?;
    Ok(ApiJson(AppSecret { secret, otpauth_url }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    pub code: String,
}

/// Recovery codes: each works once, in place of an app code. Shown only now.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// Confirm the authenticator app with its first code; returns the recovery codes.
#[utoipa::path(post, path = "/api/v1/account/two-step/app/confirm", tag = "auth",
    request_body = CodeRequest, security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = RecoveryCodes), (status = 422, body = ErrorBody)))]
async fn confirm_app(
    State(state): State<AppState>,
    p: Principal,
    ApiJson(req): ApiJson<CodeRequest>,
) -> Result<ApiJson<RecoveryCodes>, ApiError> {
    let recovery_codes = care::two_step::confirm_app(&state, &p, &req.code).await?;
    Ok(ApiJson(RecoveryCodes { recovery_codes }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordRequest {
    pub password: String,
}

/// Turn the authenticator app off (its recovery codes go with it). Needs the password.
#[utoipa::path(post, path = "/api/v1/account/two-step/app/off", tag = "auth",
    request_body = PasswordRequest, security(("session" = []), ("bearer" = [])),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn turn_off_app(
    State(state): State<AppState>,
    p: Principal,
    ApiJson(req): ApiJson<PasswordRequest>,
) -> Result<StatusCode, ApiError> {
    care::two_step::turn_off_app(&state, &p, &req.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// New recovery codes in place of the old ones. Needs the password.
#[utoipa::path(post, path = "/api/v1/account/two-step/recovery-codes", tag = "auth",
    request_body = PasswordRequest, security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = RecoveryCodes), (status = 422, body = ErrorBody)))]
async fn renew_codes(
    State(state): State<AppState>,
    p: Principal,
    ApiJson(req): ApiJson<PasswordRequest>,
) -> Result<ApiJson<RecoveryCodes>, ApiError> {
    let recovery_codes = care::two_step::renew_codes(&state, &p, &req.password).await?;
    Ok(ApiJson(RecoveryCodes { recovery_codes }))
}

/// The clinic's rule: whether its clinicians and admins must use two-step sign-in.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffRule {
    pub staff_must_use_two_step: bool,
}

/// Whether the clinic's staff must use two-step sign-in (admins).
#[utoipa::path(get, path = "/api/v1/clinic/two-step", tag = "users",
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = StaffRule), (status = 403, body = ErrorBody)))]
async fn get_rule(
    State(state): State<AppState>,
    p: Principal,
) -> Result<ApiJson<StaffRule>, ApiError> {
    let on = care::two_step::staff_rule(&state, &p).await?;
    Ok(ApiJson(StaffRule { staff_must_use_two_step: on }))
}

/// Set whether the clinic's staff must use two-step sign-in (admins; turning it on needs
/// the admin's own second step first).
#[utoipa::path(put, path = "/api/v1/clinic/two-step", tag = "users", request_body = StaffRule,
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = StaffRule), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn set_rule(
    State(state): State<AppState>,
    p: Principal,
    ApiJson(req): ApiJson<StaffRule>,
) -> Result<ApiJson<StaffRule>, ApiError> {
    let on = care::two_step::set_staff_rule(&state, &p, req.staff_must_use_two_step).await?;
    Ok(ApiJson(StaffRule { staff_must_use_two_step: on }))
}

/// The options to pass to the browser's WebAuthn call, and the id to send back with its answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct PasskeyOptions {
    pub ceremony: Uuid,
    /// `{"publicKey": …}` with binary fields as base64url.
    #[schema(value_type = Object)]
    pub options: Value,
}

/// The browser's answer to a WebAuthn call (binary fields as base64url).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasskeyAnswer {
    pub ceremony: Uuid,
    #[schema(value_type = Object)]
    pub credential: Value,
    /// For a new passkey: a name to tell it apart ("Phone"); at most 60 characters.
    #[serde(default)]
    pub name: String,
}

/// Start registering a passkey for the caller.
#[utoipa::path(post, path = "/api/v1/account/passkeys/options", tag = "auth",
    security(("session" = []), ("bearer" = [])),
    responses((status = 409, description = "Passkeys need the server's public address (`public_url`)", body = ErrorBody), (status = 200, body = PasskeyOptions), (status = 401, body = ErrorBody)))]
async fn passkey_options(
    State(state): State<AppState>,
    p: Principal,
    headers: HeaderMap,
) -> Result<ApiJson<PasskeyOptions>, ApiError> {
    let (ceremony, options) = passkey::start_registration(&state, &p, &headers).await?;
    Ok(ApiJson(PasskeyOptions { ceremony, options }))
}

/// Finish registering a passkey with the browser's answer.
#[utoipa::path(post, path = "/api/v1/account/passkeys", tag = "auth", request_body = PasskeyAnswer,
    security(("session" = []), ("bearer" = [])),
    responses((status = 409, description = "Passkeys need the server's public address (`public_url`)", body = ErrorBody), (status = 201, body = PasskeyView), (status = 422, body = ErrorBody)))]
async fn passkey_register(
    State(state): State<AppState>,
    p: Principal,
    headers: HeaderMap,
    ApiJson(req): ApiJson<PasskeyAnswer>,
) -> Result<impl IntoResponse, ApiError> {
    let rec =
        passkey::finish_registration(&state, &p, &headers, req.ceremony, &req.name, req.credential)
            .await?;
    Ok((StatusCode::CREATED, ApiJson(PasskeyView::from(rec))))
}

/// Remove one of the caller's passkeys. Needs the password.
#[utoipa::path(post, path = "/api/v1/account/passkeys/{passkey_id}/remove", tag = "auth",
    request_body = PasswordRequest, security(("session" = []), ("bearer" = [])),
    params(("passkey_id" = Uuid, Path)),
    responses((status = 409, description = "Passkeys need the server's public address (`public_url`)", body = ErrorBody), (status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn passkey_remove(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(passkey_id): ApiPath<Uuid>,
    ApiJson(req): ApiJson<PasswordRequest>,
) -> Result<StatusCode, ApiError> {
    passkey::remove(&state, &p, passkey_id, &req.password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Start signing in with a passkey instead of a password (the browser offers the passkeys it
/// holds for this site).
#[utoipa::path(post, path = "/api/v1/auth/passkey/options", tag = "auth",
    responses((status = 409, description = "Passkeys need the server's public address (`public_url`)", body = ErrorBody), (status = 200, body = PasskeyOptions)))]
async fn passkey_sign_in_options(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<ApiJson<PasskeyOptions>, ApiError> {
    let (ceremony, options) = passkey::start_sign_in(&state, &headers).await?;
    Ok(ApiJson(PasskeyOptions { ceremony, options }))
}

/// Finish signing in with a passkey. Sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/passkey", tag = "auth", request_body = PasskeyAnswer,
    responses((status = 409, description = "Passkeys need the server's public address (`public_url`)", body = ErrorBody), (status = 200, body = LoginResponse), (status = 422, body = ErrorBody)))]
async fn passkey_sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(req): ApiJson<PasskeyAnswer>,
) -> Result<impl IntoResponse, ApiError> {
    let rid = auth::request_id(&headers);
    let s = passkey::finish_sign_in(&state, &headers, req.ceremony, req.credential, rid.as_deref())
        .await?;
    Ok(signed_in(&state, jar.add(auth::pending_removal_cookie(&state)), s))
}

/// Start the passkey second step of a pending sign-in.
#[utoipa::path(post, path = "/api/v1/auth/second-step/passkey/options", tag = "auth",
    responses((status = 409, description = "Passkeys need the server's public address (`public_url`)", body = ErrorBody), (status = 200, body = PasskeyOptions), (status = 403, body = ErrorBody)))]
async fn passkey_second_step_options(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
) -> Result<ApiJson<PasskeyOptions>, ApiError> {
    let secret = pending_secret(&jar);
    let (ceremony, options) =
        passkey::start_second_step(&state, &headers, secret.as_deref()).await?;
    Ok(ApiJson(PasskeyOptions { ceremony, options }))
}

/// Finish a pending sign-in with a passkey. Sets the session cookie.
#[utoipa::path(post, path = "/api/v1/auth/second-step/passkey", tag = "auth",
    request_body = PasskeyAnswer,
    responses((status = 409, description = "Passkeys need the server's public address (`public_url`)", body = ErrorBody), (status = 200, body = LoginResponse), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn passkey_second_step(
    State(state): State<AppState>,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(req): ApiJson<PasskeyAnswer>,
) -> Result<impl IntoResponse, ApiError> {
    let rid = auth::request_id(&headers);
    let secret = pending_secret(&jar);
    let s = passkey::finish_second_step(
        &state,
        &headers,
        secret.as_deref(),
        req.ceremony,
        req.credential,
        rid.as_deref(),
    )
    .await?;
    Ok(signed_in(&state, jar.add(auth::pending_removal_cookie(&state)), s))
}
