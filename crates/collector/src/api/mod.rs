//! The HTTP API and the kiosk app, on one router; one module per resource.
//!
//! | Method and path          | Token   | What                                   |
//! |--------------------------|---------|----------------------------------------|
//! | `POST /v1/responses`     | kiosk   | store a batch of responses, once each  |
//! | `POST /v1/enrollments`   | none    | exchange a one-time code for a kiosk token |
//! | `POST /v1/heartbeat`     | kiosk   | the kiosk is alive; how it is doing    |
//! | `POST /v1/session`       | none    | sign in to the dashboard (sets a cookie) |
//! | `GET`, `DELETE /v1/session` | session | who is signed in; sign out          |
//! | `GET /v1/overview`       | manager | every store readable, this and the previous period |
//! | `GET /v1/kiosks`         | manager | every kiosk readable, with its health  |
//! | `GET /v1/alerts`         | manager | alerts of the stores readable, newest first |
//! | `POST /v1/alerts/{id}/acknowledge`, `…/close` | session | act on an alert |
//! | `GET`, `PUT /v1/session/digest` | session | one's own digest by mail |
//! | `GET /v1/comments`       | manager | comments of a window, newest first     |
//! | `GET /v1/heatmap`        | manager | share satisfied by local weekday and hour |
//! | `GET /v1/summary`        | manager | per-factor summary of a window         |
//! | `GET /v1/trend`          | manager | the same per local hour, day, week or month |
//! | `GET /v1/responses.csv`  | manager | every response of a window, as CSV     |
//! | `GET /v1/openapi.json`   | none    | this API, described                    |
//! | `GET /healthz`           | none    | the service and its database are up    |
//! | anything else            | none    | the built kiosk, when a directory is configured |
//!
//! "manager" is a manager token (`Authorization: Bearer`) or a dashboard
//! session cookie; either way, only the stores its scope allows
//! ([`auth::Reader`]).

mod alerts;
pub mod auth;
mod comments;
mod digest;
pub mod enrollments;
mod fleet;
mod health;
mod overview;
pub mod pages;
mod reports;
mod request;
mod responses;
mod session;
mod trend;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, FromRef};
use axum::http::header::{self, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{any, get};
use axum::{Json, Router};
use feedback_domain::wire::MAX_BATCH_BYTES;
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use crate::accounts::SessionLimits;
use crate::error::{ApiError, ErrorBody};
use crate::store::Store;
use crate::throttle::Throttle;

pub use auth::Caller;
pub use pages::page_policies;
use request::read_body;
pub use request::Params;

/// How the service is set up.
#[derive(Clone, Debug)]
pub struct AppConfig {
    /// Directory of the built kiosk (Trunk's `dist/`), served at `/`.
    pub kiosk_dir: Option<PathBuf>,
    /// Origins allowed to call the API from a browser when the kiosk is
    /// served from elsewhere, for example `https://kiosk.example.com`.
    pub cors_origins: Vec<HeaderValue>,
    /// The Content Security Policy of each page of the kiosk, by path, sent
    /// as a header with it (see [`page_policies`]).
    pub page_policies: HashMap<String, HeaderValue>,
    /// Most uploads (`POST /v1/responses`) handled at once; more are
    /// answered 503 with `Retry-After`. Each holds up to 1 MiB.
    pub max_uploads: usize,
    /// How long an upload past [`AppConfig::max_uploads`] waits for a turn
    /// (its body unread) before it is answered 503.
    pub upload_queue_timeout: Duration,
    /// Most CSV exports streaming at once; more are answered 503. Each
    /// holds a few hundred KB.
    pub max_exports: usize,
    /// A request's whole body must arrive within this.
    pub body_timeout: Duration,
    /// Answer `GET /sw.js` with a service worker that retires itself.
    pub retire_service_worker: bool,
    /// How long dashboard sessions last.
    pub session_limits: SessionLimits,
    /// Mark the session cookie `Secure` (only sent over HTTPS). Off only
    /// for plain HTTP on loopback (`--insecure-cookies`).
    pub secure_cookies: bool,
    /// A kiosk not heard from for longer than this is silent, in ms.
    pub silent_after_ms: i64,
}

impl Default for AppConfig {
    fn default() -> AppConfig {
        AppConfig {
            kiosk_dir: None,
            cors_origins: Vec::new(),
            page_policies: HashMap::new(),
            max_uploads: 32,
            upload_queue_timeout: Duration::from_secs(5),
            max_exports: 4,
            body_timeout: Duration::from_secs(30),
            retire_service_worker: false,
            session_limits: SessionLimits::default(),
            secure_cookies: true,
            silent_after_ms: feedback_domain::heartbeat::DEFAULT_SILENT_AFTER_MS,
        }
    }
}

/// Failed sign-ins that lock an account name or an address.
pub const SIGN_IN_FAILURES: u32 = 5;
/// How long they lock it, from the last failure: 15 minutes.
pub const SIGN_IN_LOCKOUT: Duration = Duration::from_secs(15 * 60);

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database, whichever engine it is.
    pub store: Arc<dyn Store>,
    /// The configuration.
    pub config: Arc<AppConfig>,
    /// One permit per upload being handled.
    pub uploads: Arc<Semaphore>,
    /// One permit per CSV export streaming.
    pub exports: Arc<Semaphore>,
    /// Recent wrong enrollment codes, to limit guessing.
    pub failed_enrollments: Arc<enrollments::FailedAttempts>,
    /// Recent failed sign-ins, per account name and per address.
    pub sign_ins: Arc<Throttle>,
    /// The alert engine, when the collector runs with an alerts file.
    pub alerts: Option<Arc<crate::alerts::Alerter>>,
}

impl AppState {
    /// State for any engine.
    pub fn with_store(store: Arc<dyn Store>, config: AppConfig) -> AppState {
        AppState {
            store,
            uploads: Arc::new(Semaphore::new(config.max_uploads.max(1))),
            exports: Arc::new(Semaphore::new(config.max_exports.max(1))),
            config: Arc::new(config),
            failed_enrollments: Arc::default(),
            sign_ins: Arc::new(Throttle::new(SIGN_IN_FAILURES, SIGN_IN_LOCKOUT)),
            alerts: None,
        }
    }

    /// The same, evaluating alerts as `alerter` says.
    pub fn with_alerts(self, alerter: Arc<crate::alerts::Alerter>) -> AppState {
        AppState {
            alerts: Some(alerter),
            ..self
        }
    }
}

impl FromRef<AppState> for Arc<dyn Store> {
    fn from_ref(state: &AppState) -> Arc<dyn Store> {
        Arc::clone(&state.store)
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "feedback-collector",
        description = "Receives feedback kiosk responses exactly once; serves summaries and exports."
    ),
    modifiers(&BearerAuth),
    components(schemas(ErrorBody))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The API routes and their OpenAPI description, before state is attached.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(responses::router())
        .merge(enrollments::router())
        .merge(reports::router())
        .merge(trend::router())
        .merge(overview::router())
        .merge(comments::router())
        .merge(fleet::router())
        .merge(alerts::router())
        .merge(digest::router())
        .merge(session::router())
        .merge(health::router())
}

/// The OpenAPI document of [`api_router`].
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_router().into_openapi()
}

/// The whole service: API, OpenAPI document, and the kiosk app if configured.
pub fn app(state: AppState) -> Router {
    let (api, doc) = api_router().split_for_parts();
    let doc = Arc::new(doc);
    let mut router = api
        .route(
            "/v1/openapi.json",
            get(move || {
                let doc = Arc::clone(&doc);
                async move { Json(doc.as_ref().clone()) }
            }),
        )
        .route("/v1/{*rest}", any(no_such_endpoint))
        .layer(DefaultBodyLimit::max(MAX_BATCH_BYTES))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    if state.config.retire_service_worker {
        router = pages::with_retired_worker(router);
    }
    if let Some(dir) = &state.config.kiosk_dir {
        router = pages::with_kiosk_files(router, dir);
    }
    if !state.config.cors_origins.is_empty() {
        router = router.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(state.config.cors_origins.clone()))
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
                .max_age(Duration::from_secs(3600)),
        );
    }
    router
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::page_security,
        ))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal("a request handler panicked").into_response()
        }))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn no_such_endpoint(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no endpoint {method} {}", uri.path()),
    )
}
