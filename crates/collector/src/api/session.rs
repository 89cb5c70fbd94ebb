//! Signing in to the dashboard: `POST /v1/session` (sign in), `GET
//! /v1/session` (who is signed in), `DELETE /v1/session` (sign out).
//!
//! Wrong passwords are slowed per account name and per client address
//! ([`crate::throttle`]); the answer is the same whether or not the account
//! exists, and takes as long.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Instant;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{same_origin, Session, SESSION_COOKIE};
use super::{read_body, AppState};
use crate::accounts::{self, Scope};
use crate::error::{ApiError, ErrorBody};
use crate::tokens;

/// Largest sign-in request read.
const MAX_REQUEST_BYTES: usize = 4096;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(session_create, session_show, session_delete))
}

/// `POST /v1/session` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// The account name.
    pub username: String,
    /// Its password.
    pub password: String,
}

/// Who is signed in.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SignedIn {
    /// The account name.
    pub username: String,
    /// `true` if the account may read every store.
    pub all_stores: bool,
    /// The stores it may read, when not all.
    pub stores: Vec<String>,
    /// Ms until the session ends if no request comes.
    pub idle_ms: i64,
}

fn signed_in(name: &str, scope: &Scope, idle_ms: i64) -> SignedIn {
    let (all_stores, stores) = match scope {
        Scope::AllStores => (true, Vec::new()),
        Scope::Stores(stores) => (false, stores.clone()),
    };
    SignedIn {
        username: name.to_owned(),
        all_stores,
        stores,
        idle_ms,
    }
}

fn cookie(state: &AppState, value: &str, max_age_secs: i64) -> Result<HeaderValue, ApiError> {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Strict{secure}"
    ))
    .map_err(ApiError::internal)
}

/// Signs in: sets the session cookie (`HttpOnly`, `SameSite=Strict`,
/// `Secure` unless the collector runs with `--insecure-cookies`).
#[utoipa::path(
    post,
    path = "/v1/session",
    tag = "dashboard",
    request_body = SignIn,
    responses(
        (status = 200, description = "Signed in; the cookie is set", body = SignedIn),
        (status = 400, description = "Not a sign-in request", body = ErrorBody),
        (status = 401, description = "Wrong username or password (never which)", body = ErrorBody),
        (status = 403, description = "Sent from another site", body = ErrorBody),
        (status = 429, description = "Too many failed sign-ins; try again after Retry-After seconds", body = ErrorBody),
    )
)]
async fn session_create(
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, ApiError> {
    same_origin(request.headers())?;
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
    let body = read_body(&state, request, MAX_REQUEST_BYTES).await?;
    let asked: SignIn = serde_json::from_slice(&body).map_err(|err| {
        ApiError::bad_request(format!(
            "the body is not {{\"username\": \"…\", \"password\": \"…\"}}: {err}"
        ))
    })?;
    let keys = [
        format!("account:{}", asked.username.to_lowercase()),
        format!("address:{client}"),
    ];
    let throttle = &state.sign_ins;
    if let Some(wait) = keys
        .iter()
        .filter_map(|k| throttle.wait(k, Instant::now()))
        .max()
    {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!("Too many failed sign-ins: try again in {minutes} minutes"),
        )
        .retry_after(wait.as_secs().max(1)));
    }
    let found = state.store.account_find(asked.username.clone()).await?;
    let stored = found
        .as_ref()
        .filter(|(account, _)| account.disabled_at.is_none())
        .map(|(_, hash)| hash.clone());
    let password = asked.password;
    let matches = tokio::task::spawn_blocking(move || {
        accounts::verify_password(stored.as_deref(), &password)
    })
    .await
    .map_err(ApiError::internal)?;
    let account = match found {
        Some((account, _)) if matches => account,
        _ => {
            for key in &keys {
                throttle.fail(key, Instant::now());
            }
            tracing::warn!(%client, "refused a sign-in");
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "wrong_credentials",
                "Wrong username or password",
            ));
        }
    };
    throttle.clear(&keys[0]);
    let secret = accounts::new_session_secret().map_err(ApiError::internal)?;
    let now = crate::now_millis();
    let limits = state.config.session_limits;
    state
        .store
        .session_create(tokens::hash(&secret), account.id, now, now - limits.max_ms)
        .await?;
    tracing::info!(account = %account.name, %client, "signed in");
    let cookie = cookie(&state, &secret, limits.max_ms / 1000)?;
    Ok((
        [(header::SET_COOKIE, cookie)],
        Json(signed_in(&account.name, &account.scope, limits.idle_ms)),
    )
        .into_response())
}

/// Who is signed in with this session.
#[utoipa::path(
    get,
    path = "/v1/session",
    tag = "dashboard",
    responses(
        (status = 200, description = "Signed in", body = SignedIn),
        (status = 401, description = "Not signed in, or the session has ended (`session_ended`)", body = ErrorBody),
    )
)]
async fn session_show(State(state): State<AppState>, session: Session) -> Json<SignedIn> {
    let account = &session.record.account;
    Json(signed_in(
        &account.name,
        &account.scope,
        state.config.session_limits.idle_ms,
    ))
}

/// Signs out: ends the session and clears the cookie.
#[utoipa::path(
    delete,
    path = "/v1/session",
    tag = "dashboard",
    responses(
        (status = 204, description = "Signed out"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Sent from another site", body = ErrorBody),
    )
)]
async fn session_delete(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, ApiError> {
    state.store.session_delete(session.hash).await?;
    tracing::info!(account = %session.record.account.name, "signed out");
    let cookie = cookie(&state, "", 0)?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}
