//! `POST /v1/responses`: a kiosk's batch, stored exactly once.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::Json;
use feedback_domain::wire::{BatchReply, MAX_BATCH_BYTES, MAX_BATCH_RESPONSES};
use serde::Deserialize;
use serde_json::value::RawValue;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::Caller;
use super::{read_body, AppState};
use crate::error::{ApiError, ErrorBody};
use crate::ingest::{self, Poster};
use crate::tokens::Role;

/// What a kiosk turned away for being one too many is told to wait, in
/// seconds; it retries with its own backoff anyway.
const RETRY_UPLOAD_AFTER_SECS: u64 = 5;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(responses_create))
}

/// A batch as read before its items are validated one by one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBatch {
    kiosk_id: String,
    responses: Vec<Box<RawValue>>,
}

/// Stores a batch of responses, each exactly once.
///
/// Items are validated one by one: valid ones are stored even when others
/// are not. The reply lists every id the collector now has (new and
/// duplicate) and every refused item with its reason. Sending the same
/// batch again is safe: its ids come back as duplicates.
#[utoipa::path(
    post,
    path = "/v1/responses",
    tag = "kiosk",
    request_body = feedback_domain::wire::ResponseBatch,
    security(("token" = [])),
    responses(
        (status = 200, description = "Batch read; see which items were stored and which refused", body = BatchReply),
        (status = 400, description = "Not a batch: malformed JSON or unknown fields", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "The token is not this kiosk's, or not for this store", body = ErrorBody),
        (status = 408, description = "The body did not arrive in time", body = ErrorBody),
        (status = 413, description = "More than 1,000 responses or 1 MiB", body = ErrorBody),
        (status = 503, description = "Too many uploads at once; try again after Retry-After seconds", body = ErrorBody),
    )
)]
async fn responses_create(
    State(state): State<AppState>,
    Caller(caller): Caller,
    request: Request,
) -> Result<Json<BatchReply>, ApiError> {
    // Held until the batch is stored: it bounds the memory bodies take. A
    // request waits its turn (its body unread) for a while, then is told
    // to come back.
    let waiting = Arc::clone(&state.uploads).acquire_owned();
    let _upload = match tokio::time::timeout(state.config.upload_queue_timeout, waiting).await {
        Ok(Ok(permit)) => permit,
        Ok(Err(_)) | Err(_) => {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "the collector is taking as many uploads as it can; try again shortly",
            )
            .retry_after(RETRY_UPLOAD_AFTER_SECS))
        }
    };
    let body = read_body(&state, request, MAX_BATCH_BYTES).await?;
    let Role::Kiosk { store_id, kiosk_id } = caller.role else {
        return Err(ApiError::forbidden("only a kiosk token may post responses"));
    };
    let batch: RawBatch = serde_json::from_slice(&body)
        .map_err(|err| ApiError::bad_request(format!("the body is not a valid batch: {err}")))?;
    if batch.responses.len() > MAX_BATCH_RESPONSES {
        return Err(ApiError::too_large(format!(
            "{} responses in one request; at most {MAX_BATCH_RESPONSES} are accepted",
            batch.responses.len()
        )));
    }
    if batch.kiosk_id != kiosk_id {
        return Err(ApiError::forbidden(format!(
            "this token is for kiosk {kiosk_id:?}, not {:?}",
            batch.kiosk_id
        )));
    }
    let poster = Poster {
        token_id: caller.id,
        store_id,
        kiosk_id,
    };
    let received_at = crate::now_millis();
    let (reply, newest) =
        ingest::ingest(state.store.as_ref(), &poster, &batch.responses, received_at).await?;
    if let (Some(alerts), Some(newest)) = (&state.alerts, newest) {
        alerts.responses_arrived(&poster.store_id, newest, received_at);
    }
    tracing::info!(
        kiosk = %batch.kiosk_id,
        stored = reply.stored.len(),
        duplicates = reply.duplicates.len(),
        rejected = reply.rejected.len(),
        flagged = reply.flagged.len(),
        "batch received"
    );
    Ok(Json(reply))
}
