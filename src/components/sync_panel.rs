//! The manager view's sync panel: online or not, what waits, the last
//! sync and problem, what was set aside, and "Sync now".

use feedback_domain::SyncState;
use leptos::prelude::*;

use super::manager::Snapshot;
use crate::hooks::use_online;
use crate::messages::ManagerTexts;
use feedback_domain::settings::KioskSettings;

/// The sync panel.
#[component]
pub fn SyncPanel(
    settings: Signal<KioskSettings>,
    data: RwSignal<Snapshot, LocalStorage>,
    on_sync_now: Callback<()>,
) -> impl IntoView {
    let texts = expect_context::<&'static ManagerTexts>();
    let m = &texts.view;
    let online = use_online();
    let persistent = RwSignal::new(None::<bool>);
    leptos::task::spawn_local(async move {
        let granted = crate::shell::storage_is_persistent().await;
        persistent.try_set(granted);
    });
    let counts = Memo::new(move |_| {
        let identity = settings.with(KioskSettings::identity);
        data.with(|d| {
            let mut pending = 0;
            let mut other = 0;
            let mut rejected = 0;
            for r in &d.loaded.responses {
                match r.entry.state {
                    SyncState::Pending if *r.identity == identity => pending += 1,
                    SyncState::Pending => other += 1,
                    SyncState::Rejected => rejected += 1,
                    SyncState::Synced => {}
                }
            }
            (pending, other, rejected, d.loaded.set_aside.total())
        })
    });
    view! {
        <section class="panel" aria-labelledby="sync-heading">
            <h2 id="sync-heading">{m.sync}</h2>
            <p class="network">{move || if online.get() { m.online } else { m.offline }}</p>
            <p class="pending" role="status">
                {move || match counts.get().0 {
                    0 => m.all_synced.to_owned(),
                    n => (m.waiting)(n),
                }}
            </p>
            {move || {
                let other = counts.get().1;
                (other > 0).then(|| view! { <p>{(m.other_identity)(other)}</p> })
            }}
            <p>
                {move || data.with(|d| match d.record.last_success_at {
                    Some(at) => (m.last_sync)(&texts.date_time_of(at)),
                    None => m.never_synced.to_owned(),
                })}
            </p>
            {move || data.with(|d| {
                d.record.last_problem.as_ref().map(|problem| {
                    let since = d.record.last_problem_at.map(|at| texts.date_time_of(at)).unwrap_or_default();
                    view! { <p class="problem">{(m.last_problem)(&m.problems.describe(problem), &since)}</p> }
                })
            })}
            <p>
                {move || {
                    let (_, _, rejected, corrupt) = counts.get();
                    if rejected + corrupt == 0 {
                        m.nothing_set_aside.to_owned()
                    } else {
                        (m.set_aside)(corrupt, rejected)
                    }
                }}
            </p>
            {move || data.with(|d| {
                let reasons: Vec<_> = d.rejections.iter().take(5).cloned().collect();
                (!reasons.is_empty()).then(|| {
                    view! {
                        <ul class="reasons">
                            {reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                        </ul>
                    }
                })
            })}
            {move || persistent.get().map(|granted| {
                view! {
                    <p>{if granted { m.storage_persistent } else { m.storage_not_persistent }}</p>
                }
            })}
            <button type="button" class="primary" on:click=move |_| on_sync_now.run(())>
                {m.sync_now}
            </button>
        </section>
    }
}
