//! Tells the collector this kiosk is alive and how it is doing
//! (`POST /v1/heartbeat`, see `feedback_domain::heartbeat`): after sync
//! attempts, at most once a minute. It goes after the responses, on its
//! own, so it never holds them up; a lost one is simply sent next time.

use std::cell::Cell;

use feedback_domain::sync::SyncRecord;

use super::post_json;
use crate::settings::KioskSettings;
use crate::storage::ResponseStore;

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
    let (used, quota) = match crate::shell::storage_estimate().await {
        // Whole bytes: formatting a float would cost the kiosk kilobytes.
        Some((used, quota)) => ((used as u64).to_string(), (quota as u64).to_string()),
        None => ("null".into(), "null".into()),
    };
    let persistent = crate::shell::storage_is_persistent()
        .await
        .map_or("null", |p| if p { "true" } else { "false" });
    let last_sync = record
        .last_success_at
        .map_or_else(|| "null".into(), |at| at.to_string());
    let body = format!(
        "{{\"app_version\":\"{}\",\"waiting\":{waiting},\"last_sync_at\":{last_sync},\
         \"storage_used\":{used},\"storage_quota\":{quota},\"persistent\":{persistent}}}",
        env!("CARGO_PKG_VERSION")
    );
    let url = settings.heartbeat_url();
    let _ = post_json(&url, &settings.token, &body, settings.sync_timeout_ms()).await;
}
