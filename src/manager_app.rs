use feedback_domain::pin::PinHash;
use feedback_domain::settings::KioskSettings;
use leptos::prelude::*;

use crate::components::{ManagerView, PinPad, SetupScreen};
use crate::context::KioskContext;
use crate::hooks::{use_page_leave, PageLeave};
use crate::messages::{kiosk_texts, manager_texts, EN, EN_MANAGER, LANGUAGES};

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
    let kiosk = KioskContext::open();
    provide_context(kiosk);
    let settings = kiosk.settings();
    let damaged = kiosk.damaged();
    let pin = kiosk.stored_pin();
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
    // The page speaks the kiosk's default language, or the manager's choice.
    let lang = RwSignal::new(settings.with_untracked(|s| s.starting_language(LANGUAGES)));
    let texts = move || manager_texts(lang.get().as_str()).unwrap_or(&EN_MANAGER);
    Effect::new(move || {
        document().set_title(texts().view.title);
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.get().as_str());
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
        kiosk
            .keep_settings(next)
            .map_err(|_| texts().setup.save_failed.to_owned())
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
    let on_sync_now = Callback::new(move |()| kiosk.sync_now());
    let settings = Signal::from(settings);

    let screens = move || {
        // Each screen is drawn afresh in the language chosen.
        let texts = texts();
        provide_context(texts);
        let messages = kiosk_texts(lang.get().as_str()).unwrap_or(&EN);
        provide_context(messages);
        match screen.get() {
            Screen::Setup => {
                view! { <SetupScreen initial=settings.get_untracked() on_done=on_setup /> }
                    .into_any()
            }
            Screen::PinPad => view! { <PinPad pin_hash on_open on_cancel=to_kiosk /> }.into_any(),
            Screen::Manager => view! {
                <ManagerView
                    settings
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
    };
    let offered = move || settings.with(|s| s.offered(LANGUAGES));
    let switch = move || {
        let buttons = offered()
            .into_iter()
            .filter_map(|l| Some((l, kiosk_texts(l.as_str())?)))
            .map(|(l, named)| {
                view! {
                    <button
                        type="button"
                        lang=named.lang
                        aria-pressed=move || (lang.get() == l).to_string()
                        on:click=move |_| lang.set(l)
                    >
                        {named.name}
                    </button>
                }
            })
            .collect_view();
        view! {
            <div class="languages page-languages" role="group" aria-label=move || kiosk_texts(lang.get().as_str()).unwrap_or(&EN).languages>
                {buttons}
            </div>
        }
    };
    view! {
        {switch}
        {screens}
    }
}
