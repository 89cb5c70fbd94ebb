//! The SQLite store: opening, pragmas and migrations.

use std::path::Path;
use std::time::Duration;

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::Connection;

/// A pool of connections to one SQLite file.
pub type Pool = r2d2::Pool<SqliteConnectionManager>;

/// How long a connection waits for another writer before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Schema migrations, applied in order; `PRAGMA user_version` records how
/// many have run. Never edit one that has shipped: add a new one.
const MIGRATIONS: &[&str] = &[
    // 1: tokens and responses.
    "CREATE TABLE tokens (
        id          INTEGER PRIMARY KEY,
        role        TEXT    NOT NULL CHECK (role IN ('kiosk', 'manager')),
        store_id    TEXT,
        kiosk_id    TEXT,
        hash        BLOB    NOT NULL UNIQUE,
        created_at  INTEGER NOT NULL,
        revoked_at  INTEGER,
        CHECK (role = 'manager' OR (store_id IS NOT NULL AND kiosk_id IS NOT NULL))
    );
    CREATE TABLE responses (
        id            TEXT    NOT NULL PRIMARY KEY,
        store_id      TEXT    NOT NULL,
        kiosk_id      TEXT    NOT NULL,
        created_at    INTEGER NOT NULL,
        received_at   INTEGER NOT NULL,
        clock_suspect INTEGER NOT NULL DEFAULT 0 CHECK (clock_suspect IN (0, 1)),
        friendliness  INTEGER CHECK (friendliness BETWEEN 1 AND 5),
        speed         INTEGER CHECK (speed BETWEEN 1 AND 5),
        comfort       INTEGER CHECK (comfort BETWEEN 1 AND 5),
        hygiene       INTEGER CHECK (hygiene BETWEEN 1 AND 5),
        security      INTEGER CHECK (security BETWEEN 1 AND 5),
        comment       TEXT,
        complete      INTEGER NOT NULL CHECK (complete IN (0, 1)),
        token_id      INTEGER NOT NULL REFERENCES tokens (id)
    ) WITHOUT ROWID;
    CREATE INDEX responses_by_store_time ON responses (store_id, created_at);
    CREATE INDEX responses_by_time ON responses (created_at);",
];

/// Opens (creating if needed) the database at `path` and brings its schema
/// up to date.
pub fn open(path: &Path, max_connections: u32) -> anyhow::Result<Pool> {
    let manager = SqliteConnectionManager::file(path).with_init(configure);
    let pool = r2d2::Pool::builder()
        .max_size(max_connections.max(1))
        .connection_timeout(Duration::from_secs(30))
        .build(manager)?;
    let mut conn = pool.get()?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    migrate(&mut conn)?;
    Ok(pool)
}

fn configure(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // With WAL, NORMAL loses no committed transaction on a process crash; an
    // OS crash may roll back the last ones, which kiosks then send again.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

/// Applies the migrations not yet applied, each in its own transaction.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    let applied: usize = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    for (number, sql) in MIGRATIONS.iter().enumerate().skip(applied) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", number + 1)?;
        tx.commit()?;
        tracing::info!(migration = number + 1, "applied database migration");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_once_and_set_wal() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("c.sqlite");
        let pool = open(&path, 2).expect("open");
        drop(pool);
        let pool = open(&path, 2).expect("reopen runs no migration twice");
        let conn = pool.get().expect("connection");
        let version: usize = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .expect("version");
        assert_eq!(version, MIGRATIONS.len());
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .expect("mode");
        assert_eq!(mode, "wal");
        let fk: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .expect("fk");
        assert_eq!(fk, 1);
    }
}
