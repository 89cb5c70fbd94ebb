//! The feedback kiosk: a Leptos client-side app customers use at a store's
//! exit. Two pages share this library: the customer kiosk (`main.rs` mounts
//! [`App`]) and the manager page (`bin/manager.rs` mounts [`ManagerApp`]:
//! setup, PIN pad, manager view), built separately so the kiosk customers
//! load stays small. A third page, the chain [`dashboard`], is served by the
//! collector. Everything lives here so browser tests can use it.
//!
//! - [`storage`] is the only module that touches `localStorage`;
//! - [`net`] is the only module that talks to the network;
//! - [`messages`] holds every text a person reads.

mod app;
pub mod codec;
pub mod components;
pub mod context;
pub mod dashboard;
mod download;
pub mod hooks;
pub mod keeper;
pub mod local_time;
pub mod locks;
mod manager_app;
pub mod messages;
pub mod net;
pub mod pin_gate;
pub mod provisioning;
pub mod random;
pub mod shell;
pub mod storage;

pub use app::App;

#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
pub use manager_app::ManagerApp;

/// Where the manager page is, relative to the customer kiosk.
pub const MANAGER_PAGE: &str = "manager/";
/// Where the customer kiosk is, relative to the manager page.
pub const KIOSK_PAGE: &str = "../";

/// Opens another page of the app (the customer kiosk or the manager page).
pub fn navigate(to: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(to);
    }
}

/// Leaves this page for another without leaving this one in the history,
/// so Back cannot bring it back (the manager page uses it).
pub fn leave_for(to: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(to);
    }
}

/// Loads this page afresh.
pub fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// Saves settings, recording a failure for the manager view.
pub(crate) fn persist_settings(
    next: &feedback_domain::settings::KioskSettings,
) -> Result<(), storage::StorageError> {
    storage::ResponseStore::open().and_then(|mut store| {
        store.save_settings(next).inspect_err(|err| {
            store.record_fault(
                js_sys::Date::now() as i64,
                &format!("could not save settings: {err}"),
            );
        })
    })
}
