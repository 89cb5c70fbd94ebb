use std::time::Duration;

use feedback_domain::reason_choices::ReasonChoices;
use feedback_domain::settings::KioskSettings;
use feedback_domain::{Comment, Reasons, Response, ResponseId, Timestamp};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::{
    Customer, CustomerEvent, Entry, OutOfService, OutOfServiceReason, RatingScreen, ThankYou,
};
use crate::context::KioskContext;
use crate::hooks::{use_service_worker, use_wake_lock};
use crate::keeper;
use crate::messages::{kiosk_texts, Messages, EN, LANGUAGES};
use crate::provisioning::{apply_kiosk_json, Provisioned};

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
    /// The customer screen; each new `round` is a fresh, empty screen. A
    /// customer choosing another language or larger text redraws it, with
    /// what they entered kept.
    Rating { round: u32, customer: Customer },
    /// The thank-you screen during the cool-down, in the customer's language.
    ThankYou(Customer),
    /// Feedback cannot be stored: a calm screen for staff.
    OutOfService(OutOfServiceReason),
}

/// The customer kiosk.
#[component]
pub fn App() -> impl IntoView {
    let kiosk = KioskContext::open();
    let settings = kiosk.settings();
    // The next customer starts in the kiosk's language, at normal size.
    let fresh = move || Customer {
        lang: settings.with_untracked(|s| s.starting_language(LANGUAGES)),
        larger_text: false,
    };
    let (screen, set_screen) = signal(match kiosk.with_store(|_| Ok(())).is_ok() {
        false => Screen::OutOfService(OutOfServiceReason::StorageUnavailable),
        true if kiosk.damaged() => Screen::OutOfService(OutOfServiceReason::SettingsDamaged),
        true if settings.with_untracked(KioskSettings::is_set_up) => Screen::Rating {
            round: 0,
            customer: fresh(),
        },
        true => Screen::Starting,
    });
    // What the customer on screen entered; kept when the screen is redrawn.
    let entry = signal(Entry::default());

    let leave_starting = move || {
        if screen.get_untracked() == Screen::Starting {
            // Until setup is done the kiosk takes no responses.
            crate::navigate(crate::MANAGER_PAGE);
        }
    };
    spawn_local(async move {
        if let Provisioned::Applied { set_up } = apply_kiosk_json(kiosk).await {
            if kiosk.damaged() {
                set_screen.set(if set_up {
                    Screen::Rating {
                        round: 0,
                        customer: fresh(),
                    }
                } else {
                    Screen::Starting
                });
            }
        }
        leave_starting();
    });
    set_timeout(leave_starting, PROVISIONING_WAIT);

    // The kiosk is an app: offline shell, screen kept on, storage kept.
    let shell = use_service_worker();
    use_wake_lock();
    crate::shell::request_persistent_storage();
    let no_context_menu = window_event_listener(leptos::ev::contextmenu, |ev| ev.prevent_default());
    on_cleanup(move || no_context_menu.remove());

    let next_customer = move || {
        // Between customers is the one moment a new version may take over:
        // nobody is mid-response. The page then reloads into it.
        shell.between_customers.run(());
        entry.1.set(Entry::default());
        let round = match screen.get_untracked() {
            Screen::Rating { round, .. } => round + 1,
            _ => 0,
        };
        set_screen.set(Screen::Rating {
            round,
            customer: fresh(),
        });
    };

    // Out of service while something is held or storage cannot be used.
    let out_of_service = move |kept: Result<(), OutOfServiceReason>| match kept {
        Ok(()) => true,
        Err(reason) => {
            set_screen.set(Screen::OutOfService(reason));
            false
        }
    };
    // Stores `response`; on failure holds it and takes the kiosk out of service.
    let keep = move |response: Response| -> bool {
        let identity = settings.with_untracked(KioskSettings::identity);
        out_of_service(keeper::keep(&kiosk, &identity, response))
    };

    let finish = move |complete: bool| {
        // Once per screen: the thank-you or the next screen has taken over.
        let Screen::Rating { customer, .. } = screen.get_untracked() else {
            return;
        };
        let Some(response) = settings.with_untracked(|s| {
            entry
                .0
                .with_untracked(|e| to_response(e, complete, customer, &s.reasons))
        }) else {
            // Only a comment, or nothing: nothing to keep, but clear the screen.
            next_customer();
            return;
        };
        if !keep(response) {
            return;
        }
        if complete {
            let thanking = Screen::ThankYou(customer);
            set_screen.set(thanking);
            let cooldown = u64::from(settings.with_untracked(KioskSettings::cooldown_ms));
            set_timeout(
                move || {
                    if screen.get_untracked() == thanking {
                        next_customer();
                    }
                },
                Duration::from_millis(cooldown),
            );
        } else {
            next_customer();
        }
    };
    let on_event = Callback::new(move |event: CustomerEvent| match event {
        CustomerEvent::Finished { complete } => finish(complete),
        CustomerEvent::Chose(customer) => {
            if let Screen::Rating { round, .. } = screen.get_untracked() {
                set_screen.set(Screen::Rating { round, customer });
            }
        }
        CustomerEvent::Manager => crate::navigate(crate::MANAGER_PAGE),
    });

    // Out of service: keep trying to store what is held (sync may free room).
    let _ = set_interval_with_handle(
        move || {
            if !matches!(screen.get_untracked(), Screen::OutOfService(_)) {
                return;
            }
            let identity = settings.with_untracked(KioskSettings::identity);
            if out_of_service(keeper::retry(&kiosk, &identity)) {
                next_customer();
            }
        },
        RETRY_EVERY,
    );

    let on_manager = Callback::new(move |()| crate::navigate(crate::MANAGER_PAGE));

    move || {
        let current = screen.get();
        let customer = match current {
            Screen::Rating { customer, .. } | Screen::ThankYou(customer) => customer,
            _ => fresh(),
        };
        // Each screen is drawn in its customer's language.
        let messages = texts(customer);
        speak(messages, customer.larger_text);
        announce(match current {
            Screen::ThankYou(_) => messages.thank_you,
            Screen::OutOfService(OutOfServiceReason::StorageFull) => messages.storage_full,
            Screen::OutOfService(_) => messages.out_of_service,
            _ => "",
        });
        match current {
            Screen::Starting => view! { <main class="screen starting"></main> }.into_any(),
            Screen::Rating { .. } => {
                let offered = settings.with_untracked(|s| s.offered(LANGUAGES));
                view! {
                    <RatingScreen
                        idle_timeout=Duration::from_millis(u64::from(
                            settings.with_untracked(KioskSettings::idle_timeout_ms),
                        ))
                        customer
                        offered
                        chosen=customer != fresh()
                        entry
                        on_event
                        messages
                        offered_reasons=settings.with_untracked(|s| s.reasons.clone())
                    />
                }
                .into_any()
            }
            Screen::ThankYou(_) => view! { <ThankYou messages /> }.into_any(),
            Screen::OutOfService(reason) => {
                view! { <OutOfService reason on_manager messages /> }.into_any()
            }
        }
    }
}

/// The customer kiosk's texts in `customer`'s language.
fn texts(customer: Customer) -> &'static Messages {
    kiosk_texts(customer.lang.as_str()).unwrap_or(&EN)
}

/// Puts `text` in the page's live region (`#announcer` in `index.html`),
/// which screen readers read out when it changes.
fn announce(text: &str) {
    if let Some(region) = document().get_element_by_id("announcer") {
        region.set_text_content(Some(text));
    }
}

/// Sets the page's language and title to `messages`' own, and its text
/// size (a class on the root element, so every screen follows).
fn speak(messages: &'static Messages, larger_text: bool) {
    let document = document();
    document.set_title(messages.page_title);
    if let Some(root) = document.document_element() {
        let _ = root.set_attribute("lang", messages.lang);
        root.set_class_name(if larger_text { "larger-text" } else { "" });
    }
}

/// The response a customer's entries make, if anything was rated.
fn to_response(
    entry: &Entry,
    complete: bool,
    customer: Customer,
    offered: &ReasonChoices,
) -> Option<Response> {
    // The screen already limits the comment's length; cut again rather than
    // lose the ratings if it ever did not.
    let text: String = entry
        .comment
        .chars()
        .take(feedback_domain::MAX_COMMENT_CHARS)
        .collect();
    let comment = Comment::parse(&text).ok().flatten();
    // The screen drops the reasons of a face no longer low; were one left,
    // the ratings are kept without reasons rather than lost.
    let reasons = entry.reasons(offered);
    let reasons = match reasons.check(&entry.ratings) {
        Ok(()) => reasons,
        Err(_) => Reasons::none(),
    };
    Response::new(
        ResponseId(crate::random::new_uuid()),
        Timestamp(js_sys::Date::now() as i64),
        entry.ratings,
        comment,
        complete,
    )
    .ok()?
    .in_language(Some(customer.lang))
    .with_reasons(reasons)
    .ok()
}
