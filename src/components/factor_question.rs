use feedback_domain::{Factor, Rating};
use leptos::prelude::*;

use crate::components::Face;
use crate::messages::Messages;

/// One factor's row of five faces: a radio group named after the factor.
#[component]
pub fn FactorQuestion(
    /// The factor asked about.
    factor: Factor,
    /// The rating chosen so far, if any.
    chosen: Signal<Option<Rating>>,
    /// Called with the face the customer picks.
    on_choose: Callback<Rating>,
) -> impl IntoView {
    let messages = expect_context::<&'static Messages>();
    let heading_id = format!("factor-{}", factor.key());
    let faces = Rating::ALL
        .into_iter()
        .map(|rating| {
            let is_chosen = move || chosen.get() == Some(rating);
            view! {
                <label class="face" class:chosen=is_chosen>
                    <Face rating />
                    <span class="face-label">{messages.rating(rating)}</span>
                    <input
                        type="radio"
                        name=factor.key()
                        value=rating.value()
                        prop:checked=is_chosen
                        on:change=move |_| on_choose.run(rating)
                    />
                </label>
            }
        })
        .collect_view();
    view! {
        <section class="factor">
            <h2 class="factor-name" id=heading_id.clone()>{messages.factor(factor)}</h2>
            <div class="faces" role="radiogroup" aria-labelledby=heading_id>
                {faces}
            </div>
        </section>
    }
}
