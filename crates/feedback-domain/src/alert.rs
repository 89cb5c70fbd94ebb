//! Alerts as the dashboard reads and acts on them (`GET /v1/alerts`,
//! `POST /v1/alerts/{id}/acknowledge`, `POST /v1/alerts/{id}/close`), and
//! the rule for an acknowledgement's note, which the dashboard's form and
//! the collector both apply.

use serde::{Deserialize, Serialize};

use crate::strip_hidden_controls;

/// The most characters a note may have.
pub const MAX_NOTE_CHARS: usize = 500;

/// One alert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertRow {
    /// Its number, for acknowledging and closing.
    pub id: i64,
    /// The store.
    pub store_id: String,
    /// `unhappy_run` or `silent_kiosk`.
    pub rule: String,
    /// When it fired (RFC 3339, UTC).
    pub fired_at: String,
    /// What happened, in words.
    pub message: String,
    /// `new`, `acknowledged` or `closed`.
    pub state: String,
    /// Who acknowledged it.
    pub acknowledged_by: Option<String>,
    /// When (RFC 3339, UTC).
    pub acknowledged_at: Option<String>,
    /// What they noted.
    pub note: Option<String>,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// When (RFC 3339, UTC).
    pub closed_at: Option<String>,
}

/// Alerts of the stores a reader may read, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AlertList {
    /// Whether the collector raises alerts at all (it runs with an alerts file).
    pub enabled: bool,
    /// How many are new.
    pub new: usize,
    /// The alerts.
    pub alerts: Vec<AlertRow>,
}

/// `POST /v1/alerts/{id}/acknowledge` body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Acknowledgement {
    /// What is being done about it (may be empty).
    #[serde(default)]
    pub note: String,
}

/// A manager's digest by mail, as the dashboard reads and sets it
/// (`GET`, `PUT /v1/session/digest`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DigestSettings {
    /// `off`, `daily` (about the day before) or `weekly` (on Monday, about
    /// the week before).
    pub frequency: String,
    /// Where it is mailed (empty when off).
    #[serde(default)]
    pub email: String,
    /// The local hour it is sent at, 0–23.
    pub hour: u8,
    /// The IANA time zone of that hour and of the days it covers.
    pub time_zone: String,
}

/// The hour digests are sent at unless the account says otherwise.
pub const DEFAULT_DIGEST_HOUR: u8 = 7;

/// Why a note is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a note may have at most {MAX_NOTE_CHARS} characters, not {0}")]
pub struct NoteTooLong(pub usize);

/// A note as kept: hidden controls taken out, spaces trimmed, at most
/// [`MAX_NOTE_CHARS`] characters.
pub fn clean_note(note: &str) -> Result<String, NoteTooLong> {
    let clean = strip_hidden_controls(note);
    let clean = clean.trim();
    let chars = clean.chars().count();
    if chars > MAX_NOTE_CHARS {
        return Err(NoteTooLong(chars));
    }
    Ok(clean.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_trimmed_cleaned_and_bounded() {
        assert_eq!(clean_note("  on it \u{202e}"), Ok("on it".to_owned()));
        assert_eq!(
            clean_note(&"é".repeat(MAX_NOTE_CHARS)).map(|n| n.chars().count()),
            Ok(MAX_NOTE_CHARS)
        );
        assert_eq!(
            clean_note(&"a".repeat(MAX_NOTE_CHARS + 1)),
            Err(NoteTooLong(MAX_NOTE_CHARS + 1))
        );
    }
}
