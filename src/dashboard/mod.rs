//! The chain dashboard (`/dashboard/`, served by the collector): managers
//! sign in and see every store and kiosk their account may read. Its
//! figures come from the collector's API with the session cookie, and are
//! drawn by the same components as the kiosk's manager view.

mod alerts;
mod comments;
pub mod data;
mod digest;
mod heat_map;
mod kiosks;
mod overview;
pub mod route;
mod sign_in;
mod store_page;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;

use crate::messages::{DashboardTexts, EN, EN_DASHBOARD, EN_MANAGER};
use crate::net::dashboard::{self as api, DashboardError};
use route::{Route, View};

/// What every view of the dashboard shares.
#[derive(Clone, Copy)]
pub struct Dashboard {
    /// Where the dashboard is.
    pub route: ReadSignal<Route>,
    /// Goes somewhere else (a new history entry).
    pub go: Callback<Route>,
    /// The session ended: back to signing in, saying why.
    pub signed_out: Callback<()>,
}

/// GETs an API path and reads its JSON.
pub async fn fetch_json<T: DeserializeOwned>(path: String) -> Result<T, DashboardError> {
    let body = api::get(&path).await?;
    serde_json::from_str(&body).map_err(|err| DashboardError::Refused(err.to_string()))
}

/// An error in words; a session that ended sends the manager to sign in.
#[component]
pub fn Failure(
    /// What went wrong.
    error: DashboardError,
) -> impl IntoView {
    let texts = expect_context::<&'static DashboardTexts>();
    let dashboard = expect_context::<Dashboard>();
    let ended = error == DashboardError::SignedOut;
    // Back to signing in once this is shown, not while it is being built.
    Effect::new(move |_| {
        if ended {
            dashboard.signed_out.run(());
        }
    });
    let text = match &error {
        DashboardError::Unreachable => texts.unreachable.to_owned(),
        DashboardError::SignedOut => texts.session_ended.to_owned(),
        DashboardError::Refused(message) => message.clone(),
    };
    view! { <p class="error" role="alert">{text}</p> }
}

fn current_route() -> Route {
    let query = window().location().search().unwrap_or_default();
    Route::parse(&query)
}

/// The dashboard page.
#[component]
pub fn DashboardApp() -> impl IntoView {
    provide_context(&EN);
    provide_context(&EN_MANAGER);
    let texts: &'static DashboardTexts = &EN_DASHBOARD;
    provide_context(texts);
    document().set_title(texts.title);

    let (route, set_route) = signal(current_route());
    let go = Callback::new(move |next: Route| {
        if let Ok(history) = window().history() {
            let _ =
                history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&next.query()));
        }
        set_route.set(next);
    });
    let on_back =
        wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || set_route.set(current_route()));
    let _ = window().add_event_listener_with_callback("popstate", on_back.as_ref().unchecked_ref());
    on_back.forget();

    // `None`: not known yet; `Some(None)`: signed out.
    let (user, set_user) = signal(None::<Option<String>>);
    let (notice, set_notice) = signal(None::<&'static str>);
    let signed_out = Callback::new(move |()| {
        set_notice.set(Some(texts.session_ended));
        set_user.set(Some(None));
    });
    provide_context(Dashboard {
        route,
        go,
        signed_out,
    });
    spawn_local(async move {
        #[derive(serde::Deserialize)]
        struct Who {
            username: String,
        }
        let who = fetch_json::<Who>("/v1/session".into()).await;
        match who {
            Ok(who) => set_user.set(Some(Some(who.username))),
            Err(DashboardError::Unreachable) => {
                set_notice.set(Some(texts.unreachable));
                set_user.set(Some(None));
            }
            Err(_) => set_user.set(Some(None)),
        }
    });
    let on_signed_in = Callback::new(move |name: String| {
        set_notice.set(None);
        set_user.set(Some(Some(name)));
    });
    let sign_out = move |_| {
        spawn_local(async move {
            let _ = api::sign_out().await;
            set_notice.set(None);
            set_user.set(Some(None));
        });
    };

    move || match user.get() {
        None => view! { <main class="dashboard"><p>{texts.loading}</p></main> }.into_any(),
        Some(None) => view! { <sign_in::SignIn notice on_signed_in /> }.into_any(),
        Some(Some(name)) => {
            let to = move |view: View| {
                move |_| {
                    let mut next = route.get_untracked();
                    next.view = view.clone();
                    go.run(next);
                }
            };
            let current = move |is: fn(&View) -> bool| {
                move || {
                    if is(&route.get().view) {
                        "page"
                    } else {
                        "false"
                    }
                }
            };
            view! {
                <header class="dashboard-header">
                    <h1>{texts.title}</h1>
                    <nav aria-label=texts.nav_label>
                        <button type="button" class="link" aria-current=current(|v| *v == View::Overview)
                            on:click=to(View::Overview)>{texts.overview}</button>
                        <button type="button" class="link" aria-current=current(|v| *v == View::Kiosks)
                            on:click=to(View::Kiosks)>{texts.kiosks}</button>
                        <button type="button" class="link" aria-current=current(|v| *v == View::Alerts)
                            on:click=to(View::Alerts)>{texts.alerts}</button>
                    </nav>
                    <p class="who">{(texts.signed_in_as)(&name)}</p>
                    <button type="button" class="secondary" on:click=sign_out>{texts.sign_out}</button>
                </header>
                <main class="dashboard">
                    {move || match route.get().view {
                        View::Overview => view! { <overview::OverviewView /> }.into_any(),
                        View::Store(store) => view! { <store_page::StorePage store /> }.into_any(),
                        View::Kiosks => view! { <kiosks::KiosksView /> }.into_any(),
                        View::Alerts => view! { <alerts::AlertsView /> }.into_any(),
                    }}
                </main>
            }
            .into_any()
        }
    }
}

/// The period buttons and the from–to dates, shared by the views.
#[component]
pub fn PeriodPicker() -> impl IntoView {
    use route::Period;
    let texts = expect_context::<&'static DashboardTexts>();
    let Dashboard { route, go, .. } = expect_context::<Dashboard>();
    let choose = move |period: Period| {
        let mut next = route.get_untracked();
        next.period = period;
        go.run(next);
    };
    let buttons = [Period::Today, Period::Last7, Period::Last30]
        .into_iter()
        .zip(texts.periods)
        .map(|(period, label)| {
            let pressed = period.clone();
            let chosen = period.clone();
            view! {
                <button type="button" class="period"
                    aria-pressed=move || (route.get().period == pressed).to_string()
                    on:click=move |_| choose(chosen.clone())>{label}</button>
            }
        })
        .collect_view();
    let (from, set_from) = signal(String::new());
    let (to, set_to) = signal(String::new());
    view! {
        <div class="periods" role="group" aria-label=texts.period>{buttons}</div>
        <form class="dates" on:submit=move |ev| {
            ev.prevent_default();
            let (from, to) = (from.get_untracked(), to.get_untracked());
            if !from.is_empty() && !to.is_empty() {
                choose(if from <= to { Period::Dates(from, to) } else { Period::Dates(to, from) });
            }
        }>
            <label>{texts.from}" "<input type="date" required on:input=move |ev| set_from.set(event_target_value(&ev)) /></label>
            <label>{texts.to}" "<input type="date" required on:input=move |ev| set_to.set(event_target_value(&ev)) /></label>
            <button type="submit" class="secondary">{texts.show_range}</button>
        </form>
    }
}
