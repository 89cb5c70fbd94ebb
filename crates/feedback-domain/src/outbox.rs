//! The outbox: every response the kiosk has saved, with where it stands in
//! getting to the collector.
//!
//! The rules that keep the promise "not one response lost, none counted twice":
//! - a response is [`SyncState::Pending`] until the collector reports it stored;
//! - only ids the collector reports stored (new or duplicate) become
//!   [`SyncState::Synced`]; a response it rejects is [`SyncState::Rejected`]:
//!   kept and counted, never sent again, never blocking the rest;
//! - only synced responses may be pruned to make room, oldest first.

use std::collections::{HashMap, HashSet};

use crate::{Response, ResponseId};

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

/// The next responses to send: pending ones, oldest first, at most `max`.
///
/// `entries` are in the order they were saved.
pub fn next_batch(entries: &[OutboxEntry], max: usize) -> Vec<&Response> {
    entries
        .iter()
        .filter(|entry| entry.state.is_pending())
        .map(|entry| &entry.response)
        .take(max)
        .collect()
}

/// What the collector said about a batch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeliveryReport {
    /// Ids the collector now has, whether new or already stored earlier.
    pub stored: Vec<ResponseId>,
    /// Ids it refused, with its reason in words.
    pub rejected: Vec<(ResponseId, String)>,
}

/// Applies a delivery report: marks exactly the reported ids and returns how
/// many entries changed state.
///
/// Ids the report does not mention stay pending and are sent again later;
/// an id reported both stored and rejected counts as stored, because the
/// collector has it.
pub fn apply_report(entries: &mut [OutboxEntry], report: &DeliveryReport) -> usize {
    let stored: HashSet<ResponseId> = report.stored.iter().copied().collect();
    let rejected: HashMap<ResponseId, &str> = report
        .rejected
        .iter()
        .map(|(id, reason)| (*id, reason.as_str()))
        .collect();
    let mut changed = 0;
    for entry in entries.iter_mut().filter(|e| e.state.is_pending()) {
        let id = entry.response.id;
        let new_state = if stored.contains(&id) {
            SyncState::Synced
        } else if rejected.contains_key(&id) {
            SyncState::Rejected
        } else {
            continue;
        };
        entry.state = new_state;
        changed += 1;
    }
    changed
}

/// Positions of the entries that may be pruned, in the order to prune them:
/// synced ones, oldest first.
pub fn prune_order(entries: &[OutboxEntry]) -> Vec<usize> {
    let mut order: Vec<usize> = entries
        .iter()
        .enumerate()
        .filter(|(_, entry)| entry.state.may_be_pruned())
        .map(|(position, _)| position)
        .collect();
    // The key is unique (positions differ), so an unstable sort gives the
    // same order as a stable one, with less code in the kiosk.
    order.sort_unstable_by_key(|&position| (entries[position].response.created_at, position));
    order
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;
    use crate::{Factor, Rating, Ratings, Timestamp};

    fn entry(n: u128, created_at: i64, state: SyncState) -> OutboxEntry {
        let ratings = Ratings::none().with(Factor::Speed, Rating::MAX);
        let response = Response::new(
            ResponseId(Uuid::from_u128(n)),
            Timestamp(created_at),
            ratings,
            None,
            true,
        )
        .expect("rated");
        OutboxEntry { response, state }
    }

    fn ids(responses: &[&Response]) -> Vec<u128> {
        responses.iter().map(|r| r.id.0.as_u128()).collect()
    }

    #[test]
    fn batches_take_pending_responses_oldest_first() {
        let entries = [
            entry(1, 10, SyncState::Synced),
            entry(2, 20, SyncState::Pending),
            entry(3, 30, SyncState::Rejected),
            entry(4, 40, SyncState::Pending),
            entry(5, 50, SyncState::Pending),
        ];
        assert_eq!(ids(&next_batch(&entries, 2)), [2, 4]);
        assert_eq!(ids(&next_batch(&entries, 500)), [2, 4, 5]);
    }

    #[test]
    fn only_reported_ids_change_state() {
        let mut entries = [
            entry(1, 10, SyncState::Pending),
            entry(2, 20, SyncState::Pending),
            entry(3, 30, SyncState::Pending),
        ];
        let report = DeliveryReport {
            stored: vec![ResponseId(Uuid::from_u128(1))],
            rejected: vec![(ResponseId(Uuid::from_u128(3)), "bad".into())],
        };
        assert_eq!(apply_report(&mut entries, &report), 2);
        let states: Vec<SyncState> = entries.iter().map(|e| e.state).collect();
        assert_eq!(
            states,
            [SyncState::Synced, SyncState::Pending, SyncState::Rejected]
        );
        // Applying the same report again (a retried reply) changes nothing.
        assert_eq!(apply_report(&mut entries, &report), 0);
    }

    #[test]
    fn stored_wins_over_rejected_for_the_same_id() {
        let mut entries = [entry(7, 10, SyncState::Pending)];
        let id = ResponseId(Uuid::from_u128(7));
        let report = DeliveryReport {
            stored: vec![id],
            rejected: vec![(id, "duplicate".into())],
        };
        apply_report(&mut entries, &report);
        assert_eq!(entries[0].state, SyncState::Synced);
    }

    #[test]
    fn only_synced_responses_are_pruned_oldest_first() {
        let entries = [
            entry(1, 50, SyncState::Synced),
            entry(2, 10, SyncState::Pending),
            entry(3, 20, SyncState::Synced),
            entry(4, 5, SyncState::Rejected),
        ];
        assert_eq!(prune_order(&entries), [2, 0]);
    }
}
