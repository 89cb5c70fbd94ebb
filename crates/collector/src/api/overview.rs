//! `GET /v1/overview`: every store a manager may read, for a period and the
//! period of the same length before it, in one request (the dashboard's
//! first screen).

use axum::extract::State;
use axum::Json;
use futures_util::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::Reader;
use super::reports::window;
use super::{AppState, Params};
use crate::accounts::Scope;
use crate::error::{ApiError, ErrorBody};
use crate::report::{self, rfc3339, Filter, SummaryReport};
use crate::store::DEFAULT_TIME_ZONE;

/// Summaries computed at once.
const CONCURRENT_SUMMARIES: usize = 8;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(overview_show))
}

/// The period of an overview.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct OverviewQuery {
    /// Start (RFC 3339, inclusive).
    from: String,
    /// End (RFC 3339, exclusive).
    to: String,
}

/// One store in an overview.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OverviewRow {
    /// The store.
    pub store_id: String,
    /// Its time zone.
    pub time_zone: String,
    /// The period asked for.
    pub summary: SummaryReport,
    /// The period of the same length just before it.
    pub previous: SummaryReport,
}

/// `GET /v1/overview`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Overview {
    /// Start of the period.
    pub from: String,
    /// End of the period.
    pub to: String,
    /// Start of the previous period (which ends at `from`).
    pub previous_from: String,
    /// One row per store the caller may read, by store id.
    pub stores: Vec<OverviewRow>,
}

/// Every store the caller may read: its summary for a period and for the
/// period of the same length before it.
#[utoipa::path(
    get,
    path = "/v1/overview",
    tag = "manager",
    params(OverviewQuery),
    security(("token" = [])),
    responses(
        (status = 200, description = "One row per store", body = Overview),
        (status = 400, description = "A time cannot be read, or `from` is after `to`", body = ErrorBody),
        (status = 401, description = "Not signed in, or a missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Not a manager", body = ErrorBody),
    )
)]
async fn overview_show(
    State(state): State<AppState>,
    reader: Reader,
    Params(query): Params<OverviewQuery>,
) -> Result<Json<Overview>, ApiError> {
    let (Some(from), Some(to)) = window(Some(query.from), Some(query.to))? else {
        return Err(ApiError::bad_request("from and to are both needed"));
    };
    let previous_from = from - (to - from);
    let known = state.store.store_list().await?;
    let mut stores: Vec<(String, String)> = known
        .into_iter()
        .filter(|s| reader.scope.allows(&s.store_id))
        .map(|s| (s.store_id, s.time_zone))
        .collect();
    if let Scope::Stores(own) = &reader.scope {
        for id in own {
            if !stores.iter().any(|(s, _)| s == id) {
                stores.push((id.clone(), DEFAULT_TIME_ZONE.to_owned()));
            }
        }
        stores.sort();
    }
    let db = state.store.as_ref();
    let rows: Vec<OverviewRow> = futures_util::stream::iter(stores)
        .map(|(store_id, time_zone)| async move {
            let filter = |from, to| Filter {
                store_id: Some(store_id.clone()),
                from: Some(from),
                to: Some(to),
            };
            let summary = report::summary(db, &filter(from, to)).await?;
            let previous = report::summary(db, &filter(previous_from, from)).await?;
            Ok::<_, ApiError>(OverviewRow {
                store_id,
                time_zone,
                summary,
                previous,
            })
        })
        .buffered(CONCURRENT_SUMMARIES)
        .try_collect()
        .await?;
    Ok(Json(Overview {
        from: rfc3339(from),
        to: rfc3339(to),
        previous_from: rfc3339(previous_from),
        stores: rows,
    }))
}
