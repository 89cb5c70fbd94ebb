//! A signed-in manager's own digest: `GET /v1/session/digest` reads it,
//! `PUT /v1/session/digest` sets it (or turns it off), from the dashboard's
//! own page only. The rules are those of `feedback-collector user digest`
//! ([`crate::alerts::digest::digest_from`]).

use axum::extract::{Request, State};
use axum::Json;
use feedback_domain::alert::DigestSettings;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::Session;
use super::{read_body, AppState};
use crate::alerts::digest::{digest_from, settings_of};
use crate::error::{ApiError, ErrorBody};

/// Largest request read.
const MAX_REQUEST_BYTES: usize = 4096;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(digest_show, digest_set))
}

async fn current(state: &AppState, name: &str) -> Result<DigestSettings, ApiError> {
    let digest = state
        .store
        .digest_list()
        .await?
        .into_iter()
        .find(|(account, _)| account == name)
        .map(|(_, digest)| digest);
    Ok(settings_of(digest))
}

/// The signed-in account's digest.
#[utoipa::path(
    get,
    path = "/v1/session/digest",
    tag = "dashboard",
    responses(
        (status = 200, description = "The digest (`frequency` `off` when none)", body = DigestSettings),
        (status = 401, description = "Not signed in", body = ErrorBody),
    )
)]
async fn digest_show(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<DigestSettings>, ApiError> {
    Ok(Json(current(&state, &session.record.account.name).await?))
}

/// Sets the signed-in account's digest; `frequency` `off` stops it.
#[utoipa::path(
    put,
    path = "/v1/session/digest",
    tag = "dashboard",
    request_body = DigestSettings,
    responses(
        (status = 200, description = "Set", body = DigestSettings),
        (status = 400, description = "Not a digest, or a bad address, hour or time zone", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Sent from another site", body = ErrorBody),
    )
)]
async fn digest_set(
    State(state): State<AppState>,
    session: Session,
    request: Request,
) -> Result<Json<DigestSettings>, ApiError> {
    let body = read_body(&state, request, MAX_REQUEST_BYTES).await?;
    let asked: DigestSettings = serde_json::from_slice(&body)
        .map_err(|err| ApiError::bad_request(format!("the body is not a digest: {err}")))?;
    let digest = digest_from(&asked).map_err(ApiError::bad_request)?;
    let name = session.record.account.name.clone();
    state.store.digest_set(name.clone(), digest).await?;
    tracing::info!(account = %name, frequency = %asked.frequency, "digest set");
    Ok(Json(current(&state, &name).await?))
}
