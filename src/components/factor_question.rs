use feedback_domain::reason::asks_why;
use feedback_domain::{Factor, Rating};
use leptos::prelude::*;

use crate::components::rating_screen::Entry;
use crate::components::Face;
use crate::messages::Messages;

/// One factor's row of five faces: a radio group named after the factor,
/// and, while it is rated 1 or 2, the reasons to tap ("What went wrong?").
#[component]
pub fn FactorQuestion(
    /// The factor asked about.
    factor: Factor,
    /// What was entered so far; this row shows and sets its factor's rating.
    entry: (ReadSignal<Entry>, WriteSignal<Entry>),
    /// Called after each pick (the idle timer starts again).
    on_pick: Callback<()>,
    /// The customer's language.
    messages: &'static Messages,
    /// The words of the reasons offered after a rating of 1 or 2.
    reasons: Vec<String>,
) -> impl IntoView {
    // Plain signals rather than a derived one and a callback per row: each
    // new signal or callback type is code every customer downloads.
    let (entry, set_entry) = entry;
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
                            set_entry.update(|e| {
                                e.ratings.set(factor, rating);
                                if !asks_why(rating) {
                                    e.reasons[factor.index()] = 0;
                                }
                            });
                            on_pick.run(());
                        }
                    />
                </label>
            }
        })
        .collect_view();
    // Always drawn; the style sheet shows them only while a face of 1 or 2 is
    // checked (hidden, they are out of the tab order and the accessibility
    // tree). Nothing is built again while a customer taps, and no signal
    // watches the rating for them.
    let reasons = reasons
        .into_iter()
        .enumerate()
        .map(|(bit, text)| {
            let bit = 1u8 << bit;
            let is_chosen = move || entry.with(|e| e.reasons[factor.index()] & bit != 0);
            view! {
                <button
                    type="button"
                    class="reason"
                    aria-pressed=move || if is_chosen() { "true" } else { "false" }
                    on:click=move |_| {
                        set_entry.update(|e| e.reasons[factor.index()] ^= bit);
                        on_pick.run(());
                    }
                >
                    {text}
                </button>
            }
        })
        .collect_view();
    view! {
        <section class="factor">
            <h2 class="factor-name" id=heading_id.clone()>{messages.factor(factor)}</h2>
            <div class="faces" role="radiogroup" aria-labelledby=heading_id>
                {faces}
            </div>
            <div class="reasons" role="group" aria-label=messages.why>
                {reasons}
            </div>
        </section>
    }
}
