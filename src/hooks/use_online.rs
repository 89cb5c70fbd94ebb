use leptos::prelude::*;

/// Whether the browser believes it is online, kept up to date by its
/// `online` and `offline` events. Only a hint: a request that fails is what
/// counts. Listeners go with the owner.
pub fn use_online() -> Signal<bool> {
    let online = RwSignal::new(crate::net::browser_online());
    let on = window_event_listener(leptos::ev::online, move |_| online.set(true));
    let off = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
    });
    online.into()
}
