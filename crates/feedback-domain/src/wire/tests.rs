use super::*;

fn kiosk() -> KioskIdentity {
    KioskIdentity {
        store_id: "store-12".into(),
        kiosk_id: "exit-north".into(),
    }
}

fn sample() -> Response {
    Response::new(
        ResponseId(Uuid::from_u128(42)),
        Timestamp(1_795_000_000_123),
        Ratings::none()
            .with(Factor::Speed, Rating::new(4).expect("on scale"))
            .with(Factor::Hygiene, Rating::MAX),
        Comment::parse("Quick, \"clean\"").expect("short"),
        true,
    )
    .expect("rated")
}

#[test]
fn a_response_survives_the_wire() {
    let wire = WireResponse::from_response(&sample(), &kiosk());
    let json = serde_json::to_string(&wire).expect("serialises");
    assert_eq!(
        json,
        r#"{"id":"00000000-0000-0000-0000-00000000002a","store_id":"store-12","created_at":1795000000123,"ratings":{"hygiene":5,"speed":4},"comment":"Quick, \"clean\"","complete":true}"#
    );
    let back: WireResponse = serde_json::from_str(&json).expect("parses");
    assert_eq!(back.validate(), Ok(sample()));
}

#[test]
fn the_hand_written_batch_is_exactly_what_serde_writes() {
    let mut tricky = sample();
    tricky.comment =
        Comment::parse("Quote \" slash \\ tab\t bell\u{7} line\nnext é 😀").expect("short");
    tricky.lang = Lang::parse("es-MX").ok();
    tricky.ratings = tricky
        .ratings
        .with(Factor::Security, Rating::MIN)
        .with(Factor::Speed, Rating::new(2).expect("on scale"));
    let mut why = Reasons::none();
    let code = |c: &str| ReasonCode::parse(c).expect("a code");
    why.set(Factor::Security, vec![code("car_park")])
        .expect("one");
    why.set(
        Factor::Speed,
        vec![code("long_queue"), code("slow_checkout")],
    )
    .expect("two");
    let tricky = tricky.with_reasons(why).expect("rated low");
    let mut bare = sample();
    bare.comment = None;
    bare.complete = false;
    bare.ratings = Ratings::none()
        .with(Factor::Security, Rating::MIN)
        .with(Factor::Comfort, Rating::new(3).expect("on scale"))
        .with(Factor::Friendliness, Rating::MAX);
    let identity = KioskIdentity {
        store_id: "store \"12\"".into(),
        kiosk_id: "exit\\north".into(),
    };
    let responses = vec![sample(), tricky, bare];
    let expected = serde_json::to_string(&ResponseBatch {
        kiosk_id: identity.kiosk_id.clone(),
        responses: responses
            .iter()
            .map(|r| WireResponse::from_response(r, &identity))
            .collect(),
    })
    .expect("serialises");
    assert_eq!(encode_batch(&identity, &responses), expected);
    assert_eq!(
        encode_batch(&identity, &[]),
        r#"{"kiosk_id":"exit\\north","responses":[]}"#
    );
}

#[test]
fn clocks_before_2020_or_a_day_ahead_are_suspect() {
    let now = 1_795_000_000_000;
    assert!(!clock_suspect(now, now));
    assert!(!clock_suspect(now + FUTURE_TOLERANCE_MS, now));
    assert!(clock_suspect(now + FUTURE_TOLERANCE_MS + 1, now));
    assert!(!clock_suspect(EARLIEST_PLAUSIBLE_MS, now));
    assert!(clock_suspect(EARLIEST_PLAUSIBLE_MS - 1, now));
    assert!(clock_suspect(i64::MIN, now));
    assert!(clock_suspect(i64::MAX, now));
}

#[test]
fn reasons_of_another_shape_are_not_a_response() {
    let item = |reasons: &str| {
        format!(
            r#"{{"id":"00000000-0000-0000-0000-00000000002a","store_id":"s","created_at":1,"ratings":{{"speed":1}},"complete":true,"reasons":{reasons}}}"#
        )
    };
    for shape in [
        r#"["long_queue"]"#,
        r#"{"speed":"long_queue"}"#,
        r#"{"speed":[1]}"#,
    ] {
        assert!(
            serde_json::from_str::<WireResponse>(&item(shape)).is_err(),
            "{shape}"
        );
    }
    let fine: WireResponse =
        serde_json::from_str(&item(r#"{"speed":["long_queue"]}"#)).expect("parses");
    assert!(fine.validate().is_ok());
}

#[test]
fn unknown_fields_are_refused() {
    let json = r#"{"id":"00000000-0000-0000-0000-00000000002a","store_id":"s","created_at":1,"ratings":{"speed":4},"complete":true,"extra":1}"#;
    assert!(serde_json::from_str::<WireResponse>(json).is_err());
}

#[test]
fn each_invalid_item_says_why() {
    let good = WireResponse::from_response(&sample(), &kiosk());
    let mut bad_id = good.clone();
    bad_id.id = "not-a-uuid".into();
    assert_eq!(
        bad_id.validate(),
        Err(ItemRejection::BadId("not-a-uuid".into()))
    );

    let mut unknown = good.clone();
    unknown.ratings.insert("parking".into(), 3);
    assert_eq!(
        unknown.validate(),
        Err(ItemRejection::UnknownFactor("parking".into()))
    );

    let mut out_of_range = good.clone();
    out_of_range.ratings.insert("speed".into(), 6);
    assert_eq!(
        out_of_range.validate(),
        Err(ItemRejection::RatingOutOfRange {
            factor: Factor::Speed,
            value: 6
        })
    );

    let mut none = good.clone();
    none.ratings.clear();
    assert_eq!(none.validate(), Err(ResponseError::NoRating.into()));

    let mut not_a_tag = good.clone();
    not_a_tag.lang = Some("<b>spanish</b>".into());
    assert_eq!(
        not_a_tag.validate(),
        Err(ItemRejection::BadLang(BadLang("<b>spanish</b>".into())))
    );
    assert_eq!(
        not_a_tag.validate().map_err(|e| e.to_string()),
        Err("\"<b>spanish</b>\" is not a language tag such as \"en\" or \"es-MX\"".into())
    );
    let mut spanish = good.clone();
    spanish.lang = Some("es".into());
    assert_eq!(
        spanish.validate().map(|r| r.lang),
        Ok(Lang::parse("es").ok())
    );

    let mut low = good.clone();
    low.ratings.insert("speed".into(), 1);
    let reasons = |pairs: &[(&str, &[&str])]| {
        Some(
            pairs
                .iter()
                .map(|(f, codes)| (f.to_string(), codes.iter().map(|c| c.to_string()).collect()))
                .collect(),
        )
    };
    let mut why = low.clone();
    why.reasons = reasons(&[("speed", &["long_queue"])]);
    let kept = why.validate().map(|r| r.reasons.get(Factor::Speed).len());
    assert_eq!(kept, Ok(1));
    why.reasons = reasons(&[("parking", &["long_queue"])]);
    assert_eq!(
        why.validate(),
        Err(ItemRejection::UnknownFactor("parking".into()))
    );
    why.reasons = reasons(&[("speed", &["Long queue"])]);
    assert_eq!(
        why.validate().map_err(|e| e.to_string()),
        Err("reasons: \"Long queue\" is not a reason code (1 to 32 of a-z, 0-9 and _)".into())
    );
    why.reasons = reasons(&[("speed", &["a", "b", "c", "d", "e", "f", "g"])]);
    assert!(matches!(
        why.validate(),
        Err(ItemRejection::Reasons(ReasonsError::TooMany {
            count: 7,
            ..
        }))
    ));
    why.reasons = reasons(&[("hygiene", &["smell"])]);
    assert_eq!(
        why.validate(),
        Err(ItemRejection::Reasons(ReasonsError::NotLow(
            Factor::Hygiene
        )))
    );

    let mut long = good;
    long.comment = Some("x".repeat(501));
    assert!(matches!(
        long.validate(),
        Err(ItemRejection::Invalid(ResponseError::CommentTooLong(_)))
    ));
}
