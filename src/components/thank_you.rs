use leptos::prelude::*;

use crate::messages::Messages;

/// Shown after Send for the cool-down. It has no controls, so taps on it do nothing.
#[component]
pub fn ThankYou() -> impl IntoView {
    let messages = expect_context::<&'static Messages>();
    view! {
        <main class="screen thank-you">
            <h1>{messages.thank_you}</h1>
            <p>{messages.thank_you_detail}</p>
        </main>
    }
}
