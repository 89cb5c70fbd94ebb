//! A kiosk's settings: who it is, how long it waits, which languages it
//! speaks, and the limits that keep a typo from taking it out of use.

use std::sync::Arc;

use crate::pin::PinHash;
use crate::reason_choices::ReasonChoices;
use crate::{KioskIdentity, Lang};

/// How a kiosk is set up. Read from `kiosk.json` beside the app (see the
/// README) and kept in storage so the kiosk starts the same way offline
/// (the kiosk's `codec` module writes it; fields missing there take the
/// defaults).
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
    /// The languages customers are offered, in order.
    pub languages: Vec<Lang>,
    /// The language each customer, the manager page and setup start in.
    pub default_language: Lang,
    /// The kiosk's own reasons after a low rating, per factor; the defaults
    /// where it has none. Shared, not copied, when settings are cloned (the
    /// kiosk clones them for every sync attempt).
    pub reasons: Arc<ReasonChoices>,
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

    /// The languages to offer, in order: those of [`Self::languages`] the
    /// kiosk has texts for (`known`), each once. Never empty: with none of
    /// them known, the default language alone, or English.
    pub fn offered(&self, known: &[&str]) -> Vec<Lang> {
        let mut offered: Vec<Lang> = Vec::with_capacity(self.languages.len());
        for lang in &self.languages {
            if known.contains(&lang.as_str()) && !offered.contains(lang) {
                offered.push(*lang);
            }
        }
        if offered.is_empty() {
            let fallback = if known.contains(&self.default_language.as_str()) {
                self.default_language
            } else {
                Lang::EN
            };
            offered.push(fallback);
        }
        offered
    }

    /// The language to start in: the default if it is offered, else the
    /// first language offered.
    pub fn starting_language(&self, known: &[&str]) -> Lang {
        let offered = self.offered(known);
        if offered.contains(&self.default_language) {
            self.default_language
        } else {
            offered[0]
        }
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
        (self.sync_batch as usize).clamp(1, crate::wire::MAX_BATCH_RESPONSES)
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
            languages: vec![Lang::EN, Lang::ES],
            default_language: Lang::EN,
            reasons: Arc::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(tag: &str) -> Lang {
        Lang::parse(tag).expect("a tag")
    }

    #[test]
    fn typos_cannot_take_the_kiosk_out_of_use() {
        let settings = KioskSettings {
            idle_timeout_ms: 5,
            cooldown_ms: 3_600_000,
            sync_batch: 0,
            sync_interval_ms: 0,
            sync_timeout_ms: 10,
            ..KioskSettings::default()
        };
        assert_eq!(
            settings.idle_timeout_ms(),
            KioskSettings::MIN_IDLE_TIMEOUT_MS
        );
        assert_eq!(settings.cooldown_ms(), KioskSettings::MAX_COOLDOWN_MS);
        assert_eq!(settings.sync_batch(), 1);
        assert_eq!(settings.sync_interval_ms(), 1_000);
        assert_eq!(settings.sync_timeout_ms(), 1_000);
        let huge = KioskSettings {
            sync_batch: u32::MAX,
            ..KioskSettings::default()
        };
        assert_eq!(huge.sync_batch(), crate::wire::MAX_BATCH_RESPONSES);
    }

    #[test]
    fn defaults_offer_english_then_spanish_and_need_setup() {
        let settings = KioskSettings::default();
        assert_eq!(settings.offered(&["en", "es"]), [Lang::EN, Lang::ES]);
        assert_eq!(settings.starting_language(&["en", "es"]), Lang::EN);
        assert!(!settings.is_set_up());
        assert_eq!(settings.responses_url(), "/v1/responses");
    }

    #[test]
    fn only_known_languages_are_offered_once_each_and_never_none() {
        let known = ["en", "es"];
        let settings = KioskSettings {
            languages: vec![lang("es"), lang("fr"), lang("es"), lang("en")],
            default_language: lang("es"),
            ..KioskSettings::default()
        };
        assert_eq!(settings.offered(&known), [lang("es"), lang("en")]);
        assert_eq!(settings.starting_language(&known), lang("es"));

        let unknown = KioskSettings {
            languages: vec![lang("fr")],
            default_language: lang("de"),
            ..KioskSettings::default()
        };
        assert_eq!(unknown.offered(&known), [Lang::EN]);
        assert_eq!(unknown.starting_language(&known), Lang::EN);

        let default_not_offered = KioskSettings {
            languages: vec![lang("es")],
            default_language: lang("en"),
            ..KioskSettings::default()
        };
        assert_eq!(default_not_offered.starting_language(&known), lang("es"));
    }

    #[test]
    fn endpoints_are_joined_without_doubled_slashes() {
        let settings = KioskSettings {
            endpoint: " https://collector.example/ ".into(),
            ..KioskSettings::default()
        };
        assert_eq!(
            settings.responses_url(),
            "https://collector.example/v1/responses"
        );
        assert_eq!(
            settings.heartbeat_url(),
            "https://collector.example/v1/heartbeat"
        );
        assert_eq!(
            settings.enrollments_url(),
            "https://collector.example/v1/enrollments"
        );
    }
}
