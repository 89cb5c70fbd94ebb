//! Every store on one screen: responses, the index per factor, the weakest
//! factor in words and the change on the previous period; worst first.

use std::cmp::Ordering;

use feedback_domain::{Factor, Summary};
use leptos::prelude::*;

use super::data::{KioskList, Overview};
use super::route::{Route, View};
use super::{fetch_json, Dashboard, Failure, PeriodPicker};
use crate::messages::{DashboardTexts, Messages};

/// A store's row, ready to sort and show.
#[derive(Clone, Debug)]
pub struct StoreRow {
    /// The store.
    pub store_id: String,
    /// This period.
    pub now: Summary,
    /// The period before.
    pub before: Summary,
}

impl StoreRow {
    fn value(&self, column: &str) -> Option<f64> {
        match column {
            "responses" => Some(f64::from(self.now.responses())),
            "change" => self.now.index_change(&self.before).map(f64::from),
            "weakest" => self.now.weakest_share().map(|(_, share)| share),
            key => match key.parse::<Factor>() {
                Ok(factor) => self.now.factor(factor).index(),
                Err(_) => self.now.index(),
            },
        }
    }
}

/// Rows in the order asked: by a column (`store`, `responses`, a factor
/// key, `weakest`, `change`), or worst overall index first; rows without
/// figures last either way.
pub fn sort_rows(rows: &mut [StoreRow], column: Option<&str>, descending: bool) {
    rows.sort_by(|a, b| {
        let order = match column {
            Some("store") => a.store_id.cmp(&b.store_id),
            Some(column) => compare(a.value(column), b.value(column)),
            None => compare(a.now.index(), b.now.index()),
        };
        let order = if descending { order.reverse() } else { order };
        order.then_with(|| a.store_id.cmp(&b.store_id))
    });
}

fn compare(a: Option<f64>, b: Option<f64>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The overview.
#[component]
pub fn OverviewView() -> impl IntoView {
    let texts = expect_context::<&'static DashboardTexts>();
    let Dashboard { route, .. } = expect_context::<Dashboard>();
    let window = Memo::new(move |_| route.with(Route::window));
    let overview = LocalResource::new(move || {
        let (from, to) = window.get();
        fetch_json::<Overview>(format!("/v1/overview?from={from}&to={to}"))
    });
    let fleet = LocalResource::new(|| fetch_json::<KioskList>("/v1/kiosks".into()));
    view! {
        <h2>{texts.overview}</h2>
        <PeriodPicker />
        {move || fleet.get().and_then(Result::ok).map(|list| view! {
            <p class="fleet-summary" class:warning={list.silent > 0}>
                {(texts.silent_summary)(list.silent, list.kiosks.len())}
            </p>
        })}
        {move || match overview.get() {
            None => view! { <p>{texts.loading}</p> }.into_any(),
            Some(Err(error)) => view! { <Failure error /> }.into_any(),
            Some(Ok(overview)) => {
                let rows = overview.stores.into_iter().map(|row| StoreRow {
                    store_id: row.store_id,
                    now: row.summary.summary(),
                    before: row.previous.summary(),
                }).collect();
                view! { <StoreTable rows /> }.into_any()
            }
        }}
    }
}

#[component]
fn StoreTable(rows: Vec<StoreRow>) -> impl IntoView {
    let texts = expect_context::<&'static DashboardTexts>();
    let messages = expect_context::<&'static Messages>();
    let Dashboard { route, go, .. } = expect_context::<Dashboard>();
    let mut columns: Vec<(String, &'static str)> = vec![
        ("store".into(), texts.store),
        ("responses".into(), texts.responses),
    ];
    columns.extend(Factor::ALL.map(|f| (f.key().to_owned(), messages.factor(f))));
    columns.push(("weakest".into(), texts.weakest));
    columns.push(("change".into(), texts.change));
    let head = columns
        .into_iter()
        .map(|(key, title)| {
            let sorted = key.clone();
            let sort_state = move || {
                let r = route.get();
                match (&r.sort, r.descending) {
                    (Some(s), false) if *s == sorted => "ascending",
                    (Some(s), true) if *s == sorted => "descending",
                    _ => "none",
                }
            };
            let clicked = key.clone();
            let on_click = move |_| {
                let mut next = route.get_untracked();
                next.descending =
                    next.sort.as_deref() == Some(clicked.as_str()) && !next.descending;
                next.sort = Some(clicked.clone());
                go.run(next);
            };
            view! {
                <th scope="col" aria-sort=sort_state>
                    <button type="button" class="sort" on:click=on_click>{title}</button>
                </th>
            }
        })
        .collect_view();
    let body = move || {
        let r = route.get();
        let mut rows = rows.clone();
        sort_rows(&mut rows, r.sort.as_deref(), r.descending);
        rows.into_iter()
            .map(|row| view! { <StoreLine row /> })
            .collect_view()
    };
    view! {
        <table class="overview-table">
            <caption>{texts.overview_caption}</caption>
            <thead><tr>{head}</tr></thead>
            <tbody>{body}</tbody>
        </table>
    }
}

#[component]
fn StoreLine(row: StoreRow) -> impl IntoView {
    let texts = expect_context::<&'static DashboardTexts>();
    let messages = expect_context::<&'static Messages>();
    let Dashboard { route, go, .. } = expect_context::<Dashboard>();
    let s = row.now;
    let index = |value: Option<f64>| {
        value.map_or_else(
            || texts.not_rated.to_owned(),
            |v| format!("{:.0}", v.round()),
        )
    };
    let factors = Factor::ALL
        .map(|f| view! { <td>{index(s.factor(f).index())}</td> })
        .collect_view();
    let weakest = s.weakest().map_or_else(
        || texts.not_rated.to_owned(),
        |f| messages.factor(f).to_owned(),
    );
    let change = match s.index_change(&row.before) {
        None => {
            view! { <span>{texts.not_rated}</span><span class="sr-only">{texts.no_change}</span> }
                .into_any()
        }
        Some(points) => {
            let (arrow, class) = match points {
                p if p > 0 => ("▲", "up"),
                p if p < 0 => ("▼", "down"),
                _ => ("=", "same"),
            };
            view! {
                <span class=class aria-hidden="true">{format!("{arrow} {}", points.abs())}</span>
                <span class="sr-only">{(texts.change_words)(points)}</span>
            }
            .into_any()
        }
    };
    let store = row.store_id.clone();
    let open = move |_| {
        let mut next = route.get_untracked();
        next.view = View::Store(store.clone());
        next.sort = None;
        next.descending = false;
        go.run(next);
    };
    view! {
        <tr>
            <th scope="row"><button type="button" class="link" on:click=open>{row.store_id.clone()}</button></th>
            <td>{s.responses()}</td>
            {factors}
            <td>{weakest}</td>
            <td class="change">{change}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(store: &str, speed: [u32; 5]) -> StoreRow {
        let mut now = Summary::default();
        now.factors[Factor::Speed.index()].distribution = speed;
        StoreRow {
            store_id: store.into(),
            now,
            before: Summary::default(),
        }
    }

    #[test]
    fn the_worst_store_comes_first_and_stores_without_figures_last() {
        let mut rows = vec![
            row("quiet", [0; 5]),
            row("good", [0, 0, 0, 1, 1]),
            row("bad", [2, 0, 0, 0, 0]),
        ];
        sort_rows(&mut rows, None, false);
        let order: Vec<&str> = rows.iter().map(|r| r.store_id.as_str()).collect();
        assert_eq!(order, ["bad", "good", "quiet"]);
        sort_rows(&mut rows, Some("responses"), true);
        assert_eq!(rows[0].store_id, "bad");
        sort_rows(&mut rows, Some("store"), false);
        let order: Vec<&str> = rows.iter().map(|r| r.store_id.as_str()).collect();
        assert_eq!(order, ["bad", "good", "quiet"]);
    }
}
