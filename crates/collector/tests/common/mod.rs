//! A collector on a real SQLite file in a temporary directory, driven
//! through its router without a socket.

#![allow(dead_code)] // Each test file uses a different part.

pub mod binary;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use feedback_collector::db::{self, Pool};
use feedback_collector::tokens::{self, Role};
use feedback_collector::{app, AppConfig, AppState};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

pub const STORE: &str = "store-1";
pub const KIOSK: &str = "kiosk-1";

pub struct Collector {
    pub dir: tempfile::TempDir,
    pub pool: Pool,
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
    pub fn new() -> Collector {
        Collector::with_config(AppConfig::default())
    }

    pub fn with_config(config: AppConfig) -> Collector {
        Collector::with_pool(config, 8)
    }

    /// A collector whose database pool holds at most `connections`.
    pub fn with_pool(config: AppConfig, connections: u32) -> Collector {
        let dir = tempfile::tempdir().expect("temp dir");
        let pool =
            db::open(&dir.path().join("collector.sqlite"), connections).expect("open database");
        let app = app(AppState::new(pool.clone(), config));
        let conn = pool.get().expect("connection");
        let kiosk = tokens::create(
            &conn,
            Role::Kiosk {
                store_id: STORE.into(),
                kiosk_id: KIOSK.into(),
            },
            1,
        )
        .expect("kiosk token")
        .secret;
        let manager = tokens::create(&conn, Role::Manager { store_id: None }, 1)
            .expect("manager token")
            .secret;
        Collector {
            dir,
            pool,
            app,
            kiosk,
            manager,
        }
    }

    pub fn token(&self, role: Role) -> String {
        let conn = self.pool.get().expect("connection");
        tokens::create(&conn, role, 1).expect("token").secret
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
        self.pool
            .get()
            .expect("connection")
            .query_row("SELECT count(*) FROM responses", [], |r| r.get(0))
            .expect("count")
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
