use std::time::Duration;

use feedback_domain::report::{percent, Period, Report};
use feedback_domain::{export, Factor, SyncState};
use leptos::prelude::*;

use crate::components::charts::{DistributionBar, TrendChart};
use crate::components::setup::{hash_new_pin, TextField};
use crate::hooks::use_idle_timer;
use crate::local_time::{format_local, now_ms, BrowserZone};
use crate::messages::{ManagerTexts, Messages};
use crate::settings::KioskSettings;
use crate::storage::{Loaded, ResponseStore};

/// The manager view closes by itself after this long without a touch.
pub const MANAGER_IDLE: Duration = Duration::from_secs(120);
/// How many of the latest comments are shown.
pub const LATEST_COMMENTS: usize = 20;

/// What the manager view reads from storage.
#[derive(Clone, Default)]
struct Snapshot {
    loaded: Loaded,
    record: feedback_domain::sync::SyncRecord,
    rejections: Vec<String>,
}

fn snapshot() -> Snapshot {
    match ResponseStore::open() {
        Ok(store) => Snapshot {
            loaded: store.load().unwrap_or_default(),
            record: store.sync_record(),
            rejections: store.rejections().into_values().collect(),
        },
        Err(_) => Snapshot::default(),
    }
}

/// The manager view: the store's figures from this kiosk's own stored
/// responses (no network needed), sync status, CSV export and settings.
#[component]
pub fn ManagerView(
    /// The kiosk's settings.
    settings: Signal<KioskSettings>,
    /// Changes over with each sync attempt, so the status is re-read.
    sync_tick: Signal<u32>,
    /// Keeps new settings; returns an error text if they could not be kept.
    on_settings: Callback<KioskSettings, Result<(), String>>,
    /// "Sync now".
    on_sync_now: Callback<()>,
    /// Back to the customer screen.
    on_close: Callback<()>,
) -> impl IntoView {
    let texts = expect_context::<&'static ManagerTexts>();
    let m = &texts.view;
    let data = RwSignal::new_local(snapshot());
    Effect::new(move |previous: Option<u32>| {
        let tick = sync_tick.get();
        if previous.is_some_and(|p| p != tick) {
            data.set(snapshot());
        }
        tick
    });
    let period = RwSignal::new(Period::Today);
    let report = Memo::new(move |_| {
        data.with(|d| {
            Report::build(
                d.loaded.responses.iter().map(|r| &r.entry.response),
                period.get(),
                now_ms(),
                &BrowserZone,
                LATEST_COMMENTS,
            )
        })
    });

    let idle = use_idle_timer(Signal::stored(MANAGER_IDLE), move || on_close.run(()));
    idle.touch.run(());

    let period_buttons = Period::ALL
        .into_iter()
        .zip(m.periods)
        .map(|(p, label)| {
            view! {
                <button
                    type="button"
                    class="period"
                    aria-pressed=move || if period.get() == p { "true" } else { "false" }
                    on:click=move |_| period.set(p)
                >
                    {label}
                </button>
            }
        })
        .collect_view();

    view! {
        <main
            class="screen manager"
            on:pointerdown=move |_| idle.touch.run(())
            on:keydown=move |_| idle.touch.run(())
            on:input=move |_| idle.touch.run(())
        >
            <header class="manager-header">
                <h1>{m.title}</h1>
                <button type="button" class="secondary" on:click=move |_| on_close.run(())>
                    {m.close}
                </button>
            </header>
            <section class="panel" aria-labelledby="summary-heading">
                <h2 id="summary-heading">{m.summary}</h2>
                <div class="periods" role="group" aria-label=m.period>
                    {period_buttons}
                </div>
                {move || view! { <SummaryPanel report=report.get() /> }}
            </section>
            <section class="panel" aria-labelledby="comments-heading">
                <h2 id="comments-heading">{m.comments}</h2>
                {move || view! { <Comments report=report.get() /> }}
            </section>
            <SyncPanel settings data on_sync_now />
            <section class="panel" aria-labelledby="export-heading">
                <h2 id="export-heading">{m.export}</h2>
                <button
                    type="button"
                    class="primary"
                    on:click=move |_| data.with(|d| download_csv(&d.loaded, &settings.get_untracked()))
                >
                    {m.download_csv}
                </button>
            </section>
            <SettingsPanel settings on_settings />
        </main>
    }
}

#[component]
fn SummaryPanel(report: Report) -> impl IntoView {
    let messages = expect_context::<&'static Messages>();
    let texts = expect_context::<&'static ManagerTexts>();
    let m = &texts.view;
    let s = report.summary;
    if s.responses() == 0 {
        return view! { <p class="empty">{m.no_responses}</p> }.into_any();
    }
    let weakest = report
        .weakest()
        .map(|(factor, share)| (m.weakest)(messages.factor(factor), percent(share)));
    let figure = |value: Option<f64>, show: fn(f64) -> String| {
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
                    <td>{figure(f.average(), |a| format!("{:.1}", (a * 10.0).round() / 10.0))}</td>
                    <td>{figure(f.share_satisfied(), |v| format!("{}%", percent(v)))}</td>
                    <td>{figure(f.index(), |v| format!("{:.0}", v.round()))}</td>
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
        <h3>{m.distribution}</h3>
        <div class="distributions">{bars}</div>
        <h3>{m.trend}</h3>
        <TrendChart bucket=report.bucket points=report.trend />
    }
    .into_any()
}

#[component]
fn Comments(report: Report) -> impl IntoView {
    let messages = expect_context::<&'static Messages>();
    let texts = expect_context::<&'static ManagerTexts>();
    if report.comments.is_empty() {
        return view! { <p class="empty">{texts.view.no_comments}</p> }.into_any();
    }
    let items = report
        .comments
        .into_iter()
        .map(|comment| {
            let ratings: Vec<String> = comment
                .ratings
                .iter()
                .map(|(factor, rating)| {
                    format!("{}: {}", messages.factor(factor), messages.rating(rating))
                })
                .collect();
            // The comment is a text node: whatever it holds is shown, never run.
            view! {
                <li>
                    <p class="comment-text">{comment.text}</p>
                    <p class="comment-meta">
                        <time>{format_local(comment.at)}</time>
                        " · "
                        {ratings.join(", ")}
                    </p>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="comments">{items}</ul> }.into_any()
}

#[component]
fn SyncPanel(
    settings: Signal<KioskSettings>,
    data: RwSignal<Snapshot, LocalStorage>,
    on_sync_now: Callback<()>,
) -> impl IntoView {
    let texts = expect_context::<&'static ManagerTexts>();
    let m = &texts.view;
    let online = RwSignal::new(crate::net::browser_online());
    let persistent = RwSignal::new(None::<bool>);
    leptos::task::spawn_local(async move {
        let granted = crate::shell::storage_is_persistent().await;
        persistent.try_set(granted);
    });
    let on = window_event_listener(leptos::ev::online, move |_| online.set(true));
    let off = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    on_cleanup(move || {
        on.remove();
        off.remove();
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
                    Some(at) => (m.last_sync)(&format_local(at)),
                    None => m.never_synced.to_owned(),
                })}
            </p>
            {move || data.with(|d| {
                d.record.last_problem.as_ref().map(|problem| {
                    let since = d.record.last_problem_at.map(format_local).unwrap_or_default();
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

#[component]
fn SettingsPanel(
    settings: Signal<KioskSettings>,
    on_settings: Callback<KioskSettings, Result<(), String>>,
) -> impl IntoView {
    let texts = expect_context::<&'static ManagerTexts>();
    let m = &texts.view;
    let setup = &texts.setup;
    let current = settings.get_untracked();
    let store_id = RwSignal::new(current.store_id.clone());
    let kiosk_id = RwSignal::new(current.kiosk_id.clone());
    let endpoint = RwSignal::new(current.endpoint.clone());
    let token = RwSignal::new(String::new());
    let idle = RwSignal::new((current.idle_timeout_ms / 1000).to_string());
    let cooldown = RwSignal::new((current.cooldown_ms / 1000).to_string());
    let status = RwSignal::new(None::<String>);

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut next = settings.get_untracked();
        let store = store_id.get_untracked().trim().to_owned();
        let kiosk = kiosk_id.get_untracked().trim().to_owned();
        if store.is_empty() || kiosk.is_empty() {
            status.set(Some(setup.ids_required.into()));
            return;
        }
        let seconds =
            |text: String, max: u32| text.trim().parse::<u32>().ok().filter(|&s| s <= max);
        let (Some(idle_s), Some(cool_s)) = (
            seconds(idle.get_untracked(), 3600).filter(|&s| s >= 1),
            seconds(cooldown.get_untracked(), 60),
        ) else {
            status.set(Some(m.bad_seconds.into()));
            return;
        };
        next.store_id = store;
        next.kiosk_id = kiosk;
        next.endpoint = endpoint.get_untracked().trim().to_owned();
        let new_token = token.get_untracked().trim().to_owned();
        if !new_token.is_empty() {
            next.token = new_token;
        }
        next.idle_timeout_ms = idle_s * 1000;
        next.cooldown_ms = cool_s * 1000;
        match on_settings.run(next) {
            Ok(()) => {
                token.set(String::new());
                status.set(Some(m.saved.into()));
            }
            Err(text) => status.set(Some(text)),
        }
    };

    let old_pin = RwSignal::new(String::new());
    let new_pin = RwSignal::new(String::new());
    let repeat_pin = RwSignal::new(String::new());
    let pin_status = RwSignal::new(None::<String>);
    let change_pin = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let right = settings.with_untracked(|s| {
            s.manager_pin
                .as_ref()
                .is_some_and(|h| h.verify(&old_pin.get_untracked()))
        });
        if !right {
            pin_status.set(Some(m.current_pin_wrong.into()));
            return;
        }
        let Some(pin_hash) = hash_new_pin(
            &new_pin.get_untracked(),
            &repeat_pin.get_untracked(),
            pin_status,
            texts,
        ) else {
            return;
        };
        let mut next = settings.get_untracked();
        next.manager_pin = Some(pin_hash);
        match on_settings.run(next) {
            Ok(()) => {
                for field in [old_pin, new_pin, repeat_pin] {
                    field.set(String::new());
                }
                pin_status.set(Some(m.pin_changed.into()));
            }
            Err(text) => pin_status.set(Some(text)),
        }
    };

    view! {
        <section class="panel" aria-labelledby="settings-heading">
            <h2 id="settings-heading">{m.settings}</h2>
            <form class="form" on:submit=save novalidate>
                <TextField id="set-store" label=setup.store_id value=store_id />
                <TextField id="set-kiosk" label=setup.kiosk_id value=kiosk_id />
                <TextField id="set-endpoint" label=setup.endpoint value=endpoint hint=setup.endpoint_hint />
                <TextField
                    id="set-token"
                    label=setup.token
                    value=token
                    secret=true
                    hint=if current.token.is_empty() { m.token_unset } else { m.token_set }
                    placeholder=if current.token.is_empty() { "" } else { "••••••••" }
                />
                <TextField id="set-idle" label=m.idle_timeout value=idle numeric=true />
                <TextField id="set-cooldown" label=m.cooldown value=cooldown numeric=true />
                <p class="status" role="status">{move || status.get()}</p>
                <button type="submit" class="primary">{m.save}</button>
            </form>
            <h3>{m.change_pin}</h3>
            <form class="form" on:submit=change_pin novalidate>
                <TextField id="pin-old" label=m.current_pin value=old_pin secret=true numeric=true />
                <TextField id="pin-new" label=setup.new_pin value=new_pin secret=true numeric=true />
                <TextField id="pin-new2" label=setup.repeat_pin value=repeat_pin secret=true numeric=true />
                <p class="status" role="status">{move || pin_status.get()}</p>
                <button type="submit" class="primary">{m.change_pin}</button>
            </form>
        </section>
    }
}

fn download_csv(loaded: &Loaded, settings: &KioskSettings) {
    let text = export::csv(
        loaded
            .responses
            .iter()
            .map(|r| (r.identity.as_ref(), &r.entry.response, r.entry.state)),
    );
    let (y, mo, d) =
        feedback_domain::report::civil(feedback_domain::report::local_day(now_ms(), &BrowserZone));
    let name = format!(
        "feedback-{}-{}-{y:04}-{mo:02}-{d:02}.csv",
        file_safe(&settings.store_id),
        file_safe(&settings.kiosk_id)
    );
    if let Err(err) = crate::download::offer(&name, "text/csv;charset=utf-8", &text) {
        if let Ok(mut store) = ResponseStore::open() {
            store.record_fault(now_ms(), &format!("CSV download failed: {err}"));
        }
    }
}

/// Letters, digits, `-` and `_` only, for a file name.
fn file_safe(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
