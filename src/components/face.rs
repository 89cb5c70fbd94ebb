use feedback_domain::Rating;
use leptos::prelude::*;

/// A face drawn for a rating: frowning at 1, smiling at 5. Decorative: the
/// choice's accessible name comes from its label text.
#[component]
pub fn Face(
    /// Which face to draw.
    rating: Rating,
) -> impl IntoView {
    let level = i32::from(rating.value()) - 3;
    // The mouth's control point: above the corners frowns, below smiles.
    let mouth = format!("M30 66 Q50 {} 70 66", 66 + level * 9);
    view! {
        <svg class="face-art" viewBox="0 0 100 100" aria-hidden="true" focusable="false">
            <circle class=format!("face-skin level-{}", rating.value()) cx="50" cy="50" r="46" />
            <circle class="face-eye" cx="35" cy="40" r="6" />
            <circle class="face-eye" cx="65" cy="40" r="6" />
            <path class="face-mouth" d=mouth />
        </svg>
    }
}
