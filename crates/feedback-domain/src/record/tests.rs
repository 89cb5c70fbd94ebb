use super::*;

fn typical(state: SyncState) -> OutboxEntry {
    let mut ratings = Ratings::none();
    for (factor, value) in Factor::ALL.into_iter().zip([5, 4, 3, 2, 1]) {
        ratings.set(factor, Rating::new(value).expect("on scale"));
    }
    let response = Response::new(
        ResponseId(Uuid::from_u128(0xfedc_ba98_7654_3210_0f1e_2d3c_4b5a_6978)),
        Timestamp(1_795_000_000_123),
        ratings,
        None,
        true,
    )
    .expect("rated")
    .in_language(Lang::parse("es").ok());
    OutboxEntry { response, state }
}

#[test]
fn a_typical_response_takes_40_characters() {
    let line = encode(&typical(SyncState::Pending));
    assert_eq!(line.len(), 40, "{line}");
    assert!(line.is_ascii());
    assert!(line.starts_with("pc54321"), "{line}");
    assert!(line.ends_with(";es"), "{line}");
}

#[test]
fn records_of_older_kiosks_have_no_language_and_still_read() {
    let mut entry = typical(SyncState::Pending);
    entry.response.lang = None;
    let line = encode(&entry);
    assert_eq!(line.len(), 37, "{line}");
    assert_eq!(decode(&line), Ok(entry.clone()));
    entry.response.lang = Lang::parse("es-MX").ok();
    entry.response.comment = Comment::parse("a;b:c").expect("short");
    assert_eq!(decode(&encode(&entry)), Ok(entry));
}

#[test]
fn reasons_follow_the_language_and_round_trip() {
    let mut entry = typical(SyncState::Pending);
    let code = |c: &str| ReasonCode::parse(c).expect("a code");
    let mut reasons = Reasons::none();
    reasons
        .set(Factor::Hygiene, vec![code("dirty_floor"), code("smell")])
        .expect("two");
    reasons
        .set(Factor::Security, vec![code("car_park")])
        .expect("one");
    entry.response = entry.response.with_reasons(reasons).expect("rated low");
    entry.response.comment = Comment::parse("a|b/c:d").expect("short");
    let line = encode(&entry);
    assert!(
        line.contains(";es|3dirty_floor,smell/4car_park:a|b/c:d"),
        "{line}"
    );
    assert_eq!(decode(&line), Ok(entry));
}

#[test]
fn broken_reasons_are_refused_not_guessed() {
    let line = encode(&typical(SyncState::Pending));
    for broken in [
        "|",
        "|3",
        "|9smell",
        "|3Smell",
        "|3smell,smell",
        "|3smell/3toilets",
        "|0rude",
    ] {
        assert!(decode(&format!("{line}{broken}")).is_err(), "{broken}");
    }
}

#[test]
fn every_state_and_rating_subset_round_trips() {
    for state in [SyncState::Pending, SyncState::Synced, SyncState::Rejected] {
        let mut entry = typical(state);
        entry.response.ratings = Ratings::none().with(Factor::Security, Rating::MIN);
        entry.response.complete = false;
        assert_eq!(decode(&encode(&entry)), Ok(entry));
    }
}

#[test]
fn ids_survive_every_byte_value() {
    for n in [
        0u128,
        u128::MAX,
        1,
        1 << 127,
        0x00ff_00ff_00ff_00ff_00ff_00ff_00ff_00ff,
    ] {
        let mut entry = typical(SyncState::Pending);
        entry.response.id = ResponseId(Uuid::from_u128(n));
        assert_eq!(decode(&encode(&entry)), Ok(entry), "id {n:x}");
    }
}

#[test]
fn comments_with_line_breaks_backslashes_and_colons_round_trip() {
    let mut entry = typical(SyncState::Pending);
    let text = "a:b\\n real\nline\r\nend é ✓ <img src=x onerror=alert(1)>";
    entry.response.comment = Comment::parse(text).expect("short");
    let line = encode(&entry);
    assert!(!line.contains('\n'), "a record is one line: {line:?}");
    assert_eq!(decode(&line), Ok(entry));
}

#[test]
fn clock_far_off_in_either_direction_still_round_trips() {
    for millis in [0, -86_400_000, 4_102_444_800_000, i64::MAX / 2] {
        let mut entry = typical(SyncState::Pending);
        entry.response.created_at = Timestamp(millis);
        assert_eq!(decode(&encode(&entry)), Ok(entry), "{millis}");
    }
}

#[test]
fn damaged_records_are_errors_not_guesses() {
    let good = encode(&typical(SyncState::Pending));
    let cases = [
        String::new(),
        "garbage".to_owned(),
        format!("x{}", &good[1..]),
        format!("p?{}", &good[2..]),
        format!("pc6{}", &good[3..]),
        format!("pc00000{}", &good[7..]),
        format!("{}!{}", &good[..10], &good[11..]),
        good[..29].to_string(),
        format!("{}XYZ", &good[..29]),
        format!("{good}:bad escape \\q"),
        format!("{good}:{}", "x".repeat(501)),
        good.replace(";es", ";ES"),
        good.replace(";es", ";"),
        "pc54321ééééééééééééééééééééééé".to_owned(),
    ];
    for case in cases {
        assert!(decode(&case).is_err(), "{case:?} should not decode");
    }
}

#[test]
fn changing_the_state_keeps_the_rest_of_the_record() {
    let pending = encode(&typical(SyncState::Pending));
    let synced = with_state(&pending, SyncState::Synced).expect("valid record");
    assert_eq!(decode(&synced), Ok(typical(SyncState::Synced)));
    assert_eq!(with_state("", SyncState::Synced), None);
    assert_eq!(with_state("#junk", SyncState::Synced), None);
}
