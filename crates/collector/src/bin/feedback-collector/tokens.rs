//! `feedback-collector token …` and `feedback-collector kiosk …`.

use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Subcommand};

use feedback_collector::db::Location;
use feedback_collector::now_millis;
use feedback_collector::store::{self, Store};
use feedback_collector::tokens::Role;

#[derive(Subcommand)]
pub enum TokenCommand {
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
pub struct Create {
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

#[derive(Subcommand)]
pub enum KioskCommand {
    /// Print a one-time code (valid 24 hours, single use) that the kiosk
    /// exchanges for its token on its setup screen or in `kiosk.json`.
    Enroll {
        /// The store the kiosk stands in.
        #[arg(long)]
        store: String,
        /// The kiosk.
        #[arg(long)]
        kiosk: String,
        /// Print `{"code", "store_id", "kiosk_id", "expires_at"}` instead.
        #[arg(long)]
        json: bool,
    },
}

pub fn kiosk(location: &Location, command: KioskCommand) -> anyhow::Result<()> {
    let KioskCommand::Enroll { store, kiosk, json } = command;
    anyhow::ensure!(
        !store.trim().is_empty() && !kiosk.trim().is_empty(),
        "--store and --kiosk must not be empty"
    );
    let (runtime, db) = open(location)?;
    let new = runtime.block_on(db.enrollment_create(store.clone(), kiosk.clone(), now_millis()))?;
    if json {
        println!("{}", serde_json::to_string(&new)?);
    } else {
        eprintln!(
            "enrollment code for kiosk {kiosk:?} in store {store:?}; single use, valid until {}",
            feedback_collector::report::rfc3339(new.expires_at)
        );
        println!("{}", new.code);
    }
    Ok(())
}

/// The database at `location` (a SQLite file is created if missing) on a
/// single connection, and a runtime to ask it things on.
pub fn open(location: &Location) -> anyhow::Result<(tokio::runtime::Runtime, Arc<dyn Store>)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let db = runtime.block_on(store::open(location, 1, Duration::from_secs(5)))?;
    Ok((runtime, db))
}

pub fn token(location: &Location, command: TokenCommand) -> anyhow::Result<()> {
    let (runtime, db) = open(location)?;
    match command {
        TokenCommand::Create(create) => {
            let role = match (create.kiosk, create.store) {
                (Some(kiosk_id), Some(store_id)) => Role::Kiosk { store_id, kiosk_id },
                (Some(_), None) => anyhow::bail!("a kiosk token needs --store"),
                (None, store_id) => Role::Manager { store_id },
            };
            let new = runtime.block_on(db.token_create(role, now_millis()))?;
            eprintln!(
                "token {} created; it is shown only now, keep it safe",
                new.info.id
            );
            println!("{}", new.secret);
        }
        TokenCommand::List { json } => {
            let all = runtime.block_on(db.token_list())?;
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
                runtime.block_on(db.token_revoke(id, now_millis()))?,
                "there is no active token {id}"
            );
            eprintln!("token {id} revoked");
        }
    }
    Ok(())
}
