use feedback_domain::Rating;
use leptos::prelude::*;

/// A face drawn for a rating: frowning at 1, smiling at 5. Decorative: the
/// choice's accessible name comes from its label text.
#[component]
pub fn Face(
    /// Which face to draw.
    rating: Rating,
) -> impl IntoView {
    // The mouth's control point: above the corners frowns, below smiles.
    let (skin, mouth) = match rating.value() {
        1 => ("face-skin level-1", "M30 66 Q50 48 70 66"),
        2 => ("face-skin level-2", "M30 66 Q50 57 70 66"),
        3 => ("face-skin level-3", "M30 66 Q50 66 70 66"),
        4 => ("face-skin level-4", "M30 66 Q50 75 70 66"),
        _ => ("face-skin level-5", "M30 66 Q50 84 70 66"),
    };
    view! {
        <svg class="face-art" viewBox="0 0 100 100" aria-hidden="true" focusable="false">
            <circle class=skin cx="50" cy="50" r="46" />
            <circle class="face-eye" cx="35" cy="40" r="6" />
            <circle class="face-eye" cx="65" cy="40" r="6" />
            <path class="face-mouth" d=mouth />
        </svg>
    }
}
