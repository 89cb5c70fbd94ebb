//! What the dashboard reads, through the API: the overview of every store,
//! fleet health from heartbeats, and comments.

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use feedback_collector::tokens::Role;
use feedback_collector::AppConfig;
use serde_json::{json, Value};

async fn the_overview_lists_each_store_with_the_previous_period(engine: Engine) {
    let c = Collector::new(engine).await;
    let day = 86_400_000_i64;
    let start = 1_795_000_000_000_i64; // the period: [start, start + day)
    let mut items = Vec::new();
    for (n, (at, speed)) in [(start + 10, 5), (start + 20, 1), (start - day + 5, 4)]
        .into_iter()
        .enumerate()
    {
        let mut it = item(n as u128 + 1, json!({"speed": speed}));
        it["created_at"] = json!(at);
        items.push(it);
    }
    assert_eq!(c.post(&c.kiosk, &batch(items)).await.status, StatusCode::OK);
    let other = c
        .token(Role::Kiosk {
            store_id: "store-2".into(),
            kiosk_id: "kiosk-9".into(),
        })
        .await;
    let mut elsewhere = item(9, json!({"hygiene": 2}));
    elsewhere["store_id"] = json!("store-2");
    elsewhere["created_at"] = json!(start + 30);
    let sent = json!({"kiosk_id": "kiosk-9", "responses": [elsewhere]});
    assert_eq!(c.post(&other, &sent).await.status, StatusCode::OK);

    let from = feedback_collector::report::rfc3339(start);
    let to = feedback_collector::report::rfc3339(start + day);
    let uri = format!("/v1/overview?from={from}&to={to}");
    let all = c.get(&uri, &c.manager).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text());
    let all = all.json();
    let stores: Vec<&str> = all["stores"]
        .as_array()
        .expect("stores")
        .iter()
        .map(|s| s["store_id"].as_str().expect("id"))
        .collect();
    assert_eq!(stores, ["store-1", "store-2"]);
    let first = &all["stores"][0];
    assert_eq!(first["summary"]["responses"], 2);
    assert_eq!(first["previous"]["responses"], 1);
    // Speed: 5 and 1 → index (100 + 0) / 2 = 50; before: one 4 → 75.
    assert_eq!(first["summary"]["factors"][1]["index"], 50.0);
    assert_eq!(first["previous"]["factors"][1]["index"], 75.0);

    let one = c
        .token(Role::Manager {
            store_id: Some("store-2".into()),
        })
        .await;
    let scoped = c.get(&uri, &one).await.json();
    assert_eq!(scoped["stores"].as_array().expect("stores").len(), 1);
    assert_eq!(scoped["stores"][0]["store_id"], "store-2");
    assert_eq!(c.get(&uri, &c.kiosk).await.status, StatusCode::FORBIDDEN);
}

async fn heartbeats_show_in_the_fleet_and_silence_is_flagged(engine: Engine) {
    let config = AppConfig {
        silent_after_ms: 60_000,
        ..AppConfig::default()
    };
    let c = Collector::with_config(engine, config).await;
    let never = c
        .token(Role::Kiosk {
            store_id: STORE.into(),
            kiosk_id: "kiosk-2".into(),
        })
        .await;
    let beat = json!({"app_version": "0.1.0", "waiting": 7, "last_sync_at": 1_795_000_000_000_i64,
        "storage_used": 2048, "storage_quota": 1_048_576, "persistent": true});
    let sent = c
        .send(
            Method::POST,
            "/v1/heartbeat",
            Some(&c.kiosk),
            Some(beat.to_string().into()),
        )
        .await;
    assert_eq!(sent.status, StatusCode::NO_CONTENT, "{}", sent.text());
    let bad = json!({"app_version": "", "waiting": 1});
    let refused = c
        .send(
            Method::POST,
            "/v1/heartbeat",
            Some(&never),
            Some(bad.to_string().into()),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let by_manager = c
        .send(
            Method::POST,
            "/v1/heartbeat",
            Some(&c.manager),
            Some(beat.to_string().into()),
        )
        .await;
    assert_eq!(by_manager.status, StatusCode::FORBIDDEN);

    let fleet = c.get("/v1/kiosks", &c.manager).await.json();
    assert_eq!(fleet["silent"], 1, "{fleet}");
    let kiosks = fleet["kiosks"].as_array().expect("kiosks");
    assert_eq!(kiosks.len(), 2);
    assert_eq!(kiosks[0]["kiosk_id"], KIOSK);
    assert_eq!(kiosks[0]["silent"], false);
    assert_eq!(kiosks[0]["waiting"], 7);
    assert_eq!(kiosks[0]["app_version"], "0.1.0");
    assert_eq!(kiosks[0]["persistent"], true);
    assert_eq!(kiosks[0]["last_sync"], "2026-11-18T11:06:40.000Z");
    assert_eq!(kiosks[1]["kiosk_id"], "kiosk-2");
    assert_eq!(kiosks[1]["silent"], true);
    assert_eq!(kiosks[1]["last_seen"], Value::Null);

    let elsewhere = c
        .token(Role::Manager {
            store_id: Some("store-2".into()),
        })
        .await;
    let none = c.get("/v1/kiosks", &elsewhere).await.json();
    assert_eq!(none["kiosks"], json!([]));
}

async fn comments_come_newest_first_filtered_by_low_factor_and_text(engine: Engine) {
    let c = Collector::new(engine).await;
    let mut items = Vec::new();
    for (n, (speed, comment)) in [
        (5, Some("Lovely staff")),
        (1, Some("The QUEUE was long")),
        (2, Some("50%_off signs wrong")),
        (1, None),
        (4, Some("<b>bold</b> queue")),
    ]
    .into_iter()
    .enumerate()
    {
        let mut it = item(n as u128 + 1, json!({"speed": speed}));
        if let Some(comment) = comment {
            it["comment"] = json!(comment);
        }
        items.push(it);
    }
    assert_eq!(c.post(&c.kiosk, &batch(items)).await.status, StatusCode::OK);
    let texts = |reply: Reply| -> Vec<String> {
        let body = reply.json();
        body["comments"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}"))
            .iter()
            .map(|c| c["comment"].as_str().expect("text").to_owned())
            .collect()
    };
    let all = c.get("/v1/comments?store_id=store-1", &c.manager).await;
    assert_eq!(
        texts(all),
        [
            "<b>bold</b> queue",
            "50%_off signs wrong",
            "The QUEUE was long",
            "Lovely staff"
        ]
    );
    let low = c
        .get("/v1/comments?store_id=store-1&low=speed", &c.manager)
        .await;
    assert_eq!(texts(low), ["50%_off signs wrong", "The QUEUE was long"]);
    let found = c
        .get("/v1/comments?store_id=store-1&q=queue", &c.manager)
        .await;
    assert_eq!(texts(found), ["<b>bold</b> queue", "The QUEUE was long"]);
    let literal = c
        .get("/v1/comments?store_id=store-1&q=%25_", &c.manager)
        .await;
    assert_eq!(texts(literal), ["50%_off signs wrong"]);
    let limited = c
        .get("/v1/comments?store_id=store-1&limit=1", &c.manager)
        .await;
    assert_eq!(texts(limited).len(), 1);
    let bad = c
        .get("/v1/comments?store_id=store-1&low=price", &c.manager)
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let other = c
        .token(Role::Manager {
            store_id: Some("store-2".into()),
        })
        .await;
    let refused = c.get("/v1/comments?store_id=store-1", &other).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

async fn the_heat_map_counts_local_weekdays_and_hours(engine: Engine) {
    let c = Collector::new(engine).await;
    c.store
        .store_set_time_zone(STORE.into(), "Europe/Madrid".into(), true)
        .await
        .expect("zone");
    // 2026-11-30 is a Monday. 09:30 UTC is 10:30 in Madrid; Sunday 23:30
    // UTC is already Monday 00:30 there.
    let monday = 1_795_996_800_000_i64; // 2026-11-30T00:00:00Z, a Monday
    let at = [
        (
            monday + 9 * 3_600_000 + 1_800_000,
            json!({"speed": 5, "hygiene": 1}),
        ),
        (monday + 9 * 3_600_000 + 1_900_000, json!({"speed": 4})),
        (monday - 1_800_000, json!({"comfort": 2})),
    ];
    let items = at
        .iter()
        .enumerate()
        .map(|(n, (created, ratings))| {
            let mut it = item(n as u128 + 1, ratings.clone());
            it["created_at"] = json!(created);
            it
        })
        .collect();
    assert_eq!(c.post(&c.kiosk, &batch(items)).await.status, StatusCode::OK);
    let from = feedback_collector::report::rfc3339(monday - 86_400_000);
    let to = feedback_collector::report::rfc3339(monday + 86_400_000);
    let uri = format!("/v1/heatmap?store_id=store-1&from={from}&to={to}");
    let map = c.get(&uri, &c.manager).await.json();
    assert_eq!(map["rated"][0][10], 3, "{map}");
    assert_eq!(map["satisfied"][0][10], 2);
    assert_eq!(map["rated"][0][0], 1);
    assert_eq!(map["satisfied"][0][0], 0);
    let total: u64 = map["rated"]
        .as_array()
        .expect("days")
        .iter()
        .flat_map(|d| {
            d.as_array()
                .expect("hours")
                .iter()
                .map(|n| n.as_u64().expect("count"))
        })
        .sum();
    assert_eq!(total, 4);
    let speed = c
        .get(&format!("{uri}&factor=speed"), &c.manager)
        .await
        .json();
    assert_eq!(speed["rated"][0][10], 2);
}

on_each_engine!(
    the_heat_map_counts_local_weekdays_and_hours,
    the_overview_lists_each_store_with_the_previous_period,
    heartbeats_show_in_the_fleet_and_silence_is_flagged,
    comments_come_newest_first_filtered_by_low_factor_and_text,
);
