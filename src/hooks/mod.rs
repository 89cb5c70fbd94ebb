//! Browser capabilities as small hooks, one per file.

mod idle_timer;
mod page_leave;

pub use idle_timer::{use_idle_timer, UseIdleTimerReturn};
pub use page_leave::{use_page_leave, PageLeave};
