//! Pictures of a report, drawn as SVG, each with a text alternative.

use feedback_domain::report::{Bucket, TrendPoint};
use feedback_domain::{FactorSummary, Rating};
use leptos::prelude::*;

use crate::local_time::point_label;
use crate::messages::{ManagerTexts, Messages};

/// One factor's ratings as a bar split by face, 1 on the left.
#[component]
pub fn DistributionBar(
    /// The factor's name.
    name: &'static str,
    /// Its ratings.
    summary: FactorSummary,
) -> impl IntoView {
    let messages = expect_context::<&'static Messages>();
    let texts = expect_context::<&'static ManagerTexts>();
    let counts: Vec<(&str, u32)> = Rating::ALL
        .iter()
        .zip(summary.distribution)
        .map(|(&rating, n)| (messages.rating(rating), n))
        .collect();
    let alt = (texts.view.distribution_alt)(name, &counts);
    let title = alt.clone();
    let total = summary.count().max(1);
    let mut x = 0.0;
    let segments = Rating::ALL
        .iter()
        .zip(summary.distribution)
        .filter(|(_, n)| *n > 0)
        .map(|(&rating, n)| {
            let width = 100.0 * f64::from(n) / f64::from(total);
            let segment = view! {
                <rect
                    class=format!("level-{}", rating.value())
                    x=format!("{x:.3}")
                    y="0"
                    width=format!("{width:.3}")
                    height="10"
                />
            };
            x += width;
            segment
        })
        .collect_view();
    view! {
        <div class="distribution">
            <span class="distribution-name" aria-hidden="true">{name}</span>
            <svg
                class="bar"
                viewBox="0 0 100 10"
                preserveAspectRatio="none"
                role="img"
                aria-label=alt
            >
                <title>{title}</title>
                <rect class="bar-empty" x="0" y="0" width="100" height="10" />
                {segments}
            </svg>
        </div>
    }
}

/// Responses per hour, day or month as bars, with the average rating as a line.
#[component]
pub fn TrendChart(
    /// How the points are grouped.
    bucket: Bucket,
    /// The points, oldest first.
    points: Vec<TrendPoint>,
) -> impl IntoView {
    let texts = expect_context::<&'static ManagerTexts>();
    let labelled: Vec<(String, u32, Option<f64>)> = points
        .iter()
        .map(|p| (point_label(bucket, p.key, texts), p.responses, p.average()))
        .collect();
    let alt = (texts.view.trend_alt)(&labelled);
    let title = alt.clone();

    const WIDTH: f64 = 600.0;
    const HEIGHT: f64 = 160.0;
    const TOP: f64 = 8.0;
    const BOTTOM: f64 = 22.0;
    let plot = HEIGHT - TOP - BOTTOM;
    let count = points.len().max(1) as f64;
    let step = WIDTH / count;
    let most = points.iter().map(|p| p.responses).max().unwrap_or(0).max(1);
    let bars = points
        .iter()
        .enumerate()
        .filter(|(_, p)| p.responses > 0)
        .map(|(i, p)| {
            let h = plot * f64::from(p.responses) / f64::from(most);
            view! {
                <rect
                    class="trend-bar"
                    x=format!("{:.2}", i as f64 * step + step * 0.15)
                    y=format!("{:.2}", TOP + plot - h)
                    width=format!("{:.2}", step * 0.7)
                    height=format!("{h:.2}")
                />
            }
        })
        .collect_view();
    // The average, 1 to 5, drawn over the same height; gaps where nothing was rated.
    let mut path = String::new();
    let mut dots = Vec::new();
    let mut pen_down = false;
    for (i, p) in points.iter().enumerate() {
        match p.average() {
            Some(avg) => {
                let x = i as f64 * step + step / 2.0;
                let y = TOP + plot - plot * (avg - 1.0) / 4.0;
                dots.push(view! {
                    <circle class="trend-dot" cx=format!("{x:.2}") cy=format!("{y:.2}") r="4" />
                });
                path.push_str(&format!(
                    "{}{x:.2} {y:.2} ",
                    if pen_down { "L" } else { "M" }
                ));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    // Label at most about eight points so the labels never overlap.
    let every = points.len().div_ceil(8).max(1);
    let labels = labelled
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, (label, _, _))| {
            view! {
                <text class="trend-label" x=format!("{:.2}", i as f64 * step + step / 2.0) y=HEIGHT - 6.0>
                    {label.clone()}
                </text>
            }
        })
        .collect_view();
    view! {
        <figure class="trend">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=alt>
                <title>{title}</title>
                <line class="axis" x1="0" x2=WIDTH y1=TOP + plot y2=TOP + plot />
                {bars}
                <path class="trend-line" d=path />
                {dots}
                <g aria-hidden="true">{labels}</g>
            </svg>
            <figcaption>
                <span class="legend-bar">{texts.view.trend_bars}</span>
                " · "
                <span class="legend-line">{texts.view.trend_line}</span>
            </figcaption>
        </figure>
    }
}
