//! API tokens for programmatic clients. The secret is shown once, at creation.

use axum::{extract::State, http::StatusCode};
use physio_store::{ApiToken, TokenScope};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    auth::Principal,
    error::{ApiError, ApiJson, ApiPath, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_tokens, create_token)).routes(routes!(revoke_token))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenView {
    pub id: Uuid,
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_used_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
    /// After this the token no longer works.
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// `read` (only reads) or `read_write`.
    #[schema(value_type = String, example = "read")]
    pub scope: TokenScope,
}

impl From<ApiToken> for TokenView {
    fn from(t: ApiToken) -> Self {
        TokenView {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
            expires_at: t.expires_at,
            scope: t.scope,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenList {
    pub tokens: Vec<TokenView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// What the token is for, e.g. "nightly export".
    pub name: String,
    /// How many days the token lasts: 1 to 365, 90 if left out.
    #[serde(default)]
    pub expires_in_days: Option<i64>,
    /// `read` (the token may only read) or `read_write` (the default).
    #[serde(default)]
    pub scope: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    #[serde(flatten)]
    pub token: TokenView,
    /// The secret: send it as `Authorization: Bearer <secret>`. It is not shown again.
    pub secret: String,
}

/// Your API tokens, with when each expires and what it may do.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "auth",
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = TokenList), (status = 401, body = ErrorBody)))]
async fn list_tokens(
    State(state): State<AppState>,
    p: Principal,
) -> Result<ApiJson<TokenList>, ApiError> {
    let tokens = crate::care::tokens::list(&state, &p).await?;
    Ok(ApiJson(TokenList { tokens: tokens.into_iter().map(TokenView::from).collect() }))
}

/// Create an API token that acts as you. Needs a signed-in session: a token cannot create
/// tokens.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "auth", request_body = NewToken,
    security(("session" = [])),
    responses((status = 201, body = CreatedToken), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn create_token(
    State(state): State<AppState>,
    p: Principal,
    ApiJson(req): ApiJson<NewToken>,
) -> Result<(StatusCode, ApiJson<CreatedToken>), ApiError> {
    let req = crate::care::tokens::TokenRequest {
        name: req.name,
        expires_in_days: req.expires_in_days,
        scope: req.scope,
    };
    let (t, secret) = crate::care::tokens::create(&state, &p, &req).await?;
    Ok((StatusCode::CREATED, ApiJson(CreatedToken { token: t.into(), secret })))
}

/// Revoke one of your API tokens. Needs a signed-in session; a token revokes itself by
/// signing out (`POST /api/v1/auth/logout`).
#[utoipa::path(delete, path = "/api/v1/tokens/{token_id}", tag = "auth",
    params(("token_id" = Uuid, Path, description = "The token's id")),
    security(("session" = [])),
    responses((status = 204, description = "Revoked"), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn revoke_token(
    State(state): State<AppState>,
    p: Principal,
    ApiPath(token_id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    crate::care::tokens::revoke(&state, &p, token_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
