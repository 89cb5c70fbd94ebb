//! The CSV a manager downloads, from the kiosk or from the collector: RFC
//! 4180, a header row, one line per response, times in UTC, comments safe to
//! open in a spreadsheet. One writer for both, so both quote and defuse the
//! same way.

use crate::reason::reason_cells;
use crate::report::utc_rfc3339;
use crate::{Factor, KioskIdentity, Ratings, Reasons, Response, SyncState};

/// The export's columns, in order; the reasons chosen for each factor last
/// ([`crate::reason::REASON_CSV_COLUMNS`]).
pub const CSV_HEADER: [&str; 18] = [
    "id",
    "store_id",
    "kiosk_id",
    "created_at",
    "friendliness",
    "speed",
    "comfort",
    "hygiene",
    "security",
    "complete",
    "comment",
    "sync_state",
    "lang",
    "friendliness_reasons",
    "speed_reasons",
    "comfort_reasons",
    "hygiene_reasons",
    "security_reasons",
];

/// Appends one CSV field: quoted when it holds a comma, a quote, a line
/// break or leading or trailing space; quotes inside are doubled.
pub fn push_field(out: &mut String, field: &str) {
    let needs_quotes =
        field.contains([',', '"', '\n', '\r']) || field.starts_with(' ') || field.ends_with(' ');
    if needs_quotes {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// Appends one CSV record and its CRLF.
pub fn push_record<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, field);
    }
    out.push_str("\r\n");
}

/// A comment as a spreadsheet cell: one that a spreadsheet would read as a
/// formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`,
/// which spreadsheets show as text. Everything else is unchanged.
pub fn spreadsheet_safe(comment: &str) -> String {
    if comment.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{comment}")
    } else {
        comment.to_owned()
    }
}

/// The collector's export columns, in order (`GET /v1/responses.csv`).
pub const COLLECTED_CSV_HEADER: [&str; 19] = [
    "id",
    "store_id",
    "kiosk_id",
    "created_at",
    "received_at",
    "friendliness",
    "speed",
    "comfort",
    "hygiene",
    "security",
    "complete",
    "comment",
    "clock_suspect",
    "lang",
    "friendliness_reasons",
    "speed_reasons",
    "comfort_reasons",
    "hygiene_reasons",
    "security_reasons",
];

/// A response as the collector holds it, for its export.
#[derive(Clone, Debug)]
pub struct CollectedResponse<'a> {
    /// The response's id.
    pub id: &'a str,
    /// The store it came from.
    pub store_id: &'a str,
    /// The kiosk it came from.
    pub kiosk_id: &'a str,
    /// When the kiosk saved it, ms since the epoch.
    pub created_at: i64,
    /// When the collector received it, ms since the epoch.
    pub received_at: i64,
    /// Its ratings.
    pub ratings: &'a Ratings,
    /// Its comment, if any.
    pub comment: Option<&'a str>,
    /// Whether the customer pressed Send.
    pub complete: bool,
    /// Whether its `created_at` looked wrong when it arrived.
    pub clock_suspect: bool,
    /// The language it was given in, if the kiosk recorded it.
    pub lang: Option<&'a str>,
    /// The reasons chosen after low ratings.
    pub reasons: &'a Reasons,
}

/// Appends `response` as one record under [`COLLECTED_CSV_HEADER`].
pub fn push_collected(out: &mut String, response: &CollectedResponse<'_>) {
    let ratings = rating_cells(response.ratings);
    let created = utc_rfc3339(response.created_at);
    let received = utc_rfc3339(response.received_at);
    let comment = response.comment.map(spreadsheet_safe).unwrap_or_default();
    let mut fields: Vec<&str> = vec![
        response.id,
        response.store_id,
        response.kiosk_id,
        &created,
        &received,
    ];
    fields.extend(ratings.iter().map(String::as_str));
    fields.extend([
        bool_cell(response.complete),
        &comment,
        bool_cell(response.clock_suspect),
        response.lang.unwrap_or_default(),
    ]);
    let reasons = reason_cells(response.reasons);
    fields.extend(reasons.iter().map(String::as_str));
    push_record(out, fields);
}

/// The five rating cells, in [`Factor::ALL`] order; empty when unrated.
fn rating_cells(ratings: &Ratings) -> [String; 5] {
    Factor::ALL.map(|f| {
        ratings
            .get(f)
            .map(|r| r.value().to_string())
            .unwrap_or_default()
    })
}

fn bool_cell(value: bool) -> &'static str {
    if value {
        "true"
    } else {
        "false"
    }
}

/// The CSV of `responses` (each with the identity it was taken under and its
/// sync state), header first, in the order given.
pub fn csv<'a>(
    responses: impl IntoIterator<Item = (&'a KioskIdentity, &'a Response, SyncState)>,
) -> String {
    let mut out = String::new();
    push_record(&mut out, CSV_HEADER);
    for (identity, response, state) in responses {
        let ratings = rating_cells(&response.ratings);
        let id = response.id.to_string();
        let created = utc_rfc3339(response.created_at.millis());
        let comment = response
            .comment
            .as_ref()
            .map(|c| spreadsheet_safe(c.as_str()))
            .unwrap_or_default();
        let state = match state {
            SyncState::Pending => "pending",
            SyncState::Synced => "synced",
            SyncState::Rejected => "rejected",
        };
        let complete = bool_cell(response.complete);
        let mut fields: Vec<&str> = vec![&id, &identity.store_id, &identity.kiosk_id, &created];
        fields.extend(ratings.iter().map(String::as_str));
        let lang = response.lang.as_ref().map_or("", |l| l.as_str());
        fields.extend([complete, comment.as_str(), state, lang]);
        let reasons = reason_cells(&response.reasons);
        fields.extend(reasons.iter().map(String::as_str));
        push_record(&mut out, fields);
    }
    out
}

#[cfg(test)]
mod tests;
