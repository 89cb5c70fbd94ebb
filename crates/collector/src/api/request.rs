//! Reading requests the same way everywhere: bodies within a size and a
//! deadline, query parameters with the usual error body.

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::StatusCode;
use http_body_util::BodyExt;

use super::AppState;
use crate::error::ApiError;

/// Reads a request's whole body, at most `limit` bytes, within
/// [`AppConfig::body_timeout`]. Nothing past the limit is buffered.
pub(super) async fn read_body(
    state: &AppState,
    request: Request,
    limit: usize,
) -> Result<Bytes, ApiError> {
    let deadline = state.config.body_timeout;
    let body = http_body_util::Limited::new(request.into_body(), limit);
    match tokio::time::timeout(deadline, body.collect()).await {
        Err(_) => Err(ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "timeout",
            format!(
                "the request body did not arrive within {} s",
                deadline.as_secs_f64()
            ),
        )),
        Ok(Err(err)) if err.is::<http_body_util::LengthLimitError>() => Err(ApiError::too_large(
            format!("a request may carry at most {limit} bytes; send less at once"),
        )),
        Ok(Err(err)) => Err(ApiError::bad_request(format!(
            "the request body could not be read: {err}"
        ))),
        Ok(Ok(body)) => Ok(body.to_bytes()),
    }
}

/// Query parameters, refused with the usual error body when they cannot
/// be read.
pub struct Params<T>(pub T);

impl<S, T> FromRequestParts<S> for Params<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Params<T>, ApiError> {
        let Query(value) = Query::<T>::from_request_parts(parts, state).await?;
        Ok(Params(value))
    }
}
