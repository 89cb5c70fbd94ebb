//! Collector benchmarks, against the real binary over HTTP on 127.0.0.1.
//!
//! ```text
//! cargo build --profile server -p feedback-collector --bin feedback-collector --example bench
//! target/server/examples/bench target/server/feedback-collector [sqlite|postgres]
//! ```
//!
//! `make bench` runs it on each engine (PostgreSQL on a throwaway cluster,
//! as the tests use). It prints:
//! - ingest rate, without and then with alerts evaluated (the default
//!   rules, every response made in the last minutes): 100,000 responses
//!   posted in batches of 500, one request at a time, next to a plain
//!   batched insert of the same rows in this process into the same engine
//!   ([`support::baseline`]: same schema and durability), and their ratio;
//!   each the median of three rounds;
//! - 50 concurrent kiosks, each with its own token, posting batches of 5
//!   for 30 seconds with no pause: p50/p99 latency, requests, errors; on
//!   PostgreSQL through two collector processes sharing the database;
//! - the collector's resident memory at rest and at its peak under that load.

mod support;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use feedback_collector::tokens::Role;
use serde_json::{json, Value};
use support::{baseline, response, Engine, Servers};

const BATCH: usize = 500;
const INGEST_BATCHES: usize = 200;
/// Rounds of the ingest measurement; the median is reported, since this
/// shared machine's speed varies by a quarter from one second to the next.
const ROUNDS: u64 = 3;
const KIOSKS: usize = 50;
const LOAD_SECONDS: u64 = 30;
const LOAD_BATCH: usize = 5;
/// The default rules, for the ingest rate with alerts evaluated: every
/// batch holds responses made in the last minutes, so each is a run to look
/// for (the default window is 15 minutes).
const ALERTS: &str = "[unhappy_run]\nwindow_minutes = 15\n";

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let binary = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "target/server/feedback-collector".into()),
    );
    let engine = Engine::from_arg(args.next().as_deref())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let plain = runtime.block_on(ingest_rate(&binary, engine, None))?;
    let alerting = runtime.block_on(ingest_rate(&binary, engine, Some(ALERTS)))?;
    println!(
        "ingest with alert evaluation / without: {:.2}",
        alerting / plain
    );
    runtime.block_on(concurrent_kiosks(&binary, engine))?;
    Ok(())
}

/// Posts batches one at a time and compares the rate with a plain insert;
/// with `alerts`, the collector evaluates the unhappy-run rule as they come.
async fn ingest_rate(binary: &Path, engine: Engine, alerts: Option<&str>) -> anyhow::Result<f64> {
    let role = Role::Kiosk {
        store_id: "store-b".into(),
        kiosk_id: "kiosk-b".into(),
    };
    let (servers, secrets) = Servers::start_with(binary, engine, 1, vec![role], alerts)?;
    let client = reqwest::Client::new();
    // Made within the last 15 minutes with alerts, so every batch is looked at.
    let now = feedback_collector::now_millis() + if alerts.is_some() { 600_000 } else { 0 };
    let post = |body: String| {
        client
            .post(format!("{}/v1/responses", servers.urls[0]))
            .bearer_auth(&secrets[0])
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let (mut http_rates, mut raw_rates) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let first = round * (INGEST_BATCHES as u64 + 1) * BATCH as u64;
        let batches: Vec<Vec<Value>> = (0..INGEST_BATCHES as u64 + 1)
            .map(|b| {
                (0..BATCH as u64)
                    .map(|i| response(first + b * BATCH as u64 + i, "store-b", now))
                    .collect()
            })
            .collect();
        let bodies: Vec<String> = batches
            .iter()
            .map(|items| json!({"kiosk_id": "kiosk-b", "responses": items}).to_string())
            .collect();
        // The first batch warms up connections and caches; it is not timed.
        anyhow::ensure!(post(bodies[0].clone()).await?.status().is_success());
        let started = Instant::now();
        for body in &bodies[1..] {
            let reply = post(body.clone()).await?;
            anyhow::ensure!(
                reply.status().is_success(),
                "ingest failed: {}",
                reply.status()
            );
            let reply: Value = serde_json::from_slice(&reply.bytes().await?)?;
            anyhow::ensure!(reply["stored"].as_array().map(Vec::len) == Some(BATCH));
        }
        let rows = (INGEST_BATCHES * BATCH) as f64;
        http_rates.push(rows / started.elapsed().as_secs_f64());
        raw_rates.push(baseline::plain_insert_rate(engine, &batches[1..]).await?);
    }
    let (http_rate, raw_rate) = (median(http_rates), median(raw_rates));
    let with = if alerts.is_some() {
        " with alert evaluation"
    } else {
        ""
    };
    println!(
        "ingest{with} over HTTP: {http_rate:.0} responses/s; plain batched {} insert: \
         {raw_rate:.0} responses/s; ratio {:.2} (medians of {ROUNDS} rounds of {INGEST_BATCHES} \
         batches of {BATCH})",
        engine.name(),
        http_rate / raw_rate
    );
    Ok(http_rate)
}

/// The middle of `values` (the upper middle of an even count).
fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

async fn concurrent_kiosks(binary: &Path, engine: Engine) -> anyhow::Result<()> {
    let roles = (0..KIOSKS)
        .map(|k| Role::Kiosk {
            store_id: format!("store-{}", k % 10),
            kiosk_id: format!("kiosk-{k}"),
        })
        .collect();
    // PostgreSQL: two collector processes share the database, and kiosks
    // alternate between them, as behind a load balancer.
    let processes = match engine {
        Engine::Sqlite => 1,
        Engine::Postgres => 2,
    };
    let (servers, secrets) = Servers::start(binary, engine, processes, roles)?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rest_kib = servers.memory_kib().iter().map(|m| m.0).max().unwrap_or(0);

    let errors = Arc::new(AtomicU64::new(0));
    let stop_at = Instant::now() + Duration::from_secs(LOAD_SECONDS);
    let now = feedback_collector::now_millis();
    let mut kiosks = Vec::new();
    for (k, secret) in secrets.into_iter().enumerate() {
        let url = format!("{}/v1/responses", servers.urls[k % processes]);
        let errors = Arc::clone(&errors);
        kiosks.push(tokio::spawn(async move {
            // One connection per kiosk, as one tablet would have.
            let client = reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .build()
                .unwrap_or_else(|_| reqwest::Client::new());
            let mut latencies = Vec::new();
            let mut n = (k as u64) << 32;
            while Instant::now() < stop_at {
                let items: Vec<Value> = (0..LOAD_BATCH)
                    .map(|_| {
                        n += 1;
                        response(n, &format!("store-{}", k % 10), now)
                    })
                    .collect();
                let body =
                    json!({"kiosk_id": format!("kiosk-{k}"), "responses": items}).to_string();
                let sent = Instant::now();
                let outcome = client
                    .post(&url)
                    .bearer_auth(&secret)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await;
                let ok = match outcome {
                    Ok(reply) => reply.status().is_success() && reply.bytes().await.is_ok(),
                    Err(_) => false,
                };
                latencies.push(sent.elapsed());
                if !ok {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
            }
            latencies
        }));
    }

    let mut peak_kib = 0;
    let mut all = Vec::new();
    let sampler = async {
        while Instant::now() < stop_at {
            let now_kib = servers.memory_kib().iter().map(|m| m.0).max().unwrap_or(0);
            peak_kib = peak_kib.max(now_kib);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    sampler.await;
    for kiosk in kiosks {
        all.extend(kiosk.await?);
    }
    let hwm_kib = servers.memory_kib().iter().map(|m| m.1).max().unwrap_or(0);
    peak_kib = peak_kib.max(hwm_kib);
    all.sort();
    let quantile = |q: f64| all[((all.len() as f64 - 1.0) * q).round() as usize];
    let errors = errors.load(Ordering::Relaxed);
    println!(
        "{KIOSKS} concurrent kiosks for {LOAD_SECONDS} s (batches of {LOAD_BATCH}, no pause, \
         {processes} collector process(es) on {}): \
         {} requests ({:.0}/s), p50 {:.1} ms, p99 {:.1} ms, {errors} errors",
        engine.name(),
        all.len(),
        all.len() as f64 / LOAD_SECONDS as f64,
        quantile(0.5).as_secs_f64() * 1000.0,
        quantile(0.99).as_secs_f64() * 1000.0,
    );
    println!(
        "collector resident memory (largest process): {:.1} MB at rest, {:.1} MB peak under load",
        rest_kib as f64 / 1024.0,
        peak_kib as f64 / 1024.0
    );
    Ok(())
}
