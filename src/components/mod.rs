//! The kiosk's screens and their parts.

pub mod charts;
mod face;
mod factor_question;
mod manager;
mod out_of_service;
mod pin_pad;
mod rating_screen;
mod settings_panel;
mod setup;
pub mod summary;
mod sync_panel;
mod thank_you;

pub use face::Face;
pub use factor_question::FactorQuestion;
pub use manager::{ManagerView, LATEST_COMMENTS, MANAGER_IDLE};
pub use out_of_service::{OutOfService, OutOfServiceReason};
pub use pin_pad::PinPad;
pub use rating_screen::{Customer, CustomerEvent, Entry, RatingScreen};
pub use setup::{SetupScreen, TextField};
pub use summary::SummaryPanel;
pub use thank_you::ThankYou;
