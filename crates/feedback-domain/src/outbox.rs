//! The outbox: every response the kiosk has saved, with where it stands in
//! getting to the collector.
//!
//! The rules that keep the promise "not one response lost, none counted twice":
//! - a response is [`SyncState::Pending`] until the collector reports it stored;
//! - only ids the collector reports stored (new or duplicate) become
//!   [`SyncState::Synced`]; a response it rejects is [`SyncState::Rejected`]:
//!   kept and counted, never sent again, never blocking the rest;
//! - only synced responses may be pruned to make room.
//!
//! The kiosk's storage module applies them to what it holds (it keeps
//! responses in chunks, and prunes the synced ones of its oldest chunk
//! first, which is the order they were saved in); the browser tests in
//! `tests/storage.rs` and `tests/e2e/` check them there.

use crate::Response;

/// Where a saved response stands in getting to the collector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SyncState {
    /// Saved on the kiosk, not yet confirmed by the collector.
    Pending,
    /// The collector confirmed it has it.
    Synced,
    /// The collector refused it; set aside for the manager to see, not retried.
    Rejected,
}

impl SyncState {
    /// Whether the response still has to be sent.
    pub const fn is_pending(self) -> bool {
        matches!(self, SyncState::Pending)
    }

    /// Whether the response may be deleted to make room for new ones.
    ///
    /// Only a response the collector has is safe to delete; a rejected one is
    /// kept as the only record of what the customer said.
    pub const fn may_be_pruned(self) -> bool {
        matches!(self, SyncState::Synced)
    }
}

/// A saved response and its sync state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxEntry {
    /// The response as the customer gave it.
    pub response: Response,
    /// How far it has got.
    pub state: SyncState,
}

impl OutboxEntry {
    /// A response just saved, waiting to be sent.
    pub fn pending(response: Response) -> OutboxEntry {
        OutboxEntry {
            response,
            state: SyncState::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_synced_responses_may_be_pruned_and_only_pending_ones_sent() {
        assert!(SyncState::Synced.may_be_pruned());
        assert!(!SyncState::Pending.may_be_pruned());
        assert!(
            !SyncState::Rejected.may_be_pruned(),
            "the only record of what was said"
        );
        assert!(SyncState::Pending.is_pending());
        assert!(!SyncState::Synced.is_pending() && !SyncState::Rejected.is_pending());
    }
}
