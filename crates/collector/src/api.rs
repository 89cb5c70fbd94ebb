//! The HTTP API and the kiosk app, on one router.
//!
//! | Method and path          | Token   | What                                   |
//! |--------------------------|---------|----------------------------------------|
//! | `POST /v1/responses`     | kiosk   | store a batch of responses, once each  |
//! | `GET /v1/summary`        | manager | per-factor summary of a window         |
//! | `GET /v1/responses.csv`  | manager | every response of a window, as CSV     |
//! | `GET /v1/openapi.json`   | none    | this API, described                    |
//! | `GET /healthz`           | none    | the service and its database are up    |
//! | anything else            | none    | the built kiosk, when a directory is configured |

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, FromRef, FromRequestParts, Query, State};
use axum::http::header::{self, HeaderValue};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::{Json, Router};
use feedback_domain::wire::{BatchReply, MAX_BATCH_BYTES, MAX_BATCH_RESPONSES};
use serde::Deserialize;
use serde_json::value::RawValue;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::Pool;
use crate::error::{ApiError, ErrorBody};
use crate::ingest::{self, BatchError, Poster};
use crate::report::{self, Filter, SummaryReport};
use crate::tokens::{self, Role, TokenInfo};

/// How the service is set up.
#[derive(Clone, Debug, Default)]
pub struct AppConfig {
    /// Directory of the built kiosk (Trunk's `dist/`), served at `/`.
    pub kiosk_dir: Option<PathBuf>,
    /// Origins allowed to call the API from a browser when the kiosk is
    /// served from elsewhere, for example `https://kiosk.example.com`.
    pub cors_origins: Vec<HeaderValue>,
    /// The Content Security Policy of each page of the kiosk, by path, sent
    /// as a header with it (see [`page_policies`]).
    pub page_policies: HashMap<String, HeaderValue>,
}

/// The Content Security Policy each built page carries in its `<meta>` tag
/// (with the hash of Trunk's bootstrap script filled in), by the paths the
/// page is served at, so the collector can send it as a header too.
pub fn page_policies(kiosk_dir: &Path) -> HashMap<String, HeaderValue> {
    const MARK: &str = "http-equiv=\"Content-Security-Policy\" content=\"";
    let mut policies = HashMap::new();
    for (page, paths) in [
        ("index.html", ["/", "/index.html"]),
        ("manager/index.html", ["/manager/", "/manager/index.html"]),
    ] {
        let Ok(html) = std::fs::read_to_string(kiosk_dir.join(page)) else {
            continue;
        };
        let policy = html
            .split_once(MARK)
            .and_then(|(_, rest)| rest.split_once('"'))
            .and_then(|(policy, _)| HeaderValue::from_str(policy).ok());
        if let Some(policy) = policy {
            for path in paths {
                policies.insert(path.to_owned(), policy.clone());
            }
        }
    }
    policies
}

/// Sends each page's Content Security Policy as a header, and tells
/// browsers not to guess types or leak the kiosk's address.
async fn page_security(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let policy = state
        .config
        .page_policies
        .get(request.uri().path())
        .cloned();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Some(policy) = policy {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub pool: Pool,
    /// The configuration.
    pub config: Arc<AppConfig>,
    /// Held while writing: writers queue here instead of in SQLite's busy
    /// handler, whose sleeps would add tens of milliseconds under load.
    pub write_lock: Arc<std::sync::Mutex<()>>,
}

impl AppState {
    /// State for `pool` and `config`.
    pub fn new(pool: Pool, config: AppConfig) -> AppState {
        AppState {
            pool,
            config: Arc::new(config),
            write_lock: Arc::default(),
        }
    }
}

impl FromRef<AppState> for Pool {
    fn from_ref(state: &AppState) -> Pool {
        state.pool.clone()
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
        .routes(routes!(post_responses))
        .routes(routes!(get_summary))
        .routes(routes!(get_csv))
        .routes(routes!(healthz))
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
    if let Some(dir) = &state.config.kiosk_dir {
        // `no-cache`: the browser revalidates (Last-Modified) so a new build
        // is picked up; starting offline is not HTTP caching's job.
        let files = tower::ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::if_not_present(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-cache"),
            ))
            // Gzip on the fly for browsers that ask: the wasm shrinks to
            // about two fifths.
            .layer(tower_http::compression::CompressionLayer::new())
            .service(ServeDir::new(dir));
        router = router.fallback_service(files);
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
            page_security,
        ))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal("a request handler panicked").into_response()
        }))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Who is asking: the live token the request carries.
pub struct Caller(pub TokenInfo);

impl<S> FromRequestParts<S> for Caller
where
    Pool: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Caller, ApiError> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthorized("an Authorization: Bearer token is required"))?;
        let secret = header
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|secret| !secret.is_empty())
            .ok_or_else(|| {
                ApiError::unauthorized("the Authorization header must be Bearer <token>")
            })?
            .to_owned();
        let pool = Pool::from_ref(state);
        let found = blocking(move || {
            let conn = pool.get()?;
            Ok(tokens::authenticate(&conn, &secret)?)
        })
        .await?;
        found
            .map(Caller)
            .ok_or_else(|| ApiError::unauthorized("this token is unknown or revoked"))
    }
}

/// Runs database work off the async threads.
async fn blocking<T, F>(work: F) -> Result<T, ApiError>
where
    F: FnOnce() -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .map_err(ApiError::internal)?
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
        (status = 413, description = "More than 1,000 responses or 1 MiB", body = ErrorBody),
    )
)]
async fn post_responses(
    State(state): State<AppState>,
    Caller(caller): Caller,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<BatchReply>, ApiError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::too_large(format!(
                "a request may carry at most {MAX_BATCH_BYTES} bytes; send fewer responses at once"
            ))
        } else {
            ApiError::bad_request(rejection.body_text())
        }
    })?;
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
    let pool = state.pool.clone();
    let write_lock = Arc::clone(&state.write_lock);
    let reply = blocking(move || {
        // A poisoned lock only means another write panicked; SQLite rolled it back.
        let _writing = write_lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut conn = pool.get()?;
        ingest::ingest(&mut conn, &poster, &batch.responses, crate::now_millis()).map_err(|err| {
            match err {
                BatchError::WrongStore { .. } => ApiError::forbidden(err.to_string()),
                BatchError::Database(err) => ApiError::internal(err),
            }
        })
    })
    .await?;
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
    /// The filter this query asks for, if `caller` may read it.
    fn filter(self, caller: &TokenInfo) -> Result<Filter, ApiError> {
        let store_id = match (&caller.role, self.store_id) {
            (Role::Kiosk { .. }, _) => {
                return Err(ApiError::forbidden("a kiosk token may not read reports"))
            }
            (Role::Manager { store_id: None }, asked) => asked,
            (
                Role::Manager {
                    store_id: Some(own),
                },
                None,
            ) => Some(own.clone()),
            (
                Role::Manager {
                    store_id: Some(own),
                },
                Some(asked),
            ) if *own == asked => Some(asked),
            (
                Role::Manager {
                    store_id: Some(own),
                },
                Some(asked),
            ) => {
                return Err(ApiError::forbidden(format!(
                    "this token may read store {own:?}, not {asked:?}"
                )))
            }
        };
        let time = |text: Option<String>, name: &str| {
            text.filter(|t| !t.is_empty())
                .map(|t| report::parse_time(&t))
                .transpose()
                .map_err(|err| ApiError::bad_request(format!("{name}: {err}")))
        };
        Ok(Filter {
            store_id,
            from: time(self.from, "from")?,
            to: time(self.to, "to")?,
        })
    }
}

fn query(query: Result<Query<WindowQuery>, QueryRejection>) -> Result<WindowQuery, ApiError> {
    query
        .map(|Query(q)| q)
        .map_err(|rejection| ApiError::bad_request(rejection.body_text()))
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
        (status = 400, description = "A parameter cannot be read", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Not a manager token, or not for this store", body = ErrorBody),
    )
)]
async fn get_summary(
    State(state): State<AppState>,
    Caller(caller): Caller,
    window: Result<Query<WindowQuery>, QueryRejection>,
) -> Result<Json<SummaryReport>, ApiError> {
    let filter = query(window)?.filter(&caller)?;
    let pool = state.pool.clone();
    let summary = blocking(move || Ok(report::summary(&*pool.get()?, &filter)?)).await?;
    Ok(Json(summary))
}

/// Every response created in a window as CSV (RFC 4180, UTF-8, header row,
/// times in UTC), oldest first.
#[utoipa::path(
    get,
    path = "/v1/responses.csv",
    tag = "manager",
    params(WindowQuery),
    security(("token" = [])),
    responses(
        (status = 200, description = "The export", content_type = "text/csv", body = String),
        (status = 400, description = "A parameter cannot be read", body = ErrorBody),
        (status = 401, description = "Missing, unknown or revoked token", body = ErrorBody),
        (status = 403, description = "Not a manager token, or not for this store", body = ErrorBody),
    )
)]
async fn get_csv(
    State(state): State<AppState>,
    Caller(caller): Caller,
    window: Result<Query<WindowQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let filter = query(window)?.filter(&caller)?;
    let pool = state.pool.clone();
    let csv =
        blocking(move || report::csv(&*pool.get()?, &filter).map_err(ApiError::internal)).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"responses.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
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

async fn no_such_endpoint(method: Method, uri: axum::http::Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no endpoint {method} {}", uri.path()),
    )
}
