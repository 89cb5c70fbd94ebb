//! What customers wrote, newest first, filterable by a factor rated 1–2
//! and by text. A comment is a text node: markup in it is shown, never run.

use feedback_domain::Factor;
use leptos::prelude::*;
use serde::Deserialize;

use super::route::{encode, Route};
use super::{fetch_json, Dashboard, Failure};
use crate::local_time::format_local;
use crate::messages::{DashboardTexts, Messages};

/// One comment of `GET /v1/comments`.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct CommentItem {
    /// Its kiosk.
    pub kiosk_id: String,
    /// When, RFC 3339.
    pub created_at: String,
    /// The text.
    pub comment: String,
    /// Ratings by factor key.
    pub ratings: std::collections::BTreeMap<String, u8>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
struct CommentList {
    comments: Vec<CommentItem>,
}

/// The comments of a store's period.
#[component]
pub fn Comments(
    /// The store.
    store: String,
) -> impl IntoView {
    let texts = expect_context::<&'static DashboardTexts>();
    let messages = expect_context::<&'static Messages>();
    let Dashboard { route, go, .. } = expect_context::<Dashboard>();
    let asked = Memo::new(move |_| route.with(|r| (r.window(), r.low.clone(), r.q.clone())));
    let id = encode(&store);
    let list = LocalResource::new(move || {
        let ((from, to), low, q) = asked.get();
        let mut path = format!(
            "/v1/comments?store_id={id}&from={}&to={}",
            encode(&from),
            encode(&to)
        );
        if let Some(low) = low {
            path.push_str(&format!("&low={}", encode(&low)));
        }
        if let Some(q) = q {
            path.push_str(&format!("&q={}", encode(&q)));
        }
        fetch_json::<CommentList>(path)
    });
    let set = move |change: fn(&mut Route, Option<String>), value: String| {
        let mut next = route.get_untracked();
        change(&mut next, (!value.trim().is_empty()).then_some(value));
        go.run(next);
    };
    let options = Factor::ALL
        .map(|f| {
            let selected = move || route.with(|r| r.low.as_deref() == Some(f.key()));
            view! { <option value=f.key() selected=selected>{messages.factor(f)}</option> }
        })
        .collect_view();
    let (search, set_search) = signal(route.with_untracked(|r| r.q.clone().unwrap_or_default()));
    let rating_words = move |item: &CommentItem| {
        item.ratings
            .iter()
            .filter_map(|(key, value)| {
                let factor = key.parse::<Factor>().ok()?;
                let rating = feedback_domain::Rating::new(i64::from(*value)).ok()?;
                Some(format!(
                    "{}: {}",
                    messages.factor(factor),
                    messages.rating(rating)
                ))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    view! {
        <div class="comment-filters">
            <label>{texts.low_filter}" "
                <select on:change=move |ev| set(|r, v| r.low = v, event_target_value(&ev))>
                    <option value="" selected=move || route.with(|r| r.low.is_none())>{texts.any_rating}</option>
                    {options}
                </select>
            </label>
            <form role="search" on:submit=move |ev| {
                ev.prevent_default();
                set(|r, v| r.q = v, search.get_untracked());
            }>
                <label>{texts.search_comments}" "
                    <input type="search" prop:value=search on:input=move |ev| set_search.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="secondary">{texts.search}</button>
            </form>
        </div>
        {move || match list.get() {
            None => view! { <p>{texts.loading}</p> }.into_any(),
            Some(Err(error)) => view! { <Failure error /> }.into_any(),
            Some(Ok(list)) if list.comments.is_empty() => view! { <p class="empty">{texts.no_comments}</p> }.into_any(),
            Some(Ok(list)) => {
                let items = list
                    .comments
                    .into_iter()
                    .map(|item| {
                        let meta = format!(
                            "{} · {} · {}",
                            format_local(js_sys::Date::parse(&item.created_at) as i64),
                            item.kiosk_id,
                            rating_words(&item)
                        );
                        view! {
                            <li>
                                <p class="comment-text">{item.comment}</p>
                                <p class="comment-meta">{meta}</p>
                            </li>
                        }
                    })
                    .collect_view();
                view! { <ul class="comments">{items}</ul> }.into_any()
            }
        }}
    }
}
