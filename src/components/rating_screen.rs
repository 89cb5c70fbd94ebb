use std::sync::Arc;
use std::time::Duration;

use feedback_domain::reason_choices::ReasonChoices;
use feedback_domain::{Factor, Lang, Ratings, ReasonCode, Reasons, MAX_COMMENT_CHARS};
use leptos::prelude::*;

use crate::components::FactorQuestion;
use crate::hooks::use_idle_timer;
use crate::messages::{kiosk_texts, Messages};

/// What the customer did that the kiosk acts on. One event type rather
/// than a callback each: every callback type is code customers download.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomerEvent {
    /// They are done with what they entered: `complete` when they pressed
    /// Send, not when they walked away (idle) or staff took over.
    Finished {
        /// Send was pressed.
        complete: bool,
    },
    /// They chose another language or text size.
    Chose(Customer),
    /// The "Manager" corner control was pressed (after any started response
    /// was handed over as [`CustomerEvent::Finished`]).
    Manager,
}

/// What the customer on screen has entered so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entry {
    /// The faces tapped.
    pub ratings: Ratings,
    /// The reasons tapped, per factor in [`Factor::ALL`] order, as bits over
    /// the reasons offered for it (bit 0: the first); only for factors now
    /// rated 1 or 2. Bits rather than codes: cheaper to keep and compare.
    pub reasons: [u8; 5],
    /// What they typed, at most [`MAX_COMMENT_CHARS`] characters.
    pub comment: String,
}

impl Entry {
    /// Nothing rated and nothing typed.
    pub fn is_empty(&self) -> bool {
        self.ratings.is_empty() && self.comment.is_empty()
    }

    /// The codes of the reasons tapped, of those `offered`.
    pub fn reasons(&self, offered: &ReasonChoices) -> Reasons {
        let mut reasons = Reasons::none();
        for factor in Factor::ALL {
            let chosen = self.reasons[factor.index()];
            for (bit, code) in offered.codes(factor).into_iter().enumerate() {
                if let (true, Ok(code)) = (chosen & (1 << bit) != 0, ReasonCode::parse(code)) {
                    reasons.toggle(factor, code);
                }
            }
        }
        reasons
    }
}

/// What one customer chose besides ratings. It lasts until the thank-you or
/// the idle reset; then the next customer starts afresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Customer {
    /// The language the screen speaks.
    pub lang: Lang,
    /// Larger text on the customer screen.
    pub larger_text: bool,
}

/// The words of the reasons offered for `factor` in `lang`: the kiosk's
/// own where it has them, else the catalogue's for the defaults.
fn reason_texts(
    offered: &ReasonChoices,
    messages: &'static Messages,
    lang: Lang,
    factor: Factor,
) -> Vec<String> {
    match offered.get(factor) {
        [] => messages.reasons[factor.index()]
            .iter()
            .map(|text| (*text).to_owned())
            .collect(),
        own => own.iter().map(|choice| choice.text(lang)).collect(),
    }
}

/// The id of the language switch's button for `lang`.
fn language_button_id(lang: Lang) -> String {
    ["language-", lang.as_str()].concat()
}

/// The customer screen: five factors to rate, a comment, and Send.
///
/// The parent owns what is entered (`ratings`, `comment`) and empties it for
/// each customer; it draws the screen again, with what was entered, when the
/// customer picks another language or larger text.
#[component]
pub fn RatingScreen(
    /// How long to wait, after the last touch of a started response, before
    /// handing it over as incomplete.
    idle_timeout: Duration,
    /// This customer's language and text size.
    customer: Customer,
    /// The languages on the switch, in order; no switch for one.
    offered: Vec<Lang>,
    /// The customer changed language or text size (the idle reset undoes it).
    chosen: bool,
    /// What was entered so far (one signal for ratings and comment: each
    /// signal type is code customers download).
    entry: (ReadSignal<Entry>, WriteSignal<Entry>),
    /// What the customer did; the parent reads what they entered from
    /// `entry`, and ignores a second `Finished`.
    on_event: Callback<CustomerEvent>,
    /// The customer's language. A prop, not a context: the customer kiosk
    /// provides no context at all, which keeps a hash map's code out of it.
    messages: &'static Messages,
    /// The kiosk's own reasons, where it replaces the defaults.
    offered_reasons: Arc<ReasonChoices>,
) -> impl IntoView {
    let (entry, set_entry) = entry;
    let nothing_rated = move || entry.with(|e| e.ratings.is_empty());
    let started = move || chosen || !entry.with(Entry::is_empty);
    let finish = move |complete: bool| on_event.run(CustomerEvent::Finished { complete });
    let idle = use_idle_timer(idle_timeout, Callback::new(move |()| finish(false)));
    let activity = move || {
        if started() {
            idle.touch.run(());
        }
    };
    // Drawn again after a choice: the countdown goes on.
    activity();

    let questions = Factor::ALL
        .into_iter()
        .map(|factor| {
            let reasons = reason_texts(&offered_reasons, messages, customer.lang, factor);
            view! {
                <FactorQuestion factor entry=(entry, set_entry) on_pick=idle.touch messages reasons />
            }
        })
        .collect_view();

    let on_comment = move |ev| {
        let mut text = event_target_value(&ev);
        if let Some((cut, _)) = text.char_indices().nth(MAX_COMMENT_CHARS) {
            text.truncate(cut);
        }
        set_entry.update(|e| e.comment = text);
        activity();
    };
    let send = move |_| {
        if !entry.with_untracked(|e| e.ratings.is_empty()) {
            idle.cancel.run(());
            finish(true);
        }
    };
    let manager = move |_| {
        if started() {
            idle.cancel.run(());
            finish(false);
        }
        on_event.run(CustomerEvent::Manager);
    };
    // The screen is drawn again; focus returns to the control pressed.
    let choose = move |next: Customer, focus: String| {
        on_event.run(CustomerEvent::Chose(next));
        request_animation_frame(move || {
            if let Some(element) = document().get_element_by_id(&focus) {
                if let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element)
                {
                    let _ = element.focus();
                }
            }
        });
    };

    let switch = (offered.len() > 1).then(|| {
        let buttons = offered
            .iter()
            .filter_map(|&lang| Some((lang, kiosk_texts(lang.as_str())?)))
            .map(|(lang, texts)| {
                let id = language_button_id(lang);
                let focus = id.clone();
                view! {
                    <button
                        type="button"
                        id=id
                        lang=texts.lang
                        aria-pressed=if lang == customer.lang { "true" } else { "false" }
                        on:click=move |_| choose(Customer { lang, ..customer }, focus.clone())
                    >
                        {texts.name}
                    </button>
                }
            })
            .collect_view();
        view! {
            <div class="languages" role="group" aria-label=messages.languages>
                {buttons}
            </div>
        }
    });
    let larger = Customer {
        larger_text: !customer.larger_text,
        ..customer
    };

    view! {
        <main class="screen rating" on:pointerdown=move |_| activity() on:keydown=move |_| activity()>
            <header class="rating-header">
                <div>
                    <h1>{messages.question}</h1>
                    <p class="hint">{messages.hint}</p>
                </div>
                <div class="customer-options">
                    {switch}
                    <button
                        type="button"
                        id="larger-text"
                        class="larger-text-toggle"
                        aria-pressed=if customer.larger_text { "true" } else { "false" }
                        on:click=move |_| choose(larger, "larger-text".into())
                    >
                        {messages.larger_text}
                    </button>
                </div>
            </header>
            <div class="factors">{questions}</div>
            <div class="finish">
                <div class="comment">
                    <label for="comment">{messages.comment_label}</label>
                    <textarea
                        id="comment"
                        rows="2"
                        aria-describedby="comment-count"
                        prop:value=move || entry.with(|e| e.comment.clone())
                        on:input=on_comment
                    ></textarea>
                    <span id="comment-count" class="counter">
                        {move || entry.with(|e| e.comment.chars().count())} " / " {MAX_COMMENT_CHARS}
                    </span>
                </div>
                <button
                    type="button"
                    class="send"
                    disabled=nothing_rated
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
