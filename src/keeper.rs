//! Keeping each customer's response: stored before the thank-you, or, when
//! the browser will not store it, held (in the [`KioskContext`]) while the
//! kiosk is out of service and stored as soon as it can be. Nothing a
//! customer sent is dropped.

use feedback_domain::{KioskIdentity, Response};

use crate::components::OutOfServiceReason;
use crate::context::KioskContext;
use crate::storage::StorageError;

/// Stores `response`, taken under `identity`, and tells the syncer. When
/// storage refuses, records the fault, holds the response and says why the
/// kiosk cannot take feedback.
pub fn keep(
    kiosk: &KioskContext,
    identity: &KioskIdentity,
    response: Response,
) -> Result<(), OutOfServiceReason> {
    match kiosk.with_store(|store| store.save(identity, &response)) {
        Ok(_) => {
            kiosk.saved();
            Ok(())
        }
        Err(err) => {
            kiosk.record_fault(&format!("could not save a response: {err}"));
            kiosk.hold(response);
            Err(reason(&err))
        }
    }
}

/// Out of service: stores the response held, or, with none held, checks
/// that storage opens again. `Ok`: the kiosk can take feedback again.
pub fn retry(kiosk: &KioskContext, identity: &KioskIdentity) -> Result<(), OutOfServiceReason> {
    match kiosk.take_held() {
        Some(response) => keep(kiosk, identity, response),
        None => kiosk.with_store(|_| Ok(())).map_err(|err| reason(&err)),
    }
}

/// What the customer screen says when storage refuses.
pub fn reason(err: &StorageError) -> OutOfServiceReason {
    match err {
        StorageError::Full => OutOfServiceReason::StorageFull,
        _ => OutOfServiceReason::StorageUnavailable,
    }
}
