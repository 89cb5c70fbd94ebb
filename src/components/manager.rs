use std::time::Duration;

use feedback_domain::export;
use feedback_domain::report::{Period, Report};
use leptos::prelude::*;

use crate::components::settings_panel::SettingsPanel;
use crate::components::summary::SummaryPanel;
use crate::components::sync_panel::SyncPanel;
use crate::context::KioskContext;
use crate::hooks::use_idle_timer;
use crate::local_time::{now_ms, BrowserZone};
use crate::messages::{kiosk_texts, ManagerTexts, Messages, LANGUAGES};
use crate::storage::{Loaded, ResponseStore};
use feedback_domain::settings::KioskSettings;
use feedback_domain::Lang;

/// The manager view closes by itself after this long without a touch.
pub const MANAGER_IDLE: Duration = Duration::from_secs(120);
/// How many of the latest comments are shown.
pub const LATEST_COMMENTS: usize = 20;

/// What the manager view reads from storage.
#[derive(Clone, Default)]
pub(super) struct Snapshot {
    pub(super) loaded: Loaded,
    pub(super) record: feedback_domain::sync::SyncRecord,
    pub(super) rejections: Vec<String>,
    /// Storage faults the kiosk recorded, newest last.
    pub(super) faults: Vec<(i64, String)>,
}

fn snapshot() -> Snapshot {
    match ResponseStore::open() {
        Ok(store) => Snapshot {
            loaded: store.load().unwrap_or_default(),
            record: store.sync_record(),
            rejections: store
                .rejections()
                .into_iter()
                .map(|(_, reason)| reason)
                .collect(),
            faults: store.faults(),
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
    // After each sync attempt the status is read again (an event, not an
    // effect); once the view is gone, nothing is left to update.
    if let Some(kiosk) = use_context::<KioskContext>() {
        kiosk.on_sync_attempt(move || {
            data.try_set(snapshot());
        });
    }
    let period = RwSignal::new(Period::Today);
    // `None`: every language together. Responses from before languages
    // were recorded were given in English.
    let language = RwSignal::new(None::<Lang>);
    let report = Memo::new(move |_| {
        let language = language.get();
        data.with(|d| {
            Report::build(
                d.loaded
                    .responses
                    .iter()
                    .map(|r| &r.entry.response)
                    .filter(|r| language.is_none_or(|l| r.lang.unwrap_or(Lang::EN) == l)),
                period.get(),
                now_ms(),
                &BrowserZone,
                LATEST_COMMENTS,
            )
        })
    });

    let idle = use_idle_timer(MANAGER_IDLE, on_close);
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

    let language_button =
        move |choice: Option<Lang>, label: &'static str, tag: Option<&'static str>| {
            view! {
                <button
                    type="button"
                    class="period"
                    lang=tag
                    aria-pressed=move || (language.get() == choice).to_string()
                    on:click=move |_| language.set(choice)
                >
                    {label}
                </button>
            }
        };
    let language_buttons = move || {
        let offered = settings.with(|s| s.offered(LANGUAGES));
        (offered.len() > 1).then(|| {
            let each = offered
                .into_iter()
                .filter_map(|l| Some((l, kiosk_texts(l.as_str())?)))
                .map(|(l, named)| language_button(Some(l), named.name, Some(named.lang)))
                .collect_view();
            view! {
                <div class="periods" role="group" aria-label=m.language>
                    {language_button(None, m.all_languages, None)}
                    {each}
                </div>
            }
        })
    };
    let faults = move || {
        let list = data.with(|d| d.faults.clone());
        (!list.is_empty()).then(|| {
            let items = list
                .into_iter()
                .rev()
                .map(|(at, text)| view! { <li><time>{texts.date_time_of(at)}</time> " · " {text}</li> })
                .collect_view();
            view! {
                <section class="panel" aria-labelledby="faults-heading">
                    <h2 id="faults-heading">{m.faults}</h2>
                    <ul class="faults">{items}</ul>
                </section>
            }
        })
    };

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
                {language_buttons}
                {move || {
                    let report = report.get();
                    view! {
                        <SummaryPanel
                            summary=report.summary
                            reasons=report.reasons
                            own_reasons=settings.with(|s| s.reasons.clone())
                            bucket=report.bucket
                            trend=report.trend
                        />
                    }
                }}
            </section>
            <section class="panel" aria-labelledby="comments-heading">
                <h2 id="comments-heading">{m.comments}</h2>
                {move || view! { <Comments report=report.get() /> }}
            </section>
            <SyncPanel settings data on_sync_now />
            {faults}
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
                        <time>{texts.date_time_of(comment.at)}</time>
                        " · "
                        {ratings.join(", ")}
                    </p>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="comments">{items}</ul> }.into_any()
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
