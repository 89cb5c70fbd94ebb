//! The kiosk's settings: who it is and how long it waits.

use feedback_domain::pin::PinHash;
use feedback_domain::KioskIdentity;

/// How a kiosk is set up. Read from `kiosk.json` beside the app (see the
/// README) and kept in storage so the kiosk starts the same way offline.
/// Stored as JSON by [`crate::codec`]; fields missing there take the defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// Where the collector is: an origin such as `https://collector.example.com`,
    /// or empty for the origin the kiosk is served from.
    pub endpoint: String,
    /// This kiosk's token, got by exchanging an enrollment code with the
    /// collector (or entered by hand); empty: responses are kept on the
    /// kiosk and not sent.
    pub token: String,
    /// A one-time code from `feedback-collector kiosk enroll`, waiting to be
    /// exchanged for the token; empty once exchanged.
    pub enrollment_code: String,
    /// Most responses sent in one request.
    pub sync_batch: u32,
    /// How often the kiosk checks for unsent responses when all is well.
    pub sync_interval_ms: u32,
    /// A request with no answer after this long is abandoned and retried.
    pub sync_timeout_ms: u32,
    /// The manager's PIN, as a salted slow hash; `None` until setup is done.
    pub manager_pin: Option<PinHash>,
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

    /// Whether setup is done: a manager PIN is set. Until then the kiosk
    /// takes no responses.
    pub fn is_set_up(&self) -> bool {
        self.manager_pin.is_some()
    }

    /// These settings with the fields present in a provisioning file
    /// (`kiosk.json`) applied; fields it leaves out keep their value. The
    /// manager's PIN cannot be provisioned: it is set on the kiosk. A field
    /// of the wrong type or an unknown one makes the file invalid.
    pub fn provisioned(&self, file: &str) -> Result<KioskSettings, String> {
        crate::codec::provisioned(self, file)
    }

    /// The URL responses are posted to.
    pub fn responses_url(&self) -> String {
        format!(
            "{}/v1/responses",
            self.endpoint.trim().trim_end_matches('/')
        )
    }

    /// The URL heartbeats go to.
    pub fn heartbeat_url(&self) -> String {
        format!(
            "{}/v1/heartbeat",
            self.endpoint.trim().trim_end_matches('/')
        )
    }

    /// The URL an enrollment code is exchanged at.
    pub fn enrollments_url(&self) -> String {
        format!(
            "{}/v1/enrollments",
            self.endpoint.trim().trim_end_matches('/')
        )
    }

    /// The batch size to start with: 1 to the collector's limit.
    pub fn sync_batch(&self) -> usize {
        (self.sync_batch as usize).clamp(1, feedback_domain::wire::MAX_BATCH_RESPONSES)
    }

    /// The periodic sync interval, at least a second.
    pub fn sync_interval_ms(&self) -> u32 {
        self.sync_interval_ms.max(1_000)
    }

    /// The request timeout, at least a second.
    pub fn sync_timeout_ms(&self) -> u32 {
        self.sync_timeout_ms.max(1_000)
    }
}

impl Default for KioskSettings {
    fn default() -> Self {
        KioskSettings {
            store_id: "unassigned-store".into(),
            kiosk_id: "unassigned-kiosk".into(),
            idle_timeout_ms: 30_000,
            cooldown_ms: 4_000,
            endpoint: String::new(),
            token: String::new(),
            enrollment_code: String::new(),
            sync_batch: 500,
            sync_interval_ms: 60_000,
            sync_timeout_ms: 15_000,
            manager_pin: None,
        }
    }
}
