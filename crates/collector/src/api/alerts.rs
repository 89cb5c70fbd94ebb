//! Alerts in the dashboard: `GET /v1/alerts` lists them (a manager token or
//! a session, only the stores its scope allows); a signed-in person
//! acknowledges one with a note (`POST /v1/alerts/{id}/acknowledge`) or
//! closes it (`POST /v1/alerts/{id}/close`). Those two take the session
//! cookie only (`SameSite=Strict`) and refuse requests from other sites
//! ([`super::auth::same_origin`]), so no other page can act for a manager.

use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::Json;
use feedback_domain::alert::{clean_note, Acknowledgement, AlertList, AlertRow};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Reader, Session};
use super::{read_body, AppState, Params};
use crate::accounts::Scope;
use crate::error::{ApiError, ErrorBody};
use crate::report::rfc3339;
use crate::store::alerts::{AlertAction, AlertRecord};

/// Largest acknowledgement read.
const MAX_REQUEST_BYTES: usize = 8192;
/// Alerts listed at most.
const MAX_LISTED: i64 = 200;

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(alerts_list))
        .routes(routes!(alert_acknowledge))
        .routes(routes!(alert_close))
}

fn row(alert: AlertRecord) -> AlertRow {
    AlertRow {
        id: alert.id,
        store_id: alert.store_id,
        rule: alert.rule,
        fired_at: rfc3339(alert.fired_at),
        message: alert.message,
        state: alert.state,
        acknowledged_by: alert.acknowledged_by,
        acknowledged_at: alert.acknowledged_at.map(rfc3339),
        note: alert.note,
        closed_by: alert.closed_by,
        closed_at: alert.closed_at.map(rfc3339),
    }
}

/// Which alerts to list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
struct AlertsQuery {
    /// Only this store's; every store the caller may read if left out.
    store_id: Option<String>,
}

/// The newest alerts (up to 200) of the stores the caller may read.
#[utoipa::path(
    get,
    path = "/v1/alerts",
    tag = "manager",
    params(AlertsQuery),
    security(("token" = [])),
    responses(
        (status = 200, description = "The alerts, newest first", body = AlertList),
        (status = 401, description = "Not signed in, or a missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Not a manager, or not for this store", body = ErrorBody),
    )
)]
async fn alerts_list(
    State(state): State<AppState>,
    reader: Reader,
    Params(query): Params<AlertsQuery>,
) -> Result<Json<AlertList>, ApiError> {
    let stores = match (query.store_id, &reader.scope) {
        (Some(asked), _) => reader.store(Some(asked))?.map(|s| vec![s]),
        (None, Scope::AllStores) => None,
        (None, Scope::Stores(stores)) => Some(stores.clone()),
    };
    let alerts: Vec<AlertRow> = state
        .store
        .alert_list(stores, MAX_LISTED)
        .await?
        .into_iter()
        .map(row)
        .collect();
    Ok(Json(AlertList {
        enabled: state.alerts.is_some(),
        new: alerts.iter().filter(|a| a.state == "new").count(),
        alerts,
    }))
}

/// The alert `id` if the session's account may read its store; 404 as if
/// it did not exist otherwise.
async fn readable(state: &AppState, session: &Session, id: i64) -> Result<AlertRecord, ApiError> {
    state
        .store
        .alert_get(id)
        .await?
        .filter(|alert| session.record.account.scope.allows(&alert.store_id))
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("there is no alert {id}"),
            )
        })
}

async fn change(
    state: &AppState,
    session: &Session,
    id: i64,
    action: AlertAction,
) -> Result<Json<AlertRow>, ApiError> {
    let before = readable(state, session, id).await?;
    let who = session.record.account.name.clone();
    let verb = match action {
        AlertAction::Acknowledge(_) => "acknowledged",
        AlertAction::Close => "closed",
    };
    if !state
        .store
        .alert_update(id, action, who.clone(), crate::now_millis())
        .await?
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "alert_state",
            format!("alert {id} is {} and cannot be {verb}", before.state),
        ));
    }
    tracing::info!(alert = id, account = %who, "alert {verb}");
    Ok(Json(row(readable(state, session, id).await?)))
}

/// Acknowledges a new alert: someone is on it; the note says what is done.
#[utoipa::path(
    post,
    path = "/v1/alerts/{id}/acknowledge",
    tag = "dashboard",
    params(("id" = i64, Path, description = "The alert's number")),
    request_body = Acknowledgement,
    responses(
        (status = 200, description = "Acknowledged", body = AlertRow),
        (status = 400, description = "Not an acknowledgement, or the note is too long", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Sent from another site", body = ErrorBody),
        (status = 404, description = "No such alert the account may read", body = ErrorBody),
        (status = 409, description = "Already acknowledged or closed", body = ErrorBody),
    )
)]
async fn alert_acknowledge(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
    request: Request,
) -> Result<Json<AlertRow>, ApiError> {
    let body = read_body(&state, request, MAX_REQUEST_BYTES).await?;
    let asked: Acknowledgement = serde_json::from_slice(&body).map_err(|err| {
        ApiError::bad_request(format!("the body is not {{\"note\": \"…\"}}: {err}"))
    })?;
    let note = clean_note(&asked.note).map_err(|err| ApiError::bad_request(err.to_string()))?;
    change(&state, &session, id, AlertAction::Acknowledge(note)).await
}

/// Closes an alert, acknowledged or not: it is over.
#[utoipa::path(
    post,
    path = "/v1/alerts/{id}/close",
    tag = "dashboard",
    params(("id" = i64, Path, description = "The alert's number")),
    responses(
        (status = 200, description = "Closed", body = AlertRow),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Sent from another site", body = ErrorBody),
        (status = 404, description = "No such alert the account may read", body = ErrorBody),
        (status = 409, description = "Already closed", body = ErrorBody),
    )
)]
async fn alert_close(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> Result<Json<AlertRow>, ApiError> {
    change(&state, &session, id, AlertAction::Close).await
}
