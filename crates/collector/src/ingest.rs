//! Storing a batch of responses exactly once.
//!
//! Each item is read and validated on its own, so one bad item never blocks
//! the rest. The valid ones are inserted in one transaction with
//! `ON CONFLICT (id) DO NOTHING`. An id the collector already has is a
//! duplicate only when it is the same response from the same kiosk (a
//! resend after a lost reply); otherwise the item is refused, so a kiosk is
//! never told "stored" for data the collector does not hold. The engine
//! inserts if absent, in one transaction that also updates the rollups for
//! exactly the responses it inserted, so two identical batches sent at once
//! store and count each response exactly once.

use std::collections::HashSet;

use feedback_domain::wire::{
    clock_suspect, reasons_to_wire, BatchReply, RejectedItem, WireResponse,
};
use feedback_domain::{strip_hidden_controls, Factor, Response};
use serde_json::value::RawValue;

use crate::store::{NewResponse, Outcome, Store, StoreError};

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

/// What makes two stored responses the same one.
#[derive(Clone, Debug, PartialEq)]
pub struct Content {
    /// The store.
    pub store_id: String,
    /// The kiosk.
    pub kiosk_id: String,
    /// When the kiosk saved it, ms since the epoch.
    pub created_at: i64,
    /// Ratings 1–5 in [`Factor::ALL`] order.
    pub ratings: [Option<u8>; 5],
    /// The comment, if any.
    pub comment: Option<String>,
    /// Sent by the customer.
    pub complete: bool,
    /// The language it was given in, if recorded.
    pub lang: Option<String>,
    /// The reasons chosen after low ratings, as their wire JSON
    /// (`{"speed":["long_queue"]}`, factors in key order); `None` when none.
    pub reasons: Option<String>,
}

impl Content {
    /// The content of `response` posted by `poster`.
    pub fn of(response: &Response, poster: &Poster) -> Content {
        Content {
            store_id: poster.store_id.clone(),
            kiosk_id: poster.kiosk_id.clone(),
            created_at: response.created_at.millis(),
            ratings: Factor::ALL.map(|f| response.ratings.get(f).map(|r| r.value())),
            comment: response.comment.as_ref().map(|c| c.as_str().to_owned()),
            complete: response.complete,
            lang: response.lang.map(|l| l.as_str().to_owned()),
            reasons: reasons_to_wire(&response.reasons)
                .and_then(|map| serde_json::to_string(&map).ok()),
        }
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
    Store(#[from] StoreError),
}

/// Reads and validates `items`: the valid ones (with their positions), and
/// a reply listing the invalid ones.
pub fn validate(
    poster: &Poster,
    items: &[Box<RawValue>],
) -> Result<(Vec<(usize, NewResponse)>, BatchReply), BatchError> {
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
                valid.push((
                    index,
                    NewResponse {
                        id: response.id.to_string(),
                        content: Content::of(&response, poster),
                    },
                ));
            }
            Err(reason) => reply.rejected.push(RejectedItem {
                index,
                id: item_id(item),
                reason,
            }),
        }
    }
    Ok((valid, reply))
}

/// Reads, validates and stores `items` through `store`; `received_at` is
/// the collector's clock. With the reply, when the newest response inserted
/// now was made (`None`: none was inserted), for the alert rules.
pub async fn ingest(
    store: &dyn Store,
    poster: &Poster,
    items: &[Box<RawValue>],
    received_at: i64,
) -> Result<(BatchReply, Option<i64>), BatchError> {
    let (valid, mut reply) = validate(poster, items)?;
    let (indexes, responses): (Vec<usize>, Vec<NewResponse>) = valid.into_iter().unzip();
    let created: Vec<i64> = responses.iter().map(|r| r.content.created_at).collect();
    let ids: Vec<String> = responses.iter().map(|r| r.id.clone()).collect();
    let outcomes = store
        .insert_batch(poster.clone(), responses, received_at)
        .await?;
    let mut seen = HashSet::with_capacity(ids.len());
    let mut newest_inserted = None;
    for (((index, id), created_at), outcome) in
        indexes.into_iter().zip(ids).zip(created).zip(outcomes)
    {
        match outcome {
            Outcome::Inserted => {
                seen.insert(id.clone());
                newest_inserted = newest_inserted.max(Some(created_at));
                if clock_suspect(created_at, received_at) {
                    reply.flagged.push(id.clone());
                }
                reply.stored.push(id);
            }
            Outcome::IdInUse => reply.rejected.push(RejectedItem {
                index,
                id: Some(id),
                reason: ID_IN_USE.to_owned(),
            }),
            // The same response twice in one batch is reported once.
            Outcome::Duplicate if seen.insert(id.clone()) => {
                reply.stored.push(id.clone());
                reply.duplicates.push(id);
            }
            Outcome::Duplicate => {}
        }
    }
    reply.rejected.sort_by_key(|item| item.index);
    Ok((reply, newest_inserted))
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
