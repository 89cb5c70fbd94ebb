//! Signing in to the dashboard, through the API: accounts and sessions,
//! scope, cross-site refusal, lockout, expiry.

mod common;

use axum::http::{header, Method, StatusCode};
use common::session::*;
use common::*;
use feedback_collector::accounts::{Scope, SessionLimits};
use feedback_collector::AppConfig;
use serde_json::json;

async fn a_manager_signs_in_reads_only_their_stores_and_signs_out(engine: Engine) {
    let c = Collector::new(engine).await;
    account(&c, "alice", Scope::Stores(vec![STORE.into()])).await;
    let wrong = sign_in(&c, "alice", "not the password").await;
    let unknown = sign_in(&c, "nobody", PASSWORD).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body, "an answer never tells who exists");
    assert!(!wrong.headers.contains_key(header::SET_COOKIE));

    let signed = sign_in(&c, "alice", PASSWORD).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text());
    let set = signed.headers[header::SET_COOKIE].to_str().expect("text");
    for flag in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(set.contains(flag), "{flag} missing from {set}");
    }
    assert_eq!(signed.json()["stores"], json!([STORE]));
    let cookie = session_cookie(&signed);
    assert!(!cookie.contains(PASSWORD));

    let own = get_as(&c, &cookie, "/v1/summary?store_id=store-1").await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.text());
    let by_default = get_as(&c, &cookie, "/v1/summary").await;
    assert_eq!(by_default.json()["store_id"], STORE);
    for uri in [
        "/v1/summary?store_id=store-2",
        "/v1/trend?store_id=store-2&by=day&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z",
        "/v1/responses.csv?store_id=store-2",
        "/v1/kiosks?store_id=store-2",
    ] {
        let other = get_as(&c, &cookie, uri).await;
        assert_eq!(
            other.status,
            StatusCode::FORBIDDEN,
            "{uri}: {}",
            other.text()
        );
    }
    let me = get_as(&c, &cookie, "/v1/session").await;
    assert_eq!(me.json()["username"], "alice");

    let out = send(
        &c,
        Method::DELETE,
        "/v1/session",
        &[("cookie", &cookie), ("sec-fetch-site", "same-origin")],
        None,
    )
    .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let after = get_as(&c, &cookie, "/v1/summary").await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.error_code(), "session_ended");
}

async fn five_wrong_passwords_lock_the_account_and_the_address(engine: Engine) {
    let c = Collector::new(engine).await;
    account(&c, "alice", Scope::AllStores).await;
    for _ in 0..5 {
        let wrong = sign_in(&c, "alice", "not the password").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    }
    let locked = sign_in(&c, "alice", PASSWORD).await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        locked.text()
    );
    let wait: u64 = locked.headers[header::RETRY_AFTER]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!((14 * 60..=15 * 60).contains(&wait), "{wait}");
    // Whether or not the account exists, the same lock applies.
    let other = sign_in(&c, "nobody", PASSWORD).await;
    assert_eq!(other.status, StatusCode::TOO_MANY_REQUESTS);
}

async fn requests_from_other_sites_are_refused(engine: Engine) {
    let c = Collector::new(engine).await;
    account(&c, "alice", Scope::AllStores).await;
    let body = json!({"username": "alice", "password": PASSWORD});
    for headers in [
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![
            ("origin", "https://evil.example"),
            ("host", "collector.example"),
        ],
    ] {
        let reply = send(
            &c,
            Method::POST,
            "/v1/session",
            &headers,
            Some(body.clone()),
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{headers:?}");
    }
    let same = [
        ("origin", "https://collector.example"),
        ("host", "collector.example"),
    ];
    let signed = send(&c, Method::POST, "/v1/session", &same, Some(body)).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.text());
    let cookie = session_cookie(&signed);
    let forged = send(
        &c,
        Method::DELETE,
        "/v1/session",
        &[("cookie", &cookie), ("sec-fetch-site", "cross-site")],
        None,
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(
        get_as(&c, &cookie, "/v1/session").await.status,
        StatusCode::OK
    );
}

async fn idle_sessions_and_disabled_accounts_end(engine: Engine) {
    let config = AppConfig {
        session_limits: SessionLimits {
            idle_ms: 1_500,
            ..SessionLimits::default()
        },
        secure_cookies: false,
        ..AppConfig::default()
    };
    let c = Collector::with_config(engine, config).await;
    account(&c, "alice", Scope::AllStores).await;
    let signed = sign_in(&c, "alice", PASSWORD).await;
    assert!(!signed.headers[header::SET_COOKIE]
        .to_str()
        .expect("text")
        .contains("Secure"));
    let cookie = session_cookie(&signed);
    tokio::time::sleep(std::time::Duration::from_millis(1_700)).await;
    let idle = get_as(
        &c,
        &cookie,
        "/v1/overview?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z",
    )
    .await;
    assert_eq!(idle.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        idle.json()["error"]["message"],
        "Your session has ended: sign in again"
    );

    let again = session_cookie(&sign_in(&c, "alice", PASSWORD).await);
    assert_eq!(
        get_as(&c, &again, "/v1/session").await.status,
        StatusCode::OK
    );
    assert!(c
        .store
        .account_disable("alice".into(), 2)
        .await
        .expect("disable"));
    assert_eq!(
        get_as(&c, &again, "/v1/session").await.status,
        StatusCode::UNAUTHORIZED
    );
    let refused = sign_in(&c, "alice", PASSWORD).await;
    assert_eq!(refused.error_code(), "wrong_credentials");
}

on_each_engine!(
    a_manager_signs_in_reads_only_their_stores_and_signs_out,
    five_wrong_passwords_lock_the_account_and_the_address,
    requests_from_other_sites_are_refused,
    idle_sessions_and_disabled_accounts_end,
);
