//! Browser capabilities as small hooks, one per file.

mod idle_timer;

pub use idle_timer::{use_idle_timer, UseIdleTimerReturn};
