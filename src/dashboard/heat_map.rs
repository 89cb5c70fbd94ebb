//! The share satisfied by local weekday and hour, as a table: each cell
//! carries its percentage in text, shaded by it, so colour is never the
//! only cue and the table is its own text alternative.

use feedback_domain::report::percent;
use leptos::prelude::*;

use crate::messages::{DashboardTexts, ManagerTexts};
use feedback_domain::heat_map::HeatMap;

/// The heat map of a store's period.
#[component]
pub fn HeatMapTable(
    /// Satisfied and rated per weekday (Monday first) and hour.
    map: HeatMap,
) -> impl IntoView {
    let texts = expect_context::<&'static DashboardTexts>();
    let manager = expect_context::<&'static ManagerTexts>();
    let hours = (0..24)
        .map(|h| view! { <th scope="col">{format!("{h:02}")}</th> })
        .collect_view();
    let rows = (0..7)
        .map(|day| {
            let cells = (0..24)
                .map(|hour| {
                    let Some(share) = map.share(day, hour) else {
                        return view! { <td class="heat-empty">"–"</td> }.into_any();
                    };
                    let share = percent(share);
                    // Five steps of shade, lightest for the lowest share.
                    let step = (share / 20).min(4);
                    view! { <td class=format!("heat heat-{step}")>{format!("{share}%")}</td> }
                        .into_any()
                })
                .collect_view();
            // The texts list weekdays Sunday first.
            view! { <tr><th scope="row">{manager.weekdays[(day + 1) % 7]}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="heat-map">
            <table>
                <caption>{texts.heat_map_caption}</caption>
                <thead><tr><td></td>{hours}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
