//! The built kiosk's files, and the security headers its pages carry.

use std::collections::HashMap;
use std::path::Path;

use axum::extract::State;
use axum::http::header::{self, HeaderValue};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use super::AppState;

/// The kill switch served at `/sw.js` with `--retire-service-worker`.
pub const RETIRE_SERVICE_WORKER: &str = include_str!("../retire-sw.js");

/// The Content Security Policy each built page carries in its `<meta>` tag
/// (with the hash of Trunk's bootstrap script filled in), by the paths the
/// page is served at, so the collector can send it as a header too, with
/// `frame-ancestors 'none'` added: browsers ignore that directive in a
/// `<meta>` tag, so only the header can forbid framing.
pub fn page_policies(kiosk_dir: &Path) -> HashMap<String, HeaderValue> {
    const MARK: &str = "http-equiv=\"Content-Security-Policy\" content=\"";
    let mut policies = HashMap::new();
    for (page, paths) in [
        ("index.html", ["/", "/index.html"]),
        ("manager/index.html", ["/manager/", "/manager/index.html"]),
        (
            "dashboard/index.html",
            ["/dashboard/", "/dashboard/index.html"],
        ),
    ] {
        let Ok(html) = std::fs::read_to_string(kiosk_dir.join(page)) else {
            continue;
        };
        let policy = html
            .split_once(MARK)
            .and_then(|(_, rest)| rest.split_once('"'))
            .and_then(|(policy, _)| {
                let policy = policy.trim().trim_end_matches(';').trim_end();
                HeaderValue::from_str(&format!("{policy}; frame-ancestors 'none'")).ok()
            });
        if let Some(policy) = policy {
            for path in paths {
                policies.insert(path.to_owned(), policy.clone());
            }
        }
    }
    policies
}

/// Sends each page's Content Security Policy as a header; tells browsers
/// not to guess types, leak the kiosk's address or frame anything; and keeps
/// JSON configuration (`kiosk.json`) out of every cache.
pub(super) async fn page_security(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path();
    let policy = state.config.page_policies.get(path).cloned();
    let config_file = path.ends_with(".json");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Some(policy) = policy {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    if config_file {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
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

/// `router` answering `GET /sw.js` with [`RETIRE_SERVICE_WORKER`] instead
/// of the kiosk's own worker.
pub(super) fn with_retired_worker(router: Router<AppState>) -> Router<AppState> {
    router.route(
        "/sw.js",
        get(|| async {
            (
                [
                    (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                RETIRE_SERVICE_WORKER,
            )
        }),
    )
}

/// `router` with the kiosk's files in `dir` behind it, for every path the
/// API does not answer.
pub(super) fn with_kiosk_files(router: Router<AppState>, dir: &Path) -> Router<AppState> {
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
    router.fallback_service(files)
}
