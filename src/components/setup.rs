use feedback_domain::pin::{self, PinError, PinHash};
use leptos::prelude::*;

use crate::messages::ManagerTexts;
use feedback_domain::settings::KioskSettings;

/// The first-start screen: who this kiosk is, where it sends, and the
/// manager's PIN. Customers cannot give feedback until it is done.
#[component]
pub fn SetupScreen(
    /// Settings so far (from `kiosk.json`, or defaults), to prefill the form.
    initial: KioskSettings,
    /// Called with the completed settings; returns an error text if they could not be kept.
    on_done: Callback<KioskSettings, Result<(), String>>,
) -> impl IntoView {
    let texts = expect_context::<&'static ManagerTexts>();
    let m = &texts.setup;
    let store_id = RwSignal::new(initial.store_id.clone());
    let kiosk_id = RwSignal::new(initial.kiosk_id.clone());
    let endpoint = RwSignal::new(initial.endpoint.clone());
    let code = RwSignal::new(initial.enrollment_code.clone());
    let new_pin = RwSignal::new(String::new());
    let repeat_pin = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    // Which fields the error is about, so it is read out with them.
    let ids_wrong = RwSignal::new(false);
    let pin_wrong = RwSignal::new(false);
    let initial = StoredValue::new(initial);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let store = store_id.get_untracked().trim().to_owned();
        let kiosk = kiosk_id.get_untracked().trim().to_owned();
        ids_wrong.set(store.is_empty() || kiosk.is_empty());
        pin_wrong.set(false);
        if ids_wrong.get_untracked() {
            error.set(Some(m.ids_required.into()));
            return;
        }
        let pin_text = new_pin.get_untracked();
        let Some(pin_hash) = hash_new_pin(&pin_text, &repeat_pin.get_untracked(), error, texts)
        else {
            pin_wrong.set(true);
            return;
        };
        let mut settings = initial.get_value();
        settings.store_id = store;
        settings.kiosk_id = kiosk;
        settings.endpoint = endpoint.get_untracked().trim().to_owned();
        let code = code.get_untracked().trim().to_owned();
        if !code.is_empty() {
            settings.enrollment_code = code;
        }
        settings.manager_pin = Some(pin_hash);
        match on_done.run(settings) {
            Ok(()) => error.set(None),
            Err(text) => error.set(Some(text)),
        }
    };

    view! {
        <main class="screen setup">
            <h1>{m.title}</h1>
            <p class="hint">{m.intro}</p>
            <form class="form" on:submit=submit novalidate>
                <TextField id="setup-store" label=m.store_id value=store_id error=(ids_wrong, "setup-error") />
                <TextField id="setup-kiosk" label=m.kiosk_id value=kiosk_id error=(ids_wrong, "setup-error") />
                <TextField id="setup-endpoint" label=m.endpoint value=endpoint hint=m.endpoint_hint />
                <TextField id="setup-code" label=m.enrollment_code value=code hint=m.enrollment_hint />
                <TextField id="setup-pin" label=m.new_pin value=new_pin secret=true numeric=true hint=m.pin_hint error=(pin_wrong, "setup-error") />
                <TextField id="setup-pin2" label=m.repeat_pin value=repeat_pin secret=true numeric=true error=(pin_wrong, "setup-error") />
                <p class="error" id="setup-error" role="alert">{move || error.get()}</p>
                <button type="submit" class="primary">{m.start}</button>
            </form>
        </main>
    }
}

/// A labelled text input bound to `value`.
#[component]
pub fn TextField(
    /// The input's id.
    id: &'static str,
    /// Its visible label, which is also its accessible name.
    label: &'static str,
    /// The text.
    value: RwSignal<String>,
    /// A line of help under it.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// Masked, never offered for autofill.
    #[prop(optional)]
    secret: bool,
    /// Digits: a numeric keyboard on tablets.
    #[prop(optional)]
    numeric: bool,
    /// A placeholder.
    #[prop(optional)]
    placeholder: Option<&'static str>,
    /// When the flag is set, the field is marked invalid and described by
    /// the element with this id (the form's error).
    #[prop(optional)]
    error: Option<(RwSignal<bool>, &'static str)>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let invalid = move || error.is_some_and(|(wrong, _)| wrong.get());
    let described_by = move || {
        let ids: Vec<String> = hint
            .map(|_| hint_id.clone())
            .into_iter()
            .chain(
                invalid()
                    .then(|| error.map(|(_, id)| id.to_owned()))
                    .flatten(),
            )
            .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                type=if secret { "password" } else { "text" }
                inputmode=numeric.then_some("numeric")
                autocomplete="off"
                autocapitalize="off"
                spellcheck="false"
                placeholder=placeholder
                aria-describedby=described_by
                aria-invalid=move || invalid().then_some("true")
                bind:value=value
            />
            {hint.map(|text| view! { <span class="field-hint" id=format!("{id}-hint")>{text}</span> })}
        </div>
    }
}

/// The hash of a new PIN entered twice, or `None` after putting what is
/// wrong with it in `error`.
pub fn hash_new_pin(
    pin: &str,
    repeated: &str,
    error: RwSignal<Option<String>>,
    texts: &ManagerTexts,
) -> Option<PinHash> {
    match pin::check_new(pin, repeated) {
        Ok(()) => Some(PinHash::new(pin, &new_salt())),
        Err(err) => {
            error.set(Some(
                match err {
                    PinError::Format => texts.setup.pin_format,
                    PinError::Mismatch => texts.setup.pin_mismatch,
                }
                .into(),
            ));
            None
        }
    }
}

/// 16 random bytes for a PIN's salt.
fn new_salt() -> [u8; 16] {
    crate::random::random_16()
}
