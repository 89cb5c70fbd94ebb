use leptos::prelude::*;

use crate::components::{ManagerView, PinPad, SetupScreen};
use crate::messages::{ManagerTexts, Messages, EN, EN_MANAGER};
use crate::net::sync::Syncer;
use crate::settings::KioskSettings;
use crate::storage::ResponseStore;

/// What the manager page shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Screen {
    /// First start: store, kiosk, endpoint, token and PIN.
    Setup,
    /// The PIN pad before the manager view.
    PinPad,
    /// The manager view.
    Manager,
}

/// The manager page: first-start setup, the PIN pad, and the manager view.
/// Leaving it (Close, Cancel, two idle minutes, setup done) returns to the
/// customer kiosk.
#[component]
pub fn ManagerApp() -> impl IntoView {
    let messages: &'static Messages = &EN;
    let texts: &'static ManagerTexts = &EN_MANAGER;
    provide_context(messages);
    provide_context(texts);
    document().set_title(texts.view.title);

    let stored = ResponseStore::open().ok().and_then(|s| s.settings());
    let (settings, set_settings) = signal(stored.unwrap_or_default());
    let (screen, set_screen) = signal(if settings.with_untracked(KioskSettings::is_set_up) {
        Screen::PinPad
    } else {
        Screen::Setup
    });
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
        }
    });

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
    let to_kiosk = Callback::new(|()| crate::navigate(crate::KIOSK_PAGE));
    let on_setup = Callback::new(move |next: KioskSettings| {
        keep_settings(next)?;
        crate::navigate(crate::KIOSK_PAGE);
        Ok(())
    });
    let on_settings = Callback::new(keep_settings);
    let on_open = Callback::new(move |()| set_screen.set(Screen::Manager));
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
        Screen::PinPad => view! { <PinPad settings on_open on_cancel=to_kiosk /> }.into_any(),
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
    }
}
