//! `GET /healthz`: whether the service and its database answer and take
//! writes.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::AppState;
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
    state
        .store
        .check_writable(crate::now_millis())
        .await
        .map_err(|err| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unhealthy",
                format!("the database does not take writes: {err}"),
            )
            .caused_by(err)
        })?;
    Ok(Json(serde_json::json!({"status": "ok"})))
}
