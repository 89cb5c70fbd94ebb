//! `feedback-collector serve`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use axum::http::HeaderValue;
use clap::Args;
use std::sync::Arc;

use feedback_collector::accounts::SessionLimits;
use feedback_collector::alerts::config::AlertConfig;
use feedback_collector::alerts::Alerter;
use feedback_collector::db::Location;
use feedback_collector::retention::{self, Retention};
use feedback_collector::server::{self, Limits};
use feedback_collector::store::{self, Store};
use feedback_collector::{app, AppConfig, AppState};

#[derive(Args)]
pub struct Serve {
    /// Address to listen on.
    #[arg(long, env = "FEEDBACK_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Directory of the built kiosk (`dist/`) to serve at `/`.
    #[arg(long, env = "FEEDBACK_KIOSK_DIR")]
    kiosk_dir: Option<PathBuf>,
    /// An origin allowed to call the API when the kiosk is served elsewhere,
    /// for example `https://kiosk.example.com`; repeat, or separate with commas.
    #[arg(
        long = "cors-origin",
        env = "FEEDBACK_CORS_ORIGINS",
        value_delimiter = ','
    )]
    cors_origins: Vec<String>,
    /// Most database connections at once (per process, for PostgreSQL).
    #[arg(long, env = "FEEDBACK_DB_CONNECTIONS", default_value_t = 8)]
    db_connections: u32,
    /// Most client connections open at once; more wait until one closes.
    #[arg(long, env = "FEEDBACK_MAX_CONNECTIONS", default_value_t = 1024)]
    max_connections: u32,
    /// Most uploads (`POST /v1/responses`) handled at once; more wait
    /// (--upload-queue-timeout), then get 503 with Retry-After.
    #[arg(long, env = "FEEDBACK_MAX_UPLOADS", default_value_t = 32)]
    max_uploads: u32,
    /// Most CSV exports streaming at once; more get 503 with Retry-After.
    #[arg(long, env = "FEEDBACK_MAX_EXPORTS", default_value_t = 4)]
    max_exports: u32,
    /// Seconds an upload past --max-uploads waits for its turn before it
    /// gets 503.
    #[arg(long, env = "FEEDBACK_UPLOAD_QUEUE_TIMEOUT", default_value_t = 5.0)]
    upload_queue_timeout: f64,
    /// Seconds a client has to send a request's headers.
    #[arg(long, env = "FEEDBACK_HEADER_TIMEOUT", default_value_t = 10.0)]
    header_timeout: f64,
    /// Seconds a client has to send a request's whole body.
    #[arg(long, env = "FEEDBACK_BODY_TIMEOUT", default_value_t = 30.0)]
    body_timeout: f64,
    /// Seconds a connection may stay open with nothing moving and no request
    /// being handled.
    #[arg(long, env = "FEEDBACK_IDLE_TIMEOUT", default_value_t = 60.0)]
    idle_timeout: f64,
    /// Seconds requests in flight get to finish after SIGTERM or SIGINT;
    /// then the connections still open are closed.
    #[arg(long, env = "FEEDBACK_SHUTDOWN_TIMEOUT", default_value_t = 10.0)]
    shutdown_timeout: f64,
    /// Answer `GET /sw.js` with a service worker that unregisters itself and
    /// clears its caches, instead of the kiosk's own (a kill switch).
    #[arg(long, env = "FEEDBACK_RETIRE_SERVICE_WORKER")]
    retire_service_worker: bool,
    /// Delete raw responses (and their comments) older than this many days,
    /// in the background; summaries and trends keep counting them. Default:
    /// keep everything.
    #[arg(long, env = "FEEDBACK_RETAIN_DAYS")]
    retain_days: Option<i64>,
    /// Send the dashboard's session cookie over plain HTTP too (no `Secure`
    /// flag): only for a collector on loopback, as `make run` serves it.
    #[arg(long, env = "FEEDBACK_INSECURE_COOKIES")]
    insecure_cookies: bool,
    /// Minutes without a request after which a dashboard session ends.
    #[arg(long, env = "FEEDBACK_SESSION_IDLE_MINUTES", default_value_t = 30.0)]
    session_idle_minutes: f64,
    /// Hours without a heartbeat after which a kiosk is flagged silent.
    #[arg(long, env = "FEEDBACK_SILENT_AFTER_HOURS", default_value_t = 24.0)]
    silent_after_hours: f64,
    /// The alerts file (TOML): rules per store, opening hours, webhooks and
    /// mail (see docs/alerts.md). Without it, no alerts are raised.
    #[arg(long, env = "FEEDBACK_ALERTS")]
    alerts: Option<PathBuf>,
}

fn seconds(value: f64, flag: &str) -> anyhow::Result<Duration> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .with_context(|| format!("{flag} must be a positive number of seconds, not {value}"))
}

fn millis(seconds_value: f64, flag: &str) -> anyhow::Result<i64> {
    let duration = seconds(seconds_value, flag)?;
    i64::try_from(duration.as_millis()).with_context(|| format!("{flag} is too large"))
}

fn cors_origins(origins: &[String]) -> anyhow::Result<Vec<HeaderValue>> {
    origins
        .iter()
        .map(|origin| origin.trim())
        .filter(|origin| !origin.is_empty())
        .map(|origin| {
            anyhow::ensure!(
                origin != "*",
                "--cors-origin '*' is not supported: kiosks send a bearer token, so name \
                 each origin the kiosk is served from, for example https://kiosk.example.com"
            );
            HeaderValue::from_str(origin.trim_end_matches('/'))
                .with_context(|| format!("--cors-origin {origin:?} is not a valid origin"))
        })
        .collect()
}

pub fn run(location: &Location, serve: Serve) -> anyhow::Result<()> {
    let cors_origins = cors_origins(&serve.cors_origins)?;
    let limits = Limits {
        max_connections: serve.max_connections,
        header_timeout: seconds(serve.header_timeout, "--header-timeout")?,
        idle_timeout: seconds(serve.idle_timeout, "--idle-timeout")?,
        shutdown_timeout: seconds(serve.shutdown_timeout, "--shutdown-timeout")?,
    };
    anyhow::ensure!(
        serve.max_connections > 0,
        "--max-connections must be at least 1"
    );
    anyhow::ensure!(serve.max_uploads > 0, "--max-uploads must be at least 1");
    anyhow::ensure!(serve.max_exports > 0, "--max-exports must be at least 1");
    let body_timeout = seconds(serve.body_timeout, "--body-timeout")?;
    let retention = serve
        .retain_days
        .map(|days| {
            u32::try_from(days)
                .ok()
                .filter(|days| *days >= 1)
                .map(Retention::days)
                .with_context(|| {
                    format!("--retain-days must be a whole number of days, at least 1, not {days}")
                })
        })
        .transpose()?;
    if let Some(dir) = &serve.kiosk_dir {
        anyhow::ensure!(
            dir.join("index.html").is_file(),
            "--kiosk-dir {} has no index.html; build the kiosk first (trunk build --release)",
            dir.display()
        );
    }
    let alerts = serve.alerts.as_deref().map(AlertConfig::load).transpose()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    // A PostgreSQL server starting beside the collector is waited for.
    let store: Arc<dyn Store> = runtime.block_on(store::open(
        location,
        serve.db_connections,
        Duration::from_secs(30),
    ))?;
    let state = AppState::with_store(
        Arc::clone(&store),
        AppConfig {
            page_policies: serve
                .kiosk_dir
                .as_deref()
                .map(feedback_collector::api::page_policies)
                .unwrap_or_default(),
            kiosk_dir: serve.kiosk_dir,
            cors_origins,
            max_uploads: serve.max_uploads as usize,
            max_exports: serve.max_exports as usize,
            upload_queue_timeout: seconds(serve.upload_queue_timeout, "--upload-queue-timeout")?,
            body_timeout,
            retire_service_worker: serve.retire_service_worker,
            session_limits: SessionLimits {
                idle_ms: millis(serve.session_idle_minutes * 60.0, "--session-idle-minutes")?,
                ..SessionLimits::default()
            },
            secure_cookies: !serve.insecure_cookies,
            silent_after_ms: millis(serve.silent_after_hours * 3600.0, "--silent-after-hours")?,
        },
    );
    runtime.block_on(async move {
        let state = match alerts {
            Some(config) => {
                tracing::info!(
                    webhooks = config.webhooks.len(),
                    mail_routes = config.emails.len(),
                    "raising alerts"
                );
                let silent_after_ms = state.config.silent_after_ms;
                state.with_alerts(Alerter::start(Arc::clone(&store), config, silent_after_ms))
            }
            None => state,
        };
        if let Some(retention) = retention {
            tracing::info!(
                days = retention.days,
                "deleting raw responses older than the retention"
            );
            retention::spawn(store, retention);
        }
        let listener = tokio::net::TcpListener::bind(serve.listen)
            .await
            .with_context(|| format!("listening on {}", serve.listen))?;
        tracing::info!(
            address = %listener.local_addr()?,
            database = %location,
            "collector listening"
        );
        server::serve(listener, app(state), limits, stop_signal()).await?;
        anyhow::Ok(())
    })?;
    // Database work still running (bounded by the engine's timeouts) is
    // given a moment; the process then ends whatever is left.
    runtime.shutdown_timeout(Duration::from_secs(1));
    tracing::info!("collector stopped");
    Ok(())
}

/// Resolves on SIGINT or SIGTERM.
async fn stop_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
