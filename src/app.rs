use std::time::Duration;

use feedback_domain::sync::token_fingerprint;
use feedback_domain::{Comment, Response, ResponseId, Timestamp};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{Draft, OutOfService, OutOfServiceReason, RatingScreen, ThankYou};
use crate::messages::{Messages, EN};
use crate::net;
use crate::net::sync::Syncer;
use crate::settings::KioskSettings;
use crate::storage::{ResponseStore, StorageError, StoredSettings};

/// How often an out-of-service kiosk tries again to store what it holds.
const RETRY_EVERY: Duration = Duration::from_secs(10);
/// How long the first start waits for `kiosk.json` before going to setup anyway.
const PROVISIONING_WAIT: Duration = Duration::from_secs(3);

/// What the kiosk shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Screen {
    /// First start: waiting briefly for `kiosk.json` to prefill setup, which
    /// is on the manager page.
    Starting,
    /// The customer screen; each new `round` is a fresh, empty screen.
    Rating { round: u32 },
    /// The thank-you screen during the cool-down.
    ThankYou,
    /// Feedback cannot be stored: a calm screen for staff.
    OutOfService(OutOfServiceReason),
}

/// The customer kiosk.
#[component]
pub fn App() -> impl IntoView {
    let messages: &'static Messages = &EN;
    provide_context(messages);
    document().set_title(messages.page_title);

    let store = StoredValue::new_local(ResponseStore::open().ok());
    let stored = store.with_value(|s| {
        s.as_ref()
            .map_or(StoredSettings::Missing, ResponseStore::stored_settings)
    });
    // Damaged settings never reopen a free setup: out of service until the
    // manager's PIN or a new `kiosk.json` sets the kiosk up again.
    let damaged = stored == StoredSettings::Damaged;
    let (settings, set_settings) = signal(match stored {
        StoredSettings::Readable(settings) => settings,
        _ => KioskSettings::default(),
    });
    let (screen, set_screen) = signal(match store.with_value(Option::is_some) {
        false => Screen::OutOfService(OutOfServiceReason::StorageUnavailable),
        true if damaged => Screen::OutOfService(OutOfServiceReason::SettingsDamaged),
        true if settings.with_untracked(KioskSettings::is_set_up) => Screen::Rating { round: 0 },
        true => Screen::Starting,
    });
    // A response that could not be stored yet; kept until it can be.
    let held = StoredValue::new_local(None::<Response>);
    // This page's own chunks of responses (see `storage::owners`).
    crate::storage::owners::start();
    // Nothing is sent before setup is done (the kiosk goes to setup first).
    let syncer = StoredValue::new_local(
        settings
            .with_untracked(KioskSettings::is_set_up)
            .then(|| Syncer::start(settings.get_untracked())),
    );
    let follow = move |s: &Syncer| s.on_settings(move |next| set_settings.set(next));
    syncer.with_value(|s| s.as_ref().map(follow));

    // Keeps new settings: storage first, then the syncer and the screens.
    let keep_settings = move |next: KioskSettings| -> Result<(), StorageError> {
        crate::persist_settings(&next)?;
        match syncer.with_value(Option::clone) {
            Some(s) => s.update_settings(next.clone()),
            None if next.is_set_up() => {
                let started = Syncer::start(next.clone());
                follow(&started);
                syncer.set_value(Some(started));
            }
            None => {}
        }
        set_settings.set(next);
        Ok(())
    };

    // `kiosk.json` provisions the kiosk: applied at first start, and again
    // whenever its content changes, so whoever runs the stores' IT can
    // change it centrally; an unchanged file never undoes settings changed
    // on the kiosk.
    let leave_starting = move || {
        if screen.get_untracked() == Screen::Starting {
            // Until setup is done the kiosk takes no responses.
            crate::navigate(crate::MANAGER_PAGE);
        }
    };
    spawn_local(async move {
        if let Ok(text) = net::fetch_settings_text().await {
            let fingerprint = token_fingerprint(&text);
            let applied = store.with_value(|s| s.as_ref().and_then(ResponseStore::provisioned));
            if applied != Some(fingerprint) {
                // Damaged settings start again from the defaults, keeping
                // only the manager's PIN (from its own copy).
                let base = if damaged {
                    KioskSettings {
                        manager_pin: store
                            .with_value(|s| s.as_ref().and_then(ResponseStore::manager_pin)),
                        ..KioskSettings::default()
                    }
                } else {
                    settings.get_untracked()
                };
                if let Ok(next) = base.provisioned(&text) {
                    let set_up = next.is_set_up();
                    if keep_settings(next).is_ok() {
                        store.update_value(|s| {
                            if let Some(s) = s {
                                let _ = s.save_provisioned(fingerprint);
                            }
                        });
                        if damaged {
                            set_screen.set(if set_up {
                                Screen::Rating { round: 0 }
                            } else {
                                Screen::Starting
                            });
                        }
                    }
                }
            }
        }
        leave_starting();
    });
    set_timeout(leave_starting, PROVISIONING_WAIT);

    // The kiosk is an app: offline shell, screen kept on, storage kept.
    crate::shell::register_service_worker();
    crate::shell::keep_screen_awake();
    crate::shell::request_persistent_storage();
    let no_context_menu = window_event_listener(leptos::ev::contextmenu, |ev| ev.prevent_default());
    on_cleanup(move || no_context_menu.remove());

    let next_customer = move || {
        // Between customers is the one moment a new version may take over:
        // nobody is mid-response. The page then reloads into it.
        if !crate::shell::take_waiting_update() {
            crate::shell::check_for_update();
        }
        set_screen.update(|screen| {
            *screen = match *screen {
                Screen::Rating { round } => Screen::Rating { round: round + 1 },
                _ => Screen::Rating { round: 0 },
            }
        })
    };

    // Stores `response`; on failure holds it and takes the kiosk out of service.
    let keep = move |response: Response| -> bool {
        let identity = settings.with_untracked(KioskSettings::identity);
        let result = store
            .try_update_value(|store| match store {
                Some(store) => store.save(&identity, &response).map(|_| ()),
                None => ResponseStore::open().and_then(|mut opened| {
                    let saved = opened.save(&identity, &response).map(|_| ());
                    *store = Some(opened);
                    saved
                }),
            })
            .unwrap_or(Err(StorageError::Unavailable("app closed".into())));
        match result {
            Ok(()) => {
                syncer.with_value(|s| s.as_ref().map(Syncer::saved));
                true
            }
            Err(err) => {
                store.update_value(|s| {
                    if let Some(s) = s {
                        s.record_fault(now(), &format!("could not save a response: {err}"));
                    }
                });
                held.set_value(Some(response));
                set_screen.set(Screen::OutOfService(match err {
                    StorageError::Full => OutOfServiceReason::StorageFull,
                    _ => OutOfServiceReason::StorageUnavailable,
                }));
                false
            }
        }
    };

    let on_finish = Callback::new(move |draft: Draft| {
        let complete = draft.complete;
        let Some(response) = to_response(draft) else {
            // Only a comment, or nothing: nothing to keep, but clear the screen.
            next_customer();
            return;
        };
        if !keep(response) {
            return;
        }
        if complete {
            set_screen.set(Screen::ThankYou);
            let cooldown = u64::from(settings.with_untracked(KioskSettings::cooldown_ms));
            set_timeout(
                move || {
                    if screen.get_untracked() == Screen::ThankYou {
                        next_customer();
                    }
                },
                Duration::from_millis(cooldown),
            );
        } else {
            next_customer();
        }
    });

    // Out of service: keep trying to store what is held (sync may free room).
    let _ = set_interval_with_handle(
        move || {
            if !matches!(screen.get_untracked(), Screen::OutOfService(_)) {
                return;
            }
            match held.try_update_value(Option::take).flatten() {
                Some(response) => {
                    if keep(response) {
                        next_customer();
                    }
                }
                None => {
                    if let Ok(opened) = ResponseStore::open() {
                        store.set_value(Some(opened));
                        next_customer();
                    }
                }
            }
        },
        RETRY_EVERY,
    );

    let idle_timeout = Signal::derive(move || {
        Duration::from_millis(u64::from(settings.with(KioskSettings::idle_timeout_ms)))
    });
    let on_manager = Callback::new(move |()| crate::navigate(crate::MANAGER_PAGE));

    move || match screen.get() {
        Screen::Starting => view! { <main class="screen starting"></main> }.into_any(),
        Screen::Rating { .. } => {
            view! { <RatingScreen idle_timeout on_finish on_manager /> }.into_any()
        }
        Screen::ThankYou => view! { <ThankYou /> }.into_any(),
        Screen::OutOfService(reason) => view! { <OutOfService reason on_manager /> }.into_any(),
    }
}

/// The response a draft makes, if anything was rated.
fn to_response(draft: Draft) -> Option<Response> {
    // The screen already limits the comment's length; cut again rather than
    // lose the ratings if it ever did not.
    let text: String = draft
        .comment
        .chars()
        .take(feedback_domain::MAX_COMMENT_CHARS)
        .collect();
    let comment = Comment::parse(&text).ok().flatten();
    Response::new(
        ResponseId(crate::random::new_uuid()),
        Timestamp(now()),
        draft.ratings,
        comment,
        draft.complete,
    )
    .ok()
}

fn now() -> i64 {
    js_sys::Date::now() as i64
}
