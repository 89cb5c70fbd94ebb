use leptos::prelude::*;

use crate::messages::Messages;

/// Why the kiosk cannot take feedback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutOfServiceReason {
    /// Storage is full of responses that have not reached the collector.
    StorageFull,
    /// The browser offers no usable storage.
    StorageUnavailable,
}

/// A calm screen for staff, instead of pretending to accept feedback.
#[component]
pub fn OutOfService(
    /// What went wrong.
    reason: OutOfServiceReason,
) -> impl IntoView {
    let messages = expect_context::<&'static Messages>();
    let heading = match reason {
        OutOfServiceReason::StorageFull => messages.storage_full,
        OutOfServiceReason::StorageUnavailable => messages.out_of_service,
    };
    view! {
        <main class="screen out-of-service" role="alert">
            <h1>{heading}</h1>
            <p>{messages.out_of_service_detail}</p>
        </main>
    }
}
