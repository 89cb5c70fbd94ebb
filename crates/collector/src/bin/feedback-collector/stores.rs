//! `feedback-collector store …`.

use clap::Subcommand;
use feedback_collector::db::Location;
use feedback_collector::store::StoreError;
use feedback_collector::zones;

use crate::tokens::open;

#[derive(Subcommand)]
pub enum StoreCommand {
    /// Set a store's time zone (an IANA name such as Europe/Madrid; stores
    /// are in UTC until set). Reports cut hours, days and weeks in it.
    Set {
        /// The store.
        store: String,
        /// Its IANA time zone, for example Europe/Madrid or Asia/Kolkata.
        #[arg(long)]
        time_zone: String,
        /// Set it even though no response, token or enrollment code names
        /// the store yet (otherwise refused, to catch a mistyped id).
        #[arg(long)]
        create: bool,
    },
    /// List the stores known from responses, tokens, enrollment codes and
    /// settings, with their time zones.
    List {
        /// One JSON object per line instead of a table.
        #[arg(long)]
        json: bool,
    },
}

pub fn store(location: &Location, command: StoreCommand) -> anyhow::Result<()> {
    let (runtime, db) = open(location)?;
    match command {
        StoreCommand::Set {
            store,
            time_zone,
            create,
        } => {
            anyhow::ensure!(!store.trim().is_empty(), "the store id must not be empty");
            let (name, _) = zones::parse(&time_zone).map_err(anyhow::Error::msg)?;
            match runtime.block_on(db.store_set_time_zone(store.clone(), name.clone(), create)) {
                Ok(()) => eprintln!("store {store:?} is now in {name}"),
                Err(StoreError::UnknownStore(_)) => anyhow::bail!(
                    "no response, token or enrollment code names store {store:?}; \
                     check the id, or add --create to set it up ahead"
                ),
                Err(err) => return Err(err.into()),
            }
        }
        StoreCommand::List { json } => {
            let stores = runtime.block_on(db.store_list())?;
            if json {
                for store in stores {
                    println!("{}", serde_json::to_string(&store)?);
                }
            } else {
                println!("{:<24}  {:<32}  responses", "store", "time zone");
                for store in stores {
                    println!(
                        "{:<24}  {:<32}  {}",
                        store.store_id, store.time_zone, store.responses
                    );
                }
            }
        }
    }
    Ok(())
}
