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
