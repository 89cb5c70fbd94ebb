//! What both pages of the kiosk share, set up once per page: the stored
//! settings, the store, the syncer, keeping new settings, and a response
//! waiting to be stored.
//!
//! The customer kiosk ([`crate::App`]) and the manager page
//! ([`crate::ManagerApp`]) call [`KioskContext::open`] first. The manager
//! page provides it to its screens (`expect_context::<KioskContext>()`);
//! the customer kiosk hands what its screens need down as props, because
//! any Leptos context links a hash map's code (about 2 KB gzipped) into the
//! page every customer downloads.

use feedback_domain::pin::PinHash;
use feedback_domain::settings::KioskSettings;
use feedback_domain::Response;
use leptos::prelude::*;

use crate::net::sync::Syncer;
use crate::storage::{ResponseStore, StorageError, StoredSettings};

/// The page's shared state. `Copy`: every part is a reactive handle.
#[derive(Clone, Copy)]
pub struct KioskContext {
    settings: ReadSignal<KioskSettings>,
    set_settings: WriteSignal<KioskSettings>,
    /// One slot for what is not reactive (one stored type is less code for
    /// the customer kiosk than three). Never borrowed across another call
    /// into the context.
    shared: StoredValue<Shared, LocalStorage>,
    damaged: bool,
}

#[derive(Default)]
struct Shared {
    store: Option<ResponseStore>,
    syncer: Option<Syncer>,
    held: Option<Response>,
}

impl KioskContext {
    /// Opens storage and reads the settings; starts syncing if setup is
    /// done (nothing is sent before).
    pub fn open() -> KioskContext {
        // This page's own chunks of responses (see `storage::owners`).
        crate::storage::owners::start();
        let store = ResponseStore::open().ok();
        let stored = store
            .as_ref()
            .map_or(StoredSettings::Missing, ResponseStore::stored_settings);
        let damaged = stored == StoredSettings::Damaged;
        let (settings, set_settings) = signal(match stored {
            StoredSettings::Readable(settings) => settings,
            _ => KioskSettings::default(),
        });
        let context = KioskContext {
            settings,
            set_settings,
            shared: StoredValue::new_local(Shared {
                store,
                ..Shared::default()
            }),
            damaged,
        };
        if settings.with_untracked(KioskSettings::is_set_up) {
            context.start_syncer(settings.get_untracked());
        }
        context
    }

    /// The settings in use; they follow the syncer's own changes (a token
    /// got by enrollment) and [`Self::keep_settings`].
    pub fn settings(&self) -> ReadSignal<KioskSettings> {
        self.settings
    }

    /// Calls `listener` after every sync attempt (to refresh a status view).
    pub fn on_sync_attempt(&self, listener: impl Fn() + 'static) {
        if let Some(syncer) = self.syncer() {
            syncer.on_attempt(listener);
        }
    }

    /// The stored settings could not be read: the kiosk stays out of
    /// service until the manager's PIN or a new `kiosk.json` sets it up.
    pub fn damaged(&self) -> bool {
        self.damaged
    }

    /// The manager's PIN from its own copy, which survives damaged settings.
    pub fn stored_pin(&self) -> Option<PinHash> {
        self.shared
            .with_value(|s| s.store.as_ref().and_then(ResponseStore::manager_pin))
    }

    /// Runs `action` on the store, opening it first if the browser did not
    /// let the page open it before. `action` must not call back into the
    /// context.
    pub fn with_store<T>(
        &self,
        action: impl FnOnce(&mut ResponseStore) -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        self.shared
            .try_update_value(|shared| {
                if shared.store.is_none() {
                    shared.store = Some(ResponseStore::open()?);
                }
                match &mut shared.store {
                    Some(store) => action(store),
                    None => Err(StorageError::Unavailable("no store".into())),
                }
            })
            .unwrap_or_else(|| Err(StorageError::Unavailable("page closed".into())))
    }

    /// Records a fault for the manager view; never fails the caller.
    pub fn record_fault(&self, message: &str) {
        let _ = self.with_store(|store| {
            store.record_fault(js_sys::Date::now() as i64, message);
            Ok(())
        });
    }

    /// Keeps `response` until it can be stored (see [`crate::keeper`]).
    pub fn hold(&self, response: Response) {
        self.shared.update_value(|s| s.held = Some(response));
    }

    /// The response held back, if any (still held).
    pub fn held(&self) -> Option<Response> {
        self.shared.try_with_value(|s| s.held.clone()).flatten()
    }

    /// The response held back, if any, no longer held.
    pub fn take_held(&self) -> Option<Response> {
        self.shared.try_update_value(|s| s.held.take()).flatten()
    }

    /// Keeps new settings: storage first, then the syncer, if one runs,
    /// and the screens. It starts none: the manager page leaves as soon as
    /// setup is done, and a syncer started there could exchange the
    /// enrollment code and be gone before it stored the token. The customer
    /// kiosk calls [`Self::start_syncing`].
    pub fn keep_settings(&self, next: KioskSettings) -> Result<(), StorageError> {
        crate::persist_settings(&next)?;
        if let Some(syncer) = self.syncer() {
            syncer.update_settings(next.clone());
        }
        self.set_settings.set(next);
        Ok(())
    }

    /// Starts syncing with the settings in use, once setup is done, unless
    /// a syncer already runs.
    pub fn start_syncing(&self) {
        let settings = self.settings.get_untracked();
        if self.syncer().is_none() && settings.is_set_up() {
            self.start_syncer(settings);
        }
    }

    /// A response was stored: the syncer sends it soon.
    pub fn saved(&self) {
        if let Some(syncer) = self.syncer() {
            syncer.saved();
        }
    }

    /// The manager's "Sync now", in every tab of the kiosk.
    pub fn sync_now(&self) {
        if let Some(syncer) = self.syncer() {
            syncer.sync_now();
        }
    }

    fn syncer(&self) -> Option<Syncer> {
        self.shared.try_with_value(|s| s.syncer.clone()).flatten()
    }

    fn start_syncer(&self, settings: KioskSettings) {
        let syncer = Syncer::start(settings);
        let set_settings = self.set_settings;
        syncer.on_settings(move |next| set_settings.set(next));
        self.shared.update_value(|s| s.syncer = Some(syncer));
    }
}
