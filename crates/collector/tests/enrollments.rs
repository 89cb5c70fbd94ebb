//! Enrollment: a one-time code, printed by `kiosk enroll`, exchanged once
//! with `POST /v1/enrollments` for a kiosk token.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use common::binary::run;
use common::*;
use feedback_collector::api::enrollments::FAILURES_PER_CLIENT;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

async fn code_for(c: &Collector, store: &str, kiosk: &str) -> String {
    c.store
        .enrollment_create(store.into(), kiosk.into(), feedback_collector::now_millis())
        .await
        .expect("code")
        .code
}

async fn exchange(c: &Collector, code: &str) -> Reply {
    let body = serde_json::to_vec(&json!({ "code": code })).expect("JSON");
    c.send(Method::POST, "/v1/enrollments", None, Some(body))
        .await
}

/// An exchange from the client address `from`.
async fn exchange_from(c: &Collector, code: &str, from: &str) -> (StatusCode, Option<String>) {
    let mut request = Request::post("/v1/enrollments")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(json!({ "code": code }).to_string()))
        .expect("request");
    let addr: SocketAddr = from.parse().expect("address");
    request.extensions_mut().insert(ConnectInfo(addr));
    let reply = c.app.clone().oneshot(request).await.expect("reply");
    let retry = reply
        .headers()
        .get(header::RETRY_AFTER)
        .map(|v| v.to_str().expect("ascii").to_owned());
    let status = reply.status();
    let _ = reply.into_body().collect().await;
    (status, retry)
}

async fn a_code_is_exchanged_once_for_a_token_that_posts_for_its_kiosk(engine: Engine) {
    let c = Collector::new(engine).await;
    let code = code_for(&c, STORE, "kiosk-7").await;
    // Typed carelessly: lower case, spaces for dashes.
    let typed = code.to_lowercase().replace('-', " ");
    let reply = exchange(&c, &typed).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let enrolled = reply.json();
    assert_eq!(enrolled["store_id"], STORE);
    assert_eq!(enrolled["kiosk_id"], "kiosk-7");
    let token = enrolled["token"].as_str().expect("token").to_owned();
    assert!(token.starts_with("fkk_"));

    let posted = c
        .post(
            &token,
            &json!({"kiosk_id": "kiosk-7", "responses": [item(1, json!({"speed": 5}))]}),
        )
        .await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.text());
    assert_eq!(ids(&posted.json(), "stored").len(), 1);

    let again = exchange(&c, &code).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(again.error_code(), "invalid_enrollment_code");
}

async fn unknown_used_and_expired_codes_get_the_same_answer(engine: Engine) {
    let c = Collector::new(engine).await;
    let used = code_for(&c, STORE, "kiosk-1").await;
    assert_eq!(exchange(&c, &used).await.status, StatusCode::OK);
    let expired = code_for(&c, STORE, "kiosk-2").await;
    c.db.execute(&format!(
        "UPDATE enrollments SET expires_at = {} WHERE used_at IS NULL",
        feedback_collector::now_millis() - 1
    ));
    let answers: Vec<Value> = {
        let mut answers = vec![];
        for code in [
            used.as_str(),
            expired.as_str(),
            "ZZZZ-ZZZZ-ZZZZ",
            "nonsense",
        ] {
            let reply = exchange(&c, code).await;
            assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{code}");
            answers.push(reply.json());
        }
        answers
    };
    assert!(answers.iter().all(|a| a == &answers[0]), "{answers:?}");
    assert_eq!(answers[0]["error"]["code"], "invalid_enrollment_code");
}

async fn guessing_is_cut_off_with_429_and_retry_after_per_client(engine: Engine) {
    let c = Collector::new(engine).await;
    let good = code_for(&c, STORE, "kiosk-1").await;
    for _ in 0..FAILURES_PER_CLIENT {
        let (status, _) = exchange_from(&c, "AAAA-AAAA-AAAA", "192.0.2.7:5000").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
    // Even the right code is refused from that address now...
    let (status, retry) = exchange_from(&c, &good, "192.0.2.7:5001").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = retry.expect("Retry-After").parse().expect("seconds");
    assert!((1..=15 * 60).contains(&retry), "{retry}");
    // ...while another client is not held up by it.
    let (status, _) = exchange_from(&c, &good, "198.51.100.3:4000").await;
    assert_eq!(status, StatusCode::OK);
}

async fn an_enrollment_request_is_read_only_up_to_a_kibibyte(engine: Engine) {
    let c = Collector::new(engine).await;
    let code = code_for(&c, STORE, "kiosk-1").await;
    let padded = format!("{{\"code\": \"{code}\"{}}}", " ".repeat(2048));
    let reply = c
        .send(
            Method::POST,
            "/v1/enrollments",
            None,
            Some(padded.into_bytes()),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{}",
        reply.text()
    );
    assert_eq!(
        exchange(&c, &code).await.status,
        StatusCode::OK,
        "the code still works"
    );
}

async fn kiosk_enroll_prints_one_code_and_stores_only_its_hash(engine: Engine) {
    let test_db = TestDb::new(engine);
    let db = test_db.os_arg();
    let out = run(
        &db,
        &[
            "kiosk", "enroll", "--store", "store-1", "--kiosk", "kiosk-1",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    let code = stdout.trim();
    assert_eq!(stdout.lines().count(), 1, "only the code on stdout");
    assert!(
        code.len() == 14 && code.chars().filter(|&ch| ch == '-').count() == 2,
        "{code}"
    );
    let plain = code.replace('-', "");
    let stored = format!("{:?}", test_db.rows("SELECT * FROM enrollments"));
    assert!(
        stored.contains("kiosk-1") && !stored.contains(&plain),
        "{stored}"
    );
    if engine == Engine::Sqlite {
        let bytes = std::fs::read(&db).expect("database");
        assert!(!String::from_utf8_lossy(&bytes).contains(&plain));
    }

    let json = run(
        &db,
        &[
            "kiosk", "enroll", "--store", "store-1", "--kiosk", "kiosk-2", "--json",
        ],
    );
    let parsed: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(parsed["kiosk_id"], "kiosk-2");
    assert!(parsed["expires_at"].as_i64().expect("time") > feedback_collector::now_millis());
}

on_each_engine!(
    a_code_is_exchanged_once_for_a_token_that_posts_for_its_kiosk,
    unknown_used_and_expired_codes_get_the_same_answer,
    guessing_is_cut_off_with_429_and_retry_after_per_client,
    an_enrollment_request_is_read_only_up_to_a_kibibyte,
    kiosk_enroll_prints_one_code_and_stores_only_its_hash,
);
