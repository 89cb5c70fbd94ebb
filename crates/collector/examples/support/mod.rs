//! What the collector benchmarks share: collector processes on a fresh
//! database of either engine, and typical responses.

pub mod baseline;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use feedback_collector::db::Location;
use feedback_collector::store;
use feedback_collector::tokens::Role;
use serde_json::{json, Value};

#[path = "../../tests/common/postgres.rs"]
#[allow(dead_code)]
pub mod postgres;

/// Which engine a benchmark runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn from_arg(arg: Option<&str>) -> anyhow::Result<Engine> {
        match arg {
            None | Some("sqlite") => Ok(Engine::Sqlite),
            Some("postgres") => Ok(Engine::Postgres),
            Some(other) => anyhow::bail!("unknown engine {other}: sqlite or postgres"),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
    }

    /// A fresh, empty database: a SQLite file in `dir`, or a database on
    /// a throwaway PostgreSQL cluster.
    pub fn fresh(self, dir: &Path) -> String {
        match self {
            Engine::Sqlite => dir.join("bench.sqlite").display().to_string(),
            Engine::Postgres => postgres::fresh_database(),
        }
    }
}

/// Collector processes serving one fresh database.
pub struct Servers {
    children: Vec<Child>,
    pub urls: Vec<String>,
    pub db: String,
    _dir: tempfile::TempDir,
}

impl Servers {
    /// `processes` collectors on a fresh database of `engine` holding a
    /// token for each role; the tokens' secrets.
    pub fn start(
        binary: &Path,
        engine: Engine,
        processes: usize,
        roles: Vec<Role>,
    ) -> anyhow::Result<(Servers, Vec<String>)> {
        Servers::start_with(binary, engine, processes, roles, None)
    }

    /// Like [`Servers::start`], the collectors raising alerts as the alerts
    /// file with this text says, if any.
    pub fn start_with(
        binary: &Path,
        engine: Engine,
        processes: usize,
        roles: Vec<Role>,
        alerts: Option<&str>,
    ) -> anyhow::Result<(Servers, Vec<String>)> {
        let dir = tempfile::tempdir()?;
        let alerts_file = dir.path().join("alerts.toml");
        if let Some(text) = alerts {
            std::fs::write(&alerts_file, text)?;
        }
        let db = engine.fresh(dir.path());
        let location: Location = db.parse().map_err(anyhow::Error::msg)?;
        // Tokens are made on a runtime of their own thread, so this works
        // from inside the benchmark's runtime too.
        let secrets = std::thread::scope(|scope| {
            scope
                .spawn(|| -> anyhow::Result<Vec<String>> {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()?;
                    runtime.block_on(async {
                        let store = store::open(&location, 1, Duration::from_secs(10)).await?;
                        let mut secrets = Vec::new();
                        for role in roles {
                            secrets.push(store.token_create(role, 0).await?.secret);
                        }
                        Ok(secrets)
                    })
                })
                .join()
                .map_err(|_| anyhow::anyhow!("making tokens panicked"))?
        })?;
        let mut servers = Servers {
            children: Vec::new(),
            urls: Vec::new(),
            db,
            _dir: dir,
        };
        for _ in 0..processes {
            let port = free_port()?;
            servers.children.push(
                Command::new(binary)
                    .args(["--db", &servers.db])
                    .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
                    .args(
                        alerts
                            .map(|_| ["--alerts".as_ref(), alerts_file.as_os_str()])
                            .into_iter()
                            .flatten(),
                    )
                    .env("RUST_LOG", "warn")
                    .stdout(Stdio::null())
                    .stderr(Stdio::inherit())
                    .spawn()?,
            );
            servers.urls.push(format!("http://127.0.0.1:{port}"));
            let deadline = Instant::now() + Duration::from_secs(10);
            while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
                anyhow::ensure!(Instant::now() < deadline, "collector did not start");
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        Ok((servers, secrets))
    }

    /// Resident set size in KiB of each process, and its peak, from /proc.
    pub fn memory_kib(&self) -> Vec<(u64, u64)> {
        self.children
            .iter()
            .map(|child| {
                let status = std::fs::read_to_string(format!("/proc/{}/status", child.id()))
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
            })
            .collect()
    }
}

impl Drop for Servers {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// A typical response: all five factors, sometimes a comment.
pub fn response(n: u64, store: &str, now: i64) -> Value {
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
