//! `kiosk.json` provisions the kiosk: applied at first start, and again
//! whenever its content changes, so whoever runs the stores' IT can change
//! it centrally; an unchanged file never undoes settings changed on the
//! kiosk. A file that cannot be applied is recorded as a fault, which the
//! manager view shows.

use feedback_domain::settings::KioskSettings;
use feedback_domain::sync::token_fingerprint;
use leptos::prelude::GetUntracked;

use crate::context::KioskContext;

/// What applying `kiosk.json` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Provisioned {
    /// No file, the same file as last time, or one that could not be applied.
    Unchanged,
    /// New settings were kept; `set_up` says whether setup is now done.
    Applied {
        /// A manager PIN is set.
        set_up: bool,
    },
}

/// Fetches `kiosk.json` and applies it if it changed since it was last
/// applied. Damaged settings start again from the defaults, keeping only
/// the manager's PIN (from its own copy).
pub async fn apply_kiosk_json(kiosk: KioskContext) -> Provisioned {
    let Ok(text) = crate::net::fetch_settings_text().await else {
        return Provisioned::Unchanged;
    };
    let fingerprint = token_fingerprint(&text);
    let applied = kiosk.with_store(|s| Ok(s.provisioned())).ok().flatten();
    if applied == Some(fingerprint) {
        return Provisioned::Unchanged;
    }
    let base = if kiosk.damaged() {
        KioskSettings {
            manager_pin: kiosk.stored_pin(),
            ..KioskSettings::default()
        }
    } else {
        kiosk.settings().get_untracked()
    };
    let next = match crate::codec::provisioned(&base, &text) {
        Ok(next) => next,
        Err(problem) => {
            kiosk.record_fault(&problem);
            return Provisioned::Unchanged;
        }
    };
    let set_up = next.is_set_up();
    if kiosk.keep_settings(next).is_err() {
        return Provisioned::Unchanged;
    }
    let _ = kiosk.with_store(|s| s.save_provisioned(fingerprint));
    kiosk.start_syncing();
    Provisioned::Applied { set_up }
}
