//! The kiosk's screens and their parts.

mod face;
mod factor_question;
mod out_of_service;
mod rating_screen;
mod thank_you;

pub use face::Face;
pub use factor_question::FactorQuestion;
pub use out_of_service::{OutOfService, OutOfServiceReason};
pub use rating_screen::{Draft, RatingScreen};
pub use thank_you::ThankYou;
