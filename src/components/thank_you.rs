use leptos::prelude::*;

use crate::messages::Messages;

/// Shown after Send for the cool-down. It has no controls, so taps on it do nothing.
#[component]
pub fn ThankYou(
    /// The customer's language.
    messages: &'static Messages,
) -> impl IntoView {
    view! {
        <main class="screen thank-you">
            <h1>{messages.thank_you}</h1>
            <p>{messages.thank_you_detail}</p>
        </main>
    }
}
