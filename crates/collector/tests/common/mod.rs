//! A collector on a real database, driven through its router without a
//! socket: a SQLite file in a temporary directory, or a fresh database on a
//! real PostgreSQL server ([`postgres`]). Tests that touch the database are
//! written once as `async fn name(engine: Engine)` and run on both engines
//! by [`on_each_engine!`].

#![allow(dead_code)] // Each test file uses a different part.

pub mod binary;
pub mod postgres;

use std::ffi::OsString;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use feedback_collector::db::Location;
use feedback_collector::store::{self, Store};
use feedback_collector::tokens::Role;
use feedback_collector::{app, AppConfig, AppState};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

pub const STORE: &str = "store-1";
pub const KIOSK: &str = "kiosk-1";

/// Runs each `async fn name(engine: Engine)` listed as two tests,
/// `sqlite::name` and `postgres::name`, on a multi-threaded runtime.
#[macro_export]
macro_rules! on_each_engine {
    ($($name:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::$name($crate::common::Engine::Sqlite).await
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::$name($crate::common::Engine::Postgres).await
                }
            )+
        }
    };
}

/// Which database a test runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A new, empty database of one engine.
pub struct TestDb {
    pub engine: Engine,
    /// Holds the SQLite file (and anything else a test puts there).
    pub dir: tempfile::TempDir,
    /// What `--db` takes: the file's path or the server's URL.
    pub arg: String,
}

impl TestDb {
    pub fn new(engine: Engine) -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let arg = match engine {
            Engine::Sqlite => dir.path().join("collector.sqlite").display().to_string(),
            Engine::Postgres => postgres::fresh_database(),
        };
        TestDb { engine, dir, arg }
    }

    pub fn location(&self) -> Location {
        self.arg.parse().expect("a database location")
    }

    pub fn os_arg(&self) -> OsString {
        OsString::from(&self.arg)
    }

    /// The engine on this database, with up to `connections`.
    pub async fn open(&self, connections: u32) -> Arc<dyn Store> {
        store::open(&self.location(), connections, Duration::from_secs(10))
            .await
            .expect("open database")
    }

    /// The rows `sql` selects, each value as text (`None`: NULL). Keep the
    /// SQL to what both engines read alike: integers and text.
    pub fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        match self.engine {
            Engine::Sqlite => {
                let conn = rusqlite::Connection::open(self.dir.path().join("collector.sqlite"))
                    .expect("open");
                let mut stmt = conn.prepare(sql).expect("prepare");
                let width = stmt.column_count();
                let rows = stmt
                    .query_map([], |row| {
                        (0..width)
                            .map(|i| {
                                Ok(match row.get::<_, rusqlite::types::Value>(i)? {
                                    rusqlite::types::Value::Null => None,
                                    rusqlite::types::Value::Integer(n) => Some(n.to_string()),
                                    rusqlite::types::Value::Real(x) => Some(x.to_string()),
                                    rusqlite::types::Value::Text(t) => Some(t),
                                    rusqlite::types::Value::Blob(b) => Some(format!("{b:?}")),
                                })
                            })
                            .collect()
                    })
                    .expect("query");
                rows.map(|r| r.expect("row")).collect()
            }
            Engine::Postgres => {
                let out = postgres::psql(&self.arg, sql);
                assert!(out.status.success(), "{sql}: {out:?}");
                String::from_utf8(out.stdout)
                    .expect("UTF-8")
                    .lines()
                    .map(|line| {
                        line.split('\u{1f}')
                            .map(|v| (v != "\\N").then(|| v.to_owned()))
                            .collect()
                    })
                    .collect()
            }
        }
    }

    /// The one integer `sql` selects.
    pub fn count(&self, sql: &str) -> i64 {
        self.rows(sql)[0][0]
            .as_deref()
            .unwrap_or("0")
            .parse()
            .expect("an integer")
    }

    /// Holds the database (SQLite) or the table the health check writes
    /// (PostgreSQL) exclusively, from another process, until dropped.
    pub fn hold_exclusive_lock(&self) -> ExclusiveLock {
        match self.engine {
            Engine::Sqlite => {
                let conn = rusqlite::Connection::open(self.dir.path().join("collector.sqlite"))
                    .expect("open");
                conn.execute_batch("BEGIN EXCLUSIVE").expect("lock");
                ExclusiveLock::Sqlite(conn)
            }
            Engine::Postgres => {
                use std::io::Write;
                let mut child = postgres::psql_session(&self.arg);
                let stdin = child.stdin.as_mut().expect("stdin");
                stdin
                    .write_all(b"BEGIN; LOCK TABLE health IN ACCESS EXCLUSIVE MODE;\n")
                    .expect("lock");
                stdin.flush().expect("flush");
                let deadline = std::time::Instant::now() + Duration::from_secs(10);
                while self.count(
                    "SELECT count(*) FROM pg_locks JOIN pg_class ON relation = oid
                     WHERE relname = 'health' AND mode = 'AccessExclusiveLock' AND granted",
                ) == 0
                {
                    assert!(std::time::Instant::now() < deadline, "lock not taken");
                    std::thread::sleep(Duration::from_millis(20));
                }
                ExclusiveLock::Postgres(child)
            }
        }
    }

    /// Runs statements that change the database.
    pub fn execute(&self, sql: &str) {
        match self.engine {
            Engine::Sqlite => {
                rusqlite::Connection::open(self.dir.path().join("collector.sqlite"))
                    .expect("open")
                    .execute_batch(sql)
                    .expect("execute");
            }
            Engine::Postgres => {
                let out = postgres::psql(&self.arg, sql);
                assert!(out.status.success(), "{sql}: {out:?}");
            }
        }
    }
}

/// See [`TestDb::hold_exclusive_lock`].
pub enum ExclusiveLock {
    Sqlite(rusqlite::Connection),
    Postgres(std::process::Child),
}

impl Drop for ExclusiveLock {
    fn drop(&mut self) {
        match self {
            ExclusiveLock::Sqlite(conn) => {
                let _ = conn.execute_batch("ROLLBACK");
            }
            ExclusiveLock::Postgres(child) => {
                drop(child.stdin.take());
                let _ = child.wait();
            }
        }
    }
}

pub struct Collector {
    pub db: TestDb,
    pub store: Arc<dyn Store>,
    pub app: Router,
    /// A kiosk token for `KIOSK` in `STORE`.
    pub kiosk: String,
    /// A manager token for every store.
    pub manager: String,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!(
                "reply is not JSON ({err}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 reply")
    }

    /// The error code of a JSON error reply.
    pub fn error_code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("not an error reply: {}", self.text()))
            .to_owned()
    }
}

impl Collector {
    pub async fn new(engine: Engine) -> Collector {
        Collector::with_config(engine, AppConfig::default()).await
    }

    pub async fn with_config(engine: Engine, config: AppConfig) -> Collector {
        Collector::with_pool(engine, config, 8).await
    }

    /// A collector whose database pool holds at most `connections`.
    pub async fn with_pool(engine: Engine, config: AppConfig, connections: u32) -> Collector {
        let db = TestDb::new(engine);
        let store = db.open(connections).await;
        let app = app(AppState::with_store(Arc::clone(&store), config));
        let kiosk = store
            .token_create(
                Role::Kiosk {
                    store_id: STORE.into(),
                    kiosk_id: KIOSK.into(),
                },
                1,
            )
            .await
            .expect("kiosk token")
            .secret;
        let manager = store
            .token_create(Role::Manager { store_id: None }, 1)
            .await
            .expect("manager token")
            .secret;
        Collector {
            db,
            store,
            app,
            kiosk,
            manager,
        }
    }

    pub async fn token(&self, role: Role) -> String {
        self.store
            .token_create(role, 1)
            .await
            .expect("token")
            .secret
    }

    pub async fn send(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(token) = token {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        if body.is_some() {
            request = request.header(header::CONTENT_TYPE, "application/json");
        }
        let request = request
            .body(body.map(Body::from).unwrap_or_else(Body::empty))
            .expect("request");
        let response = self.app.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn post(&self, token: &str, batch: &Value) -> Reply {
        self.send(
            Method::POST,
            "/v1/responses",
            Some(token),
            Some(serde_json::to_vec(batch).expect("JSON")),
        )
        .await
    }

    pub async fn get(&self, uri: &str, token: &str) -> Reply {
        self.send(Method::GET, uri, Some(token), None).await
    }

    /// How many responses the database holds.
    pub fn rows(&self) -> i64 {
        self.db.count("SELECT count(*) FROM responses")
    }
}

/// A valid response item: `n` makes its id; `ratings` as a JSON object.
pub fn item(n: u128, ratings: Value) -> Value {
    json!({
        "id": uuid::Uuid::from_u128(n).to_string(),
        "store_id": STORE,
        "created_at": 1_795_000_000_000_i64 + n as i64,
        "ratings": ratings,
        "complete": true,
    })
}

pub fn batch(items: Vec<Value>) -> Value {
    json!({"kiosk_id": KIOSK, "responses": items})
}

/// The ids a reply lists under `field`.
pub fn ids(reply: &Value, field: &str) -> Vec<String> {
    reply[field]
        .as_array()
        .unwrap_or_else(|| panic!("no {field} in {reply}"))
        .iter()
        .map(|v| v.as_str().expect("id").to_owned())
        .collect()
}

const FACTORS: [&str; 5] = ["friendliness", "speed", "comfort", "hygiene", "security"];

/// Asserts every rollup table equals a recount from the raw rows, in SQL
/// both engines read alike.
pub fn assert_rollups_match_a_recount(db: &TestDb) {
    let half_hour = "(created_at - ((created_at % 1800000) + 1800000) % 1800000) / 1800000";
    let day = "(created_at - ((created_at % 86400000) + 86400000) % 86400000) / 86400000";
    let mut stored = vec!["sum(complete)".to_owned(), "sum(partial)".to_owned()];
    let mut recounted = vec![
        "sum(CASE WHEN complete THEN 1 ELSE 0 END)".to_owned(),
        "sum(CASE WHEN complete THEN 0 ELSE 1 END)".to_owned(),
    ];
    for factor in FACTORS {
        for face in 1..=5 {
            stored.push(format!("sum({factor}_{face})"));
            recounted.push(format!(
                "sum(CASE WHEN {factor} = {face} THEN 1 ELSE 0 END)"
            ));
        }
    }
    let (stored, recounted) = (stored.join(", "), recounted.join(", "));
    // Rollup rows hold counts already: summing one row per key gives it back.
    let by_key = |table: &str, keys: &str| {
        db.rows(&format!(
            "SELECT {keys}, {stored} FROM {table} GROUP BY {keys} ORDER BY {keys}"
        ))
    };
    let recount = |keys: &str| {
        db.rows(&format!(
            "SELECT {keys}, {recounted} FROM responses GROUP BY {keys} ORDER BY {keys}"
        ))
    };
    let half_hours = by_key("rollup_half_hours", "store_id, bucket, kiosk_id");
    assert!(!half_hours.is_empty(), "rollups are there to compare");
    assert_eq!(
        half_hours,
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
