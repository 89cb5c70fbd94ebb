use leptos::prelude::*;

use crate::messages::Messages;

/// Why the kiosk cannot take feedback.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutOfServiceReason {
    /// Storage is full of responses that have not reached the collector.
    StorageFull,
    /// The browser offers no usable storage.
    StorageUnavailable,
    /// The kiosk's settings cannot be read: only the manager (with the PIN)
    /// or a new `kiosk.json` may set it up again.
    SettingsDamaged,
}

/// A calm screen for staff, instead of pretending to accept feedback.
#[component]
pub fn OutOfService(
    /// What went wrong.
    reason: OutOfServiceReason,
    /// The manager's way in.
    on_manager: Callback<()>,
    /// The language of the screen.
    messages: &'static Messages,
) -> impl IntoView {
    let heading = match reason {
        OutOfServiceReason::StorageFull => messages.storage_full,
        OutOfServiceReason::StorageUnavailable | OutOfServiceReason::SettingsDamaged => {
            messages.out_of_service
        }
    };
    view! {
        <main class="screen out-of-service">
            <h1>{heading}</h1>
            <p>{messages.out_of_service_detail}</p>
            <button type="button" class="manager-link" on:click=move |_| on_manager.run(())>
                {messages.manager}
            </button>
        </main>
    }
}
