use leptos::prelude::*;

/// Keeps the screen on while the page is visible: takes the screen wake
/// lock now and again whenever the page becomes visible (the browser drops
/// it on hide). Where the browser has no wake lock, nothing happens. The
/// listener goes with the owner.
pub fn use_wake_lock() {
    crate::shell::acquire_wake_lock();
    let visible = window_event_listener(leptos::ev::visibilitychange, |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            crate::shell::acquire_wake_lock();
        }
    });
    on_cleanup(move || visible.remove());
}
