//! Errors the API answers with: a status and a JSON body
//! `{"error": {"code": "...", "message": "..."}}`.

use axum::extract::rejection::QueryRejection;
use axum::http::header::{self, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::ingest::BatchError;
use crate::store::StoreError;
use crate::trend::TrendError;

/// An error reply.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code.
    pub code: &'static str,
    /// What went wrong, in words.
    pub message: String,
    /// Seconds the client should wait before trying again (`Retry-After`).
    pub retry_after: Option<u64>,
    /// What really went wrong, for the log only: logged when the error
    /// becomes a reply, never sent.
    pub cause: Option<String>,
}

/// The JSON body of an error reply.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// Code and message of an error reply.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, for example `unauthorized` or `too_large`.
    pub code: String,
    /// What went wrong, in words.
    pub message: String,
}

impl ApiError {
    /// An error with the given status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
            cause: None,
        }
    }

    /// The same error, telling the client to wait `seconds` (`Retry-After`).
    pub fn retry_after(mut self, seconds: u64) -> ApiError {
        self.retry_after = Some(seconds);
        self
    }

    /// 400: the request cannot be read.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 401: no token, or one the collector does not accept.
    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 403: a valid token that may not do this.
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 413: the request is over a limit.
    pub fn too_large(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", message)
    }

    /// The same error, with its cause kept for the log.
    pub fn caused_by(mut self, cause: impl std::fmt::Display) -> ApiError {
        self.cause = Some(cause.to_string());
        self
    }

    /// 500; the reply says no more than that it failed, the log says why.
    pub fn internal(err: impl std::fmt::Display) -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the collector could not complete the request; try again",
        )
        .caused_by(err)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match (&self.cause, self.status.is_server_error()) {
            (Some(cause), true) => {
                tracing::error!(status = self.status.as_u16(), code = self.code, error = %cause, "request failed");
            }
            (Some(cause), false) => {
                tracing::debug!(status = self.status.as_u16(), code = self.code, error = %cause, "request refused");
            }
            (None, _) => {}
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> ApiError {
        match err {
            StoreError::UnknownStore(_) => {
                ApiError::new(StatusCode::NOT_FOUND, "unknown_store", err.to_string())
            }
            StoreError::Database(_) => ApiError::internal(err),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> ApiError {
        ApiError::bad_request(rejection.body_text())
    }
}

impl From<BatchError> for ApiError {
    fn from(err: BatchError) -> ApiError {
        match err {
            BatchError::WrongStore { .. } => ApiError::forbidden(err.to_string()),
            BatchError::Store(err) => err.into(),
        }
    }
}

impl From<TrendError> for ApiError {
    fn from(err: TrendError) -> ApiError {
        match err {
            TrendError::TooManyBuckets { .. } | TrendError::OutOfRange => {
                ApiError::bad_request(err.to_string())
            }
            TrendError::Store(err) => err.into(),
        }
    }
}
