//! Retention: old raw rows go in small batches, rollups stay.

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use common::*;
use feedback_collector::ingest::{Content, Poster};
use feedback_collector::retention::{self, Retention};
use feedback_collector::store::sqlite::SqliteStore;
use feedback_collector::store::{NewResponse, Store};
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
        },
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_deletes_old_rows_in_batches_and_old_summaries_still_count_them() {
    let c = Collector::new();
    let store = SqliteStore::new(c.pool.clone());
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
    let store = std::sync::Arc::new(store);
    let running = {
        let store = std::sync::Arc::clone(&store);
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
