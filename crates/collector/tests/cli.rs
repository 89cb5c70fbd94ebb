//! The `feedback-collector` command as an operator uses it.

mod common;

use std::ffi::OsStr;
use std::process::{Command, Output};

use common::*;

fn collector(db: impl AsRef<OsStr>, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_feedback-collector"))
        .arg("--db")
        .arg(db.as_ref())
        .args(args)
        .output()
        .expect("run feedback-collector")
}

/// Runs the collector with `input` on its standard input (not a terminal).
fn collector_with_input(db: impl AsRef<OsStr>, args: &[&str], input: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_feedback-collector"))
        .arg("--db")
        .arg(db.as_ref())
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run feedback-collector");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    child.wait_with_output().expect("wait")
}

async fn accounts_are_made_with_a_piped_password_listed_and_disabled(engine: Engine) {
    let test_db = TestDb::new(engine);
    let db = test_db.os_arg();
    let create = [
        "user", "create", "alice", "--store", "store-1", "--store", "store-2",
    ];
    let short = collector_with_input(&db, &create, "short\n");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 10 characters"));
    let made = collector_with_input(&db, &create, "a long enough password\n");
    assert!(made.status.success(), "{made:?}");
    let twice = collector_with_input(&db, &create, "a long enough password\n");
    assert!(String::from_utf8_lossy(&twice.stderr).contains("already an account"));
    let boss = ["user", "create", "boss", "--all-stores"];
    assert!(collector_with_input(&db, &boss, "another long password")
        .status
        .success());

    let stored = format!("{:?}", test_db.rows("SELECT password_hash FROM accounts"));
    assert!(
        stored.contains("$argon2id$") && !stored.contains("long enough"),
        "{stored}"
    );
    let table = stdout(&collector(&db, &["user", "list"]));
    assert!(table.contains("store-1, store-2"), "{table}");
    assert!(table.contains("(all stores)"), "{table}");

    assert!(collector(&db, &["user", "disable", "alice"])
        .status
        .success());
    let listed = stdout(&collector(&db, &["user", "list", "--json"]));
    let alice: serde_json::Value =
        serde_json::from_str(listed.lines().next().expect("alice")).expect("JSON");
    assert_eq!(alice["name"], "alice");
    assert!(alice["disabled_at"].is_i64(), "{alice}");
    let password = ["user", "password", "alice"];
    assert!(
        collector_with_input(&db, &password, "a brand new password\n")
            .status
            .success()
    );
    let listed = stdout(&collector(&db, &["user", "list", "--json"]));
    assert!(listed
        .lines()
        .next()
        .expect("alice")
        .contains("\"disabled_at\":null"));
    let nobody = collector_with_input(&db, &["user", "password", "nobody"], "whatever long one\n");
    assert!(!nobody.status.success());
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

async fn tokens_are_printed_once_stored_as_hashes_listed_and_revoked(engine: Engine) {
    let test_db = TestDb::new(engine);
    let db = test_db.os_arg();

    let created = collector(
        &db,
        &["token", "create", "--kiosk", "exit-1", "--store", "s-9"],
    );
    assert!(created.status.success(), "{created:?}");
    let secret = stdout(&created).trim().to_owned();
    assert!(secret.starts_with("fkk_"), "{secret}");
    assert_eq!(
        stdout(&created).lines().count(),
        1,
        "only the token on stdout"
    );

    let manager = collector(&db, &["token", "create", "--manager"]);
    assert!(stdout(&manager).starts_with("fkm_"));

    // The database never holds a secret.
    let stored = format!("{:?}", test_db.rows("SELECT * FROM tokens"));
    assert!(stored.contains("exit-1") && !stored.contains(&secret[4..]));
    if engine == Engine::Sqlite {
        let bytes = std::fs::read(&db).expect("database file");
        let haystack = String::from_utf8_lossy(&bytes);
        assert!(!haystack.contains(&secret[4..]));
    }

    let listed = stdout(&collector(&db, &["token", "list", "--json"]));
    let rows: Vec<serde_json::Value> = listed
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["role"], "kiosk");
    assert_eq!(rows[0]["kiosk_id"], "exit-1");
    assert_eq!(rows[0]["store_id"], "s-9");
    assert!(!listed.contains(&secret[4..]));

    let table = stdout(&collector(&db, &["token", "list"]));
    assert!(
        table.contains("exit-1") && table.contains("active"),
        "{table}"
    );

    let revoked = collector(&db, &["token", "revoke", "1"]);
    assert!(revoked.status.success());
    assert!(stdout(&collector(&db, &["token", "list"])).contains("revoked"));
    let again = collector(&db, &["token", "revoke", "1"]);
    assert!(!again.status.success(), "revoking twice is an error");
    assert!(String::from_utf8_lossy(&again.stderr).contains("no active token 1"));
}

#[test]
fn a_kiosk_token_needs_a_store_and_a_role_is_required() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    assert!(!collector(&db, &["token", "create", "--kiosk", "k"])
        .status
        .success());
    assert!(!collector(&db, &["token", "create"]).status.success());
}

#[test]
fn a_wildcard_cors_origin_is_a_clear_startup_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    let out = collector(
        &db,
        &["serve", "--listen", "127.0.0.1:0", "--cors-origin", "*"],
    );
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--cors-origin '*' is not supported"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

async fn store_time_zones_are_set_by_iana_name_and_listed(engine: Engine) {
    let test_db = TestDb::new(engine);
    let db = test_db.os_arg();
    let token = collector(
        &db,
        &["token", "create", "--kiosk", "k1", "--store", "store-1"],
    );
    assert!(token.status.success(), "{token:?}");

    let set = collector(
        &db,
        &["store", "set", "store-1", "--time-zone", "Europe/Madrid"],
    );
    assert!(set.status.success(), "{set:?}");
    let unknown_zone = collector(
        &db,
        &["store", "set", "store-1", "--time-zone", "Mars/Olympus"],
    );
    assert!(!unknown_zone.status.success());
    assert!(String::from_utf8_lossy(&unknown_zone.stderr).contains("IANA"));
    // A mistyped store is refused unless it is set up ahead on purpose.
    let typo = collector(&db, &["store", "set", "stor-1", "--time-zone", "UTC"]);
    assert!(!typo.status.success());
    assert!(String::from_utf8_lossy(&typo.stderr).contains("--create"));
    let ahead = collector(
        &db,
        &[
            "store",
            "set",
            "store-2",
            "--time-zone",
            "Asia/Kolkata",
            "--create",
        ],
    );
    assert!(ahead.status.success(), "{ahead:?}");
    let enrolled = collector(
        &db,
        &["kiosk", "enroll", "--store", "store-3", "--kiosk", "k1"],
    );
    assert!(enrolled.status.success());

    let list = stdout(&collector(&db, &["store", "list"]));
    let line = |store: &str| {
        list.lines()
            .find(|l| l.starts_with(&format!("{store} ")))
            .unwrap_or_else(|| panic!("{store} not in {list}"))
            .to_owned()
    };
    assert!(line("store-1").contains("Europe/Madrid"), "{list}");
    assert!(line("store-2").contains("Asia/Kolkata"), "{list}");
    assert!(line("store-3").contains("UTC"), "{list}");
    assert!(!list.contains("stor-1 "));
}

#[test]
fn retention_below_one_day_is_a_clear_startup_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    for days in ["0", "-3", "1.5"] {
        let out = collector(&db, &["serve", &format!("--retain-days={days}")]);
        assert!(!out.status.success(), "{days}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--retain-days"), "{days}: {err}");
    }
}

#[test]
fn a_sqlite_url_names_the_same_file_and_an_unreachable_server_is_named_without_its_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite");
    let created = collector(&db, &["token", "create", "--manager"]);
    assert!(created.status.success(), "{created:?}");

    let url = format!("sqlite:{}", db.display());
    let listed = Command::new(env!("CARGO_BIN_EXE_feedback-collector"))
        .args(["--db", &url, "token", "list"])
        .output()
        .expect("run");
    assert!(listed.status.success(), "{listed:?}");
    assert!(stdout(&listed).contains("manager"), "{}", stdout(&listed));

    let refused = Command::new(env!("CARGO_BIN_EXE_feedback-collector"))
        .args(["token", "list"])
        .env(
            "FEEDBACK_DB",
            "postgres://feedback:s3cret@127.0.0.1:1/feedback",
        )
        .output()
        .expect("run");
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    let said = "feedback-collector: opening database postgres://feedback:***@127.0.0.1:1/feedback";
    assert!(
        stderr.lines().any(|line| line.starts_with(said)),
        "{stderr}"
    );
    assert!(stderr.contains("Connection refused"), "says why: {stderr}");
    assert!(
        !stderr.contains("s3cret"),
        "the password is never shown: {stderr}"
    );
}

/// Two collectors share one PostgreSQL database: the schema is migrated
/// once, whoever starts first.
#[test]
fn collectors_starting_at_once_on_one_postgres_database_migrate_it_once() {
    let db = TestDb::new(Engine::Postgres);
    let runs: Vec<_> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_feedback-collector"))
                .args(["--db", &db.arg, "token", "list"])
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("run")
        })
        .collect();
    for mut run in runs {
        assert!(run.wait().expect("wait").success());
    }
    // Each migration recorded once: as many rows as the newest version.
    let newest = db.count("SELECT max(version) FROM schema_migrations");
    assert!(newest >= 2, "{newest}");
    assert_eq!(db.count("SELECT count(*) FROM schema_migrations"), newest);
}

on_each_engine!(
    accounts_are_made_with_a_piped_password_listed_and_disabled,
    tokens_are_printed_once_stored_as_hashes_listed_and_revoked,
    store_time_zones_are_set_by_iana_name_and_listed,
);
