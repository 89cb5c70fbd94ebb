//! What operators rely on: a health check that notices a database that
//! cannot write, the kiosk served beside the API with its headers and CORS,
//! tokens however the scheme is spelt, and the service worker kill switch.

mod common;

use axum::http::{header, HeaderValue, Method, StatusCode};
use common::*;
use feedback_collector::AppConfig;
use serde_json::json;

async fn health_is_503_while_the_database_cannot_take_writes(engine: Engine) {
    let c = Collector::new(engine).await;
    assert_eq!(
        c.send(Method::GET, "/healthz", None, None).await.status,
        StatusCode::OK
    );
    // Another process holds the database (SQLite) or the table the check
    // writes (PostgreSQL) exclusively.
    let other = c.db.hold_exclusive_lock();
    let locked = c.send(Method::GET, "/healthz", None, None).await;
    assert_eq!(
        locked.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        locked.text()
    );
    assert_eq!(locked.error_code(), "unhealthy");
    drop(other);
    assert_eq!(
        c.send(Method::GET, "/healthz", None, None).await.status,
        StatusCode::OK
    );
}

async fn the_bearer_scheme_is_matched_in_any_case(engine: Engine) {
    let c = Collector::new(engine).await;
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let request = axum::http::Request::get("/v1/summary")
            .header(header::AUTHORIZATION, format!("{scheme} {}", c.manager))
            .body(axum::body::Body::empty())
            .expect("request");
        let reply = tower::ServiceExt::oneshot(c.app.clone(), request)
            .await
            .expect("reply");
        assert_eq!(reply.status(), StatusCode::OK, "{scheme}");
    }
    let basic = c.send(Method::GET, "/v1/summary", None, None).await;
    assert_eq!(basic.status, StatusCode::UNAUTHORIZED);
}

fn site() -> tempfile::TempDir {
    let site = tempfile::tempdir().expect("temp dir");
    std::fs::write(site.path().join("index.html"), "<title>kiosk</title>").expect("write");
    std::fs::write(site.path().join("sw.js"), "// the kiosk's worker\n").expect("write");
    std::fs::write(site.path().join("app.js"), "console.log(1);\n").expect("write");
    std::fs::write(
        site.path().join("kiosk.json"),
        json!({"store_id": "store-1"}).to_string(),
    )
    .expect("write");
    site
}

async fn kiosk_json_is_never_cached_and_other_files_are_revalidated(engine: Engine) {
    let site = site();
    let c = Collector::with_config(
        engine,
        AppConfig {
            kiosk_dir: Some(site.path().to_owned()),
            ..AppConfig::default()
        },
    )
    .await;
    let config = c.send(Method::GET, "/kiosk.json", None, None).await;
    assert_eq!(config.status, StatusCode::OK);
    assert_eq!(config.headers[header::CACHE_CONTROL], "no-store");
    let script = c.send(Method::GET, "/app.js", None, None).await;
    assert_eq!(script.headers[header::CACHE_CONTROL], "no-cache");
}

async fn the_kill_switch_serves_a_worker_that_retires_itself(engine: Engine) {
    let site = site();
    let normal = Collector::with_config(
        engine,
        AppConfig {
            kiosk_dir: Some(site.path().to_owned()),
            ..AppConfig::default()
        },
    )
    .await;
    let kiosks_own = normal.send(Method::GET, "/sw.js", None, None).await;
    assert_eq!(kiosks_own.text(), "// the kiosk's worker\n");

    let retiring = Collector::with_config(
        engine,
        AppConfig {
            kiosk_dir: Some(site.path().to_owned()),
            retire_service_worker: true,
            ..AppConfig::default()
        },
    )
    .await;
    let retire = retiring.send(Method::GET, "/sw.js", None, None).await;
    assert_eq!(retire.status, StatusCode::OK);
    assert!(retire.headers[header::CONTENT_TYPE]
        .to_str()
        .expect("ascii")
        .starts_with("text/javascript"));
    assert_eq!(retire.headers[header::CACHE_CONTROL], "no-store");
    let script = retire.text();
    for step in [
        "skipWaiting()",
        "caches.keys()",
        "caches.delete",
        "registration.unregister()",
        "matchAll({ type: 'window' })",
        "navigate(client.url)",
    ] {
        assert!(script.contains(step), "the retiring worker lacks {step}");
    }
}

async fn the_kiosk_is_served_beside_the_api_with_cors_for_a_configured_origin(engine: Engine) {
    let site = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        site.path().join("index.html"),
        r#"<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'sha256-abc='" /><title>kiosk</title>"#,
    )
    .expect("write");
    let c = Collector::with_config(
        engine,
        AppConfig {
            kiosk_dir: Some(site.path().to_owned()),
            cors_origins: vec![HeaderValue::from_static("https://kiosk.example.com")],
            page_policies: feedback_collector::api::page_policies(site.path()),
            ..AppConfig::default()
        },
    )
    .await;
    let page = c.send(Method::GET, "/", None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("kiosk"));
    // The page's own policy, as a header too, which alone can forbid framing.
    assert_eq!(
        page.headers[header::CONTENT_SECURITY_POLICY],
        "default-src 'self'; script-src 'self' 'sha256-abc='; frame-ancestors 'none'"
    );
    assert_eq!(page.headers[header::X_FRAME_OPTIONS], "DENY");
    assert_eq!(page.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");

    // Files go out gzipped to a browser that asks.
    std::fs::write(site.path().join("app.js"), "console.log(1);\n".repeat(200)).expect("write");
    let request = axum::http::Request::builder()
        .uri("/app.js")
        .header(header::ACCEPT_ENCODING, "gzip")
        .body(axum::body::Body::empty())
        .expect("request");
    let zipped = tower::ServiceExt::oneshot(c.app.clone(), request)
        .await
        .expect("reply");
    assert_eq!(zipped.headers()[header::CONTENT_ENCODING], "gzip");

    let preflight = |origin: &'static str| {
        axum::http::Request::builder()
            .method(Method::OPTIONS)
            .uri("/v1/responses")
            .header(header::ORIGIN, origin)
            .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(
                header::ACCESS_CONTROL_REQUEST_HEADERS,
                "authorization,content-type",
            )
            .body(axum::body::Body::empty())
            .expect("request")
    };
    use tower::ServiceExt;
    let allowed = c
        .app
        .clone()
        .oneshot(preflight("https://kiosk.example.com"))
        .await
        .expect("reply");
    assert_eq!(
        allowed.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://kiosk.example.com"
    );
    let other = c
        .app
        .clone()
        .oneshot(preflight("https://evil.example.net"))
        .await
        .expect("reply");
    assert!(other
        .headers()
        .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
        .is_none());
}

on_each_engine!(
    health_is_503_while_the_database_cannot_take_writes,
    the_bearer_scheme_is_matched_in_any_case,
    kiosk_json_is_never_cached_and_other_files_are_revalidated,
    the_kill_switch_serves_a_worker_that_retires_itself,
    the_kiosk_is_served_beside_the_api_with_cors_for_a_configured_origin,
);
