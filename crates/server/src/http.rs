//! Cross-cutting HTTP plumbing: client address, CSRF and origin checks, the count of refusals,
//! metrics, tracing spans.

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    time::Instant,
};

use axum::{
    body::Body,
    extract::{ConnectInfo, FromRequestParts, MatchedPath, Request, State},
    http::{Extensions, HeaderMap, Method, header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use axum_extra::extract::CookieJar;
use subtle::ConstantTimeEq;

use crate::{
    auth::{CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE, authenticate, bearer, csrf_for},
    error::ApiError,
    refusals::{self, Refusal},
    state::AppState,
};

/// The client's address: the connection's peer, or, when the peer is a trusted proxy, the
/// address it forwards (`proxy::TrustedProxies::client`). Unspecified when not served over a
/// socket, as in in-process tests.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    pub fn of(extensions: &Extensions, headers: &HeaderMap, state: &AppState) -> ClientIp {
        let peer = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip());
        ClientIp(state.config().proxies.client(peer, headers))
    }
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp::of(&parts.extensions, &parts.headers, state))
    }
}

/// Paths that open a session and so cannot carry a session's CSRF token yet. They are still
/// protected by the origin check and by the SameSite cookie.
const CSRF_EXEMPT: &[&str] = &[
    "/login",
    "/api/v1/auth/login",
    // The steps of two-step sign-in: they carry the pending cookie (SameSite=Strict), not yet
    // a session.
    "/login/two-step",
    "/login/two-step/recovery",
    "/login/two-step/setup",
    "/api/v1/auth/second-step",
    "/api/v1/auth/passkey/options",
    "/api/v1/auth/passkey",
    "/api/v1/auth/second-step/passkey/options",
    "/api/v1/auth/second-step/passkey",
];

/// Refuses cross-site state changes: a foreign `Origin`, or a cookie-authenticated request
/// without the session's CSRF token (header `X-CSRF-Token`, or form field `csrf_token`). Only a
/// valid API token (`Authorization: Bearer`) is exempt, since a browser never adds one by
/// itself; any other `Authorization` header, or a bearer token that is not valid, leaves the
/// session cookie to be checked. Refusals are marked for `audit_refusals`.
pub async fn csrf_guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if !same_origin(req.headers()) {
        let mut res =
            ApiError::Forbidden("cross-site requests are not accepted".into()).into_response();
        res.extensions_mut().insert(Refusal::ForeignOrigin);
        return res;
    }
    if CSRF_EXEMPT.contains(&req.uri().path()) {
        return next.run(req).await;
    }
    if bearer(req.headers()).is_some() {
        match authenticate(req.headers(), &state).await {
            Ok(p) => {
                // The handler's `Principal` takes it from here instead of looking it up again.
                req.extensions_mut().insert(p);
                return next.run(req).await;
            }
            Err(ApiError::Unauthorized) => {}
            Err(e) => return e.into_response(),
        }
    }
    let jar = CookieJar::from_headers(req.headers());
    let Some(secret) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) else {
        return next.run(req).await;
    };
    let expected = csrf_for(&secret);
    let matches = |given: &str| bool::from(given.as_bytes().ct_eq(expected.as_bytes()));
    if req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).is_some_and(matches) {
        return next.run(req).await;
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        let (parts, body) = req.into_parts();
        let Ok(bytes) = axum::body::to_bytes(body, state.config().body_limit).await else {
            return ApiError::PayloadTooLarge.into_response();
        };
        let fields: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        if fields.iter().any(|(k, v)| k == CSRF_FIELD && matches(v)) {
            return next.run(Request::from_parts(parts, Body::from(bytes))).await;
        }
    }
    let mut res = ApiError::Forbidden(
        "missing or wrong CSRF token: reload the page and try again (API clients: send the X-CSRF-Token header from sign-in)".into(),
    )
    .into_response();
    res.extensions_mut().insert(Refusal::Csrf);
    res
}

/// Counts the refusals of the layers inside it (`refusals::record`): those `csrf_guard` marks,
/// and every 401. A failure to count is logged, and the refusal still goes out: it refuses
/// either way, and turning it into a 500 would only hide why.
pub async fn audit_refusals(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ClientIp(ip) = ClientIp::of(req.extensions(), req.headers(), &state);
    let request_id = crate::auth::request_id(req.headers());
    let res = next.run(req).await;
    let refusal = res.extensions().get::<Refusal>().copied().or_else(|| {
        (res.status() == axum::http::StatusCode::UNAUTHORIZED).then_some(Refusal::Unauthenticated)
    });
    if let Some(refusal) = refusal
        && let Err(e) = refusals::record(&state, refusal, ip, request_id.as_deref()).await
    {
        tracing::error!(error = ?e, kind = refusal.kind(), "counting a refusal failed");
    }
    res
}

/// True unless an `Origin` header names a different host than the request's `Host`.
pub(crate) fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    origin != "null" && origin_host.eq_ignore_ascii_case(host)
}

/// Counts requests and their latency by route template.
pub async fn track_metrics(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let res = next.run(req).await;
    let m = state.metrics();
    m.requests.with_label_values(&[&method, &route, res.status().as_str()]).inc();
    m.latency.with_label_values(&[&method, &route]).observe(start.elapsed().as_secs_f64());
    res
}

/// The span of one request: method, route template and request id. Never the concrete path
/// or query string, which can hold ids and search terms.
pub fn request_span(req: &Request) -> tracing::Span {
    let route = req.extensions().get::<MatchedPath>().map_or("unmatched", |m| m.as_str());
    let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
    tracing::info_span!("request", method = %req.method(), route, request_id)
}

/// Runs the rest of the request in a task of its own. A client that goes away (or gives up)
/// drops the request's future; without this, a care action could be cancelled half-way and its
/// database connection go back to the pool inside an open transaction. In its own task it
/// always reaches its commit or its rollback; only the answer is lost.
pub async fn run_to_completion(req: Request, next: Next) -> Response {
    match tokio::spawn(next.run(req)).await {
        Ok(response) => response,
        Err(e) => {
            tracing::error!(error = %e, "request task failed");
            ApiError::Internal("the request's task failed".into()).into_response()
        }
    }
}
