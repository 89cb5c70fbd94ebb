//! A collector on a real database, driven through its router without a
//! socket: a SQLite file in a temporary directory, or a fresh database on a
//! real PostgreSQL server ([`postgres`]). Tests that touch the database are
//! written once as `async fn name(engine: Engine)` and run on both engines
//! by [`on_each_engine!`].

#![allow(dead_code)] // Each test file uses a different part.

pub mod binary;
mod db;
pub mod postgres;
pub mod receivers;
pub mod session;

pub use db::*;

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use feedback_collector::alerts::config::AlertConfig;
use feedback_collector::alerts::Alerter;
use feedback_collector::store::Store;
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
        Collector::build(engine, config, connections, None).await
    }

    /// A collector raising alerts as `alerts` (an alerts file's text) says.
    pub async fn with_alerts(engine: Engine, alerts: &str) -> Collector {
        let alerts = AlertConfig::parse(alerts).expect("an alerts file");
        Collector::build(engine, AppConfig::default(), 8, Some(alerts)).await
    }

    async fn build(
        engine: Engine,
        config: AppConfig,
        connections: u32,
        alerts: Option<AlertConfig>,
    ) -> Collector {
        let db = TestDb::new(engine);
        let store = db.open(connections).await;
        let mut state = AppState::with_store(Arc::clone(&store), config);
        if let Some(alerts) = alerts {
            let silent_after_ms = state.config.silent_after_ms;
            state = state.with_alerts(Alerter::start(Arc::clone(&store), alerts, silent_after_ms));
        }
        let app = app(state);
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
