//! Sign-in, sign-out, who am I, for API clients.

use axum::{
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    api::UserView,
    auth::{self, Principal},
    error::{ApiError, ApiJson, ErrorBody},
    http::ClientIp,
    state::AppState,
};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(login)).routes(routes!(logout)).routes(routes!(me))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    pub user: UserView,
    /// Send this back in the `X-CSRF-Token` header on every state-changing request made with
    /// the session cookie.
    pub csrf_token: String,
}

/// The password was right and a second step is needed: send it to
/// `POST /api/v1/auth/second-step` with the pending cookie this response set.
#[derive(Debug, Serialize, ToSchema)]
pub struct SecondStepRequired {
    pub second_step_required: bool,
    /// What the account can use: `app` (a 6-digit code), `recovery_code`, `passkey`.
    pub methods: Vec<&'static str>,
}

/// Sign in with e-mail and password. Sets the session cookie, or (202) the pending cookie when
/// a second step is needed.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; the session cookie is set", body = LoginResponse),
        (status = 202, description = "Password right; a second step is needed", body = SecondStepRequired),
        (status = 403, description = "The clinic requires two-step sign-in and it is not set up yet", body = ErrorBody),
        (status = 422, description = "Wrong e-mail or password", body = ErrorBody),
        (status = 429, description = "Too many attempts, or the account is locked", body = ErrorBody),
    ))]
async fn login(
    state: axum::extract::State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let rid = auth::request_id(&headers);
    match auth::sign_in(&state, &req.email, &req.password, ip, rid.as_deref()).await? {
        auth::SignInOutcome::SignedIn(s) => Ok(signed_in(&state, jar, s).into_response()),
        auth::SignInOutcome::SecondStep(step) => {
            if step.purpose == physio_store::PendingPurpose::Enrol {
                return Err(ApiError::Forbidden(auth::SET_UP_TWO_STEP.into()));
            }
            let f = step.factors;
            let methods = [
                (f.totp, "app"),
                (f.recovery_codes_left > 0, "recovery_code"),
                (f.passkeys > 0, "passkey"),
            ]
            .into_iter()
            .filter_map(|(has, m)| has.then_some(m))
            .collect();
            let jar = jar.add(auth::pending_cookie(&state, step.secret));
            let body = SecondStepRequired { second_step_required: true, methods };
            Ok((StatusCode::ACCEPTED, jar, ApiJson(body)).into_response())
        }
    }
}

/// The session cookie and the login response of a finished sign-in.
pub(crate) fn signed_in(
    state: &AppState,
    jar: CookieJar,
    s: auth::SignedIn,
) -> impl IntoResponse + use<> {
    let jar = jar.add(auth::session_cookie(state, s.secret));
    (jar, ApiJson(LoginResponse { user: s.user.into(), csrf_token: s.csrf_token }))
}

/// End the current session. With a bearer token this does nothing: revoke tokens instead.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    security(("session" = []), ("bearer" = [])),
    responses((status = 204, description = "Signed out"), (status = 401, body = ErrorBody)))]
async fn logout(
    state: axum::extract::State<AppState>,
    p: Principal,
    jar: CookieJar,
) -> Result<impl IntoResponse, ApiError> {
    auth::sign_out(&state, &p).await?;
    Ok((jar.add(auth::removal_cookie(&state)), StatusCode::NO_CONTENT))
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    security(("session" = []), ("bearer" = [])),
    responses((status = 200, body = UserView), (status = 401, body = ErrorBody)))]
async fn me(p: Principal) -> ApiJson<UserView> {
    ApiJson(p.user.into())
}
