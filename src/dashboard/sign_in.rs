//! The sign-in form.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::messages::DashboardTexts;
use crate::net::dashboard::{self as api, DashboardError};

/// Username, password, "Sign in"; a refusal is said next to the form.
#[component]
pub fn SignIn(
    /// Why the manager is here (a session that ended, no network).
    notice: ReadSignal<Option<&'static str>>,
    /// Signed in, with this account name.
    on_signed_in: Callback<String>,
) -> impl IntoView {
    let texts = expect_context::<&'static DashboardTexts>();
    let (username, set_username) = signal(String::new());
    let (password, set_password) = signal(String::new());
    let (error, set_error) = signal(None::<String>);
    let (busy, set_busy) = signal(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        set_busy.set(true);
        let (name, secret) = (username.get_untracked(), password.get_untracked());
        spawn_local(async move {
            match api::sign_in(&name, &secret).await {
                Ok(_) => on_signed_in.run(name),
                Err(DashboardError::Unreachable) => set_error.set(Some(texts.unreachable.into())),
                Err(err) => set_error.set(Some(err.to_string())),
            }
            set_password.set(String::new());
            set_busy.set(false);
        });
    };
    view! {
        <main class="dashboard sign-in">
            <h1>{texts.title}</h1>
            <form on:submit=submit aria-labelledby="sign-in-heading">
                <h2 id="sign-in-heading">{texts.sign_in_title}</h2>
                {move || notice.get().map(|text| view! { <p class="notice" role="status">{text}</p> })}
                <label for="username">{texts.username}</label>
                <input id="username" name="username" autocomplete="username" required
                    aria-describedby="sign-in-error"
                    prop:value=username on:input=move |ev| set_username.set(event_target_value(&ev)) />
                <label for="password">{texts.password}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required
                    aria-describedby="sign-in-error"
                    prop:value=password on:input=move |ev| set_password.set(event_target_value(&ev)) />
                <p id="sign-in-error" class="error" role="alert">{move || error.get()}</p>
                <button type="submit" class="primary" disabled=busy>{texts.sign_in}</button>
            </form>
        </main>
    }
}
