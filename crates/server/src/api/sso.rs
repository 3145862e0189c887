//! A clinic's single sign-on settings (admins only). The client secret goes in and never
//! comes back out.

use axum::{extract::State, http::HeaderMap, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    auth::{Principal, oidc},
    care::sso::{SsoChange, SsoSettings},
    error::{ApiError, ApiJson, ErrorBody},
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_sso, set_sso, delete_sso))
}

/// The clinic's single sign-on, as its admins see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SsoView {
    /// Whether staff can sign in with the clinic's provider.
    pub configured: bool,
    pub issuer: Option<String>,
    pub client_id: Option<String>,
    /// Whether a client secret is saved. The secret itself is never shown.
    pub client_secret_set: bool,
    /// E-mail domains whose staff may sign in this way.
    pub allowed_domains: Vec<String>,
    /// The redirect URI to register with the provider.
    pub redirect_uri: String,
    /// A link that starts this clinic's single sign-on, for staff to bookmark.
    pub sign_in_url: String,
}

fn view(state: &AppState, headers: &HeaderMap, p: &Principal, s: Option<SsoSettings>) -> SsoView {
    let base = oidc::public_base(state, headers);
    let redirect_uri = format!("{base}{}", oidc::CALLBACK_PATH);
    let sign_in_url = format!("{base}/sso/{}/start", p.user.clinic_id);
    match s {
        Some(s) => SsoView {
            configured: true,
            issuer: Some(s.issuer),
            client_id: Some(s.client_id),
            client_secret_set: s.client_secret_set,
            allowed_domains: s.allowed_domains,
            redirect_uri,
            sign_in_url,
        },
        None => SsoView {
            configured: false,
            issuer: None,
            client_id: None,
            client_secret_set: false,
            allowed_domains: vec![],
            redirect_uri,
            sign_in_url,
        },
    }
}

/// The clinic's single sign-on settings (admins only).
#[utoipa::path(get, path = "/api/v1/clinic/sso", tag = "auth",
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = SsoView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn get_sso(
    State(state): State<AppState>,
    headers: HeaderMap,
    p: Principal,
) -> Result<ApiJson<SsoView>, ApiError> {
    let s = crate::care::sso::get(&state, &p).await?;
    Ok(ApiJson(view(&state, &headers, &p, s)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SsoRequest {
    /// The provider's issuer URL (https; http only on this machine's loopback address).
    pub issuer: String,
    pub client_id: String,
    /// The client secret; leave it out to keep the one already saved.
    #[serde(default)]
    pub client_secret: Option<String>,
    /// E-mail domains whose staff may sign in this way, like `clinic.example.org`.
    pub allowed_domains: Vec<String>,
}

/// Set up or change the clinic's single sign-on (admins only). A verified e-mail address from
/// the provider signs in the active clinician or admin of this clinic who has it; no account
/// is ever created, and patients never sign in this way.
#[utoipa::path(put, path = "/api/v1/clinic/sso", tag = "auth", request_body = SsoRequest,
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = SsoView), (status = 422, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn set_sso(
    State(state): State<AppState>,
    headers: HeaderMap,
    p: Principal,
    ApiJson(req): ApiJson<SsoRequest>,
) -> Result<ApiJson<SsoView>, ApiError> {
    let change = SsoChange {
        issuer: req.issuer,
        client_id: req.client_id,
        client_secret: req.client_secret,
        allowed_domains: req.allowed_domains,
    };
    let s = crate::care::sso::set(&state, &p, &change).await?;
    Ok(ApiJson(view(&state, &headers, &p, Some(s))))
}

/// Turn the clinic's single sign-on off (admins only); staff sign in with passwords again.
#[utoipa::path(delete, path = "/api/v1/clinic/sso", tag = "auth",
    security(("session" = []), ("bearer" = [])),
    responses((status = 204, description = "Turned off"), (status = 404, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn delete_sso(State(state): State<AppState>, p: Principal) -> Result<StatusCode, ApiError> {
    crate::care::sso::remove(&state, &p).await?;
    Ok(StatusCode::NO_CONTENT)
}
