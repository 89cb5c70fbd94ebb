//! Fleet health: kiosks say they are alive (`POST /v1/heartbeat`), managers
//! see every kiosk they may read and which are silent (`GET /v1/kiosks`).

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::Json;
use feedback_domain::heartbeat::{self, Heartbeat, KioskList, KioskRow};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Caller, Reader};
use super::{read_body, AppState, Params};
use crate::error::{ApiError, ErrorBody};
use crate::report::rfc3339;
use crate::tokens::Role;

/// Largest heartbeat read.
const MAX_REQUEST_BYTES: usize = 4096;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(heartbeat_create))
        .routes(routes!(kiosks_list))
}

/// Records that a kiosk is alive, and how it is doing.
#[utoipa::path(
    post,
    path = "/v1/heartbeat",
    tag = "kiosk",
    request_body = Heartbeat,
    security(("token" = [])),
    responses(
        (status = 204, description = "Recorded"),
        (status = 400, description = "Not a heartbeat, or implausible figures", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Not a kiosk token", body = ErrorBody),
    )
)]
async fn heartbeat_create(
    State(state): State<AppState>,
    Caller(caller): Caller,
    request: Request,
) -> Result<StatusCode, ApiError> {
    let Role::Kiosk { store_id, kiosk_id } = caller.role else {
        return Err(ApiError::forbidden(
            "only a kiosk token may send heartbeats",
        ));
    };
    let body = read_body(&state, request, MAX_REQUEST_BYTES).await?;
    let beat: Heartbeat = serde_json::from_slice(&body)
        .map_err(|err| ApiError::bad_request(format!("the body is not a heartbeat: {err}")))?;
    beat.validate()
        .map_err(|err| ApiError::bad_request(err.to_string()))?;
    state
        .store
        .heartbeat_record(store_id, kiosk_id, beat, crate::now_millis())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which kiosks to list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct KiosksQuery {
    /// Only this store's kiosks; every store the caller may read if left out.
    store_id: Option<String>,
}

/// Every kiosk the caller may read, with its last heartbeat.
#[utoipa::path(
    get,
    path = "/v1/kiosks",
    tag = "manager",
    params(KiosksQuery),
    security(("token" = [])),
    responses(
        (status = 200, description = "The kiosks", body = KioskList),
        (status = 401, description = "Not signed in, or a missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Not a manager, or not for this store", body = ErrorBody),
    )
)]
async fn kiosks_list(
    State(state): State<AppState>,
    reader: Reader,
    Params(query): Params<KiosksQuery>,
) -> Result<Json<KioskList>, ApiError> {
    let only = match query.store_id {
        Some(asked) => reader.store(Some(asked))?,
        None => None,
    };
    let now = crate::now_millis();
    let silent_after = state.config.silent_after_ms;
    let kiosks: Vec<KioskRow> = state
        .store
        .kiosk_list()
        .await?
        .into_iter()
        .filter(|k| reader.scope.allows(&k.store_id))
        .filter(|k| only.as_ref().is_none_or(|only| *only == k.store_id))
        .map(|k| {
            let beat = k.heartbeat;
            KioskRow {
                silent: heartbeat::is_silent(k.last_seen_at, now, silent_after),
                last_seen: k.last_seen_at.map(rfc3339),
                last_sync: beat.as_ref().and_then(|b| b.last_sync_at).map(rfc3339),
                waiting: beat.as_ref().map(|b| b.waiting),
                app_version: beat.as_ref().map(|b| b.app_version.clone()),
                storage_used: beat.as_ref().and_then(|b| b.storage_used),
                storage_quota: beat.as_ref().and_then(|b| b.storage_quota),
                persistent: beat.as_ref().and_then(|b| b.persistent),
                store_id: k.store_id,
                kiosk_id: k.kiosk_id,
            }
        })
        .collect();
    Ok(Json(KioskList {
        silent_after_hours: silent_after as f64 / 3_600_000.0,
        silent: kiosks.iter().filter(|k| k.silent).count(),
        kiosks,
    }))
}
