//! Tells the collector this kiosk is alive and how it is doing
//! (`POST /v1/heartbeat`, see `feedback_domain::heartbeat`): after sync
//! attempts, at most once a minute. It goes after the responses, on its
//! own, so it never holds them up; a lost one is simply sent next time.

use std::cell::Cell;

use feedback_domain::sync::SyncRecord;

use super::post_json;
use crate::storage::ResponseStore;
use feedback_domain::settings::KioskSettings;

/// The least time between two heartbeats.
pub const MIN_GAP_MS: f64 = 60_000.0;

thread_local! {
    static LAST_SENT: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
}

/// Sends a heartbeat unless one went less than [`MIN_GAP_MS`] ago.
pub(super) async fn send(settings: KioskSettings) {
    let now = js_sys::Date::now();
    if settings.token.trim().is_empty() || now - LAST_SENT.get() < MIN_GAP_MS {
        return;
    }
    LAST_SENT.set(now);
    let (waiting, record) = match ResponseStore::open() {
        Ok(store) => (
            store
                .pending(&settings.identity(), 0)
                .map_or(0, |p| p.pending + p.other_identity),
            store.sync_record(),
        ),
        Err(_) => (0, SyncRecord::default()),
    };
    let estimate = crate::shell::storage_estimate().await;
    let persistent = crate::shell::storage_is_persistent().await;
    let body = body(waiting, record.last_success_at, estimate, persistent);
    let url = settings.heartbeat_url();
    let _ = post_json(&url, &settings.token, &body, settings.sync_timeout_ms()).await;
}

/// The heartbeat's JSON, written by hand (the customer kiosk carries no
/// JSON serializer); `feedback_domain::heartbeat::Heartbeat` reads it.
fn body(
    waiting: usize,
    last_sync_at: Option<i64>,
    estimate: Option<(f64, f64)>,
    persistent: Option<bool>,
) -> String {
    let (used, quota) = match estimate {
        // Whole bytes: formatting a float would cost the kiosk kilobytes.
        Some((used, quota)) => ((used as u64).to_string(), (quota as u64).to_string()),
        None => ("null".into(), "null".into()),
    };
    let persistent = persistent.map_or("null", |p| if p { "true" } else { "false" });
    let last_sync = last_sync_at.map_or_else(|| "null".into(), |at| at.to_string());
    format!(
        "{{\"app_version\":\"{}\",\"waiting\":{waiting},\"last_sync_at\":{last_sync},\
         \"storage_used\":{used},\"storage_quota\":{quota},\"persistent\":{persistent}}}",
        env!("CARGO_PKG_VERSION")
    )
}

#[cfg(test)]
mod tests {
    use feedback_domain::heartbeat::Heartbeat;

    #[test]
    fn the_body_is_a_heartbeat_the_collector_accepts() {
        let full = super::body(3, Some(1_795_000_000_000), Some((2048.0, 1e9)), Some(true));
        let beat: Heartbeat = serde_json::from_str(&full).expect("a heartbeat");
        assert_eq!(beat.validate(), Ok(()));
        assert_eq!(beat.waiting, 3);
        assert_eq!(beat.storage_quota, Some(1_000_000_000));
        assert_eq!(beat.persistent, Some(true));
        let bare: Heartbeat =
            serde_json::from_str(&super::body(0, None, None, None)).expect("a heartbeat");
        assert_eq!(bare.validate(), Ok(()));
        assert_eq!(bare.last_sync_at, None);
    }
}
