//! `GET /v1/comments`: what customers wrote, newest first, for a store's
//! page on the dashboard.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::Reader;
use super::reports::{factor_param, window};
use super::{AppState, Params};
use crate::error::{ApiError, ErrorBody};
use crate::report::rfc3339;
use crate::store::comments::CommentQuery;

/// Most comments one request returns.
pub const MAX_COMMENTS: usize = 200;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(comments_list))
}

/// Which comments.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct CommentsQuery {
    /// The store (may be left out as for `/v1/summary`).
    store_id: Option<String>,
    /// Created at or after this RFC 3339 time.
    from: Option<String>,
    /// Created before this RFC 3339 time.
    to: Option<String>,
    /// Only customers who rated this factor 1 or 2 (`speed`, …).
    low: Option<String>,
    /// Only comments containing this text (letters in any case).
    q: Option<String>,
    /// At most this many (default 50, at most 200).
    limit: Option<usize>,
}

/// One comment.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommentItem {
    /// The response's id.
    pub id: String,
    /// Its store.
    pub store_id: String,
    /// Its kiosk.
    pub kiosk_id: String,
    /// When it was given (RFC 3339, UTC).
    pub created_at: String,
    /// What the customer wrote: plain text, to be shown as text.
    pub comment: String,
    /// Their ratings, by factor key.
    pub ratings: BTreeMap<String, u8>,
}

/// `GET /v1/comments`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CommentList {
    /// Newest first.
    pub comments: Vec<CommentItem>,
}

/// Comments of a window, newest first.
#[utoipa::path(
    get,
    path = "/v1/comments",
    tag = "manager",
    params(CommentsQuery),
    security(("token" = [])),
    responses(
        (status = 200, description = "The comments", body = CommentList),
        (status = 400, description = "A parameter cannot be read", body = ErrorBody),
        (status = 401, description = "Not signed in, or a missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Not a manager, or not for this store", body = ErrorBody),
    )
)]
async fn comments_list(
    State(state): State<AppState>,
    reader: Reader,
    Params(query): Params<CommentsQuery>,
) -> Result<Json<CommentList>, ApiError> {
    let store_id = reader.store(query.store_id)?;
    let (from, to) = window(query.from, query.to)?;
    let low = factor_param("low", query.low)?;
    let rows = state
        .store
        .comments(CommentQuery {
            store_id,
            from,
            to,
            low,
            text: query.q,
            limit: query.limit.unwrap_or(50).clamp(1, MAX_COMMENTS),
        })
        .await?;
    let comments = rows
        .into_iter()
        .map(|row| CommentItem {
            ratings: row
                .ratings
                .iter()
                .map(|(factor, rating)| (factor.key().to_owned(), rating.value()))
                .collect(),
            id: row.id,
            store_id: row.store_id,
            kiosk_id: row.kiosk_id,
            created_at: rfc3339(row.created_at),
            comment: row.comment.unwrap_or_default(),
        })
        .collect();
    Ok(Json(CommentList { comments }))
}
