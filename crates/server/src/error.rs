//! The one HTTP error type, its JSON shape, and extractors whose rejections use that shape.

use axum::{
    Json,
    extract::{FromRequest, FromRequestParts, Request, rejection::*},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
};
use physio_clinic::exercise::Problem;
use physio_store::StoreError;
use serde::{Serialize, de::DeserializeOwned};
use utoipa::ToSchema;

pub type Result<T, E = ApiError> = std::result::Result<T, E>;

#[derive(Debug)]
pub enum ApiError {
    /// The request is malformed: bad JSON, wrong type, unknown value, bad id.
    BadRequest(String),
    /// Well-formed but a field is not acceptable.
    Invalid {
        field: &'static str,
        message: String,
    },
    /// Well-formed but several fields are not acceptable; each names its path in the request
    /// (`items[2].dose.reps`). Never empty.
    Problems(Vec<Problem>),
    Unauthorized,
    Forbidden(String),
    NotFound(&'static str),
    Conflict(String),
    PayloadTooLarge,
    UnsupportedMediaType(String),
    TooManyRequests {
        message: String,
        retry_after_secs: i64,
    },
    /// Something broke on our side. The detail is logged, never sent.
    Internal(String),
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status, repeated for convenience.
    pub status: u16,
    /// A stable machine-readable code, such as `not_found` or `invalid`.
    pub code: &'static str,
    /// What went wrong and how to fix it, in plain words.
    pub message: String,
    /// The request field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    /// Every problem, when there are several: each with the path of its field in the request.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<ProblemDetail>,
}

/// One problem of several: the path of the field in the request and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ProblemDetail {
    /// The field, as a path into the request (`items[2].dose.reps`).
    pub field: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Invalid { .. } | ApiError::Problems(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn invalid(field: &'static str, message: impl Into<String>) -> ApiError {
        ApiError::Invalid { field, message: message.into() }
    }

    pub fn forbidden() -> ApiError {
        ApiError::Forbidden("your role does not allow this".into())
    }

    pub fn detail(&self) -> ErrorDetail {
        let (code, message, field) = match self {
            ApiError::BadRequest(m) => ("bad_request", m.clone(), None),
            ApiError::Invalid { field, message } => ("invalid", message.clone(), Some(*field)),
            ApiError::Problems(list) => {
                let message = match list.as_slice() {
                    [one] => format!("{}: {}", one.field, one.message),
                    many => format!("{} problems; see `problems`", many.len()),
                };
                ("invalid", message, None)
            }
            ApiError::Unauthorized => {
                ("unauthorized", "sign in, or send a valid API token".to_owned(), None)
            }
            ApiError::Forbidden(m) => ("forbidden", m.clone(), None),
            ApiError::NotFound(what) => ("not_found", format!("{what} not found"), None),
            ApiError::Conflict(m) => ("conflict", m.clone(), None),
            ApiError::PayloadTooLarge => {
                ("payload_too_large", "the request body is too large".to_owned(), None)
            }
            ApiError::UnsupportedMediaType(m) => ("unsupported_media_type", m.clone(), None),
            ApiError::TooManyRequests { message, .. } => {
                ("too_many_requests", message.clone(), None)
            }
            ApiError::Internal(_) => (
                "internal",
                "something went wrong on our side; it has been logged".to_owned(),
                None,
            ),
        };
        let problems = match self {
            ApiError::Problems(list) => list
                .iter()
                .map(|p| ProblemDetail { field: p.field.clone(), message: p.message.clone() })
                .collect(),
            _ => Vec::new(),
        };
        ErrorDetail { status: self.status().as_u16(), code, message, field, problems }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            // Details stay in the log; they may name tables or values but never reach the client.
            tracing::error!(error = %detail, "internal error");
        }
        let mut res = (self.status(), Json(ErrorBody { error: self.detail() })).into_response();
        if let ApiError::TooManyRequests { retry_after_secs, .. } = self
            && let Ok(v) = retry_after_secs.max(1).to_string().parse()
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res
    }
}

impl ApiError {
    /// The problems of a refused request, or one internal error if there are none (a rule that
    /// refuses must say why).
    pub fn problems(list: Vec<Problem>) -> ApiError {
        if list.is_empty() {
            ApiError::Internal("a check refused without naming a problem".into())
        } else {
            ApiError::Problems(list)
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => ApiError::NotFound(what),
            StoreError::Conflict(what) => ApiError::Conflict(what),
            // The request guard (`nul.rs`) refuses NUL first; this catches what it cannot see.
            StoreError::InvalidText(_) => ApiError::invalid(
                "text",
                "remove the NUL character (U+0000): text may not contain it",
            ),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// `Json` whose rejections are `ApiError`s.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError::BadRequest(format!(
                "the JSON body does not match what this endpoint takes: {}",
                e.body_text().trim_start_matches(
                    "Failed to deserialize the JSON body into the target type: "
                )
            ))),
            Err(JsonRejection::JsonSyntaxError(_)) => {
                Err(ApiError::BadRequest("the body is not valid JSON".into()))
            }
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::UnsupportedMediaType(
                "send the body as JSON with Content-Type: application/json".into(),
            )),
            Err(JsonRejection::BytesRejection(e))
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(ApiError::PayloadTooLarge)
            }
            Err(e) => Err(ApiError::BadRequest(e.body_text())),
        }
    }
}

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

/// `Path` whose rejections are `ApiError`s (a malformed id is a 400 naming the parameter).
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(p) => Ok(ApiPath(p.0)),
            Err(e) => Err(ApiError::BadRequest(format!("bad path parameter: {}", e.body_text()))),
        }
    }
}

/// `Query` whose rejections are `ApiError`s.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(q) => Ok(ApiQuery(q.0)),
            Err(e) => Err(ApiError::BadRequest(format!("bad query string: {}", e.body_text()))),
        }
    }
}
