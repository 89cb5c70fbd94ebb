//! Slowing down guessing: after [`Throttle::limit`] failures for one key
//! (an account name, an address), that key waits [`Throttle::lockout`]
//! from its last failure. Kept in memory, per collector process.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most keys remembered; past this, the stalest are forgotten first.
const MAX_KEYS: usize = 100_000;

/// Recent failures per key.
#[derive(Debug)]
pub struct Throttle {
    limit: u32,
    lockout: Duration,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Throttle {
    /// After `limit` failures, a key waits `lockout` from its last one.
    pub fn new(limit: u32, lockout: Duration) -> Throttle {
        Throttle {
            limit,
            lockout,
            failures: Mutex::default(),
        }
    }

    /// How many failures lock a key.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// How long a locked key waits.
    pub fn lockout(&self) -> Duration {
        self.lockout
    }

    /// How long `key` must still wait at `now`; `None`: it may try.
    pub fn wait(&self, key: &str, now: Instant) -> Option<Duration> {
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let (count, last) = failures.get(key)?;
        let free_at = *last + self.lockout;
        (*count >= self.limit && free_at > now).then(|| free_at - now)
    }

    /// Counts a failure of `key` at `now`.
    pub fn fail(&self, key: &str, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() >= MAX_KEYS {
            let lockout = self.lockout;
            failures.retain(|_, (_, last)| now.duration_since(*last) < lockout);
        }
        let entry = failures.entry(key.to_owned()).or_insert((0, now));
        if now.duration_since(entry.1) >= self.lockout {
            *entry = (0, now);
        }
        entry.0 = entry.0.saturating_add(1);
        entry.1 = now;
    }

    /// Forgets the failures of `key` (after a success).
    pub fn clear(&self, key: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_a_key_for_the_lockout_from_the_last() {
        let throttle = Throttle::new(5, Duration::from_secs(900));
        let start = Instant::now();
        for i in 0..4 {
            throttle.fail("alice", start + Duration::from_secs(i));
        }
        assert_eq!(throttle.wait("alice", start + Duration::from_secs(4)), None);
        throttle.fail("alice", start + Duration::from_secs(4));
        let wait = throttle.wait("alice", start + Duration::from_secs(5));
        assert_eq!(wait, Some(Duration::from_secs(899)));
        assert_eq!(throttle.wait("bob", start), None);
        assert_eq!(
            throttle.wait("alice", start + Duration::from_secs(904)),
            None
        );
        throttle.clear("alice");
        assert_eq!(throttle.wait("alice", start + Duration::from_secs(5)), None);
    }
}
