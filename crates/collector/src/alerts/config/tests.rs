use super::*;

#[test]
fn an_empty_file_turns_both_rules_on_for_every_store() {
    let config = AlertConfig::parse("").unwrap();
    assert_eq!(config.unhappy_run("any"), &UnhappyRun::default());
    assert_eq!(config.silent_kiosk("any").after_minutes, 120.0);
    assert_eq!(config.cooldown_ms(), 3_600_000);
    assert!(config.opening_hours("any").is_none());
    assert!(config.webhooks.is_empty() && config.emails.is_empty());
}

#[test]
fn the_documented_example_is_a_valid_file() {
    let config =
        AlertConfig::parse(include_str!("../../../../../docs/alerts.example.toml")).unwrap();
    assert_eq!(config.unhappy_run("any"), &UnhappyRun::default());
    assert_eq!(config.unhappy_run("madrid-centro").min_responses, 6);
    assert_eq!(config.webhooks[0].secret_env, "FEEDBACK_WEBHOOK_OPS_CHAT");
    assert!(config.smtp.is_some());
}

#[test]
fn stores_override_the_top_of_the_file() {
    let config = AlertConfig::parse(
        r#"
        cooldown_minutes = 30
        opening_hours = "08:00-21:00"
        [stores.madrid-1]
        opening_hours = { sat = "09:00-14:00" }
        unhappy_run = { min_responses = 6 }
        [[webhook]]
        name = "ops"
        url = "https://hooks.example.com/feedback"
        secret_env = "OPS_SECRET"
        stores = ["madrid-1"]
        [[email]]
        to = ["Ana <ana@example.com>"]
        [smtp]
        server = "smtp.example.com"
        from = "feedback@example.com"
        "#,
    )
    .unwrap();
    assert_eq!(config.cooldown_ms(), 1_800_000);
    assert_eq!(config.unhappy_run("madrid-1").min_responses, 6);
    assert_eq!(config.unhappy_run("madrid-1").window_minutes, 15.0);
    assert_eq!(config.unhappy_run("lisbon-1").min_responses, 4);
    assert_ne!(
        config.opening_hours("madrid-1"),
        config.opening_hours("lisbon-1")
    );
    assert!(includes(config.webhooks[0].stores.as_deref(), "madrid-1"));
    assert!(!includes(config.webhooks[0].stores.as_deref(), "lisbon-1"));
    assert!(includes(config.emails[0].stores.as_deref(), "lisbon-1"));
}

#[test]
fn mistakes_are_named() {
    for (text, named) in [
        ("cooldown_minutes = 0", "cooldown_minutes"),
        (
            "[unhappy_run]\nmin_unhappy_share = 1.5",
            "min_unhappy_share",
        ),
        (
            "[stores.s1.unhappy_run]\nwindow_minutes = -1",
            "stores.s1.unhappy_run.window_minutes",
        ),
        ("[[email]]\nto = [\"ana@example.com\"]", "[smtp]"),
        (
            "[[email]]\nto = [\"not an address\"]\n[smtp]\nserver = \"x\"\nfrom = \"a@b.c\"",
            "not an email address",
        ),
        (
            "[[webhook]]\nname = \"a\"\nurl = \"ftp://x\"\nsecret_env = \"S\"",
            "http:// or https://",
        ),
        ("colldown_minutes = 5", "unknown field"),
        ("opening_hours = \"9-5\"", "opening hours"),
    ] {
        let err = format!("{:#}", AlertConfig::parse(text).unwrap_err());
        assert!(err.contains(named), "{text}: {err}");
    }
}
