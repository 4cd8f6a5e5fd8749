//! The one error type of the server and how each kind maps to HTTP.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// Every failure a handler can answer with. Messages name the field they are about
/// (`purposes.marketng: unknown purpose`) so a site owner can fix a banner from the log alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// 400: the request was understood but a field is wrong.
    Invalid(String),
    /// 413: the body is larger than the limit.
    TooLarge(usize),
    /// 415: not `application/json`.
    NotJson,
    /// 408: the body did not arrive in time.
    SlowBody(u64),
    /// 409: the same decision (consent id and time) was stored before.
    Replay(String),
    NotFound,
    MethodNotAllowed,
    /// 401: missing or wrong admin token. Says nothing else on purpose.
    Unauthorized,
    /// 503: the store cannot take writes (shutting down, disk full, database gone).
    Unavailable(String),
}

impl Error {
    pub fn invalid(field: &str, message: impl std::fmt::Display) -> Self {
        Error::Invalid(format!("{field}: {message}"))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Error::Invalid(_) => StatusCode::BAD_REQUEST,
            Error::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Error::NotJson => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Error::SlowBody(_) => StatusCode::REQUEST_TIMEOUT,
            Error::Replay(_) => StatusCode::CONFLICT,
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Error::Unauthorized => StatusCode::UNAUTHORIZED,
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    pub fn message(&self) -> String {
        match self {
            Error::Invalid(m) | Error::Replay(m) | Error::Unavailable(m) => m.clone(),
            Error::TooLarge(limit) => format!("body: larger than {limit} bytes"),
            Error::NotJson => "content-type: must be application/json".into(),
            Error::SlowBody(secs) => format!("body: not received within {secs} s"),
            Error::NotFound => "not found".into(),
            Error::MethodNotAllowed => "method not allowed".into(),
            Error::Unauthorized => "unauthorized".into(),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status().as_u16(), self.message())
    }
}

impl std::error::Error for Error {}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut response =
            (status, Json(serde_json::json!({ "error": self.message() }))).into_response();
        let headers = response.headers_mut();
        // Errors are about this request only; never let a cache keep them.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"akkoord-admin\""),
            );
        }
        response
    }
}
