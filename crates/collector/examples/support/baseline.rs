//! The yardstick for ingest: the same rows inserted the plain way, one
//! transaction per batch, into a fresh database with the collector's schema
//! and the same durability, with no HTTP, validation, duplicate checks or
//! rollups.

use std::time::{Duration, Instant};

use feedback_collector::db;
use rusqlite::params;
use serde_json::Value;

use super::{postgres, Engine};

/// Responses per second inserting `batches` plainly.
pub async fn plain_insert_rate(engine: Engine, batches: &[Vec<Value>]) -> anyhow::Result<f64> {
    let rows: usize = batches.iter().map(Vec::len).sum();
    let elapsed = match engine {
        Engine::Sqlite => sqlite(batches)?,
        Engine::Postgres => postgres(batches).await?,
    };
    Ok(rows as f64 / elapsed.as_secs_f64())
}

fn rating(item: &Value, factor: &str) -> Option<i64> {
    item["ratings"][factor].as_i64()
}

/// Prepared statements, one per row, `synchronous = FULL` like the
/// collector's.
fn sqlite(batches: &[Vec<Value>]) -> anyhow::Result<Duration> {
    let dir = tempfile::tempdir()?;
    let pool = db::open(&dir.path().join("raw.sqlite"), 1)?;
    let mut conn = pool.get()?;
    let synchronous: i64 = conn.pragma_query_value(None, "synchronous", |r| r.get(0))?;
    anyhow::ensure!(
        synchronous == 2,
        "the plain insert must use synchronous = FULL"
    );
    conn.execute(
        "INSERT INTO tokens (role, store_id, kiosk_id, hash, created_at)
         VALUES ('kiosk', 'store-b', 'kiosk-b', x'01', 0)",
        [],
    )?;
    let token_id = conn.last_insert_rowid();
    let started = Instant::now();
    for items in batches {
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO responses (id, store_id, kiosk_id, created_at, received_at, clock_suspect,
                     friendliness, speed, comfort, hygiene, security, comment, complete, token_id)
                 VALUES (?1, 'store-b', 'kiosk-b', ?2, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )?;
            for item in items {
                insert.execute(params![
                    item["id"].as_str(),
                    item["created_at"].as_i64(),
                    rating(item, "friendliness"),
                    rating(item, "speed"),
                    rating(item, "comfort"),
                    rating(item, "hygiene"),
                    rating(item, "security"),
                    item["comment"].as_str(),
                    item["complete"].as_bool(),
                    token_id,
                ])?;
            }
        }
        tx.commit()?;
    }
    Ok(started.elapsed())
}

/// One multi-row insert (`unnest` of arrays) per batch: the fastest plain
/// way, and what the collector itself does for the responses.
async fn postgres(batches: &[Vec<Value>]) -> anyhow::Result<Duration> {
    let url = postgres::fresh_database();
    // The collector's schema, made by the collector.
    feedback_collector::store::open(
        &url.parse().map_err(anyhow::Error::msg)?,
        1,
        Duration::from_secs(10),
    )
    .await?;
    let (mut client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await?;
    tokio::spawn(connection);
    let token_id: i64 = client
        .query_one(
            "INSERT INTO tokens (role, store_id, kiosk_id, hash, created_at)
             VALUES ('kiosk', 'store-b', 'kiosk-b', '\\x01', 0) RETURNING id",
            &[],
        )
        .await?
        .get(0);
    let insert = client
        .prepare(
            "INSERT INTO responses (id, store_id, kiosk_id, created_at, received_at,
                 friendliness, speed, comfort, hygiene, security, comment, complete, token_id)
             SELECT id, 'store-b', 'kiosk-b', created_at, created_at, f, s, c, h, x, comment,
                 complete, $10
             FROM unnest($1::text[], $2::bigint[], $3::int2[], $4::int2[], $5::int2[],
                 $6::int2[], $7::int2[], $8::text[], $9::bool[])
                 AS t (id, created_at, f, s, c, h, x, comment, complete)",
        )
        .await?;
    let started = Instant::now();
    for items in batches {
        let ids: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
        let created: Vec<i64> = items
            .iter()
            .filter_map(|i| i["created_at"].as_i64())
            .collect();
        let column = |factor: &str| -> Vec<Option<i16>> {
            items
                .iter()
                .map(|i| rating(i, factor).and_then(|v| i16::try_from(v).ok()))
                .collect()
        };
        let (f, s, c, h, x) = (
            column("friendliness"),
            column("speed"),
            column("comfort"),
            column("hygiene"),
            column("security"),
        );
        let comments: Vec<Option<&str>> = items.iter().map(|i| i["comment"].as_str()).collect();
        let complete: Vec<bool> = items
            .iter()
            .map(|i| i["complete"].as_bool().unwrap_or(true))
            .collect();
        let tx = client.transaction().await?;
        tx.execute(
            &insert,
            &[
                &ids, &created, &f, &s, &c, &h, &x, &comments, &complete, &token_id,
            ],
        )
        .await?;
        tx.commit().await?;
    }
    Ok(started.elapsed())
}
