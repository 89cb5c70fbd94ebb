//! The alerts file (`--alerts alerts.toml`, env `FEEDBACK_ALERTS`): which
//! rules watch which stores, when each store is open, and where alerts go.
//! Every setting has a default, so an empty file turns the two rules on for
//! every store with alerts shown in the dashboard only. The format is
//! documented in `docs/alerts.md`; `docs/alerts.example.toml` shows every
//! setting.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

use super::hours::OpeningHours;

/// The whole file, checked.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertConfig {
    /// A rule fires at most once per store per this many minutes.
    #[serde(default = "default_cooldown")]
    pub cooldown_minutes: f64,
    /// The unhappy-run rule, for every store unless a store says otherwise.
    #[serde(default)]
    pub unhappy_run: UnhappyRun,
    /// The silent-kiosk rule, likewise.
    #[serde(default)]
    pub silent_kiosk: SilentKiosk,
    /// Opening hours of every store that names none (default: always open).
    #[serde(default)]
    pub opening_hours: Option<OpeningHours>,
    /// Per store: its opening hours and its own rules.
    #[serde(default)]
    pub stores: BTreeMap<String, StoreRules>,
    /// Webhooks alerts are posted to.
    #[serde(default, rename = "webhook")]
    pub webhooks: Vec<Webhook>,
    /// Addresses alerts are mailed to.
    #[serde(default, rename = "email")]
    pub emails: Vec<EmailRoute>,
    /// The mail server, needed by `[[email]]` and by digests.
    #[serde(default)]
    pub smtp: Option<super::mail::SmtpConfig>,
    /// How deliveries are retried.
    #[serde(default)]
    pub delivery: Delivery,
}

fn default_cooldown() -> f64 {
    60.0
}

/// Many unhappy customers in a short time.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct UnhappyRun {
    /// Whether the rule is on.
    pub enabled: bool,
    /// Responses made within this many minutes of each other count together.
    pub window_minutes: f64,
    /// The fewest responses in the window for the rule to fire.
    pub min_responses: u32,
    /// The share of them (0–1) rating one factor 1 or 2 that fires it.
    pub min_unhappy_share: f64,
}

impl Default for UnhappyRun {
    fn default() -> UnhappyRun {
        UnhappyRun {
            enabled: true,
            window_minutes: 15.0,
            min_responses: 4,
            min_unhappy_share: 0.5,
        }
    }
}

/// A kiosk no longer heard from.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct SilentKiosk {
    /// Whether the rule is on.
    pub enabled: bool,
    /// Minutes of opening hours without a heartbeat that make a kiosk silent.
    pub after_minutes: f64,
}

impl Default for SilentKiosk {
    fn default() -> SilentKiosk {
        SilentKiosk {
            enabled: true,
            after_minutes: 120.0,
        }
    }
}

/// One store's settings; what is left out comes from the top of the file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreRules {
    /// When the store is open, in its local time (`feedback-collector store
    /// set-time-zone`).
    pub opening_hours: Option<OpeningHours>,
    /// Its own unhappy-run rule.
    pub unhappy_run: Option<UnhappyRun>,
    /// Its own silent-kiosk rule.
    pub silent_kiosk: Option<SilentKiosk>,
}

/// Where alerts are posted.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Webhook {
    /// Its name, unique in the file: deliveries waiting name it.
    pub name: String,
    /// The URL posted to (`https://`, or `http://` on a trusted network).
    pub url: String,
    /// The environment variable holding the signing secret.
    pub secret_env: String,
    /// Only these stores' alerts; every store when left out.
    #[serde(default)]
    pub stores: Option<Vec<String>>,
}

/// Who is mailed alerts.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailRoute {
    /// The addresses.
    pub to: Vec<String>,
    /// Only these stores' alerts; every store when left out.
    #[serde(default)]
    pub stores: Option<Vec<String>>,
}

/// How failed deliveries are retried.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Delivery {
    /// Seconds before the first retry; each further wait doubles, up to an
    /// hour.
    pub first_retry_seconds: f64,
    /// Hours after which a delivery that never succeeded is given up.
    pub give_up_hours: f64,
    /// Seconds a webhook has to answer; then the attempt has failed.
    pub timeout_seconds: f64,
}

impl Default for Delivery {
    fn default() -> Delivery {
        Delivery {
            first_retry_seconds: 30.0,
            give_up_hours: 24.0,
            timeout_seconds: 10.0,
        }
    }
}

impl AlertConfig {
    /// Reads and checks the file at `path`.
    pub fn load(path: &Path) -> anyhow::Result<AlertConfig> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading the alerts file {}", path.display()))?;
        AlertConfig::parse(&text).with_context(|| format!("in the alerts file {}", path.display()))
    }

    /// Reads and checks the file's text.
    pub fn parse(text: &str) -> anyhow::Result<AlertConfig> {
        let config: AlertConfig = toml::from_str(text)?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> anyhow::Result<()> {
        positive(self.cooldown_minutes, "cooldown_minutes")?;
        positive(
            self.delivery.first_retry_seconds,
            "delivery.first_retry_seconds",
        )?;
        positive(self.delivery.give_up_hours, "delivery.give_up_hours")?;
        for (value, name) in [
            (self.delivery.timeout_seconds, "delivery.timeout_seconds"),
            (
                self.smtp.as_ref().map_or(1.0, |s| s.timeout_seconds),
                "smtp.timeout_seconds",
            ),
        ] {
            positive(value, name)?;
            let limit = super::deliver::ATTEMPT_LIMIT.as_secs_f64();
            anyhow::ensure!(
                value <= limit,
                "{name} may be at most {limit} (seconds), not {value}"
            );
        }
        let rules = self
            .stores
            .iter()
            .map(|(id, s)| (Some(id), s.unhappy_run.as_ref(), s.silent_kiosk.as_ref()));
        for (store, unhappy, silent) in
            std::iter::once((None, Some(&self.unhappy_run), Some(&self.silent_kiosk))).chain(rules)
        {
            let at = store.map_or(String::new(), |id| format!("stores.{id}."));
            if let Some(rule) = unhappy {
                positive(
                    rule.window_minutes,
                    &format!("{at}unhappy_run.window_minutes"),
                )?;
                anyhow::ensure!(
                    rule.min_responses >= 1,
                    "{at}unhappy_run.min_responses must be at least 1"
                );
                anyhow::ensure!(
                    rule.min_unhappy_share > 0.0 && rule.min_unhappy_share <= 1.0,
                    "{at}unhappy_run.min_unhappy_share must be more than 0 and at most 1, not {}",
                    rule.min_unhappy_share
                );
            }
            if let Some(rule) = silent {
                positive(
                    rule.after_minutes,
                    &format!("{at}silent_kiosk.after_minutes"),
                )?;
            }
        }
        let mut names = std::collections::HashSet::new();
        for hook in &self.webhooks {
            anyhow::ensure!(
                names.insert(hook.name.as_str()),
                "two [[webhook]]s are named {:?}; each needs its own name",
                hook.name
            );
            let url = reqwest::Url::parse(&hook.url)
                .with_context(|| format!("webhook {:?}: url {:?}", hook.name, hook.url))?;
            anyhow::ensure!(
                matches!(url.scheme(), "http" | "https"),
                "webhook {:?}: the url must be http:// or https://",
                hook.name
            );
            anyhow::ensure!(
                !hook.secret_env.is_empty(),
                "webhook {:?}: secret_env must name the environment variable holding its secret",
                hook.name
            );
        }
        for route in &self.emails {
            anyhow::ensure!(
                !route.to.is_empty(),
                "an [[email]] has no addresses in `to`"
            );
            for address in &route.to {
                super::mail::mailbox(address)?;
            }
        }
        anyhow::ensure!(
            self.emails.is_empty() || self.smtp.is_some(),
            "[[email]] needs an [smtp] section naming the mail server"
        );
        if let Some(smtp) = &self.smtp {
            smtp.check()?;
        }
        Ok(())
    }

    /// The unhappy-run rule for `store_id`.
    pub fn unhappy_run(&self, store_id: &str) -> &UnhappyRun {
        self.stores
            .get(store_id)
            .and_then(|s| s.unhappy_run.as_ref())
            .unwrap_or(&self.unhappy_run)
    }

    /// The silent-kiosk rule for `store_id`.
    pub fn silent_kiosk(&self, store_id: &str) -> &SilentKiosk {
        self.stores
            .get(store_id)
            .and_then(|s| s.silent_kiosk.as_ref())
            .unwrap_or(&self.silent_kiosk)
    }

    /// When `store_id` is open; `None`: always.
    pub fn opening_hours(&self, store_id: &str) -> Option<&OpeningHours> {
        self.stores
            .get(store_id)
            .and_then(|s| s.opening_hours.as_ref())
            .or(self.opening_hours.as_ref())
    }

    /// The cooldown in ms.
    pub fn cooldown_ms(&self) -> i64 {
        minutes_ms(self.cooldown_minutes)
    }
}

/// Minutes as ms.
pub fn minutes_ms(minutes: f64) -> i64 {
    (minutes * 60_000.0).round() as i64
}

/// Whether a store list (`None`: every store) includes `store_id`.
pub fn includes(stores: Option<&[String]>, store_id: &str) -> bool {
    stores.is_none_or(|stores| stores.iter().any(|s| s == store_id))
}

fn positive(value: f64, name: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        value.is_finite() && value > 0.0,
        "{name} must be a positive number, not {value}"
    );
    Ok(())
}

#[cfg(test)]
mod tests;
