use std::time::Duration;

use feedback_domain::{Factor, Ratings, MAX_COMMENT_CHARS};
use leptos::prelude::*;

use crate::components::FactorQuestion;
use crate::hooks::use_idle_timer;
use crate::messages::Messages;

/// What a customer entered on the rating screen.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    /// The faces tapped.
    pub ratings: Ratings,
    /// What they typed, at most [`MAX_COMMENT_CHARS`] characters.
    pub comment: String,
    /// `true`: they pressed Send; `false`: they walked away.
    pub complete: bool,
}

/// The customer screen: five factors to rate, a comment, and Send.
///
/// It starts empty every time it is mounted; the parent mounts a new one for
/// each customer.
#[component]
pub fn RatingScreen(
    /// How long to wait, after the last touch of a started response, before
    /// handing it over as incomplete.
    idle_timeout: Signal<Duration>,
    /// Called once, with the response sent or left behind.
    on_finish: Callback<Draft>,
    /// The "Manager" corner control was pressed (after any started
    /// response was handed over as incomplete).
    on_manager: Callback<()>,
) -> impl IntoView {
    let messages = expect_context::<&'static Messages>();
    let (ratings, set_ratings) = signal(Ratings::none());
    let (comment, set_comment) = signal(String::new());
    let (finished, set_finished) = signal(false);

    let started = move || !ratings.with(Ratings::is_empty) || !comment.with(String::is_empty);
    let finish = move |complete: bool| {
        if finished.get_untracked() {
            return;
        }
        set_finished.set(true);
        on_finish.run(Draft {
            ratings: ratings.get_untracked(),
            comment: comment.get_untracked(),
            complete,
        });
    };
    let idle = use_idle_timer(idle_timeout, move || finish(false));
    let activity = move || {
        if started() {
            idle.touch.run(());
        }
    };

    let questions = Factor::ALL
        .into_iter()
        .map(|factor| {
            let chosen = Signal::derive(move || ratings.with(|r| r.get(factor)));
            let on_choose = Callback::new(move |rating| {
                set_ratings.update(|r| r.set(factor, rating));
                idle.touch.run(());
            });
            view! { <FactorQuestion factor chosen on_choose /> }
        })
        .collect_view();

    let on_comment = move |ev| {
        let text = event_target_value(&ev);
        let text = match text.char_indices().nth(MAX_COMMENT_CHARS) {
            Some((cut, _)) => text[..cut].to_owned(),
            None => text,
        };
        set_comment.set(text);
        activity();
    };
    let send = move |_| {
        if !ratings.with_untracked(Ratings::is_empty) {
            idle.cancel.run(());
            finish(true);
        }
    };

    let manager = move |_| {
        if started() {
            idle.cancel.run(());
            finish(false);
        }
        on_manager.run(());
    };

    view! {
        <main class="screen rating" on:pointerdown=move |_| activity() on:keydown=move |_| activity()>
            <header class="rating-header">
                <h1>{messages.question}</h1>
                <p class="hint">{messages.hint}</p>
            </header>
            <div class="factors">{questions}</div>
            <div class="finish">
                <div class="comment">
                    <label for="comment">{messages.comment_label}</label>
                    <textarea
                        id="comment"
                        rows="2"
                        aria-describedby="comment-count"
                        prop:value=comment
                        on:input=on_comment
                    ></textarea>
                    <span id="comment-count" class="counter">
                        {move || comment.with(|c| c.chars().count())} " / " {MAX_COMMENT_CHARS}
                    </span>
                </div>
                <button
                    type="button"
                    class="send"
                    disabled=move || ratings.with(Ratings::is_empty)
                    on:click=send
                >
                    {messages.send}
                </button>
            </div>
            // Last in keyboard order; drawn in the top corner.
            <button type="button" class="manager-link" on:click=manager>
                {messages.manager}
            </button>
        </main>
    }
}
