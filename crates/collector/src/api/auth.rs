//! Who is asking: a bearer token (kiosks, scripts) or a dashboard session
//! cookie (people), and what they may read.

use axum::extract::{FromRef, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode};

use std::sync::Arc;

use super::AppState;
use crate::accounts::{Scope, SessionRecord};
use crate::error::ApiError;
use crate::store::Store;
use crate::tokens::{self, Role, TokenInfo};

/// The cookie a dashboard session travels in.
pub const SESSION_COOKIE: &str = "fk_session";

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
        let secret = bearer(parts)?
            .ok_or_else(|| ApiError::unauthorized("an Authorization: Bearer token is required"))?;
        let found = Arc::<dyn Store>::from_ref(state)
            .token_authenticate(secret)
            .await?;
        found
            .map(Caller)
            .ok_or_else(|| ApiError::unauthorized("this token is unknown or revoked"))
    }
}

/// The secret of an `Authorization: Bearer` header, if there is one.
fn bearer(parts: &Parts) -> Result<Option<String>, ApiError> {
    let Some(header) = parts.headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let secret = header
        .to_str()
        .ok()
        .and_then(|value| value.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, secret)| secret.trim())
        .filter(|secret| !secret.is_empty())
        .ok_or_else(|| ApiError::unauthorized("the Authorization header must be Bearer <token>"))?;
    Ok(Some(secret.to_owned()))
}

/// Someone who may read reports: a manager token or a signed-in account.
pub struct Reader {
    /// The stores they may read.
    pub scope: Scope,
    /// The account, when signed in on the dashboard.
    pub account: Option<String>,
}

impl Reader {
    /// The store a report covers, if this reader may read it (see
    /// [`Scope::resolve`]); otherwise 403.
    pub fn store(&self, asked: Option<String>) -> Result<Option<String>, ApiError> {
        self.scope
            .resolve(asked)
            .map_err(|err| ApiError::forbidden(err.to_string()))
    }
}

impl FromRequestParts<AppState> for Reader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Reader, ApiError> {
        if let Some(secret) = bearer(parts)? {
            let token = state
                .store
                .token_authenticate(secret)
                .await?
                .ok_or_else(|| ApiError::unauthorized("this token is unknown or revoked"))?;
            return match token.role {
                Role::Kiosk { .. } => {
                    Err(ApiError::forbidden("a kiosk token may not read reports"))
                }
                Role::Manager { store_id } => Ok(Reader {
                    scope: store_id.map_or(Scope::AllStores, |s| Scope::Stores(vec![s])),
                    account: None,
                }),
            };
        }
        let session = Session::from_request_parts(parts, state).await?;
        Ok(Reader {
            scope: session.record.account.scope.clone(),
            account: Some(session.record.account.name.clone()),
        })
    }
}

/// A live dashboard session: its cookie's hash and what is stored of it.
/// Requests that change something must also come from the dashboard's own
/// origin ([`same_origin`]).
pub struct Session {
    /// SHA-256 of the cookie's secret.
    pub hash: [u8; 32],
    /// The session and its account.
    pub record: SessionRecord,
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Session, ApiError> {
        let secret = cookie(parts, SESSION_COOKIE).ok_or_else(|| {
            ApiError::unauthorized("sign in, or send an Authorization: Bearer token")
        })?;
        if !matches!(parts.method, Method::GET | Method::HEAD) {
            same_origin(&parts.headers)?;
        }
        let hash = tokens::hash(&secret);
        let now = crate::now_millis();
        let limits = state.config.session_limits;
        let record = state.store.session_find(hash).await?;
        let Some(record) = record.filter(|record| limits.live(record, now)) else {
            state.store.session_delete(hash).await?;
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "session_ended",
                "Your session has ended: sign in again",
            ));
        };
        if limits.should_touch(&record, now) {
            state.store.session_touch(hash, now).await?;
        }
        Ok(Session { hash, record })
    }
}

/// The value of cookie `name`, if the request carries it.
fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

/// Refuses a request a browser sent from another site: by `Sec-Fetch-Site`
/// when the browser sends it, else by `Origin` against `Host`. With the
/// cookie's `SameSite=Strict` and JSON bodies (which no form can send),
/// this keeps other sites from acting with a manager's session.
pub fn same_origin(headers: &HeaderMap) -> Result<(), ApiError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let refused = || ApiError::forbidden("this request did not come from the dashboard's own page");
    if let Some(site) = header("sec-fetch-site") {
        return match site {
            "same-origin" | "none" => Ok(()),
            _ => Err(refused()),
        };
    }
    match (header("origin"), header("host")) {
        (None, _) => Ok(()),
        (Some(origin), Some(host)) => {
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            if origin_host.eq_ignore_ascii_case(host) {
                Ok(())
            } else {
                Err(refused())
            }
        }
        (Some(_), None) => Err(refused()),
    }
}
