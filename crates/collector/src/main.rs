//! `feedback-collector`: the service, and the commands that manage its tokens.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use axum::http::HeaderValue;
use clap::{Args, Parser, Subcommand};
use feedback_collector::tokens::{self, Role};
use feedback_collector::{app, db, now_millis, AppConfig, AppState};
use tracing_subscriber::EnvFilter;

/// Collects feedback kiosk responses into SQLite, exactly once, and serves
/// summaries, CSV exports and the kiosk app.
#[derive(Parser)]
#[command(name = "feedback-collector", version)]
struct Cli {
    /// The SQLite database file; created with its schema when missing.
    #[arg(
        long,
        env = "FEEDBACK_DB",
        default_value = "feedback.sqlite",
        global = true
    )]
    db: PathBuf,
    /// Log lines as readable text or as one JSON object each (for log collectors).
    #[arg(
        long,
        env = "FEEDBACK_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Run the service until SIGINT or SIGTERM.
    Serve(Serve),
    /// Create, list and revoke access tokens.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Args)]
struct Serve {
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
    /// Most database connections at once.
    #[arg(long, env = "FEEDBACK_DB_CONNECTIONS", default_value_t = 8)]
    db_connections: u32,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Make a token and print it once; only its hash is kept.
    Create(Create),
    /// List tokens (never their secrets).
    List {
        /// One JSON object per line instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a token by the number `token list` shows.
    Revoke {
        /// The token's number.
        id: i64,
    },
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("role").required(true).args(["kiosk", "manager"])))]
struct Create {
    /// A kiosk token for this kiosk id (needs --store).
    #[arg(long, requires = "store")]
    kiosk: Option<String>,
    /// A manager token, for one store with --store or for all stores without.
    #[arg(long)]
    manager: bool,
    /// The store the token is for.
    #[arg(long)]
    store: Option<String>,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    // RUST_LOG narrows or widens what is logged, for example `debug` or
    // `info,tower_http=debug`.
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match cli.log_format {
        LogFormat::Json => logs.json().init(),
        LogFormat::Text => logs
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
    }
    match run(cli) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("feedback-collector: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(serve) => serve_until_stopped(&cli.db, serve),
        Command::Token(command) => token(&cli.db, command),
    }
}

fn serve_until_stopped(db_path: &std::path::Path, serve: Serve) -> anyhow::Result<()> {
    let pool = db::open(db_path, serve.db_connections)
        .with_context(|| format!("opening database {}", db_path.display()))?;
    let cors_origins = serve
        .cors_origins
        .iter()
        .filter(|origin| !origin.is_empty())
        .map(|origin| {
            HeaderValue::from_str(origin.trim_end_matches('/'))
                .with_context(|| format!("--cors-origin {origin:?} is not a valid origin"))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    if let Some(dir) = &serve.kiosk_dir {
        anyhow::ensure!(
            dir.join("index.html").is_file(),
            "--kiosk-dir {} has no index.html; build the kiosk first (trunk build --release)",
            dir.display()
        );
    }
    let state = AppState::new(
        pool,
        AppConfig {
            page_policies: serve
                .kiosk_dir
                .as_deref()
                .map(feedback_collector::api::page_policies)
                .unwrap_or_default(),
            kiosk_dir: serve.kiosk_dir,
            cors_origins,
        },
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(serve.listen)
            .await
            .with_context(|| format!("listening on {}", serve.listen))?;
        tracing::info!(
            address = %listener.local_addr()?,
            database = %db_path.display(),
            "collector listening"
        );
        axum::serve(listener, app(state))
            .with_graceful_shutdown(stop_signal())
            .await?;
        tracing::info!("collector stopped");
        Ok(())
    })
}

/// Resolves on SIGINT or SIGTERM; requests in flight are finished first.
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
    tracing::info!("stopping: finishing requests in flight");
}

fn token(db_path: &std::path::Path, command: TokenCommand) -> anyhow::Result<()> {
    let pool =
        db::open(db_path, 1).with_context(|| format!("opening database {}", db_path.display()))?;
    let conn = pool.get()?;
    match command {
        TokenCommand::Create(create) => {
            let role = match (create.kiosk, create.store) {
                (Some(kiosk_id), Some(store_id)) => Role::Kiosk { store_id, kiosk_id },
                (Some(_), None) => anyhow::bail!("a kiosk token needs --store"),
                (None, store_id) => Role::Manager { store_id },
            };
            let new = tokens::create(&conn, role, now_millis())?;
            eprintln!(
                "token {} created; it is shown only now, keep it safe",
                new.info.id
            );
            println!("{}", new.secret);
        }
        TokenCommand::List { json } => {
            let all = tokens::list(&conn)?;
            if json {
                for token in all {
                    println!("{}", serde_json::to_string(&token)?);
                }
            } else {
                println!(
                    "{:>4}  {:<8}  {:<20}  {:<20}  status",
                    "id", "role", "store", "kiosk"
                );
                for token in all {
                    let (role, store, kiosk) = match &token.role {
                        Role::Kiosk { store_id, kiosk_id } => {
                            ("kiosk", store_id.as_str(), kiosk_id.as_str())
                        }
                        Role::Manager { store_id } => {
                            ("manager", store_id.as_deref().unwrap_or("(all)"), "")
                        }
                    };
                    let status = match token.revoked_at {
                        Some(at) => format!("revoked {}", feedback_collector::report::rfc3339(at)),
                        None => "active".to_owned(),
                    };
                    println!(
                        "{:>4}  {role:<8}  {store:<20}  {kiosk:<20}  {status}",
                        token.id
                    );
                }
            }
        }
        TokenCommand::Revoke { id } => {
            anyhow::ensure!(
                tokens::revoke(&conn, id, now_millis())?,
                "there is no active token {id}"
            );
            eprintln!("token {id} revoked");
        }
    }
    Ok(())
}
