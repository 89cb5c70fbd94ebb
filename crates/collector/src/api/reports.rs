//! What managers read: `GET /v1/summary` and `GET /v1/responses.csv`.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use feedback_domain::Factor;
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::Reader;
use super::{AppState, Params};
use crate::error::{ApiError, ErrorBody};
use crate::export;
use crate::report::{self, Filter, SummaryReport};

/// What a manager turned away for one export too many is told to wait.
const RETRY_EXPORT_AFTER_SECS: u64 = 30;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(summary_show))
        .routes(routes!(responses_export))
}

/// Which responses a report covers.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct WindowQuery {
    /// The store; may be left out with a token for one store, or to cover
    /// every store with a token for all.
    store_id: Option<String>,
    /// Responses created at or after this RFC 3339 time.
    from: Option<String>,
    /// Responses created before this RFC 3339 time.
    to: Option<String>,
}

impl WindowQuery {
    /// The filter this query asks for, if `reader` may read it.
    fn filter(self, reader: &Reader) -> Result<Filter, ApiError> {
        let store_id = reader.store(self.store_id)?;
        let (from, to) = window(self.from, self.to)?;
        Ok(Filter { store_id, from, to })
    }
}

/// The factor a parameter names (`speed`, …); empty or absent: none.
pub(super) fn factor_param(name: &str, value: Option<String>) -> Result<Option<Factor>, ApiError> {
    value
        .filter(|v| !v.is_empty())
        .map(|v| v.parse::<Factor>())
        .transpose()
        .map_err(|err| ApiError::bad_request(format!("{name}: {err}")))
}

/// `from` and `to` as ms; a reversed window is refused.
pub(super) fn window(
    from: Option<String>,
    to: Option<String>,
) -> Result<(Option<i64>, Option<i64>), ApiError> {
    let time = |text: Option<String>, name: &str| {
        text.filter(|t| !t.is_empty())
            .map(|t| report::parse_time(&t))
            .transpose()
            .map_err(|err| ApiError::bad_request(format!("{name}: {err}")))
    };
    let (from, to) = (time(from, "from")?, time(to, "to")?);
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            return Err(ApiError::bad_request(format!(
                "from ({}) is after to ({}); swap them",
                report::rfc3339(from),
                report::rfc3339(to)
            )));
        }
    }
    Ok((from, to))
}

/// Per-factor summary of the responses created in a window.
#[utoipa::path(
    get,
    path = "/v1/summary",
    tag = "manager",
    params(WindowQuery),
    security(("token" = [])),
    responses(
        (status = 200, description = "The summary", body = SummaryReport),
        (status = 400, description = "A parameter cannot be read, or `from` is after `to`", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Not a manager token, or not for this store", body = ErrorBody),
    )
)]
async fn summary_show(
    State(state): State<AppState>,
    reader: Reader,
    Params(window): Params<WindowQuery>,
) -> Result<Json<SummaryReport>, ApiError> {
    let filter = window.filter(&reader)?;
    Ok(Json(report::summary(state.store.as_ref(), &filter).await?))
}

/// Every response created in a window as CSV (RFC 4180, UTF-8, header row,
/// times in UTC), oldest first, streamed. A comment a spreadsheet would run
/// as a formula (starting with `=`, `+`, `-`, `@`) gets a leading `'`.
#[utoipa::path(
    get,
    path = "/v1/responses.csv",
    tag = "manager",
    params(WindowQuery),
    security(("token" = [])),
    responses(
        (status = 200, description = "The export", content_type = "text/csv", body = String),
        (status = 400, description = "A parameter cannot be read, or `from` is after `to`", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Not a manager token, or not for this store", body = ErrorBody),
        (status = 503, description = "Too many exports at once; try again after Retry-After seconds", body = ErrorBody),
    )
)]
async fn responses_export(
    State(state): State<AppState>,
    reader: Reader,
    Params(window): Params<WindowQuery>,
) -> Result<Response, ApiError> {
    let filter = window.filter(&reader)?;
    let exporting = Arc::clone(&state.exports)
        .try_acquire_owned()
        .map_err(|_| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "as many exports as the collector streams at once are running; try again shortly",
            )
            .retry_after(RETRY_EXPORT_AFTER_SECS)
        })?;
    let mut pieces = export::start(Arc::clone(&state.store), filter, exporting);
    // The header always comes; the first page tells whether the database
    // answers, while a 500 can still be sent.
    let mut first = Vec::with_capacity(2);
    for _ in 0..2 {
        match pieces.recv().await {
            Some(Ok(piece)) => first.push(Ok(piece)),
            Some(Err(err)) => return Err(ApiError::internal(err)),
            None => break,
        }
    }
    let rest = futures_util::stream::unfold(pieces, |mut pieces| async move {
        pieces.recv().await.map(|piece| (piece, pieces))
    });
    let body = Body::from_stream(futures_util::stream::iter(first).chain(rest));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"responses.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
