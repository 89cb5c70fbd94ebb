//! Every text a person reads on the kiosk, in one catalogue per language.
//!
//! Components never hold literal text; they ask the [`Messages`] (customer
//! kiosk) or [`ManagerTexts`] (manager page) in context. Each language is a
//! module (`en.rs`, `es.rs`) with a `KIOSK` and a `MANAGER` catalogue, and
//! one name in the [`languages!`] line at the end of this file; the compiler
//! checks that a new catalogue has every text.

use feedback_domain::reason::DEFAULT_REASONS;
use feedback_domain::{Factor, Rating, ReasonCode};

/// The texts of one language.
#[derive(Debug)]
pub struct Messages {
    /// BCP 47 tag, for the page's `lang` attribute.
    pub lang: &'static str,
    /// The language's name in itself ("Español"), on the language switch.
    pub name: &'static str,
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
    /// The small corner control that opens the PIN pad.
    pub manager: &'static str,
    /// Name of the language switch.
    pub languages: &'static str,
    /// The control that makes the customer screen's text larger.
    pub larger_text: &'static str,
    /// Name of the reasons offered after a rating of 1 or 2.
    pub why: &'static str,
    /// Words for [`feedback_domain::reason::DEFAULT_REASONS`], in its order.
    pub reasons: [[&'static str; 4]; 5],
}

impl Messages {
    /// The name of a factor.
    pub fn factor(&self, factor: Factor) -> &'static str {
        self.factors[factor.index()]
    }

    /// Words for a reason named for `factor`: this catalogue's for the
    /// default reasons, the code's own words for any other. Inside a
    /// sentence, so a first letter A–Z is lowered (ASCII only: Unicode's
    /// case tables would add about 10 KB to the manager page).
    pub fn reason(&self, factor: Factor, code: &ReasonCode) -> String {
        let words = DEFAULT_REASONS[factor.index()]
            .iter()
            .position(|c| *c == code.as_str())
            .map_or_else(
                || code.label(),
                |i| self.reasons[factor.index()][i].to_owned(),
            );
        in_sentence(words)
    }

    /// The label of a face.
    pub fn rating(&self, rating: Rating) -> &'static str {
        self.ratings[usize::from(rating.value() - 1)]
    }
}

/// `words` as they read inside a sentence: a first letter A–Z lowered.
pub fn in_sentence(mut words: String) -> String {
    if let Some(first) = words.get_mut(..1) {
        first.make_ascii_lowercase();
    }
    words
}

/// Declares the languages: each name is a module holding a `KIOSK` and a
/// `MANAGER` catalogue, listed in the order customers are offered them by
/// default. Each lookup names only its own catalogues, so the customer
/// kiosk's build leaves the manager's texts out.
macro_rules! languages {
    ($($code:ident),+) => {
        $(mod $code;)+

        /// Every language there is a catalogue for, by tag.
        pub const LANGUAGES: &[&str] = &[$(stringify!($code)),+];

        /// The customer kiosk's texts in `lang`, if there is a catalogue.
        pub fn kiosk_texts(lang: &str) -> Option<&'static Messages> {
            match lang {
                $(stringify!($code) => Some(&$code::KIOSK),)+
                _ => None,
            }
        }

        /// The manager page's texts in `lang`, if there is a catalogue.
        pub fn manager_texts(lang: &str) -> Option<&'static ManagerTexts> {
            match lang {
                $(stringify!($code) => Some(&$code::MANAGER),)+
                _ => None,
            }
        }
    };
}

// A new language: its module (a copy of `es.rs`, translated) and its name here.
languages!(en, es);

mod dashboard;
mod manager;
pub use dashboard::{DashboardTexts, EN_DASHBOARD};
/// English, customer kiosk: the texts when nothing else is known.
pub use en::KIOSK as EN;
/// English, manager page.
pub use en::MANAGER as EN_MANAGER;
pub use manager::{
    decimal, ManagerMessages, ManagerTexts, PinMessages, SetupMessages, SyncProblemMessages,
    TrendEntry,
};
use manager::{list, minutes_seconds};
