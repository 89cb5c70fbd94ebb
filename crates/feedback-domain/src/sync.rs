//! How a kiosk paces its attempts to reach the collector, and what it
//! remembers about them for the manager.
//!
//! The kiosk's network module carries these rules out; they live here so
//! they are tested natively.

/// The first wait after a failed attempt, in milliseconds.
pub const BACKOFF_START_MS: u32 = 1_000;
/// The longest wait between failed attempts, in milliseconds (5 minutes).
pub const BACKOFF_MAX_MS: u32 = 300_000;

/// How long a kiosk waits before trying a refused token again (15 minutes).
///
/// A refusal is not always final: a collector started on the wrong database
/// for a moment, a captive portal or a proxy answer 401 or 403 too. So the
/// kiosk keeps trying, slowly, and at once on "Sync now", on any settings
/// save and at start.
pub const REFUSED_RETRY_MS: u32 = 15 * 60 * 1000;

/// How long to wait after `failures` failed attempts in a row (at least 1),
/// given `random` in `[0, 1)`.
///
/// The wait doubles from [`BACKOFF_START_MS`] up to [`BACKOFF_MAX_MS`]; the
/// actual delay is drawn from its upper half ("equal jitter"), so kiosks
/// that lost the network together do not all come back in the same second,
/// and none waits less than half the nominal time.
pub fn backoff_delay_ms(failures: u32, random: f64) -> u32 {
    let doublings = failures.saturating_sub(1).min(31);
    let nominal = u64::from(BACKOFF_START_MS)
        .saturating_mul(1u64 << doublings)
        .min(u64::from(BACKOFF_MAX_MS));
    let random = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let half = nominal / 2;
    // `nominal` ≤ 300,000 fits an f64 exactly; the product stays below it.
    let jitter = (half as f64 * random) as u64;
    u32::try_from(half + jitter).unwrap_or(BACKOFF_MAX_MS)
}

/// Why the last attempt to reach the collector did not work.
///
/// Stored as a short code: `offline`, `unreachable`, `timeout`,
/// `server 503`, `token_rejected 401`, `no_token`, `enrollment_refused`, `bad_reply`,
/// `too_large`, `storage` (a string keeps the kiosk's code small).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncProblem {
    /// The device says it has no network.
    Offline,
    /// The request failed without an answer: server down, refused, DNS.
    Unreachable,
    /// No answer within the timeout.
    Timeout,
    /// The collector answered with an error status (5xx, or another
    /// status the kiosk does not expect).
    Server {
        /// The HTTP status.
        status: u16,
    },
    /// The collector refused the kiosk's token (401 or 403). The kiosk tries
    /// again every [`REFUSED_RETRY_MS`], and at once when asked.
    TokenRejected {
        /// The HTTP status.
        status: u16,
    },
    /// The kiosk has no token set, so it keeps responses and sends nothing.
    NoToken,
    /// The collector refused the enrollment code (unknown, used or expired):
    /// a new one is needed.
    EnrollmentRefused,
    /// The collector's answer could not be understood.
    BadReply,
    /// Even a single response is over the collector's size limit.
    TooLarge,
    /// The kiosk's own storage failed.
    Storage,
}

impl From<SyncProblem> for String {
    fn from(problem: SyncProblem) -> String {
        match problem {
            SyncProblem::Offline => "offline".into(),
            SyncProblem::Unreachable => "unreachable".into(),
            SyncProblem::Timeout => "timeout".into(),
            SyncProblem::Server { status } => format!("server {status}"),
            SyncProblem::TokenRejected { status } => format!("token_rejected {status}"),
            SyncProblem::NoToken => "no_token".into(),
            SyncProblem::EnrollmentRefused => "enrollment_refused".into(),
            SyncProblem::BadReply => "bad_reply".into(),
            SyncProblem::TooLarge => "too_large".into(),
            SyncProblem::Storage => "storage".into(),
        }
    }
}

impl TryFrom<String> for SyncProblem {
    type Error = String;

    fn try_from(code: String) -> Result<SyncProblem, String> {
        let (kind, status) = match code.split_once(' ') {
            Some((kind, status)) => (kind, status.parse::<u16>().ok()),
            None => (code.as_str(), None),
        };
        Ok(match (kind, status) {
            ("offline", None) => SyncProblem::Offline,
            ("unreachable", None) => SyncProblem::Unreachable,
            ("timeout", None) => SyncProblem::Timeout,
            ("server", Some(status)) => SyncProblem::Server { status },
            ("token_rejected", Some(status)) => SyncProblem::TokenRejected { status },
            ("no_token", None) => SyncProblem::NoToken,
            ("enrollment_refused", None) => SyncProblem::EnrollmentRefused,
            ("bad_reply", None) => SyncProblem::BadReply,
            ("too_large", None) => SyncProblem::TooLarge,
            ("storage", None) => SyncProblem::Storage,
            _ => return Err(format!("unknown sync problem \"{code}\"")),
        })
    }
}

impl SyncProblem {
    /// Whether retrying with the same settings is pointless (no token at
    /// all): the kiosk waits for new settings instead of trying again.
    pub const fn needs_new_settings(&self) -> bool {
        matches!(self, SyncProblem::NoToken | SyncProblem::EnrollmentRefused)
    }

    /// How long to wait before the next attempt after this problem, the
    /// `failures`-th in a row, given `random` in `[0, 1)`; `None`: not until
    /// the settings change.
    pub fn retry_delay_ms(&self, failures: u32, random: f64) -> Option<u32> {
        match self {
            SyncProblem::NoToken | SyncProblem::EnrollmentRefused => None,
            SyncProblem::TokenRejected { .. } => Some(REFUSED_RETRY_MS),
            _ => Some(backoff_delay_ms(failures, random)),
        }
    }
}

/// What the kiosk remembers about syncing, for the manager view (stored by
/// the kiosk's `codec`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncRecord {
    /// When the collector last confirmed a batch, ms since the epoch.
    pub last_success_at: Option<i64>,
    /// When the last attempt failed, ms since the epoch; cleared by a success.
    pub last_problem_at: Option<i64>,
    /// Why it failed; cleared by a success.
    pub last_problem: Option<SyncProblem>,
    /// A fingerprint of the token the collector refused, so the manager view
    /// can say so; cleared by the next success.
    pub refused_token: Option<u64>,
}

/// A fingerprint of a token (FNV-1a), to recognise it without keeping it twice.
pub fn token_fingerprint(token: &str) -> u64 {
    token.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_from_one_second_to_five_minutes() {
        let top = |failures| backoff_delay_ms(failures, 0.999_999);
        let bottom = |failures| backoff_delay_ms(failures, 0.0);
        assert_eq!((bottom(1), top(1)), (500, 999));
        assert_eq!((bottom(2), top(2)), (1_000, 1_999));
        assert_eq!((bottom(3), top(3)), (2_000, 3_999));
        // 2^8 s = 256 s, then capped at 300 s.
        assert_eq!(top(9), 255_999);
        assert_eq!((bottom(10), top(10)), (150_000, 299_999));
        assert_eq!(top(1_000), 299_999);
        assert_eq!(top(u32::MAX), 299_999);
    }

    #[test]
    fn odd_random_numbers_do_not_escape_the_range() {
        assert_eq!(backoff_delay_ms(1, f64::NAN), 500);
        assert_eq!(backoff_delay_ms(1, -3.0), 500);
        assert_eq!(backoff_delay_ms(1, 7.0), 1_000);
        assert_eq!(backoff_delay_ms(0, 0.0), 500, "0 failures counts as 1");
    }

    #[test]
    fn only_a_missing_token_or_a_refused_code_waits_for_new_settings() {
        assert!(SyncProblem::NoToken.needs_new_settings());
        assert!(SyncProblem::EnrollmentRefused.needs_new_settings());
        assert_eq!(SyncProblem::NoToken.retry_delay_ms(1, 0.5), None);
        for retried in [
            SyncProblem::TokenRejected { status: 401 },
            SyncProblem::Offline,
            SyncProblem::Unreachable,
            SyncProblem::Timeout,
            SyncProblem::Server { status: 503 },
            SyncProblem::BadReply,
            SyncProblem::TooLarge,
            SyncProblem::Storage,
        ] {
            assert!(!retried.needs_new_settings(), "{retried:?}");
            assert!(retried.retry_delay_ms(1, 0.5).is_some(), "{retried:?}");
        }
    }

    #[test]
    fn a_refused_token_is_tried_again_every_fifteen_minutes() {
        for status in [401, 403] {
            let refused = SyncProblem::TokenRejected { status };
            for failures in [1, 2, 50] {
                assert_eq!(refused.retry_delay_ms(failures, 0.3), Some(900_000));
            }
        }
        // Other failures keep backing off from a second.
        assert_eq!(SyncProblem::Offline.retry_delay_ms(1, 0.0), Some(500));
    }

    #[test]
    fn a_problem_is_stored_as_its_code_and_fingerprints_differ() {
        let problem = SyncProblem::Server { status: 502 };
        assert_eq!(String::from(problem.clone()), "server 502");
        assert_eq!(SyncProblem::try_from("server 502".to_owned()), Ok(problem));
        assert_ne!(token_fingerprint("fkk_a"), token_fingerprint("fkk_b"));
    }

    #[test]
    fn every_problem_survives_its_code() {
        for problem in [
            SyncProblem::Offline,
            SyncProblem::Unreachable,
            SyncProblem::Timeout,
            SyncProblem::Server { status: 503 },
            SyncProblem::TokenRejected { status: 401 },
            SyncProblem::NoToken,
            SyncProblem::EnrollmentRefused,
            SyncProblem::BadReply,
            SyncProblem::TooLarge,
            SyncProblem::Storage,
        ] {
            let code = String::from(problem.clone());
            assert_eq!(SyncProblem::try_from(code), Ok(problem));
        }
        assert!(SyncProblem::try_from("server".to_owned()).is_err());
        assert!(SyncProblem::try_from("weather".to_owned()).is_err());
    }
}
