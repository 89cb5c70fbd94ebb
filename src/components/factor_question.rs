use feedback_domain::{Factor, Rating};
use leptos::prelude::*;

use crate::components::rating_screen::Entry;
use crate::components::Face;
use crate::messages::Messages;

/// One factor's row of five faces: a radio group named after the factor.
#[component]
pub fn FactorQuestion(
    /// The factor asked about.
    factor: Factor,
    /// What was entered so far; this row shows and sets its factor's rating.
    entry: (ReadSignal<Entry>, WriteSignal<Entry>),
    /// Called after each pick (the idle timer starts again).
    on_pick: Callback<()>,
) -> impl IntoView {
    // Plain signals rather than a derived one and a callback per row: each
    // new signal or callback type is code every customer downloads.
    let (entry, set_entry) = entry;
    let messages = expect_context::<&'static Messages>();
    let heading_id = format!("factor-{}", factor.key());
    let faces = Rating::ALL
        .into_iter()
        .map(|rating| {
            let is_chosen = move || entry.with(|e| e.ratings.get(factor)) == Some(rating);
            view! {
                <label class="face" class:chosen=is_chosen>
                    <Face rating />
                    <span class="face-label">{messages.rating(rating)}</span>
                    <input
                        type="radio"
                        name=factor.key()
                        value=rating.value()
                        prop:checked=is_chosen
                        on:change=move |_| {
                            set_entry.update(|e| e.ratings.set(factor, rating));
                            on_pick.run(());
                        }
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
