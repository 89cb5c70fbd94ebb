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
mod tests {
    use super::*;
    use crate::{Comment, Rating, Ratings, ResponseId, Timestamp};
    use uuid::Uuid;

    /// A small RFC 4180 reader, to prove the round trip.
    fn parse(text: &str) -> Vec<Vec<String>> {
        let mut records = vec![];
        let mut record = vec![];
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => field.push(c),
                (false, '"') => quoted = true,
                (false, ',') => record.push(std::mem::take(&mut field)),
                (false, '\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                (false, c) => field.push(c),
            }
        }
        records
    }

    #[test]
    fn tricky_comments_survive_a_round_trip() {
        let kiosk = KioskIdentity {
            store_id: "store, \"north\"".into(),
            kiosk_id: "k1".into(),
        };
        let comment = "Fast, \"friendly\"\nand clean\r\n <img src=x onerror=alert(1)> ";
        let response = Response::new(
            ResponseId(Uuid::from_u128(1)),
            Timestamp(1_795_392_000_250),
            Ratings::none().with(Factor::Speed, Rating::new(4).expect("1-5")),
            Comment::parse(comment).expect("short"),
            false,
        )
        .expect("rated")
        .in_language(crate::Lang::parse("es").ok());
        let text = csv([(&kiosk, &response, SyncState::Pending)]);
        assert!(text.ends_with("\r\n"));
        let rows = parse(&text);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], CSV_HEADER);
        let row = &rows[1];
        assert_eq!(row[0], "00000000-0000-0000-0000-000000000001");
        assert_eq!(row[1], "store, \"north\"");
        assert_eq!(row[3], "2026-11-23T00:00:00.250Z");
        assert_eq!(&row[4..9], ["", "4", "", "", ""]);
        assert_eq!(row[9], "false");
        assert_eq!(row[10], comment.trim(), "comments are stored trimmed");
        assert_eq!(row[11], "pending");
        assert_eq!(row[12], "es");
        assert_eq!(&row[13..], ["", "", "", "", ""], "no reasons");
    }

    #[test]
    fn a_collected_response_has_the_collectors_columns_and_a_defused_comment() {
        let ratings = Ratings::none().with(Factor::Hygiene, Rating::new(2).expect("1-5"));
        let mut reasons = crate::Reasons::none();
        for code in ["toilets", "smell"] {
            let code = crate::ReasonCode::parse(code).expect("a code");
            reasons.toggle(Factor::Hygiene, code);
        }
        let mut out = String::new();
        push_record(&mut out, COLLECTED_CSV_HEADER);
        push_collected(
            &mut out,
            &CollectedResponse {
                id: "00000000-0000-0000-0000-000000000007",
                store_id: "s1",
                kiosk_id: "k1",
                created_at: 1_795_392_000_250,
                received_at: 1_795_392_001_000,
                ratings: &ratings,
                comment: Some("=HYPERLINK(\"http://x\", \"y\")"),
                complete: true,
                clock_suspect: false,
                lang: Some("es-MX"),
                reasons: &reasons,
            },
        );
        let rows = parse(&out);
        assert_eq!(rows[0], COLLECTED_CSV_HEADER);
        assert_eq!(
            rows[1],
            [
                "00000000-0000-0000-0000-000000000007",
                "s1",
                "k1",
                "2026-11-23T00:00:00.250Z",
                "2026-11-23T00:00:01.000Z",
                "",
                "",
                "",
                "2",
                "",
                "true",
                "'=HYPERLINK(\"http://x\", \"y\")",
                "false",
                "es-MX",
                "",
                "",
                "",
                "toilets smell",
                ""
            ]
        );
    }

    #[test]
    fn formulas_are_defused_and_nothing_else_changes() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("-5 stars"), "'-5 stars");
        assert_eq!(spreadsheet_safe("Great, 5 stars"), "Great, 5 stars");
    }
}
