//! Sending what the rules fired: each delivery is taken from the database,
//! tried, and recorded as delivered, to be retried (after 30 s, doubling up
//! to an hour) or failed (after 24 hours). It is claimed for two minutes
//! before it is tried, and an attempt is cut off after one, so two
//! collectors never send it at once, and only the one holding the claim
//! records the outcome; one that dies mid-send leaves it to be tried again:
//! at least once, never lost.
//!
//! Webhooks get the alert as JSON, signed: `X-Feedback-Signature:
//! sha256=<hex HMAC-SHA256 of the body with the hook's secret>`, with
//! `Idempotency-Key` the same on every attempt. Any 2xx answer is success.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::mail::Mail;
use super::Alerter;
use crate::store::alerts::{Attempt, DueDelivery};

/// The signature header of webhook posts.
pub const SIGNATURE_HEADER: &str = "X-Feedback-Signature";
/// The idempotency header of webhook posts.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";
/// Deliveries taken per round.
const PER_ROUND: i64 = 20;
/// How long a delivery is claimed while it is tried: twice the longest an
/// attempt may take ([`ATTEMPT_LIMIT`]), so no other collector takes it
/// while this one may still be sending.
const CLAIM_MS: i64 = 120_000;
/// The longest an attempt may take, whatever the receiver does; the
/// alerts file's timeouts may not exceed it.
pub const ATTEMPT_LIMIT: Duration = Duration::from_secs(60);
/// How often the database is asked for due deliveries when nothing woke us.
const POLL: Duration = Duration::from_secs(1);
/// The longest wait between two attempts.
const MAX_BACKOFF_MS: i64 = 3_600_000;

/// `sha256=<hex>`: the HMAC-SHA256 of `body` with `secret`.
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    // HMAC takes keys of any length.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// How long to wait after the `attempts`-th failure: the first retry after
/// `first_ms`, each next wait doubled, never more than an hour.
pub fn backoff(first_ms: i64, attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.clamp(0, 20)).unwrap_or(20);
    first_ms.saturating_mul(1 << doublings).min(MAX_BACKOFF_MS)
}

/// Sends due deliveries, forever.
pub(super) async fn run(alerter: Arc<Alerter>) {
    let timeout = Duration::from_secs_f64(alerter.config.delivery.timeout_seconds);
    // A redirect would turn the post into a bodiless GET: not delivered.
    let client = reqwest::Client::builder()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build();
    let client = match client {
        Ok(client) => client,
        Err(err) => {
            tracing::error!(error = %err, "no HTTP client: webhooks cannot be sent");
            return;
        }
    };
    loop {
        let busy = match round(&alerter, &client).await {
            Ok(taken) => taken == PER_ROUND,
            Err(err) => {
                tracing::warn!(error = %err, "sending deliveries failed");
                false
            }
        };
        if !busy {
            tokio::select! {
                () = alerter.deliver.notified() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    }
}

/// Tries every due delivery once; how many were due.
async fn round(alerter: &Alerter, client: &reqwest::Client) -> anyhow::Result<i64> {
    let now = crate::now_millis();
    let due = alerter.store.deliveries_due(now, PER_ROUND).await?;
    let taken = i64::try_from(due.len()).unwrap_or(PER_ROUND);
    for delivery in due {
        let claimed = crate::now_millis() + CLAIM_MS;
        if !alerter.store.delivery_claim(&delivery, claimed).await? {
            continue;
        }
        let sent = match tokio::time::timeout(ATTEMPT_LIMIT, send(alerter, client, &delivery)).await
        {
            Ok(sent) => sent,
            Err(_) => Err(anyhow::anyhow!(
                "no answer within {} s",
                ATTEMPT_LIMIT.as_secs()
            )),
        };
        let now = crate::now_millis();
        let delivery_config = &alerter.config.delivery;
        let attempt = match sent {
            Ok(()) => Attempt::Delivered,
            Err(err) => {
                let error = format!("{err:#}");
                let first_ms = (delivery_config.first_retry_seconds * 1000.0).round() as i64;
                let next = now + backoff(first_ms, delivery.attempts);
                let give_up = delivery.created_at
                    + (delivery_config.give_up_hours * 3_600_000.0).round() as i64;
                tracing::warn!(
                    delivery = delivery.id,
                    channel = %delivery.channel,
                    target = %delivery.target,
                    attempt = delivery.attempts + 1,
                    error = %error,
                    "a delivery failed"
                );
                if next > give_up {
                    Attempt::Failed(error)
                } else {
                    Attempt::Retry(next, error)
                }
            }
        };
        if matches!(attempt, Attempt::Delivered) {
            tracing::info!(delivery = delivery.id, channel = %delivery.channel, "delivered");
        }
        alerter
            .store
            .delivery_record(delivery.id, claimed, attempt, now)
            .await?;
    }
    Ok(taken)
}

async fn send(
    alerter: &Alerter,
    client: &reqwest::Client,
    delivery: &DueDelivery,
) -> anyhow::Result<()> {
    let config = &alerter.config;
    match delivery.channel.as_str() {
        "webhook" => {
            let hook = config
                .webhooks
                .iter()
                .find(|hook| hook.name == delivery.target)
                .with_context(|| format!("no webhook {:?} in the alerts file", delivery.target))?;
            let secret = std::env::var(&hook.secret_env).with_context(|| {
                format!("the environment variable {} is not set", hook.secret_env)
            })?;
            let answer = client
                .post(&hook.url)
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(
                    SIGNATURE_HEADER,
                    signature(secret.as_bytes(), delivery.body.as_bytes()),
                )
                .header(IDEMPOTENCY_HEADER, &delivery.idempotency_key)
                .body(delivery.body.clone())
                .send()
                .await
                // A webhook's URL is often a secret itself: errors name the hook.
                .map_err(reqwest::Error::without_url)
                .with_context(|| format!("posting to webhook {:?}", hook.name))?;
            let status = answer.status();
            anyhow::ensure!(
                status.is_success(),
                "webhook {:?} answered {status}",
                hook.name
            );
            Ok(())
        }
        "email" => {
            let smtp = config
                .smtp
                .as_ref()
                .context("no [smtp] section in the alerts file")?;
            let mail: Mail =
                serde_json::from_str(&delivery.body).context("a stored mail is unreadable")?;
            smtp.send(&mail).await
        }
        other => anyhow::bail!("unknown delivery channel {other:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_match_the_published_hmac_sha256() {
        // RFC 4231, test case 2.
        assert_eq!(
            signature(b"Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn waits_double_from_the_first_up_to_an_hour() {
        assert_eq!(backoff(30_000, 0), 30_000);
        assert_eq!(backoff(30_000, 1), 60_000);
        assert_eq!(backoff(30_000, 5), 960_000);
        assert_eq!(backoff(30_000, 10), MAX_BACKOFF_MS);
        assert_eq!(backoff(30_000, i64::MAX), MAX_BACKOFF_MS);
    }
}
