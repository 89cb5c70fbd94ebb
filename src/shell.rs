//! The kiosk as an always-on, offline app: the service worker that lets it
//! start with no network and updates it only between customers, the screen
//! wake lock, and persistent storage. Components reach them through the
//! hooks in [`crate::hooks`].
//!
//! These browser APIs are newer than what `web-sys` offers without unstable
//! flags, so they are reached through `js_sys::Reflect`. Every one of them
//! is optional: where a browser lacks it the kiosk runs without it.

use std::cell::{Cell, RefCell};

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};

/// The service worker's script, at the root so it controls both pages.
pub const SERVICE_WORKER: &str = "/sw.js";
/// How often the kiosk looks for a new version (also after each customer).
const UPDATE_CHECK_MS: u32 = 5 * 60 * 1000;

thread_local! {
    /// The registration, once the service worker is registered.
    static REGISTRATION: RefCell<Option<JsValue>> = const { RefCell::new(None) };
    /// This page asked a waiting version to take over, so it reloads when it does.
    static TAKING_OVER: Cell<bool> = const { Cell::new(false) };
    /// The screen wake lock held, if any (kept so it is not collected).
    static WAKE_LOCK: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(name))
        .ok()
        .filter(|v| !v.is_undefined() && !v.is_null())
}

/// Calls `target.name(args...)`; the result if it is a promise.
fn call(target: &JsValue, name: &str, args: &[JsValue]) -> Option<Promise> {
    let method: Function = get(target, name)?.dyn_into().ok()?;
    let result = match args {
        [] => method.call0(target),
        [a] => method.call1(target, a),
        [a, b] => method.call2(target, a, b),
        _ => return None,
    };
    result.ok()?.dyn_into().ok()
}

fn navigator() -> Option<JsValue> {
    web_sys::window().map(|w| w.navigator().into())
}

fn service_workers() -> Option<JsValue> {
    get(&navigator()?, "serviceWorker")
}

/// Registers the offline app shell and starts looking for new versions.
/// A version already waiting takes over at once: the page has just loaded,
/// so nobody is mid-response.
pub fn register_service_worker() {
    let Some(container) = service_workers() else {
        return; // An insecure origin or an old browser: online only.
    };
    let on_change = Closure::<dyn Fn()>::new(|| {
        if TAKING_OVER.get() {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        }
    });
    if let Ok(target) = container.clone().dyn_into::<web_sys::EventTarget>() {
        let _ = target.add_event_listener_with_callback(
            "controllerchange",
            on_change.as_ref().unchecked_ref(),
        );
    }
    on_change.forget();
    let Some(registering) = call(&container, "register", &[JsValue::from_str(SERVICE_WORKER)])
    else {
        return;
    };
    spawn_local(async move {
        if let Ok(registration) = JsFuture::from(registering).await {
            REGISTRATION.set(Some(registration));
            take_waiting_update();
        }
    });
    let check = Closure::<dyn Fn()>::new(check_for_update);
    if let Some(window) = web_sys::window() {
        let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
            check.as_ref().unchecked_ref(),
            UPDATE_CHECK_MS as i32,
        );
    }
    check.forget();
}

/// Asks the browser to look for a new version in the background.
pub fn check_for_update() {
    REGISTRATION.with_borrow(|registration| {
        if let Some(registration) = registration {
            if let Some(promise) = call(registration, "update", &[]) {
                // A failed check (offline) is retried at the next one.
                spawn_local(async move {
                    let _ = JsFuture::from(promise).await;
                });
            }
        }
    });
}

/// If a new version waits, tells it to take over (the page reloads into it)
/// and returns `true`. Call only when no customer is mid-response.
pub fn take_waiting_update() -> bool {
    let waiting = REGISTRATION.with_borrow(|r| r.as_ref().and_then(|r| get(r, "waiting")));
    let Some(waiting) = waiting else {
        return false;
    };
    let Some(post) = get(&waiting, "postMessage").and_then(|f| f.dyn_into::<Function>().ok())
    else {
        return false;
    };
    TAKING_OVER.set(true);
    post.call1(&waiting, &JsValue::from_str("take-over"))
        .is_ok()
}

/// Asks for the screen wake lock (see [`crate::hooks::use_wake_lock`]).
pub fn acquire_wake_lock() {
    let Some(wake_lock) = navigator().and_then(|n| get(&n, "wakeLock")) else {
        return;
    };
    let Some(request) = call(&wake_lock, "request", &[JsValue::from_str("screen")]) else {
        return;
    };
    spawn_local(async move {
        // Refused (hidden page, power saving): tried again on the next show.
        if let Ok(sentinel) = JsFuture::from(request).await {
            WAKE_LOCK.set(Some(sentinel));
        }
    });
}

fn storage_manager() -> Option<JsValue> {
    get(&navigator()?, "storage")
}

/// Asks the browser never to evict this kiosk's storage under pressure.
pub fn request_persistent_storage() {
    if let Some(promise) = storage_manager().and_then(|s| call(&s, "persist", &[])) {
        spawn_local(async move {
            let _ = JsFuture::from(promise).await;
        });
    }
}

/// Bytes this origin uses and may use, as the browser estimates them.
pub async fn storage_estimate() -> Option<(f64, f64)> {
    let promise = call(&storage_manager()?, "estimate", &[])?;
    let estimate = JsFuture::from(promise).await.ok()?;
    let number = |name| get(&estimate, name).and_then(|v| v.as_f64());
    Some((number("usage")?, number("quota")?))
}

/// Whether the browser has granted persistent storage; `None` if it cannot say.
pub async fn storage_is_persistent() -> Option<bool> {
    let promise = call(&storage_manager()?, "persisted", &[])?;
    JsFuture::from(promise).await.ok()?.as_bool()
}
