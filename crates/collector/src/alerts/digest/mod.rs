//! Digests: a daily or weekly mail per account that asks for one
//! (`feedback-collector user digest`), sent at a local hour of the
//! account's (07:00 unless set), about the day or the Monday-to-Sunday week
//! before. Each is queued as a delivery keyed by account and period, so a
//! restart, a late start or several collectors still send it once; it goes
//! through the alerts file's `[smtp]` server, retried like alert mail.

pub mod content;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use feedback_domain::alert::{DigestSettings, DEFAULT_DIGEST_HOUR};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use super::mail::Mail;
use super::Alerter;
use crate::accounts::Scope;
use crate::store::alerts::{Digest, Frequency, NewDelivery};

/// How often accounts are checked for a digest due.
const EVERY: Duration = Duration::from_secs(60);
/// The first check, soon after the collector starts.
const FIRST: Duration = Duration::from_secs(1);

/// The latest digest an account is due, and what it covers.
#[derive(Debug, PartialEq, Eq)]
pub struct Slot {
    /// Its delivery's key: one per account and period.
    pub key: String,
    /// Its subject and heading.
    pub heading: String,
    /// The period before (for changes), its start, ms.
    pub before: i64,
    /// The period covered, `[from, to)`, ms.
    pub from: i64,
    /// See `from`.
    pub to: i64,
}

fn midnight(day: Date, zone: &TimeZone) -> Option<i64> {
    Some(
        day.to_zoned(zone.clone())
            .ok()?
            .timestamp()
            .as_millisecond(),
    )
}

/// The latest digest `digest` of account `name` was due by `now`: daily at
/// its hour about the day before; weekly on Monday at its hour about the
/// week before.
pub fn latest_slot(name: &str, digest: &Digest, now: i64) -> Option<Slot> {
    let zone = crate::zones::parse(&digest.time_zone).map_or(TimeZone::UTC, |z| z.1);
    let local = Timestamp::from_millisecond(now)
        .ok()?
        .to_zoned(zone.clone());
    let days: i64 = match digest.frequency {
        Frequency::Daily => 1,
        Frequency::Weekly => 7,
    };
    let mut day = local.date();
    if digest.frequency == Frequency::Weekly {
        day = day
            .checked_sub(i64::from(day.weekday().to_monday_zero_offset()).days())
            .ok()?;
    }
    let sent_at = |day: Date| -> Option<i64> {
        let at = day.at(i8::try_from(digest.hour).ok()?, 0, 0, 0);
        Some(at.to_zoned(zone.clone()).ok()?.timestamp().as_millisecond())
    };
    if sent_at(day)? > now {
        day = day.checked_sub(days.days()).ok()?;
    }
    let first = day.checked_sub(days.days()).ok()?;
    let earlier = first.checked_sub(days.days()).ok()?;
    let last = day.yesterday().ok()?;
    let heading = match digest.frequency {
        Frequency::Daily => format!("Feedback digest for {first}"),
        Frequency::Weekly => format!("Weekly feedback digest, {first} to {last}"),
    };
    Some(Slot {
        key: format!("digest/{name}/{}/{first}", digest.frequency.as_str()),
        heading,
        before: midnight(earlier, &zone)?,
        from: midnight(first, &zone)?,
        to: midnight(day, &zone)?,
    })
}

/// The digest `settings` ask for (`None`: off), checked: a known
/// frequency, an email address, an hour 0–23 and an IANA time zone.
pub fn digest_from(settings: &DigestSettings) -> Result<Option<Digest>, String> {
    let frequency = match settings.frequency.as_str() {
        "off" => return Ok(None),
        other => Frequency::parse(other)
            .ok_or_else(|| format!("a digest is daily, weekly or off, not {other:?}"))?,
    };
    let email = settings.email.trim();
    if email.is_empty() {
        return Err("a digest needs the email address it is mailed to".into());
    }
    super::mail::mailbox(email).map_err(|err| err.to_string())?;
    if settings.hour > 23 {
        return Err(format!("the hour is 0 to 23, not {}", settings.hour));
    }
    let (time_zone, _) = crate::zones::parse(&settings.time_zone)?;
    Ok(Some(Digest {
        email: email.to_owned(),
        frequency,
        hour: settings.hour,
        time_zone,
    }))
}

/// The settings of `digest` (`None`: off, with the default hour).
pub fn settings_of(digest: Option<Digest>) -> DigestSettings {
    match digest {
        Some(d) => DigestSettings {
            frequency: d.frequency.as_str().to_owned(),
            email: d.email,
            hour: d.hour,
            time_zone: d.time_zone,
        },
        None => DigestSettings {
            frequency: "off".into(),
            email: String::new(),
            hour: DEFAULT_DIGEST_HOUR,
            time_zone: crate::store::DEFAULT_TIME_ZONE.into(),
        },
    }
}

/// Queues every digest due, forever.
pub(super) async fn run(alerter: Arc<Alerter>) {
    tokio::time::sleep(FIRST).await;
    loop {
        if let Err(err) = queue_due(&alerter).await {
            tracing::warn!(error = %err, "preparing digests failed");
        }
        tokio::time::sleep(EVERY).await;
    }
}

async fn queue_due(alerter: &Alerter) -> anyhow::Result<()> {
    let store = alerter.store.as_ref();
    let digests = store.digest_list().await?;
    if digests.is_empty() {
        return Ok(());
    }
    let now = crate::now_millis();
    let accounts: HashMap<String, _> = store
        .account_list()
        .await?
        .into_iter()
        .map(|a| (a.name.clone(), a))
        .collect();
    let kiosks = store.kiosk_list().await?;
    for (name, digest) in digests {
        let Some(account) = accounts.get(&name).filter(|a| a.disabled_at.is_none()) else {
            continue;
        };
        let Some(slot) = latest_slot(&name, &digest, now) else {
            continue;
        };
        if store.delivery_exists(slot.key.clone()).await? {
            continue;
        }
        let stores = match &account.scope {
            Scope::AllStores => store
                .store_list()
                .await?
                .into_iter()
                .map(|s| s.store_id)
                .collect(),
            Scope::Stores(stores) => stores.clone(),
        };
        let mut parts = Vec::with_capacity(stores.len());
        for store_id in &stores {
            let period = (slot.before, slot.from, slot.to);
            parts.push(
                content::store_part(
                    store,
                    store_id,
                    period,
                    &kiosks,
                    alerter.silent_after_ms,
                    now,
                )
                .await?,
            );
        }
        let mail = Mail {
            to: vec![digest.email.clone()],
            subject: slot.heading.clone(),
            text: content::text(&slot.heading, &parts),
            html: Some(content::html(&slot.heading, &parts)),
        };
        let delivery = NewDelivery {
            channel: "email",
            target: digest.email.clone(),
            idempotency_key: slot.key.clone(),
            body: serde_json::to_string(&mail)?,
        };
        store.delivery_enqueue(vec![delivery], now).await?;
        tracing::info!(account = %name, digest = %slot.key, "digest queued");
        alerter.deliver.notify_one();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> i64 {
        text.parse::<Timestamp>().unwrap().as_millisecond()
    }

    fn digest(frequency: Frequency, hour: u8) -> Digest {
        Digest {
            email: "ana@example.com".into(),
            frequency,
            hour,
            time_zone: "Europe/Madrid".into(),
        }
    }

    #[test]
    fn daily_digests_cover_the_local_day_before_once_the_hour_has_come() {
        // Thursday 3 December 2026, 07:30 in Madrid (UTC+1).
        let slot = latest_slot(
            "ana",
            &digest(Frequency::Daily, 7),
            at("2026-12-03T06:30:00Z"),
        )
        .unwrap();
        assert_eq!(slot.key, "digest/ana/daily/2026-12-02");
        assert_eq!(slot.heading, "Feedback digest for 2026-12-02");
        assert_eq!(
            (slot.from, slot.to),
            (at("2026-12-01T23:00:00Z"), at("2026-12-02T23:00:00Z"))
        );
        assert_eq!(slot.before, at("2026-11-30T23:00:00Z"));
        // At 06:59 local the latest due is the day before's.
        let early = latest_slot(
            "ana",
            &digest(Frequency::Daily, 7),
            at("2026-12-03T05:59:00Z"),
        )
        .unwrap();
        assert_eq!(early.key, "digest/ana/daily/2026-12-01");
    }

    #[test]
    fn weekly_digests_go_on_monday_about_the_week_before() {
        let slot = latest_slot(
            "ana",
            &digest(Frequency::Weekly, 7),
            at("2026-12-03T06:30:00Z"),
        )
        .unwrap();
        assert_eq!(slot.key, "digest/ana/weekly/2026-11-23");
        assert_eq!(
            slot.heading,
            "Weekly feedback digest, 2026-11-23 to 2026-11-29"
        );
        assert_eq!(slot.to - slot.from, 7 * 86_400_000);
    }
}
