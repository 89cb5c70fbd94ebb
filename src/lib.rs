//! The feedback kiosk: a Leptos client-side app customers use at a store's
//! exit. `main.rs` only mounts [`App`]; everything else lives here so browser
//! tests can use it.
//!
//! - [`storage`] is the only module that touches `localStorage`;
//! - [`net`] is the only module that talks to the network;
//! - [`messages`] holds every text a person reads.

mod app;
pub mod components;
pub mod hooks;
pub mod messages;
pub mod net;
pub mod settings;
pub mod storage;

pub use app::App;
