use leptos::prelude::*;

/// What [`use_service_worker`] hands back.
#[derive(Clone, Copy)]
pub struct UseServiceWorkerReturn {
    /// Call when nobody is mid-response: a new version that waits takes
    /// over (the page reloads into it); otherwise the browser looks for one.
    pub between_customers: Callback<()>,
}

/// Registers the offline app shell (`/sw.js`, see [`crate::shell`]), which
/// also looks for a new version every five minutes.
pub fn use_service_worker() -> UseServiceWorkerReturn {
    crate::shell::register_service_worker();
    UseServiceWorkerReturn {
        between_customers: Callback::new(|()| {
            if !crate::shell::take_waiting_update() {
                crate::shell::check_for_update();
            }
        }),
    }
}
