//! Rollups: counted once per response actually stored, equal to a recount
//! from raw rows, built for existing data by the migration; and every
//! report query a range search on an index.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::*;
use feedback_collector::db;
use feedback_collector::store::postgres::PostgresStore;
use feedback_collector::store::sqlite::SqliteStore;
use feedback_collector::store::Filter;
use feedback_collector::tokens::Role;
use serde_json::{json, Value};

fn rated(n: u128, at: i64) -> Value {
    let mut item = item(
        n,
        json!({"friendliness": (n % 5 + 1) as i64, "speed": ((n / 5) % 5 + 1) as i64}),
    );
    item["created_at"] = json!(at);
    item["complete"] = json!(n % 3 != 0);
    // Friendliness is 1 or 2 for two in five: most of those say why.
    if n % 5 < 2 && n % 7 != 0 {
        let codes = if n % 2 == 0 {
            json!(["rushed"])
        } else {
            json!(["rushed", "not_greeted"])
        };
        item["reasons"] = json!({"friendliness": codes});
    }
    item
}

async fn rollups_equal_a_recount_after_concurrent_overlapping_duplicated_batches(engine: Engine) {
    let c = Arc::new(Collector::new(engine).await);
    let other = c
        .token(Role::Kiosk {
            store_id: STORE.into(),
            kiosk_id: "kiosk-2".into(),
        })
        .await;
    let start = 1_795_000_000_000_i64;
    let mut tasks = Vec::new();
    for task in 0..8u128 {
        let c = Arc::clone(&c);
        let other = other.clone();
        tasks.push(tokio::spawn(async move {
            // Tasks overlap by half their ids; each batch is sent twice.
            for round in 0..5u128 {
                let first = task * 50 + round * 20;
                let items: Vec<Value> = (first..first + 40)
                    .map(|n| rated(n, start + (n as i64) * 7 * 60_000 + 13))
                    .collect();
                let (token, kiosk) = if task % 2 == 0 {
                    (c.kiosk.clone(), KIOSK)
                } else {
                    (other.clone(), "kiosk-2")
                };
                let body = json!({"kiosk_id": kiosk, "responses": items});
                for _ in 0..2 {
                    let reply = c.post(&token, &body).await;
                    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
                }
            }
        }));
    }
    for task in tasks {
        task.await.expect("task");
    }
    let distinct = c.rows();
    assert!(distinct > 300, "{distinct}");
    assert_rollups_match_a_recount(&c.db);
    let summary = c.get("/v1/summary", &c.manager).await.json();
    assert_eq!(summary["responses"], distinct);
}

async fn summaries_off_bucket_edges_equal_a_recount_from_raw_rows(engine: Engine) {
    let c = Collector::new(engine).await;
    let start = 1_795_000_000_000_i64;
    let items: Vec<Value> = (0..300u128)
        .map(|n| rated(n, start + (n as i64) * 17 * 60_000 + 1))
        .collect();
    assert_eq!(c.post(&c.kiosk, &batch(items)).await.status, StatusCode::OK);
    let hour = 3_600_000;
    for (from, to) in [
        (start + 7, start + 3 * 86_400_000 + 11),
        (start - hour, start + 5 * hour),
        (start + 1234, start + 5678),
        (start + 25 * hour + 1, start + 49 * hour - 1),
    ] {
        let expected = c.db.count(&format!(
            "SELECT count(*) FROM responses WHERE created_at >= {from} AND created_at < {to}"
        ));
        let uri = format!(
            "/v1/summary?store_id={STORE}&from={}&to={}",
            feedback_collector::report::rfc3339(from),
            feedback_collector::report::rfc3339(to)
        );
        let summary = c.get(&uri, &c.manager).await.json();
        assert_eq!(summary["responses"], expected, "{uri}");
    }
}

/// Every filter a report or export can have.
fn filters() -> Vec<Filter> {
    let instant = |n: i64| 1_795_000_000_000 + n * 3_600_000 + 17;
    let mut filters = Vec::new();
    for store_id in [None, Some(STORE.to_owned())] {
        for from in [None, Some(instant(0))] {
            for to in [None, Some(instant(100))] {
                filters.push(Filter {
                    store_id: store_id.clone(),
                    from,
                    to,
                });
            }
        }
    }
    filters
}

#[test]
fn summary_and_export_queries_search_indexes_for_every_filter_in_sqlite() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::new(db::open(&dir.path().join("c.sqlite"), 1).expect("open"));
    for filter in filters() {
        for (sql, plan) in store.query_plans(&filter).expect("plans") {
            assert!(
                plan.contains("SEARCH") || plan.contains("SCAN rollup_stores"),
                "{filter:?}: {sql}\n{plan}"
            );
            for table in ["responses", "rollup_half_hours", "rollup_days"] {
                assert!(
                    !plan.contains(&format!("SCAN {table}")),
                    "{filter:?}: {sql}\n{plan}"
                );
            }
        }
    }
}

#[tokio::test]
async fn summary_and_export_queries_search_indexes_for_every_filter_in_postgres() {
    let url = common::postgres::fresh_database();
    let store = PostgresStore::connect(&url, 1, std::time::Duration::from_secs(10))
        .await
        .expect("connect");
    for filter in filters() {
        for (sql, plan) in store.query_plans(&filter).await.expect("plans") {
            for table in ["responses", "rollup_half_hours", "rollup_days"] {
                assert!(
                    !plan.contains(&format!("Seq Scan on {table}")),
                    "{filter:?}: {sql}\n{plan}"
                );
            }
        }
    }
}

#[tokio::test]
async fn the_migration_builds_rollups_for_responses_stored_before_it() {
    let c = Collector::new(Engine::Sqlite).await;
    let items: Vec<Value> = (0..120u128)
        .map(|n| rated(n, 1_795_000_000_000 + (n as i64) * 41 * 60_000))
        .collect();
    assert_eq!(c.post(&c.kiosk, &batch(items)).await.status, StatusCode::OK);
    // Back to the schema before rollups, data kept.
    c.db.execute(
        "DROP TABLE digests; DROP TABLE deliveries; DROP TABLE alert_cooldowns;
         DROP TABLE alerts;
         DROP TABLE rollup_half_hours; DROP TABLE rollup_days; DROP TABLE rollup_stores;
         DROP TABLE stores; DROP TABLE retention; DROP TABLE sessions;
         DROP TABLE account_stores; DROP TABLE accounts; DROP TABLE kiosk_health;
         DROP TABLE rollup_reason_days; DROP TABLE rollup_reason_stores;
         DROP TABLE rollup_reasons; ALTER TABLE responses DROP COLUMN reasons;
         ALTER TABLE responses DROP COLUMN lang;
         PRAGMA user_version = 2;",
    );
    db::open(&c.db.dir.path().join("collector.sqlite"), 1).expect("migrate");
    assert_eq!(
        c.db.count("SELECT sum(complete + partial) FROM rollup_stores"),
        120
    );
    assert_rollups_match_a_recount(&c.db);
}

#[tokio::test]
async fn the_migration_counts_reasons_by_day_and_store_from_the_half_hours() {
    let c = Collector::new(Engine::Sqlite).await;
    let items: Vec<Value> = (0..200u128)
        .map(|n| rated(n, 1_795_000_000_000 + (n as i64) * 37 * 60_000))
        .collect();
    assert_eq!(c.post(&c.kiosk, &batch(items)).await.status, StatusCode::OK);
    // Back to the schema before day and store counts of reasons.
    c.db.execute(
        "DROP TABLE digests; DROP TABLE deliveries; DROP TABLE alert_cooldowns;
         DROP TABLE alerts; DROP TABLE rollup_reason_days; DROP TABLE rollup_reason_stores;
         PRAGMA user_version = 6;",
    );
    db::open(&c.db.dir.path().join("collector.sqlite"), 1).expect("migrate");
    assert!(c.db.count("SELECT count(*) FROM rollup_reason_days") > 0);
    assert_rollups_match_a_recount(&c.db);
}

on_each_engine!(
    rollups_equal_a_recount_after_concurrent_overlapping_duplicated_batches,
    summaries_off_bucket_edges_equal_a_recount_from_raw_rows,
);
