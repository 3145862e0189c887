//! Assembles the router (API, pages, docs, health, metrics) with its middleware, and serves it
//! until shutdown.

use std::{net::SocketAddr, time::Duration};

use axum::{
    Router,
    extract::{DefaultBodyLimit, State},
    http::{HeaderValue, StatusCode, header},
    middleware,
    response::{IntoResponse, Response},
    routing::get,
};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::{
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
    trace::{DefaultOnResponse, TraceLayer},
};
use utoipa_swagger_ui::SwaggerUi;

use crate::{api, error::ApiError, http, pages, state::AppState};

pub const OPENAPI_PATH: &str = "/api/v1/openapi.json";
pub const DOCS_PATH: &str = "/api/docs";

/// Routes outside the API and page tables: health, metrics and API docs.
pub const SYSTEM_ROUTES: &[(&str, &str)] = &[
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", OPENAPI_PATH),
    ("GET", DOCS_PATH),
    ("GET", "/api/v1/live"),
    ("GET", "/web/{*file}"),
];

/// The generated OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api::routes_and_document().1
}

/// (method, path) of every route the server answers, for the authorization-matrix test.
pub fn routes() -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = vec![];
    for (path, item) in openapi().paths.paths {
        for (method, op) in [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ] {
            if op.is_some() {
                all.push((method.to_owned(), path.clone()));
            }
        }
    }
    let fixed = pages::routes().into_iter().chain(SYSTEM_ROUTES.iter().copied());
    all.extend(fixed.map(|(m, p)| (m.to_owned(), p.to_owned())));
    all.sort();
    all
}

pub fn router(state: AppState) -> Router {
    let (api, doc) = api::routes_and_document();
    let body_limit = state.config().body_limit;
    let web_dir = state.config().web_dir.clone();
    let timeout = state.config().request_timeout;
    let hsts = state.config().https();
    let app = Router::new()
        .merge(api)
        .merge(pages::router())
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/api/v1/live", get(crate::live::connect))
        .nest("/web", crate::web_assets::router(&web_dir))
        .merge(docs_router(doc))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), pages::error_nav))
        .layer(middleware::from_fn_with_state(state.clone(), http::csrf_guard))
        .layer(middleware::from_fn_with_state(state.clone(), http::audit_refusals))
        .layer(middleware::from_fn_with_state(state.clone(), http::track_metrics))
        .layer(middleware::from_fn_with_state(state.clone(), crate::nul::refuse_nul))
        .layer(middleware::from_fn(http::run_to_completion))
        .layer(DefaultBodyLimit::max(body_limit))
        // A WebSocket is answered (101) at once; the session after it is not a request.
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        .with_state(state);
    let app =
        if hsts { app.layer(header_layer(header::STRICT_TRANSPORT_SECURITY, HSTS)) } else { app };
    app.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(http::request_span)
                    .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
            )
            .layer(PropagateRequestIdLayer::x_request_id())
            .layer(header_layer(header::CONTENT_SECURITY_POLICY, CSP))
            .layer(header_layer(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .layer(header_layer(header::X_FRAME_OPTIONS, "DENY"))
            // Not `no-referrer`: under it Chromium sends `Origin: null` on same-site form posts,
            // which the origin check must refuse. `same-origin` still leaks nothing elsewhere.
            .layer(header_layer(header::REFERRER_POLICY, "same-origin"))
            // Patient data must not linger in shared caches or the browser's back button cache.
            .layer(header_layer(header::CACHE_CONTROL, "no-store")),
    )
}

/// The Content-Security-Policy of every response but the API explorer's (`docs_router`).
/// Scripts come only from this server, never inline; `'wasm-unsafe-eval'` lets the camera
/// page compile MediaPipe's WebAssembly pose model (and allows no `eval` of text). Styles
/// allow `'unsafe-inline'` because pages embed the exercise figures' stylesheet in `<style>`
/// elements and charts carry SVG presentation styles; a style cannot run code, and every value
/// in them is escaped by the templates. `data:` images are the inline SVG icons of the
/// stylesheet and charts.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
    object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The API explorer's policy: Swagger UI (vendored by `utoipa-swagger-ui`) starts itself from
/// an inline script and inline styles, so on `/api/docs` alone inline scripts run. The page
/// shows only the public API description; it holds no patient data.
pub const DOCS_CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
    object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// HSTS, sent only when the public URL is `https://`: a year, subdomains included.
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Swagger UI with its own, looser policy (set first, so the global one leaves it alone).
fn docs_router(doc: utoipa::openapi::OpenApi) -> Router<AppState> {
    Router::from(SwaggerUi::new(DOCS_PATH).url(OPENAPI_PATH, doc))
        .layer(header_layer(header::CONTENT_SECURITY_POLICY, DOCS_CSP))
}

fn header_layer(
    name: header::HeaderName,
    value: &'static str,
) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.store().ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "database not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// `/metrics` on the main address: only with the metrics token. Without a configured token
/// it is not found, as is a wrong or missing one (nothing tells a prober it exists).
async fn metrics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match (&state.config().metrics_token, sent) {
        (Some(want), Some(got)) if crate::metrics::token_matches(want, got) => {
            render_metrics(&state)
        }
        _ => ApiError::NotFound("route").into_response(),
    }
}

fn render_metrics(state: &AppState) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics().render())
        .into_response()
}

/// The router of the separate metrics address (`metrics_bind`): `/metrics` with no token.
fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(|State(s): State<AppState>| async move { render_metrics(&s) }))
        .with_state(state)
}

async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        ApiError::NotFound("route").into_response()
    } else {
        pages::PageError(ApiError::NotFound("page")).into_response()
    }
}

/// Serves until `shutdown` completes, then lets in-flight requests finish (up to 30 s). The
/// reminder scheduler runs alongside when a mail server is configured, and the oversight sweep
/// (`care::oversight`) always; both stop with it.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let metrics = match state.config().metrics_bind {
        Some(addr) => {
            let l = TcpListener::bind(addr).await?;
            tracing::info!(addr = %l.local_addr()?, "serving metrics");
            let app = metrics_router(state.clone());
            Some(tokio::spawn(async move { axum::serve(l, app).await }))
        }
        None => None,
    };
    let reminders = crate::reminders::start(state.clone());
    let oversight = crate::care::oversight::start(state.clone());
    let r = serve_http(listener, state, shutdown).await;
    if let Some(scheduler) = reminders {
        scheduler.stop().await;
    }
    oversight.stop().await;
    if let Some(m) = metrics {
        m.abort();
    }
    r
}

async fn serve_http(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use axum::serve::ListenerExt;
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    // Live sessions send many small messages; without TCP_NODELAY a reply can wait ~40 ms for
    // the peer's delayed acknowledgement.
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "setting TCP_NODELAY");
        }
    });
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        shutdown.await;
        let _ = tx.send(());
    });
    let drain = async {
        let _ = rx.await;
        tokio::time::sleep(Duration::from_secs(30)).await;
    };
    tokio::select! {
        r = server => r,
        () = drain => {
            tracing::warn!("shutdown: gave up waiting for open connections");
            Ok(())
        }
    }
}
