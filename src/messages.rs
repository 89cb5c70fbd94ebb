//! Every text a person reads on the kiosk, in one catalogue per language.
//!
//! Components never hold literal text; they ask the [`Messages`] in context.
//! A Spanish catalogue is a second `const` of the same type.

use feedback_domain::{Factor, Rating};

/// The texts of one language.
#[derive(Debug, PartialEq, Eq)]
pub struct Messages {
    /// BCP 47 tag, for the page's `lang` attribute.
    pub lang: &'static str,
    /// The page title.
    pub page_title: &'static str,
    /// The question at the top of the customer screen.
    pub question: &'static str,
    /// The line under the question.
    pub hint: &'static str,
    /// Factor names, in [`Factor::ALL`] order.
    pub factors: [&'static str; 5],
    /// Face labels, rating 1 first.
    pub ratings: [&'static str; 5],
    /// Label of the comment field.
    pub comment_label: &'static str,
    /// The button that sends a response.
    pub send: &'static str,
    /// Heading of the thank-you screen.
    pub thank_you: &'static str,
    /// Line under the thank-you heading.
    pub thank_you_detail: &'static str,
    /// Out-of-service screen when storage is full.
    pub storage_full: &'static str,
    /// Out-of-service screen when storage cannot be used at all.
    pub out_of_service: &'static str,
    /// Line under either out-of-service heading.
    pub out_of_service_detail: &'static str,
}

impl Messages {
    /// The name of a factor.
    pub fn factor(&self, factor: Factor) -> &'static str {
        self.factors[factor.index()]
    }

    /// The label of a face.
    pub fn rating(&self, rating: Rating) -> &'static str {
        self.ratings[usize::from(rating.value() - 1)]
    }
}

/// English.
pub const EN: Messages = Messages {
    lang: "en",
    page_title: "Customer feedback",
    question: "How was your visit today?",
    hint: "Tap a face for any of these. It only takes a moment.",
    factors: ["Friendliness", "Speed", "Comfort", "Hygiene", "Security"],
    ratings: [
        "Very dissatisfied",
        "Dissatisfied",
        "Neutral",
        "Satisfied",
        "Very satisfied",
    ],
    comment_label: "Anything to add?",
    send: "Send",
    thank_you: "Thank you!",
    thank_you_detail: "Your feedback helps us do better.",
    storage_full: "Storage full: please call the manager",
    out_of_service: "Out of service: please call the manager",
    out_of_service_detail: "This kiosk cannot take feedback right now.",
};
