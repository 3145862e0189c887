//! Refuses text containing the NUL character (U+0000) anywhere a client can put text: the
//! path, the query string, JSON and form bodies. SQLite stores it, PostgreSQL refuses it (a
//! 500 before this), and no person types it; so one rule for every route and both backends,
//! answered with a 422 naming the field. The store maps PostgreSQL's refusal to a typed error
//! as a second line of defence (`StoreError::InvalidText`).

use axum::{
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use physio_clinic::exercise::Problem;
use serde_json::Value;

use crate::{error::ApiError, pages::PageError, state::AppState};

const MESSAGE: &str = "remove the NUL character (U+0000): text may not contain it";

/// The middleware: passes the request on unless some text in it contains NUL.
pub(crate) async fn refuse_nul(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let refuse = |field: String| {
        let e = ApiError::Problems(vec![Problem { field, message: MESSAGE.to_owned() }]);
        if api { e.into_response() } else { PageError(e).into_response() }
    };
    if req.uri().path().contains("%00") {
        return refuse("path".to_owned());
    }
    if let Some(q) = req.uri().query()
        && q.contains("%00")
    {
        return refuse(form_field(q.as_bytes()));
    }
    let kind = body_kind(req.headers());
    if kind == BodyKind::Other {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, state.config().body_limit).await else {
        return if api {
            ApiError::PayloadTooLarge.into_response()
        } else {
            PageError(ApiError::PayloadTooLarge).into_response()
        };
    };
    let field = match kind {
        // In JSON a NUL can only be written `\u0000`; a body without it has none.
        BodyKind::Json if contains(&bytes, b"\\u0000") => json_field(&bytes),
        BodyKind::Form if contains(&bytes, b"%00") => Some(form_field(&bytes)),
        _ => None,
    };
    match field {
        Some(f) => refuse(f),
        None => next.run(Request::from_parts(parts, Body::from(bytes))).await,
    }
}

#[derive(Debug, PartialEq, Eq)]
enum BodyKind {
    Json,
    Form,
    Other,
}

fn body_kind(headers: &HeaderMap) -> BodyKind {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let ct = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if ct == "application/x-www-form-urlencoded" {
        BodyKind::Form
    } else if ct == "application/json" || ct.ends_with("+json") {
        BodyKind::Json
    } else {
        BodyKind::Other
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The name of the first form (or query) field whose name or value holds NUL.
fn form_field(bytes: &[u8]) -> String {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).unwrap_or_default();
    pairs
        .into_iter()
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        .map_or_else(|| "form".to_owned(), |(k, _)| k.replace('\0', ""))
}

/// The path (`items[2].name`) of the first JSON string holding NUL; `None` when the body is not
/// JSON at all (the handler's extractor says so) or the escape was inside a longer one.
fn json_field(bytes: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(bytes).ok()?;
    find(&v, String::new())
}

fn find(v: &Value, at: String) -> Option<String> {
    let here = || if at.is_empty() { "body".to_owned() } else { at.clone() };
    match v {
        Value::String(s) if s.contains('\0') => Some(here()),
        Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, item)| find(item, format!("{}[{i}]", here())))
        }
        Value::Object(map) => map.iter().find_map(|(k, item)| {
            let path = if at.is_empty() { k.replace('\0', "") } else { format!("{at}.{k}") };
            if k.contains('\0') { Some(path) } else { find(item, path) }
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_field_that_holds_nul() {
        let body = br#"{"name":"ok","items":[{"a":"x"},{"b":"y\u0000z"}]}"#;
        assert_eq!(json_field(body).as_deref(), Some("items[1].b"));
        assert_eq!(json_field(br#"{"name":"a\\u0000"}"#), None);
        assert_eq!(form_field(b"email=a%40b&password=x%00y"), "password");
        assert_eq!(form_field(b"q=%00"), "q");
    }
}
