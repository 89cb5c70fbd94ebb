//! The summary of a period, shared by the kiosk's manager view and the
//! chain dashboard.

use std::sync::Arc;

use feedback_domain::reason::low_ratings;
use feedback_domain::reason_choices::ReasonChoices;
use feedback_domain::report::{percent, Bucket, TrendPoint};
use feedback_domain::{Factor, Lang, ReasonCode, ReasonTally, Summary};
use leptos::prelude::*;

use crate::components::charts::{DistributionBar, TrendChart};
use crate::messages::{in_sentence, ManagerTexts, Messages};

/// A summary as the kiosk's manager view and the dashboard show it: the
/// counts, the weakest factor in words (with its most named reason), a
/// table per factor, the reasons named after low ratings, the distribution
/// bars and the trend. One implementation for both, so they
/// can never disagree.
#[component]
pub fn SummaryPanel(
    /// The responses summarised.
    summary: Summary,
    /// The reasons they named after low ratings.
    reasons: ReasonTally,
    /// The kiosk's own reasons, whose words it knows (the kiosk's manager
    /// view); without them, the catalogue's words or the code's.
    #[prop(optional)]
    own_reasons: Option<Arc<ReasonChoices>>,
    /// How the trend is grouped.
    bucket: Bucket,
    /// The trend's points, oldest first.
    trend: Vec<TrendPoint>,
) -> impl IntoView {
    let messages = expect_context::<&'static Messages>();
    let texts = expect_context::<&'static ManagerTexts>();
    let m = &texts.view;
    let s = summary;
    if s.responses() == 0 {
        return view! { <p class="empty">{m.no_responses}</p> }.into_any();
    }
    let lang = Lang::parse(messages.lang).unwrap_or(Lang::EN);
    let words = |factor: Factor, code: &ReasonCode| {
        let own = own_reasons.as_ref().and_then(|own| {
            let choice = own.get(factor).iter().find(|c| c.code == *code)?;
            Some(in_sentence(choice.text(lang)))
        });
        own.unwrap_or_else(|| messages.reason(factor, code))
    };
    let top =
        |factor: Factor, limit: usize| reasons.top(factor, low_ratings(s.factor(factor)), limit);
    let weakest = s.weakest_share().map(|(factor, share)| {
        let named = top(factor, 1).into_iter().next().map(|r| {
            let share = r.share_of_low.map_or(0, percent);
            (words(factor, &r.code), share)
        });
        let named = named
            .as_ref()
            .map(|(words, share)| (words.as_str(), *share));
        (m.weakest)(messages.factor(factor), percent(share), named)
    });
    let reason_items = Factor::ALL
        .into_iter()
        .filter_map(|factor| {
            let named = top(factor, usize::MAX);
            let first = named.first()?.count;
            let counts = named
                .iter()
                .map(|r| {
                    let words = words(factor, &r.code);
                    (m.reason_count)(&words, r.count, r.share_of_low.map(percent))
                })
                .collect::<Vec<_>>()
                .join(", ");
            (first > 0).then(|| {
                view! {
                    <li>
                        <strong>{messages.factor(factor)}</strong>
                        ": "
                        {counts}
                    </li>
                }
            })
        })
        .collect::<Vec<_>>();
    let reasons_list = (!reason_items.is_empty()).then(|| {
        view! {
            <h3>{m.reasons}</h3>
            <ul class="reasons-list">{reason_items}</ul>
        }
    });
    let figure = |value: Option<f64>, show: &dyn Fn(f64) -> String| {
        value.map_or_else(|| m.not_rated.to_owned(), show)
    };
    let rows = Factor::ALL
        .into_iter()
        .map(|factor| {
            let f = s.factor(factor);
            view! {
                <tr>
                    <th scope="row">{messages.factor(factor)}</th>
                    <td>{f.count()}</td>
                    <td>{figure(f.average(), &|a| texts.decimal(a))}</td>
                    <td>{figure(f.share_satisfied(), &|v| format!("{}%", percent(v)))}</td>
                    <td>{figure(f.index(), &|v| format!("{:.0}", v.round()))}</td>
                </tr>
            }
        })
        .collect_view();
    let bars = Factor::ALL
        .into_iter()
        .map(|factor| {
            view! { <DistributionBar name=messages.factor(factor) summary=*s.factor(factor) /> }
        })
        .collect_view();
    let columns = m
        .columns
        .map(|title| view! { <th scope="col">{title}</th> })
        .collect_view();
    view! {
        <p class="counts">{(m.counts)(s.responses(), s.complete, s.partial)}</p>
        {weakest.map(|text| view! { <p class="weakest">{text}</p> })}
        <table class="factors-table">
            <caption>{m.table_caption}</caption>
            <thead><tr>{columns}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {reasons_list}
        <h3>{m.distribution}</h3>
        <div class="distributions">{bars}</div>
        <h3>{m.trend}</h3>
        <TrendChart bucket points=trend />
    }
    .into_any()
}
