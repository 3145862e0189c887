//! The caller's own account: password change, sessions, and the links that set a password
//! (reset by e-mail, invitations) for someone not signed in.

use axum::{
    extract::State,
    http::{HeaderMap, StatusCode},
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    api::UserView,
    auth::{self, Principal, links},
    care,
    error::{ApiError, ApiJson, ErrorBody},
    http::ClientIp,
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_account))
        .routes(routes!(change_password))
        .routes(routes!(list_sessions))
        .routes(routes!(sign_out_others))
        .routes(routes!(request_reset))
        .routes(routes!(set_password))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    pub user: UserView,
    /// The password was chosen by an admin: choose your own with `POST /api/v1/account/password`.
    pub must_change_password: bool,
}

/// The caller's own account.
#[utoipa::path(get, path = "/api/v1/account", tag = "account",
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = AccountView), (status = 401, body = ErrorBody)))]
async fn get_account(
    State(state): State<AppState>,
    p: Principal,
) -> Result<ApiJson<AccountView>, ApiError> {
    let a = care::account::get(&state, &p).await?;
    Ok(ApiJson(AccountView { user: a.user.into(), must_change_password: a.must_change_password }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    pub current_password: String,
    /// At least 12 characters and hard to guess: three or four unrelated words work well.
    pub new_password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionsEnded {
    /// How many of the account's other sessions were signed out.
    pub sessions_ended: u64,
}

/// Change your password. Every other session of the account ends; this one stays.
#[utoipa::path(post, path = "/api/v1/account/password", tag = "account", request_body = ChangePassword,
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = SessionsEnded), (status = 401, body = ErrorBody),
        (status = 422, description = "Current password wrong, or the new one too weak", body = ErrorBody)))]
async fn change_password(
    State(state): State<AppState>,
    p: Principal,
    ApiJson(req): ApiJson<ChangePassword>,
) -> Result<ApiJson<SessionsEnded>, ApiError> {
    let n = care::account::change_password(&state, &p, &req.current_password, &req.new_password)
        .await?;
    Ok(ApiJson(SessionsEnded { sessions_ended: n }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub last_active_at: OffsetDateTime,
    /// The session this request came with.
    pub current: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionList {
    pub sessions: Vec<SessionView>,
}

/// The sessions you are signed in with, most recently active first.
#[utoipa::path(get, path = "/api/v1/account/sessions", tag = "account",
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = SessionList), (status = 401, body = ErrorBody)))]
async fn list_sessions(
    State(state): State<AppState>,
    p: Principal,
) -> Result<ApiJson<SessionList>, ApiError> {
    let sessions = care::account::sessions(&state, &p).await?;
    Ok(ApiJson(SessionList {
        sessions: sessions
            .into_iter()
            .map(|s| SessionView {
                id: s.id,
                started_at: s.started_at,
                last_active_at: s.last_active_at,
                current: s.current,
            })
            .collect(),
    }))
}

/// Sign out everywhere else: every session of the account but this one ends.
#[utoipa::path(post, path = "/api/v1/account/sessions/sign-out-others", tag = "account",
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = SessionsEnded), (status = 401, body = ErrorBody)))]
async fn sign_out_others(
    State(state): State<AppState>,
    p: Principal,
) -> Result<ApiJson<SessionsEnded>, ApiError> {
    let n = care::account::sign_out_others(&state, &p).await?;
    Ok(ApiJson(SessionsEnded { sessions_ended: n }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResetAnswer {
    /// The same whether or not an account has this address.
    pub message: String,
}

/// Forgot your password: e-mails a link to choose a new one. The answer is the same whether or
/// not the address has an account.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth", request_body = ResetRequest,
    responses((status = 202, body = ResetAnswer), (status = 409, description = "This server cannot send e-mail", body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn request_reset(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<ResetRequest>,
) -> Result<(StatusCode, ApiJson<ResetAnswer>), ApiError> {
    let rid = auth::request_id(&headers);
    links::request_reset(&state, &req.email, ip, rid.as_deref()).await?;
    Ok((
        StatusCode::ACCEPTED,
        ApiJson(ResetAnswer { message: crate::auth::links::RESET_ANSWER.into() }),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetPassword {
    /// The `token` of the link from the reset or invitation e-mail.
    pub token: String,
    pub password: String,
}

/// Set your password with the link from a reset or invitation e-mail. The link works once;
/// every session of the account ends. Then sign in with the new password.
#[utoipa::path(post, path = "/api/v1/auth/set-password", tag = "auth", request_body = SetPassword,
    responses((status = 204, description = "Password set"),
        (status = 422, description = "The link is used or expired (field `token`), or the password too weak", body = ErrorBody)))]
async fn set_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<SetPassword>,
) -> Result<StatusCode, ApiError> {
    let rid = auth::request_id(&headers);
    links::set_password_with_link(&state, &req.token, &req.password, rid.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}
