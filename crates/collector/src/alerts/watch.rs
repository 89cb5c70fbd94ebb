//! The loops that apply the rules: unhappy runs as responses arrive, silent
//! kiosks on a timer.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use serde_json::json;

use super::config::minutes_ms;
use super::rules::{self, UnhappyFinding};
use super::{new_uid, Alerter};
use crate::store::alerts::NewAlert;
use crate::tokens::Role;

/// Responses read at most per evaluation: far more than any run needs.
const MOST_RECENT: i64 = 2000;
/// Responses made up to this far in the collector's future still count
/// (kiosk clocks drift a little).
const CLOCK_SLACK_MS: i64 = 60_000;
/// Waits this long after a wake-up, so the batches of a second (a kiosk
/// draining its queue, many kiosks at once) are one evaluation per store.
const GATHER: Duration = Duration::from_secs(1);

/// Evaluates stores with fresh responses, forever.
pub(super) async fn unhappy_runs(alerter: Arc<Alerter>) {
    loop {
        alerter.evaluate.notified().await;
        tokio::time::sleep(GATHER).await;
        let stores: Vec<String> = {
            let mut dirty = alerter.dirty.lock().unwrap_or_else(|p| p.into_inner());
            dirty.drain().collect()
        };
        for store_id in stores {
            if let Err(err) = evaluate(&alerter, &store_id).await {
                tracing::warn!(store = %store_id, error = %err, "evaluating the unhappy-run rule failed");
            }
        }
    }
}

async fn evaluate(alerter: &Alerter, store_id: &str) -> anyhow::Result<()> {
    let rule = alerter.config.unhappy_run(store_id);
    let now = crate::now_millis();
    let window = minutes_ms(rule.window_minutes);
    let recent = alerter
        .store
        .recent_responses(
            store_id.to_owned(),
            now - window,
            now + CLOCK_SLACK_MS,
            MOST_RECENT,
        )
        .await?;
    let Some(found) = rules::unhappy_run(rule, &recent) else {
        return Ok(());
    };
    let details = json!({
        "factor": found.factor.key(),
        "responses": found.responses,
        "unhappy": found.unhappy,
        "window_minutes": rule.window_minutes,
        "reasons": found.reasons.iter().map(|r| json!({
            "code": r.code.as_str(),
            "label": r.code.label(),
            "count": r.count,
        })).collect::<Vec<_>>(),
    });
    let alert = NewAlert {
        uid: new_uid()?,
        store_id: store_id.to_owned(),
        rule: "unhappy_run",
        dedupe_key: None,
        fired_at: now,
        message: unhappy_message(store_id, &found, rule.window_minutes),
        details,
    };
    alerter.fire(alert).await
}

/// "Unhappy customers at store-1: 4 of 6 responses in the last 15 minutes
/// rated speed 1 or 2. Most named: long queue (3), slow checkout (1)."
fn unhappy_message(store_id: &str, found: &UnhappyFinding, window_minutes: f64) -> String {
    let mut message = format!(
        "Unhappy customers at {store_id}: {} of {} responses in the last {window_minutes} minutes rated {} 1 or 2.",
        found.unhappy,
        found.responses,
        found.factor.key()
    );
    let named: Vec<String> = found
        .reasons
        .iter()
        .map(|r| format!("{} ({})", r.code.label(), r.count))
        .collect();
    if !named.is_empty() {
        message.push_str(&format!(" Most named: {}.", named.join(", ")));
    }
    message
}

/// Checks every kiosk's last heartbeat, forever.
pub(super) async fn silent_kiosks(alerter: Arc<Alerter>) {
    let config = &alerter.config;
    // Often enough to notice a silence within a tenth of its length.
    let shortest = std::iter::once(config.silent_kiosk.after_minutes)
        .chain(
            config
                .stores
                .values()
                .filter_map(|s| s.silent_kiosk.as_ref().map(|r| r.after_minutes)),
        )
        .fold(f64::INFINITY, f64::min);
    let every = Duration::from_secs_f64((shortest * 6.0).clamp(1.0, 60.0));
    loop {
        tokio::time::sleep(every).await;
        if let Err(err) = check_kiosks(&alerter).await {
            tracing::warn!(error = %err, "checking for silent kiosks failed");
        }
    }
}

async fn check_kiosks(alerter: &Alerter) -> anyhow::Result<()> {
    let now = crate::now_millis();
    let mut zones = HashMap::new();
    // Only kiosks still enrolled: a retired kiosk's last heartbeat stays.
    let live: HashSet<(String, String)> = alerter
        .store
        .token_list()
        .await?
        .into_iter()
        .filter(|token| token.revoked_at.is_none())
        .filter_map(|token| match token.role {
            Role::Kiosk { store_id, kiosk_id } => Some((store_id, kiosk_id)),
            Role::Manager { .. } => None,
        })
        .collect();
    for kiosk in alerter.store.kiosk_list().await? {
        if !live.contains(&(kiosk.store_id.clone(), kiosk.kiosk_id.clone())) {
            continue;
        }
        let rule = alerter.config.silent_kiosk(&kiosk.store_id);
        // A kiosk never heard from has no silence to measure.
        let (true, Some(last_seen)) = (rule.enabled, kiosk.last_seen_at) else {
            continue;
        };
        let (open_ms, open_now) = match alerter.config.opening_hours(&kiosk.store_id) {
            None => (now - last_seen, true),
            Some(hours) => {
                if !zones.contains_key(&kiosk.store_id) {
                    let name = alerter
                        .store
                        .store_time_zone(kiosk.store_id.clone())
                        .await?;
                    let zone = crate::zones::parse(&name).map_or(jiff::tz::TimeZone::UTC, |z| z.1);
                    zones.insert(kiosk.store_id.clone(), zone);
                }
                let zone = &zones[&kiosk.store_id];
                (
                    hours.open_ms_between(last_seen, now, zone),
                    hours.is_open(now, zone),
                )
            }
        };
        if !rules::silent(open_ms, minutes_ms(rule.after_minutes), open_now) {
            continue;
        }
        let minutes = open_ms / 60_000;
        let message = format!(
            "Kiosk {} at {} has not been heard from for {} h {} min of opening hours (last heartbeat {}).",
            kiosk.kiosk_id,
            kiosk.store_id,
            minutes / 60,
            minutes % 60,
            crate::report::rfc3339(last_seen)
        );
        let details = json!({
            "kiosk_id": kiosk.kiosk_id,
            "last_seen_at": crate::report::rfc3339(last_seen),
            "silent_minutes": minutes,
        });
        let alert = NewAlert {
            uid: new_uid()?,
            store_id: kiosk.store_id.clone(),
            rule: "silent_kiosk",
            // One alert per silence of a kiosk, however long it lasts.
            dedupe_key: Some(format!(
                "silent_kiosk/{}/{}/{last_seen}",
                kiosk.store_id, kiosk.kiosk_id
            )),
            fired_at: now,
            message,
            details,
        };
        alerter.fire(alert).await?;
    }
    Ok(())
}
