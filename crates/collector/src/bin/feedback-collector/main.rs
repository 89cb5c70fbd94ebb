//! `feedback-collector`: the service, and the commands that manage its
//! tokens and enroll kiosks.

mod serve;
mod stores;
mod tokens;
mod users;

use clap::{Parser, Subcommand};
use feedback_collector::db::Location;
use tracing_subscriber::EnvFilter;

/// Collects feedback kiosk responses into SQLite or PostgreSQL, exactly
/// once, and serves
/// summaries, CSV exports and the kiosk app.
#[derive(Parser)]
#[command(name = "feedback-collector", version)]
struct Cli {
    /// The database: a SQLite file (a path, or sqlite:PATH), created with its
    /// schema when missing; or a PostgreSQL server,
    /// postgres://user:password@host:5432/name, which several collectors
    /// can share.
    #[arg(
        long,
        env = "FEEDBACK_DB",
        default_value = "feedback.sqlite",
        global = true
    )]
    db: Location,
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
    Serve(serve::Serve),
    /// Create, list and revoke access tokens.
    #[command(subcommand)]
    Token(tokens::TokenCommand),
    /// Enroll kiosks: one-time codes a kiosk exchanges for its token.
    #[command(subcommand)]
    Kiosk(tokens::KioskCommand),
    /// Stores: their time zones, which set the local hours, days and weeks
    /// of reports.
    #[command(subcommand)]
    Store(stores::StoreCommand),
    /// Manager accounts that sign in to the dashboard at /dashboard/.
    #[command(subcommand)]
    User(users::UserCommand),
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
    let db = &cli.db;
    let done = match cli.command {
        Command::Serve(serve) => serve::run(db, serve),
        Command::Token(command) => tokens::token(db, command),
        Command::Kiosk(command) => tokens::kiosk(db, command),
        Command::Store(command) => stores::store(db, command),
        Command::User(command) => users::user(db, command),
    };
    match done {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("feedback-collector: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
