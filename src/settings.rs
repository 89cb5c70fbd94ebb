//! The kiosk's settings: who it is and how long it waits.

use feedback_domain::KioskIdentity;
use serde::{Deserialize, Serialize};

/// How a kiosk is set up. Read from `kiosk.json` beside the app (see the
/// README) and kept in storage so the kiosk starts the same way offline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct KioskSettings {
    /// The store this kiosk stands in.
    pub store_id: String,
    /// This kiosk, unique within the deployment.
    pub kiosk_id: String,
    /// After someone rated something and then nothing happens for this long,
    /// their partial response is saved and the screen resets.
    pub idle_timeout_ms: u32,
    /// How long the thank-you screen stays, ignoring taps.
    pub cooldown_ms: u32,
}

impl KioskSettings {
    /// The shortest idle timeout honoured, so a typo cannot make the kiosk
    /// reset under a customer's finger.
    pub const MIN_IDLE_TIMEOUT_MS: u32 = 1_000;
    /// The longest cool-down honoured, so a typo cannot take the kiosk out of use.
    pub const MAX_COOLDOWN_MS: u32 = 60_000;

    /// Store and kiosk ids, as stored with each chunk of responses.
    pub fn identity(&self) -> KioskIdentity {
        KioskIdentity {
            store_id: self.store_id.clone(),
            kiosk_id: self.kiosk_id.clone(),
        }
    }

    /// The idle timeout to use, in milliseconds.
    pub fn idle_timeout_ms(&self) -> u32 {
        self.idle_timeout_ms.max(Self::MIN_IDLE_TIMEOUT_MS)
    }

    /// The cool-down to use, in milliseconds.
    pub fn cooldown_ms(&self) -> u32 {
        self.cooldown_ms.min(Self::MAX_COOLDOWN_MS)
    }
}

impl Default for KioskSettings {
    fn default() -> Self {
        KioskSettings {
            store_id: "unassigned-store".into(),
            kiosk_id: "unassigned-kiosk".into(),
            idle_timeout_ms: 30_000,
            cooldown_ms: 4_000,
        }
    }
}
