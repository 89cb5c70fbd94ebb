//! `GET /healthz`: whether the service and its database answer.

use axum::extract::State;
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{blocking, AppState};
use crate::error::{ApiError, ErrorBody};

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(healthz))
}

/// The service is up and its database answers.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    responses(
        (status = 200, description = "Up", body = String, example = json!({"status": "ok"})),
        (status = 500, description = "The database does not answer", body = ErrorBody),
    )
)]
async fn healthz(State(state): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    let pool = state.pool.clone();
    blocking(move || {
        pool.get()?.query_row("SELECT 1", [], |_| Ok(()))?;
        Ok(())
    })
    .await?;
    Ok(Json(serde_json::json!({"status": "ok"})))
}
