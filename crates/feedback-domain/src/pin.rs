//! The manager's PIN: what a valid one is, how it is kept (only as a salted,
//! deliberately slow hash), and how wrong guesses lock the pad.

use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// Fewest digits in a PIN.
pub const MIN_DIGITS: usize = 4;
/// Most digits in a PIN.
pub const MAX_DIGITS: usize = 8;
/// PBKDF2-HMAC-SHA256 iterations for new hashes.
pub const ITERATIONS: u32 = 150_000;
/// Wrong PINs in a row that lock the pad.
pub const MAX_ATTEMPTS: u32 = 5;
/// How long the pad stays locked, in milliseconds (5 minutes).
pub const LOCK_MS: i64 = 5 * 60 * 1000;

/// Why a new PIN is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    /// Not 4 to 8 digits.
    #[error("a PIN is 4 to 8 digits")]
    Format,
    /// The two entries differ.
    #[error("the two PINs differ")]
    Mismatch,
}

/// Checks a new PIN and its confirmation.
pub fn check_new(pin: &str, confirmation: &str) -> Result<(), PinError> {
    let digits = pin.len();
    if !(MIN_DIGITS..=MAX_DIGITS).contains(&digits) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PinError::Format);
    }
    if pin != confirmation {
        return Err(PinError::Mismatch);
    }
    Ok(())
}

/// A PIN as stored: PBKDF2-HMAC-SHA256 with its salt and iteration count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PinHash {
    /// PBKDF2 iterations.
    pub iterations: u32,
    /// Random salt, hex.
    pub salt: String,
    /// The derived key, hex.
    pub hash: String,
}

impl PinHash {
    /// Hashes `pin` with `salt` (at least 16 random bytes).
    pub fn new(pin: &str, salt: &[u8]) -> PinHash {
        PinHash {
            iterations: ITERATIONS,
            salt: hex(salt),
            hash: hex(&derive(pin, salt, ITERATIONS)),
        }
    }

    /// Whether `pin` is the PIN this hash was made from.
    pub fn verify(&self, pin: &str) -> bool {
        let Some(salt) = unhex(&self.salt) else {
            return false;
        };
        let Some(expected) = unhex(&self.hash) else {
            return false;
        };
        let iterations = self.iterations.max(1);
        let actual = derive(pin, &salt, iterations);
        // Compare every byte whatever the first difference.
        expected.len() == actual.len()
            && expected
                .iter()
                .zip(actual.iter())
                .fold(0u8, |diff, (a, b)| diff | (a ^ b))
                == 0
    }
}

fn derive(pin: &str, salt: &[u8], iterations: u32) -> [u8; 32] {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(pin.as_bytes(), salt, iterations, &mut out);
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Wrong PINs so far and the lock they caused; kept in storage so a reload
/// does not reset it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PinLock {
    /// Wrong PINs in a row since the last right one or the last lock.
    pub failures: u32,
    /// Locked until this time, ms since the epoch.
    pub locked_until: Option<i64>,
}

impl PinLock {
    /// Milliseconds the pad stays locked at `now`; `None` when it is open.
    pub fn remaining_ms(&self, now: i64) -> Option<i64> {
        self.locked_until
            .map(|until| until - now)
            .filter(|&left| left > 0)
            // A clock set back must not lock the pad for longer than a lock lasts.
            .map(|left| left.min(LOCK_MS))
    }

    /// Brings a lock that ends more than [`LOCK_MS`] after `now` (the clock
    /// was set back) down to a full lock from `now`, so it still ends.
    pub fn normalize(&mut self, now: i64) {
        if let Some(until) = self.locked_until {
            if until - now > LOCK_MS {
                self.locked_until = Some(now + LOCK_MS);
            }
        }
    }

    /// Records a wrong PIN at `now`; the fifth in a row locks the pad.
    pub fn wrong(&mut self, now: i64) {
        if self.remaining_ms(now).is_none() && self.locked_until.is_some() {
            self.locked_until = None;
        }
        self.failures += 1;
        if self.failures >= MAX_ATTEMPTS {
            self.failures = 0;
            self.locked_until = Some(now + LOCK_MS);
        }
    }

    /// Records the right PIN.
    pub fn right(&mut self) {
        *self = PinLock::default();
    }

    /// Wrong PINs left before the pad locks.
    pub fn attempts_left(&self) -> u32 {
        MAX_ATTEMPTS.saturating_sub(self.failures)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_is_four_to_eight_digits_entered_twice_alike() {
        assert_eq!(check_new("2468", "2468"), Ok(()));
        assert_eq!(check_new("12345678", "12345678"), Ok(()));
        assert_eq!(check_new("123", "123"), Err(PinError::Format));
        assert_eq!(check_new("123456789", "123456789"), Err(PinError::Format));
        assert_eq!(check_new("12a4", "12a4"), Err(PinError::Format));
        assert_eq!(
            check_new("١٢٣٤", "١٢٣٤"),
            Err(PinError::Format),
            "ASCII digits only"
        );
        assert_eq!(check_new("2468", "2469"), Err(PinError::Mismatch));
    }

    #[test]
    fn the_hash_verifies_the_pin_and_nothing_else() {
        let hash = PinHash::new("2468", &[7; 16]);
        assert_eq!(hash.iterations, ITERATIONS);
        assert!(!hash.hash.contains("2468"));
        assert!(hash.verify("2468"));
        assert!(!hash.verify("2469"));
        assert!(!hash.verify(""));
        let other_salt = PinHash::new("2468", &[8; 16]);
        assert_ne!(other_salt.hash, hash.hash, "the salt matters");
    }

    #[test]
    fn pbkdf2_matches_a_published_vector() {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256("passwd", "salt", 1, 64).
        let mut out = [0u8; 64];
        pbkdf2::pbkdf2_hmac::<Sha256>(b"passwd", b"salt", 1, &mut out);
        assert_eq!(&hex(&out)[..32], "55ac046e56e3089fec1691c22544b605");
    }

    #[test]
    fn a_damaged_hash_verifies_nothing() {
        let mut hash = PinHash::new("2468", &[7; 16]);
        hash.salt = "zz".into();
        assert!(!hash.verify("2468"));
    }

    #[test]
    fn five_wrong_pins_lock_the_pad_for_five_minutes() {
        let mut lock = PinLock::default();
        for n in 0..4 {
            lock.wrong(1_000 + n);
            assert_eq!(lock.remaining_ms(1_000 + n), None);
        }
        assert_eq!(lock.attempts_left(), 1);
        lock.wrong(2_000);
        assert_eq!(lock.remaining_ms(2_000), Some(LOCK_MS));
        assert_eq!(lock.remaining_ms(2_000 + LOCK_MS - 1), Some(1));
        assert_eq!(lock.remaining_ms(2_000 + LOCK_MS), None);
        // After the lock, five more wrong ones are needed to lock again.
        lock.wrong(2_000 + LOCK_MS);
        assert_eq!(lock.remaining_ms(2_000 + LOCK_MS), None);
        assert_eq!(lock.attempts_left(), 4);
    }

    #[test]
    fn the_right_pin_clears_the_count_and_a_clock_set_back_cannot_lock_longer() {
        let mut lock = PinLock::default();
        lock.wrong(1);
        lock.wrong(2);
        lock.right();
        assert_eq!(lock, PinLock::default());
        let locked = PinLock {
            failures: 0,
            locked_until: Some(10_000_000),
        };
        assert_eq!(locked.remaining_ms(0), Some(LOCK_MS));
        let mut normalized = locked;
        normalized.normalize(0);
        assert_eq!(normalized.locked_until, Some(LOCK_MS));
        assert_eq!(normalized.remaining_ms(LOCK_MS), None, "it ends");
    }
}
