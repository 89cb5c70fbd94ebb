//! The built kiosk's files, and the security headers its pages carry.

use std::collections::HashMap;
use std::path::Path;

use axum::extract::State;
use axum::http::header::{self, HeaderValue};
use axum::response::Response;
use axum::Router;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use super::AppState;

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
pub(super) async fn page_security(
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
