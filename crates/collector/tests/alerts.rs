//! Alerts through the API on both engines: an unhappy run posted to a real
//! webhook receiver, signed, once per cooldown, never for a late batch;
//! silent kiosks only while their store is open and only if still
//! enrolled; acknowledging and closing
//! from the dashboard, refused from other sites and other stores.

mod common;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use common::receivers::{free_addr, Hook};
use common::session::*;
use common::*;
use feedback_collector::accounts::Scope;
use feedback_collector::tokens::Role;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

const SECRET_ENV: &str = "FEEDBACK_TEST_HOOK_SECRET";
const SECRET: &str = "a webhook secret for tests";

/// An alerts file posting to `hook`, with `more` added.
fn alerts_file(hook: &str, more: &str) -> String {
    // Every test sets the same value, so tests running at once agree.
    std::env::set_var(SECRET_ENV, SECRET);
    format!(
        "{more}\n[[webhook]]\nname = \"ops\"\nurl = \"{hook}\"\nsecret_env = \"{SECRET_ENV}\"\n\
         [delivery]\nfirst_retry_seconds = 0.3\n"
    )
}

/// Responses made `minutes_ago`, rating speed as `speeds` says (1 and 2
/// naming a long queue), numbered from `first`.
pub fn speed_ratings(first: u128, minutes_ago: i64, speeds: &[u8]) -> Value {
    let now = feedback_collector::now_millis();
    let items = speeds
        .iter()
        .zip(first..)
        .map(|(&speed, n)| {
            let mut item = item(n, json!({"friendliness": 5, "speed": speed}));
            item["created_at"] = json!(now - minutes_ago * 60_000 - n as i64);
            if speed <= 2 {
                item["reasons"] = json!({"speed": ["long_queue"]});
            }
            item
        })
        .collect();
    batch(items)
}

async fn alerts(c: &Collector) -> Value {
    let reply = c.get("/v1/alerts", &c.manager).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    reply.json()
}

async fn an_unhappy_run_is_posted_signed_once_per_cooldown(engine: Engine) {
    let hook = Hook::start_on(free_addr(), 0).await;
    let c = Collector::with_alerts(engine, &alerts_file(&hook.url(), "")).await;

    // Customers hours ago, synced only now: not a run now.
    let late = c
        .post(&c.kiosk, &speed_ratings(1, 180, &[1, 1, 2, 1, 1, 2]))
        .await;
    assert_eq!(ids(&late.json(), "stored").len(), 6);
    assert!(hook
        .wait_for(1, Duration::from_millis(1500))
        .await
        .is_empty());
    assert_eq!(alerts(&c).await["alerts"], json!([]));

    // Four in the last minutes, two of them unhappy with speed: a run.
    c.post(&c.kiosk, &speed_ratings(10, 2, &[1, 2, 4, 5])).await;
    let posts = hook.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(posts.len(), 1, "one post for the run");
    let post = &posts[0];
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("key");
    mac.update(post.body.as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        post.signature.as_deref(),
        Some(format!("sha256={expected}").as_str())
    );
    let payload: Value = serde_json::from_str(&post.body).expect("JSON");
    assert_eq!(payload["rule"], "unhappy_run");
    assert_eq!(payload["store_id"], STORE);
    assert_eq!(payload["details"]["factor"], "speed");
    assert_eq!(payload["details"]["responses"], 4);
    assert_eq!(payload["details"]["unhappy"], 2);
    assert_eq!(payload["details"]["reasons"][0]["code"], "long_queue");
    assert_eq!(payload["details"]["reasons"][0]["count"], 2);
    let message = payload["message"].as_str().expect("message");
    assert!(
        message.contains("rated speed 1 or 2") && message.contains("long queue (2)"),
        "{message}"
    );
    let key = post.idempotency_key.as_deref().expect("an idempotency key");
    assert!(
        key.starts_with(payload["id"].as_str().expect("id")),
        "{key}"
    );

    // More unhappy customers within the cooldown: no second alert.
    c.post(&c.kiosk, &speed_ratings(20, 1, &[1, 1, 1, 1])).await;
    assert_eq!(hook.wait_for(2, Duration::from_millis(1500)).await.len(), 1);
    let listed = alerts(&c).await;
    assert_eq!(
        (listed["enabled"].clone(), listed["new"].clone()),
        (json!(true), json!(1))
    );
    assert_eq!(listed["alerts"][0]["message"], payload["message"]);
    assert_eq!(listed["alerts"][0]["state"], "new");
}

async fn silent_kiosks_are_alerted_only_while_their_store_is_open(engine: Engine) {
    let hook = Hook::start_on(free_addr(), 0).await;
    let file = alerts_file(
        &hook.url(),
        "[unhappy_run]\nenabled = false\n[silent_kiosk]\nafter_minutes = 0.01\n\
         [stores.closed-store]\nopening_hours = { mon = \"closed\" }\n",
    );
    let c = Collector::with_alerts(engine, &file).await;
    let closed = c
        .token(Role::Kiosk {
            store_id: "closed-store".into(),
            kiosk_id: "kiosk-9".into(),
        })
        .await;
    let retired = c
        .store
        .token_create(
            Role::Kiosk {
                store_id: "store-2".into(),
                kiosk_id: "kiosk-old".into(),
            },
            1,
        )
        .await
        .expect("token");
    let beat = br#"{"app_version": "1.0.0", "waiting": 0}"#.to_vec();
    for token in [&c.kiosk, &closed, &retired.secret] {
        let sent = c
            .send(
                Method::POST,
                "/v1/heartbeat",
                Some(token),
                Some(beat.clone()),
            )
            .await;
        assert_eq!(sent.status, StatusCode::NO_CONTENT);
    }
    // Retired: its token revoked, its last heartbeat kept, never silent.
    assert!(c
        .store
        .token_revoke(retired.info.id, 2)
        .await
        .expect("revoke"));
    let posts = hook.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(posts.len(), 1);
    let payload: Value = serde_json::from_str(&posts[0].body).expect("JSON");
    assert_eq!(payload["rule"], "silent_kiosk");
    assert_eq!(
        (
            payload["store_id"].as_str(),
            payload["details"]["kiosk_id"].as_str()
        ),
        (Some(STORE), Some(KIOSK))
    );
    // Checked again and again: the same silence is one alert, and the
    // closed store's kiosk and the retired one none.
    assert_eq!(hook.wait_for(2, Duration::from_millis(2500)).await.len(), 1);
    let listed = alerts(&c).await["alerts"].as_array().expect("alerts").len();
    assert_eq!(listed, 1);
}

async fn managers_acknowledge_and_close_alerts_from_the_dashboard_only(engine: Engine) {
    let c = Collector::with_alerts(engine, "").await;
    c.post(&c.kiosk, &speed_ratings(1, 1, &[1, 1, 5, 5])).await;
    let mut id = None;
    for _ in 0..100 {
        id = alerts(&c).await["alerts"][0]["id"].as_i64();
        if id.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let id = id.expect("an alert fired");
    account(&c, "ana", Scope::AllStores).await;
    account(&c, "bob", Scope::Stores(vec!["store-2".into()])).await;
    let ana = session_cookie(&sign_in(&c, "ana", PASSWORD).await);
    let bob = session_cookie(&sign_in(&c, "bob", PASSWORD).await);
    let ack = format!("/v1/alerts/{id}/acknowledge");
    let note = json!({"note": "  Opened a second till \u{202e}"});
    let act = |cookie: &str, site: &'static str, uri: String, body: Option<Value>| {
        let cookie = cookie.to_owned();
        let c = &c;
        async move {
            let headers = [("cookie", cookie.as_str()), ("sec-fetch-site", site)];
            send(c, Method::POST, &uri, &headers, body).await
        }
    };

    let forged = act(&ana, "cross-site", ack.clone(), Some(note.clone())).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let by_token = c
        .send(Method::POST, &ack, Some(&c.manager), Some(b"{}".to_vec()))
        .await;
    assert_eq!(
        by_token.status,
        StatusCode::UNAUTHORIZED,
        "only a person acknowledges"
    );
    let elsewhere = act(&bob, "same-origin", ack.clone(), Some(note.clone())).await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    let bobs = get_as(&c, &bob, "/v1/alerts").await;
    assert_eq!(bobs.json()["alerts"], json!([]));

    let done = act(&ana, "same-origin", ack.clone(), Some(note.clone())).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    let row = done.json();
    assert_eq!(row["state"], "acknowledged");
    assert_eq!(row["acknowledged_by"], "ana");
    assert_eq!(row["note"], "Opened a second till");
    let again = act(&ana, "same-origin", ack, Some(json!({}))).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.error_code(), "alert_state");

    let closed = act(&ana, "same-origin", format!("/v1/alerts/{id}/close"), None).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text());
    assert_eq!(
        (
            closed.json()["state"].clone(),
            closed.json()["closed_by"].clone()
        ),
        (json!("closed"), json!("ana"))
    );
    let listed = get_as(&c, &ana, "/v1/alerts").await.json();
    assert_eq!(listed["new"], 0);
    assert_eq!(listed["alerts"][0]["note"], "Opened a second till");
}

async fn a_manager_sets_their_own_digest_from_the_dashboard(engine: Engine) {
    let c = Collector::new(engine).await;
    account(&c, "ana", Scope::AllStores).await;
    let ana = session_cookie(&sign_in(&c, "ana", PASSWORD).await);
    let put = |site: &'static str, body: Value| {
        let ana = ana.clone();
        let c = &c;
        async move {
            let headers = [("cookie", ana.as_str()), ("sec-fetch-site", site)];
            send(c, Method::PUT, "/v1/session/digest", &headers, Some(body)).await
        }
    };
    let off = get_as(&c, &ana, "/v1/session/digest").await.json();
    assert_eq!(
        off,
        json!({"frequency": "off", "email": "", "hour": 7, "time_zone": "UTC"})
    );
    let daily = json!({"frequency": "daily", "email": "ana@example.com", "hour": 8, "time_zone": "Europe/Madrid"});
    assert_eq!(
        put("cross-site", daily.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    for (field, bad, says) in [
        ("email", json!("not an address"), "not an email address"),
        ("time_zone", json!("Mars/Olympus"), "IANA time zone"),
        ("frequency", json!("hourly"), "daily, weekly or off"),
    ] {
        let mut body = daily.clone();
        body[field] = bad;
        let refused = put("same-origin", body).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.text().contains(says), "{}", refused.text());
    }
    let set = put("same-origin", daily.clone()).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text());
    assert_eq!(get_as(&c, &ana, "/v1/session/digest").await.json(), daily);
    let stopped = put(
        "same-origin",
        json!({"frequency": "off", "hour": 7, "time_zone": "UTC"}),
    )
    .await;
    assert_eq!(stopped.json()["frequency"], "off");
}

on_each_engine!(
    a_manager_sets_their_own_digest_from_the_dashboard,
    an_unhappy_run_is_posted_signed_once_per_cooldown,
    silent_kiosks_are_alerted_only_while_their_store_is_open,
    managers_acknowledge_and_close_alerts_from_the_dashboard_only,
);
