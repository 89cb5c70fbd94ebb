//! Web Locks (`navigator.locks`): the one way the kiosk's tabs agree on who
//! does what. A lock is held by a tab until its work is done, or, for
//! [`hold`], until the tab is gone (closed, reloaded, crashed): the browser
//! releases it then, which is how another tab learns that its owner is gone.
//!
//! Web Locks exist only in secure contexts (https, or http on localhost) and
//! recent browsers; every function here says when they are missing, and
//! callers fall back (see [`crate::storage::owners`]).

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

/// `navigator.locks` and its `request` method, where available.
fn lock_manager() -> Option<(JsValue, Function)> {
    let navigator = web_sys::window()?.navigator();
    let locks = Reflect::get(&navigator, &"locks".into()).ok()?;
    if locks.is_undefined() || locks.is_null() {
        return None;
    }
    let request = Reflect::get(&locks, &"request".into()).ok()?;
    Some((locks, request.dyn_into().ok()?))
}

/// Whether this browser offers Web Locks here.
pub fn available() -> bool {
    lock_manager().is_some()
}

fn options(if_available: bool) -> Object {
    let options = Object::new();
    if if_available {
        let _ = Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    }
    options
}

/// Runs `work` holding the lock `name`. With `if_available`, `None` at once
/// if another tab holds it; otherwise it waits its turn. `None` too when the
/// browser has no Web Locks: then `work` did not run, and the caller decides.
pub async fn with_lock<F, Fut, T>(name: &str, if_available: bool, work: F) -> Option<T>
where
    F: FnOnce() -> Fut + 'static,
    Fut: Future<Output = T> + 'static,
    T: 'static,
{
    let (locks, request) = lock_manager()?;
    let result: Rc<RefCell<Option<T>>> = Rc::new(RefCell::new(None));
    let slot = Rc::clone(&result);
    let callback = Closure::once_into_js(move |lock: JsValue| -> Promise {
        if lock.is_null() {
            return Promise::resolve(&JsValue::FALSE);
        }
        future_to_promise(async move {
            let value = work().await;
            *slot.borrow_mut() = Some(value);
            Ok(JsValue::TRUE)
        })
    });
    let promise = request
        .call3(&locks, &name.into(), &options(if_available), &callback)
        .ok()
        .and_then(|p| p.dyn_into::<Promise>().ok())?;
    let _ = JsFuture::from(promise).await;
    result.take()
}

/// Takes the lock `name` and keeps it for as long as this page lives.
/// `Some(true)`: held; `Some(false)`: another tab holds it (only asked with
/// `if_available`); `None`: no Web Locks here.
pub async fn hold(name: &str, if_available: bool) -> Option<bool> {
    let (locks, request) = lock_manager()?;
    let mut granted_slot: Option<Function> = None;
    let granted = Promise::new(&mut |resolve, _| granted_slot = Some(resolve));
    let resolve = granted_slot?;
    let callback = Closure::once_into_js(move |lock: JsValue| -> Promise {
        let held = !lock.is_null();
        let _ = resolve.call1(&JsValue::NULL, &JsValue::from_bool(held));
        if held {
            // Never settles: the lock is released when the page goes.
            Promise::new(&mut |_, _| {})
        } else {
            Promise::resolve(&JsValue::FALSE)
        }
    });
    request
        .call3(&locks, &name.into(), &options(if_available), &callback)
        .ok()?;
    JsFuture::from(granted).await.ok().map(|v| v.is_truthy())
}
