//! What a kiosk tells the collector about itself, so that whoever runs the
//! stores' IT sees a silent or struggling kiosk before a manager asks why
//! the numbers stopped.
//!
//! `POST /v1/heartbeat` with the kiosk's token, sent with every sync
//! attempt and at least every [`HEARTBEAT_INTERVAL_MS`] with nothing to
//! send. A heartbeat never holds up responses: it goes after them, and a
//! failed one is simply sent again next time.

use serde::{Deserialize, Serialize};

/// A kiosk with nothing to send still says it is alive this often (15 min).
pub const HEARTBEAT_INTERVAL_MS: i64 = 15 * 60 * 1000;

/// A kiosk not heard from for longer than this is silent (24 hours), unless
/// the collector is told otherwise.
pub const DEFAULT_SILENT_AFTER_MS: i64 = 24 * 60 * 60 * 1000;

/// Longest app version a heartbeat may carry.
pub const MAX_APP_VERSION_CHARS: usize = 32;

/// One heartbeat.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Heartbeat {
    /// The kiosk app's version, for example `0.1.0`.
    pub app_version: String,
    /// Responses saved on the kiosk and not yet confirmed by a collector.
    pub waiting: u32,
    /// When the kiosk last synced successfully, ms since the epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sync_at: Option<i64>,
    /// Bytes of browser storage the kiosk's data uses, if the browser says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_used: Option<u64>,
    /// Bytes of browser storage the kiosk may use, if the browser says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_quota: Option<u64>,
    /// Whether the browser keeps the kiosk's storage even when short of
    /// space (persistent storage granted), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persistent: Option<bool>,
}

/// Why a heartbeat was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HeartbeatError {
    /// The app version is empty, too long or not printable.
    #[error("app_version must be 1 to {MAX_APP_VERSION_CHARS} printable characters")]
    AppVersion,
    /// More storage used than the quota, or a sync time before any kiosk.
    #[error("{0}")]
    Implausible(&'static str),
}

impl Heartbeat {
    /// Checks what a kiosk sent before it is stored.
    pub fn validate(&self) -> Result<(), HeartbeatError> {
        let version = &self.app_version;
        if version.is_empty()
            || version.chars().count() > MAX_APP_VERSION_CHARS
            || version.chars().any(char::is_control)
        {
            return Err(HeartbeatError::AppVersion);
        }
        if let (Some(used), Some(quota)) = (self.storage_used, self.storage_quota) {
            if used > quota {
                return Err(HeartbeatError::Implausible(
                    "storage_used is more than storage_quota",
                ));
            }
        }
        if self.last_sync_at.is_some_and(|at| at < 0) {
            return Err(HeartbeatError::Implausible("last_sync_at is before 1970"));
        }
        Ok(())
    }
}

/// One kiosk's health, as `GET /v1/kiosks` reports it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KioskRow {
    /// Its store.
    pub store_id: String,
    /// The kiosk.
    pub kiosk_id: String,
    /// When its last heartbeat arrived (RFC 3339); `null`: never.
    pub last_seen: Option<String>,
    /// Not heard from for longer than the collector's limit (24 h unless set).
    pub silent: bool,
    /// When it last synced successfully, as it reported.
    pub last_sync: Option<String>,
    /// Responses waiting on the kiosk.
    pub waiting: Option<u32>,
    /// The kiosk app's version.
    pub app_version: Option<String>,
    /// Bytes of browser storage used.
    pub storage_used: Option<u64>,
    /// Bytes of browser storage allowed.
    pub storage_quota: Option<u64>,
    /// Whether the browser keeps its storage when short of space.
    pub persistent: Option<bool>,
}

/// `GET /v1/kiosks`: every kiosk a manager may read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KioskList {
    /// Hours without a heartbeat after which a kiosk is silent.
    pub silent_after_hours: f64,
    /// How many of the kiosks listed are silent.
    pub silent: usize,
    /// The kiosks, by store and kiosk.
    pub kiosks: Vec<KioskRow>,
}

/// Whether a kiosk last heard from at `last_seen_at` (ms; `None`: never)
/// is silent at `now`.
pub fn is_silent(last_seen_at: Option<i64>, now: i64, silent_after_ms: i64) -> bool {
    last_seen_at.is_none_or(|seen| now.saturating_sub(seen) > silent_after_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kiosk_is_silent_after_the_limit_or_if_never_heard() {
        let day = DEFAULT_SILENT_AFTER_MS;
        assert!(!is_silent(Some(1_000), 1_000 + day, day));
        assert!(is_silent(Some(1_000), 1_001 + day, day));
        assert!(is_silent(None, 0, day));
    }

    #[test]
    fn heartbeats_are_checked() {
        let good = Heartbeat {
            app_version: "0.1.0".into(),
            waiting: 3,
            storage_used: Some(10),
            storage_quota: Some(100),
            ..Heartbeat::default()
        };
        assert_eq!(good.validate(), Ok(()));
        let empty = Heartbeat::default();
        assert_eq!(empty.validate(), Err(HeartbeatError::AppVersion));
        let over = Heartbeat {
            storage_used: Some(101),
            ..good.clone()
        };
        assert!(over.validate().is_err());
        let long = Heartbeat {
            app_version: "x".repeat(33),
            ..good
        };
        assert_eq!(long.validate(), Err(HeartbeatError::AppVersion));
    }
}
