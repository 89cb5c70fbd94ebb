//! Alerts: what the collector's rules raised for the stores the account may
//! read, newest first, and acting on them: acknowledging with a note (who
//! and when are recorded) and closing. Both are posts from this page only;
//! the collector refuses them from any other site.

use feedback_domain::alert::{Acknowledgement, AlertList, AlertRow, MAX_NOTE_CHARS};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{fetch_json, Dashboard, Failure};
use crate::local_time::format_local;
use crate::messages::DashboardTexts;
use crate::net::dashboard::{self as api, DashboardError};

/// The alerts view.
#[component]
pub fn AlertsView() -> impl IntoView {
    let texts = expect_context::<&'static DashboardTexts>();
    let (version, set_version) = signal(0u32);
    let list = LocalResource::new(move || {
        version.track();
        fetch_json::<AlertList>("/v1/alerts".into())
    });
    let refresh = Callback::new(move |()| set_version.update(|v| *v += 1));
    view! {
        <h2>{texts.alerts}</h2>
        {move || match list.get() {
            None => view! { <p>{texts.loading}</p> }.into_any(),
            Some(Err(error)) => view! { <Failure error /> }.into_any(),
            Some(Ok(list)) if list.alerts.is_empty() => view! {
                <p>{if list.enabled { texts.no_alerts } else { texts.alerts_off }}</p>
            }.into_any(),
            Some(Ok(list)) => view! {
                <p class="alerts-summary">{(texts.new_alerts)(list.new)}</p>
                <ul class="alerts">
                    {list.alerts.into_iter().map(|alert| view! { <AlertItem alert refresh /> }).collect_view()}
                </ul>
            }.into_any(),
        }}
        <super::digest::DigestForm />
    }
}

fn when(text: &str) -> String {
    format_local(js_sys::Date::parse(text) as i64)
}

/// One alert: what and when, its state, and what may be done with it.
#[component]
fn AlertItem(alert: AlertRow, refresh: Callback<()>) -> impl IntoView {
    let texts = expect_context::<&'static DashboardTexts>();
    let dashboard = expect_context::<Dashboard>();
    let (note, set_note) = signal(String::new());
    let (error, set_error) = signal(None::<String>);
    let id = alert.id;
    let act = move |action: &'static str, body: Option<String>| {
        spawn_local(async move {
            let path = format!("/v1/alerts/{id}/{action}");
            match api::post(&path, body.as_deref()).await {
                Ok(_) => refresh.run(()),
                Err(DashboardError::SignedOut) => dashboard.signed_out.run(()),
                Err(err) => set_error.set(Some(err.to_string())),
            }
        });
    };
    let acknowledge = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let asked = Acknowledgement {
            note: note.get_untracked(),
        };
        let body = serde_json::to_string(&asked).unwrap_or_default();
        act("acknowledge", Some(body));
    };
    let heading = format!("alert-{id}");
    let title = match alert.rule.as_str() {
        "unhappy_run" => texts.unhappy_run,
        "silent_kiosk" => texts.silent_kiosk,
        other => other,
    };
    let state = match alert.state.as_str() {
        "new" => texts.alert_new.to_owned(),
        "acknowledged" => (texts.acknowledged_by)(
            alert.acknowledged_by.as_deref().unwrap_or_default(),
            &alert
                .acknowledged_at
                .as_deref()
                .map(when)
                .unwrap_or_default(),
        ),
        _ => (texts.closed_by)(
            alert.closed_by.as_deref().unwrap_or_default(),
            &alert.closed_at.as_deref().map(when).unwrap_or_default(),
        ),
    };
    let is_new = alert.state == "new";
    let open = alert.state != "closed";
    view! {
        <li class="alert" class:new=is_new aria-labelledby=heading.clone()>
            <h3 id=heading.clone()>{format!("{title}: {}", alert.store_id)}</h3>
            <p class="when">{when(&alert.fired_at)}</p>
            <p class="message">{alert.message}</p>
            <p class="state">{state}</p>
            {alert.note.filter(|n| !n.is_empty()).map(|n| view! { <p class="note">{texts.note}": "{n}</p> })}
            {is_new.then(|| view! {
                <form class="acknowledge" on:submit=acknowledge>
                    <label>{texts.note}" "
                        <input type="text" maxlength=MAX_NOTE_CHARS.to_string()
                            prop:value=note on:input=move |ev| set_note.set(event_target_value(&ev)) />
                    </label>
                    <button type="submit">{texts.acknowledge}</button>
                </form>
            })}
            {open.then(|| view! {
                <button type="button" class="secondary" on:click=move |_| act("close", None)>{texts.close_alert}</button>
            })}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </li>
    }
}
