//! `GET /v1/trend`: a window per local hour, day, week or month; and
//! `GET /v1/heatmap`: the share satisfied by local weekday and hour.

use axum::extract::State;
use axum::Json;
use feedback_domain::heat_map::HeatMap;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::Reader;
use super::reports::{factor_param, window};
use super::{AppState, Params};
use crate::error::{ApiError, ErrorBody};
use crate::trend::{self, By, TrendReport, TrendRequest};
use crate::zones;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(trend_show))
        .routes(routes!(heatmap_show))
}

/// What a trend covers and how it is cut.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct TrendQuery {
    /// The store (its time zone cuts the buckets); may be left out with a
    /// token for one store, or to cover every store, in UTC, with a token
    /// for all.
    store_id: Option<String>,
    /// Responses created at or after this RFC 3339 time; default: the first
    /// stored.
    from: Option<String>,
    /// Responses created before this RFC 3339 time; default: just after the
    /// last stored.
    to: Option<String>,
    /// `hour`, `day` (the default), `week` (ISO, from Monday) or `month`,
    /// in the store's local time. At most 10,000 buckets.
    #[param(value_type = Option<By>)]
    by: Option<By>,
    /// Only this factor, for example `speed`.
    factor: Option<String>,
}

/// Per local hour, day, week or month of a window: responses and, per
/// factor, count, average, share satisfied and index. Buckets follow the
/// store's time zone (`feedback-collector store set`), so a day across a
/// daylight-saving change has 23 or 25 hours; every store together is cut
/// in UTC. An unknown store, or a window with nothing in it, gives empty
/// buckets.
#[utoipa::path(
    get,
    path = "/v1/trend",
    tag = "manager",
    params(TrendQuery),
    security(("token" = [])),
    responses(
        (status = 200, description = "The trend", body = TrendReport),
        (status = 400, description = "A parameter cannot be read (an unknown `by` or factor, `from` after `to`), or more than 10,000 buckets", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Not a manager token, or not for this store", body = ErrorBody),
    )
)]
async fn trend_show(
    State(state): State<AppState>,
    reader: Reader,
    Params(query): Params<TrendQuery>,
) -> Result<Json<TrendReport>, ApiError> {
    let (request, zone) = request_of(&state, &reader, query).await?;
    Ok(Json(
        trend::trend(state.store.as_ref(), &request, &zone).await?,
    ))
}

/// Ratings of 4 or 5, and all ratings, per local weekday (Monday first)
/// and hour of a window: when customers are satisfied. Cut in the store's
/// time zone as `/v1/trend?by=hour` is; `by` is ignored.
#[utoipa::path(
    get,
    path = "/v1/heatmap",
    tag = "manager",
    params(TrendQuery),
    security(("token" = [])),
    responses(
        (status = 200, description = "The heat map", body = HeatMap),
        (status = 400, description = "A parameter cannot be read, or more than 10,000 hours", body = ErrorBody),
        (status = 401, description = "Not signed in, or a missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Not a manager, or not for this store", body = ErrorBody),
    )
)]
async fn heatmap_show(
    State(state): State<AppState>,
    reader: Reader,
    Params(query): Params<TrendQuery>,
) -> Result<Json<HeatMap>, ApiError> {
    let (request, zone) = request_of(&state, &reader, query).await?;
    Ok(Json(
        trend::heat_map(state.store.as_ref(), &request, &zone).await?,
    ))
}

/// The request a query makes, if `reader` may read it, and the zone its
/// store's buckets are cut in.
async fn request_of(
    state: &AppState,
    reader: &Reader,
    query: TrendQuery,
) -> Result<(TrendRequest, jiff::tz::TimeZone), ApiError> {
    let store_id = reader.store(query.store_id)?;
    let (from, to) = window(query.from, query.to)?;
    let factor = factor_param("factor", query.factor)?;
    let zone_name = match &store_id {
        Some(store_id) => state.store.store_time_zone(store_id.clone()).await?,
        None => "UTC".to_owned(),
    };
    let (_, zone) = zones::parse(&zone_name).map_err(ApiError::internal)?;
    let request = TrendRequest {
        store_id,
        from,
        to,
        by: query.by.unwrap_or(By::Day),
        factor,
    };
    Ok((request, zone))
}
