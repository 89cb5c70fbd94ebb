//! Every PIN entry (the PIN pad, the change-PIN form) goes through here, so
//! one count of wrong PINs and one lock cover them all, in every tab.
//!
//! The count lives in storage (`fk1.pinlock`); a check reads it, verifies
//! the PIN and writes it back holding the Web Lock [`PIN_LOCK_NAME`], so two
//! tabs cannot both spend the same attempt.

use feedback_domain::pin::{PinHash, PinLock};

use crate::local_time::now_ms;
use crate::storage::ResponseStore;

/// The Web Lock held while a PIN is checked.
pub const PIN_LOCK_NAME: &str = "fk1.pin-check";

/// What checking a PIN came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinCheck {
    /// The right PIN; the count of wrong ones starts again.
    Right,
    /// A wrong PIN; this many more before the lock.
    Wrong {
        /// Wrong PINs left before the lock.
        attempts_left: u32,
    },
    /// Locked (now, or by this wrong PIN): nothing is checked until then.
    Locked {
        /// How long the lock lasts still.
        remaining_ms: i64,
    },
}

/// The lock as stored now, brought up to date.
pub fn current_lock() -> PinLock {
    let mut lock = ResponseStore::open()
        .map(|store| store.pin_lock())
        .unwrap_or_default();
    lock.normalize(now_ms());
    lock
}

/// Checks `entered` against `hash` (none: nothing is right), counting a
/// wrong PIN against the one lock shared by every PIN entry and tab.
pub async fn check_pin(entered: String, hash: Option<PinHash>) -> PinCheck {
    let check = move || async move { check_now(&entered, hash.as_ref()) };
    if crate::locks::available() {
        let locked = PinCheck::Locked { remaining_ms: 0 };
        crate::locks::with_lock(PIN_LOCK_NAME, false, check)
            .await
            .unwrap_or(locked)
    } else {
        check().await
    }
}

fn check_now(entered: &str, hash: Option<&PinHash>) -> PinCheck {
    let now = now_ms();
    let mut lock = current_lock();
    if let Some(remaining_ms) = lock.remaining_ms(now) {
        return PinCheck::Locked { remaining_ms };
    }
    let right = hash.is_some_and(|hash| hash.verify(entered));
    if right {
        lock.right();
    } else {
        lock.wrong(now);
    }
    if let Ok(mut store) = ResponseStore::open() {
        let _ = store.save_pin_lock(&lock);
    }
    match (right, lock.remaining_ms(now)) {
        (true, _) => PinCheck::Right,
        (false, Some(remaining_ms)) => PinCheck::Locked { remaining_ms },
        (false, None) => PinCheck::Wrong {
            attempts_left: lock.attempts_left(),
        },
    }
}
