//! The small keys beside the response log: settings, the manager's PIN and
//! its lock, the sync record, the collector's reasons, provisioning and
//! faults. Each is one JSON (or decimal) value, read whole and written whole.

use feedback_domain::pin::{PinHash, PinLock};
use feedback_domain::sync::SyncRecord;
use feedback_domain::{ResponseId, SyncState};

use super::{ResponseStore, StorageError, HEARTBEAT_PREFIX};
use crate::codec;
use feedback_domain::settings::KioskSettings;

/// Key of the kiosk's settings.
pub const SETTINGS_KEY: &str = "fk1.kiosk";
/// Key of a copy of the manager PIN's hash, so damaged settings can still
/// be unlocked by the manager and nobody else.
pub const PIN_KEY: &str = "fk1.pin";
/// Key of the recent failures kept for the manager.
pub const FAULTS_KEY: &str = "fk1.faults";
/// Key of the sync record.
pub const SYNC_KEY: &str = "fk1.sync";
/// Key of the collector's reasons for refusing responses.
pub const REJECTS_KEY: &str = "fk1.rejects";
/// Key of the fingerprint of the last `kiosk.json` applied.
pub const PROVISIONED_KEY: &str = "fk1.provisioned";
/// Key of the PIN pad's wrong-PIN count and lock, shared by every tab.
pub const PIN_LOCK_KEY: &str = "fk1.pinlock";
/// Keys of this schema other than chunks and heartbeats.
pub(super) const KNOWN_KEYS: [&str; 7] = [
    SETTINGS_KEY,
    PIN_KEY,
    FAULTS_KEY,
    SYNC_KEY,
    REJECTS_KEY,
    PROVISIONED_KEY,
    PIN_LOCK_KEY,
];
/// How many recent failures are kept.
const MAX_FAULTS: usize = 20;

/// The settings as found in storage.
// Read once when a page starts and moved into a signal: no need to box.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoredSettings {
    /// Nothing stored: a new kiosk.
    Missing,
    /// Readable settings.
    Readable(KioskSettings),
    /// Something is stored but cannot be read. The kiosk stays out of
    /// service until the manager unlocks it or `kiosk.json` provisions it.
    Damaged,
}

fn unwritable() -> StorageError {
    StorageError::Browser("the value could not be written as JSON".into())
}

impl ResponseStore {
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
            let id = id.to_string();
            match reasons.iter_mut().find(|(known, _)| *known == id) {
                Some(entry) => entry.1 = reason.clone(),
                None => reasons.push((id, reason.clone())),
            }
        }
        let json = codec::string_map_json(reasons.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .ok_or_else(unwritable)?;
        // The reasons first: a rejected response without its reason would
        // leave the manager guessing.
        self.put(REJECTS_KEY, &json)?;
        let ids: Vec<ResponseId> = refused.iter().map(|(id, _)| *id).collect();
        self.set_state(&ids, SyncState::Rejected)
    }

    /// Why the collector refused responses: `(response id, reason)`, each
    /// id once, in the order refused. (A list, not a map: a map's code is
    /// kilobytes the customer kiosk would carry for a handful of entries.)
    pub fn rejections(&self) -> Vec<(String, String)> {
        self.get(REJECTS_KEY)
            .ok()
            .flatten()
            .map(|text| codec::string_map(&text))
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
        self.get(PIN_LOCK_KEY)
            .ok()
            .flatten()
            .map(|text| codec::pin_lock(&text))
            .unwrap_or_default()
    }

    /// Saves the PIN pad's state.
    pub fn save_pin_lock(&mut self, lock: &PinLock) -> Result<(), StorageError> {
        let json = codec::pin_lock_json(lock).ok_or_else(|| {
            StorageError::Browser("the PIN lock could not be written as JSON".into())
        })?;
        self.put(PIN_LOCK_KEY, &json)
    }

    /// The settings saved earlier, if any are readable.
    pub fn settings(&self) -> Option<KioskSettings> {
        match self.stored_settings() {
            StoredSettings::Readable(settings) => Some(settings),
            _ => None,
        }
    }

    /// The settings, or whether they are missing or damaged.
    pub fn stored_settings(&self) -> StoredSettings {
        match self.get(SETTINGS_KEY) {
            Ok(None) => StoredSettings::Missing,
            Ok(Some(text)) => match codec::settings(&text) {
                Some(settings) => StoredSettings::Readable(settings),
                None => StoredSettings::Damaged,
            },
            Err(_) => StoredSettings::Damaged,
        }
    }

    /// The manager PIN's hash: from the settings, or from its own copy when
    /// the settings are damaged.
    pub fn manager_pin(&self) -> Option<PinHash> {
        self.settings()
            .and_then(|s| s.manager_pin)
            .or_else(|| codec::pin_hash(&self.get(PIN_KEY).ok().flatten()?))
    }

    /// Saves the kiosk's settings (and a copy of the PIN's hash).
    pub fn save_settings(&mut self, settings: &KioskSettings) -> Result<(), StorageError> {
        let json = codec::settings_json(settings).ok_or_else(unwritable)?;
        if let Some(pin) = settings.manager_pin.as_ref().and_then(codec::pin_hash_json) {
            self.put(PIN_KEY, &pin)?;
        }
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

    /// When `writer` last said it was alive (pages without Web Locks).
    pub fn heartbeat(&self, writer: &str) -> Option<i64> {
        self.get(&format!("{HEARTBEAT_PREFIX}{writer}"))
            .ok()
            .flatten()?
            .parse()
            .ok()
    }
}
