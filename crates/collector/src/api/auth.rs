//! Who is asking: the bearer token a request carries.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;

use std::sync::Arc;

use crate::error::ApiError;
use crate::store::Store;
use crate::tokens::TokenInfo;

/// Who is asking: the live token the request carries, as
/// `Authorization: Bearer <token>` (the scheme in any case, as RFC 9110
/// allows).
pub struct Caller(pub TokenInfo);

impl<S> FromRequestParts<S> for Caller
where
    Arc<dyn Store>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Caller, ApiError> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthorized("an Authorization: Bearer token is required"))?;
        let secret = header
            .to_str()
            .ok()
            .and_then(|value| value.trim().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, secret)| secret.trim())
            .filter(|secret| !secret.is_empty())
            .ok_or_else(|| {
                ApiError::unauthorized("the Authorization header must be Bearer <token>")
            })?
            .to_owned();
        let found = Arc::<dyn Store>::from_ref(state)
            .token_authenticate(secret)
            .await?;
        found
            .map(Caller)
            .ok_or_else(|| ApiError::unauthorized("this token is unknown or revoked"))
    }
}
