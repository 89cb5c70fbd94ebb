//! Browser capabilities as small hooks, one per file, in the style of
//! leptos-use: each sets itself up when called in a component and takes its
//! listeners away with the component's owner.
//!
//! The Web Locks the syncer and storage take are not hooks: they are used
//! by code that runs outside components (`crate::locks`).

mod idle_timer;
mod page_leave;
mod use_online;
mod use_service_worker;
mod use_wake_lock;

pub use idle_timer::{use_idle_timer, UseIdleTimerReturn};
pub use page_leave::{use_page_leave, PageLeave};
pub use use_online::use_online;
pub use use_service_worker::{use_service_worker, UseServiceWorkerReturn};
pub use use_wake_lock::use_wake_lock;
