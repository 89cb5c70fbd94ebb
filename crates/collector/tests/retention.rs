//! Retention: old raw rows go in small batches, rollups stay.

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::*;
use feedback_collector::ingest::{Content, Poster};
use feedback_collector::retention::{self, Retention};
use feedback_collector::store::NewResponse;
use feedback_collector::{now_millis, report::rfc3339};
use serde_json::json;

const DAY: i64 = 86_400_000;

fn old(n: u128, created_at: i64) -> NewResponse {
    NewResponse {
        id: uuid::Uuid::from_u128(n).to_string(),
        content: Content {
            store_id: STORE.into(),
            kiosk_id: KIOSK.into(),
            created_at,
            ratings: [Some(5), None, Some(2), None, None],
            comment: Some("personal data".into()),
            complete: true,
            lang: None,
            reasons: None,
        },
    }
}

async fn retention_deletes_old_rows_in_batches_and_old_summaries_still_count_them(engine: Engine) {
    let c = Collector::new(engine).await;
    let store = &c.store;
    let now = now_millis();
    let long_ago = now - 40 * DAY;
    let poster = Poster {
        token_id: 1,
        store_id: STORE.into(),
        kiosk_id: KIOSK.into(),
    };
    // 2,500 responses made and received 40 days ago.
    for chunk in 0..5u128 {
        let items = (0..500)
            .map(|n| old(chunk * 500 + n, long_ago + (n as i64) * 1000))
            .collect();
        store
            .insert_batch(poster.clone(), items, long_ago + DAY / 2)
            .await
            .expect("insert");
    }
    let mut recent = item(9_000, json!({"speed": 4}));
    recent["created_at"] = json!(now - 1000);
    assert_eq!(
        c.post(&c.kiosk, &batch(vec![recent])).await.status,
        StatusCode::OK
    );

    let settings = Retention {
        days: 30,
        batch: 1000,
        pause: Duration::from_millis(20),
        every: Duration::from_secs(600),
    };
    let running = {
        let store = std::sync::Arc::clone(store);
        let settings = settings.clone();
        tokio::spawn(async move { retention::pass(store.as_ref(), &settings, now).await })
    };
    // Ingest goes on while retention runs.
    let mut during = item(9_001, json!({"hygiene": 3}));
    during["created_at"] = json!(now - 500);
    assert_eq!(
        c.post(&c.kiosk, &batch(vec![during])).await.status,
        StatusCode::OK
    );
    assert_eq!(running.await.expect("task").expect("pass"), 2500);
    assert_eq!(c.rows(), 2, "only the recent rows are left");

    // The old month is still summarised (from rollups), comments are gone.
    let window = format!(
        "from={}&to={}",
        rfc3339(long_ago - DAY + 17),
        rfc3339(long_ago + DAY + 5)
    );
    let summary = c
        .get(&format!("/v1/summary?{window}"), &c.manager)
        .await
        .json();
    assert_eq!(summary["responses"], 2500);
    let all = c.get("/v1/summary", &c.manager).await.json();
    assert_eq!(all["responses"], 2502);
    let trend = c
        .get(&format!("/v1/trend?{window}&by=day"), &c.manager)
        .await
        .json();
    let counted: u64 = trend["buckets"]
        .as_array()
        .expect("buckets")
        .iter()
        .map(|b| b["responses"].as_u64().expect("n"))
        .sum();
    assert_eq!(counted, 2500);
    let csv = c
        .get(&format!("/v1/responses.csv?{window}"), &c.manager)
        .await
        .text();
    assert_eq!(csv.lines().count(), 1, "raw rows and comments are gone");
    assert!(!csv.contains("personal data"));
}

async fn serve_with_retain_days_deletes_old_rows_at_start_and_keeps_their_counts(engine: Engine) {
    use common::binary::{kiosk_token, Served};

    let test_db = TestDb::new(engine);
    let db = test_db.os_arg();
    kiosk_token(&db, STORE, KIOSK);
    let long_ago = now_millis() - 40 * DAY;
    {
        let store = test_db.open(1).await;
        let poster = Poster {
            token_id: 1,
            store_id: STORE.into(),
            kiosk_id: KIOSK.into(),
        };
        let items = (0..50).map(|n| old(n, long_ago + n as i64)).collect();
        store
            .insert_batch(poster, items, long_ago + 1000)
            .await
            .expect("insert");
    }
    let count = |sql: &str| test_db.count(sql);
    assert_eq!(count("SELECT count(*) FROM responses"), 50);

    // An operator starts the collector with a 30-day retention: its first
    // pass runs at start.
    let dir = tempfile::tempdir().expect("temp dir");
    let served = Served::start_on(dir, db.clone(), &["--retain-days", "30"]);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while count("SELECT count(*) FROM responses") > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "old rows still there after 20 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        count("SELECT sum(complete) + sum(partial) FROM rollup_stores"),
        50,
        "the counts stay"
    );
    drop(served);
}

on_each_engine!(
    retention_deletes_old_rows_in_batches_and_old_summaries_still_count_them,
    serve_with_retain_days_deletes_old_rows_at_start_and_keeps_their_counts,
);
