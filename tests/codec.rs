//! The storage JSON written with the browser's JSON, in headless Chromium:
//! the same text `serde` writes and reads for the same types.
#![cfg(target_arch = "wasm32")]

use feedback_domain::pin::{PinHash, PinLock};
use feedback_domain::settings::KioskSettings;
use feedback_domain::sync::{SyncProblem, SyncRecord};
use feedback_domain::{Factor, KioskIdentity, Lang};
use feedback_kiosk::codec;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_chunk_header_is_the_text_serde_writes() {
    let identity = KioskIdentity {
        store_id: "store \"north\" \\ 1".into(),
        kiosk_id: "exit\n2 é".into(),
    };
    let line = codec::identity_line(&identity);
    assert_eq!(
        line,
        r#"{"store_id":"store \"north\" \\ 1","kiosk_id":"exit\n2 é"}"#
    );
    assert_eq!(codec::identity(&line), Some(identity));
    assert_eq!(codec::identity(r#"{"store_id":"s"}"#), None);
    assert_eq!(codec::identity("not json"), None);
}

#[wasm_bindgen_test]
fn settings_round_trip_and_missing_fields_take_defaults() {
    let settings = KioskSettings {
        store_id: "s-1".into(),
        kiosk_id: "k-1".into(),
        token: "fkk_abc".into(),
        enrollment_code: "ABCD-EFGH-JKMN".into(),
        endpoint: "https://collector.example.com".into(),
        idle_timeout_ms: 45_000,
        manager_pin: Some(PinHash::new("2468", &[3; 16])),
        languages: vec![Lang::ES, Lang::EN],
        default_language: Lang::ES,
        ..KioskSettings::default()
    };
    let json = codec::settings_json(&settings).expect("writes");
    assert!(
        json.contains(r#""languages":["es","en"],"default_language":"es""#),
        "{json}"
    );
    assert_eq!(codec::settings(&json), Some(settings));
    let partial = codec::settings(r#"{"store_id":"only"}"#).expect("reads");
    assert_eq!(partial.store_id, "only");
    assert_eq!(partial.cooldown_ms, KioskSettings::default().cooldown_ms);
    assert_eq!(partial.manager_pin, None);
    assert_eq!(codec::settings("[1,2]"), None);
}

#[wasm_bindgen_test]
fn provisioning_applies_what_is_given_and_refuses_typos() {
    let current = KioskSettings {
        idle_timeout_ms: 12_000,
        manager_pin: Some(PinHash::new("2468", &[3; 16])),
        ..KioskSettings::default()
    };
    let next = codec::provisioned(&current, r#"{"store_id":"s-9","enrollment_code":"X7"}"#)
        .expect("applies");
    assert_eq!(
        (next.store_id.as_str(), next.enrollment_code.as_str()),
        ("s-9", "X7")
    );
    assert_eq!(next.idle_timeout_ms, 12_000, "left out: kept");
    assert_eq!(next.manager_pin, current.manager_pin, "never provisioned");
    let spanish_first = codec::provisioned(
        &current,
        r#"{"languages":["es","en"],"default_language":"es"}"#,
    )
    .expect("applies");
    assert_eq!(spanish_first.languages, [Lang::ES, Lang::EN]);
    assert_eq!(spanish_first.default_language, Lang::ES);

    for bad in [
        r#"{"store_id":"s","tokn":"x"}"#,
        // A token is a secret: never in a file served to anyone.
        r#"{"store_id":"s","token":"fkk_x"}"#,
        r#"{"idle_timeout_ms":"soon"}"#,
        r#"{"store_id":7}"#,
        r#"{"languages":"es"}"#,
        r#"{"languages":["es","Spanish"]}"#,
        r#"{"default_language":"ES"}"#,
        r#"{"manager_pin":{"iterations":1,"salt":"00","hash":"00"}}"#,
        "[]",
        "not json",
    ] {
        assert!(codec::provisioned(&current, bad).is_err(), "{bad}");
    }
}

#[wasm_bindgen_test]
fn kiosk_json_may_replace_a_factors_reasons_within_the_limits() {
    let current = KioskSettings::default();
    let own = r#"{"reasons":{"speed":[
        {"code":"no_trolleys","text":{"en":"No trolleys","es":"Sin carros"}},
        {"code":"long_queue","text":{"en":"Long queue"}}]}}"#;
    let next = codec::provisioned(&current, own).expect("applies");
    assert_eq!(
        next.reasons.codes(Factor::Speed),
        ["no_trolleys", "long_queue"]
    );
    assert_eq!(
        next.reasons.get(Factor::Speed)[0].text(Lang::ES),
        "Sin carros"
    );
    assert_eq!(
        next.reasons.codes(Factor::Hygiene),
        feedback_domain::reason::DEFAULT_REASONS[3],
        "factors not named keep the defaults"
    );
    // Kept in storage as they came.
    let stored = codec::settings(&codec::settings_json(&next).expect("writes")).expect("reads");
    assert_eq!(stored.reasons, next.reasons);

    let seven: Vec<String> = (0..7)
        .map(|i| format!(r#"{{"code":"r{i}","text":{{"en":"R{i}"}}}}"#))
        .collect();
    let too_many = format!(r#"{{"reasons":{{"speed":[{}]}}}}"#, seven.join(","));
    for bad in [
        too_many.as_str(),
        r#"{"reasons":{"parking":[]}}"#,
        r#"{"reasons":{"speed":"long_queue"}}"#,
        r#"{"reasons":{"speed":[{"code":"Long queue","text":{"en":"Long queue"}}]}}"#,
        r#"{"reasons":{"speed":[{"code":"a","text":{"en":""}}]}}"#,
        r#"{"reasons":{"speed":[{"code":"a","text":{"english":"A"}}]}}"#,
        r#"{"reasons":{"speed":[{"code":"a","text":{"en":"A"}},{"code":"a","text":{"en":"B"}}]}}"#,
    ] {
        let refused = codec::provisioned(&current, bad);
        assert!(
            refused.as_ref().is_err_and(|e| e.contains("at most 6")),
            "{bad}: {refused:?}"
        );
    }
}

#[wasm_bindgen_test]
fn the_sync_record_keeps_a_fingerprint_to_the_last_digit() {
    let record = SyncRecord {
        last_success_at: Some(1_795_000_000_123),
        last_problem_at: Some(1_795_000_000_456),
        last_problem: Some(SyncProblem::TokenRejected { status: 401 }),
        refused_token: Some(u64::MAX - 7),
    };
    let json = codec::sync_record_json(&record).expect("writes");
    assert!(
        json.contains(r#""last_problem":"token_rejected 401""#),
        "{json}"
    );
    assert_eq!(codec::sync_record(&json), record);
    assert_eq!(codec::sync_record("{broken"), SyncRecord::default());
}

#[wasm_bindgen_test]
fn faults_and_reasons_round_trip() {
    let faults = vec![(5, "disk \"full\"".to_owned()), (9, "again".to_owned())];
    let json = codec::faults_json(&faults).expect("writes");
    assert_eq!(json, r#"[[5,"disk \"full\""],[9,"again"]]"#);
    assert_eq!(codec::faults(&json), faults);
    let reasons = codec::string_map_json([("id-1", "rating 9 is outside 1 to 5")]).expect("writes");
    assert_eq!(
        codec::string_map(&reasons),
        vec![("id-1".to_owned(), "rating 9 is outside 1 to 5".to_owned())]
    );
}

#[wasm_bindgen_test]
fn the_pin_lock_is_the_json_serde_writes_and_damage_reads_as_unlocked() {
    for lock in [
        PinLock::default(),
        PinLock {
            failures: 4,
            locked_until: Some(1_795_000_000_123),
        },
    ] {
        let json = codec::pin_lock_json(&lock).expect("writes");
        assert_eq!(json, serde_json::to_string(&lock).expect("serde writes"));
        assert_eq!(codec::pin_lock(&json), lock);
    }
    assert_eq!(codec::pin_lock("{broken"), PinLock::default());
}
