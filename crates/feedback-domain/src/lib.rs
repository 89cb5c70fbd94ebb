//! The feedback kiosk's domain: what a customer rates, what a response is, the
//! rules of the offline outbox, summaries, and the formats responses are kept
//! and sent in.
//!
//! This crate knows nothing about browsers, storage or networks, so the kiosk
//! (compiled to WebAssembly) and the collector (a native server) share one
//! definition of every rule and of the wire format, and all of it is tested
//! natively with `cargo test`.

pub mod alert;
pub mod calendar;
pub mod export;
mod factor;
pub mod heartbeat;
pub mod heat_map;
mod language;
pub mod outbox;
pub mod pin;
mod rating;
pub mod reason;
pub mod reason_choices;
pub mod record;
pub mod report;
mod response;
pub mod settings;
pub mod summary;
pub mod sync;
pub mod wire;

pub use factor::{Factor, UnknownFactor};
pub use language::{BadLang, Lang};
pub use outbox::{OutboxEntry, SyncState};
pub use rating::{Rating, RatingOutOfRange, Ratings};
pub use reason::{NamedReason, ReasonCode, ReasonTally, Reasons, ReasonsError};
pub use response::{
    is_hidden_control, strip_hidden_controls, Comment, CommentTooLong, KioskIdentity, Response,
    ResponseError, ResponseId, Timestamp, MAX_COMMENT_CHARS,
};
pub use summary::{FactorSummary, Summary};
