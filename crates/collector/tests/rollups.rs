//! Rollups: counted once per response actually stored, equal to a recount
//! from raw rows, built for existing data by the migration; and every
//! report query a range search on an index.

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::*;
use feedback_collector::db;
use feedback_collector::store::sqlite::SqliteStore;
use feedback_collector::store::Filter;
use feedback_collector::tokens::Role;
use rusqlite::Connection;
use serde_json::{json, Value};

const SUMS: &str = "sum(complete), sum(1 - complete),
    sum(coalesce(friendliness = 1, 0)), sum(coalesce(friendliness = 2, 0)), sum(coalesce(friendliness = 3, 0)), sum(coalesce(friendliness = 4, 0)), sum(coalesce(friendliness = 5, 0)),
    sum(coalesce(speed = 1, 0)), sum(coalesce(speed = 2, 0)), sum(coalesce(speed = 3, 0)), sum(coalesce(speed = 4, 0)), sum(coalesce(speed = 5, 0)),
    sum(coalesce(comfort = 1, 0)), sum(coalesce(comfort = 2, 0)), sum(coalesce(comfort = 3, 0)), sum(coalesce(comfort = 4, 0)), sum(coalesce(comfort = 5, 0)),
    sum(coalesce(hygiene = 1, 0)), sum(coalesce(hygiene = 2, 0)), sum(coalesce(hygiene = 3, 0)), sum(coalesce(hygiene = 4, 0)), sum(coalesce(hygiene = 5, 0)),
    sum(coalesce(security = 1, 0)), sum(coalesce(security = 2, 0)), sum(coalesce(security = 3, 0)), sum(coalesce(security = 4, 0)), sum(coalesce(security = 5, 0))";

fn rows_of(conn: &Connection, sql: &str) -> Vec<Vec<rusqlite::types::Value>> {
    let mut stmt = conn.prepare(sql).expect("prepare");
    let width = stmt.column_count();
    let rows = stmt
        .query_map([], |row| (0..width).map(|i| row.get(i)).collect())
        .expect("query");
    rows.map(|r| r.expect("row")).collect()
}

/// Asserts every rollup table equals a recount from the raw rows.
fn assert_rollups_match_a_recount(conn: &Connection) {
    let half_hour = "(created_at - ((created_at % 1800000) + 1800000) % 1800000) / 1800000";
    let day = "(created_at - ((created_at % 86400000) + 86400000) % 86400000) / 86400000";
    // Rollup rows hold counts already: summing one row per key gives it back.
    let by_key = |table: &str, keys: &str| {
        rows_of(
            conn,
            &format!(
                "SELECT {keys}, {} FROM {table} GROUP BY {keys} ORDER BY {keys}",
                SUMS.replace("coalesce(", "(")
                    .replace(" = 1, 0)", "_1)")
                    .replace(" = 2, 0)", "_2)")
                    .replace(" = 3, 0)", "_3)")
                    .replace(" = 4, 0)", "_4)")
                    .replace(" = 5, 0)", "_5)")
                    .replace("sum(1 - complete)", "sum(partial)")
            ),
        )
    };
    let recount = |keys: &str| {
        rows_of(
            conn,
            &format!("SELECT {keys}, {SUMS} FROM responses GROUP BY {keys} ORDER BY {keys}"),
        )
    };
    assert_eq!(
        by_key("rollup_half_hours", "store_id, bucket, kiosk_id"),
        recount(&format!("store_id, {half_hour}, kiosk_id")),
        "half-hours"
    );
    assert_eq!(
        by_key("rollup_days", "store_id, day"),
        recount(&format!("store_id, {day}")),
        "days"
    );
    assert_eq!(
        by_key("rollup_stores", "store_id"),
        recount("store_id"),
        "stores"
    );
}

fn rated(n: u128, at: i64) -> Value {
    let mut item = item(
        n,
        json!({"friendliness": (n % 5 + 1) as i64, "speed": ((n / 5) % 5 + 1) as i64}),
    );
    item["created_at"] = json!(at);
    item["complete"] = json!(n % 3 != 0);
    item
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rollups_equal_a_recount_after_concurrent_overlapping_duplicated_batches() {
    let c = Arc::new(Collector::new());
    let other = c.token(Role::Kiosk {
        store_id: STORE.into(),
        kiosk_id: "kiosk-2".into(),
    });
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
    let conn = c.pool.get().expect("connection");
    let distinct: i64 = conn
        .query_row("SELECT count(*) FROM responses", [], |r| r.get(0))
        .expect("count");
    assert!(distinct > 300, "{distinct}");
    assert_rollups_match_a_recount(&conn);
    let summary = c.get("/v1/summary", &c.manager).await.json();
    assert_eq!(summary["responses"], distinct);
}

#[tokio::test]
async fn summaries_off_bucket_edges_equal_a_recount_from_raw_rows() {
    let c = Collector::new();
    let start = 1_795_000_000_000_i64;
    let items: Vec<Value> = (0..300u128)
        .map(|n| rated(n, start + (n as i64) * 17 * 60_000 + 1))
        .collect();
    assert_eq!(c.post(&c.kiosk, &batch(items)).await.status, StatusCode::OK);
    let conn = c.pool.get().expect("connection");
    let hour = 3_600_000;
    for (from, to) in [
        (start + 7, start + 3 * 86_400_000 + 11),
        (start - hour, start + 5 * hour),
        (start + 1234, start + 5678),
        (start + 25 * hour + 1, start + 49 * hour - 1),
    ] {
        let expected: i64 = conn
            .query_row(
                "SELECT count(*) FROM responses WHERE created_at >= ?1 AND created_at < ?2",
                [from, to],
                |r| r.get(0),
            )
            .expect("count");
        let uri = format!(
            "/v1/summary?store_id={STORE}&from={}&to={}",
            feedback_collector::report::rfc3339(from),
            feedback_collector::report::rfc3339(to)
        );
        let summary = c.get(&uri, &c.manager).await.json();
        assert_eq!(summary["responses"], expected, "{uri}");
    }
}

#[test]
fn summary_and_export_queries_search_indexes_for_every_filter() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::new(db::open(&dir.path().join("c.sqlite"), 1).expect("open"));
    let instant = |n: i64| 1_795_000_000_000 + n * 3_600_000 + 17;
    for store_id in [None, Some(STORE.to_owned())] {
        for from in [None, Some(instant(0))] {
            for to in [None, Some(instant(100))] {
                let filter = Filter {
                    store_id: store_id.clone(),
                    from,
                    to,
                };
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
    }
}

#[tokio::test]
async fn the_migration_builds_rollups_for_responses_stored_before_it() {
    let c = Collector::new();
    let items: Vec<Value> = (0..120u128)
        .map(|n| rated(n, 1_795_000_000_000 + (n as i64) * 41 * 60_000))
        .collect();
    assert_eq!(c.post(&c.kiosk, &batch(items)).await.status, StatusCode::OK);
    let path = c.dir.path().join("collector.sqlite");
    {
        // Back to the schema before rollups, data kept.
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch(
            "DROP TABLE rollup_half_hours; DROP TABLE rollup_days; DROP TABLE rollup_stores;
             DROP TABLE stores; DROP TABLE retention; PRAGMA user_version = 2;",
        )
        .expect("downgrade");
    }
    let pool = db::open(&path, 1).expect("migrate");
    let conn = pool.get().expect("connection");
    let rolled: i64 = conn
        .query_row(
            "SELECT sum(complete + partial) FROM rollup_stores",
            [],
            |r| r.get(0),
        )
        .expect("rolled");
    assert_eq!(rolled, 120);
    assert_rollups_match_a_recount(&conn);
}
