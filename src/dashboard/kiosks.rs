//! Fleet health: every kiosk the account may read, silent ones flagged.

use leptos::prelude::*;

use super::data::{KioskList, KioskRow};
use super::{fetch_json, Failure};
use crate::local_time::format_local;
use crate::messages::DashboardTexts;

/// The fleet view.
#[component]
pub fn KiosksView() -> impl IntoView {
    let texts = expect_context::<&'static DashboardTexts>();
    let list = LocalResource::new(|| fetch_json::<KioskList>("/v1/kiosks".into()));
    view! {
        <h2>{texts.kiosks}</h2>
        {move || match list.get() {
            None => view! { <p>{texts.loading}</p> }.into_any(),
            Some(Err(error)) => view! { <Failure error /> }.into_any(),
            Some(Ok(list)) => view! {
                <p class="fleet-summary">{(texts.silent_summary)(list.silent, list.kiosks.len())}</p>
                <KioskTable kiosks=list.kiosks />
            }.into_any(),
        }}
    }
}

fn when(text: &Option<String>, texts: &DashboardTexts) -> String {
    match text {
        None => texts.never.to_owned(),
        Some(text) => format_local(js_sys::Date::parse(text) as i64),
    }
}

fn bytes(n: Option<u64>, texts: &DashboardTexts) -> String {
    match n {
        None => texts.unknown.to_owned(),
        Some(n) if n >= 1_048_576 => format!("{:.1} MB", n as f64 / 1_048_576.0),
        Some(n) => format!("{:.0} KB", (n as f64 / 1024.0).ceil()),
    }
}

/// One row per kiosk: its store, when it was last seen and synced, what
/// waits on it, its version and storage, and whether it is silent (in
/// words and colour).
#[component]
pub fn KioskTable(
    /// The kiosks.
    kiosks: Vec<KioskRow>,
) -> impl IntoView {
    let texts = expect_context::<&'static DashboardTexts>();
    let head = texts
        .kiosk_columns
        .map(|title| view! { <th scope="col">{title}</th> })
        .collect_view();
    let rows = kiosks
        .into_iter()
        .map(|k| {
            let used = match (k.storage_used, k.storage_quota) {
                (Some(_), Some(quota)) => format!(
                    "{} of {}",
                    bytes(k.storage_used, texts),
                    bytes(Some(quota), texts)
                ),
                _ => bytes(k.storage_used, texts),
            };
            let persistent = match k.persistent {
                Some(true) => texts.yes_no[0],
                Some(false) => texts.yes_no[1],
                None => texts.unknown,
            };
            view! {
                <tr class:silent=k.silent>
                    <th scope="row">{k.kiosk_id.clone()}</th>
                    <td>{k.store_id.clone()}</td>
                    <td>{when(&k.last_seen, texts)}</td>
                    <td>{when(&k.last_sync, texts)}</td>
                    <td>{k.waiting.map_or_else(|| texts.unknown.to_owned(), |n| n.to_string())}</td>
                    <td>{k.app_version.clone().unwrap_or_else(|| texts.unknown.to_owned())}</td>
                    <td>{used}</td>
                    <td>{persistent}</td>
                    <td class="state">{if k.silent { texts.silent } else { texts.ok }}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="kiosks-table">
            <caption>{texts.kiosks_caption}</caption>
            <thead><tr>{head}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
