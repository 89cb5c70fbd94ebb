use std::time::Duration;

use leptos::prelude::*;

/// What [`use_idle_timer`] hands back.
#[derive(Clone, Copy)]
pub struct UseIdleTimerReturn {
    /// Something happened: restart the countdown.
    pub touch: Callback<()>,
    /// Stop counting until the next `touch`.
    pub cancel: Callback<()>,
}

/// Calls `on_idle` once `timeout` has passed since the last `touch` with no
/// `cancel` in between. Nothing runs until the first `touch`, so an untouched
/// screen is never reset. The timer is cleared when the owner is disposed.
pub fn use_idle_timer(timeout: Duration, on_idle: Callback<()>) -> UseIdleTimerReturn {
    let handle = StoredValue::new_local(None::<TimeoutHandle>);
    let cancel = move || {
        if let Some(previous) = handle.try_update_value(Option::take).flatten() {
            previous.clear();
        }
    };
    let touch = move || {
        cancel();
        // The screen may be gone by the time a timer fires (several timers
        // can fire in one turn): then there is nothing to reset.
        let fire = move || {
            handle.try_set_value(None);
            let _ = on_idle.try_run(());
        };
        // A timer the browser refuses only means no idle reset: nothing is lost.
        if let Ok(new) = set_timeout_with_handle(fire, timeout) {
            // Touched after the screen was disposed: no one could cancel it.
            if let Some(Some(orphan)) = handle.try_set_value(Some(new)) {
                orphan.clear();
            }
        }
    };
    on_cleanup(cancel);
    UseIdleTimerReturn {
        touch: Callback::new(move |()| touch()),
        cancel: Callback::new(move |()| cancel()),
    }
}
