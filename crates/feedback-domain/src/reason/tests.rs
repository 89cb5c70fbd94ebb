use super::*;

fn code(text: &str) -> ReasonCode {
    ReasonCode::parse(text).expect("a code")
}

#[test]
fn codes_are_short_lowercase_words() {
    assert_eq!(code("long_queue").label(), "long queue");
    assert!(ReasonCode::parse(&"a".repeat(32)).is_ok());
    for bad in ["", "Long", "long queue", "queue!", "é", &"a".repeat(33)] {
        assert_eq!(ReasonCode::parse(bad), Err(BadReasonCode(bad.to_owned())));
    }
}

#[test]
fn the_defaults_are_valid_distinct_and_few_enough() {
    for (factor, codes) in Factor::ALL.into_iter().zip(DEFAULT_REASONS) {
        let parsed = codes.iter().map(|c| code(c)).collect();
        assert_eq!(Reasons::none().set(factor, parsed), Ok(()), "{factor}");
    }
}

#[test]
fn at_most_six_different_reasons_per_factor() {
    let mut reasons = Reasons::none();
    let seven = (0..7).map(|i| code(&format!("r{i}"))).collect();
    assert_eq!(
        reasons.set(Factor::Speed, seven),
        Err(ReasonsError::TooMany {
            factor: Factor::Speed,
            count: 7
        })
    );
    let twice = vec![code("smell"), code("smell")];
    assert!(matches!(
        reasons.set(Factor::Hygiene, twice),
        Err(ReasonsError::Repeated { .. })
    ));
    assert!(reasons.is_empty());
}

#[test]
fn tapping_a_reason_again_unchooses_it() {
    let mut reasons = Reasons::none();
    reasons.toggle(Factor::Speed, code("long_queue"));
    reasons.toggle(Factor::Speed, code("slow_checkout"));
    reasons.toggle(Factor::Speed, code("long_queue"));
    assert_eq!(reasons.get(Factor::Speed), [code("slow_checkout")]);
    for i in 0..10 {
        reasons.toggle(Factor::Comfort, code(&format!("r{i}")));
    }
    assert_eq!(reasons.get(Factor::Comfort).len(), MAX_REASONS_PER_FACTOR);
    reasons.clear(Factor::Comfort);
    assert!(reasons.get(Factor::Comfort).is_empty());
    assert!(!reasons.is_empty());
}

#[test]
fn the_most_named_reasons_come_first_with_their_share_of_low_ratings() {
    let mut tally = ReasonTally::default();
    let mut reasons = Reasons::none();
    reasons.toggle(Factor::Speed, code("long_queue"));
    reasons.toggle(Factor::Speed, code("slow_checkout"));
    tally.add(&reasons);
    let mut other = ReasonTally::default();
    other.add_count(Factor::Speed, code("long_queue"), 6);
    other.add_count(Factor::Speed, code("few_staff"), 1);
    tally.merge(&other);
    let top = tally.top(Factor::Speed, 12, 2);
    assert_eq!(
        top.iter()
            .map(|r| (r.code.as_str(), r.count))
            .collect::<Vec<_>>(),
        [("long_queue", 7), ("few_staff", 1)],
        "ties go by code"
    );
    assert_eq!(top[0].share_of_low, Some(7.0 / 12.0));
    assert_eq!(tally.top(Factor::Speed, 0, 1)[0].share_of_low, None);
    assert!(tally.top(Factor::Hygiene, 3, 5).is_empty());
    let summary = crate::FactorSummary {
        distribution: [3, 2, 9, 9, 9],
    };
    assert_eq!(low_ratings(&summary), 5);
}

#[test]
fn only_ratings_of_one_or_two_have_reasons() {
    let asked: Vec<bool> = Rating::ALL.into_iter().map(asks_why).collect();
    assert_eq!(asked, [true, true, false, false, false]);
    let mut reasons = Reasons::none();
    reasons
        .set(Factor::Speed, vec![code("long_queue")])
        .expect("one reason");
    let low = Ratings::none().with(Factor::Speed, Rating::MIN);
    assert_eq!(reasons.check(&low), Ok(()));
    let fine = Ratings::none().with(Factor::Speed, Rating::MAX);
    assert_eq!(
        reasons.check(&fine),
        Err(ReasonsError::NotLow(Factor::Speed))
    );
    let unrated = Ratings::none().with(Factor::Hygiene, Rating::MIN);
    assert_eq!(
        reasons.check(&unrated),
        Err(ReasonsError::NotLow(Factor::Speed))
    );
    assert_eq!(
        reasons
            .iter()
            .map(|(f, c)| (f, c.len()))
            .collect::<Vec<_>>(),
        [(Factor::Speed, 1)]
    );
}
