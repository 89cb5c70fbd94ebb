//! `feedback-collector user …`: manager accounts for the dashboard.

use std::io::{BufRead, IsTerminal};

use clap::{Args, Subcommand};
use feedback_collector::accounts::{self, Scope};
use feedback_collector::alerts::digest::digest_from;
use feedback_collector::db::Location;
use feedback_collector::now_millis;
use feedback_collector::store::alerts::Digest;
use feedback_domain::alert::{DigestSettings, DEFAULT_DIGEST_HOUR};

use crate::tokens::open;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Make an account. The password is read from standard input when it
    /// is not a terminal (one line), otherwise asked twice.
    Create(Create),
    /// List accounts, their stores, their digests and whether they are disabled.
    List {
        /// One JSON object per line instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Disable an account: it can no longer sign in, and its sessions end.
    Disable {
        /// The account name.
        name: String,
    },
    /// Set a new password (read as for `create`); ends the account's
    /// sessions and enables it again if it was disabled.
    Password {
        /// The account name.
        name: String,
    },
    /// Mail the account a daily or weekly digest of its stores (needs the
    /// `[smtp]` section of the alerts file), or stop with `--digest off`.
    Digest {
        /// The account name.
        name: String,
        #[command(flatten)]
        digest: DigestArgs,
    },
}

/// A digest's settings.
#[derive(Args)]
pub struct DigestArgs {
    /// How often: daily (about the day before) or weekly (on Monday, about
    /// the week before); `off` stops it.
    #[arg(long, value_parser = ["daily", "weekly", "off"])]
    digest: Option<String>,
    /// Where it is mailed.
    #[arg(long)]
    email: Option<String>,
    /// The local hour it is sent at, 0–23.
    #[arg(long, default_value_t = DEFAULT_DIGEST_HOUR, value_parser = clap::value_parser!(u8).range(0..24))]
    digest_hour: u8,
    /// The IANA time zone of that hour and of the days it covers.
    #[arg(long, default_value = "UTC")]
    time_zone: String,
}

impl DigestArgs {
    /// The digest asked for: `None` for none or `off`.
    fn digest(&self) -> anyhow::Result<Option<Digest>> {
        let Some(frequency) = self.digest.clone() else {
            anyhow::ensure!(
                self.email.is_none(),
                "--email is where a digest goes: add --digest daily or --digest weekly"
            );
            return Ok(None);
        };
        digest_from(&DigestSettings {
            frequency,
            email: self.email.clone().unwrap_or_default(),
            hour: self.digest_hour,
            time_zone: self.time_zone.clone(),
        })
        .map_err(anyhow::Error::msg)
    }
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("scope").required(true).args(["store", "all_stores"])))]
pub struct Create {
    /// The name to sign in with.
    name: String,
    /// A store the account may read; repeat for several.
    #[arg(long)]
    store: Vec<String>,
    /// The account may read every store.
    #[arg(long)]
    all_stores: bool,
    #[command(flatten)]
    digest: DigestArgs,
}

/// A new password: one line of standard input when it is not a terminal,
/// otherwise typed twice without echo.
fn read_password() -> anyhow::Result<String> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ")?;
        let again = rpassword::prompt_password("Password again: ")?;
        anyhow::ensure!(
            first == again,
            "the two passwords differ; nothing was changed"
        );
        first
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    accounts::check_password(&password).map_err(anyhow::Error::msg)?;
    Ok(password)
}

pub fn user(location: &Location, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Create(create) => {
            accounts::check_name(&create.name).map_err(anyhow::Error::msg)?;
            let scope = if create.all_stores {
                Scope::AllStores
            } else {
                anyhow::ensure!(
                    create.store.iter().all(|s| !s.trim().is_empty()),
                    "a store id must not be empty"
                );
                Scope::Stores(create.store)
            };
            let digest = create.digest.digest()?;
            let hash = accounts::hash_password(&read_password()?)?;
            let (runtime, db) = open(location)?;
            let made = runtime.block_on(db.account_create(
                create.name.clone(),
                hash,
                scope,
                now_millis(),
            ))?;
            anyhow::ensure!(made, "there is already an account {:?}", create.name);
            if let Some(digest) = digest {
                runtime.block_on(db.digest_set(create.name.clone(), Some(digest)))?;
            }
            eprintln!(
                "account {:?} created; it can sign in at /dashboard/",
                create.name
            );
        }
        UserCommand::List { json } => {
            let (runtime, db) = open(location)?;
            let accounts = runtime.block_on(db.account_list())?;
            let digests: std::collections::HashMap<String, Digest> =
                runtime.block_on(db.digest_list())?.into_iter().collect();
            if !json {
                println!(
                    "{:<24}  {:<9}  {:<32}  stores",
                    "account", "state", "digest"
                );
            }
            for account in accounts {
                let digest = digests.get(&account.name);
                if json {
                    #[derive(serde::Serialize)]
                    struct Listed<'a> {
                        #[serde(flatten)]
                        account: &'a accounts::Account,
                        digest: Option<&'a Digest>,
                    }
                    println!(
                        "{}",
                        serde_json::to_string(&Listed {
                            account: &account,
                            digest
                        })?
                    );
                    continue;
                }
                let digest = digest.map_or_else(
                    || "none".to_owned(),
                    |d| format!("{} {:02}:00 {}", d.frequency.as_str(), d.hour, d.time_zone),
                );
                let state = if account.disabled_at.is_some() {
                    "disabled"
                } else {
                    "active"
                };
                let stores = match &account.scope {
                    Scope::AllStores => "(all stores)".to_owned(),
                    Scope::Stores(stores) => stores.join(", "),
                };
                println!("{:<24}  {state:<9}  {digest:<32}  {stores}", account.name);
            }
        }
        UserCommand::Disable { name } => {
            let (runtime, db) = open(location)?;
            let done = runtime.block_on(db.account_disable(name.clone(), now_millis()))?;
            anyhow::ensure!(done, "there is no active account {name:?}");
            eprintln!("account {name:?} is disabled and signed out everywhere");
        }
        UserCommand::Password { name } => {
            let hash = accounts::hash_password(&read_password()?)?;
            let (runtime, db) = open(location)?;
            let done = runtime.block_on(db.account_set_password(name.clone(), hash))?;
            anyhow::ensure!(done, "there is no account {name:?}");
            eprintln!("account {name:?} has a new password; its sessions have ended");
        }
        UserCommand::Digest { name, digest } => {
            anyhow::ensure!(
                digest.digest.is_some(),
                "say --digest daily, --digest weekly or --digest off"
            );
            let digest = digest.digest()?;
            let (runtime, db) = open(location)?;
            let said = match &digest {
                Some(d) => format!(
                    "account {name:?} gets a {} digest at {:02}:00 ({}) at {}",
                    d.frequency.as_str(),
                    d.hour,
                    d.time_zone,
                    d.email
                ),
                None => format!("account {name:?} gets no digest"),
            };
            let done = runtime.block_on(db.digest_set(name.clone(), digest))?;
            anyhow::ensure!(done, "there is no account {name:?}");
            eprintln!("{said}");
        }
    }
    Ok(())
}
