//! `POST /v1/enrollments`: a kiosk exchanges a one-time code for its token.
//!
//! No token is needed, so failed attempts are limited: per client address
//! and in all, within a sliding window; past a limit the answer is 429 with
//! `Retry-After` until the oldest failure leaves the window.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{read_body, AppState};
use crate::enrollments::ExchangeError;
use crate::error::{ApiError, ErrorBody};
use crate::tokens::Role;

/// Failed attempts one client address may make per window.
pub const FAILURES_PER_CLIENT: usize = 10;
/// Failed attempts all clients together may make per window.
pub const FAILURES_IN_ALL: usize = 100;
/// Largest enrollment request read: a code is 14 characters.
const MAX_REQUEST_BYTES: usize = 1024;
/// The window: 15 minutes.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(enrollments_create))
}

/// `POST /v1/enrollments` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrollmentRequest {
    /// The code from `feedback-collector kiosk enroll`, for example
    /// `7K3M-Q9PX-2HTD`; case, dashes and spaces do not matter.
    pub code: String,
}

/// `POST /v1/enrollments` reply: the kiosk's token, shown this once.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Enrollment {
    /// The kiosk token (`fkk_…`) to send as `Authorization: Bearer`.
    pub token: String,
    /// The store the kiosk posts for.
    pub store_id: String,
    /// The kiosk.
    pub kiosk_id: String,
}

/// Recent failed attempts, by client address and in all.
#[derive(Default)]
pub struct FailedAttempts {
    recent: Mutex<Recent>,
}

#[derive(Default)]
struct Recent {
    all: VecDeque<Instant>,
    by_client: HashMap<IpAddr, VecDeque<Instant>>,
}

impl FailedAttempts {
    /// `None` when `client` may try now; else how long it must wait.
    fn wait(&self, client: IpAddr, now: Instant) -> Option<Duration> {
        let mut recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        recent.forget_before(now);
        let until_free = |times: &VecDeque<Instant>, limit: usize| {
            (times.len() >= limit).then(|| {
                times.front().map_or(FAILURE_WINDOW, |oldest| {
                    FAILURE_WINDOW.saturating_sub(now.duration_since(*oldest))
                })
            })
        };
        let client_wait = recent
            .by_client
            .get(&client)
            .and_then(|times| until_free(times, FAILURES_PER_CLIENT));
        client_wait.or_else(|| until_free(&recent.all, FAILURES_IN_ALL))
    }

    fn record(&self, client: IpAddr, now: Instant) {
        let mut recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        recent.all.push_back(now);
        recent.by_client.entry(client).or_default().push_back(now);
    }
}

impl Recent {
    /// Drops failures older than the window; memory stays bounded by the
    /// limits, since no failure is recorded past them.
    fn forget_before(&mut self, now: Instant) {
        let old = |at: &Instant| now.duration_since(*at) >= FAILURE_WINDOW;
        while self.all.front().is_some_and(old) {
            self.all.pop_front();
        }
        self.by_client.retain(|_, times| {
            while times.front().is_some_and(old) {
                times.pop_front();
            }
            !times.is_empty()
        });
    }
}

/// Exchanges a one-time enrollment code for the kiosk's token, once.
#[utoipa::path(
    post,
    path = "/v1/enrollments",
    tag = "kiosk",
    request_body = EnrollmentRequest,
    responses(
        (status = 200, description = "Enrolled: the kiosk's token, shown only now", body = Enrollment),
        (status = 400, description = "Not a request, or a code that is unknown, used or expired (`invalid_enrollment_code`)", body = ErrorBody),
        (status = 408, description = "The body did not arrive in time", body = ErrorBody),
        (status = 413, description = "A body over 1 KiB", body = ErrorBody),
        (status = 429, description = "Too many failed attempts; try again after Retry-After seconds", body = ErrorBody),
    )
)]
async fn enrollments_create(
    State(state): State<AppState>,
    request: Request,
) -> Result<Json<Enrollment>, ApiError> {
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
    if let Some(wait) = state.failed_enrollments.wait(client, Instant::now()) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            "too many wrong enrollment codes; wait before trying again",
        )
        .retry_after(wait.as_secs().max(1)));
    }
    let body = read_body(&state, request, MAX_REQUEST_BYTES).await?;
    let asked: EnrollmentRequest = serde_json::from_slice(&body).map_err(|err| {
        ApiError::bad_request(format!("the body is not {{\"code\": \"…\"}}: {err}"))
    })?;
    let exchanged = match state
        .store
        .enrollment_exchange(asked.code, crate::now_millis())
        .await
    {
        Ok(token) => Some(token),
        Err(ExchangeError::Invalid) => None,
        Err(ExchangeError::Store(err)) => return Err(err.into()),
    };
    let Some(token) = exchanged else {
        state.failed_enrollments.record(client, Instant::now());
        tracing::warn!(%client, "refused an enrollment code");
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_enrollment_code",
            "this enrollment code is not valid; ask for a new one",
        ));
    };
    let Role::Kiosk { store_id, kiosk_id } = token.info.role else {
        return Err(ApiError::internal(
            "an enrollment made a token that is not a kiosk's",
        ));
    };
    tracing::info!(store = %store_id, kiosk = %kiosk_id, token = token.info.id, "kiosk enrolled");
    Ok(Json(Enrollment {
        token: token.secret,
        store_id,
        kiosk_id,
    }))
}
