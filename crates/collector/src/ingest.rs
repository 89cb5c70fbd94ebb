//! Storing a batch of responses exactly once.
//!
//! Each item is read and validated on its own, so one bad item never blocks
//! the rest. The valid ones are inserted in one transaction with
//! `ON CONFLICT (id) DO NOTHING`. An id the collector already has is a
//! duplicate only when it is the same response from the same kiosk (a
//! resend after a lost reply); otherwise the item is refused, so a kiosk is
//! never told "stored" for data the collector does not hold. SQLite
//! serialises writers, so two identical batches sent at once store each
//! response exactly once.

use std::collections::HashSet;

use feedback_domain::wire::{clock_suspect, BatchReply, RejectedItem, WireResponse};
use feedback_domain::{strip_hidden_controls, Factor, Response};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde_json::value::RawValue;

/// Why an item whose id the collector already holds, with other content or
/// from another kiosk, is refused. The same words whatever the cause, so a
/// reply never tells whether an id exists elsewhere.
pub const ID_IN_USE: &str = "id already used by another response";

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
    index: usize,
    id: String,
    response: Response,
}

/// What makes two stored responses the same one.
#[derive(Debug, PartialEq)]
struct Content {
    store_id: String,
    kiosk_id: String,
    created_at: i64,
    ratings: [Option<u8>; 5],
    comment: Option<String>,
    complete: bool,
}

impl Content {
    fn of(response: &Response, poster: &Poster) -> Content {
        Content {
            store_id: poster.store_id.clone(),
            kiosk_id: poster.kiosk_id.clone(),
            created_at: response.created_at.millis(),
            ratings: Factor::ALL.map(|f| response.ratings.get(f).map(|r| r.value())),
            comment: response.comment.as_ref().map(|c| c.as_str().to_owned()),
            complete: response.complete,
        }
    }

    fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Content> {
        Ok(Content {
            store_id: row.get(0)?,
            kiosk_id: row.get(1)?,
            created_at: row.get(2)?,
            ratings: [
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
                row.get(6)?,
                row.get(7)?,
            ],
            comment: row.get(8)?,
            complete: row.get(9)?,
        })
    }
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
                    index,
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
        let mut existing = tx.prepare_cached(
            "SELECT store_id, kiosk_id, created_at, friendliness, speed, comfort, hygiene,
                    security, comment, complete
             FROM responses WHERE id = ?1",
        )?;
        let mut seen = HashSet::with_capacity(valid.len());
        for Valid {
            index,
            id,
            response,
        } in &valid
        {
            let content = Content::of(response, poster);
            let suspect = clock_suspect(content.created_at, received_at);
            let [friendliness, speed, comfort, hygiene, security] = content.ratings;
            let inserted = insert.execute(params![
                id,
                content.store_id,
                content.kiosk_id,
                content.created_at,
                received_at,
                suspect,
                friendliness,
                speed,
                comfort,
                hygiene,
                security,
                content.comment,
                content.complete,
                poster.token_id,
            ])?;
            if inserted == 1 {
                seen.insert(id.as_str());
                reply.stored.push(id.clone());
                if suspect {
                    reply.flagged.push(id.clone());
                }
                continue;
            }
            let stored = existing.query_row([id], Content::read).optional()?;
            if stored.as_ref() != Some(&content) {
                reply.rejected.push(RejectedItem {
                    index: *index,
                    id: Some(id.clone()),
                    reason: ID_IN_USE.to_owned(),
                });
            } else if seen.insert(id.as_str()) {
                reply.stored.push(id.clone());
                reply.duplicates.push(id.clone());
            }
            // Else the same response twice in one batch: reported once.
        }
    }
    tx.commit()?;
    reply.rejected.sort_by_key(|item| item.index);
    Ok(reply)
}

/// Reads and validates one item, or says why not. NUL and bidirectional
/// controls are taken out of its comment first.
fn read_item(item: &RawValue) -> Result<(WireResponse, Response), String> {
    let mut wire: WireResponse = serde_json::from_str(item.get()).map_err(|err| {
        // serde's message carries the position in the whole body; the
        // position inside one item says little, so keep only the reason.
        let text = err.to_string();
        match text.find(" at line ") {
            Some(cut) => text[..cut].to_owned(),
            None => text,
        }
    })?;
    if let Some(comment) = &mut wire.comment {
        if let std::borrow::Cow::Owned(clean) = strip_hidden_controls(comment) {
            *comment = clean;
        }
    }
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
