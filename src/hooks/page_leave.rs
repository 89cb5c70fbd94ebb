use leptos::prelude::*;

/// How the page is being left or shown again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageLeave {
    /// The page is hidden (another app, the screen off) or being left
    /// (navigation, closing, going into the back/forward cache).
    Hidden,
    /// The page came back from the back/forward cache: its memory is as it
    /// was when it was left.
    Restored,
}

/// Calls `on_leave` when the page is hidden or left (`pagehide`,
/// `visibilitychange` to hidden) and when the back/forward cache restores
/// it (`pageshow` with `persisted`). Listeners go with the owner.
pub fn use_page_leave(on_leave: impl Fn(PageLeave) + Clone + 'static) {
    let hide = on_leave.clone();
    let pagehide = window_event_listener(leptos::ev::pagehide, move |_| hide(PageLeave::Hidden));
    let hidden = on_leave.clone();
    let visibility = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Hidden {
            hidden(PageLeave::Hidden);
        }
    });
    let pageshow = window_event_listener(leptos::ev::pageshow, move |ev| {
        if ev.persisted() {
            on_leave(PageLeave::Restored);
        }
    });
    on_cleanup(move || {
        pagehide.remove();
        visibility.remove();
        pageshow.remove();
    });
}
