use std::time::Duration;

use feedback_domain::pin::{PinHash, MAX_DIGITS};
use leptos::prelude::*;

use crate::hooks::use_idle_timer;
use crate::local_time::now_ms;
use crate::messages::ManagerTexts;
use crate::pin_gate::{check_pin, current_lock, PinCheck};

/// How long the pad waits for a PIN before going back to the customer screen.
const PAD_IDLE: Duration = Duration::from_secs(60);

/// The PIN pad in front of the manager view. Five wrong PINs in a row, here
/// or in the change-PIN form, in any tab, lock it for five minutes; the
/// count and the lock are kept in storage, so a reload does not reset them
/// ([`crate::pin_gate`]).
#[component]
pub fn PinPad(
    /// The manager PIN's hash; none: no PIN opens the view.
    pin_hash: Signal<Option<PinHash>>,
    /// The right PIN was entered.
    on_open: Callback<()>,
    /// Back to the customer screen.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let texts = expect_context::<&'static ManagerTexts>();
    let m = &texts.pin;
    let pin = RwSignal::new(String::new());
    let lock = RwSignal::new(current_lock());
    let now = RwSignal::new(now_ms());
    let message = RwSignal::new(None::<String>);
    let checking = RwSignal::new(false);

    // Tick so the remaining time counts down, the pad opens again by
    // itself, and a lock caused in another tab shows here too.
    let ticker = set_interval_with_handle(
        move || {
            now.set(now_ms());
            lock.set(current_lock());
        },
        Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        if let Some(ticker) = ticker {
            ticker.clear();
        }
    });
    let remaining = move || lock.with(|l| l.remaining_ms(now.get()));
    let locked = move || remaining().is_some();

    let idle = use_idle_timer(PAD_IDLE, on_cancel);
    idle.touch.run(());

    let check = move || {
        let entered = pin.get_untracked();
        if locked() || entered.is_empty() || checking.get_untracked() {
            return;
        }
        checking.set(true);
        pin.set(String::new());
        leptos::task::spawn_local(async move {
            let outcome = check_pin(entered, pin_hash.get_untracked()).await;
            checking.try_set(false);
            lock.try_set(current_lock());
            match outcome {
                PinCheck::Right => on_open.run(()),
                PinCheck::Wrong { attempts_left } => {
                    message.try_set(Some((m.wrong)(attempts_left)));
                }
                PinCheck::Locked { .. } => {
                    message.try_set(None);
                }
            }
        });
    };

    let digit_buttons = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"]
        .into_iter()
        .map(|digit| {
            view! {
                <button
                    type="button"
                    class="key"
                    disabled=locked
                    on:click=move |_| {
                        pin.update(|p| {
                            if p.len() < MAX_DIGITS {
                                p.push_str(digit);
                            }
                        })
                    }
                >
                    {digit}
                </button>
            }
        })
        .collect_view();

    view! {
        <main
            class="screen pin-pad"
            on:pointerdown=move |_| idle.touch.run(())
            on:keydown=move |_| idle.touch.run(())
        >
            <h1>{m.title}</h1>
            <form
                class="pin-form"
                on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    check();
                }
            >
                <label for="pin">{m.label}</label>
                <input
                    id="pin"
                    type="password"
                    inputmode="numeric"
                    autocomplete="off"
                    maxlength=MAX_DIGITS
                    disabled=locked
                    aria-describedby="pin-error"
                    aria-invalid=move || (message.with(Option::is_some) || remaining().is_some()).then_some("true")
                    prop:value=move || pin.get()
                    on:input=move |ev| {
                        let digits: String = event_target_value(&ev)
                            .chars()
                            .filter(char::is_ascii_digit)
                            .take(MAX_DIGITS)
                            .collect();
                        pin.set(digits);
                    }
                />
                <p class="error" id="pin-error" role="alert">
                    {move || match remaining() {
                        Some(ms) => Some((m.locked)(ms)),
                        None => message.get(),
                    }}
                </p>
                <div class="keys">
                    {digit_buttons}
                    <button
                        type="button"
                        class="key"
                        disabled=locked
                        on:click=move |_| {
                            pin.update(|p| {
                                p.pop();
                            })
                        }
                    >
                        {m.delete}
                    </button>
                    <button type="submit" class="key primary" disabled=locked>
                        {m.open}
                    </button>
                </div>
                <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>
                    {m.cancel}
                </button>
            </form>
        </main>
    }
}
