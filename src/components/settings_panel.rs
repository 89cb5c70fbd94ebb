//! The manager view's settings: who the kiosk is, where it sends, how long
//! it waits, and the manager's PIN.

use leptos::prelude::*;

use super::setup::{hash_new_pin, TextField};
use crate::messages::{kiosk_texts, ManagerTexts, LANGUAGES};
use crate::pin_gate::{check_pin, PinCheck};
use feedback_domain::settings::KioskSettings;

/// The settings panel.
#[component]
pub fn SettingsPanel(
    settings: Signal<KioskSettings>,
    on_settings: Callback<KioskSettings, Result<(), String>>,
) -> impl IntoView {
    let texts = expect_context::<&'static ManagerTexts>();
    let m = &texts.view;
    let setup = &texts.setup;
    let pin_texts = &texts.pin;
    let current = settings.get_untracked();
    let store_id = RwSignal::new(current.store_id.clone());
    let kiosk_id = RwSignal::new(current.kiosk_id.clone());
    let endpoint = RwSignal::new(current.endpoint.clone());
    let token = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let idle = RwSignal::new((current.idle_timeout_ms / 1000).to_string());
    let cooldown = RwSignal::new((current.cooldown_ms / 1000).to_string());
    let status = RwSignal::new(None::<String>);
    let offered = RwSignal::new(current.offered(LANGUAGES));
    let default_lang = RwSignal::new(current.starting_language(LANGUAGES));

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut next = settings.get_untracked();
        let store = store_id.get_untracked().trim().to_owned();
        let kiosk = kiosk_id.get_untracked().trim().to_owned();
        if store.is_empty() || kiosk.is_empty() {
            status.set(Some(setup.ids_required.into()));
            return;
        }
        let seconds =
            |text: String, max: u32| text.trim().parse::<u32>().ok().filter(|&s| s <= max);
        let (Some(idle_s), Some(cool_s)) = (
            seconds(idle.get_untracked(), 3600).filter(|&s| s >= 1),
            seconds(cooldown.get_untracked(), 60),
        ) else {
            status.set(Some(m.bad_seconds.into()));
            return;
        };
        let chosen = offered.get_untracked();
        let default = default_lang.get_untracked();
        if !chosen.contains(&default) {
            status.set(Some(m.no_language.into()));
            return;
        }
        next.languages = chosen;
        next.default_language = default;
        next.store_id = store;
        next.kiosk_id = kiosk;
        next.endpoint = endpoint.get_untracked().trim().to_owned();
        let new_token = token.get_untracked().trim().to_owned();
        if !new_token.is_empty() {
            next.token = new_token;
        }
        let new_code = code.get_untracked().trim().to_owned();
        if !new_code.is_empty() {
            next.enrollment_code = new_code;
        }
        next.idle_timeout_ms = idle_s * 1000;
        next.cooldown_ms = cool_s * 1000;
        match on_settings.run(next) {
            Ok(()) => {
                token.set(String::new());
                code.set(String::new());
                status.set(Some(m.saved.into()));
            }
            Err(text) => status.set(Some(text)),
        }
    };

    let old_pin = RwSignal::new(String::new());
    let new_pin = RwSignal::new(String::new());
    let repeat_pin = RwSignal::new(String::new());
    let pin_status = RwSignal::new(None::<String>);
    let change_pin = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Checked before the old PIN, so a typo costs no attempt.
        let Some(pin_hash) = hash_new_pin(
            &new_pin.get_untracked(),
            &repeat_pin.get_untracked(),
            pin_status,
            texts,
        ) else {
            return;
        };
        let current = settings.with_untracked(|s| s.manager_pin.clone());
        let entered = old_pin.get_untracked();
        old_pin.set(String::new());
        leptos::task::spawn_local(async move {
            match check_pin(entered, current).await {
                PinCheck::Right => {}
                PinCheck::Wrong { attempts_left } => {
                    let text = format!(
                        "{} {}",
                        m.current_pin_wrong,
                        (pin_texts.wrong)(attempts_left)
                    );
                    pin_status.try_set(Some(text));
                    return;
                }
                PinCheck::Locked { remaining_ms } => {
                    pin_status.try_set(Some((pin_texts.locked)(remaining_ms)));
                    return;
                }
            }
            let mut next = settings.get_untracked();
            next.manager_pin = Some(pin_hash);
            match on_settings.run(next) {
                Ok(()) => {
                    for field in [new_pin, repeat_pin] {
                        field.try_set(String::new());
                    }
                    pin_status.try_set(Some(m.pin_changed.into()));
                }
                Err(text) => {
                    pin_status.try_set(Some(text));
                }
            }
        });
    };

    // Every language there are texts for, each in its own name.
    let named = || {
        LANGUAGES
            .iter()
            .filter_map(|tag| Some((feedback_domain::Lang::parse(tag).ok()?, kiosk_texts(tag)?)))
    };
    let language_boxes = named()
        .map(|(lang, texts)| {
            let toggle = move |ev| {
                let on = event_target_checked(&ev);
                offered.update(|list| {
                    list.retain(|l| *l != lang);
                    if on {
                        list.push(lang);
                        // In the catalogue's order.
                        list.sort_by_key(|l| LANGUAGES.iter().position(|t| *t == l.as_str()));
                    }
                });
            };
            view! {
                <label class="check">
                    <input
                        type="checkbox"
                        prop:checked=move || offered.with(|list| list.contains(&lang))
                        on:change=toggle
                    />
                    <span lang=texts.lang>{texts.name}</span>
                </label>
            }
        })
        .collect_view();
    let default_options = named()
        .map(|(lang, texts)| {
            view! {
                <option value=texts.lang selected=move || default_lang.get() == lang>
                    {texts.name}
                </option>
            }
        })
        .collect_view();
    let choose_default = move |ev| {
        if let Ok(lang) = feedback_domain::Lang::parse(&event_target_value(&ev)) {
            default_lang.set(lang);
        }
    };

    view! {
           <section class="panel" aria-labelledby="settings-heading">
               <h2 id="settings-heading">{m.settings}</h2>
               <form class="form" on:submit=save novalidate>
                   <TextField id="set-store" label=setup.store_id value=store_id />
                   <TextField id="set-kiosk" label=setup.kiosk_id value=kiosk_id />
                   <TextField id="set-endpoint" label=setup.endpoint value=endpoint hint=setup.endpoint_hint />
                   <TextField
                       id="set-token"
                       label=setup.token
                       value=token
                       secret=true
                       hint=if current.token.is_empty() { m.token_unset } else { m.token_set }
                       placeholder=if current.token.is_empty() { "" } else { "••••••••" }
                   />
    <TextField id="set-code" label=setup.enrollment_code value=code hint=setup.enrollment_hint />
                   <TextField id="set-idle" label=m.idle_timeout value=idle numeric=true />
                   <TextField id="set-cooldown" label=m.cooldown value=cooldown numeric=true />
                   <fieldset class="field choices">
                       <legend>{m.languages}</legend>
                       {language_boxes}
                   </fieldset>
                   <div class="field">
                       <label for="set-default-language">{m.default_language}</label>
                       <select id="set-default-language" on:change=choose_default>
                           {default_options}
                       </select>
                   </div>
                   <p class="status" role="status">{move || status.get()}</p>
                   <button type="submit" class="primary">{m.save}</button>
               </form>
               <h3>{m.change_pin}</h3>
               <form class="form" on:submit=change_pin novalidate>
                   <TextField id="pin-old" label=m.current_pin value=old_pin secret=true numeric=true />
                   <TextField id="pin-new" label=setup.new_pin value=new_pin secret=true numeric=true />
                   <TextField id="pin-new2" label=setup.repeat_pin value=repeat_pin secret=true numeric=true />
                   <p class="status" role="status">{move || pin_status.get()}</p>
                   <button type="submit" class="primary">{m.change_pin}</button>
               </form>
           </section>
       }
}
