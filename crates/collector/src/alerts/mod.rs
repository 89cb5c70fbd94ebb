//! Alerts: telling managers while it still matters.
//!
//! Two rules ([`rules`]) watch each store: an **unhappy run** (evaluated
//! when responses made in the last minutes arrive) and a **silent kiosk**
//! (checked on a timer against the store's opening hours, [`hours`]). An
//! alert is stored with its deliveries in one transaction that also claims
//! the rule's cooldown for the store, so several collectors on one
//! database fire it once. Deliveries (signed webhook posts and mails) are
//! kept in the database and retried with backoff until they succeed or a
//! day has passed ([`deliver`]); a restart loses none.
//!
//! All of it runs only when the collector is started with an alerts file
//! ([`config`], `--alerts`).

pub mod config;
pub mod deliver;
pub mod digest;
pub mod hours;
pub mod mail;
pub mod rules;
mod watch;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use serde_json::json;
use tokio::sync::Notify;

use self::config::{includes, AlertConfig};
use self::mail::Mail;
use crate::store::alerts::{NewAlert, NewDelivery};
use crate::store::Store;

/// The running alert engine one collector process shares.
pub struct Alerter {
    config: Arc<AlertConfig>,
    store: Arc<dyn Store>,
    /// Stores with fresh responses, to evaluate.
    dirty: Mutex<HashSet<String>>,
    evaluate: Notify,
    deliver: Notify,
    /// A kiosk not heard from for longer than this is silent (digests).
    silent_after_ms: i64,
}

impl Alerter {
    /// Starts the rules and the delivery of what they fire, on the current
    /// Tokio runtime.
    /// Digests are mailed when the file has an `[smtp]` section; they call
    /// kiosks silent after `silent_after_ms` without a heartbeat, as the
    /// dashboard does.
    pub fn start(store: Arc<dyn Store>, config: AlertConfig, silent_after_ms: i64) -> Arc<Alerter> {
        for hook in &config.webhooks {
            if std::env::var_os(&hook.secret_env).is_none() {
                tracing::warn!(
                    webhook = %hook.name,
                    variable = %hook.secret_env,
                    "the webhook's secret is not set: its deliveries fail, and are retried, until it is"
                );
            }
        }
        let alerter = Arc::new(Alerter {
            config: Arc::new(config),
            store,
            dirty: Mutex::default(),
            evaluate: Notify::new(),
            deliver: Notify::new(),
            silent_after_ms,
        });
        tokio::spawn(watch::unhappy_runs(Arc::clone(&alerter)));
        tokio::spawn(watch::silent_kiosks(Arc::clone(&alerter)));
        tokio::spawn(deliver::run(Arc::clone(&alerter)));
        if alerter.config.smtp.is_some() {
            tokio::spawn(digest::run(Arc::clone(&alerter)));
        }
        alerter
    }

    /// Responses of `store_id` were stored at `now`, the newest made at
    /// `newest`: the store is evaluated soon, unless they were all made
    /// before its window (a late batch is never a run now).
    pub fn responses_arrived(&self, store_id: &str, newest: i64, now: i64) {
        let rule = self.config.unhappy_run(store_id);
        if !rule.enabled || newest < now - config::minutes_ms(rule.window_minutes) {
            return;
        }
        let mut dirty = self.dirty.lock().unwrap_or_else(|p| p.into_inner());
        if dirty.insert(store_id.to_owned()) {
            self.evaluate.notify_one();
        }
    }

    /// Stores an alert unless the cooldown or its dedupe key forbids, with a
    /// delivery to every webhook and mail route for its store.
    async fn fire(&self, alert: NewAlert) -> anyhow::Result<()> {
        let payload = json!({
            "id": alert.uid,
            "store_id": alert.store_id,
            "rule": alert.rule,
            "fired_at": crate::report::rfc3339(alert.fired_at),
            "message": alert.message,
            "details": alert.details,
        });
        let body = serde_json::to_string(&payload)?;
        let mut deliveries = Vec::new();
        for hook in &self.config.webhooks {
            if includes(hook.stores.as_deref(), &alert.store_id) {
                deliveries.push(NewDelivery {
                    channel: "webhook",
                    target: hook.name.clone(),
                    idempotency_key: format!("{}/webhook/{}", alert.uid, hook.name),
                    body: body.clone(),
                });
            }
        }
        for (index, route) in self.config.emails.iter().enumerate() {
            if includes(route.stores.as_deref(), &alert.store_id) {
                let mail = Mail {
                    to: route.to.clone(),
                    subject: subject(&alert),
                    text: format!(
                        "{}\n\nStore: {}\nWhen: {}\nAlert: {}\n",
                        alert.message,
                        alert.store_id,
                        crate::report::rfc3339(alert.fired_at),
                        alert.uid
                    ),
                    html: None,
                };
                deliveries.push(NewDelivery {
                    channel: "email",
                    target: route.to.join(", "),
                    idempotency_key: format!("{}/email/{index}", alert.uid),
                    body: serde_json::to_string(&mail)?,
                });
            }
        }
        let (store_id, rule) = (alert.store_id.clone(), alert.rule);
        let cooldown = self.config.cooldown_ms();
        if let Some(id) = self.store.alert_fire(alert, deliveries, cooldown).await? {
            tracing::info!(alert = id, store = %store_id, rule, "alert fired");
            self.deliver.notify_one();
        }
        Ok(())
    }
}

fn subject(alert: &NewAlert) -> String {
    match alert.rule {
        "unhappy_run" => format!("Unhappy customers at {}", alert.store_id),
        _ => format!("A kiosk at {} is silent", alert.store_id),
    }
}

/// A new alert's id for the world outside: a random UUID.
fn new_uid() -> anyhow::Result<String> {
    let mut random = [0u8; 16];
    getrandom::fill(&mut random).map_err(|err| anyhow::anyhow!("no randomness: {err}"))?;
    Ok(uuid::Builder::from_random_bytes(random)
        .into_uuid()
        .to_string())
}
