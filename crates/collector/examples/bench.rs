//! Collector benchmarks, against the real binary over HTTP on 127.0.0.1.
//!
//! ```text
//! cargo build --profile server -p feedback-collector --bin feedback-collector --example bench
//! target/server/examples/bench target/server/feedback-collector
//! ```
//!
//! `make bench` runs it. It prints:
//! - ingest rate: 20,000 responses posted in batches of 500, one request
//!   at a time, next to a plain batched SQLite insert of the same rows in
//!   this process (same schema and pragmas, so the same durability:
//!   `synchronous = FULL`, each commit synced to disk), and their ratio;
//! - 50 concurrent kiosks, each with its own token, posting batches of 5
//!   for 30 seconds with no pause: p50/p99 latency, requests, errors;
//! - the collector's resident memory at rest and at its peak under that load.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use feedback_collector::db::{self, Location};
use feedback_collector::store;
use feedback_collector::tokens::Role;
use rusqlite::params;
use serde_json::{json, Value};

const BATCH: usize = 500;
const INGEST_BATCHES: usize = 40;
const KIOSKS: usize = 50;
const LOAD_SECONDS: u64 = 30;
const LOAD_BATCH: usize = 5;

fn main() -> anyhow::Result<()> {
    let binary = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/server/feedback-collector".into()),
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(ingest_rate(&binary))?;
    runtime.block_on(concurrent_kiosks(&binary))?;
    Ok(())
}

/// A collector process on a fresh database.
struct Server {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
    db: PathBuf,
}

impl Server {
    fn start(binary: &Path, roles: Vec<Role>) -> anyhow::Result<(Server, Vec<String>)> {
        let dir = tempfile::tempdir()?;
        let db_path = dir.path().join("bench.sqlite");
        let store = std::thread::scope(|scope| {
            scope
                .spawn(|| -> anyhow::Result<Vec<String>> {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()?;
                    runtime.block_on(async {
                        let location = Location::Sqlite(db_path.clone());
                        let store = store::open(&location, 1, Duration::from_secs(5)).await?;
                        let mut secrets = Vec::new();
                        for role in roles {
                            secrets.push(store.token_create(role, 0).await?.secret);
                        }
                        Ok(secrets)
                    })
                })
                .join()
                .map_err(|_| anyhow::anyhow!("making tokens panicked"))?
        });
        let secrets = store?;
        let port = free_port()?;
        let child = Command::new(binary)
            .args(["--db"])
            .arg(&db_path)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()?;
        let server = Server {
            child,
            url: format!("http://127.0.0.1:{port}"),
            _dir: dir,
            db: db_path,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            anyhow::ensure!(Instant::now() < deadline, "collector did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok((server, secrets))
    }

    /// Resident set size in KiB, and its peak, from /proc.
    fn memory_kib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// A typical response: all five factors, sometimes a comment.
fn response(n: u64, store: &str, now: i64) -> Value {
    let rating = |f: u64| ((n + f) % 5) + 1;
    let mut item = json!({
        "id": uuid::Uuid::from_u64_pair(0x00be_0c00_0000_4000, 0x8000_0000_0000_0000 | n).to_string(),
        "store_id": store,
        "created_at": now - 1_000_000 + n as i64,
        "ratings": {
            "friendliness": rating(1), "speed": rating(2), "comfort": rating(3),
            "hygiene": rating(4), "security": rating(5),
        },
        "complete": n % 7 != 0,
    });
    if n % 10 == 0 {
        item["comment"] = json!("Quick and friendly, thank you");
    }
    item
}

async fn ingest_rate(binary: &Path) -> anyhow::Result<()> {
    let role = Role::Kiosk {
        store_id: "store-b".into(),
        kiosk_id: "kiosk-b".into(),
    };
    let (server, secrets) = Server::start(binary, vec![role])?;
    let client = reqwest::Client::new();
    let now = feedback_collector::now_millis();
    let batches: Vec<Vec<Value>> = (0..INGEST_BATCHES as u64 + 1)
        .map(|b| {
            (0..BATCH as u64)
                .map(|i| response(b * BATCH as u64 + i, "store-b", now))
                .collect()
        })
        .collect();
    let bodies: Vec<String> = batches
        .iter()
        .map(|items| json!({"kiosk_id": "kiosk-b", "responses": items}).to_string())
        .collect();

    // The first batch warms up connections and caches; it is not timed.
    let post = |body: String| {
        client
            .post(format!("{}/v1/responses", server.url))
            .bearer_auth(&secrets[0])
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
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
    let http = started.elapsed();
    let rows = (INGEST_BATCHES * BATCH) as f64;
    let http_rate = rows / http.as_secs_f64();

    // The same rows, inserted by plain prepared statements, one transaction
    // per batch of 500, into a fresh database with the collector's schema.
    let raw_dir = tempfile::tempdir()?;
    let pool = db::open(&raw_dir.path().join("raw.sqlite"), 1)?;
    let mut conn = pool.get()?;
    // A fair comparison: the plain insert pays for the same durability.
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
    for items in &batches[1..] {
        let tx = conn.transaction()?;
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO responses (id, store_id, kiosk_id, created_at, received_at, clock_suspect,
                     friendliness, speed, comfort, hygiene, security, comment, complete, token_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?;
            for item in items {
                let r = &item["ratings"];
                insert.execute(params![
                    item["id"].as_str(),
                    "store-b",
                    "kiosk-b",
                    item["created_at"].as_i64(),
                    now,
                    r["friendliness"].as_i64(),
                    r["speed"].as_i64(),
                    r["comfort"].as_i64(),
                    r["hygiene"].as_i64(),
                    r["security"].as_i64(),
                    item["comment"].as_str(),
                    item["complete"].as_bool(),
                    token_id,
                ])?;
            }
        }
        tx.commit()?;
    }
    let raw = started.elapsed();
    let raw_rate = rows / raw.as_secs_f64();
    let stored: i64 = rusqlite::Connection::open(&server.db)?.query_row(
        "SELECT count(*) FROM responses",
        [],
        |r| r.get(0),
    )?;
    anyhow::ensure!(stored as usize == (INGEST_BATCHES + 1) * BATCH);
    println!(
        "ingest over HTTP: {http_rate:.0} responses/s ({INGEST_BATCHES} batches of {BATCH} in {:.0} ms); \
         plain batched SQLite insert: {raw_rate:.0} responses/s; ratio {:.2}",
        http.as_secs_f64() * 1000.0,
        http_rate / raw_rate
    );
    Ok(())
}

async fn concurrent_kiosks(binary: &Path) -> anyhow::Result<()> {
    let roles = (0..KIOSKS)
        .map(|k| Role::Kiosk {
            store_id: format!("store-{}", k % 10),
            kiosk_id: format!("kiosk-{k}"),
        })
        .collect();
    let (server, secrets) = Server::start(binary, roles)?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (rest_kib, _) = server.memory_kib();

    let errors = Arc::new(AtomicU64::new(0));
    let stop_at = Instant::now() + Duration::from_secs(LOAD_SECONDS);
    let now = feedback_collector::now_millis();
    let mut kiosks = Vec::new();
    for (k, secret) in secrets.into_iter().enumerate() {
        let url = format!("{}/v1/responses", server.url);
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
            peak_kib = peak_kib.max(server.memory_kib().0);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    sampler.await;
    for kiosk in kiosks {
        all.extend(kiosk.await?);
    }
    let (_, hwm_kib) = server.memory_kib();
    peak_kib = peak_kib.max(hwm_kib);
    all.sort();
    let quantile = |q: f64| all[((all.len() as f64 - 1.0) * q).round() as usize];
    let errors = errors.load(Ordering::Relaxed);
    println!(
        "{KIOSKS} concurrent kiosks for {LOAD_SECONDS} s (batches of {LOAD_BATCH}, no pause): \
         {} requests ({:.0}/s), p50 {:.1} ms, p99 {:.1} ms, {errors} errors",
        all.len(),
        all.len() as f64 / LOAD_SECONDS as f64,
        quantile(0.5).as_secs_f64() * 1000.0,
        quantile(0.99).as_secs_f64() * 1000.0,
    );
    println!(
        "collector resident memory: {:.1} MB at rest, {:.1} MB peak under load",
        rest_kib as f64 / 1024.0,
        peak_kib as f64 / 1024.0
    );
    Ok(())
}
