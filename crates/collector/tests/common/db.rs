//! A fresh database of either engine for one test, read with SQL both
//! engines understand.

use std::ffi::OsString;
use std::sync::Arc;
use std::time::Duration;

use feedback_collector::db::Location;
use feedback_collector::store::{self, Store};

use super::{postgres, Engine};

/// A new, empty database of one engine.
pub struct TestDb {
    pub engine: Engine,
    /// Holds the SQLite file (and anything else a test puts there).
    pub dir: tempfile::TempDir,
    /// What `--db` takes: the file's path or the server's URL.
    pub arg: String,
}

impl TestDb {
    pub fn new(engine: Engine) -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let arg = match engine {
            Engine::Sqlite => dir.path().join("collector.sqlite").display().to_string(),
            Engine::Postgres => postgres::fresh_database(),
        };
        TestDb { engine, dir, arg }
    }

    pub fn location(&self) -> Location {
        self.arg.parse().expect("a database location")
    }

    pub fn os_arg(&self) -> OsString {
        OsString::from(&self.arg)
    }

    /// The engine on this database, with up to `connections`.
    pub async fn open(&self, connections: u32) -> Arc<dyn Store> {
        store::open(&self.location(), connections, Duration::from_secs(10))
            .await
            .expect("open database")
    }

    /// The rows `sql` selects, each value as text (`None`: NULL). Keep the
    /// SQL to what both engines read alike: integers and text.
    pub fn rows(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        match self.engine {
            Engine::Sqlite => {
                let conn = rusqlite::Connection::open(self.dir.path().join("collector.sqlite"))
                    .expect("open");
                let mut stmt = conn.prepare(sql).expect("prepare");
                let width = stmt.column_count();
                let rows = stmt
                    .query_map([], |row| {
                        (0..width)
                            .map(|i| {
                                Ok(match row.get::<_, rusqlite::types::Value>(i)? {
                                    rusqlite::types::Value::Null => None,
                                    rusqlite::types::Value::Integer(n) => Some(n.to_string()),
                                    rusqlite::types::Value::Real(x) => Some(x.to_string()),
                                    rusqlite::types::Value::Text(t) => Some(t),
                                    rusqlite::types::Value::Blob(b) => Some(format!("{b:?}")),
                                })
                            })
                            .collect()
                    })
                    .expect("query");
                rows.map(|r| r.expect("row")).collect()
            }
            Engine::Postgres => {
                let out = postgres::psql(&self.arg, sql);
                assert!(out.status.success(), "{sql}: {out:?}");
                String::from_utf8(out.stdout)
                    .expect("UTF-8")
                    .lines()
                    .map(|line| {
                        line.split('\u{1f}')
                            .map(|v| (v != "\\N").then(|| v.to_owned()))
                            .collect()
                    })
                    .collect()
            }
        }
    }

    /// The one integer `sql` selects.
    pub fn count(&self, sql: &str) -> i64 {
        self.rows(sql)[0][0]
            .as_deref()
            .unwrap_or("0")
            .parse()
            .expect("an integer")
    }

    /// Holds the database (SQLite) or the table the health check writes
    /// (PostgreSQL) exclusively, from another process, until dropped.
    pub fn hold_exclusive_lock(&self) -> ExclusiveLock {
        match self.engine {
            Engine::Sqlite => {
                let conn = rusqlite::Connection::open(self.dir.path().join("collector.sqlite"))
                    .expect("open");
                conn.execute_batch("BEGIN EXCLUSIVE").expect("lock");
                ExclusiveLock::Sqlite(conn)
            }
            Engine::Postgres => {
                use std::io::Write;
                let mut child = postgres::psql_session(&self.arg);
                let stdin = child.stdin.as_mut().expect("stdin");
                stdin
                    .write_all(b"BEGIN; LOCK TABLE health IN ACCESS EXCLUSIVE MODE;\n")
                    .expect("lock");
                stdin.flush().expect("flush");
                let deadline = std::time::Instant::now() + Duration::from_secs(10);
                while self.count(
                    "SELECT count(*) FROM pg_locks JOIN pg_class ON relation = oid
                     WHERE relname = 'health' AND mode = 'AccessExclusiveLock' AND granted",
                ) == 0
                {
                    assert!(std::time::Instant::now() < deadline, "lock not taken");
                    std::thread::sleep(Duration::from_millis(20));
                }
                ExclusiveLock::Postgres(child)
            }
        }
    }

    /// Runs statements that change the database.
    pub fn execute(&self, sql: &str) {
        match self.engine {
            Engine::Sqlite => {
                rusqlite::Connection::open(self.dir.path().join("collector.sqlite"))
                    .expect("open")
                    .execute_batch(sql)
                    .expect("execute");
            }
            Engine::Postgres => {
                let out = postgres::psql(&self.arg, sql);
                assert!(out.status.success(), "{sql}: {out:?}");
            }
        }
    }
}

/// See [`TestDb::hold_exclusive_lock`].
pub enum ExclusiveLock {
    Sqlite(rusqlite::Connection),
    Postgres(std::process::Child),
}

impl Drop for ExclusiveLock {
    fn drop(&mut self) {
        match self {
            ExclusiveLock::Sqlite(conn) => {
                let _ = conn.execute_batch("ROLLBACK");
            }
            ExclusiveLock::Postgres(child) => {
                drop(child.stdin.take());
                let _ = child.wait();
            }
        }
    }
}

const FACTORS: [&str; 5] = ["friendliness", "speed", "comfort", "hygiene", "security"];

/// Asserts every rollup table equals a recount from the raw rows, in SQL
/// both engines read alike.
pub fn assert_rollups_match_a_recount(db: &TestDb) {
    let half_hour = "(created_at - ((created_at % 1800000) + 1800000) % 1800000) / 1800000";
    let day = "(created_at - ((created_at % 86400000) + 86400000) % 86400000) / 86400000";
    let mut stored = vec!["sum(complete)".to_owned(), "sum(partial)".to_owned()];
    let mut recounted = vec![
        "sum(CASE WHEN complete THEN 1 ELSE 0 END)".to_owned(),
        "sum(CASE WHEN complete THEN 0 ELSE 1 END)".to_owned(),
    ];
    for factor in FACTORS {
        for face in 1..=5 {
            stored.push(format!("sum({factor}_{face})"));
            recounted.push(format!(
                "sum(CASE WHEN {factor} = {face} THEN 1 ELSE 0 END)"
            ));
        }
    }
    let (stored, recounted) = (stored.join(", "), recounted.join(", "));
    // Rollup rows hold counts already: summing one row per key gives it back.
    let by_key = |table: &str, keys: &str| {
        db.rows(&format!(
            "SELECT {keys}, {stored} FROM {table} GROUP BY {keys} ORDER BY {keys}"
        ))
    };
    let recount = |keys: &str| {
        db.rows(&format!(
            "SELECT {keys}, {recounted} FROM responses GROUP BY {keys} ORDER BY {keys}"
        ))
    };
    let half_hours = by_key("rollup_half_hours", "store_id, bucket, kiosk_id");
    assert!(!half_hours.is_empty(), "rollups are there to compare");
    assert_eq!(
        half_hours,
        recount(&format!("store_id, {half_hour}, kiosk_id")),
        "half-hours"
    );
    assert_eq!(
        by_key("rollup_days", "store_id, day"),
        recount(&format!("store_id, {day}")),
        "days"
    );
    assert_eq!(
        by_key("rollup_stores", "store_id"),
        recount("store_id"),
        "stores"
    );
    let recounted = reason_recount(db);
    assert_eq!(
        reason_rollups(db, "rollup_reasons", "bucket"),
        recounted,
        "reasons per store, half hour, factor and code"
    );
    let mut days = ReasonCounts::new();
    let mut stores = ReasonCounts::new();
    for ((store, bucket, factor, code), n) in &recounted {
        let day = (
            store.clone(),
            bucket.div_euclid(48),
            factor.clone(),
            code.clone(),
        );
        *days.entry(day).or_default() += n;
        *stores
            .entry((store.clone(), 0, factor.clone(), code.clone()))
            .or_default() += n;
    }
    assert_eq!(
        reason_rollups(db, "rollup_reason_days", "day"),
        days,
        "reasons per store, day, factor and code"
    );
    assert_eq!(
        reason_rollups(db, "rollup_reason_stores", "0"),
        stores,
        "reasons per store, factor and code"
    );
}

type ReasonCounts = std::collections::BTreeMap<(String, i64, String, String), i64>;

/// The rows of reason rollup `table`, keyed by store, `key`, factor and code.
fn reason_rollups(db: &TestDb, table: &str, key: &str) -> ReasonCounts {
    db.rows(&format!(
        "SELECT store_id, {key}, factor, code, named FROM {table}"
    ))
    .into_iter()
    .map(|row| {
        let text = |i: usize| row[i].clone().expect("not null");
        let number = |i: usize| text(i).parse::<i64>().expect("a number");
        ((text(0), number(1), text(2), text(3)), number(4))
    })
    .collect()
}

/// The reasons counted again from each stored response's JSON.
fn reason_recount(db: &TestDb) -> ReasonCounts {
    let mut counts = ReasonCounts::new();
    let rows =
        db.rows("SELECT store_id, created_at, reasons FROM responses WHERE reasons IS NOT NULL");
    for row in rows {
        let store = row[0].clone().expect("store");
        let at: i64 = row[1].as_deref().expect("time").parse().expect("a number");
        let reasons: std::collections::BTreeMap<String, Vec<String>> =
            serde_json::from_str(row[2].as_deref().expect("reasons")).expect("JSON");
        for (factor, codes) in reasons {
            for code in codes {
                let key = (
                    store.clone(),
                    at.div_euclid(1_800_000),
                    factor.clone(),
                    code,
                );
                *counts.entry(key).or_default() += 1;
            }
        }
    }
    counts
}
