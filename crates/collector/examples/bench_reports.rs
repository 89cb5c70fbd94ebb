//! Report benchmark: summaries and trends over a chain's year of responses.
//!
//! ```text
//! cargo build --profile server -p feedback-collector --bin feedback-collector --example bench_reports
//! target/server/examples/bench_reports [RESPONSES] [target/server/feedback-collector] [sqlite|postgres]
//! ```
//!
//! Fills a fresh database (a SQLite file, or a database on a throwaway
//! PostgreSQL cluster started for the run, as the tests do) with RESPONSES
//! (default 1,000,000) spread over
//! 500 stores × 2 kiosks × one year, through the store's ingest
//! ([`Store::insert_batch`], so rollups are built as in production), then
//! starts the collector on it and times over HTTP, median of 7:
//! `GET /v1/summary` for one store × 30 days, one store × all time, all
//! stores × 30 days (whole days, and at odd minutes), all stores × all
//! time; `GET /v1/trend` by day for one store (in Europe/Madrid) over
//! the year; and what the dashboard asks: `GET /v1/overview` of every store
//! for 30 days, a store's year by week and its heat map, its
//! comments and kiosks. With the built pages in `dist/`, it then times the
//! dashboard itself in Chromium (`scripts/bench-dashboard.mjs`).

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use feedback_collector::db::Location;
use feedback_collector::ingest::{Content, Poster};
use feedback_collector::report::rfc3339;
use feedback_collector::store::{self, NewResponse, Store};
use feedback_collector::tokens::Role;

#[path = "../tests/common/postgres.rs"]
#[allow(dead_code)]
mod postgres;

const STORES: u64 = 500;
const KIOSKS_PER_STORE: u64 = 2;
const BATCH: u64 = 5_000;
const YEAR_START: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
const YEAR_MS: i64 = 365 * 86_400_000;
const RUNS: usize = 7;
/// The password of the account the dashboard benchmark signs in with.
const BENCH_PASSWORD: &str = "bench password";

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let total: u64 = args
        .next()
        .map(|n| n.replace('_', "").parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let binary = PathBuf::from(
        args.next()
            .unwrap_or_else(|| "target/server/feedback-collector".into()),
    );
    let dir = tempfile::tempdir()?;
    let db = match args.next().as_deref() {
        None | Some("sqlite") => dir.path().join("reports.sqlite").display().to_string(),
        Some("postgres") => postgres::fresh_database(),
        Some(other) => anyhow::bail!("unknown engine {other}: sqlite or postgres"),
    };
    let location: Location = db.parse().map_err(anyhow::Error::msg)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let manager = runtime.block_on(fill(&location, total))?;

    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let dashboard = std::path::Path::new("dist/dashboard/index.html").is_file();
    let mut serve = Command::new(&binary);
    serve
        .arg("--db")
        .arg(&db)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")]);
    if dashboard {
        serve.args(["--kiosk-dir", "dist", "--insecure-cookies"]);
    }
    let mut child = serve
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()?;
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        anyhow::ensure!(Instant::now() < deadline, "collector did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    let url = format!("http://127.0.0.1:{port}");
    let month = format!(
        "from={}&to={}",
        rfc3339(YEAR_START + YEAR_MS - 30 * 86_400_000),
        rfc3339(YEAR_START + YEAR_MS)
    );
    let year = format!(
        "from={}&to={}",
        rfc3339(YEAR_START),
        rfc3339(YEAR_START + YEAR_MS)
    );
    // The same length, from and to at odd minutes: raw edges and half-hours.
    let odd = format!(
        "from={}&to={}",
        rfc3339(YEAR_START + YEAR_MS - 30 * 86_400_000 - 26_003_000),
        rfc3339(YEAR_START + YEAR_MS - 8_257_000)
    );
    let cases = [
        (
            "summary, one store, 30 days",
            format!("/v1/summary?store_id=store-7&{month}"),
        ),
        (
            "summary, one store, all time",
            "/v1/summary?store_id=store-7".to_owned(),
        ),
        (
            "summary, all stores, 30 days",
            format!("/v1/summary?{month}"),
        ),
        (
            "summary, all stores, 30 days at odd minutes",
            format!("/v1/summary?{odd}"),
        ),
        ("summary, all stores, all time", "/v1/summary".to_owned()),
        (
            "trend by day, one store, a year",
            format!("/v1/trend?store_id=store-7&by=day&{year}"),
        ),
        (
            "dashboard: overview, every store, 30 days",
            format!("/v1/overview?{month}"),
        ),
        (
            "dashboard: trend by week, one store, a year",
            format!("/v1/trend?store_id=store-7&by=week&{year}"),
        ),
        (
            "dashboard: heat map, one store, a year",
            format!("/v1/heatmap?store_id=store-7&{year}"),
        ),
        (
            "dashboard: comments, one store, a year",
            format!("/v1/comments?store_id=store-7&{year}"),
        ),
        ("dashboard: kiosks, every store", "/v1/kiosks".to_owned()),
    ];
    let result = runtime.block_on(async {
        let client = reqwest::Client::new();
        for (name, path) in &cases {
            let mut times = Vec::with_capacity(RUNS);
            for _ in 0..RUNS {
                let started = Instant::now();
                let reply = client
                    .get(format!("{url}{path}"))
                    .bearer_auth(&manager)
                    .send()
                    .await?;
                anyhow::ensure!(reply.status().is_success(), "{path}: {}", reply.status());
                let _ = reply.bytes().await?;
                times.push(started.elapsed());
            }
            times.sort();
            println!(
                "{name}: median {:.1} ms ({total} responses stored, {})",
                times[RUNS / 2].as_secs_f64() * 1000.0,
                location_kind(&location)
            );
        }
        anyhow::Ok(())
    });
    if result.is_ok() && dashboard {
        let status = Command::new("node")
            .args(["scripts/bench-dashboard.mjs", &url, "bench", BENCH_PASSWORD])
            .status()?;
        anyhow::ensure!(status.success(), "the dashboard benchmark failed");
    }
    let _ = child.kill();
    let _ = child.wait();
    result
}

fn location_kind(location: &Location) -> &'static str {
    match location {
        Location::Sqlite(_) => "SQLite",
        Location::Postgres(_) => "PostgreSQL",
    }
}

/// A small deterministic generator (xorshift), so runs are comparable.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Fills `location` with `total` responses; returns a manager token for all
/// stores.
async fn fill(location: &Location, total: u64) -> anyhow::Result<String> {
    let store: Arc<dyn Store> = store::open(location, 2, Duration::from_secs(10)).await?;
    let manager = store
        .token_create(Role::Manager { store_id: None }, 0)
        .await?
        .secret;
    let token_id = store
        .token_create(
            Role::Kiosk {
                store_id: "store-0".into(),
                kiosk_id: "kiosk-0".into(),
            },
            0,
        )
        .await?
        .info
        .id;
    store
        .store_set_time_zone("store-7".into(), "Europe/Madrid".into(), true)
        .await?;
    // Every kiosk enrolled, as in a chain (the fleet view lists them).
    for kiosk in 0..STORES * KIOSKS_PER_STORE {
        let role = Role::Kiosk {
            store_id: format!("store-{}", kiosk / KIOSKS_PER_STORE),
            kiosk_id: format!("kiosk-{}", kiosk % KIOSKS_PER_STORE),
        };
        store.token_create(role, 0).await?;
    }
    let hash = feedback_collector::accounts::hash_password(BENCH_PASSWORD)?;
    let scope = feedback_collector::accounts::Scope::AllStores;
    store.account_create("bench".into(), hash, scope, 0).await?;
    let started = Instant::now();
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    let mut n = 0u64;
    let mut batch_number = 0u64;
    while n < total {
        let kiosk = batch_number % (STORES * KIOSKS_PER_STORE);
        let poster = Poster {
            token_id,
            store_id: format!("store-{}", kiosk / KIOSKS_PER_STORE),
            kiosk_id: format!("kiosk-{}", kiosk % KIOSKS_PER_STORE),
        };
        let size = BATCH.min(total - n);
        let items = (n..n + size)
            .map(|i| {
                let r = random.next();
                let face = |shift: u32| Some(((r >> shift) % 5 + 1) as u8);
                NewResponse {
                    id: uuid::Uuid::from_u64_pair(0x00be_0c00_0000_4000, 0x8000_0000_0000_0000 | i)
                        .to_string(),
                    content: Content {
                        store_id: poster.store_id.clone(),
                        kiosk_id: poster.kiosk_id.clone(),
                        created_at: YEAR_START + (r % YEAR_MS as u64) as i64,
                        ratings: [
                            face(8),
                            face(16),
                            face(24),
                            if r % 3 == 0 { None } else { face(32) },
                            face(40),
                        ],
                        comment: (r % 10 == 0).then(|| "Quick and friendly, thank you".to_owned()),
                        complete: r % 7 != 0,
                        lang: Some(if r % 4 == 0 { "es" } else { "en" }.to_owned()),
                        // Customers who rate speed 1 or 2 often say why.
                        reasons: (face(16).is_some_and(|f| f <= 2) && r % 2 == 0)
                            .then(|| r#"{"speed":["long_queue"]}"#.to_owned()),
                    },
                }
            })
            .collect();
        store
            .insert_batch(poster, items, YEAR_START + YEAR_MS)
            .await?;
        n += size;
        batch_number += 1;
    }
    println!(
        "filled {total} responses over {STORES} stores x {KIOSKS_PER_STORE} kiosks x one year through the store's ingest in {:.1} s ({})",
        started.elapsed().as_secs_f64(),
        location_kind(location)
    );
    Ok(manager)
}
