//! A manager's own digest by mail: how often, where, at what local hour,
//! read from and saved to the collector (`/v1/session/digest`), which
//! checks the address and the time zone.

use feedback_domain::alert::DigestSettings;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{fetch_json, Dashboard, Failure};
use crate::messages::DashboardTexts;
use crate::net::dashboard::{self as api, DashboardError};

/// The browser's IANA time zone, if it says.
fn browser_time_zone() -> Option<String> {
    let options = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
        .resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()?
        .as_string()
}

/// The digest form.
#[component]
pub fn DigestForm() -> impl IntoView {
    let texts = expect_context::<&'static DashboardTexts>();
    let settings = LocalResource::new(|| fetch_json::<DigestSettings>("/v1/session/digest".into()));
    view! {
        <section class="digest" aria-labelledby="digest-heading">
            <h2 id="digest-heading">{texts.digest}</h2>
            {move || match settings.get() {
                None => view! { <p>{texts.loading}</p> }.into_any(),
                Some(Err(error)) => view! { <Failure error /> }.into_any(),
                Some(Ok(mut current)) => {
                    if current.frequency == "off" {
                        current.time_zone = browser_time_zone().unwrap_or(current.time_zone);
                    }
                    view! { <Fields current /> }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn Fields(current: DigestSettings) -> impl IntoView {
    let texts = expect_context::<&'static DashboardTexts>();
    let dashboard = expect_context::<Dashboard>();
    let frequency = RwSignal::new(current.frequency);
    let email = RwSignal::new(current.email);
    let hour = RwSignal::new(current.hour);
    let time_zone = RwSignal::new(current.time_zone);
    let (said, set_said) = signal(None::<Result<&'static str, String>>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let asked = DigestSettings {
            frequency: frequency.get_untracked(),
            email: email.get_untracked(),
            hour: hour.get_untracked(),
            time_zone: time_zone.get_untracked(),
        };
        let body = serde_json::to_string(&asked).unwrap_or_default();
        spawn_local(async move {
            match api::put("/v1/session/digest", &body).await {
                Ok(_) => set_said.set(Some(Ok(texts.digest_saved))),
                Err(DashboardError::SignedOut) => dashboard.signed_out.run(()),
                Err(err) => set_said.set(Some(Err(err.to_string()))),
            }
        });
    };
    let [off, daily, weekly] = texts.digest_frequencies;
    let chosen = frequency.get_untracked();
    view! {
        <form class="digest-form" novalidate on:submit=save>
            <label>{texts.digest_how_often}" "
                <select on:change=move |ev| frequency.set(event_target_value(&ev))>
                    <option value="off" selected=chosen == "off">{off}</option>
                    <option value="daily" selected=chosen == "daily">{daily}</option>
                    <option value="weekly" selected=chosen == "weekly">{weekly}</option>
                </select>
            </label>
            <label>{texts.digest_email}" "
                <input type="email" autocomplete="email" prop:value=email
                    on:input=move |ev| email.set(event_target_value(&ev)) />
            </label>
            <label>{texts.digest_hour}" "
                <input type="number" min="0" max="23" inputmode="numeric" prop:value=move || hour.get().to_string()
                    on:input=move |ev| hour.set(event_target_value(&ev).parse().unwrap_or(u8::MAX)) />
            </label>
            <label>{texts.digest_time_zone}" "
                <input type="text" prop:value=time_zone
                    on:input=move |ev| time_zone.set(event_target_value(&ev)) />
            </label>
            <button type="submit">{texts.digest_save}</button>
        </form>
        {move || match said.get() {
            None => None,
            Some(Ok(done)) => Some(view! { <p role="status">{done}</p> }.into_any()),
            Some(Err(error)) => Some(view! { <p class="error" role="alert">{error}</p> }.into_any()),
        }}
    }
}
