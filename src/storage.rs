//! The kiosk's offline store: the one module that touches `localStorage`.
//!
//! # Layout (schema v1)
//!
//! Every key starts with [`SCHEMA_PREFIX`], so a later schema can find, read
//! and migrate this one, and anything else on the origin is left alone.
//!
//! - `fk1.c.<n>`: a chunk of at most [`CHUNK_RECORDS`] responses. Its first
//!   line is the JSON [`KioskIdentity`] the responses were taken under (kept
//!   once per chunk, not per response); each further line is one response in
//!   the compact form of [`feedback_domain::record`]. Saving appends to the
//!   newest chunk only, so its cost does not grow with the number stored.
//! - `fk1.kiosk`: the kiosk's settings ([`KioskSettings`]) as JSON.
//! - `fk1.faults`: the latest failures, in words, for the manager view.
//! - `fk1.sync`: what the kiosk remembers about syncing
//!   ([`feedback_domain::sync::SyncRecord`]) as JSON.
//! - `fk1.provisioned`: a fingerprint of the last `kiosk.json` applied, so
//!   an unchanged file does not undo settings changed on the kiosk.
//! - `fk1.pinlock`: wrong PINs so far and the lock they caused
//!   ([`feedback_domain::pin::PinLock`]), so a reload does not reset them.
//! - `fk1.rejects`: why the collector refused responses, as a JSON object
//!   from response id to reason (responses it refused are kept, marked
//!   rejected, and never sent again).
//!
//! A line or key that cannot be read is *set aside*: left exactly as it is,
//! counted in [`SetAside`], never sent, and never stops the rest from loading.
//! When the quota is reached, synced responses are pruned, oldest first;
//! pending and rejected ones are never dropped.

use std::collections::BTreeMap;
use std::rc::Rc;

use feedback_domain::pin::PinLock;
use feedback_domain::record::{self, RECORD_SEPARATOR};
use feedback_domain::sync::SyncRecord;
use feedback_domain::{KioskIdentity, OutboxEntry, Response, ResponseId, SyncState};
use gloo_storage::Storage as _;
use wasm_bindgen::JsCast;

use crate::codec;
use crate::settings::KioskSettings;

/// What every key of this schema starts with.
pub const SCHEMA_PREFIX: &str = "fk1.";
/// Prefix of the chunk keys; the chunk's number follows.
pub const CHUNK_PREFIX: &str = "fk1.c.";
/// Key of the kiosk's settings.
pub const SETTINGS_KEY: &str = "fk1.kiosk";
/// Key of the recent failures kept for the manager.
pub const FAULTS_KEY: &str = "fk1.faults";
/// Key of the sync record.
pub const SYNC_KEY: &str = "fk1.sync";
/// Key of the collector's reasons for refusing responses.
pub const REJECTS_KEY: &str = "fk1.rejects";
/// Key of the fingerprint of the last `kiosk.json` applied.
pub const PROVISIONED_KEY: &str = "fk1.provisioned";
/// Key of the PIN pad's wrong-PIN count and lock.
pub const PIN_LOCK_KEY: &str = "fk1.pinlock";
/// Keys of this schema other than chunks.
const KNOWN_KEYS: [&str; 6] = [
    SETTINGS_KEY,
    FAULTS_KEY,
    SYNC_KEY,
    REJECTS_KEY,
    PROVISIONED_KEY,
    PIN_LOCK_KEY,
];
/// Most responses in one chunk. Saving rewrites one chunk, so this bounds its cost.
pub const CHUNK_RECORDS: usize = 64;
/// How many recent failures are kept.
const MAX_FAULTS: usize = 20;
/// Keys that an earlier or later kiosk version may have written.
const FOREIGN_PREFIX: &str = "fk";

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
    /// Pending responses taken under the identity asked for, oldest first.
    pub responses: Vec<Response>,
    /// Every pending response under that identity, including those in the batch.
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
    /// The newest chunk seen; saves start looking here instead of listing keys.
    newest_chunk: Option<u32>,
}

impl ResponseStore {
    /// Opens the browser's `localStorage`.
    pub fn open() -> Result<ResponseStore, StorageError> {
        let window =
            web_sys::window().ok_or_else(|| StorageError::Unavailable("no window".into()))?;
        let storage = window
            .local_storage()
            .map_err(|err| StorageError::Unavailable(describe(&err)))?
            .ok_or_else(|| StorageError::Unavailable("no localStorage".into()))?;
        let mut store = ResponseStore {
            storage,
            newest_chunk: None,
        };
        store.newest_chunk = store.chunk_numbers()?.0.last().copied();
        Ok(store)
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

    /// Reads every stored response. Unreadable entries are counted, not dropped.
    pub fn load(&self) -> Result<Loaded, StorageError> {
        let mut loaded = Loaded::default();
        let (chunks, unknown_keys) = self.chunk_numbers()?;
        loaded.set_aside.unknown_keys = unknown_keys;
        for number in chunks {
            let Some(text) = self.get(&chunk_key(number))? else {
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

    /// Sets the sync state of the given responses; returns how many changed.
    ///
    /// Only chunks holding one of `ids` are rewritten.
    pub fn set_state(
        &mut self,
        ids: &[ResponseId],
        state: SyncState,
    ) -> Result<usize, StorageError> {
        let wanted: std::collections::HashSet<ResponseId> = ids.iter().copied().collect();
        let mut changed = 0;
        let (chunks, _) = self.chunk_numbers()?;
        for number in chunks {
            let key = chunk_key(number);
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
                            entry.state != state && wanted.contains(&entry.response.id)
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

    /// Up to `max` pending responses taken under `identity`, oldest first.
    pub fn pending(
        &self,
        identity: &KioskIdentity,
        max: usize,
    ) -> Result<PendingBatch, StorageError> {
        let loaded = self.load()?;
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

    /// The sync record; a default one when none is stored or it is unreadable.
    pub fn sync_record(&self) -> SyncRecord {
        self.get(SYNC_KEY)
            .ok()
            .flatten()
            .map(|text| codec::sync_record(&text))
            .unwrap_or_default()
    }

    /// Saves the sync record.
    pub fn save_sync_record(&mut self, record: &SyncRecord) -> Result<(), StorageError> {
        let json = codec::sync_record_json(record).ok_or_else(unwritable)?;
        self.put(SYNC_KEY, &json)
    }

    /// Marks `refused` responses rejected and keeps the collector's reasons.
    pub fn reject(&mut self, refused: &[(ResponseId, String)]) -> Result<usize, StorageError> {
        if refused.is_empty() {
            return Ok(0);
        }
        let mut reasons = self.rejections();
        for (id, reason) in refused {
            reasons.insert(id.to_string(), reason.clone());
        }
        let json = codec::string_map_json(reasons.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .ok_or_else(unwritable)?;
        // The reasons first: a rejected response without its reason would
        // leave the manager guessing.
        self.put(REJECTS_KEY, &json)?;
        let ids: Vec<ResponseId> = refused.iter().map(|(id, _)| *id).collect();
        self.set_state(&ids, SyncState::Rejected)
    }

    /// Why the collector refused responses: response id to reason.
    pub fn rejections(&self) -> BTreeMap<String, String> {
        self.get(REJECTS_KEY)
            .ok()
            .flatten()
            .map(|text| codec::string_map(&text).into_iter().collect())
            .unwrap_or_default()
    }

    /// The fingerprint of the last `kiosk.json` applied.
    pub fn provisioned(&self) -> Option<u64> {
        self.get(PROVISIONED_KEY).ok().flatten()?.parse().ok()
    }

    /// Records the fingerprint of the `kiosk.json` just applied.
    pub fn save_provisioned(&mut self, fingerprint: u64) -> Result<(), StorageError> {
        self.put(PROVISIONED_KEY, &fingerprint.to_string())
    }

    /// The PIN pad's state; none stored (or unreadable) reads as no failures.
    pub fn pin_lock(&self) -> PinLock {
        gloo_storage::LocalStorage::get(PIN_LOCK_KEY).unwrap_or_default()
    }

    /// Saves the PIN pad's state.
    pub fn save_pin_lock(&mut self, lock: &PinLock) -> Result<(), StorageError> {
        let json =
            serde_json::to_string(lock).map_err(|err| StorageError::Browser(err.to_string()))?;
        self.put(PIN_LOCK_KEY, &json)
    }

    /// The settings saved earlier, if any are readable.
    pub fn settings(&self) -> Option<KioskSettings> {
        codec::settings(&self.get(SETTINGS_KEY).ok().flatten()?)
    }

    /// Saves the kiosk's settings.
    pub fn save_settings(&mut self, settings: &KioskSettings) -> Result<(), StorageError> {
        let json = codec::settings_json(settings).ok_or_else(unwritable)?;
        self.put(SETTINGS_KEY, &json)
    }

    /// Records a failure in words for the manager view. Best effort: a failure
    /// to record a failure is not itself reported.
    pub fn record_fault(&mut self, at_millis: i64, message: &str) {
        let mut faults = self.faults();
        faults.push((at_millis, message.to_owned()));
        let excess = faults.len().saturating_sub(MAX_FAULTS);
        faults.drain(..excess);
        if let Some(json) = codec::faults_json(&faults) {
            let _ = self.put(FAULTS_KEY, &json);
        }
    }

    /// The latest recorded failures, oldest first, as (time in ms, message).
    pub fn faults(&self) -> Vec<(i64, String)> {
        self.get(FAULTS_KEY)
            .ok()
            .flatten()
            .map(|text| codec::faults(&text))
            .unwrap_or_default()
    }

    /// The key and new value that append `line` to the newest chunk, or start
    /// a new chunk when the newest is full or was taken under another identity.
    fn append_target(
        &mut self,
        identity: &KioskIdentity,
        line: &str,
    ) -> Result<(String, String), StorageError> {
        let header = codec::identity_line(identity);
        // Another tab of the kiosk may have started newer chunks since.
        while let Some(newest) = self.newest_chunk {
            if self.get(&chunk_key(newest + 1))?.is_none() {
                break;
            }
            self.newest_chunk = Some(newest + 1);
        }
        let mut next = 0;
        if let Some(newest) = self.newest_chunk {
            let key = chunk_key(newest);
            if let Some(text) = self.get(&key)? {
                let records = text.matches(RECORD_SEPARATOR).count();
                let same_identity = text.split(RECORD_SEPARATOR).next() == Some(header.as_str());
                if same_identity && records < CHUNK_RECORDS {
                    let mut value = String::with_capacity(text.len() + line.len() + 1);
                    value.push_str(&text);
                    value.push(RECORD_SEPARATOR);
                    value.push_str(line);
                    return Ok((key, value));
                }
            }
            next = newest + 1;
        }
        self.newest_chunk = Some(next);
        Ok((chunk_key(next), format!("{header}{RECORD_SEPARATOR}{line}")))
    }

    /// Deletes the synced responses of the oldest chunk that has any; returns
    /// how many were deleted (0: nothing may be pruned).
    fn prune_oldest_synced(&mut self) -> Result<usize, StorageError> {
        let (chunks, _) = self.chunk_numbers()?;
        for number in chunks {
            let key = chunk_key(number);
            let Some(text) = self.get(&key)? else {
                continue;
            };
            let mut lines = text.split(RECORD_SEPARATOR);
            let Some(header) = lines.next() else { continue };
            if codec::identity(header).is_none() {
                continue; // Set aside as a whole: never touched.
            }
            let mut kept = vec![header];
            let mut pruned = 0;
            for line in lines {
                let prunable = record::decode(line).is_ok_and(|entry| entry.state.may_be_pruned());
                if prunable {
                    pruned += 1;
                } else {
                    kept.push(line);
                }
            }
            if pruned == 0 {
                continue;
            }
            if kept.len() == 1 {
                self.remove(&key)?;
            } else {
                self.put(&key, &kept.join("\n"))?;
            }
            return Ok(pruned);
        }
        Ok(0)
    }

    /// The numbers of the chunks present, ascending, and how many keys of the
    /// kiosk's family this version does not know.
    fn chunk_numbers(&self) -> Result<(Vec<u32>, usize), StorageError> {
        let length = self
            .storage
            .length()
            .map_err(|err| StorageError::Browser(describe(&err)))?;
        let mut chunks = Vec::new();
        let mut unknown = 0;
        for index in 0..length {
            let Some(key) = self
                .storage
                .key(index)
                .map_err(|err| StorageError::Browser(describe(&err)))?
            else {
                continue;
            };
            if let Some(number) = key.strip_prefix(CHUNK_PREFIX) {
                match number.parse::<u32>() {
                    Ok(n) if chunk_key(n) == key => chunks.push(n),
                    _ => unknown += 1,
                }
            } else if key.starts_with(FOREIGN_PREFIX) && !KNOWN_KEYS.contains(&key.as_str()) {
                unknown += 1;
            }
        }
        chunks.sort_unstable();
        Ok((chunks, unknown))
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

    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        self.storage
            .remove_item(key)
            .map_err(|err| StorageError::Browser(describe(&err)))
    }
}

fn unwritable() -> StorageError {
    StorageError::Browser("the value could not be written as JSON".into())
}

/// The key of chunk `number`.
pub fn chunk_key(number: u32) -> String {
    format!("{CHUNK_PREFIX}{number}")
}

fn is_quota_error(err: &wasm_bindgen::JsValue) -> bool {
    err.dyn_ref::<web_sys::DomException>()
        .is_some_and(|e| e.name() == "QuotaExceededError" || e.code() == 22)
}

fn describe(err: &wasm_bindgen::JsValue) -> String {
    match err.dyn_ref::<web_sys::DomException>() {
        Some(e) => format!("{}: {}", e.name(), e.message()),
        None => err.as_string().unwrap_or_else(|| format!("{err:?}")),
    }
}
