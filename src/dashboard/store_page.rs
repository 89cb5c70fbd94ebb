//! One store: its summary as on the kiosk, the trend by hour, day or week,
//! its kiosks, and the CSV of the period.

use feedback_domain::heat_map::HeatMap;
use feedback_domain::report::Bucket;
use feedback_domain::Factor;
use leptos::prelude::*;

use super::comments::Comments;
use super::data::{KioskList, SummaryFigures, Trend};
use super::heat_map::HeatMapTable;
use super::kiosks::KioskTable;
use super::route::{encode, Period, Route, View};
use super::{fetch_json, Dashboard, Failure, PeriodPicker};
use crate::components::SummaryPanel;
use crate::messages::{DashboardTexts, Messages};

/// The store page.
#[component]
pub fn StorePage(
    /// The store.
    store: String,
) -> impl IntoView {
    let texts = expect_context::<&'static DashboardTexts>();
    let messages = expect_context::<&'static Messages>();
    let Dashboard { route, go, .. } = expect_context::<Dashboard>();
    let window = Memo::new(move |_| route.with(Route::window));
    // By hour for Today; otherwise by day unless week is chosen.
    let by = Memo::new(move |_| {
        route.with(|r| match (&r.period, r.by.as_deref()) {
            (_, Some(by)) => by.to_owned(),
            (Period::Today, None) => "hour".into(),
            _ => "day".into(),
        })
    });
    let factor = Memo::new(move |_| route.with(|r| r.factor.clone()));
    let id = encode(&store);
    // `store_id=…&from=…&to=…` of the period, and `&factor=…` if one is chosen.
    let scope = {
        let id = id.clone();
        Memo::new(move |_| {
            let (from, to) = window.get();
            format!("store_id={id}&from={}&to={}", encode(&from), encode(&to))
        })
    };
    let only = Memo::new(move |_| {
        factor
            .get()
            .map(|f| format!("&factor={}", encode(&f)))
            .unwrap_or_default()
    });
    let summary = LocalResource::new(move || {
        fetch_json::<SummaryFigures>(format!("/v1/summary?{}", scope.get()))
    });
    let trend = LocalResource::new(move || {
        fetch_json::<Trend>(format!(
            "/v1/trend?{}&by={}{}",
            scope.get(),
            by.get(),
            only.get()
        ))
    });
    let heat = LocalResource::new(move || {
        fetch_json::<HeatMap>(format!("/v1/heatmap?{}{}", scope.get(), only.get()))
    });
    let fleet =
        LocalResource::new(move || fetch_json::<KioskList>(format!("/v1/kiosks?store_id={id}")));
    let csv = move || format!("/v1/responses.csv?{}", scope.get());
    let set = move |change: fn(&mut Route, Option<String>), value: Option<String>| {
        let mut next = route.get_untracked();
        change(&mut next, value);
        go.run(next);
    };
    let by_buttons = ["hour", "day", "week"]
        .into_iter()
        .zip(texts.by)
        .map(|(key, label)| view! {
            <button type="button" class="period" aria-pressed=move || (by.get() == key).to_string()
                on:click=move |_| set(|r, v| r.by = v, Some(key.to_owned()))>{label}</button>
        })
        .collect_view();
    let factor_options = Factor::ALL
        .map(|f| view! { <option value=f.key() selected=move || factor.get().as_deref() == Some(f.key())>{messages.factor(f)}</option> })
        .collect_view();
    let back = move |_| {
        let mut next = route.get_untracked();
        next.view = View::Overview;
        next.by = None;
        next.factor = None;
        go.run(next);
    };
    view! {
        <p><button type="button" class="link" on:click=back>{"← "}{texts.overview}</button></p>
        <h2>{(texts.store_title)(&store)}</h2>
        <PeriodPicker />
        <div class="trend-controls">
            <div class="periods" role="group" aria-label=texts.trend_by>{by_buttons}</div>
            <label>{texts.trend_factor}" "
                <select on:change=move |ev| {
                    let value = event_target_value(&ev);
                    set(|r, v| r.factor = v, (!value.is_empty()).then_some(value));
                }>
                    <option value="" selected=move || factor.get().is_none()>{texts.all_factors}</option>
                    {factor_options}
                </select>
            </label>
        </div>
        {move || match (summary.get(), trend.get()) {
            (Some(Err(error)), _) | (_, Some(Err(error))) => view! { <Failure error /> }.into_any(),
            (Some(Ok(summary)), Some(Ok(trend))) => {
                let hourly = by.get_untracked() == "hour";
                let bucket = if hourly { Bucket::Hour } else { Bucket::Day };
                let points = trend.buckets.iter().map(|b| b.point(hourly)).collect();
                view! {
                    <section class="panel">
                        <SummaryPanel
                            summary=summary.summary()
                            reasons=summary.reasons()
                            bucket
                            trend=points
                        />
                    </section>
                }.into_any()
            }
            _ => view! { <p>{texts.loading}</p> }.into_any(),
        }}
        <section class="panel" aria-labelledby="heat-map">
            <h3 id="heat-map">{texts.heat_map}</h3>
            {move || match heat.get() {
                None => view! { <p>{texts.loading}</p> }.into_any(),
                Some(Err(error)) => view! { <Failure error /> }.into_any(),
                Some(Ok(map)) => view! { <HeatMapTable map /> }.into_any(),
            }}
        </section>
        <section class="panel" aria-labelledby="store-comments">
            <h3 id="store-comments">{texts.comments}</h3>
            <Comments store=store.clone() />
        </section>
        <section class="panel" aria-labelledby="store-kiosks">
            <h3 id="store-kiosks">{texts.store_kiosks}</h3>
            {move || match fleet.get() {
                None => view! { <p>{texts.loading}</p> }.into_any(),
                Some(Err(error)) => view! { <Failure error /> }.into_any(),
                Some(Ok(list)) => view! { <KioskTable kiosks=list.kiosks /> }.into_any(),
            }}
        </section>
        <p><a class="button secondary" href=csv download="responses.csv">{texts.download_csv}</a></p>
    }
}
