//! The kiosk's offline store: the one module that touches `localStorage`.
//!
//! # Layout (schema v1)
//!
//! Every key starts with [`SCHEMA_PREFIX`], so a later schema can find, read
//! and migrate this one, and anything else on the origin is left alone.
//!
//! - `fk1.c.<writer>.<n>`: chunk `n` of the page (tab) `writer`, at most
//!   [`CHUNK_RECORDS`] responses (`fk1.c.<n>`: written before writers
//!   existed). Its first line is the JSON [`KioskIdentity`] the responses
//!   were taken under (kept once per chunk, not per response); each further
//!   line is one response in the compact form of [`feedback_domain::record`].
//!   Saving appends to this page's newest chunk only, so its cost does not
//!   grow with the number stored, and no two tabs ever write one chunk
//!   ([`owners`]).
//! - `fk1.live.<writer>`: a writer's heartbeat, where Web Locks are missing.
//! - the small keys of [`records`]: settings, faults, the sync record,
//!   provisioning, the PIN lock and the collector's reasons for refusals.
//!
//! A line or key that cannot be read is *set aside*: left exactly as it is,
//! counted in [`SetAside`], never sent, and never stops the rest from loading.
//! When the quota is reached, synced responses are pruned, oldest first;
//! pending and rejected ones are never dropped.

mod chunks;
pub mod owners;
mod records;

use std::rc::Rc;

use feedback_domain::record::{self, RECORD_SEPARATOR};
use feedback_domain::{KioskIdentity, OutboxEntry, Response, ResponseId, SyncState};
use wasm_bindgen::JsCast;

pub use chunks::{chunk_key, ChunkKey};
pub use records::StoredSettings;
pub use records::{
    FAULTS_KEY, PIN_KEY, PIN_LOCK_KEY, PROVISIONED_KEY, REJECTS_KEY, SETTINGS_KEY, SYNC_KEY,
};

use crate::codec;

/// What every key of this schema starts with.
pub const SCHEMA_PREFIX: &str = "fk1.";
/// Prefix of the chunk keys; the writer and the chunk's number follow.
pub const CHUNK_PREFIX: &str = "fk1.c.";
/// Prefix of the writers' heartbeats.
pub const HEARTBEAT_PREFIX: &str = "fk1.live.";
/// Most responses in one chunk. Saving rewrites one chunk, so this bounds its cost.
pub const CHUNK_RECORDS: usize = 64;

/// Why the store cannot do what was asked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    /// The browser offers no `localStorage` (disabled, or blocked by policy).
    #[error("local storage is not available: {0}")]
    Unavailable(String),
    /// The quota is reached and nothing may be pruned to make room.
    #[error("local storage is full and holds nothing that may be pruned")]
    Full,
    /// The browser refused for another reason.
    #[error("local storage failed: {0}")]
    Browser(String),
}

/// What could not be read, and was kept untouched rather than dropped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SetAside {
    /// Lines inside chunks that are not valid responses, or chunks whose
    /// identity line is unreadable (each of their lines counts).
    pub corrupt_records: usize,
    /// Keys of this kiosk's family that this version does not know.
    pub unknown_keys: usize,
}

impl SetAside {
    /// Everything set aside.
    pub fn total(&self) -> usize {
        self.corrupt_records + self.unknown_keys
    }
}

/// A response read back from storage, with the kiosk identity it was taken under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredResponse {
    /// Store and kiosk at the time the response was saved.
    pub identity: Rc<KioskIdentity>,
    /// The response and its sync state.
    pub entry: OutboxEntry,
}

/// Everything the store holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    /// Readable responses, oldest chunk first, in saving order.
    pub responses: Vec<StoredResponse>,
    /// What could not be read.
    pub set_aside: SetAside,
}

/// The next responses to send, and how many wait in all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PendingBatch {
    /// Pending responses taken under the identity asked for, in chunks this
    /// page owns, oldest first.
    pub responses: Vec<Response>,
    /// Every such pending response, including those in the batch.
    pub pending: usize,
    /// Pending responses taken under another store or kiosk id. They are not
    /// sent with this kiosk's token; the manager view shows them.
    pub other_identity: usize,
}

/// What saving did besides storing the response.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SaveOutcome {
    /// Synced responses deleted to make room.
    pub pruned: usize,
}

/// The kiosk's durable outbox in `localStorage`.
pub struct ResponseStore {
    storage: web_sys::Storage,
    /// This page's writer id: the only chunks it appends to.
    writer: String,
    /// This writer's newest chunk, once known.
    newest_chunk: Option<u32>,
}

impl ResponseStore {
    /// Opens the browser's `localStorage` as this page's writer.
    pub fn open() -> Result<ResponseStore, StorageError> {
        Self::open_as(owners::own_writer())
    }

    /// Opens the store appending as `writer` (tests stand for other tabs this way).
    #[doc(hidden)]
    pub fn open_as(writer: String) -> Result<ResponseStore, StorageError> {
        let window =
            web_sys::window().ok_or_else(|| StorageError::Unavailable("no window".into()))?;
        let storage = window
            .local_storage()
            .map_err(|err| StorageError::Unavailable(describe(&err)))?
            .ok_or_else(|| StorageError::Unavailable("no localStorage".into()))?;
        Ok(ResponseStore {
            storage,
            writer,
            newest_chunk: None,
        })
    }

    /// The writer id this store appends as.
    pub fn writer(&self) -> &str {
        &self.writer
    }

    /// Saves a new response as pending; returns once it is durably stored.
    ///
    /// When the quota is reached, synced responses are pruned oldest first
    /// until the response fits; if none are left, [`StorageError::Full`].
    pub fn save(
        &mut self,
        identity: &KioskIdentity,
        response: &Response,
    ) -> Result<SaveOutcome, StorageError> {
        let line = record::encode(&OutboxEntry::pending(response.clone()));
        let mut outcome = SaveOutcome::default();
        loop {
            let (key, value) = self.append_target(identity, &line)?;
            match self.storage.set_item(&key, &value) {
                Ok(()) => return Ok(outcome),
                Err(err) if is_quota_error(&err) => match self.prune_oldest_synced()? {
                    0 => return Err(StorageError::Full),
                    pruned => outcome.pruned += pruned,
                },
                Err(err) => return Err(StorageError::Browser(describe(&err))),
            }
        }
    }

    /// Reads every stored response, whoever wrote it. Unreadable entries
    /// are counted, not dropped.
    pub fn load(&self) -> Result<Loaded, StorageError> {
        self.load_where(|_| true)
    }

    fn load_where(&self, wanted: impl Fn(&ChunkKey) -> bool) -> Result<Loaded, StorageError> {
        let mut loaded = Loaded::default();
        let (chunks, unknown_keys) = self.chunk_keys()?;
        loaded.set_aside.unknown_keys = unknown_keys;
        for chunk in chunks.iter().filter(|c| wanted(c)) {
            let Some(text) = self.get(&chunk.key())? else {
                continue;
            };
            let mut lines = text.split(RECORD_SEPARATOR);
            let identity = lines.next().and_then(codec::identity);
            let Some(identity) = identity.map(Rc::new) else {
                loaded.set_aside.corrupt_records += text.split(RECORD_SEPARATOR).count();
                continue;
            };
            for line in lines {
                match record::decode(line) {
                    Ok(entry) => loaded.responses.push(StoredResponse {
                        identity: Rc::clone(&identity),
                        entry,
                    }),
                    Err(_) => loaded.set_aside.corrupt_records += 1,
                }
            }
        }
        Ok(loaded)
    }

    /// Sets the sync state of the given responses in the chunks this page
    /// owns; returns how many changed.
    ///
    /// Only chunks holding one of `ids` are rewritten.
    pub fn set_state(
        &mut self,
        ids: &[ResponseId],
        state: SyncState,
    ) -> Result<usize, StorageError> {
        // A linear search: it only runs for lines not yet in `state` (about a
        // batch), and a hash set's code is kilobytes the customer kiosk
        // would carry.
        let mut changed = 0;
        for chunk in self.owned_chunks()? {
            let key = chunk.key();
            let Some(text) = self.get(&key)? else {
                continue;
            };
            let mut chunk_changed = 0;
            let lines: Vec<String> = text
                .split(RECORD_SEPARATOR)
                .enumerate()
                .map(|(i, line)| {
                    let hit = i > 0
                        && record::decode(line).is_ok_and(|entry| {
                            entry.state != state && ids.contains(&entry.response.id)
                        });
                    match hit.then(|| record::with_state(line, state)).flatten() {
                        Some(updated) => {
                            chunk_changed += 1;
                            updated
                        }
                        None => line.to_owned(),
                    }
                })
                .collect();
            if chunk_changed > 0 {
                self.put(&key, &lines.join("\n"))?;
                changed += chunk_changed;
            }
        }
        Ok(changed)
    }

    /// Up to `max` pending responses taken under `identity`, in the chunks
    /// this page owns (others are sent by the tabs that own them), oldest
    /// first: each writer's in the order saved, and writers in the order their
    /// pages started (a writer id begins with its start time).
    pub fn pending(
        &self,
        identity: &KioskIdentity,
        max: usize,
    ) -> Result<PendingBatch, StorageError> {
        let loaded = self.load_where(|chunk| owners::owns(&chunk.writer))?;
        let mut batch = PendingBatch::default();
        for stored in loaded.responses {
            if !stored.entry.state.is_pending() {
                continue;
            }
            if *stored.identity != *identity {
                batch.other_identity += 1;
                continue;
            }
            batch.pending += 1;
            if batch.responses.len() < max {
                batch.responses.push(stored.entry.response);
            }
        }
        Ok(batch)
    }

    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        self.storage
            .get_item(key)
            .map_err(|err| StorageError::Browser(describe(&err)))
    }

    fn put(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        self.storage.set_item(key, value).map_err(|err| {
            if is_quota_error(&err) {
                StorageError::Full
            } else {
                StorageError::Browser(describe(&err))
            }
        })
    }

    /// Writes a value whose loss costs nothing but a little freshness.
    pub(crate) fn put_best_effort(&mut self, key: &str, value: &str) {
        let _ = self.put(key, value);
    }

    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        self.storage
            .remove_item(key)
            .map_err(|err| StorageError::Browser(describe(&err)))
    }
}

fn is_quota_error(err: &wasm_bindgen::JsValue) -> bool {
    err.dyn_ref::<web_sys::DomException>()
        .is_some_and(|e| e.name() == "QuotaExceededError" || e.code() == 22)
}

fn describe(err: &wasm_bindgen::JsValue) -> String {
    match err.dyn_ref::<web_sys::DomException>() {
        Some(e) => format!("{}: {}", e.name(), e.message()),
        None => err
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| err.as_string())
            .unwrap_or_else(|| "unknown error".into()),
    }
}
