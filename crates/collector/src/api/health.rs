//! `GET /healthz`: whether the service and its database answer and take
//! writes.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{blocking, AppState};
use crate::db;
use crate::error::{ApiError, ErrorBody};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health_show))
}

/// The service is up and its database takes writes (a tiny committed write
/// each time: a read-only file, a full disk or a database locked by another
/// process is reported).
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    responses(
        (status = 200, description = "Up", body = String, example = json!({"status": "ok"})),
        (status = 503, description = "The database does not answer or does not take writes", body = ErrorBody),
    )
)]
async fn health_show(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let pool = state.pool.clone();
    let write_lock = Arc::clone(&state.write_lock);
    blocking(move || {
        let _writing = write_lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let conn = pool.get().map_err(unhealthy)?;
        db::check_writable(&conn, crate::now_millis()).map_err(unhealthy)
    })
    .await?;
    Ok(Json(serde_json::json!({"status": "ok"})))
}

fn unhealthy(err: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %err, "health check failed");
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "unhealthy",
        format!("the database does not take writes: {err}"),
    )
}
