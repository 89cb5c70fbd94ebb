//! Storing a batch of responses exactly once.
//!
//! Each item is read and validated on its own, so one bad item never blocks
//! the rest. The valid ones are inserted in one transaction with
//! `ON CONFLICT (id) DO NOTHING`: a response already stored, by an earlier
//! request or by one racing this one, is reported as a duplicate and never
//! stored twice. SQLite serialises writers, so two identical batches sent at
//! once store each response exactly once.

use std::collections::HashSet;

use feedback_domain::wire::{BatchReply, RejectedItem, WireResponse};
use feedback_domain::{Factor, Response};
use rusqlite::{params, Connection, TransactionBehavior};
use serde_json::value::RawValue;

/// A response whose `created_at` is more than this far ahead of the
/// collector's clock is stored but flagged: the kiosk's clock is off.
pub const FUTURE_TOLERANCE_MS: i64 = 24 * 60 * 60 * 1000;

/// Who is posting: the kiosk and store its token was made for.
#[derive(Clone, Debug)]
pub struct Poster {
    /// The token's number.
    pub token_id: i64,
    /// The token's store.
    pub store_id: String,
    /// The token's kiosk.
    pub kiosk_id: String,
}

/// An item that read and validated, ready to insert.
struct Valid {
    id: String,
    response: Response,
}

/// Why a batch is refused as a whole.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// An item is for a store the token is not for.
    #[error("item {index} is for store {store_id:?}, but this token is for store {expected:?}")]
    WrongStore {
        /// The item's position.
        index: usize,
        /// The store it names.
        store_id: String,
        /// The token's store.
        expected: String,
    },
    /// The database failed.
    #[error(transparent)]
    Database(#[from] rusqlite::Error),
}

/// Reads, validates and stores `items`; `received_at` is the collector's clock.
pub fn ingest(
    conn: &mut Connection,
    poster: &Poster,
    items: &[Box<RawValue>],
    received_at: i64,
) -> Result<BatchReply, BatchError> {
    let mut reply = BatchReply::default();
    let mut valid = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        match read_item(item) {
            Ok((wire, response)) => {
                if wire.store_id != poster.store_id {
                    return Err(BatchError::WrongStore {
                        index,
                        store_id: wire.store_id,
                        expected: poster.store_id.clone(),
                    });
                }
                valid.push(Valid {
                    id: response.id.to_string(),
                    response,
                });
            }
            Err(reason) => reply.rejected.push(RejectedItem {
                index,
                id: item_id(item),
                reason,
            }),
        }
    }

    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    {
        let mut insert = tx.prepare_cached(
            "INSERT INTO responses (id, store_id, kiosk_id, created_at, received_at, clock_suspect,
                 friendliness, speed, comfort, hygiene, security, comment, complete, token_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
             ON CONFLICT (id) DO NOTHING",
        )?;
        let mut seen = HashSet::with_capacity(valid.len());
        for Valid { id, response } in &valid {
            let created_at = response.created_at.millis();
            let suspect = created_at > received_at.saturating_add(FUTURE_TOLERANCE_MS);
            let rating = |factor: Factor| response.ratings.get(factor).map(|r| r.value());
            let inserted = insert.execute(params![
                id,
                poster.store_id,
                poster.kiosk_id,
                created_at,
                received_at,
                suspect,
                rating(Factor::Friendliness),
                rating(Factor::Speed),
                rating(Factor::Comfort),
                rating(Factor::Hygiene),
                rating(Factor::Security),
                response.comment.as_ref().map(|c| c.as_str()),
                response.complete,
                poster.token_id,
            ])?;
            if !seen.insert(id.as_str()) {
                continue; // The same id twice in one batch: reported once.
            }
            reply.stored.push(id.clone());
            if inserted == 0 {
                reply.duplicates.push(id.clone());
            } else if suspect {
                reply.flagged.push(id.clone());
            }
        }
    }
    tx.commit()?;
    Ok(reply)
}

/// Reads and validates one item, or says why not.
fn read_item(item: &RawValue) -> Result<(WireResponse, Response), String> {
    let wire: WireResponse = serde_json::from_str(item.get()).map_err(|err| {
        // serde's message carries the position in the whole body; the
        // position inside one item says little, so keep only the reason.
        let text = err.to_string();
        match text.find(" at line ") {
            Some(cut) => text[..cut].to_owned(),
            None => text,
        }
    })?;
    let response = wire.validate().map_err(|err| err.to_string())?;
    Ok((wire, response))
}

/// The `id` an item was sent with, if it has a string one.
fn item_id(item: &RawValue) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: Option<serde_json::Value>,
    }
    let id_only: IdOnly = serde_json::from_str(item.get()).ok()?;
    id_only.id?.as_str().map(str::to_owned)
}
