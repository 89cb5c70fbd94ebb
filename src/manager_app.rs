use feedback_domain::pin::PinHash;
use leptos::prelude::*;

use crate::components::{ManagerView, PinPad, SetupScreen};
use crate::hooks::{use_page_leave, PageLeave};
use crate::messages::{ManagerTexts, Messages, EN, EN_MANAGER};
use crate::net::sync::Syncer;
use crate::settings::KioskSettings;
use crate::storage::{ResponseStore, StoredSettings};

/// What the manager page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Screen {
    /// First start: store, kiosk, endpoint, enrollment code and PIN.
    Setup,
    /// The PIN pad before the manager view (or, with damaged settings,
    /// before setup).
    PinPad,
    /// The manager view.
    Manager,
    /// Damaged settings and no PIN to check: only `kiosk.json` can
    /// provision the kiosk again.
    Damaged,
}

/// The manager page: first-start setup, the PIN pad, and the manager view.
/// Leaving it (Close, Cancel, two idle minutes, setup done) returns to the
/// customer kiosk. A view that is left, hidden or restored from the
/// back/forward cache is locked, and what it showed is dropped.
#[component]
pub fn ManagerApp() -> impl IntoView {
    let messages: &'static Messages = &EN;
    let texts: &'static ManagerTexts = &EN_MANAGER;
    provide_context(messages);
    provide_context(texts);
    document().set_title(texts.view.title);
    crate::storage::owners::start();

    let store = ResponseStore::open().ok();
    let stored = store
        .as_ref()
        .map_or(StoredSettings::Missing, ResponseStore::stored_settings);
    let pin = store.as_ref().and_then(ResponseStore::manager_pin);
    let damaged = matches!(stored, StoredSettings::Damaged);
    let (settings, set_settings) = signal(match stored {
        StoredSettings::Readable(settings) => settings,
        _ => KioskSettings::default(),
    });
    let (screen, set_screen) = signal(match (damaged, &pin) {
        (true, None) => Screen::Damaged,
        (true, Some(_)) => Screen::PinPad,
        _ if settings.with_untracked(KioskSettings::is_set_up) => Screen::PinPad,
        _ => Screen::Setup,
    });
    let pin_hash: Signal<Option<PinHash>> = if damaged {
        Signal::stored(pin)
    } else {
        Signal::derive(move || settings.with(|s| s.manager_pin.clone()))
    };
    // Responses keep flowing while a manager looks; "Sync now" uses this
    // too. Nothing is sent before setup is done.
    let syncer = StoredValue::new_local(
        settings
            .with_untracked(KioskSettings::is_set_up)
            .then(|| Syncer::start(settings.get_untracked())),
    );
    let (sync_tick, set_sync_tick) = signal(0u32);
    syncer.with_value(|s| {
        if let Some(s) = s {
            s.on_attempt(move || set_sync_tick.update(|t| *t += 1));
            s.on_settings(move |next| set_settings.set(next));
        }
    });

    // Lock before anything else can see the page: leaving, hiding, or the
    // back/forward cache bringing it back.
    let lock = move || {
        if screen.get_untracked() == Screen::Manager {
            set_screen.set(Screen::PinPad);
        }
    };
    use_page_leave(move |how| {
        lock();
        if how == PageLeave::Restored {
            crate::reload();
        }
    });
    let leave = move || {
        lock();
        crate::leave_for(crate::KIOSK_PAGE);
    };

    let keep_settings = move |next: KioskSettings| -> Result<(), String> {
        crate::persist_settings(&next).map_err(|_| texts.setup.save_failed.to_owned())?;
        syncer.with_value(|s| {
            if let Some(s) = s {
                s.update_settings(next.clone());
            }
        });
        set_settings.set(next);
        Ok(())
    };
    let to_kiosk = Callback::new(move |()| leave());
    let on_setup = Callback::new(move |next: KioskSettings| {
        keep_settings(next)?;
        leave();
        Ok(())
    });
    let on_settings = Callback::new(keep_settings);
    let on_open = Callback::new(move |()| {
        set_screen.set(if damaged {
            Screen::Setup
        } else {
            Screen::Manager
        })
    });
    let on_sync_now = Callback::new(move |()| {
        syncer.with_value(|s| {
            if let Some(s) = s {
                s.sync_now();
            }
        })
    });
    let settings = Signal::from(settings);

    move || match screen.get() {
        Screen::Setup => {
            view! { <SetupScreen initial=settings.get_untracked() on_done=on_setup /> }.into_any()
        }
        Screen::PinPad => view! { <PinPad pin_hash on_open on_cancel=to_kiosk /> }.into_any(),
        Screen::Manager => view! {
            <ManagerView
                settings
                sync_tick=Signal::from(sync_tick)
                on_settings
                on_sync_now
                on_close=to_kiosk
            />
        }
        .into_any(),
        Screen::Damaged => view! {
            <main class="screen out-of-service" role="alert">
                <h1>{messages.out_of_service}</h1>
                <p>{texts.setup.damaged}</p>
            </main>
        }
        .into_any(),
    }
}
